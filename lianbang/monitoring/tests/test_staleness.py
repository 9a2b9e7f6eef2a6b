"""A bulk run judges again only the households whose stored judgement no longer holds, and what
it leaves is exactly what a full run would have written (lianbang.monitoring.staleness)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from lianbang.conftest import Tree
from lianbang.monitoring.bulk import households_evaluate_all
from lianbang.monitoring.engine import household_evaluate, make_plan
from lianbang.monitoring.models import HouseholdLabel, HouseholdLight, JudgementBaseline, MonitoringLine
from lianbang.monitoring.rulesets import rule_save, rule_set_activate, rule_set_draft
from lianbang.monitoring.selectors import (
    active_rule_set,
    computed_label_specs,
    household_inputs,
    lines_for,
    rule_specs,
)
from lianbang.monitoring.staleness import date_windows, judgement_key
from lianbang.monitoring.tests.builders import D, green_family, member
from lianbang.monitoring.tests.test_agreement import examples, few_households
from lianbang.monitoring.tests.test_rulesets import big_family_rule
from lianbang.registry.models import Household, Member
from lianbang.registry.services import household_save_document

# Later and earlier dates of D's year, near the edges the households are built around (ages
# and employment months counted to D or to 31 December, events 90 days before D).
LATER_DAYS = [D + timedelta(days=n) for n in (1, 2, 3, 32)] + [D - timedelta(days=n) for n in (1, 89, 90, 91)]


def stored() -> dict[int, tuple[str, list[str], list[int] | None, set[int]]]:
    labels: dict[int, set[int]] = {}
    for household_id, label_id in HouseholdLabel.objects.values_list("household_id", "label_id"):
        labels.setdefault(household_id, set()).add(label_id)
    return {
        light.household_id: (
            light.color,
            list(light.rules),
            light.labels,
            labels.get(light.household_id, set()),
        )
        for light in HouseholdLight.objects.all()
    }


@examples(30)
@given(
    few_households(),
    st.sampled_from(LATER_DAYS),
)
def test_a_run_that_skips_current_households_stores_what_a_full_run_would(
    tree: Tree, documents: tuple[dict[str, Any], ...], later: date
) -> None:
    with transaction.atomic():
        for doc in documents:
            household_save_document(data=doc, today=D)
        households_evaluate_all(as_of=D, full=True)
        skipping = households_evaluate_all(as_of=later)
        after_skipping = stored()
        full = households_evaluate_all(as_of=later, full=True)
        assert stored() == after_skipping
        assert full.lights_changed == 0
        assert skipping.households + skipping.households_current == len(documents)
        transaction.set_rollback(True)


@examples(20)
@given(
    few_households(),
    st.sampled_from([D, *LATER_DAYS]),
)
def test_a_new_rule_set_judges_the_rules_again_and_keeps_the_labels_that_hold(
    tree: Tree, documents: tuple[dict[str, Any], ...], later: date
) -> None:
    """After a rule set is switched, a run judges every household again but the labels only
    where they may have moved, and stores exactly what a full run would."""
    with transaction.atomic():
        for doc in documents:
            household_save_document(data=doc, today=D)
        households_evaluate_all(as_of=D, full=True)
        draft = rule_set_draft(actor=None)
        rule_save(rule_set=draft, code="Y_BIG", values=big_family_rule())
        rule_set_activate(rule_set=draft, actor=None, as_of=later)
        run = households_evaluate_all(as_of=later)
        after_run = stored()
        full = households_evaluate_all(as_of=later, full=True)
        assert stored() == after_run
        assert full.lights_changed == 0
        assert run.households == len(documents)
        if later == D:
            assert run.households_rules_only == len(documents)
        transaction.set_rollback(True)


def test_every_date_the_statement_moves_with_lies_in_a_window(db: None) -> None:
    """Compile the whole default statement on two dates: each parameter that differs must be
    the pair of ends of one of the windows, or a new date-dependent fact escaped them."""
    rule_set = active_rule_set()
    assert rule_set is not None
    rules, labels = rule_specs(rule_set), computed_label_specs()
    for before, after in [
        (D, D + timedelta(days=1)),
        (date(2026, 1, 31), date(2026, 3, 1)),
        (D, date(2026, 2, 28)),
    ]:
        one = make_plan(as_of=before, rules=rules, labels=labels, household_ids=None).select
        other = make_plan(as_of=after, rules=rules, labels=labels, household_ids=None).select
        assert one.text == other.text
        moved = {(a, b) for a, b in zip(one.params, other.params, strict=True) if a != b}
        windows = {(w.low, w.high) for w in date_windows(rules, labels, rule_set.recent_days, before, after)}
        assert moved, "the statement does not depend on the date at all?"
        assert {(min(a, b), max(a, b)) for a, b in moved} <= windows


def save(document: dict[str, Any]) -> Household:
    return household_save_document(data=document, today=D).household


def neighbour() -> dict[str, Any]:
    document = {**green_family(), "household_no": "530113-900002"}
    document["address"] = {**document["address"], "room": "202"}
    return document


def test_a_child_turning_sixteen_is_judged_again_and_the_neighbours_are_left(tree: Tree) -> None:
    family = green_family()
    family["members"].append(member(date(2010, 11, 30), relation="之子", schooling="初中", education=None))
    turning, other = save(family), save(neighbour())
    households_evaluate_all(as_of=D, full=True)
    report = households_evaluate_all(as_of=D + timedelta(days=1))
    assert (report.households, report.households_current) == (1, 1)
    baseline = JudgementBaseline.objects.get()
    judged = {
        light.household_id: light.judged_on or baseline.judged_on for light in HouseholdLight.objects.all()
    }
    assert judged == {turning.pk: D + timedelta(days=1), other.pk: D}


def test_a_run_over_everyone_moves_the_baseline_and_rewrites_no_unchanged_light(tree: Tree) -> None:
    """A run that judges every household (here --full the next day, as after a new rule set)
    leaves the lights it does not change as they are, without a stamp of their own: they hold
    the baseline's day and key, and the next run finds them current."""
    saved = save(green_family())
    save(neighbour())
    households_evaluate_all(as_of=D, full=True)
    household_evaluate(household_id=saved.pk, cause="test", as_of=D + timedelta(days=1))
    assert HouseholdLight.objects.get(pk=saved.pk).judged_on == D + timedelta(days=1)
    report = households_evaluate_all(as_of=D + timedelta(days=2), full=True)
    assert report.lights_changed == 0
    stamps = set(HouseholdLight.objects.values_list("judged_on", "judged_key"))
    assert stamps == {(None, None)}
    assert JudgementBaseline.objects.get().judged_on == D + timedelta(days=2)
    assert households_evaluate_all(as_of=D + timedelta(days=2)).households == 0


def test_nothing_is_judged_again_on_the_same_day(tree: Tree) -> None:
    save(green_family())
    households_evaluate_all(as_of=D, full=True)
    report = households_evaluate_all(as_of=D)
    assert (report.households, report.households_current, report.lights_changed) == (0, 1, 0)


def test_a_household_saved_through_the_services_is_current_for_that_day(tree: Tree) -> None:
    saved = save(green_family())
    household_evaluate(household_id=saved.pk, cause="test", as_of=D)
    assert households_evaluate_all(as_of=D).households == 0


def test_a_new_year_or_a_changed_monitoring_line_judges_everyone_again(tree: Tree) -> None:
    save(green_family())
    save(neighbour())
    households_evaluate_all(as_of=D, full=True)
    assert households_evaluate_all(as_of=date(2027, 1, 2)).households == 2
    households_evaluate_all(as_of=D, full=True)
    MonitoringLine.objects.update(amount="9000")
    assert households_evaluate_all(as_of=D).households == 2


def test_a_change_no_service_saw_needs_a_full_run(tree: Tree) -> None:
    saved = save(green_family())
    households_evaluate_all(as_of=D, full=True)
    Member.objects.filter(household=saved).update(work_location="")
    assert households_evaluate_all(as_of=D).lights_changed == 0
    assert households_evaluate_all(as_of=D, full=True).lights_changed == 1


def test_one_household_gets_the_line_and_key_a_bulk_run_reads(tree: Tree) -> None:
    """The save path reads the rule-set stamp, the household's line and every line's row in one
    query: the longest matching prefix, its latest year not after the date, and the same key."""
    saved = save(green_family())
    region = saved.region_code
    MonitoringLine.objects.all().delete()
    for prefix, year, amount in [
        (region[:2], 2026, "5000"),
        (region[:4], 2026, "6000"),
        (region, 2025, "7000"),
        (region, 2027, "99999"),
        ("99", 2026, "1"),
    ]:
        MonitoringLine.objects.create(region_prefix=prefix, year=year, amount=amount)
    inputs = household_inputs(saved.pk, D)
    assert inputs is not None
    assert inputs.lines == lines_for({region}, D) == {region: 700000}
    specs = inputs.specs
    one = judgement_key(version=specs.version, recent_days=specs.recent_days, keys=specs.keys)
    assert (
        judgement_key(
            version=specs.version, recent_days=specs.recent_days, keys=specs.keys, line_rows=inputs.line_rows
        )
        == one
    )
    household_evaluate(household_id=saved.pk, cause="test", as_of=D)
    assert households_evaluate_all(as_of=D).households == 0
    MonitoringLine.objects.all().delete()
    no_lines = household_inputs(saved.pk, D)
    assert no_lines is not None and (no_lines.lines, no_lines.line_rows) == ({}, ())
    assert household_inputs(saved.pk + 1000, D) is None
