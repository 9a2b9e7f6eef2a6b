"""摸底数: every labour member in a campaign, reached one by one, confirmed unit by unit.

The closed loop runs bottom-up through five levels (DOMAIN §6): 小组 (楼层党小组) → 楼栋长
(楼栋党支部) → 片区长 (片区) → 社区 → 街道. A unit confirms only when everyone under it was
reached and every unit below it that has people confirmed; the campaign is closed when its
top unit (or, for a district campaign, every street) has confirmed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction

from lianbang.common.errors import ApplicationError, invalid
from lianbang.employment.labour import labour_members
from lianbang.employment.models import SurveyCampaign, SurveyConfirmation, SurveyEntry
from lianbang.employment.services.common import audit, one_code, required_text
from lianbang.employment.vocab import REACHED_STATUSES, SurveyStatus
from lianbang.org.models import Unit, path_prefix_q

#: The five levels of the loop, top down: 街道, 社区, 片区长, 楼栋长, 小组 (unit levels).
LOOP_LEVELS = (
    Unit.Level.STREET,
    Unit.Level.COMMUNITY,
    Unit.Level.AREA,
    Unit.Level.BRANCH,
    Unit.Level.FLOOR_GROUP,
)


@transaction.atomic
def survey_start(*, actor: Any, unit: Unit, name: str, as_of: date) -> SurveyCampaign:
    """A campaign over ``unit``: one entry per labour member on ``as_of`` (DOMAIN §4)."""
    campaign = SurveyCampaign.objects.create(
        name=required_text("name", name, "批次名称", 100), unit=unit, as_of=as_of, created_by=actor
    )
    rows = labour_members(unit, as_of).values_list(
        "pk", "household_id", "household__unit_id", "household__unit__path"
    )
    SurveyEntry.objects.bulk_create(
        (
            SurveyEntry(campaign=campaign, member_id=m, household_id=h, unit_id=u, unit_path=p)
            for m, h, u, p in rows.iterator(chunk_size=2000)
        ),
        batch_size=2000,
    )
    audit(
        actor,
        "survey_start",
        campaign,
        {"unit": unit.pk, "as_of": as_of, "entries": campaign.entries.count()},
    )
    return campaign


@transaction.atomic
def survey_reach(
    *, actor: Any, entry: SurveyEntry, status: str, note: str = "", now: datetime
) -> SurveyEntry:
    """What the survey found for one person (已就业 / 有就业意愿 / 暂无意愿 / 联系不上)."""
    entry = SurveyEntry.objects.select_for_update().select_related("campaign").get(pk=entry.pk)
    code = one_code("status", status, SurveyStatus, "摸底结果")
    if code == SurveyStatus.PENDING:
        raise invalid("status", status, "请填写摸底结果", "give the survey result")
    _refuse_if_confirmed(entry)
    old = entry.status
    entry.status, entry.note, entry.reached_by, entry.reached_at = code, note[:300], actor, now
    entry.save(update_fields=["status", "note", "reached_by", "reached_at"])
    audit(actor, "survey_reach", entry, {"status": [old, code]})
    return entry


def _refuse_if_confirmed(entry: SurveyEntry) -> None:
    ancestors = [int(pk) for pk in entry.unit_path.strip("/").split("/")]
    if entry.campaign.closed_at or entry.campaign.confirmations.filter(unit_id__in=ancestors).exists():
        raise ApplicationError(
            "confirmed",
            "该单位已确认摸底完成，不能再修改",
            "the unit already confirmed this survey",
            status=409,
        )


@transaction.atomic
def survey_confirm(*, actor: Any, campaign: SurveyCampaign, unit: Unit, now: datetime) -> SurveyConfirmation:
    """One level of the closed loop signs off its unit."""
    campaign = SurveyCampaign.objects.select_for_update().get(pk=campaign.pk)
    _check_confirmable(campaign, unit)
    entries = SurveyEntry.objects.filter(path_prefix_q(unit.path, "unit_path"), campaign=campaign)
    confirmation = SurveyConfirmation.objects.create(
        campaign=campaign, unit=unit, labour=entries.count(), confirmed_by=actor, confirmed_at=now
    )
    if _loop_closed(campaign):
        campaign.closed_at = now
        campaign.save(update_fields=["closed_at"])
    audit(actor, "survey_confirm", confirmation, {"campaign": campaign.pk, "unit": unit.pk})
    return confirmation


def _check_confirmable(campaign: SurveyCampaign, unit: Unit) -> None:
    if unit.level not in LOOP_LEVELS or not unit.path.startswith(campaign.unit.path):
        raise invalid(
            "unit", unit.pk, "该单位不在本次摸底的闭环层级内", "the unit is not a level of this survey's loop"
        )
    if campaign.confirmations.filter(unit=unit).exists():
        raise ApplicationError("confirmed", "该单位已确认", "the unit already confirmed", status=409)
    entries = SurveyEntry.objects.filter(path_prefix_q(unit.path, "unit_path"), campaign=campaign)
    missing = entries.exclude(status__in=REACHED_STATUSES).count()
    if missing:
        raise invalid(
            "unit", unit.pk, f"尚有{missing}名劳动力未摸到，不能确认", f"{missing} people are not reached yet"
        )
    waiting = [
        c.name
        for c in _children_with_people(campaign, unit)
        if not campaign.confirmations.filter(unit=c).exists()
    ]
    if waiting:
        raise invalid(
            "unit",
            unit.pk,
            f"下级单位尚未确认：{'、'.join(waiting[:5])}",
            f"{len(waiting)} units below have not confirmed",
        )


def _children_with_people(campaign: SurveyCampaign, unit: Unit) -> list[Unit]:
    paths = set(
        SurveyEntry.objects.filter(path_prefix_q(unit.path, "unit_path"), campaign=campaign)
        .values_list("unit_path", flat=True)
        .distinct()
    )
    return [c for c in unit.children.order_by("name") if any(p.startswith(c.path) for p in paths)]


def _loop_closed(campaign: SurveyCampaign) -> bool:
    top = campaign.unit
    if top.level in LOOP_LEVELS:
        return campaign.confirmations.filter(unit=top).exists()
    streets = _children_with_people(campaign, top)
    return bool(streets) and campaign.confirmations.filter(unit__in=streets).count() == len(streets)
