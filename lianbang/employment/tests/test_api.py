"""The employment API as the console and the phone app use it: shapes, scope, errors."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from lianbang.audit.models import AuditEntry
from lianbang.conftest import Tree
from lianbang.employment.models import Enterprise, Wish
from lianbang.employment.tests import factories
from lianbang.employment.tests.conftest import Family, People

API = "/api/v1/employment"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict[str, Any], method: str = "POST") -> Any:
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def test_a_grid_worker_records_a_wish_in_chinese_and_reads_it_back_as_codes(
    tree: Tree, family: Family, people: People
) -> None:
    client = _client(people.grid_worker)
    body = {
        "job_types": ["电子装配", "保洁家政"],
        "places": ["县内", "昆明服务站"],
        "min_wage": "3200",
        "constraints": ["照顾老人"],
        "visited_at": "2026-11-20T10:00:00+08:00",
    }
    saved = _post(client, f"{API}/members/{family.spouse.pk}/wish", body, "PUT")
    assert saved.status_code == 200, saved.content
    got = client.get(f"{API}/members/{family.spouse.pk}/wish").json()
    assert got["job_types"] == ["electronics", "cleaning"] and got["places"] == [
        "in_county",
        "station_kunming",
    ]
    assert got["constraints"] == ["care_elderly"] and got["min_wage"] == "3200.00"
    assert family.household.visits.filter(purpose="敲门行动问需求").count() == 1
    assert AuditEntry.objects.filter(action="employment.wish_record").count() == 1


def test_an_unknown_place_is_refused_with_the_path_and_nothing_is_saved(
    tree: Tree, family: Family, people: People
) -> None:
    response = _post(
        _client(people.grid_worker), f"{API}/members/{family.spouse.pk}/wish", {"places": ["火星"]}, "PUT"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "places[0]" in body["fields"]
    assert "火星" in body["fields"]["places[0]"]["message"]
    assert not Wish.objects.exists()


def test_an_enterprise_with_a_bad_credit_code_is_refused(tree: Tree, people: People) -> None:
    body = {"name": "某公司", "credit_code": "91530113000000001A", "work_location": "乡镇内"}
    response = _post(_client(people.street), f"{API}/units/{tree.street.pk}/enterprises", body)
    assert response.status_code == 400
    assert response.json()["fields"]["credit_code"]["message"].startswith("统一社会信用代码校验位错误")
    good = _post(
        _client(people.street),
        f"{API}/units/{tree.street.pk}/enterprises",
        body | {"credit_code": factories.credit_code(5)},
    )
    assert good.status_code == 201 and good.json()["is_workshop"] is False
    again = _post(
        _client(people.street),
        f"{API}/units/{tree.street.pk}/enterprises",
        body | {"credit_code": factories.credit_code(5)},
    )
    assert again.status_code == 409 and Enterprise.objects.count() == 1


def test_the_forms_vocabularies_name_each_work_location_in_chinese_and_english(
    tree: Tree, people: People
) -> None:
    client = _client(people.street)
    words = client.get(f"{API}/vocabularies").json()

    locations = {w["code"]: (w["label"], w["label_en"]) for w in words["work_locations"]}
    assert locations["in_township"] == ("乡镇内", "in the township")
    assert list(locations) == ["in_township", "in_county", "in_province", "out_of_province"]
    assert all(w["label_en"] for name in ("job_types", "places", "constraints") for w in words[name])
    body = {"name": "某公司", "credit_code": factories.credit_code(6), "work_location": "out_of_province"}
    created = _post(client, f"{API}/units/{tree.street.pk}/enterprises", body)
    assert created.status_code == 201 and created.json()["work_location"] == "out_of_province"


def test_matches_come_with_their_explanations(tree: Tree, family: Family, people: People) -> None:
    factories.posting(tree.district, title="电子厂普工", job_type="electronics")
    rows = _client(people.grid_worker).get(f"{API}/members/{family.spouse.pk}/matches").json()
    assert len(rows) == 1 and rows[0]["posting"]["title"] == "电子厂普工"
    factors = rows[0]["factors"]
    assert [f["factor"] for f in factors] == ["place", "wage", "skill", "age", "job_type", "constraints"]
    assert sum(f["points"] for f in factors) == rows[0]["score"]
    assert all(f["reason"] and f["reason_en"] for f in factors)


def test_a_job_of_another_street_does_not_exist_for_the_grid_worker(
    tree: Tree, family: Family, people: People
) -> None:
    from lianbang.org.services import unit_create

    other = unit_create(level=2, name="碧谷街道", parent=tree.district)
    hidden = factories.posting(other)
    client = _client(people.grid_worker)
    assert client.get(f"{API}/postings/{hidden.pk}").status_code == 404
    assert client.get(f"{API}/postings").json()["items"] == []
    district_job = factories.posting(tree.district)
    assert [p["id"] for p in client.get(f"{API}/postings").json()["items"]] == [district_job.pk]


def test_the_figures_of_a_unit(tree: Tree, family: Family, people: People) -> None:
    body = _client(people.leader).get(f"{API}/units/{tree.district.pk}/figures?as_of=2026-11-29").json()
    assert body["rates"] == {
        "as_of": "2026-11-29",
        "stable_months": 6,
        "labour": 3,
        "employed": 1,
        "stable": 1,
        "employment_rate": "33.33",
        "stable_rate": "33.33",
    }
    assert body["by_destination"]["in_province"] == 1 and body["zero_employment_households"] == 0
    assert set(body["fairs"]) >= {"fairs", "enterprises", "posts", "attendees"}
    assert (
        _client(people.leader).get(f"{API}/units/{tree.district.pk}/figures?stable_months=0").status_code
        == 400
    )


def test_a_job_loss_through_the_api_clears_the_registry_job(
    tree: Tree, family: Family, people: People
) -> None:
    response = _post(
        _client(people.grid_worker), f"{API}/members/{family.head.pk}/job-loss", {"lost_on": "2026-11-20"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["end_reason"] == "loss"
    family.head.refresh_from_db()
    assert family.head.work_location == ""


def test_a_rights_case_opens_a_dispute_in_the_cases_engine(
    tree: Tree, family: Family, people: People
) -> None:
    from lianbang.cases.models import Case, Dispute

    response = _post(
        _client(people.grid_worker),
        f"{API}/members/{family.head.pk}/rights-cases",
        {"summary": "拖欠两个月工资"},
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["case_id"])
    assert case.kind == "dispute" and case.household_id == family.household.pk
    assert Dispute.objects.get(case=case).category == "劳动维权"


def test_a_referral_and_its_outcome_show_on_the_path_with_the_job_named(
    tree: Tree, family: Family, people: People
) -> None:
    job = factories.posting(tree.district, title="电子厂普工", job_type="electronics")
    client = _client(people.grid_worker)
    made = _post(client, f"{API}/members/{family.spouse.pk}/referrals/{job.pk}", {})
    assert made.status_code == 201, made.content
    assert (made.json()["posting_title"], made.json()["enterprise_name"]) == (
        "电子厂普工",
        job.enterprise.name,
    )
    done = _post(
        client, f"{API}/members/{family.spouse.pk}/referrals/{job.pk}/outcome", {"outcome": "no_show"}
    )
    assert done.status_code == 200 and done.json()["outcome"] == "no_show"
    path = client.get(f"{API}/members/{family.spouse.pk}/path").json()
    assert [(r["posting_title"], r["outcome"]) for r in path["referrals"]] == [("电子厂普工", "no_show")]
    assert path["stable_months"] == 6 and path["stable"] is False
