"""``lianbang audit verify | prune | head``: check, trim and anchor the audit log."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianbang.audit.models import AuditHead
from lianbang.audit.services import audit_prune
from lianbang.audit.verify import audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain, prune entries past retention, or print the chain head."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["verify", "prune", "head"])

    def handle(self, *args: Any, operation: str, **options: Any) -> None:
        {"verify": self._verify, "prune": self._prune, "head": self._head}[operation]()

    def _verify(self) -> None:
        report = audit_verify()
        for finding in report.findings:
            self.stdout.write(str(finding))
        summary = (
            f"checked {report.checked} entries (#{report.anchor_seq + 1} … #{report.head_seq}): "
            f"{len(report.of_kind('altered'))} altered, {len(report.of_kind('removed'))} removed, "
            f"{len(report.of_kind('inserted'))} inserted"
        )
        if not report.ok:
            raise CommandError(f"audit chain BROKEN — {summary}")
        self.stdout.write(f"audit chain intact — {summary}")

    def _prune(self) -> None:
        result = audit_prune()
        if result.entry is None:
            self.stdout.write("nothing to prune")
            return
        self.stdout.write(
            f"removed {result.removed} entries up to #{result.anchor_seq}; recorded as #{result.entry.seq}"
        )

    def _head(self) -> None:
        head = AuditHead.objects.filter(pk=1).first()
        if head is None:
            self.stdout.write("#0 (empty)")
            return
        # Copy this line somewhere the database's administrators cannot write (a paper log,
        # a ticket): a later verify against it shows whether the end of the chain was rewritten.
        self.stdout.write(f"#{head.seq} {head.hash}")
