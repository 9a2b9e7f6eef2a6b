from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lianbang.common.env import env_bool, env_int

ROOT = Path(__file__).resolve().parents[3]


def run_lianbang(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "LIANBANG_ENV"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "lianbang", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = run_lianbang("check", LIANBANG_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_starts_with_a_secret_key() -> None:
    result = run_lianbang("check", LIANBANG_ENV="production", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_an_unknown_environment_name_is_refused() -> None:
    assert "LIANBANG_ENV" in run_lianbang("check", LIANBANG_ENV="staging").stderr


def test_a_malformed_boolean_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(Exception, match="SOME_FLAG"):
        env_bool("SOME_FLAG", default=False)


def test_a_malformed_integer_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(Exception, match="SOME_NUMBER"):
        env_int("SOME_NUMBER", 1)
