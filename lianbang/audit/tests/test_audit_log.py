from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test import Client, RequestFactory
from django.utils import timezone

from lianbang.accounts.models import User
from lianbang.audit.chain import canonical_time, entry_hash
from lianbang.audit.models import GENESIS_HASH, Action, AuditEntry, AuditHead
from lianbang.audit.registry import audit_registry_change
from lianbang.audit.services import append_entry, audit_prune, audit_record
from lianbang.audit.verify import audit_verify
from lianbang.conftest import Tree
from lianbang.registry.models import Change
from lianbang.registry.services import household_save_document

on_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the append-only trigger exists on PostgreSQL only"
)


@contextmanager
def tampering() -> Iterator[None]:
    """What someone with direct database access could do; on PostgreSQL that takes switching
    the append-only trigger off (a superuser's session_replication_role)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        yield


def write_entries(count: int, actor: User | None = None) -> list[AuditEntry]:
    return [
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="registry.member",
            object_id=n,
            changes={"name": ["张三", f"张{n}"]},
        )
        for n in range(1, count + 1)
    ]


@pytest.fixture
def admin_user(db: None) -> User:
    return User.objects.create_user("auditor", password="x")


def test_an_entry_records_who_when_where_what_and_the_field_changes(admin_user: User) -> None:
    request = RequestFactory().post("/somewhere", REMOTE_ADDR="10.1.2.3")
    entry = audit_record(
        actor=admin_user,
        action=Action.UPDATE,
        object_type="registry.member",
        object_id=42,
        changes={"phone": ["13800001111", "13900002222"]},
        request=request,
        reason="更正号码",
    )
    entry.refresh_from_db()
    assert (entry.actor_id, entry.actor_name, entry.ip) == (admin_user.pk, "auditor", "10.1.2.3")
    assert (entry.object_type, entry.object_id, entry.reason) == ("registry.member", "42", "更正号码")
    assert entry.changes == {"phone": ["13800001111", "13900002222"]}
    assert abs(entry.at - timezone.now()) < timedelta(seconds=5)


def test_each_entry_carries_the_hash_of_the_one_before(db: None) -> None:
    first, second = write_entries(2)
    assert second.prev_hash == first.hash and second.seq == first.seq + 1
    assert (AuditHead.objects.get().seq, AuditHead.objects.get().hash) == (second.seq, second.hash)
    canonical = json.dumps(
        {
            "seq": second.seq,
            "at": canonical_time(second.at),
            "actor_id": None,
            "actor_name": "",
            "ip": "",
            "action": "update",
            "object_type": "registry.member",
            "object_id": "2",
            "changes": {"name": ["张三", "张2"]},
            "reason": "",
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert second.hash == hashlib.sha256((first.hash + canonical).encode()).hexdigest()


def test_values_that_json_would_change_are_stored_as_text_so_the_hash_survives(db: None) -> None:
    from decimal import Decimal

    entry = audit_record(
        actor=None,
        action="update",
        object_type="x",
        object_id="a\x00b",
        changes={"wage": [Decimal("3500.00"), 1e20], "note": "nul\x00byte"},
    )
    entry.refresh_from_db()
    assert entry.changes == {"wage": ["3500.00", "1e+20"], "note": "nulbyte"}
    assert entry.object_id == "ab"
    assert entry_hash(entry) == entry.hash


def test_an_untouched_chain_verifies(db: None) -> None:
    write_entries(5)
    report = audit_verify()
    assert report.ok and report.checked >= 5


def test_verify_names_an_edited_entry(db: None) -> None:
    entries = write_entries(5)
    with tampering():
        AuditEntry.objects.filter(pk=entries[2].pk).update(changes={"name": ["张三", "李四"]})
    report = audit_verify()
    assert [(f.kind, f.seq) for f in report.findings] == [("altered", entries[2].seq)]


def test_verify_names_an_edited_entry_whose_hash_was_recomputed(db: None) -> None:
    entries = write_entries(5)
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.reason = "事后补写"
    with tampering():
        AuditEntry.objects.filter(pk=forged.pk).update(reason=forged.reason, hash=entry_hash(forged))
    report = audit_verify()
    assert [(f.kind, f.seq) for f in report.findings] == [("altered", entries[1].seq)]


def test_verify_names_a_deleted_entry(db: None) -> None:
    entries = write_entries(5)
    with tampering():
        AuditEntry.objects.filter(pk=entries[3].pk).delete()
    report = audit_verify()
    assert [(f.kind, f.seq) for f in report.findings] == [("removed", entries[3].seq)]


def test_verify_notices_the_last_entries_deleted(db: None) -> None:
    entries = write_entries(4)
    with tampering():
        AuditEntry.objects.filter(pk__in=[entries[2].pk, entries[3].pk]).delete()
    report = audit_verify()
    assert [(f.kind, f.seq) for f in report.findings] == [
        ("removed", entries[2].seq),
        ("removed", entries[3].seq),
    ]


def _forge(seq: int, prev_hash: str) -> AuditEntry:
    forged = AuditEntry(
        seq=seq,
        at=timezone.now(),
        action="update",
        object_type="registry.member",
        object_id="1",
        changes={"name": ["张三", "王五"]},
        prev_hash=prev_hash,
    )
    forged.hash = entry_hash(forged)
    return forged


def test_verify_names_an_entry_inserted_in_the_middle(db: None) -> None:
    entries = write_entries(5)
    forged = _forge(entries[2].seq, hashlib.sha256(b"made up").hexdigest())
    with tampering():
        forged.save()
    report = audit_verify()
    assert [(f.kind, f.seq, f.entry_id) for f in report.findings] == [("inserted", forged.seq, forged.pk)]


def test_verify_names_an_entry_appended_behind_the_writers_back(db: None) -> None:
    entries = write_entries(3)
    forged = _forge(entries[-1].seq + 1, entries[-1].hash)
    with tampering():
        forged.save()
    report = audit_verify()
    assert [(f.kind, f.entry_id) for f in report.findings] == [("inserted", forged.pk)]


def test_the_verify_command_reports_which_entries_and_fails(db: None) -> None:
    entries = write_entries(3)
    with tampering():
        AuditEntry.objects.filter(pk=entries[0].pk).update(actor_name="someone else")
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit", "verify", stdout=(out := StringIO()))
    assert f"altered: #{entries[0].seq} (id {entries[0].pk})" in out.getvalue()


def test_the_verify_command_says_intact_when_it_is(db: None) -> None:
    write_entries(2)
    call_command("audit", "verify", stdout=(out := StringIO()))
    assert "intact" in out.getvalue()


def test_pruning_removes_only_entries_past_retention_and_anchors_the_chain(db: None) -> None:
    old = timezone.now() - timedelta(days=200)
    for n in range(3):
        append_entry(
            actor=None, action="login", object_type="accounts.user", object_id=n, changes={}, ip=None, at=old
        )
    recent = write_entries(2)
    result = audit_prune()
    assert result.removed == 3 and result.entry is not None
    remaining = list(AuditEntry.objects.order_by("seq"))
    assert [e.pk for e in remaining[:2]] == [e.pk for e in recent]
    assert (
        remaining[-1].action == Action.AUDIT_PRUNE
        and remaining[-1].changes["anchor_seq"] == result.anchor_seq
    )
    assert audit_verify().ok


def test_pruning_keeps_everything_inside_the_retention_period(db: None) -> None:
    write_entries(3)
    assert audit_prune().removed == 0
    assert AuditEntry.objects.count() == 3


def test_retention_cannot_be_set_below_180_days() -> None:
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", "import lianbang.settings"],
        env={"LIANBANG_AUDIT_RETENTION_DAYS": "90", "PATH": ""},
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0 and "at least 180" in run.stderr


@on_postgresql
def test_postgresql_refuses_to_update_an_entry(db: None) -> None:
    entry = write_entries(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(reason="changed")


@on_postgresql
def test_postgresql_refuses_to_delete_an_entry(db: None) -> None:
    entry = write_entries(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_extend_one_unbroken_chain() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "in-memory SQLite shares one cache between threads, with table locks no timeout waits for"
        )
    errors: list[Exception] = []

    def writer(n: int) -> None:
        try:
            for i in range(8):
                audit_record(actor=None, action="update", object_type="t", object_id=f"{n}-{i}")
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(seqs[0], seqs[0] + 32))
    assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_missing_chain_head_is_rebuilt_from_the_log() -> None:
    AuditHead.objects.all().delete()
    first = audit_record(actor=None, action="update", object_type="t", object_id=1)
    assert first.prev_hash == GENESIS_HASH
    assert audit_verify().ok


def test_a_registry_change_becomes_an_audit_entry_with_its_field_changes(
    tree: Tree, document: dict[str, Any], admin_user: User
) -> None:
    household_save_document(data=document, actor=admin_user)
    change = Change.objects.filter(entity="member").order_by("pk").first()
    assert change is not None
    entry = audit_registry_change(change)
    assert (entry.action, entry.object_type, entry.object_id) == (
        "create",
        "registry.member",
        str(change.member_id),
    )
    assert entry.actor_name == "auditor"
    assert entry.changes["fields"]["name"] == [None, "张三"]


def test_changes_made_in_the_admin_site_are_audited(admin_user: User) -> None:
    LogEntry.objects.log_actions(
        user_id=admin_user.pk,
        queryset=User.objects.filter(pk=admin_user.pk),
        action_flag=ADDITION,
        change_message="Added.",
        single_object=True,
    )
    entry = AuditEntry.objects.filter(action=Action.ADMIN_CHANGE).get()
    assert entry.object_type == ContentType.objects.get_for_model(User).app_label + ".user"
    assert entry.changes["operation"] == "add"


def test_logging_out_is_audited(client: Client, admin_user: User) -> None:
    client.force_login(admin_user)
    client.post("/logout/")
    assert AuditEntry.objects.filter(action=Action.LOGOUT, actor_id=admin_user.pk).exists()
