"""The incremental path, the bulk path and a plain Python reading of DOMAIN §4 agree.

Besides the default rules, conditions on the months-employed fact (full months since 务工时间,
counted as ages are) are judged both ways and against the reference, on start dates just
either side of whole months and on evaluation dates whose day some months lack."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lianbang.conftest import Tree
from lianbang.monitoring.bulk import households_evaluate_all
from lianbang.monitoring.engine import household_evaluate, judge, make_plan
from lianbang.monitoring.facts import months_cutoff
from lianbang.monitoring.models import HouseholdLight, LightChange
from lianbang.monitoring.plan import RuleSpec
from lianbang.monitoring.tests import reference
from lianbang.monitoring.tests.builders import D, person_id
from lianbang.registry.models import Household
from lianbang.registry.services import household_save_document

EDGE_AGES = [3, 5, 6, 15, 16, 30, 64, 65, 80]
EDGE_DAYS = [-1, 0, 1, 40, 89, 90, 91, 200]
AMOUNTS = ["0", "4999.99", "5000", "9999.99", "10000", "19999.99", "20000"]

EDGE_MONTHS = [0, 1, 2, 3, 4, 9, 10, 12]
# D's day (29) is missing from February 2026, the end of December's from ten months before it.
MONTHS_DATES = [D, date(2026, 12, 31)]
MONTHS_RULES = [
    RuleSpec(f"M{i}", "red", {"any_member": condition})
    for i, condition in enumerate(
        [
            {"fact": "months_employed", "op": ">=", "value": 3},
            {"fact": "months_employed", "op": "<", "value": 3},
            {"fact": "months_employed", "op": "=", "value": 9},
            {"fact": "months_employed", "op": "!=", "value": 2},
            {"fact": "months_employed", "op": ">", "value": 0},
            {"fact": "months_employed", "op": "<=", "value": 10},
            {"fact": "months_employed", "op": "is_null"},
            {"not": {"fact": "months_employed", "op": "not_null"}},
            {
                "all": [
                    {"fact": "work_location", "op": "=", "value": "省外"},
                    {"fact": "months_employed", "op": ">=", "value": 3},
                ]
            },
        ]
    )
]
MONTHS_CHECKS = [
    lambda n, loc: n is not None and n >= 3,
    lambda n, loc: n is not None and n < 3,
    lambda n, loc: n == 9,
    lambda n, loc: n is not None and n != 2,
    lambda n, loc: n is not None and n > 0,
    lambda n, loc: n is not None and n <= 10,
    lambda n, loc: n is None,
    lambda n, loc: n is None,
    lambda n, loc: loc == "out_of_province" and n is not None and n >= 3,
]

ages = st.sampled_from(EDGE_AGES)
day_shift = st.sampled_from([-1, 0, 1])


@st.composite
def employments(draw: Any) -> dict[str, Any] | None:
    if not draw(st.booleans()):
        return None
    anchor = draw(st.sampled_from(MONTHS_DATES))
    since = months_cutoff(anchor, draw(st.sampled_from(EDGE_MONTHS))) + timedelta(days=draw(day_shift))
    location = draw(st.sampled_from(["省外", "省外", "县外省内", "乡镇内"]))
    return {"location": location, "since": since.isoformat()}


@st.composite
def members(draw: Any, count: int) -> list[dict[str, Any]]:
    result = []
    for index in range(count):
        birth = D.replace(year=D.year - draw(ages)) + timedelta(days=draw(day_shift))
        in_school = draw(st.sampled_from([None, None, "小学", "初中", "辍学", "学龄前儿童"]))
        result.append(
            {
                "id_number": person_id(birth, male=index % 2 == 0),
                "name": f"人{index}",
                "relation": "户主" if index == 0 else "之子",
                "labor_skill": draw(
                    st.sampled_from(
                        ["普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"]
                    )
                ),
                "education": None if in_school else "初中",
                "schooling": in_school,
                "medical_insurance": draw(st.sampled_from([True, True, True, False])),
                "status": "active" if index == 0 else draw(st.sampled_from(["active", "active", "deceased"])),
                "employment": draw(employments()),
            }
        )
    return result


@st.composite
def households(draw: Any, number: int) -> dict[str, Any]:
    people = draw(members(draw(st.integers(min_value=1, max_value=4))))
    return {
        "household_no": f"530113-8{number:05d}",
        "category": "脱贫户",
        "address": {"building": "7", "unit": "1", "floor": 1, "room": f"{number}"},
        "housing_safe": draw(st.sampled_from([True, True, True, False])),
        "water_safe": draw(st.sampled_from([True, True, True, False])),
        "members": people,
        "incomes": draw(st.lists(incomes(len(people)), max_size=2, unique_by=lambda i: i["year"])),
        "events": draw(
            st.lists(events(people), max_size=3, unique_by=lambda e: (e["type"], e["date"], e["id_number"]))
        ),
    }


@st.composite
def incomes(draw: Any, people: int) -> dict[str, Any]:
    per_head = draw(st.sampled_from(["8699.99", "8700", "9569.99", "9570", "12000", "16000", "20000"]))
    size = draw(st.sampled_from([None, 1, people]))
    return {
        "year": draw(st.sampled_from([2024, 2025, 2026, 2027])),
        "wage": str(Decimal(per_head) * (size or people)),
        "household_size": size,
        "medical_self_paid": draw(st.sampled_from(AMOUNTS)),
        "education_expense": draw(st.sampled_from(AMOUNTS)),
    }


@st.composite
def events(draw: Any, people: list[dict[str, Any]]) -> dict[str, Any]:
    who = draw(st.sampled_from(people))
    return {
        "type": draw(
            st.sampled_from(["serious_illness", "death", "accident", "disaster", "job_loss", "birth"])
        ),
        "date": (D - timedelta(days=draw(st.sampled_from(EDGE_DAYS)))).isoformat(),
        "id_number": who["id_number"],
        "severity": draw(st.sampled_from(["minor", "serious", None])),
        "loss": draw(st.sampled_from([None, "9999.99", "10000"])),
        "house_damaged": draw(st.booleans()),
    }


def few_households() -> st.SearchStrategy[tuple[dict[str, Any], ...]]:
    """One to four households with distinct numbers."""
    numbers = st.lists(st.integers(min_value=1, max_value=999), min_size=1, max_size=4, unique=True)
    return numbers.flatmap(lambda chosen: st.tuples(*[households(n) for n in chosen]))


def examples(count: int) -> settings:
    """The settings of a property over stored households: ``count`` examples, no deadline (each
    saves and judges households), the test's database fixture shared by the examples."""
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@examples(40)
@given(few_households())
def test_incremental_bulk_and_reference_agree(tree: Tree, documents: tuple[dict[str, Any], ...]) -> None:
    with transaction.atomic():
        saved = [household_save_document(data=doc, today=D).household for doc in documents]
        incremental = {
            h.pk: _light(household_evaluate(household_id=h.pk, cause="test", as_of=D)) for h in saved
        }
        expected = {h.pk: _expected(h) for h in saved}
        assert incremental == expected
        HouseholdLight.objects.all().delete()
        households_evaluate_all(as_of=D)
        bulk = {light.household_id: (light.color, light.rules) for light in HouseholdLight.objects.all()}
        assert bulk == expected
        for as_of in MONTHS_DATES:
            assert _months_judged(saved, as_of) == _months_expected(saved, as_of)
        transaction.set_rollback(True)


def _months_judged(saved: list[Household], as_of: date) -> dict[str, dict[int, list[str]]]:
    """The months conditions judged one household per statement and all in one statement."""
    one_by_one = {}
    for h in saved:
        plan = make_plan(as_of=as_of, rules=MONTHS_RULES, labels=[], household_ids=[h.pk])
        one_by_one.update({j.household_id: j.rules for j in judge(plan)})
    everyone = judge(make_plan(as_of=as_of, rules=MONTHS_RULES, labels=[], household_ids=None))
    ids = {h.pk for h in saved}
    return {
        "incremental": one_by_one,
        "bulk": {j.household_id: j.rules for j in everyone if j.household_id in ids},
    }


def _months_expected(saved: list[Household], as_of: date) -> dict[str, dict[int, list[str]]]:
    expected = {}
    for h in saved:
        members = [(reference.months_employed(m, as_of), m.work_location) for m in h.members.all()]
        expected[h.pk] = [
            rule.code
            for rule, check in zip(MONTHS_RULES, MONTHS_CHECKS, strict=True)
            if any(check(n, loc) for n, loc in members)
        ]
    return {"incremental": expected, "bulk": expected}


def _light(light: HouseholdLight | None) -> tuple[str, list[str]]:
    assert light is not None
    return light.color, list(light.rules)


def _expected(household: Household) -> tuple[str, list[str]]:
    rules = reference.reference_rules(household, D)
    return reference.color_of(rules), rules


def test_a_second_bulk_run_over_unchanged_data_changes_nothing(tree: Tree, document: dict) -> None:
    household_save_document(data=document, today=D)
    households_evaluate_all(as_of=D)
    assert households_evaluate_all(as_of=D).lights_changed == 0


def test_bulk_keeps_a_light_change_with_rules_version_and_cause(tree: Tree, document: dict) -> None:
    del document["members"][0]["employment"]
    saved = household_save_document(data=document, today=D).household
    HouseholdLight.objects.all().delete()
    LightChange.objects.all().delete()
    report = households_evaluate_all(as_of=date(2026, 11, 29), cause="nightly")
    change = LightChange.objects.get(household=saved)
    assert (report.households, report.lights_changed) == (1, 1)
    assert (change.from_color, change.to_color, change.rules) == ("", "yellow", ["Y_JOB_LOSS"])
    assert (change.rule_set_version, change.cause) == (1, "nightly")


def test_a_bulk_runs_changes_are_found_by_their_shared_time(tree: Tree, document: dict) -> None:
    household_save_document(data=document, today=D)
    HouseholdLight.objects.all().delete()
    households_evaluate_all(as_of=D, cause="nightly")
    change = LightChange.objects.get(cause="nightly")
    assert LightChange.objects.filter(changed_at=change.changed_at, cause="nightly").count() == 1
    assert HouseholdLight.objects.get().since == change.changed_at
