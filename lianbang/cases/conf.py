"""Configuration of the assistance chain: the settings row, approval levels, the webhook URL."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings

from lianbang.accounts.models import Role
from lianbang.cases.models import WorkflowSettings
from lianbang.cases.vocab import Level
from lianbang.common.errors import invalid


@dataclass(frozen=True)
class ApprovalLevel:
    """One level of identification (认定): who decides, and whether it is a public notice."""

    code: str
    name: str
    name_en: str
    roles: frozenset[str]
    is_publicity: bool = False


APPROVAL_LEVELS: dict[str, ApprovalLevel] = {
    level.code: level
    for level in (
        ApprovalLevel(
            "democratic_review", "民主评议", "democratic review", frozenset({Role.COMMUNITY_OFFICIAL})
        ),
        ApprovalLevel(
            "publicity", "公示", "public notice", frozenset({Role.COMMUNITY_OFFICIAL}), is_publicity=True
        ),
        ApprovalLevel("street_review", "街道审核", "street review", frozenset({Role.STREET_OFFICIAL})),
        ApprovalLevel("district_approval", "区审定", "district approval", frozenset({Role.DISTRICT_ADMIN})),
    )
}


def workflow_settings() -> WorkflowSettings:
    """The settings row; created with the defaults of DOMAIN §5 on first use."""
    row, _ = WorkflowSettings.objects.get_or_create(pk=1)
    return row


def approval_levels_check(codes: object) -> list[str]:
    """A valid list of approval levels: known codes, each once, at least one."""
    if not isinstance(codes, list) or not codes:
        raise invalid(
            "approval_levels", codes, "审批层级须为非空列表", "approval levels must be a non-empty list"
        )
    unknown = [c for c in codes if c not in APPROVAL_LEVELS]
    if unknown or len(set(codes)) != len(codes):
        raise invalid(
            "approval_levels",
            codes,
            f"审批层级只能取 {', '.join(APPROVAL_LEVELS)}，且不重复",
            f"approval levels must be among {', '.join(APPROVAL_LEVELS)}, each once",
        )
    return [str(c) for c in codes]


def visit_deadline(config: WorkflowSettings, level: str) -> timedelta:
    hours = config.red_visit_hours if level == Level.RED else config.yellow_visit_hours
    return timedelta(hours=hours)


def webhook_url() -> str:
    """LIANBANG_WEBHOOK_URL from the settings module if it defines it, else from the environment."""
    configured = getattr(settings, "LIANBANG_WEBHOOK_URL", None)
    if configured is not None:
        return str(configured)
    return os.environ.get("LIANBANG_WEBHOOK_URL", "")


def webhook_timeout() -> float:
    return float(getattr(settings, "LIANBANG_WEBHOOK_TIMEOUT", 5.0))
