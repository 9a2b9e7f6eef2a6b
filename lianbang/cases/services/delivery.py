"""Delivering the outbox: at least once, with exponential back-off, then a dead letter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F

from lianbang.cases.clock import current
from lianbang.cases.conf import workflow_settings
from lianbang.cases.models import OutboxMessage, WorkflowSettings
from lianbang.cases.services.channels import CHANNELS, DeliveryFailed
from lianbang.cases.vocab import OutboxStatus
from lianbang.common.errors import ApplicationError

# A claimed message is hidden from other workers this long, so that two ticks never send it twice
# at the same time; a worker that dies mid-send leaves it to be retried after the lease.
LEASE = timedelta(minutes=5)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0


def outbox_deliver(*, now: datetime | None = None, limit: int = 500) -> DeliveryReport:
    """Send the messages that are due; no database transaction is held while a receiver answers."""
    moment = current(now)
    config = workflow_settings()
    report = DeliveryReport()
    for message in _claim(moment, limit):
        _deliver(message, moment, config, report)
    return report


@transaction.atomic
def _claim(now: datetime, limit: int) -> list[OutboxMessage]:
    due = (
        OutboxMessage.objects.select_for_update(skip_locked=True)
        .filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
    )
    messages = list(due[:limit])
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(next_attempt_at=now + LEASE)
    return messages


def _deliver(message: OutboxMessage, now: datetime, config: WorkflowSettings, report: DeliveryReport) -> None:
    try:
        _send(message)
    except DeliveryFailed as exc:
        dead = _record_failure(message, now, config, str(exc))
        report.dead += dead
        report.failed += not dead
        return
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENT, sent_at=now, attempts=F("attempts") + 1, last_error=""
    )
    report.sent += 1


def _send(message: OutboxMessage) -> None:
    channel = CHANNELS.get(message.channel)
    if channel is None:
        raise DeliveryFailed(f"unknown channel {message.channel!r}")
    channel.send(message)


def _record_failure(message: OutboxMessage, now: datetime, config: WorkflowSettings, error: str) -> bool:
    attempts = message.attempts + 1
    dead = attempts >= config.outbox_max_attempts
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=attempts,
        last_error=error[:500],
        status=OutboxStatus.DEAD if dead else OutboxStatus.PENDING,
        next_attempt_at=now if dead else now + backoff(config, attempts),
    )
    return dead


def backoff(config: WorkflowSettings, attempts: int) -> timedelta:
    """60 s, 120 s, 240 s … after the 1st, 2nd, 3rd failure, never more than the configured cap."""
    seconds = config.outbox_backoff_seconds * 2 ** (attempts - 1)
    return timedelta(seconds=min(seconds, config.outbox_backoff_max_seconds))


@transaction.atomic
def outbox_retry(*, message_id: int, now: datetime | None = None) -> OutboxMessage:
    """Put a dead letter back in the queue (an administrator's decision once the receiver is fixed)."""
    message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
    if message is None or message.status != OutboxStatus.DEAD:
        raise ApplicationError(
            "not_dead_letter", "只有发送失败的消息可以重发", "only a dead letter can be retried", status=409
        )
    message.status, message.attempts, message.next_attempt_at = OutboxStatus.PENDING, 0, current(now)
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    return message
