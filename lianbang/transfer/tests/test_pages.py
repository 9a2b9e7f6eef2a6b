"""The console pages: upload, preview, commit, progress, error report, exports; each user sees
only their own jobs and their own units."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from lianbang.accounts.models import Assignment, Department, Role, User
from lianbang.conftest import Tree
from lianbang.jobs.models import Job
from lianbang.registry.models import Household, Member
from lianbang.registry.services import household_save_document
from lianbang.transfer.tests import messy
from lianbang.transfer.tests.files import HEADER, household_rows, write_csv, write_xlsx


def person(username: str, role: str, unit: Any, department: str = "") -> User:
    user = User.objects.create_user(username, password="Lianbang@2026")
    Assignment.objects.create(user=user, unit=unit, role=role, department=department)
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def leader(tree: Tree) -> Client:
    return logged_in(person("area1", Role.AREA_LEADER, tree.area))


def upload(client: Client, url: str, path: Path, **data: Any) -> Any:
    with path.open("rb") as handle:
        return client.post(url, {"file": handle, **data})


def test_pages_need_a_login(client: Client, db: None) -> None:
    for url in ("/transfer/", "/transfer/import/", "/transfer/jobs/1/", "/transfer/jobs/1/status.json"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_newcomer_previews_commits_and_downloads_the_error_report(
    leader: Client, tree: Tree, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "户信息.xlsx", messy.sheet_rows(), merges=messy.merges())
    response = upload(leader, "/transfer/import/", path, income_year=2025)
    assert response.status_code == 302
    preview = Job.objects.get()
    page = leader.get(response["Location"]).content.decode()
    assert "预览，尚未保存" in page and "预计新增 2 户" in page and "有误 2 户（4 行）" in page
    assert DAMAGED_SNIPPET in page and "确认无误，正式导入" in page
    assert 'src="/static/transfer/progress.js"' in page and "<script>" not in page
    assert not Household.objects.exists()

    committed = leader.post(f"/transfer/jobs/{preview.pk}/commit/")
    job = Job.objects.exclude(pk=preview.pk).get()
    assert committed["Location"] == f"/transfer/jobs/{job.pk}/"
    assert job.status == "done" and job.params["dry_run"] is False and job.input_name == "户信息.xlsx"
    assert set(Household.objects.values_list("household_no", flat=True)) == {"530113-000001", "530113-000003"}

    status = leader.get(f"/transfer/jobs/{job.pk}/status.json").json()
    assert (status["status"], status["percent"], status["finished"]) == ("done", 100, True)
    assert status["done"] == status["total"] == 4

    report = leader.get(f"/transfer/jobs/{job.pk}/errors.xlsx")
    assert report.status_code == 200 and "attachment" in report["Content-Disposition"]
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(report.streaming_content))).get_sheet_by_index(
        0
    )
    rows = sheet.to_python()
    assert rows[0][-2:] == ["错误原因", "原行号"] and [int(r[-1]) for r in rows[1:]] == [8, 9, 12, 13]


DAMAGED_SNIPPET = "证件号码被Excel存成了数字"


def test_a_job_belongs_to_the_user_who_started_it(leader: Client, tree: Tree, tmp_path: Path) -> None:
    upload(leader, "/transfer/import/", write_xlsx(tmp_path / "a.xlsx", [HEADER, *household_rows()]))
    job = Job.objects.get()
    other = logged_in(person("area2", Role.AREA_LEADER, tree.area))
    for suffix in ("", "status.json", "errors.xlsx", "result.xlsx"):
        assert other.get(f"/transfer/jobs/{job.pk}/{suffix}").status_code == 404
    assert other.post(f"/transfer/jobs/{job.pk}/commit/").status_code == 404
    assert other.get("/transfer/").context["jobs"] == []


def test_a_wrong_file_type_is_refused_on_the_form(leader: Client, tmp_path: Path) -> None:
    path = tmp_path / "名单.pdf"
    path.write_bytes(b"%PDF-1.4")
    response = upload(leader, "/transfer/import/", path)
    assert response.status_code == 200 and "只支持 .xlsx、.xls、.csv 文件" in response.content.decode()
    assert not Job.objects.exists()


def test_a_file_that_cannot_be_read_fails_its_job_with_a_message(leader: Client, tmp_path: Path) -> None:
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(b"not a workbook")
    response = upload(leader, "/transfer/import/", path)
    page = leader.get(response["Location"]).content.decode()
    assert "失败" in page and "文件「坏文件.xlsx」无法读取" in page and "重新运行" in page


def test_pages_refuse_users_without_the_permission(tree: Tree) -> None:
    grid = logged_in(person("grid1", Role.GRID_WORKER, tree.floor_group))
    assert grid.get("/transfer/export/").status_code == 403
    assert grid.get("/transfer/departments/").status_code == 403
    assert grid.get("/transfer/import/").status_code == 200
    leader = logged_in(person("leader1", Role.LEADER, tree.district))
    assert leader.get("/transfer/import/").status_code == 403


def test_a_department_user_uploads_their_list_and_gets_the_unmatched_report(
    tree: Tree, tmp_path: Path, document: dict[str, Any]
) -> None:
    document["events"] = []
    household_save_document(data=document)
    user = person("minzheng", Role.DEPARTMENT, tree.district, Department.CIVIL_AFFAIRS)
    client = logged_in(user)
    page = client.get("/transfer/departments/").content.decode()
    assert "民政 低保特困变动名单" in page and "医保 合规自付医疗费用名单" not in page
    template = client.get("/transfer/departments/template.xlsx?department=civil_affairs")
    assert template.status_code == 200
    assert client.get("/transfer/departments/template.xlsx?department=health").status_code == 400
    rows = [["证件号码", "姓名", "救助类型", "变动类型"], ["530113198001010014", "张三", "低保", "纳入"],
            ["110101199003071234", "外人", "低保", "纳入"]]  # fmt: skip
    response = upload(
        client, "/transfer/departments/", write_csv(tmp_path / "低保.csv", rows), department="civil_affairs"
    )
    preview = Job.objects.get()
    assert "已记入 1 行，有误 1 行" in client.get(response["Location"]).content.decode()
    assert Member.objects.get(id_number="530113198001010014").dibao is False
    client.post(f"/transfer/jobs/{preview.pk}/commit/")
    assert Member.objects.get(id_number="530113198001010014").dibao is True
    job = Job.objects.exclude(pk=preview.pk).get()
    report = CalamineWorkbook.from_path(job.error_path).get_sheet_by_index(0).to_python()
    assert report[0][-3:] == ["结果", "原因", "原行号"] and report[1][-3] == "有误"


def test_an_export_is_a_job_whose_masked_file_is_downloaded(
    tree: Tree, document: dict[str, Any], leader: Client
) -> None:
    household_save_document(data=document | {"phone": "13812345678"})
    response = leader.post("/transfer/export/", {"what": "members", "unit": tree.area.pk})
    job = Job.objects.get()
    assert response["Location"] == f"/transfer/jobs/{job.pk}/" and job.message == "成员名单：3 行"
    download = leader.get(f"/transfer/jobs/{job.pk}/result.xlsx")
    rows = CalamineWorkbook.from_filelike(
        io.BytesIO(b"".join(download.streaming_content))
    ).get_sheet_by_index(0)
    values = rows.to_python()
    assert values[1][3] == "530113********0014" and "13812345678" not in str(values)


def test_an_export_of_a_unit_outside_ones_scope_is_not_offered(tree: Tree, leader: Client) -> None:
    response = leader.post("/transfer/export/", {"what": "monthly", "unit": tree.district.pk})
    assert response.status_code == 200 and not Job.objects.exists()
    assert "unit" in response.context["form"].errors


@pytest.mark.django_db(transaction=True)
def test_a_page_started_job_runs_in_the_background_and_reports_progress(
    tree: Tree, tmp_path: Path, settings: Any, concurrent_connections: None
) -> None:
    settings.LIANBANG_JOBS_THREADED = True
    client = logged_in(person("area9", Role.AREA_LEADER, tree.area))
    upload(client, "/transfer/import/", write_xlsx(tmp_path / "a.xlsx", [HEADER, *household_rows()]))
    job = Job.objects.get()
    deadline = time.monotonic() + 30
    status = client.get(f"/transfer/jobs/{job.pk}/status.json").json()
    while not status["finished"] and time.monotonic() < deadline:
        time.sleep(0.1)
        status = client.get(f"/transfer/jobs/{job.pk}/status.json").json()
    assert status["status"] == "done" and status["message"].startswith("预计新增 1 户")


def test_committing_a_preview_whose_file_is_gone_asks_for_a_new_upload(
    leader: Client, tree: Tree, tmp_path: Path
) -> None:
    upload(leader, "/transfer/import/", write_xlsx(tmp_path / "a.xlsx", [HEADER, *household_rows()]))
    preview = Job.objects.get()
    Path(preview.input_path).unlink()
    response = leader.post(f"/transfer/jobs/{preview.pk}/commit/")
    assert response.status_code == 410 and "请重新上传" in response.content.decode()
    assert Job.objects.count() == 1
