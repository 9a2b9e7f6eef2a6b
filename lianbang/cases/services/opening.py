"""Turning pending alerts into cases, set-wise: one open risk case per household.

A household without an open case gets a new one (发现) with its deadlines, assigned to the
grid worker of its micro-grid; a household with one gets the alerts attached (risk types added,
level raised). The light is then held at the case's level (DOMAIN §4). Runs when the
transaction that raised the alerts commits, and again from ``lianbang tick`` for anything left.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from lianbang.cases.clock import current, months_before
from lianbang.cases.conf import workflow_settings
from lianbang.cases.models import Alert, Case, CaseEvent, WorkflowSettings
from lianbang.cases.permissions import ACTION_NAMES, ACTION_ROLES, check, subject_of_household
from lianbang.cases.services.audit import audit_cases_opened
from lianbang.cases.services.notify import Note, notifications_send, officials_at
from lianbang.cases.services.steps import new_steps
from lianbang.cases.services.timeline import event_build
from lianbang.cases.vocab import (
    BOTTOM_LINE_RISK,
    LEVEL_RANK,
    MAX_RISK_TYPES,
    RULE_RISK_TYPES,
    AlertStatus,
    CaseKind,
    EventType,
    Level,
    NotificationKind,
    RiskType,
    higher_level,
)
from lianbang.cases.workflow import RISK
from lianbang.common.bulk_insert import insert_all, update_one_field
from lianbang.common.errors import ApplicationError
from lianbang.monitoring.engine import light_floor_set
from lianbang.monitoring.models import HouseholdLight
from lianbang.registry.models import Household, Member
from lianbang.registry.vocab import HouseholdStatus, MemberStatus, Schooling

CHUNK = 500


@dataclass
class _Batch:
    now: datetime
    config: WorkflowSettings
    alerts: dict[int, list[Alert]]
    households: dict[int, Household]
    bottom_line: dict[int, list[str]] = field(default_factory=dict)


def cases_open_pending(
    *, household_ids: Iterable[int] | None = None, now: datetime | None = None, force: bool = False
) -> int:
    """Open or extend cases for the alerts that have none; returns how many cases were opened.
    With ``auto_open_cases`` off, alerts wait until a person opens their case (``case_open``)."""
    config = workflow_settings()
    if not config.auto_open_cases and not force:
        return 0
    moment = current(now)
    pending = Alert.objects.filter(status=AlertStatus.OPEN, case__isnull=True)
    if household_ids is not None:
        pending = pending.filter(household_id__in=list(household_ids))
    ids = sorted(set(pending.values_list("household_id", flat=True)))
    return sum(_open_chunk(ids[i : i + CHUNK], moment, config) for i in range(0, len(ids), CHUNK))


def _open_chunk(household_ids: list[int], now: datetime, config: WorkflowSettings) -> int:
    try:
        with transaction.atomic():
            return _open_locked(household_ids, now, config)
    except IntegrityError:
        # Another worker opened one of these cases a moment ago; the next tick picks up the rest.
        return 0


def _open_locked(household_ids: list[int], now: datetime, config: WorkflowSettings) -> int:
    batch = _batch(household_ids, now, config)
    if not batch.alerts:
        return 0
    rows = Case.objects.select_for_update(of=("self",)).filter(
        kind=CaseKind.RISK, closed_at__isnull=True, household_id__in=list(batch.alerts)
    )
    open_cases = {c.household_id: c for c in rows if c.household_id is not None}
    _close_for_inactive(batch, now)
    batch.bottom_line = _bottom_line_risks(batch)
    attached = _attach(batch, open_cases)
    opened = _create(batch, [h for h in batch.alerts if h not in open_cases and h in batch.households])
    audit_cases_opened(opened, attached)
    _hold_lights({case.household_id: case.level for case in [*attached, *opened] if case.household_id})
    return len(opened)


def _batch(household_ids: list[int], now: datetime, config: WorkflowSettings) -> _Batch:
    alerts: dict[int, list[Alert]] = defaultdict(list)
    rows = Alert.objects.select_for_update(skip_locked=True).filter(
        status=AlertStatus.OPEN, case__isnull=True, household_id__in=household_ids
    )
    for alert in rows.order_by("raised_at", "pk"):
        alerts[alert.household_id].append(alert)
    households = Household.objects.filter(pk__in=list(alerts)).select_related("grid", "unit")
    return _Batch(now, config, dict(alerts), {h.pk: h for h in households})


def _close_for_inactive(batch: _Batch, now: datetime) -> None:
    """Alerts about households that have left are closed, not turned into cases."""
    gone = [h for h, household in batch.households.items() if household.status != HouseholdStatus.ACTIVE]
    gone += [h for h in batch.alerts if h not in batch.households]
    Alert.objects.filter(household_id__in=gone, status=AlertStatus.OPEN, case__isnull=True).update(
        status=AlertStatus.CLOSED, closed_at=now
    )
    for household_id in gone:
        batch.alerts.pop(household_id, None)
        batch.households.pop(household_id, None)


def _attach(batch: _Batch, open_cases: dict[int, Case]) -> list[Case]:
    """Alerts about a household with an open case join it: risk types added, level raised."""
    cases, events, alerts = [], [], []
    for household_id, case in open_cases.items():
        new = batch.alerts.get(household_id, [])
        risk_types = merged_risk_types(case.risk_types, new, batch.bottom_line.get(household_id, []))
        level = _max_level([case.level, *(a.level for a in new)])
        events += [event_build(case, EventType.ALERT, batch.now, payload=_alert_payload(a)) for a in new]
        if level != case.level:
            events.append(
                event_build(case, EventType.LEVEL, batch.now, payload={"from": case.level, "to": level})
            )
        case.risk_types, case.level, case.version = risk_types, level, case.version + 1
        alerts += _linked(new, case)
        cases.append(case)
    Case.objects.bulk_update(cases, ["risk_types", "level", "version"])
    CaseEvent.objects.bulk_create(events)
    update_one_field(alerts, "case")
    return cases


def _create(batch: _Batch, household_ids: list[int]) -> list[Case]:
    if not household_ids:
        return []
    relapsed = _recently_eliminated(household_ids, batch)
    # COPY on PostgreSQL (``bulk_create`` binds every value through a regular expression).
    cases = [_new_case(batch, h, relapsed.get(h)) for h in household_ids]
    insert_all(cases)
    insert_all([s for c in cases for s in new_steps(batch.config, c, RISK.opening_steps, batch.now)])
    insert_all([e for c in cases for e in _opening_events(c, batch)])
    update_one_field([a for c in cases for a in _linked(batch.alerts[c.household_id or 0], c)], "case")
    notifications_send(_assignment_notes(cases), batch.now)
    return cases


def _new_case(batch: _Batch, household_id: int, relapse_of: Case | None) -> Case:
    household, alerts = batch.households[household_id], batch.alerts[household_id]
    level = _max_level([a.level for a in alerts])
    return Case(
        kind=CaseKind.RISK,
        state=RISK.initial,
        level=level,
        household=household,
        unit=household.unit,
        handling_unit=household.unit,
        assignee_id=household.grid.worker_id if household.grid else None,
        channel=alerts[0].channel,
        title=f"{household.household_no} {Level(level).label}预警",
        summary="；".join(a.note for a in alerts if a.note),
        risk_types=merged_risk_types([], alerts, batch.bottom_line.get(household_id, [])),
        relapse_of=relapse_of,
        opened_at=batch.now,
        region_code=household.region_code,
    )


def _opening_events(case: Case, batch: _Batch) -> list[CaseEvent]:
    alerts = batch.alerts[case.household_id or 0]
    payload: dict[str, Any] = {"alerts": [_alert_payload(a) for a in alerts]}
    if case.relapse_of_id:
        payload["relapse_of"] = case.relapse_of_id
    reporter = alerts[0].reported_by_id
    return [
        event_build(
            case, EventType.OPENED, batch.now, to_state=case.state, payload=payload, actor_id=reporter
        )
    ]


def _linked(alerts: list[Alert], case: Case) -> list[Alert]:
    for alert in alerts:
        alert.case = case
    return alerts


def _alert_payload(alert: Alert) -> dict[str, Any]:
    return {
        "alert": alert.pk,
        "channel": alert.channel,
        "risk_type": alert.risk_type,
        "level": alert.level,
        "rules": alert.rules,
    }


def _max_level(levels: Iterable[str]) -> str:
    level = Level.YELLOW.value
    for other in levels:
        level = higher_level(level, other)
    return level


def _recently_eliminated(household_ids: list[int], batch: _Batch) -> dict[int, Case]:
    """A household eliminated within the observation period that needs a case again: a relapse."""
    since = months_before(batch.now, batch.config.relapse_months)
    earlier = Case.objects.filter(
        kind=CaseKind.RISK, state="eliminated", household_id__in=household_ids, closed_at__gte=since
    ).order_by("closed_at")
    return {case.household_id: case for case in earlier if case.household_id}


def _assignment_notes(cases: list[Case]) -> list[Note]:
    unassigned = officials_at(c.handling_unit_id for c in cases if c.assignee_id is None)
    notes = []
    for case in cases:
        users = [case.assignee_id] if case.assignee_id else unassigned.get(case.handling_unit_id, [])
        notes += [_assigned(user, case) for user in users]
    return notes


def _assigned(user_id: int, case: Case) -> Note:
    return Note(
        user_id,
        NotificationKind.ASSIGNED,
        case,
        f"新预警：{case.title}，请按时入户核实",
        f"new alert: {case.household.household_no if case.household else case.pk} "
        f"({case.level}); visit the household in time",
    )


def merged_risk_types(held: list[str], alerts: list[Alert], bottom_line: list[str]) -> list[str]:
    """DOMAIN §5 risk types, at most five, specific ones first; "other" only when nothing else fits."""
    codes = list(held)
    for alert in alerts:
        codes += _mapped(alert.risk_type, bottom_line)
    unique = list(dict.fromkeys(codes))
    specific = [c for c in unique if c != RiskType.OTHER]
    return (specific or [RiskType.OTHER.value])[:MAX_RISK_TYPES]


def _mapped(label: str, bottom_line: list[str]) -> list[str]:
    if label == BOTTOM_LINE_RISK:
        return bottom_line or [RiskType.OTHER.value]
    return [str(RULE_RISK_TYPES.get(label, RiskType.OTHER))]


def _bottom_line_risks(batch: _Batch) -> dict[int, list[str]]:
    """Which guarantee broke (三保障/饮水): housing, water, a dropout child, a member uninsured."""
    ids = [h for h, alerts in batch.alerts.items() if any(a.risk_type == BOTTOM_LINE_RISK for a in alerts)]
    found: dict[int, list[str]] = {
        h: _household_gaps(batch.households[h]) for h in ids if h in batch.households
    }
    members = Member.objects.filter(household_id__in=ids, status=MemberStatus.ACTIVE)
    for household_id, schooling, insurance in members.values_list(
        "household_id", "schooling", "medical_insurance"
    ):
        gaps = found.setdefault(household_id, [])
        if schooling == Schooling.DROPOUT:
            gaps.append(RiskType.EDUCATION)
        if not insurance:
            gaps.append(RiskType.ILLNESS)
    return found


def _household_gaps(household: Household) -> list[str]:
    gaps = [] if household.housing_safe else [RiskType.HOUSING.value]
    return gaps + ([] if household.water_safe else [RiskType.WATER.value])


def _hold_lights(levels: dict[int, str]) -> None:
    """Hold each light at its case's level. Where the light is already that high, only the floor
    is written (set-wise); otherwise (a person's report on a green household) the household is
    re-judged through monitoring's hook, which raises the light."""
    colors = dict(
        HouseholdLight.objects.filter(household_id__in=list(levels)).values_list("household_id", "color")
    )
    direct: dict[str, list[int]] = defaultdict(list)
    for household_id, level in levels.items():
        if LEVEL_RANK[colors.get(household_id, "green")] >= LEVEL_RANK[level]:
            direct[level].append(household_id)
        else:
            light_floor_set(household_id=household_id, color=level, cause="case_opened")
    for level, ids in direct.items():
        HouseholdLight.objects.filter(household_id__in=ids).update(floor_color=level)


def case_open(*, household: Household, actor: Any, now: datetime | None = None) -> Case:
    """A person opens the case for a household's pending alerts (when cases are not opened
    automatically)."""
    check(actor, subject_of_household(household), ACTION_ROLES["visit"], ACTION_NAMES["open_matter"])
    cases_open_pending(household_ids=[household.pk], now=now, force=True)
    found = Case.objects.filter(kind=CaseKind.RISK, household=household, closed_at__isnull=True).first()
    if found is None:
        raise ApplicationError(
            "no_alert", "该户没有待处理的预警", "the household has no pending alert", status=409
        )
    return found
