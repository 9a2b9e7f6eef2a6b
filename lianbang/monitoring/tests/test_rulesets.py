"""Rule sets are versioned drafts: tried, checked, activated, and every household re-judged."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from lianbang.common.errors import ApplicationError
from lianbang.conftest import Tree
from lianbang.monitoring.models import EvaluationRun, HouseholdLight, LightChange, RuleSet
from lianbang.monitoring.rulesets import rule_preview, rule_save, rule_set_activate, rule_set_draft
from lianbang.monitoring.tests.builders import D, green_family
from lianbang.registry.services import household_save_document

MANY_MEMBERS = {"fact": "active_members", "op": ">=", "value": 3}


def big_family_rule() -> dict[str, Any]:
    return {
        "color": "yellow",
        "name": "人口多",
        "reason": "在册人口3人及以上",
        "reason_en": "three or more people",
        "condition": MANY_MEMBERS,
    }


def test_a_draft_copies_the_active_rules_under_the_next_version(db: None) -> None:
    draft = rule_set_draft(actor=None)
    assert (draft.version, draft.status, draft.rules.count()) == (2, "draft", 10)


def test_the_active_rule_set_cannot_be_edited(db: None) -> None:
    active = RuleSet.objects.get(status="active")
    with pytest.raises(ApplicationError):
        rule_save(rule_set=active, code="X", values=big_family_rule())


def test_an_invalid_condition_is_refused_with_its_path(db: None) -> None:
    draft = rule_set_draft(actor=None)
    bad = {**big_family_rule(), "condition": {"all": [{"fact": "no_such_fact", "op": "=", "value": 1}]}}
    with pytest.raises(ApplicationError) as caught:
        rule_save(rule_set=draft, code="X", values=bad)
    assert caught.value.problems[0].path == "condition.all[0].fact"


def test_a_preview_counts_and_names_the_households_a_draft_rule_would_hit(tree: Tree) -> None:
    family = green_family()
    household_save_document(data=family, today=D)
    small = copy.deepcopy(family)
    small.update(
        household_no="530113-900002",
        members=family["members"][:1],
        address={"building": "7", "unit": "1", "floor": 3, "room": "301"},
    )
    small["members"][0]["id_number"] = "530113198001010014"
    household_save_document(data=small, today=D)
    assert rule_preview(condition=MANY_MEMBERS, as_of=D) == (1, ["530113-900001"])


def test_activation_switches_versions_and_re_judges_everyone(
    tree: Tree, django_capture_on_commit_callbacks: Any
) -> None:
    saved = household_save_document(data=green_family(), today=D).household
    draft = rule_set_draft(actor=None)
    rule_save(rule_set=draft, code="Y_BIG", values=big_family_rule())
    with django_capture_on_commit_callbacks(execute=True):
        run = rule_set_activate(rule_set=draft, actor=None, as_of=D)
    assert RuleSet.objects.get(status="active").version == 2
    assert RuleSet.objects.get(version=1).status == "retired"
    run.refresh_from_db()
    assert (run.status, run.households, run.rule_set_version) == ("done", 1, 2)
    light = HouseholdLight.objects.get(household=saved)
    assert (light.color, light.rules, light.rule_set_version) == ("yellow", ["Y_BIG"], 2)
    assert LightChange.objects.filter(household=saved, cause="rule_set_v2").exists()


def test_a_rule_set_that_cannot_run_is_never_activated(db: None) -> None:
    draft = rule_set_draft(actor=None)
    draft.rules.filter(code="R_ILLNESS").update(condition={"fact": "nonsense"})
    with pytest.raises(ApplicationError) as caught:
        rule_set_activate(rule_set=draft, actor=None)
    assert caught.value.problems[0].path.startswith("rules[0].condition")
    assert RuleSet.objects.get(status="active").version == 1
    assert not EvaluationRun.objects.exists()
