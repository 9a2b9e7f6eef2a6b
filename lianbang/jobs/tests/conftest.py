from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lianbang.transfer.tests.conftest import concurrent_connections


@pytest.fixture(autouse=True)
def jobs_in_this_thread(settings: Any, tmp_path: Path) -> None:
    """Jobs run inside the test (no thread, no broker) and keep their files in a temporary folder."""
    settings.LIANBANG_JOBS_EAGER = True
    settings.LIANBANG_JOBS_THREADED = False
    settings.VAR_DIR = tmp_path / "var"


__all__ = ["concurrent_connections", "jobs_in_this_thread"]
