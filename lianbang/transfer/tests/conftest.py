from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def jobs_in_this_thread(settings: Any, tmp_path: Path) -> None:
    """Jobs run inside the test (no thread, no broker) and keep their files in a temporary folder."""
    settings.LIANBANG_JOBS_EAGER = True
    settings.LIANBANG_JOBS_THREADED = False
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def concurrent_connections() -> None:
    """SQLite's in-memory test database locks whole tables between connections: a test whose
    job runs on another thread's connection needs PostgreSQL (or a SQLite file) instead."""
    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("concurrent connections need PostgreSQL or a SQLite file, not SQLite in memory")
