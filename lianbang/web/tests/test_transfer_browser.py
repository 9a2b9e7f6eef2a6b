"""A newcomer imports a messy household file from the console in a real browser: the preview
with its progress bar, the commit, and the error report downloaded and read back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from lianbang.accounts.models import Role
from lianbang.accounts.tests.cast import PASSWORD, make_user
from lianbang.conftest import Tree
from lianbang.registry.models import Household
from lianbang.testing.browser import log_in, screenshot
from lianbang.transfer.tests import messy
from lianbang.transfer.tests.files import write_xlsx

pytestmark = pytest.mark.browser


def test_a_newcomer_imports_a_file_from_the_console_and_downloads_the_error_report(  # type: ignore[no-untyped-def]
    console_page, tree: Tree, tmp_path: Path, settings: Any
) -> None:
    # The job runs inside the request: the live server's SQLite test database takes one writer.
    settings.LIANBANG_JOBS_THREADED = False
    path = write_xlsx(tmp_path / "户信息.xlsx", messy.sheet_rows(), merges=messy.merges())
    make_user("officer", Role.AREA_LEADER, tree.area, password_changed_at=timezone.now())
    page = console_page
    log_in(page, "officer", PASSWORD, next_path="/console/")

    page.click("[data-test=nav-transfer]")
    page.wait_for_url("**/transfer/")
    page.get_by_role("link", name="户信息导入").click()
    page.set_input_files("input[name=file]", str(path))
    page.fill("input[name=income_year]", "2025")
    page.get_by_role("button", name="上传并预览").click()

    page.locator("#job-bar[value='100']").wait_for()
    shown = page.inner_text("body")
    assert "预计新增 2 户" in shown and "有误 2 户（4 行）" in shown and "\tcreated" not in shown
    assert page.locator("tr.status-created td:nth-child(3)").first.inner_text() == "新增"
    assert not Household.objects.exists()
    screenshot(page, "transfer-import-preview")
    page.get_by_role("button", name="确认无误，正式导入").click()

    page.locator("#job-bar[value='100']").wait_for()
    page.get_by_role("link", name="下载错误报告").wait_for()
    imported = set(Household.objects.values_list("household_no", flat=True))
    assert imported == {"530113-000001", "530113-000003"}
    screenshot(page, "transfer-import-done")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载错误报告").click()
    report = tmp_path / "errors.xlsx"
    download.value.save_as(report)
    rows = CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    assert rows[0][-2:] == ["错误原因", "原行号"] and [int(r[-1]) for r in rows[1:]] == [8, 9, 12, 13]
    assert all(r[-2] for r in rows[1:])  # every refused row says why
