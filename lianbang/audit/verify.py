"""``audit verify``: walk the chain and name every altered, removed or inserted entry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Max

from lianbang.audit.chain import entry_hash
from lianbang.audit.models import GENESIS_HASH, Action, AuditEntry, AuditHead


@dataclass
class Finding:
    kind: str  # "altered" | "removed" | "inserted"
    seq: int
    entry_id: int | None
    detail: str

    def __str__(self) -> str:
        row = f" (id {self.entry_id})" if self.entry_id is not None else ""
        return f"{self.kind}: #{self.seq}{row} — {self.detail}"


@dataclass
class VerifyReport:
    checked: int = 0
    anchor_seq: int = 0
    head_seq: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]


@dataclass
class _Walk:
    report: VerifyReport
    expected_seq: int
    expected_prev: str
    last: AuditEntry | None = None


def audit_verify() -> VerifyReport:
    anchor_seq, anchor_hash = _anchor()
    head = AuditHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else AuditEntry.objects.aggregate(m=Max("seq"))["m"] or anchor_seq
    report = VerifyReport(anchor_seq=anchor_seq, head_seq=head_seq)
    walk = _Walk(report, anchor_seq + 1, anchor_hash)
    groups = ((seq, list(group)) for seq, group in groupby(_entries(), key=lambda e: e.seq))
    current = next(groups, None)
    while current is not None:
        following = next(groups, None)
        _check_group(walk, current[0], current[1], following[1] if following else [])
        current = following
    _check_tail(walk, head)
    return report


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq", "id").iterator(chunk_size=2000)


def _anchor() -> tuple[int, str]:
    """Where the chain starts: the genesis, or the last entry removed by the latest pruning."""
    pruning = AuditEntry.objects.filter(action=Action.AUDIT_PRUNE).order_by("-seq").first()
    if pruning is None:
        return 0, GENESIS_HASH
    return int(pruning.changes.get("anchor_seq", 0)), str(pruning.changes.get("anchor_hash", GENESIS_HASH))


def _check_group(walk: _Walk, seq: int, group: list[AuditEntry], successor: list[AuditEntry]) -> None:
    report = walk.report
    report.checked += len(group)
    if seq < walk.expected_seq or seq > report.head_seq:
        for entry in group:
            _add(report, "inserted", entry, "outside the chain between its anchor and its recorded end")
        return
    _report_gap(walk, seq)
    genuine = _genuine(walk, group, successor)
    for entry in group:
        if entry is not genuine:
            _add(report, "inserted", entry, "not linked into the chain")
    if entry_hash(genuine) != genuine.hash:
        _add(report, "altered", genuine, "content no longer matches its hash")
    elif genuine.prev_hash != walk.expected_prev and walk.last is not None and walk.last.seq == seq - 1:
        _add(report, "altered", walk.last, "its hash was rewritten: the next entry does not link to it")
    walk.expected_seq, walk.expected_prev, walk.last = seq + 1, genuine.hash, genuine


def _genuine(walk: _Walk, group: list[AuditEntry], successor: list[AuditEntry]) -> AuditEntry:
    """Of the entries sharing one sequence number, the one the chain runs through."""
    referenced = {e.prev_hash for e in successor}
    for test in (
        lambda e: e.prev_hash == walk.expected_prev and e.hash in referenced,
        lambda e: e.hash in referenced,
        lambda e: e.prev_hash == walk.expected_prev,
    ):
        found = next((e for e in group if test(e)), None)
        if found is not None:
            return found
    return group[0]


def _report_gap(walk: _Walk, seq: int) -> None:
    for missing in range(walk.expected_seq, seq):
        walk.report.findings.append(Finding("removed", missing, None, "missing from the chain"))
    if seq > walk.expected_seq:
        # The link across the gap is broken by the removal itself, not by the entry after it.
        walk.last = None


def _check_tail(walk: _Walk, head: AuditHead | None) -> None:
    report = walk.report
    if head is None:
        return
    for missing in range(walk.expected_seq, head.seq + 1):
        report.findings.append(Finding("removed", missing, None, "missing from the end of the chain"))
    if walk.last is not None and walk.last.seq == head.seq and walk.last.hash != head.hash:
        _add(report, "altered", walk.last, "its hash differs from the recorded end of the chain")


def _add(report: VerifyReport, kind: str, entry: AuditEntry, detail: str) -> None:
    report.findings.append(Finding(kind, entry.seq, entry.pk, detail))
