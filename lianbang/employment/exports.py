"""Excel exports of the employment lists: the labour members a survey has not reached yet and
the job postings. Rows stream from the database (``iterator``) into the transfer app's
constant-memory writer (with its choice labels), masked (ID number, phone; DOMAIN §9), and each
export is one audit entry. The callers pass querysets already limited to the user's scope."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from lianbang.audit.models import Action
from lianbang.audit.services import Actor, audit_record
from lianbang.employment.models import JobPosting, SurveyCampaign, SurveyEntry
from lianbang.org.models import Unit
from lianbang.registry.models import Member
from lianbang.transfer.exports import CHUNK, LABELS, Progress, write_rows
from lianbang.transfer.xlsx import Column

UNREACHED_COLUMNS = (
    Column("household_no", "户编号", 16),
    Column("unit", "所属单位", 16),
    Column("name", "姓名", 10),
    Column("id_number", "证件号码", 21),
    Column("sex", "性别", 6),
    Column("birth_date", "出生日期", 12),
    Column("labor_skill", "劳动技能", 14),
    Column("status", "摸底结果", 10),
    Column("note", "说明", 24),
    Column("phone", "联系电话", 14),
)
POSTING_COLUMNS = (
    Column("enterprise", "企业名称", 24),
    Column("credit_code", "统一社会信用代码", 21),
    Column("title", "岗位名称", 18),
    Column("job_type", "工种", 10),
    Column("headcount", "招聘人数", 8),
    Column("hired", "已录用", 8),
    Column("wage_min", "月工资下限", 10),
    Column("wage_max", "月工资上限", 10),
    Column("work_location", "务工所在地", 12),
    Column("station", "服务站", 10),
    Column("ages", "年龄要求", 10),
    Column("deadline", "截止日期", 12),
    Column("accommodation", "提供住宿", 8),
    Column("transport", "提供交通", 8),
    Column("status", "状态", 8),
    Column("contact_name", "联系人", 10),
    Column("phone", "联系电话", 14),
)


def unreached_export(
    path: Path,
    *,
    campaign: SurveyCampaign,
    unit: Unit,
    entries: QuerySet[SurveyEntry],
    members: QuerySet[Member],
    actor: Actor = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> int:
    """未摸底人员: the campaign's entries under ``unit`` not reached yet, of ``members`` only."""
    chosen = (
        entries.filter(member__in=members.values("pk"))
        .select_related("member__household", "unit")
        .order_by("unit_path", "household_id", "member_id")
    )
    rows = (_unreached_row(e) for e in chosen.iterator(CHUNK))
    total = chosen.count() if progress else 0
    count = write_rows(
        path, "未摸底人员", UNREACHED_COLUMNS, rows, today=today, progress=progress, total=total
    )
    _audit(actor, "employment_unreached", count, {"campaign": campaign.pk, "unit": unit.pk})
    return count


def _unreached_row(entry: SurveyEntry) -> dict[str, Any]:
    member = entry.member
    return {
        "household_no": member.household.household_no,
        "unit": entry.unit.name,
        "name": member.name,
        "id_number": member.id_number,
        "sex": LABELS["sex"].get(member.sex, member.sex),
        "birth_date": member.birth_date,
        "labor_skill": LABELS["labor_skill"].get(member.labor_skill, member.labor_skill),
        "status": entry.get_status_display(),
        "note": entry.note,
        "phone": member.household.phone,
    }


def postings_export(
    path: Path,
    *,
    postings: QuerySet[JobPosting],
    unit: Unit,
    actor: Actor = None,
    open_only: bool = True,
    today: date | None = None,
) -> int:
    """岗位清单 of ``unit``: the (already scoped) postings, newest first, with the enterprise's
    code; the audit entry names the unit."""
    chosen = postings.select_related("enterprise").order_by("-pk")
    rows = (_posting_row(p) for p in chosen.iterator(CHUNK))
    count = write_rows(path, "岗位清单", POSTING_COLUMNS, rows, today=today)
    _audit(actor, "employment_postings", count, {"unit": unit.pk, "open_only": open_only})
    return count


def _posting_row(posting: JobPosting) -> dict[str, Any]:
    enterprise = posting.enterprise
    return {
        "enterprise": enterprise.name,
        "credit_code": enterprise.credit_code,
        "title": posting.title,
        "job_type": posting.get_job_type_display(),
        "headcount": posting.headcount,
        "hired": posting.hired,
        "wage_min": posting.wage_min,
        "wage_max": posting.wage_max,
        "work_location": LABELS["work_location"].get(posting.work_location, posting.work_location),
        "station": posting.get_station_display() if posting.station else "",
        "ages": f"{posting.age_min}–{posting.age_max}",
        "deadline": posting.deadline,
        "accommodation": posting.accommodation,
        "transport": posting.transport,
        "status": posting.get_status_display(),
        "contact_name": enterprise.contact_name,
        "phone": enterprise.contact_phone,
    }


def _audit(actor: Actor, what: str, count: int, scope: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="export",
        object_id=what,
        changes={"rows": count, "masked": True, **scope},
    )
