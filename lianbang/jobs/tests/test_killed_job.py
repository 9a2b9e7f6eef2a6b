"""A worker killed in the middle of an import leaves no half-saved household (each batch of
households is one transaction: the batch in flight is lost whole); re-running the job
finishes the work and changes nothing that was already saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lianbang.accounts.models import User
from lianbang.audit.models import AuditEntry
from lianbang.audit.verify import audit_verify
from lianbang.conftest import Tree
from lianbang.jobs.models import Job
from lianbang.jobs.runner import job_rerun, job_run, job_submit
from lianbang.monitoring.models import HouseholdLight
from lianbang.registry import batch
from lianbang.registry.models import Change, Event, Household, Income, Member
from lianbang.transfer import importing
from lianbang.transfer.tests.files import HEADER, household_rows, valid_id, write_xlsx


class WorkerKilled(BaseException):
    """What SIGKILL looks like from inside: nothing in the task gets to handle it."""


def three_households(tmp_path: Path) -> Path:
    rows = [HEADER, *household_rows()]
    for index, room in ((2, "303"), (3, "304")):
        ids = [
            valid_id(f"53011319750101{index:02d}1"),  # odd sequence: a man, the head
            valid_id(f"53011319760202{index:02d}2"),  # even: a woman, his wife
            valid_id(f"53011320120303{index:02d}1"),  # their son
        ]
        rows += household_rows(f"530113-00000{index}", room, ids)
    return write_xlsx(tmp_path / "three.xlsx", rows)


def test_a_killed_import_leaves_nothing_half_done_and_can_be_rerun(
    tree: Tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = User.objects.create_superuser("admin", password="x")
    job = job_submit(
        kind="import_households",
        actor=None,
        params={"income_year": 2025},
        upload=three_households(tmp_path),
        input_name="three.xlsx",
    )
    monkeypatch.setattr(importing, "BATCH", 1)  # a batch per household: the kill hits the second
    real = batch.audit_registry_changes
    calls = {"n": 0}

    def dies_in_the_second_batch(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:  # batch 2's rows and Change rows are written by now: the worker dies
            raise WorkerKilled
        return real(*args, **kwargs)

    monkeypatch.setattr(batch, "audit_registry_changes", dies_in_the_second_batch)
    with pytest.raises(WorkerKilled):
        job_run(job.pk)
    assert list(Household.objects.values_list("household_no", flat=True)) == ["530113-000001"]
    first = Household.objects.get()
    assert (Member.objects.count(), Income.objects.count()) == (3, 1)
    assert not Event.objects.exclude(household=first).exists()
    assert not Change.objects.exclude(household=first).exists()
    assert AuditEntry.objects.filter(action="create").count() == Change.objects.count()
    assert not HouseholdLight.objects.exists()  # judged at the end: the worker died before
    job.refresh_from_db()
    assert (
        job.status == "running"
    )  # as a killed worker leaves it; the page shows it as interrupted once silent

    monkeypatch.setattr(batch, "audit_registry_changes", real)
    first_versions = Household.objects.get(household_no="530113-000001").version
    job = job_rerun(job)
    assert job.status == "done"
    assert job.counts["households"] == {"created": 2, "updated": 0, "unchanged": 1, "error": 0}
    assert Household.objects.count() == 3 and Member.objects.count() == 9
    assert Household.objects.get(household_no="530113-000001").version == first_versions
    # The re-run judges what the killed run saved, too, and the audit chain holds.
    assert HouseholdLight.objects.count() == 3
    assert audit_verify().ok
    assert user.pk  # the superuser exists only to show that no scope narrowed an operator's job
    assert Job.objects.get(pk=job.pk).attempts == 2
