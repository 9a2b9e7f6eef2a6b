from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lianbang.accounts.models import (
    BreakGlassGrant,
    Permission,
    Role,
    RolePermissionOverride,
)
from lianbang.accounts.permissions import DEFAULT_MATRIX
from lianbang.accounts.scope import (
    Grant,
    has_permission,
    household_for,
    households_for,
    members_for,
    restrict_to,
    root_units,
    unit_for,
    units_for,
)
from lianbang.accounts.tests.cast import Cast, make_user


def numbers(cast: Cast, role: str) -> set[str]:
    return set(households_for(cast.user(role)).values_list("household_no", flat=True))


def test_a_district_admin_sees_the_whole_district_and_nothing_of_another(cast: Cast) -> None:
    assert numbers(cast, Role.DISTRICT_ADMIN) == {"530113-000001", "530113-000002", "530113-000003"}


def test_a_street_official_sees_their_street_only(cast: Cast) -> None:
    assert numbers(cast, Role.STREET_OFFICIAL) == {"530113-000001", "530113-000002"}


def test_a_grid_worker_sees_the_households_of_their_own_grid_only(cast: Cast) -> None:
    assert numbers(cast, Role.GRID_WORKER) == {"530113-000001"}


def test_a_helper_sees_the_households_paired_with_them(cast: Cast) -> None:
    assert numbers(cast, Role.HELPER) == {"530113-000001"}


def test_a_department_user_sees_only_what_their_department_matched(cast: Cast) -> None:
    assert numbers(cast, Role.DEPARTMENT) == {"530113-000001"}


def test_a_system_administrator_configures_but_sees_no_household(cast: Cast) -> None:
    admin = cast.user(Role.SYSTEM_ADMIN)
    assert numbers(cast, Role.SYSTEM_ADMIN) == set()
    assert has_permission(admin, Permission.CONFIG_MANAGE)
    assert unit_for(admin, cast.tree.floor_group.pk) is not None


def test_members_follow_their_households_scope(cast: Cast) -> None:
    names = set(members_for(cast.user(Role.GRID_WORKER)).values_list("name", flat=True))
    assert names == {"张三", "李梅", "张小明"}


def test_units_outside_the_subtree_do_not_exist_for_the_user(cast: Cast) -> None:
    area_leader = cast.user(Role.AREA_LEADER)
    assert unit_for(area_leader, cast.tree.branch.pk) == cast.tree.branch
    assert unit_for(area_leader, cast.tree.street.pk) is None
    assert unit_for(area_leader, cast.street2.pk) is None
    assert unit_for(area_leader, "not-a-number") is None
    assert unit_for(area_leader, 2**70) is None


def test_a_user_with_several_roles_sees_the_union_without_duplicates(cast: Cast) -> None:
    from lianbang.accounts.models import Assignment

    worker = cast.user(Role.GRID_WORKER)
    Assignment.objects.create(user=worker, unit=cast.street2, role=Role.STREET_OFFICIAL)
    assert set(households_for(worker).values_list("household_no", flat=True)) == {
        "530113-000001",
        "530113-000003",
    }
    assert [u.pk for u in root_units(worker)] == [cast.street2.pk]


def test_an_api_token_narrows_the_user_to_one_grant(cast: Cast) -> None:
    worker = cast.user(Role.GRID_WORKER)
    restrict_to(worker, Grant(Role.GRID_WORKER, cast.tree.floor_group))
    assert household_for(worker, cast.home.pk) == cast.home
    assert not has_permission(worker, Permission.UNIT_VIEW)


def test_an_unexpired_break_the_glass_grant_opens_one_household_for_viewing(cast: Cast) -> None:
    worker = cast.user(Role.GRID_WORKER)
    BreakGlassGrant.objects.create(
        user=worker, household=cast.far, reason="急病送医", expires_at=timezone.now() + timedelta(minutes=5)
    )
    BreakGlassGrant.objects.create(
        user=worker, household=cast.neighbour, reason="过期", expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert household_for(worker, cast.far.pk) == cast.far
    assert household_for(worker, cast.neighbour.pk) is None
    assert household_for(worker, cast.far.pk, Permission.SENSITIVE_REVEAL) is None


def test_an_administrator_can_withdraw_a_permission_from_a_role(cast: Cast) -> None:
    RolePermissionOverride.objects.create(
        role=Role.GRID_WORKER, permission=Permission.HOUSEHOLD_VIEW, granted=False
    )
    assert numbers(cast, Role.GRID_WORKER) == set()


def test_an_inactive_user_sees_nothing(cast: Cast) -> None:
    leader = cast.user(Role.LEADER)
    leader.is_active = False
    assert households_for(leader).count() == 0 and units_for(leader).count() == 0


def test_every_role_has_a_row_in_the_default_matrix() -> None:
    assert set(DEFAULT_MATRIX) == set(Role.values)


def test_a_user_without_assignment_sees_nothing(cast: Cast) -> None:
    nobody = make_user("nobody")
    assert households_for(nobody).count() == 0 and root_units(nobody) == []


def test_the_documented_matrix_is_the_one_in_the_code() -> None:
    from pathlib import Path

    from lianbang.accounts.permissions import matrix_markdown

    docs = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"
    assert matrix_markdown() in docs.read_text()
