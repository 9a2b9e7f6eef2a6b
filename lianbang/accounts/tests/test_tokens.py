from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from lianbang.accounts.models import ApiToken, Assignment, Role
from lianbang.accounts.tests.cast import Cast
from lianbang.audit.models import Action, AuditEntry


def create_token(username: str, *args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("token", "create", username, *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_command_prints_a_token_once_and_stores_only_its_hash(cast: Cast) -> None:
    raw = create_token("gridworker", "--expires", "7")
    stored = ApiToken.objects.get()
    assert raw.startswith("lb_") and raw not in str(list(ApiToken.objects.values()))
    assert stored.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert timedelta(days=6, hours=23) < stored.expires_at - timezone.now() <= timedelta(days=7)
    assert AuditEntry.objects.filter(action=Action.TOKEN_CREATE).exists()


def test_a_token_acts_as_its_role_in_its_unit(cast: Cast) -> None:
    client = Client()
    raw = create_token("gridworker")
    me = client.get("/api/v1/me", **bearer(raw)).json()
    assert [(g["role"], g["unit_id"]) for g in me["grants"]] == [("grid_worker", cast.tree.floor_group.pk)]
    assert client.get(f"/api/v1/households/{cast.home.pk}", **bearer(raw)).status_code == 200
    assert client.get(f"/api/v1/households/{cast.neighbour.pk}", **bearer(raw)).status_code == 404


def test_a_token_of_a_user_with_several_roles_carries_only_the_one_named(cast: Cast) -> None:
    worker = cast.user(Role.GRID_WORKER)
    Assignment.objects.create(user=worker, unit=cast.street2, role=Role.STREET_OFFICIAL)
    with pytest.raises(CommandError, match="--unit"):
        create_token("gridworker")
    raw = create_token("gridworker", "--unit", str(cast.street2.pk), "--role", "street_official")
    client = Client()
    assert client.get(f"/api/v1/households/{cast.far.pk}", **bearer(raw)).status_code == 200
    assert client.get(f"/api/v1/households/{cast.home.pk}", **bearer(raw)).status_code == 404


def test_a_revoked_token_no_longer_works(cast: Cast) -> None:
    raw = create_token("gridworker")
    call_command("token", "revoke", ApiToken.objects.get().prefix, stdout=StringIO())
    assert Client().get("/api/v1/me", **bearer(raw)).status_code == 401
    assert AuditEntry.objects.filter(action=Action.TOKEN_REVOKE).exists()


def test_an_expired_token_no_longer_works(cast: Cast) -> None:
    raw = create_token("gridworker")
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get("/api/v1/me", **bearer(raw)).status_code == 401


def test_a_token_stops_when_its_assignment_is_withdrawn(cast: Cast) -> None:
    raw = create_token("gridworker")
    Assignment.objects.filter(user=cast.user(Role.GRID_WORKER)).delete()
    assert Client().get("/api/v1/me", **bearer(raw)).status_code == 401


def test_a_made_up_token_is_refused_with_a_message(cast: Cast) -> None:
    response = Client().get("/api/v1/me", **bearer("lb_deadbeef_" + "x" * 43))
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer " + "x" * 5000).status_code == 401


def test_expiry_is_bounded(cast: Cast) -> None:
    with pytest.raises(CommandError, match="1–366"):
        create_token("gridworker", "--expires", "0")
    with pytest.raises(CommandError, match="no user"):
        create_token("nobody")


def test_the_session_api_needs_the_csrf_token_for_writes(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.user(Role.AREA_LEADER))
    assert client.get("/api/v1/me").status_code == 200
    url = f"/api/v1/households/{cast.home.pk}/reveal"
    payload = {"field": "phone", "reason": "电话回访"}
    assert client.post(url, payload, content_type="application/json").status_code == 403
    client.get("/login/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(url, payload, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_a_token_needs_no_csrf_token(cast: Cast) -> None:
    raw = create_token("gridworker")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/api/v1/households/{cast.home.pk}/reveal",
        {"field": "phone", "reason": "电话回访"},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 200


def test_the_token_list_never_shows_the_token(cast: Cast) -> None:
    raw = create_token("gridworker")
    out = StringIO()
    call_command("token", "list", "gridworker", stdout=out)
    assert "active" in out.getvalue() and raw not in out.getvalue()
