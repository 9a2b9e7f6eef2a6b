"""Units and buildings for administrators: add a unit below one they manage, rename it, add and
rename a building; refused writes name the field and change nothing; the new unit is in the
tree, in the dashboards and in the scope of whoever is granted there."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lianbang.accounts.models import Role
from lianbang.accounts.scope import unit_for
from lianbang.accounts.tests.cast import Cast, logged_in, make_user
from lianbang.accounts.tests.cast import cast as cast  # the fixture, re-exported
from lianbang.accounts.tests.cast import fast_passwords as fast_passwords
from lianbang.audit.models import AuditEntry
from lianbang.dashboards.services import rollup_refresh
from lianbang.org.models import Building, Unit


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1{path}", body, content_type="application/json")


def _district_admin(cast: Cast) -> Client:
    return logged_in(cast.user(Role.DISTRICT_ADMIN))


def _street_admin(cast: Cast) -> Client:
    """An administrator of the first street only (users.manage there)."""
    return logged_in(make_user("jiedaoadmin", Role.DISTRICT_ADMIN, cast.tree.street))


def _audit_actions(object_type: str) -> list[str]:
    return list(AuditEntry.objects.filter(object_type=object_type).values_list("action", flat=True))


def test_a_community_is_added_under_a_street_one_level_down_with_its_path(cast: Cast) -> None:
    client = _district_admin(cast)

    response = _post(
        client,
        "/admin/units",
        {"parent_id": cast.tree.street.pk, "name": " 幸福社区 ", "code": "530113001002"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["level"], body["level_label"]) == ("幸福社区", 3, "社区")
    unit = Unit.objects.get(pk=body["id"])
    assert unit.path == f"{cast.tree.street.path}{unit.pk}/"
    assert unit.region_code == cast.tree.street.region_code
    assert unit in Unit.objects.subtree(cast.tree.district)
    entry = AuditEntry.objects.get(object_type="org.unit", action="unit_create")
    assert entry.object_id == str(unit.pk) and entry.changes["name"] == [None, "幸福社区"]
    children = client.get(f"/api/v1/units/{cast.tree.street.pk}/children").json()
    assert "幸福社区" in [c["unit"]["name"] for c in children]


def test_a_unit_is_renamed_with_its_code_and_the_change_is_audited(cast: Cast) -> None:
    client = _district_admin(cast)

    response = _post(
        client,
        "/admin/units/rename",
        {"unit_id": cast.tree.community.pk, "name": "和美社区", "code": "530113001009"},
    )

    assert response.status_code == 200, response.content
    unit = Unit.objects.get(pk=cast.tree.community.pk)
    assert (unit.name, unit.code, unit.path) == ("和美社区", "530113001009", cast.tree.community.path)
    entry = AuditEntry.objects.get(object_type="org.unit", action="unit_update")
    assert entry.changes == {"name": ["和谐社区", "和美社区"], "code": ["530113001001", "530113001009"]}


def test_a_street_administrator_cannot_touch_another_street(cast: Cast) -> None:
    client = _street_admin(cast)

    added = _post(client, "/admin/units", {"parent_id": cast.street2.pk, "name": "外街社区"})
    renamed = _post(client, "/admin/units/rename", {"unit_id": cast.street2.pk, "name": "改名"})
    building = _post(client, "/admin/buildings/rename", {"building_id": cast.far.building_id, "name": "x"})
    own = _post(client, "/admin/units", {"parent_id": cast.tree.street.pk, "name": "本街社区"})

    assert (added.status_code, renamed.status_code, building.status_code) == (404, 404, 404)
    assert own.status_code == 201, own.content
    assert not Unit.objects.filter(name__in=["外街社区", "改名"]).exists()
    assert Unit.objects.get(pk=cast.street2.pk).name == "第二街道"
    assert _audit_actions("org.unit") == ["unit_create"]


def test_an_official_without_users_manage_is_refused(cast: Cast) -> None:
    client = logged_in(cast.user(Role.STREET_OFFICIAL))

    response = _post(client, "/admin/units", {"parent_id": cast.tree.street.pk, "name": "幸福社区"})

    assert response.status_code == 403
    assert not Unit.objects.filter(name="幸福社区").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "和谐社区"}, "name"),  # a sibling has the name
        ({"name": "   "}, "name"),
        ({"name": "新社区", "code": "53A"}, "code"),
        ({"name": "新社区", "party_org_name": "党" * 151}, "party_org_name"),
    ],
)
def test_a_bad_unit_is_refused_naming_the_field_and_nothing_is_written(
    cast: Cast, body: dict[str, Any], field: str
) -> None:
    client = _district_admin(cast)
    before = Unit.objects.count()

    response = _post(client, "/admin/units", {"parent_id": cast.tree.street.pk, **body})

    assert response.status_code == 400, response.content
    problem = response.json()["fields"][field]
    assert problem["message"] and problem["message_en"]
    assert Unit.objects.count() == before and not _audit_actions("org.unit")


def test_a_rename_to_a_siblings_name_is_refused(cast: Cast) -> None:
    client = _district_admin(cast)

    response = _post(client, "/admin/units/rename", {"unit_id": cast.street2.pk, "name": "铜都街道"})

    assert response.status_code == 400
    assert response.json()["fields"]["name"]["message"] == "同一上级下已有同名单位"
    assert Unit.objects.get(pk=cast.street2.pk).name == "第二街道" and not _audit_actions("org.unit")


def test_nothing_is_added_below_a_floor_group(cast: Cast) -> None:
    client = _district_admin(cast)

    response = _post(client, "/admin/units", {"parent_id": cast.tree.floor_group.pk, "name": "第七级"})

    assert response.status_code == 400
    assert "parent_id" in response.json()["fields"]
    assert not Unit.objects.filter(name="第七级").exists()


def test_a_field_of_the_wrong_type_is_a_422_naming_it(cast: Cast) -> None:
    client = _district_admin(cast)

    response = _post(client, "/admin/units", {"parent_id": "街道", "name": "x"})

    assert response.status_code == 422
    assert any("parent_id" in path for path in response.json()["fields"])


def test_the_new_unit_is_in_scope_for_a_user_granted_there_and_no_further(cast: Cast) -> None:
    admin = _district_admin(cast)
    unit_id = _post(admin, "/admin/units", {"parent_id": cast.tree.street.pk, "name": "幸福社区"}).json()[
        "id"
    ]
    official = make_user("xingfu", Role.COMMUNITY_OFFICIAL, cast.tree.street)
    official.assignments.all().delete()
    granted = _post(
        admin, "/admin/grants", {"username": "xingfu", "unit_id": unit_id, "role": Role.COMMUNITY_OFFICIAL}
    )
    assert granted.status_code == 201, granted.content

    client = logged_in(official)
    roots = client.get("/api/v1/units").json()

    assert [r["id"] for r in roots] == [unit_id]
    assert client.get(f"/api/v1/units/{unit_id}").status_code == 200
    assert client.get(f"/api/v1/units/{cast.tree.community.pk}").status_code == 404
    assert unit_for(official, cast.tree.street.pk) is None


def test_a_unit_added_since_the_last_refresh_has_live_dashboard_figures(cast: Cast) -> None:
    rollup_refresh()
    admin = _district_admin(cast)
    unit_id = _post(admin, "/admin/units", {"parent_id": cast.tree.street.pk, "name": "幸福社区"}).json()[
        "id"
    ]

    own = admin.get("/api/v1/dashboard", {"unit": unit_id})
    drill = admin.get("/api/v1/dashboard/children", {"unit": cast.tree.street.pk})

    assert own.status_code == 200, own.content
    assert own.json()["households"] == 0 and own.json()["as_of"] is None
    rows = {row["node"]["name"]: row for row in drill.json()["children"]}
    assert rows["幸福社区"]["households"] == 0 and rows["幸福社区"]["as_of"] is None
    assert rows["和谐社区"]["as_of"] is not None  # still from the roll-up


def _building_body(cast: Cast, **changes: Any) -> dict[str, Any]:
    return {
        "branch_id": cast.tree.branch.pk,
        "number": "10",
        "name": "10栋",
        "entrance_count": 2,
        "floor_count": 18,
        "rooms_per_floor": 4,
    } | changes


def test_a_building_is_added_under_a_branch_and_renamed(cast: Cast) -> None:
    client = _district_admin(cast)

    added = _post(client, "/admin/buildings", _building_body(cast))
    assert added.status_code == 201, added.content
    building_id = added.json()["id"]
    renamed = _post(client, "/admin/buildings/rename", {"building_id": building_id, "name": "10号楼"})

    assert renamed.status_code == 200, renamed.content
    building = Building.objects.get(pk=building_id)
    assert (building.name, building.number, building.capacity) == ("10号楼", "10", 144)
    assert building.region_code == cast.tree.branch.region_code
    listed = client.get(f"/api/v1/units/{cast.tree.area.pk}/buildings").json()
    assert "10号楼" in [b["name"] for b in listed]
    assert _audit_actions("org.building") == ["building_create", "building_rename"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"number": "7"}, "number"),  # the tree's building
        ({"number": "10 栋"}, "number"),
        ({"name": ""}, "name"),
        ({"floor_count": 0}, "floor_count"),
        ({"rooms_per_floor": 31}, "rooms_per_floor"),
        ({"entrance_count": 0}, "entrance_count"),
    ],
)
def test_a_bad_building_is_refused_naming_the_field(cast: Cast, changes: dict[str, Any], field: str) -> None:
    client = _district_admin(cast)
    before = Building.objects.count()

    response = _post(client, "/admin/buildings", _building_body(cast, **changes))

    assert response.status_code == 400, response.content
    assert response.json()["fields"][field]["message_en"]
    assert Building.objects.count() == before and not _audit_actions("org.building")


def test_a_building_hangs_only_under_a_branch(cast: Cast) -> None:
    client = _district_admin(cast)

    response = _post(client, "/admin/buildings", _building_body(cast, branch_id=cast.tree.area.pk))

    assert response.status_code == 400
    assert "branch_id" in response.json()["fields"]
    assert not Building.objects.filter(number="10").exists()


def test_a_building_under_another_street_is_not_found(cast: Cast) -> None:
    client = _street_admin(cast)
    branch2 = Unit.objects.get(name="8栋党支部")

    response = _post(client, "/admin/buildings", _building_body(cast, branch_id=branch2.pk))

    assert response.status_code == 404
    assert not Building.objects.filter(number="10").exists()


def test_a_rename_keeps_a_stored_code_loaded_before_the_rules(cast: Cast) -> None:
    Unit.objects.filter(pk=cast.tree.area.pk).update(code="P-01")
    client = _district_admin(cast)

    kept = _post(
        client, "/admin/units/rename", {"unit_id": cast.tree.area.pk, "name": "一片区", "code": "P-01"}
    )
    changed = _post(
        client, "/admin/units/rename", {"unit_id": cast.tree.area.pk, "name": "一片区", "code": "P-02"}
    )

    assert kept.status_code == 200, kept.content
    assert changed.status_code == 400 and "code" in changed.json()["fields"]
    assert Unit.objects.values_list("name", "code").get(pk=cast.tree.area.pk) == ("一片区", "P-01")
