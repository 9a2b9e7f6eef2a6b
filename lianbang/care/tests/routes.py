"""Values for the care and policy routes' parameters in the route-access test
(``accounts/tests/test_route_access.py``): one object in the caller's scope, one outside."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from lianbang.accounts.tests.cast import Cast
from lianbang.care.models import ChildCare, FamilyCall, Rating
from lianbang.policies.models import Policy
from lianbang.registry.models import Household

PARAMETERS = frozenset({"call_id", "child_id", "record", "record_id", "rating_id", "policy_id"})
MISSING_ID = 987654321


def route_value(parameter: str, cast: Cast, role: str, inside: bool | None) -> int | str:
    if parameter == "record":
        return "children"
    if inside is None:
        return MISSING_ID
    if parameter == "policy_id":  # the catalogue is global: outside is a policy that does not exist
        return Policy.objects.order_by("pk").first().pk if inside else MISSING_ID  # type: ignore[union-attr]
    household = cast.home if inside else cast.out_household(role)
    if parameter == "call_id":
        return _call(household).pk
    if parameter == "rating_id":
        return _rating(household).pk
    return _child(household).pk


def _call(household: Household) -> FamilyCall:
    worker = household.members.order_by("pk").first()
    call = FamilyCall.objects.filter(household=household).first()
    return call or FamilyCall.objects.create(
        household=household, worker=worker, scheduled_at=timezone.now(), region_code=household.region_code
    )


def _child(household: Household) -> ChildCare:
    care = ChildCare.objects.filter(household=household).first()
    return care or ChildCare.objects.create(
        household=household,
        child=household.members.order_by("-birth_date").first(),
        kind=ChildCare.Kind.LEFT_BEHIND,
        guardian_name="张奶奶",
        guardian_phone="13800000000",
        started_on=date(2026, 1, 1),
        region_code=household.region_code,
    )


def _rating(household: Household) -> Rating:
    rating, _ = Rating.objects.get_or_create(
        household=household,
        year=2025,
        title="five_star",
        defaults={
            "unit": household.unit,
            "proposed_at": timezone.now(),
            "region_code": household.region_code,
        },
    )
    return rating
