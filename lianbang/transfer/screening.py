"""Applying a department's screening list: rows matched by ID number to the members of the
uploader's units, turned into facts or events on the person with ``department:<code>`` as
their source, each household saved (and so re-judged) in its own transaction.

Every row ends with one status: applied, unchanged, below_threshold, unmatched, ambiguous or
error — the last three come back to the department as a report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from lianbang.accounts.models import DepartmentMatch, User
from lianbang.common.errors import ApplicationError
from lianbang.common.text import compact
from lianbang.common.validators import InvalidValue, Reason, normalize_id_number
from lianbang.registry import vocab
from lianbang.registry.export import household_to_document
from lianbang.registry.models import Household, Member
from lianbang.registry.parsing import lookup_choice
from lianbang.registry.services import household_save_document
from lianbang.transfer.departments import TEMPLATES, ListTemplate, threshold
from lianbang.transfer.reading import Table, read_table, unreadable
from lianbang.transfer.values import CellProblem, as_text, clean, is_blank

Progress = Callable[[int, int], None]
STATUSES = ("applied", "unchanged", "below_threshold", "unmatched", "ambiguous", "error")
STATUS_LABELS = {
    "applied": "已记入",
    "unchanged": "无变化",
    "below_threshold": "未达阈值",
    "unmatched": "未匹配",
    "ambiguous": "无法确定",
    "error": "有误",
}
REPORTED = ("unmatched", "ambiguous", "error")
_JOINED = {"纳入", "新增", "新纳入", "享受", "是", "增加"}
_LEFT = {"退出", "取消", "停保", "终止", "否", "减少"}
_SAFE = {"安全", "是", "a", "b", "a级", "b级", "达标"}
_UNSAFE = {"不安全", "否", "c", "d", "c级", "d级", "危房", "不达标"}


@dataclass
class ListRow:
    row: int
    cells: list[Any]
    values: dict[str, Any] = field(default_factory=dict)
    id_number: str = ""
    status: str = ""
    reason: str = ""
    reason_en: str = ""
    member: Member | None = None

    def settle(self, status: str, reason: Reason | None = None) -> None:
        self.status = status
        self.reason, self.reason_en = (reason.zh, reason.en) if reason else ("", "")

    def as_dict(self) -> dict[str, Any]:
        household = self.member.household.household_no if self.member and self.status != "unmatched" else ""
        return {
            "row": self.row,
            "status": self.status,
            "household_no": household,
            "reason": self.reason,
            "reason_en": self.reason_en,
        }


@dataclass
class ScreeningReport:
    department: str
    dry_run: bool
    file_name: str
    titles: list[str]
    rows: list[ListRow] = field(default_factory=list)
    households: Counter[str] = field(default_factory=Counter)

    def summary(self) -> dict[str, Any]:
        counts = Counter(r.status for r in self.rows)
        return {
            "summary": True,
            "department": self.department,
            "dry_run": self.dry_run,
            "file": self.file_name,
            "rows": {status: counts.get(status, 0) for status in STATUSES},
            "households": dict(self.households),
        }

    @property
    def reported_rows(self) -> list[ListRow]:
        return [r for r in self.rows if r.status in REPORTED]


def department_list_process(
    *,
    path: Path,
    department: str,
    name: str = "",
    actor: User | None = None,
    dry_run: bool = False,
    today: date | None = None,
    unit_paths: tuple[str, ...] | None = None,
    progress: Progress | None = None,
) -> ScreeningReport:
    """Match and apply (or with ``dry_run`` only preview) a department's list.

    ``unit_paths``: the subtrees whose members may be matched (None: all). Raises
    ApplicationError only when the file cannot be read or lacks a required column."""
    template = _template(department)
    name = name or path.name
    table = read_table(path, name, lookup=template.lookup, minimum=2)
    _check_required(template, table, name)
    report = ScreeningReport(department, dry_run, name, table.layout.titles)
    report.rows = [_parse(template, table, number, cells) for number, cells in table.data_rows()]
    _mark_duplicates(report.rows)
    _match(report.rows, unit_paths)
    _apply_all(template, report, actor, dry_run, today or timezone.localdate(), progress)
    return report


def _template(department: str) -> ListTemplate:
    template = TEMPLATES.get(department)
    if template is None:
        raise ApplicationError(
            "unknown_department", f"未知的部门「{department}」", f"unknown department {department!r}"
        )
    return template


def _check_required(template: ListTemplate, table: Table, name: str) -> None:
    missing = [c.title for c in template.columns if c.required and c.key not in table.layout.columns]
    if missing:
        raise unreadable(
            name, f"缺少必填列：{'、'.join(missing)}", f"required columns missing: {', '.join(missing)}"
        )


def _parse(template: ListTemplate, table: Table, number: int, cells: list[Any]) -> ListRow:
    row = ListRow(number, cells)
    for column in template.columns:
        index = table.layout.columns.get(column.key)
        raw = cells[index] if index is not None and index < len(cells) else None
        try:
            value = clean(column.kind, raw)
        except CellProblem as problem:
            row.settle("error", _about(column.title, raw, problem.reason))
            return row
        if is_blank(value) and column.required:
            row.settle("error", _about(column.title, raw, Reason("不能为空", "is required")))
            return row
        row.values[column.key] = value
    try:
        row.id_number = normalize_id_number(str(row.values["id_number"]))
    except InvalidValue as exc:
        row.settle("error", _about("证件号码", row.values["id_number"], exc.reason))
    return row


def _about(title: str, value: Any, reason: Reason) -> Reason:
    shown = f"「{as_text(value)}」" if not is_blank(value) else ""
    return Reason(f"{title}{shown}：{reason.zh}", f"{title} {as_text(value)!r}: {reason.en}")


def _mark_duplicates(rows: list[ListRow]) -> None:
    first: dict[str, int] = {}
    for row in rows:
        if row.status or not row.id_number:
            continue
        if row.id_number in first:
            row.settle(
                "ambiguous",
                Reason(
                    f"与第{first[row.id_number]}行是同一人，未处理",
                    f"same person as row {first[row.id_number]}",
                ),
            )
        else:
            first[row.id_number] = row.row


def _match(rows: list[ListRow], unit_paths: tuple[str, ...] | None) -> None:
    pending = [r for r in rows if not r.status]
    for start in range(0, len(pending), 500):
        batch = pending[start : start + 500]
        found: dict[str, list[Member]] = defaultdict(list)
        members = Member.objects.filter(id_number__in=[r.id_number for r in batch]).select_related(
            "household__unit"
        )
        for member in members:
            if unit_paths is None or any(member.household.unit.path.startswith(p) for p in unit_paths):
                found[member.id_number].append(member)
        for row in batch:
            _match_row(row, found.get(row.id_number, []))


def _match_row(row: ListRow, members: list[Member]) -> None:
    active = [m for m in members if m.status == vocab.MemberStatus.ACTIVE]
    if not members:
        row.settle(
            "unmatched", Reason("本辖区没有该证件号码的人员", "no person with this ID number in your units")
        )
        return
    if not active:
        status = str(vocab.MemberStatus(members[0].status).label)
        row.settle(
            "unmatched",
            Reason(f"该人员已不在册（{status}）", f"the person is no longer active ({members[0].status})"),
        )
        return
    member = active[0]
    given = compact(str(row.values.get("name") or ""))
    if given and given != compact(member.name):
        row.settle(
            "ambiguous",
            Reason("姓名与登记的不一致，请核对证件号码", "the name differs from the registry; check the ID"),
        )
        return
    row.member = member


class HouseholdEdit:
    """The stored document of one household, changed row by row, saved once."""

    def __init__(self, household: Household) -> None:
        self.household = household
        self.document = household_to_document(household)
        self.document["events"] = []
        self.members = {m["id_number"]: m for m in self.document["members"]}
        self._raised: dict[tuple[int, str], Decimal] = defaultdict(Decimal)

    def member(self, id_number: str) -> dict[str, Any]:
        return self.members[id_number]

    def event(self, kind: str, id_number: str, day: Any, **extra: Any) -> None:
        self.document["events"].append({"type": kind, "id_number": id_number, "date": day, **extra})

    def raise_amount(self, year: int, key: str, amount: Decimal) -> bool:
        """Add a listed amount to the household's income record of ``year`` (or the latest one
        before it); the record keeps the larger of its own figure and the listed total."""
        income = self._income(year)
        if income is None:
            return False
        self._raised[(income["year"], key)] += amount
        total = self._raised[(income["year"], key)]
        income[key] = str(max(Decimal(str(income.get(key) or 0)), total))
        return True

    def _income(self, year: int) -> dict[str, Any] | None:
        earlier = [i for i in self.document["incomes"] if i["year"] <= year]
        return max(earlier, key=lambda i: i["year"]) if earlier else None


Effect = Callable[[HouseholdEdit, ListRow, "_Context"], None]


@dataclass
class _Context:
    today: date


def _medical(edit: HouseholdEdit, row: ListRow, ctx: _Context) -> None:
    amount = Decimal(str(row.values["amount"]))
    household = edit.household
    priority = household.category == vocab.HouseholdCategory.LIFTED_OUT or bool(household.monitoring_type)
    limit = threshold("medical_security.priority" if priority else "medical_security.others")
    if amount < limit:
        row.settle("below_threshold", Reason(f"未达到阈值 {limit} 元", f"below the threshold of {limit}"))
        return
    year = int(row.values.get("year") or ctx.today.year)
    if not edit.raise_amount(year, "medical_self_paid", amount):
        row.settle("error", _no_income(year))


def _no_income(year: int) -> Reason:
    return Reason(
        f"该户没有{year}年及以前的收入记录，无法记入；请先采集收入",
        f"the household has no income record for {year} or before; collect its income first",
    )


def _health(edit: HouseholdEdit, row: ListRow, ctx: _Context) -> None:
    chronic = "慢性" in str(row.values.get("category") or "")
    member = edit.member(row.id_number)
    if member["health"] != vocab.Health.DISABLED.label:
        member["health"] = "长期慢性病" if chronic else "患有大病"
    kind = vocab.EventType.CHRONIC_ILLNESS if chronic else vocab.EventType.SERIOUS_ILLNESS
    edit.event(
        kind.value, row.id_number, row.values["diagnosed_on"], note=str(row.values.get("disease") or "")
    )


def _education(edit: HouseholdEdit, row: ListRow, ctx: _Context) -> None:
    dropout, expense = row.values.get("dropout_on"), row.values.get("expense")
    if is_blank(dropout) and is_blank(expense):
        row.settle("error", Reason("辍学日期和教育支出至少填一项", "give the dropout date or the expense"))
        return
    if not is_blank(dropout):
        member = edit.member(row.id_number)
        member["schooling"], member["education"] = "辍学", None
        edit.event(vocab.EventType.DROPOUT.value, row.id_number, dropout)
    if not is_blank(expense):
        _education_expense(edit, row, ctx, Decimal(str(expense)), is_blank(dropout))


def _education_expense(edit: HouseholdEdit, row: ListRow, ctx: _Context, amount: Decimal, only: bool) -> None:
    limit = threshold("education.expense")
    if amount < limit:
        if only:
            row.settle("below_threshold", Reason(f"未达到阈值 {limit} 元", f"below the threshold of {limit}"))
        return
    year = int(row.values.get("year") or ctx.today.year)
    if not edit.raise_amount(year, "education_expense", amount):
        row.settle("error", _no_income(year))


def _civil_affairs(edit: HouseholdEdit, row: ListRow, ctx: _Context) -> None:
    benefit = compact(str(row.values["benefit"]))
    key = (
        "destitute_support"
        if "特困" in benefit
        else "dibao"
        if "低保" in benefit or "最低生活" in benefit
        else ""
    )
    change = compact(str(row.values["change"]))
    joined = True if change in _JOINED else False if change in _LEFT else None
    if not key or joined is None:
        row.settle(
            "error",
            Reason("救助类型应为低保或特困供养，变动类型应为纳入或退出", "benefit or change not understood"),
        )
        return
    edit.member(row.id_number)[key] = joined


def _job_loss(edit: HouseholdEdit, row: ListRow, ctx: _Context) -> None:
    day = str(row.values["registered_on"])
    member = edit.member(row.id_number)
    job = member.get("employment")
    if job and (not job.get("since") or str(job["since"]) <= day):
        member["employment"] = None
    edit.event(vocab.EventType.JOB_LOSS.value, row.id_number, day, note=str(row.values.get("employer") or ""))


def _disability(edit: HouseholdEdit, row: ListRow, ctx: _Context) -> None:
    kind = lookup_choice(vocab.DisabilityType, row.values["disability_type"])
    grade = row.values["grade"]
    if not kind or grade not in (1, 2, 3, 4):
        row.settle("error", Reason("残疾类别或等级（1–4级）有误", "disability type or grade (1–4) is wrong"))
        return
    member = edit.member(row.id_number)
    member.update(health="残疾", disability_type=kind, disability_grade=grade)
    edit.event(vocab.EventType.DISABILITY.value, row.id_number, row.values["certified_on"])


def _disaster(edit: HouseholdEdit, row: ListRow, ctx: _Context) -> None:
    edit.event(
        vocab.EventType.DISASTER.value,
        row.id_number,
        row.values["occurred_on"],
        loss=row.values.get("loss"),
        house_damaged=row.values.get("house_damaged") is True,
        note=str(row.values.get("disaster") or ""),
    )


def _safety(key: str) -> Effect:
    def apply(edit: HouseholdEdit, row: ListRow, ctx: _Context) -> None:
        word = compact(as_text(row.values["safe"])).lower()
        if word not in _SAFE and word not in _UNSAFE:
            row.settle(
                "error", Reason("应为安全或不安全（或A、B、C、D级）", "must be safe or unsafe (or grade A–D)")
            )
            return
        edit.document[key] = word in _SAFE

    return apply


EFFECTS: dict[str, Effect] = {
    "medical_security": _medical,
    "health": _health,
    "education": _education,
    "civil_affairs": _civil_affairs,
    "hrss": _job_loss,
    "disabled_federation": _disability,
    "emergency": _disaster,
    "housing": _safety("housing_safe"),
    "water": _safety("water_safe"),
}


def _apply_all(
    template: ListTemplate,
    report: ScreeningReport,
    actor: User | None,
    dry_run: bool,
    today: date,
    progress: Progress | None,
) -> None:
    by_household: dict[int, list[ListRow]] = defaultdict(list)
    for row in report.rows:
        if row.member is not None and not row.status:
            by_household[row.member.household_id].append(row)
    ctx = _Context(today)
    for done, rows in enumerate(by_household.values(), start=1):
        outcome = _apply_household(template, rows, actor, dry_run, ctx)
        report.households[outcome] += 1
        if progress:
            progress(done, len(by_household))


def _apply_household(
    template: ListTemplate, rows: list[ListRow], actor: User | None, dry_run: bool, ctx: _Context
) -> str:
    household = rows[0].member.household if rows[0].member else None
    assert household is not None
    edit = HouseholdEdit(household)
    for row in rows:
        EFFECTS[template.department](edit, row, ctx)
    pending = [r for r in rows if not r.status]
    if not pending:
        return "unchanged"
    try:
        outcome = _save(edit, template.department, actor, dry_run, ctx.today)
    except ApplicationError as error:
        _refuse(pending, error)
        return "error"
    for row in pending:
        row.settle("applied" if outcome != "unchanged" else "unchanged")
    if not dry_run:
        DepartmentMatch.objects.get_or_create(
            department=template.department, household=household, defaults={"source": template.title}
        )
    return outcome


def _save(edit: HouseholdEdit, department: str, actor: User | None, dry_run: bool, today: date) -> str:
    source = f"department:{department}"
    with transaction.atomic():
        result = household_save_document(data=edit.document, actor=actor, today=today, source=source)
        if dry_run:
            transaction.set_rollback(True)
    return result.outcome


def _refuse(rows: Iterable[ListRow], error: ApplicationError) -> None:
    detail = "；".join(p.message for p in error.problems) or error.message
    detail_en = "; ".join(p.message_en for p in error.problems) or error.message_en
    for row in rows:
        row.settle("error", Reason(detail, detail_en))
