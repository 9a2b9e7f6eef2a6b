"""Alerts: from the light (incremental and bulk) and from the discovery channels."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from lianbang.cases.conf import workflow_settings
from lianbang.cases.models import Alert, Case, CaseEvent
from lianbang.cases.services.alerts import alert_raise
from lianbang.cases.services.opening import case_open
from lianbang.cases.tests.conftest import Cast, Opener, family, save
from lianbang.common.errors import ApplicationError
from lianbang.monitoring.bulk import households_evaluate_all
from lianbang.monitoring.models import HouseholdLight
from lianbang.monitoring.tests.builders import D, income


def test_a_light_that_turns_red_raises_an_alert_per_risk_type(cast: Cast, open_case: Opener) -> None:
    case = open_case(family(water_safe=False, incomes=[income(2025, 60000), income(2026, 24000)]))
    alerts = {a.risk_type: (a.level, a.rules, a.channel) for a in Alert.objects.filter(case=case)}
    assert alerts == {
        "三保障/饮水": ("red", ["R_BOTTOM_LINE"], "system"),
        "收入低于监测线": ("red", ["R_BELOW_LINE"], "system"),
        "收入骤减": ("yellow", ["Y_INCOME_DROP"], "system"),
    }
    assert case.risk_types == ["water"]  # an income rule alone names no cause: the visit does


def test_no_second_alert_is_raised_while_one_is_open(cast: Cast, open_case: Opener) -> None:
    document = family(water_safe=False)
    case = open_case(document)
    document["members"][0]["health"] = "长期慢性病"  # changes nothing the rules look at
    document["housing_safe"] = False  # same rule (R_BOTTOM_LINE) keeps firing
    save(document)
    assert Alert.objects.filter(household=case.household).count() == 1


def test_a_new_rule_at_the_same_level_raises_an_alert_that_joins_the_open_case(
    cast: Cast, open_case: Opener, django_capture_on_commit_callbacks: Any
) -> None:
    document = family(water_safe=False)
    case = open_case(document)
    document["events"] = [
        {
            "type": "accident",
            "id_number": document["members"][0]["id_number"],
            "date": "2026-11-20",
            "severity": "serious",
        }
    ]
    with django_capture_on_commit_callbacks(execute=True):
        save(document)
    case.refresh_from_db()
    assert Alert.objects.get(household=case.household, risk_type="因意外事故").case == case
    assert case.risk_types == ["water", "accident"]
    assert case.events.filter(type="alert").count() == 1
    assert Case.objects.filter(household=case.household).count() == 1


def test_a_yellow_case_rises_to_red_with_a_red_alert(
    cast: Cast, open_case: Opener, django_capture_on_commit_callbacks: Any
) -> None:
    document = family()
    for person in document["members"]:
        person.pop("employment", None)
    case = open_case(document)
    assert case.level == "yellow"
    document["water_safe"] = False
    with django_capture_on_commit_callbacks(execute=True):
        save(document)
    case.refresh_from_db()
    assert (case.level, case.risk_types) == ("red", ["employment", "water"])
    assert case.events.get(type="level").payload == {"from": "yellow", "to": "red"}
    assert HouseholdLight.objects.get(household=case.household).floor_color == "red"


def test_a_bulk_run_raises_alerts_set_wise_and_opens_the_cases_when_it_commits(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    red = family(water_safe=False)
    yellow = family(
        household_no="530113-900002", address={"building": "7", "unit": "1", "floor": 2, "room": "202"}
    )
    for person in yellow["members"]:
        person.pop("employment", None)
    for document in (
        red,
        yellow,
        family(
            household_no="530113-900003", address={"building": "7", "unit": "1", "floor": 2, "room": "203"}
        ),
    ):
        save(document)
    Alert.objects.all().delete()  # as if judged for the first time
    HouseholdLight.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        households_evaluate_all(as_of=D, cause="nightly")
    levels = dict(Case.objects.values_list("household__household_no", "level"))
    assert levels == {"530113-900001": "red", "530113-900002": "yellow"}
    assert Alert.objects.filter(case__isnull=True).count() == 0
    floors = dict(HouseholdLight.objects.values_list("household__household_no", "floor_color"))
    assert floors == {"530113-900001": "red", "530113-900002": "yellow", "530113-900003": "green"}


@pytest.mark.parametrize("channel", ["self_declared", "grid_worker", "department"])
def test_a_persons_report_opens_a_case_and_raises_a_green_light_to_its_level(
    cast: Cast, django_capture_on_commit_callbacks: Any, channel: str
) -> None:
    household = save(family())
    with django_capture_on_commit_callbacks(execute=True):
        alert = alert_raise(
            household=household,
            risk_type="因病",
            level="yellow",
            channel=channel,
            actor=cast.grid_worker,
            note="户主确诊慢性肾病，需长期透析",
        )
    case = Case.objects.get(household=household)
    alert.refresh_from_db()
    assert (alert.case, case.channel, case.risk_types, case.summary) == (
        case,
        channel,
        ["illness"],
        "户主确诊慢性肾病，需长期透析",
    )
    light = HouseholdLight.objects.get(household=household)
    assert (light.color, light.floor_color) == ("yellow", "yellow")


def test_a_repeated_report_is_kept_as_a_duplicate_on_the_cases_timeline(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    household = save(family())
    with django_capture_on_commit_callbacks(execute=True):
        alert_raise(
            household=household,
            risk_type="illness",
            level="yellow",
            channel="grid_worker",
            actor=cast.grid_worker,
        )
    again = alert_raise(
        household=household,
        risk_type="因病",
        level="yellow",
        channel="self_declared",
        actor=cast.grid_worker,
        note="本人电话申报",
    )
    case = Case.objects.get(household=household)
    assert (again.status, again.case) == ("duplicate", case)
    assert CaseEvent.objects.get(case=case, type="alert").payload["duplicate"] is True


def test_a_report_with_a_bad_risk_type_or_channel_is_refused(cast: Cast) -> None:
    household = save(family())
    with pytest.raises(ApplicationError) as caught:
        alert_raise(
            household=household,
            risk_type="运气差",
            level="yellow",
            channel="grid_worker",
            actor=cast.grid_worker,
        )
    assert caught.value.problems[0].path == "risk_type"
    with pytest.raises(ApplicationError) as caught:
        alert_raise(household=household, risk_type="因病", level="yellow", channel="system", actor=None)
    assert caught.value.problems[0].path == "channel"
    assert not Alert.objects.exists()


def test_a_department_user_outside_the_unit_cannot_report(cast: Cast) -> None:
    household = save(family())
    with pytest.raises(ApplicationError) as caught:
        alert_raise(
            household=household, risk_type="因病", level="red", channel="department", actor=cast.outsider
        )
    assert caught.value.status == 404
    assert date.today() and not Alert.objects.exists()


def test_with_automatic_opening_off_an_alert_waits_for_a_person_to_open_its_case(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    config = workflow_settings()
    config.auto_open_cases = False
    config.save()
    with django_capture_on_commit_callbacks(execute=True):
        household = save(family(water_safe=False))
    assert Alert.objects.get(household=household).case is None and not Case.objects.exists()
    case = case_open(household=household, actor=cast.community)
    assert (case.state, case.level, Alert.objects.get(household=household).case) == (
        "discovered",
        "red",
        case,
    )
