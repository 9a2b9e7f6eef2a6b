"""Every curl example of docs/api.md runs against a small district and answers as it says."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lianbang.api.tests.conftest import Caller, caller
from lianbang.cases.models import Case
from lianbang.cases.services.alerts import alert_raise
from lianbang.cases.services.opening import cases_open_pending
from lianbang.conftest import SAMPLE_DOCUMENT, Tree
from lianbang.registry.models import Household

DOCS = Path(__file__).resolve().parents[3] / "docs" / "api.md"


def examples() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    commands = [line for block in blocks for line in block.replace("\\\n", " ").splitlines()]
    return [line for line in commands if line.startswith("curl ")]


def test_the_docs_have_examples_for_the_common_tasks() -> None:
    assert len(examples()) >= 12


@pytest.mark.parametrize("command", examples())
def test_the_example_works(
    command: str, tree: Tree, household: Household, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker = caller("grid0001", "grid_worker", tree.floor_group)
    tree.grid.worker = worker.user
    tree.grid.save()
    monkeypatch.chdir(tmp_path)
    document = {**SAMPLE_DOCUMENT, "grid": tree.grid.code}
    (tmp_path / "household.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    request = parse(command, household)
    response = _send(worker, request)
    assert response.status_code == request["expect"], response.content.decode()[:500]


def parse(command: str, household: Household) -> dict[str, Any]:
    command, _, comment = command.partition("#")
    member = household.members.order_by("pk").first()
    assert member is not None
    text = command.replace("{household_id}", str(household.pk)).replace("{member_id}", str(member.pk))
    if "{case_id}" in text:
        text = text.replace("{case_id}", str(_red_case(household).pk))
    words = shlex.split(text.replace("$HOST", "").replace("$TOKEN", "TOKEN"))
    request: dict[str, Any] = {"method": "GET", "data": None, "expect": int(comment.split("expect")[1])}
    for index, word in enumerate(words):
        if word == "-X":
            request["method"] = words[index + 1]
        elif word == "-d":
            data = words[index + 1]
            request["data"] = Path(data[1:]).read_text(encoding="utf-8") if data.startswith("@") else data
        elif word.startswith("/api/"):
            request["url"] = word
    return request


def _red_case(household: Household) -> Case:
    """The household's red case, opened by a grid worker's report (version 1, state 发现)."""
    alert_raise(household=household, risk_type="illness", level="red", channel="grid_worker", actor=None)
    cases_open_pending(household_ids=[household.pk], force=True)
    return Case.objects.get(household=household, closed_at__isnull=True)


def _send(worker: Caller, request: dict[str, Any]) -> Any:
    client: Client = worker.client()
    if request["method"] == "GET":
        return client.get(request["url"])
    return client.generic(
        request["method"], request["url"], request["data"] or "", content_type="application/json"
    )
