"""The registry's change rows (``registry.models.Change``) written to the audit log.

``registry.services._record`` calls :func:`audit_registry_change` right after it creates a
Change, in the same transaction: the audit entry commits or rolls back with the write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lianbang.audit.models import AuditEntry
from lianbang.audit.services import append_entries, audit_record, pending_entry

if TYPE_CHECKING:
    from lianbang.registry.models import Change


def audit_registry_change(change: Change) -> AuditEntry:
    """One audit entry per Change: who, when, IP (from the request being served), the object
    (the member, else the household) and the field-level ``{field: [old, new]}``."""
    return audit_record(**_entry_of(change))


def audit_registry_changes(changes: list[Change]) -> int:
    """The entries of several saved Changes, in order, under one lock of the chain head; how
    many were appended."""
    return append_entries([pending_entry(**_entry_of(change)) for change in changes])


def _entry_of(change: Change) -> dict[str, Any]:
    on_member = change.member_id is not None
    return dict(
        actor=change.actor,
        action=change.action,
        object_type="registry.member" if on_member else "registry.household",
        object_id=change.member_id if on_member else change.household_id,
        changes={
            "entity": change.entity,
            "household": change.household_id,
            "change": change.pk,
            "fields": change.changes,
        },
        reason=change.reason,
    )
