"""Permission changes (任职, 结对, 权限调整) in the audit log, however they are made."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lianbang.accounts.models import Assignment, HelperPairing, RolePermissionOverride
from lianbang.audit.models import Action
from lianbang.audit.services import audit_record


def _describe(instance: models.Model) -> dict[str, Any]:
    if isinstance(instance, Assignment):
        return {
            "user": instance.user_id,
            "unit": instance.unit_id,
            "role": instance.role,
            "department": instance.department,
        }
    if isinstance(instance, HelperPairing):
        return {"helper": instance.helper_id, "household": instance.household_id}
    if isinstance(instance, RolePermissionOverride):
        return {"role": instance.role, "permission": instance.permission, "granted": instance.granted}
    return {}


def _record(instance: models.Model, operation: str) -> None:
    audit_record(
        actor=None,
        action=Action.PERMISSION_CHANGE,
        object_type=instance._meta.label_lower,
        object_id=instance.pk,
        changes={"operation": operation, **_describe(instance)},
    )


@receiver(post_save, sender=Assignment, dispatch_uid="audit_assignment_saved")
@receiver(post_save, sender=HelperPairing, dispatch_uid="audit_pairing_saved")
@receiver(post_save, sender=RolePermissionOverride, dispatch_uid="audit_override_saved")
def permission_saved(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    _record(instance, "grant" if created else "change")


@receiver(post_delete, sender=Assignment, dispatch_uid="audit_assignment_deleted")
@receiver(post_delete, sender=HelperPairing, dispatch_uid="audit_pairing_deleted")
@receiver(post_delete, sender=RolePermissionOverride, dispatch_uid="audit_override_deleted")
def permission_deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    _record(instance, "withdraw")
