from __future__ import annotations

from lianbang.accounts.models import BreakGlassGrant, Role, SecurityNotice
from lianbang.accounts.tests.cast import Cast, logged_in
from lianbang.audit.models import Action, AuditEntry


def test_breaking_the_glass_opens_one_household_with_a_reason_and_tells_the_level_above(cast: Cast) -> None:
    client = logged_in(cast.user(Role.AREA_LEADER))
    assert client.get(f"/households/{cast.far.pk}/").status_code == 404
    response = client.post(
        "/break-glass/", {"household_no": "530113-000003", "reason": "户主突发急病需联系家属"}
    )
    assert response.status_code == 302 and response["Location"] == f"/households/{cast.far.pk}/"
    assert client.get(f"/households/{cast.far.pk}/").status_code == 200
    entry = AuditEntry.objects.get(action=Action.BREAK_GLASS)
    assert entry.actor_name == "arealeader" and entry.reason == "户主突发急病需联系家属"
    notice = SecurityNotice.objects.get()
    assert notice.unit == cast.tree.community and "530113-000003" in notice.message


def test_the_level_above_sees_the_report_on_the_overview_and_in_the_console(cast: Cast) -> None:
    logged_in(cast.user(Role.AREA_LEADER)).post(
        "/break-glass/", {"household_no": "530113-000003", "reason": "户主突发急病需联系家属"}
    )
    official = logged_in(cast.user(Role.COMMUNITY_OFFICIAL))
    page = official.get("/overview/").content.decode()
    assert "安全通知" in page and "530113-000003" in page
    (notice,) = official.get("/api/v1/security-notices").json()
    assert "530113-000003" in notice["message"] and notice["unit"] == cast.tree.community.name


def test_a_grid_workers_access_is_reported_to_their_own_unit(cast: Cast) -> None:
    logged_in(cast.user(Role.GRID_WORKER)).post(
        "/break-glass/", {"household_no": "530113-000002", "reason": "邻居代为求助"}
    )
    assert SecurityNotice.objects.get().unit == cast.tree.floor_group


def test_breaking_the_glass_needs_a_reason(cast: Cast) -> None:
    response = logged_in(cast.user(Role.AREA_LEADER)).post("/break-glass/", {"household_no": "530113-000003"})
    assert response.status_code == 400 and "理由" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()


def test_breaking_the_glass_into_ones_own_scope_is_pointless_and_refused(cast: Cast) -> None:
    response = logged_in(cast.user(Role.AREA_LEADER)).post(
        "/break-glass/", {"household_no": "530113-000001", "reason": "测试一下子"}
    )
    assert response.status_code == 400 and not BreakGlassGrant.objects.exists()


def test_roles_without_the_permission_cannot_break_the_glass(cast: Cast) -> None:
    for role in (Role.LEADER, Role.HELPER, Role.DEPARTMENT, Role.SYSTEM_ADMIN):
        response = logged_in(cast.user(role)).post(
            "/break-glass/", {"household_no": "530113-000003", "reason": "看看情况如何"}
        )
        assert response.status_code == 403
    assert not BreakGlassGrant.objects.exists()
