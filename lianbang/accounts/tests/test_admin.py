from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import Client

from lianbang.accounts.models import ApiToken, LoginLock, Role
from lianbang.accounts.tests.cast import Cast, make_user
from lianbang.audit.models import AuditEntry


def test_the_admin_pages_for_access_and_audit_open_read_only(cast: Cast) -> None:
    call_command("token", "create", "gridworker", stdout=StringIO(), stderr=StringIO())
    LoginLock.objects.create(kind="account", key="someone", failures=2)
    root = make_user("root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    token, lock, entry = ApiToken.objects.get(), LoginLock.objects.get(), AuditEntry.objects.first()
    assert entry is not None
    pages = [
        "/admin/accounts/apitoken/",
        f"/admin/accounts/apitoken/{token.pk}/change/",
        "/admin/accounts/loginlock/",
        f"/admin/accounts/loginlock/{lock.pk}/change/",
        "/admin/audit/auditentry/",
        f"/admin/audit/auditentry/{entry.pk}/change/",
        "/admin/accounts/rolepermissionoverride/add/",
        f"/admin/accounts/user/{cast.user(Role.GRID_WORKER).pk}/change/",
    ]
    assert {url: client.get(url).status_code for url in pages} == dict.fromkeys(pages, 200)
    assert token.digest not in client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403


def test_an_administrators_password_reset_forces_a_change_at_next_login(cast: Cast) -> None:
    from django.utils import timezone

    worker = cast.user(Role.GRID_WORKER)
    worker.password_changed_at = timezone.now()
    worker.save()
    root = make_user("root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    response = client.post(
        f"/admin/accounts/user/{worker.pk}/password/",
        {"password1": "Reset#2027x", "password2": "Reset#2027x", "usable_password": "true"},
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.password_changed_at is None and worker.check_password("Reset#2027x")
