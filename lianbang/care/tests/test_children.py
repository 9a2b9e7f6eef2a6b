"""Children: paired with a responsible adult and volunteers; aid recorded, masked, revealed."""

from __future__ import annotations

from typing import Any

from django.test import Client

from lianbang.accounts.models import Role
from lianbang.accounts.tests.cast import Cast, logged_in
from lianbang.audit.models import AuditEntry
from lianbang.care.models import ChildAid
from lianbang.care.services import volunteer_register
from lianbang.care.tests.people import household, person

JSON = "application/json"


def _left_behind_family() -> Any:
    return household(
        "530113-000201",
        "G-0001",
        "402",
        [
            person("53011319560101003", "李桂芳", relation="户主"),
            person("53011320160520002", "李小花", relation="之孙女", education=None, schooling="小学"),
        ],
    )


def _pair_and_grant(cast: Cast) -> tuple[Client, Any, dict[str, Any]]:
    home = _left_behind_family()
    child = home.members.get(name="李小花")
    volunteer = volunteer_register(
        actor=None, unit=cast.tree.community, name="赵志愿", joined_on=child.birth_date
    )
    worker = logged_in(cast.user(Role.GRID_WORKER))
    paired = worker.post(
        f"/api/v1/households/{home.pk}/care/children",
        {
            "child_id": child.pk,
            "kind": "留守儿童",
            "guardian_name": "李桂芳",
            "guardian_relation": "祖母",
            "guardian_phone": "13912345678",
            "started_on": "2026-03-01",
            "volunteer_ids": [volunteer.pk],
        },
        content_type=JSON,
    )
    assert paired.status_code == 200, paired.content
    care = paired.json()
    granted = worker.post(
        f"/api/v1/households/{home.pk}/care/children/{care['id']}/aid",
        {"kind": "爱心助学", "amount": "1500.00", "granted_on": "2026-09-01", "funder": "区慈善总会"},
        content_type=JSON,
    )
    assert granted.status_code == 200, granted.content
    return worker, home, care


def test_a_childs_aid_is_recorded_and_masked_in_every_answer(cast: Cast) -> None:
    _worker, home, care = _pair_and_grant(cast)
    aid = ChildAid.objects.get()
    assert str(aid.amount) == "1500.00" and aid.care.child.name == "李小花"
    assert care["child_name"] == "李**" and care["guardian_phone"] == "139****5678"
    assert care["volunteers"][0]["name"] == "赵志愿"
    for user in (cast.user(Role.GRID_WORKER), cast.user(Role.LEADER), cast.user(Role.FLOOR_LEADER)):
        child = logged_in(user).get(f"/api/v1/households/{home.pk}/care").json()["children"][0]
        assert child["aid"][0]["amount"] == "***" and child["aid_total"] == "***"
        assert child["child_name"] == "李**"
        assert "1500" not in str(child) and "李小花" not in str(child)
    rows = (
        logged_in(cast.user(Role.LEADER)).get(f"/api/v1/care/units/{cast.tree.district.pk}/children").json()
    )
    assert rows["items"][0]["aid_total"] == "***" and "1500" not in str(rows)


def test_a_role_without_the_permission_cannot_reveal_the_aid(cast: Cast) -> None:
    _, home, _care = _pair_and_grant(cast)
    aid_id = ChildAid.objects.get().pk
    body = {"field": "amount", "reason": "核对资助发放情况"}
    for role in (Role.LEADER, Role.FLOOR_LEADER, Role.DEPARTMENT):
        refused = logged_in(cast.user(role)).post(
            f"/api/v1/households/{home.pk}/care/aid/{aid_id}/reveal", body, content_type=JSON
        )
        assert refused.status_code in (403, 404), role
        assert "1500" not in refused.content.decode()


def test_the_grid_worker_reveals_the_aid_with_a_reason_and_it_is_audited(cast: Cast) -> None:
    worker, home, _ = _pair_and_grant(cast)
    aid_id = ChildAid.objects.get().pk
    url = f"/api/v1/households/{home.pk}/care/aid/{aid_id}/reveal"
    no_reason = worker.post(url, {"field": "amount", "reason": ""}, content_type=JSON)
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    revealed = worker.post(url, {"field": "amount", "reason": "核对资助发放情况"}, content_type=JSON)
    assert revealed.json() == {"label": "资助金额", "value": "1500.00"}
    entry = AuditEntry.objects.filter(action="reveal").latest("pk")
    assert entry.object_type == "care.childaid" and entry.reason == "核对资助发放情况"


def test_the_unit_overview_sums_the_aid_without_naming_anyone(cast: Cast) -> None:
    _pair_and_grant(cast)
    figures = logged_in(cast.user(Role.COMMUNITY_OFFICIAL)).get(
        f"/api/v1/care/units/{cast.tree.community.pk}/overview"
    )
    body = figures.json()
    assert body["aid_total"] == "1500.00" and body["aid_children"] == 1
    assert body["children_paired"] == {"left_behind": 1} and body["volunteers"] == 1


def test_an_adult_cannot_be_paired_as_a_child_and_bad_aid_is_refused(cast: Cast) -> None:
    worker, home, care = _pair_and_grant(cast)
    adult = home.members.get(name="李桂芳")
    response = worker.post(
        f"/api/v1/households/{home.pk}/care/children",
        {
            "child_id": adult.pk,
            "kind": "孤儿",
            "guardian_name": "",
            "started_on": "2026-03-01",
            "guardian_phone": "123",
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"child_id", "kind", "guardian_name", "guardian_phone"}
    bad = worker.post(
        f"/api/v1/households/{home.pk}/care/children/{care['id']}/aid",
        {"kind": "爱心助学", "amount": "-5", "granted_on": "2026-09-01"},
        content_type=JSON,
    )
    assert bad.status_code == 400 and "amount" in bad.json()["fields"]
    assert ChildAid.objects.count() == 1
