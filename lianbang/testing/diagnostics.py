"""Diagnostics for a rare failure seen only in CI on PostgreSQL: a browser test's ORM call fails with
"the connection is closed" in the middle of a transaction.

Django's ``close()`` inside an atomic block closes the driver connection but keeps the wrapper's
reference to it (``closed_in_transaction``), so the next statement meets a closed connection.
The live server's unclosed answers once closed the test thread's connection that way
(lianbang.testing.browser). Every such close is recorded with its stack and thread, and a
failing test's report shows them. Nothing is changed in what the close does.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Generator, Iterator
from typing import Any

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper

_closes_in_a_transaction: list[str] = []


def _recording_close(original: Any) -> Any:
    def close(self: BaseDatabaseWrapper) -> None:
        if self.in_atomic_block and self.connection is not None:
            stack = "".join(traceback.format_stack()[-30:])  # the innermost frames
            _closes_in_a_transaction.append(f"thread {threading.current_thread().name}:\n{stack}")
        original(self)

    return close


@pytest.fixture(autouse=True, scope="session")
def _record_closes_in_a_transaction() -> Iterator[None]:
    original = BaseDatabaseWrapper.close
    BaseDatabaseWrapper.close = _recording_close(original)  # type: ignore[method-assign]
    try:
        yield
    finally:
        BaseDatabaseWrapper.close = original  # type: ignore[method-assign]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    _closes_in_a_transaction.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed and _closes_in_a_transaction:
        closes = "\n".join(_closes_in_a_transaction)
        report.sections.append(("database connections closed inside a transaction", closes))
    return report
