"""Loading many interchange documents: each household commits or fails on its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lianbang.accounts.models import User
from lianbang.common.errors import ApplicationError, FieldProblem
from lianbang.registry.services import household_save_document


@dataclass
class Rejection:
    index: int
    household_no: str
    error: ApplicationError


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[tuple[str, FieldProblem]] = field(default_factory=list)


def households_load(
    *, documents: list[Any], actor: User | None = None, today: date | None = None
) -> LoadReport:
    """Save every good household and report every bad one with all of its problems."""
    report = LoadReport()
    for index, document in enumerate(documents):
        number = str(document.get("household_no", "")) if isinstance(document, dict) else ""
        try:
            result = household_save_document(data=document, actor=actor, today=today)
        except ApplicationError as error:
            report.rejected.append(Rejection(index, number, error))
            continue
        setattr(report, result.outcome, getattr(report, result.outcome) + 1)
        report.warnings.extend((number, warning) for warning in result.warnings)
    return report
