"""Spreadsheet rows (one per member, household columns repeated) → interchange documents
(DOMAIN §10), and the document's problem paths → (row, column, value, reason) again.

A blank cell never erases what is stored: for a household already in the registry the
document is the stored one with the file's non-blank values laid over it. Two groups are
taken whole when the file has them, because their blanks mean something: employment (a
blank 务工所在地 = not working) and 文化程度 / 在校生状况 (exactly one is set).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from lianbang.common.errors import FieldProblem
from lianbang.common.validators import Reason
from lianbang.registry import vocab
from lianbang.registry.parsing import lookup_choice
from lianbang.transfer.columns import BY_KEY
from lianbang.transfer.layout import Layout
from lianbang.transfer.values import CellProblem, as_text, clean, is_blank

SourceRow = tuple[int, list[Any]]
HOUSEHOLD_KEYS = (
    "category",
    "monitoring_type",
    "grid",
    "phone",
    "housing_safe",
    "water_safe",
    "origin_village",
    "move_in_date",
    "military_family",
    "no_labor_support",
)
ADDRESS_KEYS = {"building": "building", "entrance": "unit", "floor": "floor", "room": "room"}
MEMBER_PLAIN = (
    "id_number",
    "name",
    "relation",
    "sex",
    "birth_date",
    "ethnicity",
    "political_status",
    "disability_grade",
    "disability_type",
    "labor_skill",
    "serious_illness_insurance",
    "pension_insurance",
    "dibao",
    "destitute_support",
    "medical_aid",
    "disability_subsidy",
    "public_welfare_job",
    "unattended_child",
)
INCOME_KEYS = (
    "wage",
    "business",
    "property",
    "transfer",
    "business_expense",
    "medical_self_paid",
    "education_expense",
    "insurance_claims",
    "household_size",
)
EMPLOYMENT_KEYS = {
    "location": "work_location",
    "since": "employed_since",
    "employer": "employer",
    "monthly_wage": "monthly_wage",
}
# Document path pieces → column keys where they differ.
PATH_COLUMNS = {
    "address.building": "building",
    "address.unit": "entrance",
    "address.floor": "floor",
    "address.room": "room",
    "employment.location": "work_location",
    "employment.since": "employed_since",
    "employment.employer": "employer",
    "employment.monthly_wage": "monthly_wage",
    "employment.channel": "work_location",
    "status": "member_status",
}
_NOT_MONITORED = {"无", "否", "-", "—", "非监测户", "一般"}
_MEMBER_STATUS = {"正常": "在册", "健在": "在册", "死亡": "已故", "去世": "已故", "迁出": "已迁出"}
_ADDRESS = re.compile(
    r"(?P<building>[0-9A-Za-z]+)(?:栋|幢|号楼)(?:(?P<unit>\d+)单元)?(?:(?P<room>\d+)(?:室|号)?)?"
)
_MEMBER_PATH = re.compile(r"^members\[(?P<ref>[^\]]+)\](?:\.(?P<field>.+))?$")
_INCOME_PATH = re.compile(r"^incomes\[\d+\]\.(?P<field>.+)$")


@dataclass
class CellIssue:
    """One problem of one row: the column as the file names it, the value, and why."""

    row: int
    column: str
    value: str
    reason: str
    reason_en: str

    def as_dict(self) -> dict[str, str]:
        return {
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "reason_en": self.reason_en,
        }


@dataclass
class Built:
    """One household read from its rows, before it meets the stored data."""

    household_no: str
    rows: list[int]
    household: dict[str, Any]
    address: dict[str, Any]
    members: list[dict[str, Any]]
    member_rows: list[int]
    income: dict[str, Any] | None
    source: list[SourceRow] = field(default_factory=list)
    field_rows: dict[str, int] = field(default_factory=dict)
    issues: list[CellIssue] = field(default_factory=list)
    warnings: list[CellIssue] = field(default_factory=list)

    def row_of_id(self, id_number: str) -> int | None:
        for member, row in zip(self.members, self.member_rows, strict=True):
            if member.get("id_number") == id_number:
                return row
        return None


class RowReader:
    """The cleaned cells of one row, by column key; problems become issues of the household."""

    def __init__(self, layout: Layout, number: int, cells: list[Any], issues: list[CellIssue]) -> None:
        self.layout, self.number, self.cells, self.issues = layout, number, cells, issues

    def has(self, key: str) -> bool:
        return key in self.layout.columns

    def raw(self, key: str) -> Any:
        index = self.layout.columns.get(key)
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def get(self, key: str) -> Any:
        raw = self.raw(key)
        try:
            return clean(BY_KEY[key].kind, raw)
        except CellProblem as problem:
            self.issues.append(issue(self.layout, self.number, key, raw, problem.reason))
            return None


def issue(layout: Layout, row: int, key: str, value: Any, reason: Reason) -> CellIssue:
    return CellIssue(row, column_title(layout, key), as_text(value), reason.zh, reason.en)


def column_title(layout: Layout, key: str) -> str:
    if not key:
        return ""
    spec = BY_KEY.get(key)
    return layout.title_of(key) or (spec.title if spec else key)


def group_rows(rows: list[SourceRow], layout: Layout) -> tuple[dict[str, list[SourceRow]], list[CellIssue]]:
    """Rows by 户编号 in order of first appearance; rows without one are issues of their own."""
    groups: dict[str, list[SourceRow]] = defaultdict(list)
    orphans: list[CellIssue] = []
    for number, cells in rows:
        household_no = RowReader(layout, number, cells, orphans).get("household_no")
        if household_no:
            groups[str(household_no)].append((number, cells))
        else:
            orphans.append(
                issue(
                    layout,
                    number,
                    "household_no",
                    None,
                    Reason("户编号不能为空", "the household number is required"),
                )
            )
    return groups, orphans


def build_household(household_no: str, rows: list[SourceRow], layout: Layout, income_year: int) -> Built:
    built = Built(household_no, [n for n, _ in rows], {}, {}, [], [], None, source=rows)
    readers = [RowReader(layout, number, cells, built.issues) for number, cells in rows]
    for key in HOUSEHOLD_KEYS:
        _household_value(built, readers, key, _household_clean(key))
    _address(built, readers)
    for reader in readers:
        built.members.append(_member(reader))
        built.member_rows.append(reader.number)
    built.income = _income(built, readers, income_year)
    return built


def _household_clean(key: str) -> Any:
    if key == "monitoring_type":
        return lambda value: "非监测对象" if value in _NOT_MONITORED else value
    return lambda value: value


def _household_value(built: Built, readers: list[RowReader], key: str, adjust: Any) -> Any:
    """The first non-blank value of a household column; a different one later is a conflict."""
    if not readers or not readers[0].has(key):
        return None
    found: Any = None
    for reader in readers:
        value = reader.get(key)
        if is_blank(value):
            continue
        if found is None:
            found = value
            built.field_rows[key] = reader.number
            built.household[key] = adjust(value)
        elif value != found:
            built.issues.append(_conflict(reader, key, value, found, built.field_rows[key]))
    return found


def _conflict(reader: RowReader, key: str, value: Any, first: Any, first_row: int) -> CellIssue:
    reason = Reason(
        f"同一户各行的「{column_title(reader.layout, key)}」不一致（第{first_row}行为「{as_text(first)}」）",
        f"differs from row {first_row} of the same household ({as_text(first)!r})",
    )
    return issue(reader.layout, reader.number, key, value, reason)


def _address(built: Built, readers: list[RowReader]) -> None:
    for key, target in ADDRESS_KEYS.items():
        value = _household_value(built, readers, key, lambda v: v)
        built.household.pop(key, None)
        if value is not None:
            built.address[target] = value
    text = _household_value(built, readers, "address", lambda v: v)
    built.household.pop("address", None)
    match = _ADDRESS.search(str(text or "").replace(" ", ""))
    if match:
        for part in ("building", "unit", "room"):
            if match[part] and part not in built.address:
                built.address[part] = match[part]
                built.field_rows.setdefault(f"address.{part}", built.field_rows["address"])


def _member(reader: RowReader) -> dict[str, Any]:
    member: dict[str, Any] = {}
    for key in MEMBER_PLAIN:
        value = reader.get(key) if reader.has(key) else None
        if not is_blank(value):
            member[key] = value
    status = reader.get("member_status") if reader.has("member_status") else None
    if status:
        member["status"] = _MEMBER_STATUS.get(str(status), status)
    _schooling(reader, member)
    _health(reader, member)
    _insurance(reader, member)
    _employment(reader, member)
    return member


def _schooling(reader: RowReader, member: dict[str, Any]) -> None:
    education = reader.get("education") if reader.has("education") else None
    schooling = reader.get("schooling") if reader.has("schooling") else None
    if education or schooling:
        member["education"], member["schooling"] = education or None, schooling or None


def _health(reader: RowReader, member: dict[str, Any]) -> None:
    health = reader.get("health") if reader.has("health") else None
    if not health:
        return
    member["health"] = health
    if lookup_choice(vocab.Health, health) != vocab.Health.DISABLED:
        member.setdefault("disability_type", None)
        member.setdefault("disability_grade", None)


def _insurance(reader: RowReader, member: dict[str, Any]) -> None:
    kind = reader.get("medical_insurance") if reader.has("medical_insurance") else None
    resident = reader.get("resident_insurance") if reader.has("resident_insurance") else None
    employee = reader.get("employee_insurance") if reader.has("employee_insurance") else None
    if kind:
        member["medical_insurance"] = kind
    elif resident is True and employee is True:
        reader.issues.append(
            issue(
                reader.layout,
                reader.number,
                "employee_insurance",
                "是",
                Reason(
                    "城乡居民和职工基本医疗保险只能参加一种", "only one basic medical insurance is allowed"
                ),
            )
        )
    elif resident is True:
        member["medical_insurance"] = "城乡居民基本医疗保险"
    elif employee is True:
        member["medical_insurance"] = "职工基本医疗保险"
    elif resident is False or employee is False:
        member["medical_insurance"] = False
    elif resident is not None or employee is not None:
        member["medical_insurance"] = resident if resident is not None else employee


def _employment(reader: RowReader, member: dict[str, Any]) -> None:
    if not reader.has("work_location"):
        return
    job = {key: reader.get(column) if reader.has(column) else None for key, column in EMPLOYMENT_KEYS.items()}
    member["employment"] = job if any(not is_blank(v) for v in job.values()) else None


def _income(built: Built, readers: list[RowReader], income_year: int) -> dict[str, Any] | None:
    income: dict[str, Any] = {}
    for key in INCOME_KEYS:
        value = _household_value(built, readers, key, lambda v: v)
        built.household.pop(key, None)
        if value is not None:
            income[key] = value
    year = _household_value(built, readers, "income_year", lambda v: v)
    built.household.pop("income_year", None)
    if not income:
        return None
    income["year"] = year if year is not None else income_year
    return income


def household_document(built: Built, stored: dict[str, Any] | None) -> dict[str, Any]:
    """The document to save: the stored household (if any) with the file's values over it."""
    stored = stored or {}
    document = {k: v for k, v in stored.items() if k not in ("members", "incomes", "events")}
    document.update(built.household)
    document["household_no"] = built.household_no
    document["address"] = {**(stored.get("address") or {}), **built.address}
    by_id = {m["id_number"]: m for m in stored.get("members", [])}
    document["members"] = [{**by_id.get(m.get("id_number", ""), {}), **m} for m in built.members]
    if built.income is not None:
        years = {i["year"]: i for i in stored.get("incomes", [])}
        year = built.income["year"]
        base = years.get(year) if isinstance(year, int) else None
        document["incomes"] = [{**(base or {}), **built.income}]
    return document


def issues_of_problems(built: Built, layout: Layout, problems: list[FieldProblem]) -> list[CellIssue]:
    """Each problem of the saved document, placed on the row and column it came from."""
    return [_placed(built, layout, problem) for problem in problems]


def _placed(built: Built, layout: Layout, problem: FieldProblem) -> CellIssue:
    row, key = _locate(built, layout, problem.path)
    return CellIssue(
        row, column_title(layout, key), as_text(problem.value), problem.message, problem.message_en
    )


def _locate(built: Built, layout: Layout, path: str) -> tuple[int, str]:
    first = built.rows[0]
    member = _MEMBER_PATH.match(path)
    if member:
        return _member_row(built, member["ref"]), _member_column(layout, member["field"] or "")
    income = _INCOME_PATH.match(path)
    if income:
        key = income["field"]
        return built.field_rows.get(key, first), key
    key = PATH_COLUMNS.get(path, path)
    return built.field_rows.get(path, built.field_rows.get(key, first)), key if key in BY_KEY else ""


def _member_row(built: Built, ref: str) -> int:
    if ref.isdigit() and int(ref) < len(built.member_rows):
        return built.member_rows[int(ref)]
    return built.row_of_id(ref) or built.rows[0]


def _member_column(layout: Layout, field_path: str) -> str:
    if field_path == "medical_insurance":
        present = [
            k
            for k in ("medical_insurance", "resident_insurance", "employee_insurance")
            if k in layout.columns
        ]
        return present[0] if present else "medical_insurance"
    key = PATH_COLUMNS.get(field_path, field_path)
    return key if key in BY_KEY else ""


def all_rows_failed(built: Built, issues: list[CellIssue]) -> dict[int, list[CellIssue]]:
    """Every row of a refused household gets its own issues, or a pointer to the rows that have them."""
    by_row: dict[int, list[CellIssue]] = {row: [] for row in built.rows}
    for item in issues:
        by_row.setdefault(item.row, []).append(item)
    bad = sorted(row for row, found in by_row.items() if found)
    pointer = "、".join(str(row) for row in bad[:10])
    for row, found in by_row.items():
        if not found:
            found.append(
                CellIssue(
                    row,
                    "",
                    "",
                    f"同户（{built.household_no}）其他行有误（第{pointer}行），整户未导入",
                    f"another row of household {built.household_no} is wrong (row {pointer}); "
                    "the household was not imported",
                )
            )
    return by_row
