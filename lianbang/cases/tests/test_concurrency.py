"""Two people act on the same case at the same moment, on two real database connections:
one wins, the other gets a conflict with the current state. PostgreSQL only: SQLite allows
one writer at a time, so there is no race to lose an update in."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from lianbang.accounts.models import Assignment, Role, User
from lianbang.cases.models import Case
from lianbang.cases.services.matters import request_register
from lianbang.cases.services.transitions import case_transition
from lianbang.common.errors import ApplicationError
from lianbang.org.services import unit_create

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL: SQLite serialises writers, so two connections never race",
    ),
]


def _act(
    case_id: int, actor: User, action: str, data: dict[str, str], gate: threading.Barrier, outcomes: list[Any]
) -> None:
    try:
        gate.wait()
        outcomes.append(
            case_transition(case_id=case_id, action=action, actor=actor, expected_version=1, data=data)
        )
    except ApplicationError as error:
        outcomes.append(error)
    finally:
        connections.close_all()


def test_of_two_people_acting_at_once_one_wins_and_the_other_sees_a_conflict() -> None:
    district = unit_create(level=1, name="东川区", code="530113")
    community = unit_create(
        level=3, name="和谐社区", parent=unit_create(level=2, name="铜都街道", parent=district)
    )
    official = User.objects.create_user(username="official", password=None)
    Assignment.objects.create(user=official, unit=community, role=Role.COMMUNITY_OFFICIAL)
    case = request_register(actor=official, unit=community, requester_name="张三", content="申请临时救助")

    outcomes: list[Any] = []
    gate = threading.Barrier(2)
    threads = [
        threading.Thread(target=_act, args=(case.pk, official, "accept", {}, gate, outcomes)),
        threading.Thread(
            target=_act, args=(case.pk, official, "decline", {"reason": "不属实"}, gate, outcomes)
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winners = [o for o in outcomes if isinstance(o, Case)]
    losers = [o for o in outcomes if isinstance(o, ApplicationError)]
    assert (len(winners), len(losers)) == (1, 1)
    assert (losers[0].status, losers[0].code) == (409, "conflict")
    stored = Case.objects.get(pk=case.pk)
    assert stored.version == 2 and stored.state == winners[0].state
    assert {p.path: p.value for p in losers[0].problems} == {"state": stored.state, "version": 2}
    assert stored.events.filter(type="transition").count() == 1
