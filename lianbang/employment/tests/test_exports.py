"""Excel exports of the employment lists from the console: who the survey has not reached, the
job postings and the employment report, as background jobs whose files are masked and audited."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from lianbang.audit.models import AuditEntry
from lianbang.conftest import Tree
from lianbang.employment.models import SurveyEntry
from lianbang.employment.services.survey import survey_reach, survey_start
from lianbang.employment.tests import factories
from lianbang.employment.tests.conftest import People, family_document
from lianbang.jobs.models import Job
from lianbang.monitoring.tests.builders import D
from lianbang.registry.models import Household
from lianbang.registry.services import household_save_document

API = "/api/v1/employment"


@pytest.fixture(autouse=True)
def _jobs_in_the_request(settings: Any, tmp_path: Path) -> None:
    settings.LIANBANG_JOBS_THREADED = False
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def household(tree: Tree) -> Household:
    document = family_document() | {"grid": tree.grid.code, "phone": "13812345678"}
    return household_save_document(data=document, today=D).household


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _export(client: Client, unit_id: int, body: dict[str, Any]) -> Any:
    return client.post(f"{API}/units/{unit_id}/exports", json.dumps(body), content_type="application/json")


def _sheet(client: Client, job_id: int) -> list[dict[str, Any]]:
    download = client.get(f"/transfer/jobs/{job_id}/result.xlsx")
    assert download.status_code == 200
    data = io.BytesIO(b"".join(download.streaming_content))
    values = CalamineWorkbook.from_filelike(data).get_sheet_by_index(0).to_python()
    return [dict(zip(values[0], row, strict=False)) for row in values[1:]]


def test_the_people_a_survey_has_not_reached_are_exported_masked(
    tree: Tree, household: Household, people: People
) -> None:
    campaign = survey_start(actor=people.street, unit=tree.community, name="2026年摸底", as_of=D)
    head = SurveyEntry.objects.get(campaign=campaign, member__relation="head")
    survey_reach(actor=people.grid_worker, entry=head, status="已就业", now=head.campaign.created_at)
    client = _client(people.street)

    response = _export(client, tree.community.pk, {"what": "unreached", "campaign_id": campaign.pk})

    assert response.status_code == 201, response.content
    body = response.json()
    job = Job.objects.get(pk=body["job_id"])
    assert body["url"] == f"/transfer/jobs/{job.pk}/" and job.status == Job.Status.DONE
    assert job.message == "未摸底人员：2 行"
    rows = _sheet(client, job.pk)
    members = {m.name: m for m in household.members.all()}
    assert sorted(r["姓名"] for r in rows) == sorted(n for n, m in members.items() if m.relation != "head")
    for row in rows:
        full = members[row["姓名"]].id_number
        assert row["证件号码"] == f"{full[:6]}********{full[-4:]}"
        assert row["联系电话"] == "138****5678" and row["摸底结果"] == "未摸到"
        member = members[row["姓名"]]  # choices as their labels, not their codes
        assert row["性别"] == member.get_sex_display() and row["性别"] in ("男", "女")
        assert row["劳动技能"] == member.get_labor_skill_display() != member.labor_skill
    assert "13812345678" not in str(rows) and all(m.id_number not in str(rows) for m in members.values())
    entry = AuditEntry.objects.filter(action="export", object_id="employment_unreached").get()
    assert entry.changes["rows"] == 2 and entry.changes["masked"] is True
    assert entry.changes["campaign"] == campaign.pk


def test_the_job_postings_export_holds_the_jobs_of_the_unit_and_below_only(
    tree: Tree, household: Household, people: People
) -> None:
    from lianbang.org.services import unit_create

    ours = factories.posting(tree.street, title="电子厂普工")
    ours.enterprise.contact_phone = "13912345678"
    ours.enterprise.save(update_fields=["contact_phone"])
    factories.posting(tree.community, title="社区保洁")
    factories.posting(tree.district, title="区里的岗位")  # above: the officer sees it, not exported
    other_street = unit_create(level=2, name="碧谷街道", parent=tree.district)
    factories.posting(other_street, title="别处的岗位")
    client = _client(people.street)

    response = _export(client, tree.street.pk, {"what": "postings"})

    assert response.status_code == 201, response.content
    rows = _sheet(client, response.json()["job_id"])
    assert sorted(r["岗位名称"] for r in rows) == ["电子厂普工", "社区保洁"]
    mine = next(r for r in rows if r["岗位名称"] == "电子厂普工")
    assert mine["统一社会信用代码"] == ours.enterprise.credit_code
    assert mine["联系电话"] == "139****5678"
    assert mine["务工所在地"] == ours.get_work_location_display() != ours.work_location
    entry = AuditEntry.objects.filter(action="export", object_id="employment_postings").get()
    assert entry.changes["unit"] == tree.street.pk and entry.changes["rows"] == 2

    below = _export(client, tree.community.pk, {"what": "postings"})
    assert [r["岗位名称"] for r in _sheet(client, below.json()["job_id"])] == ["社区保洁"]


def test_the_employment_report_is_reachable_from_the_employment_page(
    tree: Tree, household: Household, people: People
) -> None:
    client = _client(people.street)
    response = _export(client, tree.street.pk, {"what": "report"})
    assert response.status_code == 201, response.content
    download = client.get(f"/transfer/jobs/{response.json()['job_id']}/result.xlsx")
    values = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(download.streaming_content)))
    sheet = values.get_sheet_by_index(0).to_python()
    assert tree.street.name in sheet[0][0] and sheet[2][0] == tree.street.name


def test_bad_export_requests_are_refused_naming_the_field(tree: Tree, people: People) -> None:
    client = _client(people.street)
    unknown = _export(client, tree.street.pk, {"what": "everything"})
    assert unknown.status_code == 400 and "what" in unknown.json()["fields"]
    no_campaign = _export(client, tree.street.pk, {"what": "unreached"})
    assert no_campaign.status_code == 400 and "campaign_id" in no_campaign.json()["fields"]
    assert no_campaign.json()["message_en"]
    assert _export(client, tree.district.pk, {"what": "postings"}).status_code == 404
    assert _export(_client(people.grid_worker), tree.community.pk, {"what": "postings"}).status_code == 403
    assert not Job.objects.exists()
