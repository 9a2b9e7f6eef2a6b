"""Household import: a spreadsheet in the national system's layout, previewed, then committed.

The import saves a few hundred households per transaction, set-based, through
``registry.batch.households_save_documents`` (validated one by one in Python exactly as
``household_save_document`` does), then judges the households the file names with the
monitoring engine's set-based evaluation. A file with errors commits its good households, an
interrupted run loses at most the batch in flight — whole households, never part of one —
and running the same file again changes nothing. ``one_by_one=True`` saves each household
through ``household_save_document`` instead (the reference the batch path is tested against).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from lianbang.accounts.models import User
from lianbang.common.collector import collect_young, collections_paused
from lianbang.common.errors import ApplicationError
from lianbang.common.validators import InvalidValue, Reason, normalize_id_number
from lianbang.monitoring.bulk import households_evaluate_all, households_evaluate_some
from lianbang.registry.batch import households_save_documents
from lianbang.registry.document import parse_household_document
from lianbang.registry.export import household_to_document, households_to_documents
from lianbang.registry.models import Household
from lianbang.registry.services import SaveResult, household_save_document
from lianbang.transfer.evaluation import deferred_evaluation
from lianbang.transfer.households import (
    Built,
    CellIssue,
    RowReader,
    SourceRow,
    all_rows_failed,
    build_household,
    group_rows,
    household_document,
    issue,
    issues_of_problems,
)
from lianbang.transfer.layout import Layout
from lianbang.transfer.reading import Table, read_table
from lianbang.transfer.scope import EditScope
from lianbang.transfer.values import CellProblem, clean_id

Progress = Callable[[int, int], None]
BATCH = 200
STATUSES = ("created", "updated", "unchanged", "error")


@dataclass
class RowResult:
    row: int
    status: str
    household_no: str
    errors: list[CellIssue] = field(default_factory=list)
    warnings: list[CellIssue] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "status": self.status,
            "household_no": self.household_no,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
        }


@dataclass
class ImportReport:
    dry_run: bool
    file_name: str
    sheet: str
    header_rows: list[int]
    columns: dict[str, str]
    unknown_columns: list[str]
    titles: list[str]
    rows: list[RowResult] = field(default_factory=list)
    households: Counter[str] = field(default_factory=Counter)
    evaluation: str = "none"
    seconds: float = 0.0
    # The original cells of the refused rows, for the error file.
    error_cells: dict[int, list[Any]] = field(default_factory=dict)
    # Seconds per stage: reading (and grouping), saving (validation included), judging.
    stages: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        rows = Counter(r.status for r in self.rows)
        return {
            "summary": True,
            "dry_run": self.dry_run,
            "file": self.file_name,
            "header_rows": self.header_rows,
            "rows": {status: rows.get(status, 0) for status in STATUSES},
            "households": {status: self.households.get(status, 0) for status in STATUSES},
            "unknown_columns": self.unknown_columns,
            "evaluation": self.evaluation,
            "seconds": round(self.seconds, 2),
        }

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.status == "error"]


@dataclass
class _Run:
    layout: Layout
    actor: User | None
    today: date
    income_year: int
    dry_run: bool
    scope: EditScope | None
    duplicates: dict[int, CellIssue]
    deferred: bool = False
    one_by_one: bool = False
    # The stored households the file names (created, updated or unchanged): judged at the end.
    touched: set[int] = field(default_factory=set)


def households_import(
    *,
    path: Path,
    name: str = "",
    actor: User | None = None,
    dry_run: bool = False,
    today: date | None = None,
    income_year: int | None = None,
    scope: EditScope | None = None,
    progress: Progress | None = None,
    bulk_evaluation: bool | None = None,
    one_by_one: bool = False,
) -> ImportReport:
    """Import (or with ``dry_run`` only preview) every household of the file.

    Raises ApplicationError only when the file itself cannot be read; every problem of a row
    is in the report. The batch path (the default) judges the file's households once at the
    end, set-based. ``one_by_one`` saves each household through the one-by-one service; there
    ``bulk_evaluation`` (default: from LIANBANG_IMPORT_BULK_EVALUATION_FROM households on)
    judges all households once at the end instead of each one as it is saved."""
    started = time.perf_counter()
    table = read_table(path, name or path.name)
    today = today or timezone.localdate()
    report = _empty_report(table, name or path.name, dry_run)
    groups, orphans = group_rows(table.data_rows(), table.layout)
    report.rows.extend(RowResult(i.row, "error", "", [i]) for i in orphans)
    run = _Run(
        table.layout,
        actor,
        today,
        income_year or today.year - 1,
        dry_run,
        scope,
        _duplicate_ids(table, groups),
        one_by_one=one_by_one,
    )
    bulk = not dry_run and (
        not one_by_one
        or (
            bulk_evaluation
            if bulk_evaluation is not None
            else len(groups) >= settings.LIANBANG_IMPORT_BULK_EVALUATION_FROM
        )
    )
    run.deferred = dry_run or bulk
    saving = time.perf_counter()
    report.stages["read"] = saving - started
    with collections_paused():
        with deferred_evaluation() if run.deferred else nullcontext(), _asynchronous_commits(not dry_run):
            _import_groups(run, groups, report, progress)
        judging = time.perf_counter()
        report.stages["save"] = judging - saving
        report.evaluation = _evaluate(run, report, bulk)
        report.stages["judge"] = time.perf_counter() - judging
    report.rows.sort(key=lambda r: r.row)
    report.error_cells = {r.row: table.rows[r.row - 1] for r in report.error_rows}
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _asynchronous_commits(enabled: bool) -> Iterator[None]:
    """PostgreSQL: do not wait for the disk at each household's commit (synchronous_commit off).

    A database crash can lose only the last fraction of a second of committed households —
    whole households, never part of one — and since WAL is replayed in order, the job's own
    final (synchronous) commit makes every earlier one durable: a job marked done lost
    nothing, and one that did not get there is re-run, which is safe."""
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _empty_report(table: Table, name: str, dry_run: bool) -> ImportReport:
    layout = table.layout
    return ImportReport(
        dry_run=dry_run,
        file_name=name,
        sheet=table.sheet,
        header_rows=[r + 1 for r in layout.header_rows],
        columns={key: layout.titles[index] for key, index in layout.columns.items()},
        unknown_columns=layout.unknown,
        titles=layout.titles,
    )


def _import_groups(
    run: _Run, groups: dict[str, list[SourceRow]], report: ImportReport, progress: Progress | None
) -> None:
    tally = _Tally(report, len(groups), progress)
    for batch in _batches(list(groups.items())):
        _import_batch(run, batch, tally)
        collect_young()  # the automatic collections are paused (``collections_paused``)


@dataclass
class _Tally:
    report: ImportReport
    total: int
    progress: Progress | None
    done: int = 0

    def add(self, outcome: str, results: list[RowResult]) -> None:
        self.report.households[outcome] += 1
        self.report.rows.extend(results)
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)


def _import_batch(run: _Run, batch: list[tuple[str, list[SourceRow]]], tally: _Tally) -> None:
    numbers = [number for number, _ in batch]
    stored = dict(Household.objects.filter(household_no__in=numbers).values_list("household_no", "pk"))
    editable = run.scope.editable_numbers(list(stored)) if run.scope else set(stored)
    if run.one_by_one:
        for number, rows in batch:
            tally.add(*_import_household(run, number, rows, stored.get(number), number in editable))
        return
    documents = households_to_documents(list(stored.values()))
    ready: list[tuple[Built, dict[str, Any]]] = []
    for number, rows in batch:
        prepared = _prepare(run, number, rows, stored.get(number), number in editable, documents)
        if isinstance(prepared, Built):
            ready.append((prepared, household_document(prepared, documents.get(stored.get(number, 0)))))
        else:
            tally.add(*prepared)
    results = _save_many(run, [document for _, document in ready])
    for (built, document), result in zip(ready, results, strict=True):
        tally.add(*_outcome_of(run, built, document, result))


def _prepare(
    run: _Run,
    number: str,
    rows: list[SourceRow],
    stored_pk: int | None,
    editable: bool,
    documents: dict[int, dict[str, Any]],
) -> Built | tuple[str, list[RowResult]]:
    """The household built from its rows, or its rows' errors (the file's and the scope's)."""
    built = build_household(number, rows, run.layout, run.income_year)
    built.issues.extend(run.duplicates[row] for row in built.rows if row in run.duplicates)
    if built.issues:
        return _failed(built, built.issues + _document_issues(run, built))
    refused = _out_of_scope(run, built, stored_pk, editable)
    if refused:
        return _failed(built, [refused])
    return built


def _save_many(run: _Run, documents: list[dict[str, Any]]) -> list[SaveResult | ApplicationError]:
    if not documents:
        return []
    if not run.dry_run:
        return households_save_documents(
            documents=documents, actor=run.actor, today=run.today, source="import"
        )
    with transaction.atomic():
        results = households_save_documents(
            documents=documents, actor=run.actor, today=run.today, source="import"
        )
        transaction.set_rollback(True)
    return results


def _outcome_of(
    run: _Run, built: Built, document: dict[str, Any], result: SaveResult | ApplicationError
) -> tuple[str, list[RowResult]]:
    if isinstance(result, ApplicationError):
        if result.code == "database_busy":
            return _failed(built, [_busy(run, built, result.message_en)])
        return _failed(built, _error_issues(run, built, result))
    if not run.dry_run:
        run.touched.add(result.household.pk)
    return result.outcome, _succeeded(run, built, result, document)


def _busy(run: _Run, built: Built, detail: str) -> CellIssue:
    reason = Reason(
        "数据库繁忙，该户未导入，请重新导入", f"the database refused the write ({detail}); import again"
    )
    return issue(run.layout, built.rows[0], "household_no", built.household_no, reason)


def _batches(items: list[tuple[str, list[SourceRow]]]) -> Iterator[list[tuple[str, list[SourceRow]]]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _import_household(
    run: _Run, number: str, rows: list[SourceRow], stored_pk: int | None, editable: bool
) -> tuple[str, list[RowResult]]:
    built = build_household(number, rows, run.layout, run.income_year)
    built.issues.extend(run.duplicates[row] for row in built.rows if row in run.duplicates)
    if built.issues:
        return _failed(built, built.issues + _document_issues(run, built))
    refused = _out_of_scope(run, built, stored_pk, editable)
    if refused:
        return _failed(built, [refused])
    stored = household_to_document(Household(pk=stored_pk)) if stored_pk else None
    document = household_document(built, stored)
    try:
        result = _save(run, document)
    except ApplicationError as error:
        return _failed(built, _error_issues(run, built, error))
    except DatabaseError as error:  # e.g. a deadlock with a concurrent writer: nothing was saved
        return _failed(built, [_busy(run, built, str(error))])
    return result.outcome, _succeeded(run, built, result, document)


def _save(run: _Run, document: dict[str, Any]) -> SaveResult:
    if not run.dry_run:
        return household_save_document(data=document, actor=run.actor, today=run.today, source="import")
    with transaction.atomic():
        result = household_save_document(data=document, actor=run.actor, today=run.today, source="import")
        transaction.set_rollback(True)
    return result


def _document_issues(run: _Run, built: Built) -> list[CellIssue]:
    """The document's own problems too, so that a row's every fault is reported at once."""
    try:
        parse_household_document(household_document(built, None), today=run.today)
    except ApplicationError as error:
        seen = {(i.row, i.column) for i in built.issues}
        return [
            i for i in issues_of_problems(built, run.layout, error.problems) if (i.row, i.column) not in seen
        ]
    return []


def _error_issues(run: _Run, built: Built, error: ApplicationError) -> list[CellIssue]:
    issues = issues_of_problems(built, run.layout, error.problems)
    if issues:
        return issues
    return [CellIssue(built.rows[0], "", built.household_no, error.message, error.message_en)]


def _out_of_scope(run: _Run, built: Built, stored_pk: int | None, editable: bool) -> CellIssue | None:
    if run.scope is None:
        return None
    allowed = editable if stored_pk else run.scope.allows_new(household_document(built, None))
    if allowed:
        return None
    reason = Reason("该户不在您的管辖范围内，未导入", "this household is outside your units; not imported")
    return issue(run.layout, built.rows[0], "household_no", built.household_no, reason)


def _failed(built: Built, issues: list[CellIssue]) -> tuple[str, list[RowResult]]:
    by_row = all_rows_failed(built, issues)
    return "error", [RowResult(row, "error", built.household_no, found) for row, found in by_row.items()]


def _succeeded(run: _Run, built: Built, result: SaveResult, document: dict[str, Any]) -> list[RowResult]:
    warnings = issues_of_problems(built, run.layout, result.warnings) + _per_capita_warning(
        run, built, document
    )
    return [
        RowResult(row, result.outcome, built.household_no, [], [w for w in warnings if w.row == row])
        for row in built.rows
    ]


def _per_capita_warning(run: _Run, built: Built, document: dict[str, Any]) -> list[CellIssue]:
    """人均纯收入 is computed, not stored: say so when the file's figure disagrees by over 1 元."""
    given = _given_per_capita(run, built)
    incomes = document.get("incomes") or []
    if given is None or not incomes:
        return []
    income = incomes[0]
    size = income.get("household_size") or sum(
        1 for m in document["members"] if m.get("status") in (None, "active", "在册")
    )
    net = sum(Decimal(str(income.get(k) or 0)) for k in ("wage", "business", "property", "transfer"))
    computed = ((net - Decimal(str(income.get("business_expense") or 0))) / int(size)).quantize(
        Decimal("0.01")
    )
    if abs(computed - given) <= 1:
        return []
    reason = Reason(
        f"与各项收入算出的人均纯收入 {computed} 元不符；系统按计算结果研判",
        f"differs from the per-capita income computed from the amounts ({computed}); "
        "the computed one is used",
    )
    return [issue(run.layout, built.field_rows.get("per_capita", built.rows[0]), "per_capita", given, reason)]


def _given_per_capita(run: _Run, built: Built) -> Decimal | None:
    index = run.layout.columns.get("per_capita")
    if index is None:
        return None
    for number, cells in built.source:
        value = RowReader(run.layout, number, cells, []).get("per_capita")
        if value not in (None, ""):
            built.field_rows["per_capita"] = number
            try:
                return Decimal(str(value))
            except ArithmeticError:
                return None
    return None


def _duplicate_ids(table: Table, groups: dict[str, list[SourceRow]]) -> dict[int, CellIssue]:
    """A person listed twice in the file: the later rows are refused (first one wins)."""
    index = table.layout.columns.get("id_number")
    if index is None:
        return {}
    first: dict[str, int] = {}
    found: dict[int, CellIssue] = {}
    for number, cells in sorted(row for rows in groups.values() for row in rows):
        key = _id_key(cells[index] if index < len(cells) else None)
        if not key:
            continue
        if key in first:
            reason = Reason(f"与第{first[key]}行的证件号码重复", f"same ID number as row {first[key]}")
            found[number] = issue(table.layout, number, "id_number", cells[index], reason)
        else:
            first[key] = number
    return found


def _id_key(value: Any) -> str:
    try:
        return normalize_id_number(clean_id(value)) if value not in (None, "") else ""
    except (CellProblem, InvalidValue):
        return ""


def _evaluate(run: _Run, report: ImportReport, bulk: bool) -> str:
    if report.dry_run:
        return "none"
    if not run.one_by_one:
        # Also the unchanged ones: a re-run after an interrupted import judges what it saved.
        households_evaluate_some(household_ids=sorted(run.touched), as_of=run.today, cause="import")
        return "bulk"
    changed = report.households["created"] + report.households["updated"]
    if not bulk:
        return "per_household"
    if changed:
        # Full: the households were saved with their judgement deferred, so none is current.
        households_evaluate_all(as_of=run.today, cause="import", full=True)
    return "bulk"
