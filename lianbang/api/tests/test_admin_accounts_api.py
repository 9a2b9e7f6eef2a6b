"""Accounts without the Django admin: create with roles in the administrator's own units and an
issued password, deactivate and reactivate, reset a password, unlock; audited, scoped, and a
refusal creates or changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lianbang.accounts.models import Assignment, LoginLock, Role, User
from lianbang.accounts.tests.cast import PASSWORD, Cast, logged_in, make_user
from lianbang.accounts.tests.cast import cast as cast  # the fixture, re-exported
from lianbang.accounts.tests.cast import fast_passwords as fast_passwords
from lianbang.audit.models import AuditEntry

NEW_PASSWORD = "Chushi#2026x"


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1{path}", body, content_type="application/json")


def _account(cast: Cast, **overrides: Any) -> dict[str, Any]:
    return {
        "username": "wangwu",
        "full_name": "王五",
        "phone": "138 0013 8000",
        "password": NEW_PASSWORD,
        "grants": [{"unit_id": cast.tree.floor_group.pk, "role": "grid_worker"}],
    } | overrides


def test_an_administrator_creates_an_account_that_must_change_its_password(cast: Cast) -> None:
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))

    response = _post(client, "/admin/users", _account(cast))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["must_change_password"] is True and body["phone"] == "138****8000"
    assert [g["role"] for g in body["grants"]] == ["grid_worker"]
    user = User.objects.get(username="wangwu")
    assert user.check_password(NEW_PASSWORD) and user.password_changed_at is None
    assert user.phone == "13800138000"
    assert AuditEntry.objects.filter(action="user_create", object_id=str(user.pk)).count() == 1
    login = Client().post("/login/", {"username": "wangwu", "password": NEW_PASSWORD})
    assert login.status_code == 302 and login["Location"] == "/login/password/"


def test_a_duplicate_name_a_weak_password_and_a_bad_phone_are_named(cast: Cast) -> None:
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))

    duplicate = _post(client, "/admin/users", _account(cast, username="GridWorker"))
    weak = _post(client, "/admin/users", _account(cast, password="abcdefgh"))
    phone = _post(client, "/admin/users", _account(cast, phone="12345"))

    assert duplicate.status_code == 400 and "username" in duplicate.json()["fields"]
    assert "已存在" in duplicate.json()["fields"]["username"]["message"]
    assert weak.status_code == 400 and weak.json()["fields"]["password"]["value"] == "***"
    assert "too weak" in weak.json()["fields"]["password"]["message_en"]
    assert phone.status_code == 400 and "phone" in phone.json()["fields"]
    assert not User.objects.filter(username="wangwu").exists()
    assert not AuditEntry.objects.filter(action="user_create").exists()


def test_nobody_creates_an_account_outside_their_units_or_above_their_rights(cast: Cast) -> None:
    community = make_user("commadmin", Role.DISTRICT_ADMIN, cast.tree.community)
    client = logged_in(community)

    outside = _post(
        client, "/admin/users", _account(cast, grants=[{"unit_id": cast.street2.pk, "role": "grid_worker"}])
    )
    higher = _post(
        client,
        "/admin/users",
        _account(cast, grants=[{"unit_id": cast.tree.area.pk, "role": "system_admin"}]),
    )

    assert outside.status_code == 400 and "unit_id" in outside.json()["fields"]
    assert higher.status_code == 400 and "config.manage" in higher.json()["message"]
    assert not User.objects.filter(username="wangwu").exists()


def test_a_system_admin_cannot_create_or_grant_an_official_holding_data_rights_they_lack(
    cast: Cast,
) -> None:
    client = logged_in(cast.user(Role.SYSTEM_ADMIN))
    official = [{"unit_id": cast.tree.community.pk, "role": "community_official"}]

    created = _post(client, "/admin/users", _account(cast, grants=official))
    granted = _post(
        client,
        "/admin/grants",
        {
            "username": cast.user(Role.HELPER).username,
            "unit_id": cast.tree.community.pk,
            "role": "community_official",
        },
    )
    reset = _post(
        client,
        "/admin/users/password",
        {"username": cast.user(Role.COMMUNITY_OFFICIAL).username, "password": NEW_PASSWORD},
    )

    for refused in (created, granted):
        assert refused.status_code == 400, refused.content
        problem = refused.json()["fields"]["role"]
        for permission in ("household.view", "sensitive.reveal", "export", "break_glass"):
            assert permission in problem["message"] and permission in problem["message_en"]
    assert reset.status_code == 400 and "username" in reset.json()["fields"]
    assert not User.objects.filter(username="wangwu").exists()
    assert not Assignment.objects.filter(user=cast.user(Role.HELPER), role="community_official").exists()
    assert not User.objects.get(pk=cast.user(Role.COMMUNITY_OFFICIAL).pk).check_password(NEW_PASSWORD)
    assert not AuditEntry.objects.filter(action__in=["user_create", "grant_create"]).exists()


def test_a_district_official_managing_accounts_creates_a_community_official_below(cast: Cast) -> None:
    official = make_user("qu_guanli", Role.DISTRICT_ADMIN, cast.tree.district)
    Assignment.objects.create(user=official, unit=cast.tree.district, role=Role.STREET_OFFICIAL)
    client = logged_in(official)
    grants = [{"unit_id": cast.tree.community.pk, "role": "community_official"}]

    created = _post(client, "/admin/users", _account(cast, grants=grants))
    outside = _post(
        client,
        "/admin/users",
        _account(
            cast, username="zhaoliu", grants=[{"unit_id": cast.district2.pk, "role": "community_official"}]
        ),
    )

    assert created.status_code == 201, created.content
    assert [g["role"] for g in created.json()["grants"]] == ["community_official"]
    assert outside.status_code == 400 and "unit_id" in outside.json()["fields"]


def test_an_account_is_deactivated_and_reactivated_with_audit(cast: Cast) -> None:
    worker = cast.user(Role.GRID_WORKER)
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))

    off = _post(client, "/admin/users/active", {"username": worker.username, "active": False})
    refused = Client().post("/login/", {"username": worker.username, "password": PASSWORD})
    on = _post(client, "/admin/users/active", {"username": worker.username, "active": True})

    assert off.status_code == 200 and off.json()["is_active"] is False
    assert refused.status_code == 400  # the login form again with its error, not a redirect
    assert on.status_code == 200 and on.json()["is_active"] is True
    actions = list(AuditEntry.objects.filter(action__startswith="user_").values_list("action", flat=True))
    assert actions == ["user_deactivate", "user_activate"]


def test_no_one_manages_themselves_out_or_an_account_outside_their_units(cast: Cast) -> None:
    admin = cast.user(Role.DISTRICT_ADMIN)
    make_user("stranger", Role.GRID_WORKER, cast.district2)
    client = logged_in(admin)

    own = _post(client, "/admin/users/active", {"username": admin.username, "active": False})
    stranger = _post(client, "/admin/users/password", {"username": "stranger", "password": NEW_PASSWORD})
    bigger = _post(
        logged_in(make_user("commadmin", Role.DISTRICT_ADMIN, cast.tree.community)),
        "/admin/users/active",
        {"username": cast.user(Role.SYSTEM_ADMIN).username, "active": False},
    )

    assert own.status_code == 400 and "username" in own.json()["fields"]
    assert own.json()["fields"]["username"]["message_en"] == "you may not deactivate your own account"
    assert stranger.status_code == 400 and "username" in stranger.json()["fields"]
    assert stranger.json()["fields"]["username"]["message_en"] == "no such account among those you manage"
    assert bigger.status_code == 400
    assert bigger.json()["fields"]["username"]["message_en"] == "no such account among those you manage"
    assert User.objects.get(pk=cast.user(Role.SYSTEM_ADMIN).pk).is_active
    assert User.objects.get(pk=admin.pk).is_active
    assert User.objects.get(username="stranger").check_password(PASSWORD)


def test_a_reset_password_must_be_changed_again_at_login(cast: Cast) -> None:
    worker = cast.user(Role.GRID_WORKER)
    User.objects.filter(pk=worker.pk).update(password_changed_at=timezone.now())
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))

    weak = _post(client, "/admin/users/password", {"username": worker.username, "password": "12345678"})
    reset = _post(client, "/admin/users/password", {"username": worker.username, "password": NEW_PASSWORD})

    assert weak.status_code == 400 and "password" in weak.json()["fields"]
    assert reset.status_code == 200 and reset.json()["must_change_password"] is True
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD) and worker.password_changed_at is None
    login = Client().post("/login/", {"username": worker.username, "password": NEW_PASSWORD})
    assert login["Location"] == "/login/password/"


def test_a_locked_account_is_unlocked_and_can_log_in_again(cast: Cast) -> None:
    worker = cast.user(Role.GRID_WORKER)
    for _ in range(5):
        Client().post("/login/", {"username": worker.username, "password": "wrong-Pass1"})
    assert LoginLock.objects.get(kind="account", key=worker.username).locked_until is not None
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))
    listed = client.get("/api/v1/admin/users", {"q": worker.username}).json()["items"][0]

    response = _post(client, "/admin/users/unlock", {"username": worker.username})
    again = _post(client, "/admin/users/unlock", {"username": worker.username})

    assert listed["locked_until"] is not None
    assert response.status_code == 200 and response.json()["locked_until"] is None
    assert again.status_code == 400 and "未被锁定" in again.json()["message"]
    assert AuditEntry.objects.filter(action="unlock", object_id=worker.username).count() == 1
    # Another address than the one that failed (the IP keeps its own lock).
    login = Client(REMOTE_ADDR="10.0.0.9").post(
        "/login/", {"username": worker.username, "password": PASSWORD}
    )
    assert login.status_code == 302


def test_a_lock_that_has_ended_is_not_listed(cast: Cast) -> None:
    worker = cast.user(Role.GRID_WORKER)
    LoginLock.objects.create(
        kind="account", key=worker.username, locked_until=timezone.now() - timedelta(minutes=1)
    )
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))

    listed = client.get("/api/v1/admin/users", {"q": worker.username}).json()["items"][0]

    assert listed["locked_until"] is None
    assert Assignment.objects.filter(user=worker).exists()


def test_the_same_role_twice_in_one_unit_is_a_field_problem_not_a_500(cast: Cast) -> None:
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))
    twice = [{"unit_id": cast.tree.floor_group.pk, "role": "grid_worker"}] * 2

    response = _post(client, "/admin/users", _account(cast, grants=twice))

    assert response.status_code == 400, response.content
    assert "twice" in response.json()["fields"]["grants"]["message_en"]
    assert not User.objects.filter(username="wangwu").exists()


def test_a_name_taken_by_a_concurrent_creation_is_already_taken_not_a_500(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lianbang.accounts import services

    # The other request commits "wangwu" after this one checked the name (the race window).
    make_user("wangwu", Role.GRID_WORKER, cast.tree.floor_group)
    monkeypatch.setattr(services, "_username_problems", lambda username: [])
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))

    response = _post(client, "/admin/users", _account(cast))

    assert response.status_code == 400, response.content
    assert response.json()["fields"]["username"]["message_en"] == "this user name is already taken"
    assert User.objects.filter(username="wangwu").count() == 1
    assert not AuditEntry.objects.filter(action="user_create").exists()


def test_a_name_with_a_nul_character_is_refused_naming_the_field(cast: Cast) -> None:
    """PostgreSQL text cannot hold NUL: the body is refused before any query (schemathesis found
    the 500 this was)."""
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))

    reset = _post(client, "/admin/users/password", {"username": "grid\x00worker", "password": NEW_PASSWORD})
    created = _post(client, "/admin/users", _account(cast, full_name="王\x00五"))

    assert reset.status_code == 422 and list(reset.json()["fields"]) == ["body.body.username"]
    assert created.status_code == 422 and list(created.json()["fields"]) == ["body.body.full_name"]
    assert not User.objects.filter(username="wangwu").exists()
