from __future__ import annotations

import io
from datetime import date

from python_calamine import CalamineWorkbook

from lianbang.accounts.exports import Column, write_masked_xlsx
from lianbang.accounts.masking import mask_household_document, mask_row, mask_value
from lianbang.accounts.models import Role
from lianbang.accounts.tests.cast import Cast, logged_in
from lianbang.audit.models import Action, AuditEntry
from lianbang.registry.models import Household

TODAY = date(2026, 11, 29)
HEAD_ID = "530113198001010014"
CHILD_ID = "530113201006010034"  # born 2010-06-01: 16, not a minor
TODDLER_ID = "530113202001010012"


def set_phone(household: Household) -> None:
    Household.objects.filter(pk=household.pk).update(phone="13812345678")


def test_an_id_number_shows_region_and_last_four_digits_only() -> None:
    assert mask_value("id_number", HEAD_ID) == "530113********0014"


def test_a_phone_number_shows_its_first_three_and_last_four_digits() -> None:
    assert mask_value("phone", "13812345678") == "138****5678"


def test_health_and_disability_details_are_hidden() -> None:
    row = mask_row({"health": "残疾", "disability_type": "肢体", "disability_grade": 2}, today=TODAY)
    assert row == {"health": "***", "disability_type": "***", "disability_grade": "***"}


def test_a_child_under_14_has_name_birth_date_and_schooling_hidden() -> None:
    row = mask_row({"name": "张小宝", "id_number": TODDLER_ID, "schooling": "小学"}, today=TODAY)
    assert row == {"name": "张**", "id_number": "530113********0012", "schooling": "***"}


def test_an_adult_keeps_name_and_birth_date() -> None:
    row = mask_row({"name": "张三", "birth_date": "1980-01-01"}, today=TODAY)
    assert row == {"name": "张三", "birth_date": "1980-01-01"}


def test_a_health_event_in_a_document_does_not_tell_the_illness() -> None:
    document = {
        "phone": "13812345678",
        "members": [],
        "events": [{"type": "serious_illness", "note": "肺癌", "id_number": HEAD_ID}],
    }
    masked = mask_household_document(document, today=TODAY)
    assert masked["phone"] == "138****5678"
    assert masked["events"][0] == {"type": "***", "note": "***", "id_number": "530113********0014"}


def test_the_api_returns_a_household_masked_by_default(cast: Cast) -> None:
    set_phone(cast.home)
    body = logged_in(cast.user(Role.AREA_LEADER)).get(f"/api/v1/households/{cast.home.pk}").json()
    text = str(body)
    assert HEAD_ID not in text and "13812345678" not in text
    assert body["phone"] == "138****5678"
    assert body["members"][0]["id_number"] == "530113********0014"
    assert body["members"][0]["health"] == "***"


def test_the_api_household_list_masks_phones(cast: Cast) -> None:
    set_phone(cast.home)
    body = logged_in(cast.user(Role.GRID_WORKER)).get("/api/v1/households").json()
    assert [row["phone"] for row in body["items"]] == ["138****5678"]


def test_the_household_page_shows_masked_values(cast: Cast) -> None:
    set_phone(cast.home)
    page = logged_in(cast.user(Role.GRID_WORKER)).get(f"/households/{cast.home.pk}/").content.decode()
    assert "530113********0014" in page and HEAD_ID not in page
    assert "138****5678" in page and "13812345678" not in page
    assert "健康" not in page.split("<tbody>")[1].split("</tbody>")[0]


def test_revealing_one_value_needs_a_reason_and_is_audited(cast: Cast) -> None:
    client = logged_in(cast.user(Role.GRID_WORKER))
    member = cast.home.members.get(id_number=HEAD_ID)
    refused = client.post(f"/households/{cast.home.pk}/reveal/", {"target": f"member:{member.pk}:id_number"})
    assert refused.status_code == 400 and HEAD_ID not in refused.content.decode()
    shown = client.post(
        f"/households/{cast.home.pk}/reveal/",
        {"target": f"member:{member.pk}:id_number", "reason": "办理医保报销"},
    )
    assert f'id="revealed-value">{HEAD_ID}<' in shown.content.decode()
    entry = AuditEntry.objects.get(action=Action.REVEAL)
    assert (entry.actor_name, entry.object_type, entry.object_id) == (
        "gridworker",
        "registry.member",
        str(member.pk),
    )
    assert entry.reason == "办理医保报销" and entry.changes["field"] == "id_number"


def test_revealing_through_the_api_is_audited_too(cast: Cast) -> None:
    set_phone(cast.home)
    client = logged_in(cast.user(Role.AREA_LEADER))
    response = client.post(
        f"/api/v1/households/{cast.home.pk}/reveal",
        {"field": "phone", "reason": "电话回访"},
        content_type="application/json",
    )
    assert response.json() == {"label": "联系电话", "value": "13812345678"}
    assert AuditEntry.objects.filter(action=Action.REVEAL, object_type="registry.household").count() == 1


def test_a_leader_reads_but_may_not_reveal(cast: Cast) -> None:
    client = logged_in(cast.user(Role.LEADER))
    assert client.get(f"/households/{cast.home.pk}/").status_code == 200
    response = client.post(
        f"/households/{cast.home.pk}/reveal/", {"target": "household::phone", "reason": "想看看"}
    )
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=Action.REVEAL).exists()


def test_an_excel_export_is_masked_and_audited(cast: Cast) -> None:
    rows = [
        {"name": "张三", "id_number": HEAD_ID, "phone": "13812345678", "health": "患有大病"},
        {"name": "张小宝", "id_number": TODDLER_ID, "phone": "", "health": "健康"},
        {"name": '=HYPERLINK("http://x")', "id_number": CHILD_ID, "phone": None, "health": "健康"},
    ]
    columns = [
        Column("name", "姓名"),
        Column("id_number", "证件号码"),
        Column("phone", "电话"),
        Column("health", "健康状况"),
    ]
    stream = io.BytesIO()
    count = write_masked_xlsx(
        stream, columns=columns, rows=rows, actor=cast.user(Role.AREA_LEADER), what="members", today=TODAY
    )
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(stream.getvalue())).get_sheet_by_index(0).to_python()
    assert count == 3
    assert sheet[0] == ["姓名", "证件号码", "电话", "健康状况"]
    assert sheet[1] == ["张三", "530113********0014", "138****5678", "***"]
    assert sheet[2] == ["张**", "530113********0012", "", "***"]
    assert sheet[3][0] == '=HYPERLINK("http://x")'  # text, never a formula
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.object_id == "members" and entry.changes["rows"] == 3
