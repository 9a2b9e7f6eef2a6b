"""Which function does the work of each kind of job. Apps register their tasks at start-up.

A task receives a :class:`~lianbang.jobs.runner.JobContext` and must be safe to run again
after an interruption (each unit of work its own transaction, re-done work a no-op)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lianbang.jobs.runner import JobContext

Task = Callable[["JobContext"], None]


@dataclass(frozen=True)
class JobKind:
    code: str
    label: str
    task: Task


_KINDS: dict[str, JobKind] = {}


def register(code: str, label: str) -> Callable[[Task], Task]:
    def decorate(task: Task) -> Task:
        _KINDS[code] = JobKind(code, label, task)
        return task

    return decorate


def kind_of(code: str) -> JobKind | None:
    return _KINDS.get(code)


def label_of(code: str) -> str:
    kind = _KINDS.get(code)
    return kind.label if kind else code
