"""The state machines of every kind of matter, as data (docs/cases.md draws them).

A transition names the states it leaves, the state it reaches, the roles that may take it,
the data it needs, the named guards that must pass (``services/guards.py``), the steps
(deadlines) it completes, cancels or opens, and the fields it copies onto the matter's own
detail row. Approval (认定) is one transition taken once per configured level; the roles of
the level awaited decide who may take it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lianbang.accounts.models import Role
from lianbang.cases.vocab import CaseKind, StepKind
from lianbang.common.errors import ApplicationError

R = Role
S = StepKind

# Who works where: unit roles from the floor group up to the district.
LOCAL = frozenset({R.GRID_WORKER, R.FLOOR_LEADER, R.BRANCH_SECRETARY, R.AREA_LEADER, R.COMMUNITY_OFFICIAL})
VISITORS = LOCAL | {R.STREET_OFFICIAL, R.DISTRICT_ADMIN}
COMMUNITY = frozenset({R.AREA_LEADER, R.COMMUNITY_OFFICIAL})
DECIDERS = COMMUNITY | {R.STREET_OFFICIAL, R.DISTRICT_ADMIN}
STREET = frozenset({R.STREET_OFFICIAL, R.DISTRICT_ADMIN})
DISTRICT = frozenset({R.DISTRICT_ADMIN})
# The roles the approval level awaited names (see conf.APPROVAL_LEVELS).
BY_APPROVAL_LEVEL: frozenset[str] = frozenset()


@dataclass(frozen=True)
class State:
    code: str
    name: str
    name_en: str
    closed: bool = False


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    name: str
    name_en: str
    requires: tuple[str, ...] = ()
    guards: tuple[str, ...] = ()
    completes: tuple[str, ...] = ()
    cancels: tuple[str, ...] = ()
    opens: tuple[str, ...] = ()
    stores: tuple[str, ...] = ()


@dataclass(frozen=True)
class Workflow:
    kind: str
    initial: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    opening_steps: tuple[str, ...]

    def state(self, code: str) -> State:
        return next(s for s in self.states if s.code == code)

    def transition(self, action: str) -> Transition:
        found = next((t for t in self.transitions if t.action == action), None)
        if found is None:
            raise ApplicationError(
                "unknown_action",
                f"「{CaseKind(self.kind).label}」没有「{action}」这一操作",
                f"a {self.kind} matter has no action {action!r}",
            )
        return found

    def actions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    @property
    def closed_states(self) -> frozenset[str]:
        return frozenset(s.code for s in self.states if s.closed)


def _t(
    action: str,
    sources: set[str],
    target: str,
    roles: frozenset[str],
    name: str,
    en: str,
    **steps_and_fields: tuple[str, ...],
) -> Transition:
    return Transition(action, frozenset(sources), target, roles, name, en, **steps_and_fields)


RISK = Workflow(
    kind=CaseKind.RISK,
    initial="discovered",
    opening_steps=(S.FIRST_VISIT, S.IDENTIFICATION, S.MEASURES),
    states=(
        State("discovered", "发现", "discovered"),
        State("verifying", "入户核实", "verifying"),
        State("identification", "认定", "identification"),
        State("assistance", "帮扶", "assistance"),
        State("tracking", "跟踪", "tracking"),
        State("elimination_requested", "申请消除", "elimination requested"),
        State("review", "审核", "under review"),
        State("eliminated", "已消除", "eliminated", closed=True),
        State("not_identified", "不予认定", "not identified", closed=True),
    ),
    transitions=(
        _t(
            "verify",
            {"discovered"},
            "verifying",
            VISITORS,
            "入户核实",
            "verify at home",
            requires=("findings",),
            completes=(S.FIRST_VISIT,),
        ),
        _t(
            "submit",
            {"verifying"},
            "identification",
            LOCAL,
            "提请认定",
            "submit for identification",
            guards=("has_risk_types",),
        ),
        _t(
            "not_identified",
            {"verifying"},
            "not_identified",
            DECIDERS,
            "不予认定",
            "not identified",
            requires=("reason",),
        ),
        _t(
            "approve",
            {"identification"},
            "identification",
            BY_APPROVAL_LEVEL,
            "审批通过",
            "approve",
            guards=("publicity_elapsed",),
        ),
        _t(
            "reject",
            {"identification"},
            "not_identified",
            BY_APPROVAL_LEVEL,
            "不予认定",
            "reject",
            requires=("reason",),
        ),
        _t(
            "start_tracking",
            {"assistance"},
            "tracking",
            COMMUNITY,
            "转入跟踪",
            "start tracking",
            guards=("has_measures", "developmental_measure"),
            opens=(S.FOLLOW_UP,),
        ),
        _t(
            "resume_assistance",
            {"tracking"},
            "assistance",
            COMMUNITY,
            "恢复帮扶",
            "resume assistance",
            requires=("reason",),
            cancels=(S.FOLLOW_UP,),
        ),
        _t(
            "request_elimination",
            {"tracking"},
            "elimination_requested",
            COMMUNITY,
            "申请消除",
            "request elimination",
            guards=("developmental_measure", "elimination_conditions"),
            cancels=(S.FOLLOW_UP,),
            opens=(S.ELIMINATION_REVIEW,),
        ),
        _t(
            "pass_review",
            {"elimination_requested"},
            "review",
            STREET,
            "街道审核通过",
            "pass the street review",
        ),
        _t(
            "approve_elimination",
            {"review"},
            "eliminated",
            DISTRICT,
            "审定消除",
            "approve elimination",
            guards=("developmental_measure", "elimination_conditions"),
            completes=(S.ELIMINATION_REVIEW,),
        ),
        _t(
            "return",
            {"elimination_requested", "review"},
            "tracking",
            STREET,
            "退回跟踪",
            "return to tracking",
            requires=("reason",),
            cancels=(S.ELIMINATION_REVIEW,),
            opens=(S.FOLLOW_UP,),
        ),
    ),
)

REQUEST = Workflow(
    kind=CaseKind.REQUEST,
    initial="received",
    opening_steps=(S.REPLY,),
    states=(
        State("received", "已受理", "received"),
        State("handling", "办理中", "in hand"),
        State("replied", "已答复", "replied"),
        State("closed", "已办结", "closed", closed=True),
        State("declined", "不予受理", "declined", closed=True),
    ),
    transitions=(
        _t("accept", {"received"}, "handling", VISITORS, "受理办理", "take in hand"),
        _t("decline", {"received"}, "declined", DECIDERS, "不予受理", "decline", requires=("reason",)),
        _t(
            "reply",
            {"handling"},
            "replied",
            VISITORS,
            "答复",
            "reply",
            requires=("reply",),
            stores=("reply",),
            completes=(S.REPLY,),
        ),
        _t(
            "reopen",
            {"replied"},
            "handling",
            VISITORS,
            "重新办理",
            "reopen",
            requires=("reason",),
            opens=(S.REPLY,),
        ),
        _t(
            "close",
            {"replied"},
            "closed",
            DECIDERS,
            "办结",
            "close",
            requires=("satisfaction",),
            stores=("satisfaction",),
        ),
    ),
)

DISPUTE = Workflow(
    kind=CaseKind.DISPUTE,
    initial="registered",
    opening_steps=(S.MEDIATION,),
    states=(
        State("registered", "已登记", "registered"),
        State("mediating", "调解中", "in mediation"),
        State("settled", "调解成功", "settled"),
        State("closed", "已结案", "closed", closed=True),
        State("failed", "调解不成", "not settled", closed=True),
    ),
    transitions=(
        _t("start_mediation", {"registered"}, "mediating", VISITORS, "开始调解", "start mediation"),
        _t(
            "settle",
            {"mediating"},
            "settled",
            DECIDERS,
            "达成协议",
            "settle",
            requires=("agreement",),
            guards=("has_mediation_session",),
            stores=("agreement",),
            completes=(S.MEDIATION,),
        ),
        _t(
            "fail",
            {"mediating"},
            "failed",
            DECIDERS,
            "调解不成",
            "not settled",
            requires=("outcome",),
            guards=("has_mediation_session",),
            stores=("outcome",),
            completes=(S.MEDIATION,),
        ),
        _t(
            "close",
            {"settled"},
            "closed",
            DECIDERS,
            "结案",
            "close",
            requires=("outcome",),
            stores=("outcome",),
        ),
    ),
)

ENTERPRISE = Workflow(
    kind=CaseKind.ENTERPRISE,
    initial="raised",
    opening_steps=(S.RESOLUTION,),
    states=(
        State("raised", "已交办", "assigned at the meeting"),
        State("handling", "办理中", "in hand"),
        State("resolved", "已解决", "resolved"),
        State("closed", "已销号", "closed", closed=True),
    ),
    transitions=(
        _t("accept", {"raised"}, "handling", DECIDERS, "专班受理", "take in hand"),
        _t(
            "resolve",
            {"handling"},
            "resolved",
            DECIDERS,
            "办理完成",
            "resolve",
            requires=("resolution",),
            stores=("resolution",),
            completes=(S.RESOLUTION,),
        ),
        _t(
            "reopen",
            {"resolved"},
            "handling",
            DECIDERS,
            "重新办理",
            "reopen",
            requires=("reason",),
            opens=(S.RESOLUTION,),
        ),
        _t("close", {"resolved"}, "closed", STREET, "企业确认销号", "close after the enterprise confirms"),
    ),
)

WORKFLOWS: dict[str, Workflow] = {flow.kind: flow for flow in (RISK, REQUEST, DISPUTE, ENTERPRISE)}


def workflow_of(kind: str) -> Workflow:
    return WORKFLOWS[kind]


def state_label(kind: str, state: str) -> tuple[str, str]:
    found = workflow_of(kind).state(state)
    return found.name, found.name_en
