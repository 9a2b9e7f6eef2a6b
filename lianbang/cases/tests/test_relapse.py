"""A household eliminated less than a year ago that needs help again: a relapse (返贫)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lianbang.cases.figures import case_figures
from lianbang.cases.models import Case
from lianbang.cases.tests.conftest import Cast, Opener, act, family, save, walk_to_tracking


def test_a_household_back_to_red_within_a_year_of_elimination_is_a_relapse(
    cast: Cast, open_case: Opener, django_capture_on_commit_callbacks: object
) -> None:
    document = family(water_safe=False)
    case = walk_to_tracking(open_case(document), cast)
    document["water_safe"] = True
    save(document)
    # The case was opened seven months ago (its steps moved with it), so it may be eliminated today.
    shift = timedelta(days=213)
    Case.objects.filter(pk=case.pk).update(opened_at=case.opened_at - shift)
    act(case, "request_elimination", cast.community)
    act(case, "pass_review", cast.street)
    act(case, "approve_elimination", cast.district)
    assert case_figures(unit=cast.tree.district).relapses == 0

    document["housing_safe"] = False
    relapse = Case.objects.get(pk=_open_again(document, django_capture_on_commit_callbacks).pk)
    assert (relapse.relapse_of_id, relapse.level, relapse.risk_types) == (case.pk, "red", ["housing"])
    assert relapse.events.get(type="opened").payload["relapse_of"] == case.pk
    figures = case_figures(unit=cast.tree.district, now=timezone.now() + timedelta(minutes=1))
    assert (figures.relapses, figures.eliminated_this_month) == (1, 1)


def _open_again(document: dict[str, object], capture: object) -> Case:
    with capture(execute=True):  # type: ignore[operator]
        household = save(document)
    return Case.objects.get(household=household, closed_at__isnull=True)
