"""The console in a real browser: a community officer logs in and lands on their scope."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lianbang.accounts.models import Role
from lianbang.accounts.tests.cast import PASSWORD, make_user
from lianbang.conftest import Tree
from lianbang.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser


def test_a_community_officer_logs_in_and_sees_their_scope(console_page, tree: Tree) -> None:  # type: ignore[no-untyped-def]
    make_user("officer", Role.COMMUNITY_OFFICIAL, tree.community, password_changed_at=timezone.now())

    log_in(console_page, "officer", PASSWORD)

    header = console_page.locator("[data-test=scope]")
    header.wait_for()
    assert tree.community.name in header.inner_text()
    screenshot(console_page, "console-home")
