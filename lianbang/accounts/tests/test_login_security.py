from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianbang.accounts.lockout import lock_keys, locked_until, unlock
from lianbang.accounts.login import PENDING_KEY
from lianbang.accounts.models import LoginLock, Role, User
from lianbang.accounts.tests.cast import PASSWORD, make_user
from lianbang.audit.models import Action, AuditEntry
from lianbang.conftest import Tree

pytestmark = pytest.mark.usefixtures("fast_passwords")


def chose_own_password(user: User) -> User:
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password_changed_at"])
    return user


@pytest.fixture
def official(tree: Tree, fast_passwords: None) -> User:
    return chose_own_password(make_user("area01", Role.AREA_LEADER, tree.area))


@pytest.fixture
def district_admin(tree: Tree, fast_passwords: None) -> User:
    return chose_own_password(make_user("district", Role.DISTRICT_ADMIN, tree.district))


def log_in(client: Client, username: str, password: str = PASSWORD, ip: str = "10.0.0.1") -> str:
    response = client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)
    return response["Location"] if response.status_code == 302 else response.content.decode()


def is_logged_in(client: Client) -> bool:
    return client.get("/api/v1/me").status_code == 200


def current_code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():0{device.digits}d}"


# Passwords


def test_a_password_needs_three_kinds_of_character(db: None) -> None:
    with pytest.raises(ValidationError, match="至少 3 类"):
        validate_password("lianbang2026")
    validate_password("Lianbang@2026")


def test_a_password_needs_eight_characters(db: None) -> None:
    with pytest.raises(ValidationError):
        validate_password("Ab1!xyz")


def test_none_of_the_last_five_passwords_may_be_chosen_again(official: User) -> None:
    for n in range(1, 6):
        official.set_password(f"Secret#{n}xyz")
        official.save()
    with pytest.raises(ValidationError, match="最近 5 次"):
        validate_password("Secret#1xyz", official)
    official.set_password("Secret#6xyz")
    official.save()
    validate_password("Secret#1xyz", official)


def test_a_new_account_must_change_its_password_at_first_login(tree: Tree, fast_passwords: None) -> None:
    make_user("area02", Role.AREA_LEADER, tree.area)
    client = Client()
    assert log_in(client, "area02") == "/login/password/"
    assert not is_logged_in(client)
    weak = client.post("/login/password/", {"new_password1": "lianbang", "new_password2": "lianbang"})
    assert weak.status_code == 200 and not is_logged_in(client)
    same = client.post("/login/password/", {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert "最近 5 次" in same.content.decode()
    done = client.post("/login/password/", {"new_password1": "Hexie#2027", "new_password2": "Hexie#2027"})
    assert done.status_code == 302 and is_logged_in(client)
    assert User.objects.get(username="area02").password_changed_at is not None
    assert AuditEntry.objects.filter(action=Action.PASSWORD_CHANGE).count() == 1


def test_a_user_changes_their_own_password_knowing_the_old_one(official: User) -> None:
    client = Client()
    log_in(client, "area01")
    wrong = client.post(
        "/account/password/",
        {"old_password": "nope", "new_password1": "Hexie#2027", "new_password2": "Hexie#2027"},
    )
    assert wrong.status_code == 200
    right = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "Hexie#2027", "new_password2": "Hexie#2027"},
    )
    assert right.status_code == 302 and is_logged_in(client)


# Lockout


def test_five_failures_lock_the_account_for_thirty_minutes(official: User) -> None:
    client = Client()
    for _ in range(5):
        log_in(client, "area01", "wrong-password")
    page = log_in(client, "area01")
    assert "已锁定" in page and not is_logged_in(client)
    lock = LoginLock.objects.get(kind="account", key="area01")
    assert lock.locked_until is not None
    assert timedelta(minutes=29) < lock.locked_until - timezone.now() <= timedelta(minutes=30)
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED).count() == 6
    assert AuditEntry.objects.filter(action=Action.LOCKOUT, object_id="area01").exists()


def test_the_lock_lifts_by_itself_after_thirty_minutes(official: User) -> None:
    client = Client()
    for _ in range(5):
        log_in(client, "area01", "wrong-password")
    keys = lock_keys("area01", None)
    assert locked_until(keys, now=timezone.now() + timedelta(minutes=29)) is not None
    assert locked_until(keys, now=timezone.now() + timedelta(minutes=31)) is None
    # Thirty minutes pass: the stored end of the lock now lies in the past.
    LoginLock.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert log_in(client, "area01") == "/"


def test_an_administrator_can_unlock_an_account_early(official: User) -> None:
    client = Client()
    for _ in range(5):
        log_in(client, "area01", "wrong-password")
    for lock in LoginLock.objects.filter(locked_until__isnull=False):
        unlock(lock=lock, actor=None)
    assert log_in(client, "area01") == "/"
    assert AuditEntry.objects.filter(action=Action.UNLOCK).exists()


def test_five_failures_from_one_address_lock_that_address(official: User) -> None:
    client = Client()
    for n in range(5):
        log_in(client, f"guess{n}", "wrong-password", ip="10.9.9.9")
    assert "已锁定" in log_in(client, "area01", ip="10.9.9.9")
    assert log_in(Client(), "area01", ip="10.0.0.2") == "/"


def test_failures_spread_over_more_than_the_lock_period_do_not_lock(official: User) -> None:
    client = Client()
    for _ in range(4):
        log_in(client, "area01", "wrong-password")
    LoginLock.objects.update(window_started_at=timezone.now() - timedelta(minutes=31))
    log_in(client, "area01", "wrong-password")
    assert log_in(client, "area01") == "/"


def test_a_login_typed_with_other_capitals_counts_against_the_same_account(official: User) -> None:
    client = Client()
    for name in ["AREA01", "Area01", "area01 ", "aREA01", "area01"]:
        log_in(client, name, "wrong-password", ip=f"10.1.1.{len(name)}")
    assert "已锁定" in log_in(client, "area01", ip="10.2.2.2")


# Idle logout


def test_the_session_ends_after_thirty_idle_minutes(official: User, settings: object) -> None:
    client = Client()
    log_in(client, "area01")
    response = client.get("/api/v1/me")
    assert response.cookies["sessionid"]["max-age"] == 1800
    session = Session.objects.get()
    assert timedelta(minutes=29) < session.expire_date - timezone.now() <= timedelta(minutes=30)
    # Twenty-nine idle minutes: still logged in, and the activity restarts the clock.
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    assert is_logged_in(client)
    assert Session.objects.get().expire_date - timezone.now() > timedelta(minutes=29)
    # Thirty-one idle minutes: logged out.
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    assert client.get("/")["Location"].startswith("/login/")


# Second factor


def test_a_district_admin_must_enrol_and_use_a_second_factor(district_admin: User) -> None:
    client = Client()
    assert log_in(client, "district") == "/login/otp/"
    assert not is_logged_in(client)
    page = client.get("/login/otp/").content.decode()
    assert 'src="/login/otp/qr.svg"' in page and 'id="otp-secret"' in page
    assert client.get("/login/otp/qr.svg")["Content-Type"] == "image/svg+xml"
    device = TOTPDevice.objects.get(user=district_admin)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    assert "不正确" in client.post("/login/otp/", {"code": wrong}).content.decode()
    time.sleep(1.1)  # django-otp makes a device wait 1 s after a wrong code (2 s, 4 s … after more)
    assert client.post("/login/otp/", {"code": current_code(device)}).status_code == 302
    assert is_logged_in(client)
    assert TOTPDevice.objects.get(user=district_admin).confirmed
    login = AuditEntry.objects.get(action=Action.LOGIN)
    assert login.changes == {"second_factor": "totp"}
    assert AuditEntry.objects.filter(action=Action.OTP_ENROL).count() == 1
    assert AuditEntry.objects.filter(action=Action.OTP_FAILED).count() == 1


def test_an_enrolled_admin_types_the_code_again_at_the_next_login(district_admin: User) -> None:
    device = TOTPDevice.objects.create(user=district_admin, name="phone", confirmed=True)
    client = Client()
    log_in(client, "district")
    page = client.get("/login/otp/").content.decode()
    assert "otp-secret" not in page and client.get("/login/otp/qr.svg").status_code == 404
    client.post("/login/otp/", {"code": current_code(device, offset=30)})
    assert is_logged_in(client)


def test_a_system_admin_needs_the_second_factor_too(tree: Tree, fast_passwords: None) -> None:
    chose_own_password(make_user("sysadmin", Role.SYSTEM_ADMIN, tree.district, is_staff=True))
    assert log_in(Client(), "sysadmin") == "/login/otp/"


def test_an_official_needs_no_second_factor(official: User) -> None:
    assert log_in(Client(), "area01") == "/"


def test_wrong_codes_count_towards_the_lock(district_admin: User) -> None:
    client = Client()
    log_in(client, "district")
    for _ in range(5):
        client.post("/login/otp/", {"code": "12345x"})
    device = TOTPDevice.objects.get(user=district_admin)
    assert "已锁定" in client.post("/login/otp/", {"code": current_code(device)}).content.decode()
    assert not is_logged_in(client)


def test_a_pending_login_expires(district_admin: User) -> None:
    client = Client()
    log_in(client, "district")
    session = client.session
    session[PENDING_KEY] = {
        **session[PENDING_KEY],
        "since": (timezone.now() - timedelta(minutes=11)).isoformat(),
    }
    session.save()
    assert client.get("/login/otp/")["Location"] == "/login/"


def test_the_admin_site_logs_in_through_the_same_login(district_admin: User) -> None:
    response = Client().get("/admin/")
    assert response.status_code == 302
    follow = Client().get(response["Location"])
    assert follow.status_code == 302 and follow["Location"].startswith("/login/")


# Demo mode


def test_demo_accounts_skip_first_login_rules_in_demo_mode(
    tree: Tree, fast_passwords: None, settings: object
) -> None:
    settings.LIANBANG_DEMO_MODE = True  # type: ignore[attr-defined]
    make_user("district", Role.DISTRICT_ADMIN, tree.district)
    client = Client()
    assert "演示模式" in client.get("/login/").content.decode()
    assert log_in(client, "district") == "/"
    assert AuditEntry.objects.get(action=Action.LOGIN).changes == {"second_factor": "demo"}


def test_demo_mode_relaxes_nothing_for_other_passwords(
    tree: Tree, fast_passwords: None, settings: object
) -> None:
    settings.LIANBANG_DEMO_MODE = True  # type: ignore[attr-defined]
    user = make_user("district", Role.DISTRICT_ADMIN, tree.district)
    user.set_password("Other#Pass1")
    user.save()
    assert log_in(Client(), "district", "Other#Pass1") == "/login/password/"


def test_without_demo_mode_the_demo_password_relaxes_nothing(tree: Tree, fast_passwords: None) -> None:
    make_user("district", Role.DISTRICT_ADMIN, tree.district)
    client = Client()
    assert "演示模式" not in client.get("/login/").content.decode()
    assert log_in(client, "district") == "/login/password/"


def _settings_in(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = (
        "import lianbang.settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.LIANBANG_DEMO_MODE)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env={"PATH": "", **env}, capture_output=True, text=True
    )


def test_production_refuses_demo_mode() -> None:
    run = _settings_in({"LIANBANG_ENV": "production", "SECRET_KEY": "x" * 50, "LIANBANG_DEMO_MODE": "1"})
    assert run.returncode != 0 and "LIANBANG_DEMO_MODE" in run.stderr


def test_production_sends_hsts_and_secure_cookies() -> None:
    run = _settings_in({"LIANBANG_ENV": "production", "SECRET_KEY": "x" * 50})
    assert run.stdout.split() == ["31536000", "True", "False"]


# Headers and pages


def test_pages_carry_the_security_headers(client: Client, db: None) -> None:
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_hsts_is_sent_over_https_when_configured(client: Client, db: None, settings: object) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000  # type: ignore[attr-defined]
    assert client.get("/login/", secure=True)["Strict-Transport-Security"] == "max-age=31536000"


def test_pages_with_personal_data_are_not_cached(official: User) -> None:
    client = Client()
    client.force_login(official)
    assert "no-store" in client.get("/", follow=True)["Cache-Control"]


TEMPLATE_DIRS = [Path(__file__).resolve().parents[2] / app / "templates" for app in ("web", "audit")]
INLINE = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def test_no_page_template_has_inline_script_or_style() -> None:
    offenders = [
        f"{path.name}: {match.group(0)}"
        for folder in TEMPLATE_DIRS
        for path in folder.rglob("*.html")
        for match in INLINE.finditer(path.read_text())
    ]
    assert offenders == []


def test_an_operator_lifts_locks_from_the_command_line(official: User) -> None:
    from io import StringIO

    from django.core.management import call_command

    client = Client()
    for _ in range(5):
        log_in(client, "area01", "wrong-password")
    listing = StringIO()
    call_command("unlock", stdout=listing)
    assert "account area01" in listing.getvalue() and "ip 10.0.0.1" in listing.getvalue()
    call_command("unlock", "--all", stdout=StringIO())
    assert log_in(client, "area01") == "/"
