"""Manual labels set and cleared from the household file (who and when, audited) and the label
taxonomy edited by a configuration administrator (name, description, a computed label's
condition validated with the path of each problem)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from lianbang.accounts.models import Role
from lianbang.accounts.tests.cast import Cast, logged_in
from lianbang.accounts.tests.cast import cast as cast  # the fixture, re-exported
from lianbang.accounts.tests.cast import fast_passwords as fast_passwords
from lianbang.audit.models import AuditEntry
from lianbang.monitoring.labels import household_label_set
from lianbang.monitoring.models import EvaluationRun, HouseholdLabel, Label
from lianbang.monitoring.selectors import active_rule_set


def _put(client: Client, code: str, body: dict[str, Any]) -> Any:
    return client.put("/api/v1/admin/labels", {"code": code, **body}, content_type="application/json")


def test_an_official_sets_a_manual_label_and_sees_who_set_it(cast: Cast) -> None:
    official = cast.user(Role.COMMUNITY_OFFICIAL)
    client = logged_in(official)
    base = f"/api/v1/households/{cast.home.pk}/labels"

    response = client.post(f"{base}/left_behind_child")
    held = [row for row in client.get(base).json() if row["code"] == "left_behind_child"]

    assert response.status_code == 201 and response.json()["set_by"] == official.full_name
    assert held and held[0]["set_by"] == official.full_name and held[0]["set_at"]
    assert AuditEntry.objects.filter(action="label_set", object_id=str(cast.home.pk)).count() == 1

    cleared = client.delete(f"{base}/left_behind_child")

    assert cleared.status_code == 204
    assert not HouseholdLabel.objects.filter(household=cast.home, label__code="left_behind_child").exists()
    assert AuditEntry.objects.filter(action="label_clear").count() == 1


def test_only_a_change_of_a_manual_label_is_audited_whoever_calls(cast: Cast) -> None:
    official = cast.user(Role.COMMUNITY_OFFICIAL)
    client = logged_in(official)
    base = f"/api/v1/households/{cast.home.pk}/labels"

    first, again = client.post(f"{base}/left_behind_child"), client.post(f"{base}/left_behind_child")
    cleared, absent = client.delete(f"{base}/left_behind_child"), client.delete(f"{base}/left_behind_child")
    # The service itself audits: a caller other than the API is in the log too.
    household_label_set(
        household=cast.home, label=Label.objects.get(code="left_behind_child"), actor=official
    )

    assert [r.status_code for r in (first, again, cleared, absent)] == [201, 201, 204, 204]
    actions = list(
        AuditEntry.objects.filter(action__startswith="label_", object_id=str(cast.home.pk))
        .order_by("pk")
        .values_list("action", "changes")
    )
    assert actions == [
        ("label_set", {"label": [None, "left_behind_child"]}),
        ("label_clear", {"label": ["left_behind_child", None]}),
        ("label_set", {"label": [None, "left_behind_child"]}),
    ]


def test_a_computed_label_cannot_be_set_by_hand(cast: Cast) -> None:
    client = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))

    response = client.post(f"/api/v1/households/{cast.home.pk}/labels/lifted_out")

    assert response.status_code == 400 and "label" in response.json()["fields"]
    assert not AuditEntry.objects.filter(action="label_set").exists()


def test_a_label_is_renamed_and_its_condition_changed_with_audit(cast: Cast) -> None:
    client = logged_in(cast.user(Role.SYSTEM_ADMIN))
    condition = {"fact": "water_safe", "op": "=", "value": False}

    response = _put(
        client, "lifted_out", {"name": "脱贫户（改）", "description": "新说明", "condition": condition}
    )

    assert response.status_code == 200, response.content
    label = Label.objects.get(code="lifted_out")
    assert (label.name, label.description, label.condition) == ("脱贫户（改）", "新说明", condition)
    entry = AuditEntry.objects.get(action="label_update")
    assert entry.changes["condition"][1] == condition


def test_a_new_condition_queues_a_full_re_judgement_and_a_new_name_does_not(cast: Cast) -> None:
    client = logged_in(cast.user(Role.SYSTEM_ADMIN))

    renamed = _put(client, "lifted_out", {"name": "脱贫户（改）"})
    queued_after_rename = EvaluationRun.objects.filter(cause="label_update").count()
    changed = _put(client, "lifted_out", {"condition": {"fact": "water_safe", "op": "=", "value": False}})

    assert renamed.status_code == 200 and changed.status_code == 200, changed.content
    assert queued_after_rename == 0
    run, active = EvaluationRun.objects.get(cause="label_update"), active_rule_set()
    assert active is not None
    assert run.status == EvaluationRun.Status.QUEUED and run.rule_set_version == active.version


def test_a_bad_condition_names_each_problem_by_its_path_and_changes_nothing(cast: Cast) -> None:
    client = logged_in(cast.user(Role.SYSTEM_ADMIN))
    bad = {
        "all": [
            {"fact": "water_safe", "op": "=", "value": False},
            {"fact": "no_such_fact", "op": "=", "value": 1},
        ]
    }

    response = _put(client, "lifted_out", {"condition": bad, "name": ""})

    assert response.status_code == 400
    fields = response.json()["fields"]
    assert "condition.all[1].fact" in fields and "name" in fields
    assert Label.objects.get(code="lifted_out").name == "脱贫户"
    assert not AuditEntry.objects.filter(action="label_update").exists()


def test_only_configuration_administrators_edit_labels(cast: Cast) -> None:
    response = _put(logged_in(cast.user(Role.DISTRICT_ADMIN)), "lifted_out", {"name": "x"})

    assert response.status_code == 403
    assert Label.objects.get(code="lifted_out").name == "脱贫户"
