"""The catalogue as data: defaults shipped, conditions validated with their paths."""

from __future__ import annotations

import importlib

import pytest

from lianbang.accounts.models import Role
from lianbang.accounts.tests.cast import Cast, logged_in
from lianbang.audit.models import AuditEntry
from lianbang.common.errors import ApplicationError
from lianbang.monitoring.conditions import validate_condition
from lianbang.policies.defaults import DEFAULT_POLICIES
from lianbang.policies.models import Policy
from lianbang.policies.services import policy_save

JSON = "application/json"
GOOD = {
    "code": "heating_aid",
    "name": "冬季取暖补贴",
    "department": "民政",
    "measure_type": "综合保障（低保 特困 临时救助）",
    "risk_types": ["因病", "缺劳动力"],
    "eligibility": {"any_member": {"fact": "age", "op": ">=", "value": 70}},
    "benefit": "每户每年300元",
    "how_to_apply": "向社区申请",
}


def test_the_migrations_ship_the_defaults_of_defaults_py(db: None) -> None:
    frozen = importlib.import_module("lianbang.policies.migrations.0002_default_policies").DEFAULTS
    months = importlib.import_module("lianbang.policies.migrations.0003_employment_subsidy_months")
    shipped = [{**p, **months.NEW} if p["code"] == months.CODE else p for p in frozen]
    assert shipped == DEFAULT_POLICIES
    assert [{**p, **months.OLD} if p["code"] == months.CODE else p for p in shipped] == frozen
    assert list(Policy.objects.values_list("code", flat=True)) == [p["code"] for p in DEFAULT_POLICIES]
    for policy in Policy.objects.all():
        validate_condition(policy.eligibility, path="eligibility")
        if policy.receipt_condition is not None:
            validate_condition(policy.receipt_condition, path="receipt_condition")
    codes = {p.code for p in Policy.objects.all()}
    assert {
        "dibao",
        "destitute_support",
        "temporary_relief",
        "disability_subsidy",
        "elderly_allowance",
        "medical_aid",
        "education_aid",
        "public_welfare_job",
        "microcredit",
        "employment_subsidy",
        "assistance_workshop",
    } <= codes


def test_a_bad_condition_is_refused_with_the_path_of_every_problem(db: None) -> None:
    bad = {
        **GOOD,
        "eligibility": {
            "all": [
                {"fact": "income_of_neighbours", "op": "=", "value": 1},
                {"any_member": {"fact": "age", "op": ">=", "value": "old"}},
            ]
        },
        "receipt_condition": {"fact": "housing_safe", "op": "<", "value": True},
        "risk_types": ["因懒"],
    }
    with pytest.raises(ApplicationError) as caught:
        policy_save(actor=None, values=bad)
    paths = {p.path for p in caught.value.problems}
    assert paths == {
        "eligibility.all[0].fact",
        "eligibility.all[1].any_member.value",
        "receipt_condition.op",
        "risk_types[0]",
    }
    assert not Policy.objects.filter(code="heating_aid").exists()


def test_a_configuration_manager_adds_and_edits_a_policy_through_the_api(cast: Cast) -> None:
    admin = logged_in(cast.user(Role.SYSTEM_ADMIN))
    created = admin.post("/api/v1/policies", GOOD, content_type=JSON)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["measure_type"] == "social_security" and body["risk_types"] == ["illness", "labour_shortage"]
    bad = admin.patch(
        f"/api/v1/policies/{body['id']}",
        {"eligibility": {"any_member": {"fact": "age", "op": "~", "value": 70}}},
        content_type=JSON,
    )
    assert bad.status_code == 400 and list(bad.json()["fields"]) == ["eligibility.any_member.op"]
    edited = admin.patch(f"/api/v1/policies/{body['id']}", {"active": False}, content_type=JSON)
    assert edited.json()["version"] == 2 and edited.json()["active"] is False
    assert AuditEntry.objects.filter(object_type="policies.policy").count() == 2
    refused = logged_in(cast.user(Role.GRID_WORKER)).post("/api/v1/policies", GOOD, content_type=JSON)
    assert refused.status_code == 403


def test_everyone_logged_in_reads_the_catalogue(cast: Cast) -> None:
    rows = logged_in(cast.user(Role.GRID_WORKER)).get("/api/v1/policies").json()
    dibao = next(r for r in rows if r["code"] == "dibao")
    assert dibao["department"] == "民政" and dibao["measure_type_label"].startswith("综合保障")
    assert dibao["risk_type_labels"][:2] == ["因病", "因残"]
