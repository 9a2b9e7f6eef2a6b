"""Alerts: from the light (系统预警) set-wise, and from people (自主申报, 网格员排查, 部门筛查预警).

An alert is per household and risk type, and only one is open at a time; a person's repeated
report is kept as a duplicate of the open one. Cases are opened from alerts when the writing
transaction commits (``opening.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction

from lianbang.cases.clock import current
from lianbang.cases.models import Alert
from lianbang.cases.permissions import ACTION_NAMES, ACTION_ROLES, check, subject_of_household
from lianbang.cases.services.audit import audit_alert, audit_alerts_raised
from lianbang.cases.services.timeline import event_add
from lianbang.cases.vocab import LEVEL_RANK, AlertStatus, Channel, EventType, Level, RiskType, higher_level
from lianbang.common.errors import invalid
from lianbang.monitoring.models import HouseholdLight, LightChange, Rule
from lianbang.registry.models import Household
from lianbang.registry.vocab import HouseholdStatus

CHUNK = 2000
BULK_CLOCK_SLACK = timedelta(milliseconds=1)


@dataclass(frozen=True)
class ChangeRow:
    """What an alert needs from a LightChange (or from a current light, for a backfill)."""

    household_id: int
    from_color: str
    to_color: str
    rules: list[str]
    previous_rules: list[str]
    rule_set_version: int
    region_code: str
    at: datetime
    # What changed the light: ``department:<code>_…`` when a department's list did.
    cause: str = ""


@dataclass(frozen=True)
class Candidate:
    household_id: int
    risk_type: str
    level: str
    rules: tuple[str, ...]
    region_code: str
    at: datetime
    channel: str = Channel.SYSTEM


DEPARTMENT_CAUSE = "department:"


def channel_of(cause: str) -> str:
    """A light raised by a department's screening list is 部门筛查预警; any other is 系统预警."""
    return Channel.DEPARTMENT if cause.startswith(DEPARTMENT_CAUSE) else Channel.SYSTEM


RuleInfo = dict[tuple[int, str], tuple[str, str]]


def row_of(change: LightChange) -> ChangeRow:
    return ChangeRow(
        change.household_id,
        change.from_color,
        change.to_color,
        list(change.rules),
        list(change.previous_rules),
        change.rule_set_version,
        change.region_code,
        change.changed_at,
        change.cause,
    )


def newly_fired(row: ChangeRow) -> list[str]:
    """A light that rises raises all its rules; otherwise only the rules that were not firing."""
    if row.to_color == "green":
        return []
    if LEVEL_RANK[row.to_color] > LEVEL_RANK[row.from_color or "green"]:
        return list(row.rules)
    return [code for code in row.rules if code not in row.previous_rules]


def candidates_of(row: ChangeRow, info: RuleInfo) -> list[Candidate]:
    by_risk: dict[str, list[str]] = defaultdict(list)
    for code in newly_fired(row):
        risk_type, _ = info.get((row.rule_set_version, code), ("", "yellow"))
        by_risk[risk_type or RiskType.OTHER.label].append(code)
    return [
        Candidate(
            row.household_id,
            risk,
            _level_of(codes, row.rule_set_version, info),
            tuple(codes),
            row.region_code,
            row.at,
            channel_of(row.cause),
        )
        for risk, codes in by_risk.items()
    ]


def _level_of(codes: list[str], version: int, info: RuleInfo) -> str:
    level = Level.YELLOW.value
    for code in codes:
        level = higher_level(level, info.get((version, code), ("", "yellow"))[1])
    return level


def rule_info(versions: Iterable[int]) -> RuleInfo:
    rows = Rule.objects.filter(rule_set__version__in=set(versions)).values_list(
        "rule_set__version", "code", "risk_type", "color"
    )
    return {(version, code): (risk, color) for version, code, risk, color in rows}


def alerts_from_changes(rows: list[ChangeRow]) -> set[int]:
    """Raise the alerts these light changes call for; the households that got one."""
    info = rule_info({row.rule_set_version for row in rows})
    candidates = [c for row in rows for c in candidates_of(row, info)]
    if not candidates:
        return set()
    held = set(
        Alert.objects.filter(
            status=AlertStatus.OPEN, household_id__in={c.household_id for c in candidates}
        ).values_list("household_id", "risk_type")
    )
    fresh = {
        (c.household_id, c.risk_type): c for c in candidates if (c.household_id, c.risk_type) not in held
    }
    # ignore_conflicts: an alert a concurrent writer raised a moment ago is the same alert.
    Alert.objects.bulk_create([_alert(c) for c in fresh.values()], ignore_conflicts=True)
    audit_alerts_raised((c.household_id, c.risk_type, c.level) for c in fresh.values())
    return {household_id for household_id, _ in fresh}


def _alert(candidate: Candidate) -> Alert:
    return Alert(
        household_id=candidate.household_id,
        risk_type=candidate.risk_type,
        level=candidate.level,
        channel=candidate.channel,
        rules=list(candidate.rules),
        raised_at=candidate.at,
        region_code=candidate.region_code,
    )


def alerts_from_bulk_run(changed_at: datetime, cause: str) -> set[int]:
    """The alerts of one bulk run, chunk by chunk: a few queries per chunk, none per household."""
    raised: set[int] = set()
    for chunk in _chunks(_bulk_rows(changed_at, cause)):
        raised |= alerts_from_changes(chunk)
    return raised


def _bulk_rows(changed_at: datetime, cause: str) -> Iterator[ChangeRow]:
    # A range, not equality: on SQLite the bulk run's raw INSERT stores the time as text with a
    # "+00:00" suffix, which the ORM's equality lookup (text without it) never matches.
    window = (changed_at - BULK_CLOCK_SLACK, changed_at + BULK_CLOCK_SLACK)
    rows = (
        LightChange.objects.filter(changed_at__range=window, cause=cause)
        .exclude(to_color="green")
        .order_by("pk")
    )
    fields = (
        "household_id",
        "from_color",
        "to_color",
        "rules",
        "previous_rules",
        "rule_set_version",
        "region_code",
        "changed_at",
        "cause",
    )
    for values in rows.values_list(*fields).iterator(chunk_size=CHUNK):
        yield ChangeRow(*values)


def _chunks(rows: Iterator[ChangeRow]) -> Iterator[list[ChangeRow]]:
    chunk: list[ChangeRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def alerts_from_lights(*, now: datetime | None = None) -> set[int]:
    """Alerts for every lit household that has none open (a backfill: the cases app arrived after
    the lights were judged, or alerts were closed by hand)."""
    moment = current(now)
    lights = HouseholdLight.objects.exclude(color="green").exclude(household__alerts__status=AlertStatus.OPEN)
    fields = ("household_id", "color", "rules", "rule_set_version", "region_code")
    rows = (
        ChangeRow(hid, "", color, list(rules), [], version, region, moment)
        for hid, color, rules, version, region in lights.values_list(*fields).iterator(chunk_size=CHUNK)
    )
    raised: set[int] = set()
    for chunk in _chunks(rows):
        raised |= alerts_from_changes(chunk)
    return raised


@transaction.atomic
def alert_raise(
    *,
    household: Household,
    risk_type: str,
    level: str,
    channel: str,
    actor: Any,
    note: str = "",
    now: datetime | None = None,
) -> Alert:
    """A person reports a risk (自主申报 on the resident's behalf, 网格员排查, 部门筛查预警).

    Every report is recorded; while one is open for the same risk it is kept as a duplicate."""
    moment = current(now)
    risk_type = _check_report(household, risk_type, level, channel)
    check(actor, subject_of_household(household), ACTION_ROLES["raise_alert"], ACTION_NAMES["raise_alert"])
    open_alert = Alert.objects.filter(
        household=household, risk_type=risk_type, status=AlertStatus.OPEN
    ).first()
    alert = Alert.objects.create(
        household=household,
        risk_type=risk_type,
        level=level,
        channel=channel,
        note=note[:500],
        reported_by=actor,
        raised_at=moment,
        status=AlertStatus.DUPLICATE if open_alert else AlertStatus.OPEN,
        case=open_alert.case if open_alert else None,
        region_code=household.region_code,
    )
    audit_alert(alert, actor)
    _after_report(alert, moment)
    return alert


def _after_report(alert: Alert, now: datetime) -> None:
    if alert.case is not None:
        event_add(alert.case, EventType.ALERT, now, actor=alert.reported_by, payload=_alert_payload(alert))
        return
    if alert.status == AlertStatus.OPEN:
        from lianbang.cases.services.opening import cases_open_pending

        transaction.on_commit(partial(cases_open_pending, household_ids=[alert.household_id]))


def _alert_payload(alert: Alert) -> dict[str, Any]:
    return {
        "alert": alert.pk,
        "channel": alert.channel,
        "risk_type": alert.risk_type,
        "level": alert.level,
        "note": alert.note,
        "duplicate": alert.status == AlertStatus.DUPLICATE,
    }


def _check_report(household: Household, risk_type: str, level: str, channel: str) -> str:
    """The report's risk type as its Chinese label (the key system alerts use too)."""
    if channel not in {Channel.SELF_DECLARED, Channel.GRID_WORKER, Channel.DEPARTMENT}:
        raise invalid(
            "channel",
            channel,
            "发现渠道须为农户自主申报、网格员排查或部门筛查预警",
            "the channel must be self_declared, grid_worker or department",
        )
    if risk_type not in RiskType.values and risk_type not in RiskType.labels:
        raise invalid("risk_type", risk_type, "不是有效的风险类型", "is not a risk type")
    if level not in {Level.RED, Level.YELLOW}:
        raise invalid("level", level, "等级须为红灯或黄灯", "the level must be red or yellow")
    if household.status != HouseholdStatus.ACTIVE:
        raise invalid("household", household.household_no, "该户已不在册", "the household is not active")
    return RiskType(risk_type).label if risk_type in RiskType.values else risk_type
