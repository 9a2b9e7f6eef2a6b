"""The people list's Excel export (POST /people/export): a transfer job whose workbook holds
exactly the people the list shows with the same filters, in its order, within the caller's
units, ID numbers and phones masked, the export in the audit log; a bad or unknown filter is
refused before any job starts."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from lianbang.accounts.models import Permission, Role, User
from lianbang.accounts.scope import has_permission
from lianbang.audit.models import AuditEntry
from lianbang.dashboards.tests.conftest import client_for
from lianbang.jobs.models import Job
from lianbang.org.models import Unit
from lianbang.registry.models import Household, Member

pytestmark = pytest.mark.django_db


def _listed(client: Client, query: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row of the people list, page by page."""
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {**query, "limit": 100, **({"cursor": cursor} if cursor else {})}
        response = client.get(f"/api/v1/people?{urlencode(params)}")
        assert response.status_code == 200, response.content.decode()[:400]
        rows += response.json()["items"]
        cursor = response.json()["next_cursor"]
        if not cursor:
            return rows


def _exported(client: Client, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post("/api/v1/people/export", body, content_type="application/json")
    assert response.status_code == 201, response.content.decode()[:400]
    job = Job.objects.get(pk=response.json()["job_id"])
    assert job.status == Job.Status.DONE, job.message
    assert response.json()["url"] == f"/transfer/jobs/{job.pk}/"
    rows = CalamineWorkbook.from_path(job.result_path).get_sheet_by_index(0).to_python()
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _part(district: Unit) -> Unit:
    """The highest unit that holds some of the district's households, not all of them."""
    total = Household.objects.count()
    units = Unit.objects.exclude(pk=district.pk).order_by("level", "path")
    held = ((u, Household.objects.filter(unit__path__startswith=u.path).count()) for u in units)
    found = next((unit for unit, count in held if 0 < count < total), None)
    assert found is not None
    return found


def test_the_export_holds_exactly_the_filtered_people_of_the_callers_units_masked(
    district: Unit, settings: Any
) -> None:
    settings.LIANBANG_JOBS_THREADED = False
    part = _part(district)
    client = client_for(Role.LEADER, part)  # may export, may not reveal
    leader = User.objects.get(username=f"{Role.LEADER}{part.pk}")
    assert has_permission(leader, Permission.EXPORT) and not has_permission(
        leader, Permission.SENSITIVE_REVEAL
    )
    query = {"employment": "unemployed", "sort": "-age"}
    shown = _listed(client, query)
    everyone = Member.objects.filter(status="active", household__status="active")
    in_part = everyone.filter(household__unit__path__startswith=part.path)
    assert 0 < len(shown) < in_part.count() < everyone.count()

    sheet = _exported(client, query)

    expected = [(r["household_no"], r["name"], r["age"], r["sex"], r["relation"]) for r in shown]
    assert [(r["户编号"], r["姓名"], r["年龄"], r["性别"], r["与户主关系"]) for r in sheet] == expected
    assert {r["就业状态"] for r in sheet} == {"未就业"}
    part_numbers = set(in_part.values_list("household__household_no", flat=True))
    assert {r["户编号"] for r in sheet} <= part_numbers
    real_ids = set(everyone.values_list("id_number", flat=True))
    cells = [r["证件号码"] for r in sheet]
    assert cells and all("*" in cell and cell not in real_ids for cell in cells)
    phones = dict(Household.objects.values_list("household_no", "phone"))
    masked = [(r["联系电话"], phones[r["户编号"]]) for r in sheet if phones[r["户编号"]]]
    assert masked and all(cell != phone and cell.endswith(phone[-4:]) for cell, phone in masked)

    entry = AuditEntry.objects.filter(action="export", object_id="people").latest("pk")
    assert entry.actor_id == leader.pk
    assert entry.changes == {"rows": len(shown), "masked": True, "filter": query}


def test_the_export_follows_the_household_filters_ids_as_strings_and_masks_minors(
    district: Unit, settings: Any
) -> None:
    settings.LIANBANG_JOBS_THREADED = False
    part = _part(district)
    client = client_for(Role.DISTRICT_ADMIN, district)
    query = {"unit_id": part.pk, "age_band": "adult", "case_state": "open", "sort": "household"}
    shown = _listed(client, query)
    assert shown
    sheet = _exported(client, {**query, "unit_id": str(part.pk)})
    assert [(r["户编号"], r["姓名"]) for r in sheet] == [(r["household_no"], r["name"]) for r in shown]

    children = {"age_band": "preschool", "sort": "age"}  # a minor's name is masked as on the list
    shown = _listed(client, children)
    names = dict(Member.objects.values_list("pk", "name"))
    assert shown and all(r["name"] != names[r["id"]] and "*" in r["name"] for r in shown)
    sheet = _exported(client, children)
    assert [(r["户编号"], r["姓名"]) for r in sheet] == [(r["household_no"], r["name"]) for r in shown]


def test_an_unknown_or_bad_filter_is_refused_and_no_job_starts(district: Unit) -> None:
    client = client_for(Role.DISTRICT_ADMIN, district)
    before = Job.objects.count()

    response = client.post("/api/v1/people/export", {"ageband": "minor"}, content_type="application/json")
    assert response.status_code == 422, response.content.decode()[:400]
    refused = response.json()
    assert refused["code"] == "invalid" and refused["message"] and refused["message_en"]
    assert [field for field in refused["fields"] if field.endswith("ageband")], refused["fields"]

    response = client.post("/api/v1/people/export", {"age_band": "teen"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["fields"]["age_band"]["value"] == "teen"
    response = client.post("/api/v1/people/export", {"grid_id": "x"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["fields"]["grid_id"]["value"] == "x"
    assert Job.objects.count() == before


def test_a_unit_outside_scope_and_a_caller_without_export_are_refused(district: Unit) -> None:
    part = _part(district)
    outside = Unit.objects.exclude(path__startswith=part.path).exclude(pk__in=[district.pk]).order_by("pk")
    other = next(u for u in outside if not part.path.startswith(u.path))
    client = client_for(Role.COMMUNITY_OFFICIAL, part)
    before = Job.objects.count()
    body = {"unit_id": other.pk}
    response = client.post("/api/v1/people/export", body, content_type="application/json")
    assert response.status_code == 404 and response.json()["fields"]["unit_id"]["value"] == other.pk
    secretary = client_for(Role.BRANCH_SECRETARY, part)  # sees people, may not export
    assert secretary.get("/api/v1/people").status_code == 200
    assert secretary.post("/api/v1/people/export", {}, content_type="application/json").status_code == 403
    assert Job.objects.count() == before
