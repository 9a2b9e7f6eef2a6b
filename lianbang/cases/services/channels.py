"""Outbound channels. A channel sends one outbox message or raises ``DeliveryFailed``.

The webhook channel is the first: it POSTs the message's JSON to LIANBANG_WEBHOOK_URL. Another
channel (SMS, a government messaging app) is a class with ``name``, ``enabled`` and ``send``
added to ``CHANNELS``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from http.client import HTTPException
from typing import Protocol

from lianbang.cases.conf import webhook_timeout, webhook_url
from lianbang.cases.models import OutboxMessage


class DeliveryFailed(Exception):
    """The receiver did not take the message (down, refused, answered an error)."""


class Channel(Protocol):
    name: str

    def enabled(self) -> bool: ...

    def send(self, message: OutboxMessage) -> None: ...


class WebhookChannel:
    name = "webhook"

    def enabled(self) -> bool:
        return bool(webhook_url())

    def send(self, message: OutboxMessage) -> None:
        body = json.dumps({"id": message.pk, **message.payload}, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            webhook_url(),
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                # Delivery is at least once: receivers drop a repeated id.
                "X-Lianbang-Delivery": str(message.pk),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=webhook_timeout()) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            raise DeliveryFailed(f"HTTP {exc.code}") from exc
        except (urllib.error.URLError, HTTPException, OSError) as exc:
            raise DeliveryFailed(str(getattr(exc, "reason", exc))) from exc


CHANNELS: dict[str, Channel] = {channel.name: channel for channel in (WebhookChannel(),)}


def enabled_channels() -> list[str]:
    return [name for name, channel in CHANNELS.items() if channel.enabled()]
