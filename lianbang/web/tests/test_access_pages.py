from __future__ import annotations

import io

from django.test import Client
from python_calamine import CalamineWorkbook

from lianbang.accounts.models import Role
from lianbang.accounts.tests.cast import Cast, logged_in
from lianbang.audit.models import Action, AuditEntry
from lianbang.audit.services import audit_record


def test_a_grid_worker_lands_on_the_phone_app_and_officials_on_the_console(cast: Cast) -> None:
    assert logged_in(cast.user(Role.GRID_WORKER)).get("/")["Location"] == "/m/"
    assert logged_in(cast.user(Role.COMMUNITY_OFFICIAL)).get("/")["Location"] == "/console/"
    assert logged_in(cast.user(Role.LEADER)).get("/")["Location"] == "/console/"
    assert logged_in(cast.user(Role.DEPARTMENT)).get("/").status_code == 200


def test_the_overview_lists_a_grid_workers_own_households(cast: Cast) -> None:
    page = logged_in(cast.user(Role.GRID_WORKER)).get("/overview/").content.decode()
    assert "530113-000001" in page and "530113-000002" not in page


def test_the_floor_group_page_lists_only_households_in_the_users_scope(cast: Cast) -> None:
    url = f"/units/{cast.tree.floor_group.pk}/"
    official = logged_in(cast.user(Role.FLOOR_LEADER)).get(url).content.decode()
    assert "530113-000001" in official and "530113-000002" in official
    admin = logged_in(cast.user(Role.SYSTEM_ADMIN)).get(url).content.decode()
    assert 'id="households-total">2<' in admin and "530113-000001" not in admin


def test_menus_offer_only_what_the_user_may_use(cast: Cast) -> None:
    leader = logged_in(cast.user(Role.LEADER)).get("/overview/", follow=True).content.decode()
    assert "/audit/" not in leader and "/break-glass/" not in leader
    admin = logged_in(cast.user(Role.DISTRICT_ADMIN)).get("/overview/", follow=True).content.decode()
    assert "/audit/" in admin


def test_administrators_search_the_audit_log(cast: Cast) -> None:
    audit_record(
        actor=cast.user(Role.GRID_WORKER),
        action=Action.REVEAL,
        object_type="registry.member",
        object_id=7,
        reason="核对身份",
    )
    audit_record(actor=cast.user(Role.LEADER), action=Action.EXPORT, object_type="export", object_id="x")
    client = logged_in(cast.user(Role.DISTRICT_ADMIN))
    page = client.get("/audit/", {"actor": "gridworker", "action": "reveal"}).content.decode()
    assert "核对身份" in page and "export" not in page.split("<tbody>")[1]


def test_the_audit_log_masks_personal_values_in_changes(cast: Cast) -> None:
    audit_record(
        actor=None,
        action="update",
        object_type="registry.member",
        object_id=1,
        changes={"fields": {"id_number": [None, "530113198001010014"]}},
    )
    page = logged_in(cast.user(Role.DISTRICT_ADMIN)).get("/audit/").content.decode()
    assert "530113198001010014" not in page and "530113********0014" in page


def test_administrators_export_the_audit_log_and_the_export_is_audited(cast: Cast) -> None:
    audit_record(actor=None, action=Action.LOGIN_FAILED, object_type="accounts.user", object_id="nobody")
    response = logged_in(cast.user(Role.SYSTEM_ADMIN)).get("/audit/export.xlsx", {"action": "login_failed"})
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "序号" and [row[4] for row in sheet[1:]] == ["login_failed"]
    assert AuditEntry.objects.filter(action=Action.EXPORT, object_id="audit_log").exists()


def test_officials_cannot_read_the_audit_log(cast: Cast) -> None:
    assert logged_in(cast.user(Role.STREET_OFFICIAL)).get("/audit/").status_code == 403


def test_bad_input_gets_a_clear_answer_never_a_server_error(cast: Cast) -> None:
    admin = logged_in(cast.user(Role.DISTRICT_ADMIN))
    worker = logged_in(cast.user(Role.GRID_WORKER))
    client_anonymous = Client()
    answers = [
        admin.get(
            "/audit/", {"since": "9999-99-99", "until": "9999-12-31", "page": "x", "actor": "\x00" * 300}
        ),
        admin.get("/audit/export.xlsx", {"since": "0001-01-01"}),
        worker.post(
            f"/households/{cast.home.pk}/reveal/", {"target": "member:abc:id_number", "reason": "核对核对"}
        ),
        worker.post(
            f"/households/{cast.home.pk}/reveal/", {"target": "household::password", "reason": "核对核对"}
        ),
        worker.post(f"/households/{cast.home.pk}/reveal/", {"target": "", "reason": "x" * 10000}),
        worker.post("/break-glass/", {"household_no": "\x00", "reason": "紧急紧急紧急"}),
        worker.post("/break-glass/", {"household_no": "530113-000002", "reason": "紧急\x00紧急紧急"}),
        worker.post(
            f"/households/{cast.home.pk}/reveal/", {"target": "household::phone", "reason": "核对\x00核对"}
        ),
        client_anonymous.post("/login/", {"username": "grid\x00worker", "password": "x\x00"}),
        worker.get("/households/99999999999999999999/"),
        worker.get("/api/v1/households/abc"),
        worker.get("/api/v1/households/99999999999999999999"),
        worker.post(f"/api/v1/households/{cast.home.pk}/reveal", "not json", content_type="application/json"),
        worker.post(
            f"/api/v1/households/{cast.home.pk}/reveal",
            {"field": "id_number", "member_id": 2**62, "reason": "核对核对"},
            content_type="application/json",
        ),
    ]
    assert [r.status_code for r in answers if r.status_code >= 500] == []
    assert answers[3].status_code == 400 and "不能查看该项" in answers[3].content.decode()
    assert answers[6].status_code == 302  # the break-the-glass access went through, NUL dropped


def test_the_household_page_speaks_english_too(cast: Cast) -> None:
    client = logged_in(cast.user(Role.GRID_WORKER))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/households/{cast.home.pk}/").content.decode()
    assert "ID number" in page and "Reveal one sensitive value" in page
