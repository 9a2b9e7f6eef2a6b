"""Demo cases (演示数据) on a generated, judged district: every state, realistic backdated timelines.

The cases the lights opened are given an opening date in the past and walked forward through
the real services with the injectable clock (``now=``), by the people whose role and unit may
take each step. Green households get earlier cases from the discovery channels, most of them
eliminated months ago, one of them relapsed. Resident requests, disputes and enterprise issues
are added in each of their states. Running it again changes nothing.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from lianbang.accounts.models import Assignment, Role, User
from lianbang.cases.clock import current, local_day
from lianbang.cases.conf import workflow_settings
from lianbang.cases.models import Alert, Case, CaseEvent, CaseStep, Notification
from lianbang.cases.permissions import roles_for
from lianbang.cases.services.alerts import alert_raise, alerts_from_lights
from lianbang.cases.services.deadlines import cases_tick
from lianbang.cases.services.guards import labour_members
from lianbang.cases.services.matters import dispute_register, enterprise_issue_register, request_register
from lianbang.cases.services.opening import cases_open_pending
from lianbang.cases.services.records import case_add_measure, case_record_visit, dispute_record_mediation
from lianbang.cases.services.steps import due_at
from lianbang.cases.services.transitions import case_transition
from lianbang.cases.vocab import CaseKind, EventType, Level, MeasureType, RiskType
from lianbang.common.errors import ApplicationError
from lianbang.common.validators import credit_code_check_char
from lianbang.monitoring.engine import household_evaluate
from lianbang.monitoring.models import HouseholdLight
from lianbang.org.models import Unit
from lianbang.registry.models import Household

H = timedelta(hours=1)
D = timedelta(days=1)

# How far along the cases the lights opened are, with their weight and the age range (days).
LIT_SCENARIOS: list[tuple[str, float, tuple[float, float]]] = [
    ("fresh", 8, (0.05, 0.6)),
    ("overdue", 5, (1.2, 1.9)),
    ("overdue_twice", 3, (2.2, 2.8)),
    ("verifying", 10, (1.0, 4.0)),
    ("identification", 20, (4.0, 13.0)),
    ("assistance", 24, (16.0, 45.0)),
    ("tracking", 28, (50.0, 170.0)),
    ("not_identified", 2, (5.0, 30.0)),
]
# Earlier cases of households that are green now: (scenario, share of them, age range in days).
GREEN_SCENARIOS: list[tuple[str, float, tuple[float, float]]] = [
    ("eliminated", 55, (215.0, 330.0)),
    ("review", 10, (200.0, 215.0)),
    ("elimination_requested", 10, (195.0, 210.0)),
    ("not_identified", 20, (8.0, 60.0)),
    ("relapse", 5, (300.0, 340.0)),
]
MEASURE_FOR_RISK = {
    RiskType.WATER: MeasureType.WATER,
    RiskType.HOUSING: MeasureType.HOUSING,
    RiskType.ILLNESS: MeasureType.HEALTH,
    RiskType.DISABILITY: MeasureType.HEALTH,
    RiskType.EDUCATION: MeasureType.COMPULSORY_EDUCATION,
    RiskType.EMPLOYMENT: MeasureType.EMPLOYMENT,
}
DEVELOPMENTAL = [
    MeasureType.EMPLOYMENT,
    MeasureType.PUBLIC_WELFARE_JOB,
    MeasureType.INDUSTRY,
    MeasureType.FINANCE,
]


@dataclass
class DemoReport:
    already: bool = False
    states: Counter[str] = field(default_factory=Counter)
    refused: int = 0

    def summary(self) -> str:
        if self.already:
            return "演示事项已存在，未改动 (demo cases exist; nothing changed)."
        parts = "，".join(f"{state} {n}" for state, n in sorted(self.states.items()))
        return f"演示事项 (demo cases): {parts}; 条件不满足未推进 (refused) {self.refused}"


def demo_cases_shape(*, seed: int = 20261129, now: datetime | None = None) -> DemoReport:
    """Shape the demo district's cases once (idempotent: a second run finds the marker)."""
    if CaseEvent.objects.filter(type=EventType.OPENED, payload__demo=True).exists():
        return DemoReport(already=True)
    moment = current(now)
    alerts_from_lights(now=moment)
    cases_open_pending(now=moment)
    shaper = _Shaper(random.Random(seed), moment)
    with transaction.atomic():  # one commit for the whole demo: all of it or none
        shaper.lit_cases()
        shaper.green_cases()
        shaper.other_matters()
        shaper.finish()
    return shaper.report


class _Staff:
    """Who takes a step: the nearest holder of an allowed role above the case, or its grid worker."""

    def __init__(self) -> None:
        self.by_unit: dict[int, list[tuple[str, User]]] = defaultdict(list)
        for assignment in Assignment.objects.select_related("user").order_by("pk"):
            self.by_unit[assignment.unit_id].append((assignment.role, assignment.user))

    def actor(self, case: Case, action: str) -> User | None:
        roles = roles_for(case, action)
        if Role.GRID_WORKER in roles and case.assignee is not None:
            return case.assignee
        for unit_id in reversed(case.unit.ancestor_ids()):
            for role, user in self.by_unit.get(unit_id, []):
                if role in roles and role != Role.GRID_WORKER:
                    return user
        return None

    def official(self, unit: Unit, role: str) -> User | None:
        for unit_id in reversed(unit.ancestor_ids()):
            for held, user in self.by_unit.get(unit_id, []):
                if held == role:
                    return user
        return None


class _Shaper:
    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng, self.now = rng, now
        self.staff = _Staff()
        self.config = workflow_settings()
        self.report = DemoReport()
        self.touched: set[int] = set()
        self.last: dict[int, datetime] = {}

    # — the cases the lights opened —

    def lit_cases(self) -> None:
        cases = Case.objects.filter(kind=CaseKind.RISK, state="discovered", closed_at__isnull=True)
        plan = []
        for case in cases.select_related("unit", "household", "assignee").order_by("pk"):
            scenario, ages = self._pick(LIT_SCENARIOS)
            plan.append((case, scenario, self.now - self._days(ages)))
        _rebase({case: opened for case, _, opened in plan}, self.config)
        for case, scenario, opened in plan:
            self._walk_lit(case, scenario, opened)

    def _walk_lit(self, case: Case, scenario: str, opened: datetime) -> None:
        stops = {"fresh": 0, "overdue": 0, "overdue_twice": 0, "verifying": 1, "identification": 2}
        if scenario == "not_identified":
            self._visit(case, opened + self._hours(3, 40))
            self._act(
                case,
                "not_identified",
                self._after(case, 4, 30),
                reason="入户核实：收入来源登记不全，已补录，不存在返贫风险",
            )
        else:
            self._risk_path(case, opened, stops.get(scenario, 99 if scenario == "tracking" else 3))
        self._count(case)

    def _risk_path(self, case: Case, opened: datetime, stop: int, until: datetime | None = None) -> None:
        """Visit (1), identification (2: partway, 3: through), help and track (99)."""
        if stop < 1:
            return
        self._visit(case, opened + self._visit_delay(case))
        if case.level == Level.RED:
            self._measure(case, self._after(case, 4, 30), self._relief(case))
        if stop < 2:
            return
        self._identify(case, levels=self.rng.randint(0, 3) if stop == 2 else 4)
        if stop < 3 or case.state != "assistance":
            return
        self._measure(case, self._after(case, 24, 120), self._developmental(case))
        if stop >= 99:
            self._act(case, "start_tracking", self._after(case, 48, 170))
            self._follow_ups(case, until or self.now - 2 * D)

    def _identify(self, case: Case, levels: int) -> None:
        if not self._act(case, "submit", self._after(case, 10, 40)):
            return
        gaps = [(24, 70), (5 * 24 + 2, 6 * 24 + 20), (20, 70), (20, 50)]
        for low, high in gaps[: min(levels, len(case.approval_levels))]:
            if not self._act(case, "approve", self._after(case, low, high)):
                return

    def _follow_ups(self, case: Case, until: datetime) -> None:
        """Monthly follow-up visits until ``until``."""
        while self._visit_before(case, self._after(case, 24 * 24, 34 * 24), until):
            pass

    # — earlier cases of households that are green now —

    def green_cases(self) -> None:
        with_open_case = Case.objects.filter(closed_at__isnull=True, household__isnull=False).values(
            "household_id"
        )
        green = HouseholdLight.objects.filter(color="green").exclude(household_id__in=with_open_case)
        ids = list(green.order_by("household_id").values_list("household_id", flat=True))
        chosen = sorted(self.rng.sample(ids, min(len(ids), max(12, len(ids) // 40))))
        households = Household.objects.select_related("unit", "grid__worker").in_bulk(chosen)
        for household_id in chosen:
            scenario, ages = self._pick(GREEN_SCENARIOS)
            self._green_case(households[household_id], scenario, self.now - self._days(ages))

    def _green_case(self, household: Household, scenario: str, opened: datetime) -> None:
        case = self._report_risk(household, opened, RiskType.EMPLOYMENT, "家中主要劳动力失业，收入下降")
        if case is None:
            return
        self.touched.add(household.pk)
        if scenario == "not_identified":
            self._visit(case, opened + self._hours(6, 50))
            self._act(
                case, "not_identified", self._after(case, 6, 48), reason="核实已在园区企业重新就业，收入稳定"
            )
        else:
            self._to_elimination(case, opened, scenario)
        self._count(case)
        if scenario == "relapse" and case.state == "eliminated":
            again = self._report_risk(
                household,
                self.now - self._hours(2, 30),
                RiskType.ILLNESS,
                "部门筛查：医保合规自付支出大幅增加",
            )
            if again is not None:
                self._count(again)

    def _to_elimination(self, case: Case, opened: datetime, scenario: str) -> None:
        """Help and track for six months and a little more, then ask for elimination."""
        stable = opened + timedelta(days=186 + self.rng.uniform(0, 10))
        self._risk_path(case, opened, 99, until=stable)
        if case.state != "tracking":
            return
        request_at = max(stable, self._after(case, 24, 72))
        if not self._act(case, "request_elimination", request_at):
            return
        if scenario == "elimination_requested":
            return
        self._act(case, "pass_review", self._after(case, 24, 100))
        if scenario != "review":
            self._act(case, "approve_elimination", self._after(case, 24, 120))

    def _report_risk(self, household: Household, at: datetime, risk: str, note: str) -> Case | None:
        channel = self.rng.choice(["grid_worker", "department", "self_declared"])
        reporter = household.grid.worker if household.grid else None
        with transaction.atomic():
            alert_raise(
                household=household,
                risk_type=risk,
                level=Level.YELLOW,
                channel=channel,
                actor=reporter,
                note=note,
                now=at,
            )
            cases_open_pending(household_ids=[household.pk], now=at)
        alert = Alert.objects.filter(household=household, channel=channel).order_by("-pk").first()
        if alert is None or alert.case_id is None:
            return None
        _mark_demo(alert.case_id)
        return Case.objects.select_related("unit", "household", "assignee").get(pk=alert.case_id)

    # — other matters —

    def other_matters(self) -> None:
        every = list(Household.objects.order_by("pk").values_list("pk", flat=True))
        ids = every[:: max(1, len(every) // 24)][:24]
        found = Household.objects.select_related("unit", "grid__worker").in_bulk(ids)
        households = [found[pk] for pk in ids]
        streets = list(Unit.objects.filter(level=Unit.Level.STREET).order_by("path"))
        for index, household in enumerate(households):
            self._request(household, index)
            if index % 2 == 0:
                self._dispute(household, index // 2)
        for index in range(max(4, len(streets) * 4) if streets else 0):
            self._enterprise(streets[index % len(streets)], index)

    def _request(self, household: Household, index: int) -> None:
        plan = REQUEST_PLANS[index % len(REQUEST_PLANS)]
        opened = self.now - (self._hours(10, 24 * 5) if not plan else self._days((10, 25)))
        actor = household.grid.worker if household.grid else None
        case = request_register(
            actor=actor,
            household=household,
            requester_name="户主",
            content=REQUESTS[index % len(REQUESTS)],
            now=opened,
        )
        _mark_demo(case)
        self._matter_path(case, plan)
        self._count(case)

    def _dispute(self, household: Household, index: int) -> None:
        plan = DISPUTE_PLANS[index % len(DISPUTE_PLANS)]
        opened = self.now - (self._hours(10, 24 * 5) if not plan else self._days((12, 40)))
        actor = self.staff.official(household.unit, Role.COMMUNITY_OFFICIAL)
        case = dispute_register(
            actor=actor,
            household=household,
            category=DISPUTES[index % len(DISPUTES)],
            parties=[{"name": "住户甲", "side": "申请人"}, {"name": "住户乙", "side": "被申请人"}],
            summary="邻里之间因琐事发生争执，请求调解",
            now=opened,
        )
        _mark_demo(case)
        self._matter_path(case, plan[:1])
        if len(plan) > 1:
            at = self._after(case, 24, 24 * 4)
            if at < self.now:
                dispute_record_mediation(
                    case_id=case.pk,
                    actor=actor,
                    expected_version=None,
                    mediator="人民调解员",
                    summary="双方到场陈述，调解员释法说理",
                    now=at,
                )
                self.last[case.pk] = at
                self._matter_path(case, plan[1:])
        self._count(case)

    def _enterprise(self, street: Unit, index: int) -> None:
        plan = ENTERPRISE_PLANS[index % len(ENTERPRISE_PLANS)]
        meeting = local_day(self.now) - timedelta(days=(7 * (index // 2 + 1) + 2) if plan else 2)
        code17 = f"9153011{index:02d}MA6K0X{index % 10}Y"[:17]
        opened = timezone.make_aware(datetime.combine(meeting, datetime.min.time())) + 15 * H
        case = enterprise_issue_register(
            actor=self.staff.official(street, Role.STREET_OFFICIAL),
            unit=street,
            enterprise_name=ENTERPRISES[index % len(ENTERPRISES)],
            credit_code=code17 + credit_code_check_char(code17),
            meeting_date=meeting,
            issue=ENTERPRISE_ISSUES[index % len(ENTERPRISE_ISSUES)],
            team=TEAMS[index % len(TEAMS)],
            deadline=meeting + timedelta(days=14),
            now=opened,
        )
        _mark_demo(case)
        self._matter_path(case, plan)
        self._count(case)

    def _matter_path(
        self, case: Case, plan: Sequence[tuple[str, tuple[float, float], dict[str, str]]]
    ) -> None:
        for action, (low, high), data in plan:
            if not self._act(case, action, self._after(case, low, high), **data):
                return

    # — steps, through the real services —

    def _act(self, case: Case, action: str, at: datetime, **data: str) -> bool:
        if at >= self.now:
            return False
        try:
            fresh = case_transition(
                case_id=case.pk,
                action=action,
                actor=self.staff.actor(case, action),
                expected_version=None,
                data=data,
                now=at,
            )
        except ApplicationError:
            self.report.refused += 1
            return False
        self._moved(case, fresh, at)
        return True

    def _visit(self, case: Case, at: datetime) -> None:
        if at < self.now:
            fresh = case_record_visit(
                case_id=case.pk,
                actor=self.staff.actor(case, "visit"),
                expected_version=None,
                findings=self.rng.choice(FINDINGS),
                now=at,
            )
            self._moved(case, fresh, at)

    def _visit_before(self, case: Case, at: datetime, until: datetime) -> bool:
        if at >= until:
            return False
        self._visit(case, at)
        return True

    def _measure(self, case: Case, at: datetime, kind: str) -> None:
        if at >= self.now:
            return
        try:
            case_add_measure(
                case_id=case.pk,
                actor=self.staff.actor(case, "add_measure"),
                expected_version=None,
                type=kind,
                start_date=local_day(at),
                amount=self.rng.choice(["", "800", "1500", "3000"]),
                responsible_unit=case.unit,
                description=MeasureType(kind).label,
                now=at,
            )
        except ApplicationError:
            self.report.refused += 1
            return
        self.last[case.pk] = at

    def _relief(self, case: Case) -> str:
        for risk in case.risk_types:
            if risk in MEASURE_FOR_RISK:
                return MEASURE_FOR_RISK[RiskType(risk)]
        return MeasureType.SOCIAL_SECURITY

    def _developmental(self, case: Case) -> str:
        household = case.household
        if household is not None and labour_members(household, local_day(self.now)):
            return self.rng.choice(DEVELOPMENTAL)
        return MeasureType.SOCIAL_SECURITY

    # — time —

    def _pick(
        self, scenarios: list[tuple[str, float, tuple[float, float]]]
    ) -> tuple[str, tuple[float, float]]:
        name, _, ages = self.rng.choices(scenarios, weights=[w for _, w, _ in scenarios])[0]
        return name, ages

    def _days(self, bounds: tuple[float, float]) -> timedelta:
        return timedelta(days=self.rng.uniform(*bounds))

    def _hours(self, low: float, high: float) -> timedelta:
        return timedelta(hours=self.rng.uniform(low, high))

    def _visit_delay(self, case: Case) -> timedelta:
        """Most first visits are in time; about one in seven is late."""
        limit = 24.0 if case.level == Level.RED else 72.0
        return (
            self._hours(limit * 1.05, limit * 2.5)
            if self.rng.random() < 0.15
            else self._hours(1, limit * 0.9)
        )

    def _after(self, case: Case, low: float, high: float) -> datetime:
        """A moment after the case's latest step (kept here rather than asked of the database)."""
        return self.last.get(case.pk, case.opened_at) + self._hours(low, high)

    def _moved(self, case: Case, fresh: Case, at: datetime) -> None:
        for name in ("state", "version", "approval_levels", "approval_stage", "closed_at"):
            setattr(case, name, getattr(fresh, name))
        self.last[case.pk] = at

    def _count(self, case: Case) -> None:
        self.report.states[f"{case.kind}:{case.state}"] += 1

    # — the end —

    def finish(self) -> None:
        """Run the periodic job as it would have run yesterday and now (overdue, escalated twice),
        then judge the households whose elimination was checked on a past day as of today."""
        cases_tick(now=self.now - 25 * H, deliver=False)
        cases_tick(now=self.now, deliver=False)
        for household_id in sorted(self.touched):
            household_evaluate(household_id=household_id, cause="demo_cases", as_of=local_day(self.now))


def _rebase(openings: dict[Case, datetime], config: Any) -> None:
    """Move cases the lights opened today back to their opening days, set-wise: the cases, their
    deadlines, opening events, alerts and inbox rows."""
    for case, opened in openings.items():
        case.opened_at = opened
    Case.objects.bulk_update(list(openings), ["opened_at"], batch_size=500)
    by_id = {case.pk: case for case in openings}
    steps = list(CaseStep.objects.filter(case_id__in=list(by_id)))
    for step in steps:
        case = by_id[step.case_id]
        step.started_at, step.due_at = case.opened_at, due_at(config, case, step.kind, case.opened_at)
    CaseStep.objects.bulk_update(steps, ["started_at", "due_at"], batch_size=500)
    events = list(CaseEvent.objects.filter(case_id__in=list(by_id), type=EventType.OPENED))
    for event in events:
        event.at, event.payload = by_id[event.case_id].opened_at, {**event.payload, "demo": True}
    CaseEvent.objects.bulk_update(events, ["at", "payload"], batch_size=500)
    alerts = list(Alert.objects.filter(case_id__in=list(by_id)))
    for alert in alerts:
        alert.raised_at = by_id[alert.case_id or 0].opened_at
    Alert.objects.bulk_update(alerts, ["raised_at"], batch_size=500)
    notes = list(Notification.objects.filter(case_id__in=list(by_id)))
    for note in notes:
        note.created_at = by_id[note.case_id].opened_at
    Notification.objects.bulk_update(notes, ["created_at"], batch_size=500)


def _mark_demo(case: Case | int) -> None:
    event = CaseEvent.objects.filter(case=case, type=EventType.OPENED).first()
    if event is not None:
        event.payload = {**event.payload, "demo": True}
        event.save(update_fields=["payload"])


Plan = list[tuple[str, tuple[float, float], dict[str, str]]]
REQUEST_PLANS: list[Plan] = [
    [],
    [("accept", (1, 20), {})],
    [("accept", (1, 20), {}), ("reply", (24, 24 * 6), {"reply": "已协调相关部门办理，并当面答复"})],
    [
        ("accept", (1, 20), {}),
        ("reply", (24, 24 * 6), {"reply": "已协调相关部门办理，并当面答复"}),
        ("close", (24, 72), {"satisfaction": "满意"}),
    ],
    [("decline", (2, 30), {"reason": "不属于本社区受理范围，已告知向区人社局反映"})],
]
DISPUTE_PLANS: list[Plan] = [
    [],
    [("start_mediation", (2, 48), {})],
    [("start_mediation", (2, 48), {}), ("settle", (24, 72), {"agreement": "双方协商一致，互相谅解"})],
    [
        ("start_mediation", (2, 48), {}),
        ("settle", (24, 72), {"agreement": "双方协商一致，赔偿损失800元"}),
        ("close", (24 * 3, 24 * 7), {"outcome": "协议已履行"}),
    ],
    [("start_mediation", (2, 48), {}), ("fail", (24, 72), {"outcome": "调解不成，引导通过诉讼解决"})],
]
ENTERPRISE_PLANS: list[Plan] = [
    [],
    [("accept", (2, 48), {})],
    [("accept", (2, 48), {}), ("resolve", (24 * 2, 24 * 6), {"resolution": "专班上门对接，问题已解决"})],
    [
        ("accept", (2, 48), {}),
        ("resolve", (24 * 2, 24 * 6), {"resolution": "专班上门对接，问题已解决"}),
        ("close", (24, 48), {}),
    ],
]
FINDINGS = [
    "入户核实：情况属实，家庭收入明显下降",
    "入户核实：与户主面谈，了解家庭支出和就业情况",
    "入户核实：查看住房和饮水情况，已拍照留存",
    "回访：帮扶措施已落实，家庭生活基本稳定",
    "回访：务工收入稳定，子女按时上学",
]
REQUESTS = [
    "希望办理低保续期",
    "楼道照明损坏，请求维修",
    "希望参加技能培训",
    "孩子入学需要协调学位",
    "申请临时救助",
]
DISPUTES = ["邻里纠纷", "家庭纠纷", "劳务纠纷", "物业纠纷"]
ENTERPRISES = [
    "东川区某服装帮扶车间",
    "云南某电子科技有限公司",
    "东川某农产品加工厂",
    "昆明某物流公司东川分公司",
]
ENTERPRISE_ISSUES = [
    "招工难，缺操作工20人",
    "厂房用电扩容报装慢",
    "流动资金紧张，申请创业担保贷款",
    "员工通勤班车线路调整",
]
TEAMS = ["人社专班", "发改专班", "金融专班", "交通专班"]
