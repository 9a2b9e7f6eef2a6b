"""Other matters run through the same engine: 群众诉求, 矛盾纠纷 and 企业诉求."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from lianbang.cases.models import Case, CaseStep
from lianbang.cases.services.deadlines import cases_tick
from lianbang.cases.services.matters import dispute_register, enterprise_issue_register, request_register
from lianbang.cases.services.records import dispute_record_mediation
from lianbang.cases.tests.conftest import Cast, act, family, save
from lianbang.common.errors import ApplicationError
from lianbang.common.validators import credit_code_check_char

T0 = timezone.make_aware(datetime(2026, 11, 2, 9, 0))
CREDIT_CODE = "91530113MA6K0XYW0" + credit_code_check_char("91530113MA6K0XYW0")


def test_a_resident_request_is_taken_in_hand_answered_and_closed(cast: Cast) -> None:
    household = save(family())
    case = request_register(
        actor=cast.grid_worker,
        household=household,
        requester_name="张三",
        content="希望安排孩子就近入学",
        now=T0,
    )
    assert (case.kind, case.state, case.assignee, case.unit) == (
        "request",
        "received",
        cast.grid_worker,
        cast.tree.floor_group,
    )
    step = CaseStep.objects.get(case=case)
    assert (step.kind, step.due_at) == ("reply", T0 + timedelta(days=7))
    act(case, "accept", cast.grid_worker, T0 + timedelta(hours=2))
    act(case, "reply", cast.community, T0 + timedelta(days=3), reply="已协调第二小学接收")
    act(case, "close", cast.community, T0 + timedelta(days=4), satisfaction="满意")
    case.refresh_from_db()
    assert (case.state, case.request.reply, case.request.satisfaction) == (
        "closed",
        "已协调第二小学接收",
        "满意",
    )
    assert CaseStep.objects.get(case=case).done_at == T0 + timedelta(days=3)


def test_a_dispute_is_settled_only_after_a_mediation_session(cast: Cast) -> None:
    case = dispute_register(
        actor=cast.floor_leader,
        unit=cast.tree.floor_group,
        category="邻里纠纷",
        parties=[{"name": "王五", "side": "申请人"}, {"name": "赵六", "side": "被申请人"}],
        summary="楼上漏水",
        now=T0,
    )
    assert case.title == "矛盾纠纷：邻里纠纷（王五、赵六）"
    act(case, "start_mediation", cast.floor_leader, T0 + timedelta(hours=1))
    with pytest.raises(ApplicationError) as caught:
        act(case, "settle", cast.community, T0 + timedelta(hours=2), agreement="赵六修复管道")
    assert caught.value.problems[0].path == "sessions"
    case.refresh_from_db()
    dispute_record_mediation(
        case_id=case.pk,
        actor=cast.community,
        expected_version=case.version,
        mediator="李调解员",
        summary="双方到场，赵六同意维修",
        now=T0 + timedelta(days=1),
    )
    act(
        case,
        "settle",
        cast.community,
        T0 + timedelta(days=1, hours=1),
        agreement="赵六一周内修复管道并赔偿500元",
    )
    act(case, "close", cast.community, T0 + timedelta(days=9), outcome="协议已履行")
    case.refresh_from_db()
    assert (case.state, case.dispute.agreement, case.dispute.outcome) == (
        "closed",
        "赵六一周内修复管道并赔偿500元",
        "协议已履行",
    )
    assert case.dispute.sessions.count() == 1
    assert [e.type for e in case.events.all()].count("mediation") == 1


def test_a_dispute_that_mediation_cannot_settle_is_closed_with_its_outcome(cast: Cast) -> None:
    case = dispute_register(
        actor=cast.community,
        unit=cast.tree.community,
        category="劳务纠纷",
        parties=[{"name": "甲"}, {"name": "乙"}],
        summary="工资拖欠",
        now=T0,
    )
    act(case, "start_mediation", cast.community, T0)
    case.refresh_from_db()
    dispute_record_mediation(
        case_id=case.pk,
        actor=cast.community,
        expected_version=case.version,
        mediator="李调解员",
        summary="分歧较大",
        now=T0 + timedelta(days=2),
    )
    act(case, "fail", cast.community, T0 + timedelta(days=3), outcome="引导申请劳动仲裁")
    case.refresh_from_db()
    assert (case.state, case.closed_at, case.close_reason) == (
        "failed",
        T0 + timedelta(days=3),
        "引导申请劳动仲裁",
    )


def test_a_dispute_needs_two_parties(cast: Cast) -> None:
    with pytest.raises(ApplicationError) as caught:
        dispute_register(
            actor=cast.community,
            unit=cast.tree.community,
            category="邻里纠纷",
            parties=[{"name": "王五"}],
            summary="噪音",
        )
    assert caught.value.problems[0].path == "parties"


def test_an_enterprise_issue_from_the_weekly_meeting_is_resolved_and_closed(cast: Cast) -> None:
    case = enterprise_issue_register(
        actor=cast.street,
        unit=cast.tree.street,
        enterprise_name="东川某服装帮扶车间",
        credit_code=CREDIT_CODE.lower(),
        meeting_date=date(2026, 11, 2),
        issue="招工难，缺缝纫工30人",
        team="人社专班",
        deadline=date(2026, 11, 20),
        now=T0,
    )
    assert case.enterprise.credit_code == CREDIT_CODE
    step = CaseStep.objects.get(case=case)
    assert timezone.localtime(step.due_at).date() == date(2026, 11, 20)
    act(case, "accept", cast.street, T0 + timedelta(days=1))
    act(case, "resolve", cast.street, T0 + timedelta(days=10), resolution="专场招聘会招到32人")
    act(case, "close", cast.street, T0 + timedelta(days=12))
    case.refresh_from_db()
    assert (case.state, case.enterprise.resolution) == ("closed", "专场招聘会招到32人")


def test_an_enterprise_issue_past_its_deadline_escalates_to_the_district(cast: Cast) -> None:
    case = enterprise_issue_register(
        actor=cast.street,
        unit=cast.tree.street,
        enterprise_name="某企业",
        credit_code=CREDIT_CODE,
        meeting_date=date(2026, 11, 2),
        issue="用电报装慢",
        team="发改专班",
        deadline=date(2026, 11, 9),
        now=T0,
    )
    cases_tick(now=T0 + timedelta(days=8), deliver=False)
    case = Case.objects.get(pk=case.pk)
    assert (case.handling_unit, case.escalations) == (cast.tree.district, 1)


def test_a_wrong_credit_code_is_refused_with_the_field_named(cast: Cast) -> None:
    with pytest.raises(ApplicationError) as caught:
        enterprise_issue_register(
            actor=cast.street,
            unit=cast.tree.street,
            enterprise_name="某企业",
            credit_code=CREDIT_CODE[:-1] + "0" if CREDIT_CODE[-1] != "0" else CREDIT_CODE[:-1] + "1",
            meeting_date=date(2026, 11, 2),
            issue="融资难",
            team="金融专班",
        )
    assert caught.value.problems[0].path == "credit_code"
    assert "校验位" in caught.value.message


def test_only_the_street_and_district_assign_enterprise_issues(cast: Cast) -> None:
    with pytest.raises(ApplicationError) as caught:
        enterprise_issue_register(
            actor=cast.floor_leader,
            unit=cast.tree.floor_group,
            enterprise_name="某企业",
            credit_code=CREDIT_CODE,
            meeting_date=date(2026, 11, 2),
            issue="融资难",
            team="金融专班",
        )
    assert caught.value.status == 403
