from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from lianbang.accounts.models import Assignment, User
from lianbang.cases.services.opening import cases_open_pending
from lianbang.org.models import Unit


@pytest.fixture
def district(db: None, settings: Any) -> Unit:
    """A small generated district (240 households), judged; the roll-up is not built yet."""
    settings.LIANBANG_DASHBOARDS_REFRESH_ON_BULK = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("generate", "--households", "240", "--seed", "11", stdout=StringIO())
    call_command("evaluate", "--all", stdout=StringIO())
    cases_open_pending()  # what the cases app does once the evaluation commits
    return Unit.objects.get(parent=None)


def client_for(role: str, unit: Unit, username: str | None = None) -> Client:
    user = User.objects.create_user(
        username or f"{role}{unit.pk}", password="Lianbang@2026", full_name="测试"
    )
    Assignment.objects.create(user=user, unit=unit, role=role)
    client = Client()
    client.force_login(user)
    return client
