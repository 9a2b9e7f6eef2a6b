"""Acts that Django performs on its own, recorded in the audit log."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.admin.models import LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_logged_out
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from lianbang.audit.models import Action
from lianbang.audit.services import audit_record

_ADMIN_FLAGS = {1: "add", 2: "change", 3: "delete"}


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_log_entry")
def record_admin_change(sender: type[LogEntry], instance: LogEntry, created: bool, **kwargs: Any) -> None:
    """Every add, change or delete made in the admin site (Django writes a LogEntry for each)."""
    if not created:
        return
    content_type = cast(ContentType | None, instance.content_type)
    actor = cast(AbstractBaseUser, instance.user)
    audit_record(
        actor=actor,
        action=Action.ADMIN_CHANGE,
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=instance.object_id or "",
        changes={
            "operation": _ADMIN_FLAGS.get(instance.action_flag, str(instance.action_flag)),
            "object": instance.object_repr,
            "message": instance.get_change_message(),
        },
    )


@receiver(user_logged_out, dispatch_uid="audit_logout")
def record_logout(sender: type, request: HttpRequest, user: AbstractBaseUser | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(
            actor=user, action=Action.LOGOUT, object_type="accounts.user", object_id=user.pk, request=request
        )
