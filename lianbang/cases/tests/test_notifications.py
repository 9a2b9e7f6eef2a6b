"""The inbox, and the outbox delivered to a real webhook receiver on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from lianbang.cases.conf import workflow_settings
from lianbang.cases.models import Notification, OutboxMessage
from lianbang.cases.selectors import dead_letters, inbox
from lianbang.cases.services.delivery import outbox_deliver, outbox_retry
from lianbang.cases.services.notify import notifications_mark_read
from lianbang.cases.tests.conftest import Cast, Opener, family, later


class _Receiver(ThreadingHTTPServer):
    status = 200
    received: list[tuple[str, dict[str, Any]]]


class _Handler(BaseHTTPRequestHandler):
    server: _Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.headers["X-Lianbang-Delivery"], json.loads(body)))
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def receiver(port: int, status: int = 200) -> Iterator[_Receiver]:
    server = _Receiver(("127.0.0.1", port), _Handler)
    server.status, server.received = status, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def port(settings: Any) -> int:
    chosen = free_port()
    settings.LIANBANG_WEBHOOK_URL = f"http://127.0.0.1:{chosen}/lianbang"
    settings.LIANBANG_WEBHOOK_TIMEOUT = 2.0
    return chosen


def test_a_new_case_lands_in_the_grid_workers_inbox_and_can_be_marked_read(
    cast: Cast, open_case: Opener
) -> None:
    case = open_case(family(water_safe=False))
    note = inbox(cast.grid_worker, unread_only=True).get()
    assert (note.kind, note.case) == ("assigned", case)
    assert "新预警" in note.message and "visit the household" in note.message_en
    assert notifications_mark_read(user=cast.grid_worker) == 1
    assert not inbox(cast.grid_worker, unread_only=True).exists()


def test_without_a_webhook_url_nothing_waits_in_the_outbox(
    cast: Cast, open_case: Opener, settings: Any
) -> None:
    settings.LIANBANG_WEBHOOK_URL = ""
    open_case(family(water_safe=False))
    assert Notification.objects.count() == 1 and not OutboxMessage.objects.exists()


def test_a_receiver_that_is_down_gets_the_message_once_it_is_up_again(
    cast: Cast, open_case: Opener, port: int
) -> None:
    case = open_case(family(water_safe=False))
    message = OutboxMessage.objects.get()
    t0 = later(case, minutes=1)

    down = outbox_deliver(now=t0)
    message.refresh_from_db()
    assert (down.failed, message.status, message.attempts) == (1, "pending", 1)
    assert message.next_attempt_at == t0 + timedelta(seconds=60) and message.last_error

    with receiver(port) as server:
        assert outbox_deliver(now=t0 + timedelta(seconds=30)).sent == 0  # still backing off
        up = outbox_deliver(now=t0 + timedelta(seconds=61))
    message.refresh_from_db()
    assert (up.sent, message.status, message.attempts) == (1, "sent", 2)
    [(delivery_id, body)] = server.received
    assert delivery_id == str(message.pk) and body["id"] == message.pk
    assert (body["event"], body["recipient"], body["case"]["id"], body["case"]["level"]) == (
        "assigned",
        "grid",
        case.pk,
        "red",
    )
    assert case.household is not None
    assert case.household.members.first().id_number not in json.dumps(body)  # type: ignore[union-attr]


def test_a_message_the_receiver_keeps_refusing_becomes_a_dead_letter_that_can_be_retried(
    cast: Cast, open_case: Opener, port: int
) -> None:
    config = workflow_settings()
    config.outbox_max_attempts = 3
    config.save()
    case = open_case(family(water_safe=False))
    message = OutboxMessage.objects.get()
    t0 = later(case, minutes=1)
    with receiver(port, status=500) as server:
        outbox_deliver(now=t0)
        message.refresh_from_db()
        assert message.next_attempt_at == t0 + timedelta(seconds=60)
        outbox_deliver(now=t0 + timedelta(seconds=60))
        message.refresh_from_db()
        assert message.next_attempt_at == t0 + timedelta(seconds=180)
        last = outbox_deliver(now=t0 + timedelta(seconds=180))
        assert len(server.received) == 3
    message.refresh_from_db()
    assert (last.dead, message.status, message.attempts, message.last_error) == (1, "dead", 3, "HTTP 500")
    assert list(dead_letters()) == [message]
    assert outbox_deliver(now=t0 + timedelta(days=1)).sent == 0  # a dead letter waits for a person

    outbox_retry(message_id=message.pk, now=t0 + timedelta(days=1))
    with receiver(port) as server:
        assert outbox_deliver(now=t0 + timedelta(days=1)).sent == 1
    assert OutboxMessage.objects.get().status == "sent" and len(server.received) == 1


def test_administrators_see_dead_letters_and_can_queue_them_again(
    cast: Cast, open_case: Opener, port: int, admin_client: Any
) -> None:
    open_case(family(water_safe=False))
    OutboxMessage.objects.update(status="dead", attempts=6, last_error="HTTP 500")
    page = admin_client.get("/admin/cases/outboxmessage/?status__exact=dead")
    assert page.status_code == 200 and "HTTP 500" in page.content.decode()
    message = OutboxMessage.objects.get()
    admin_client.post(
        "/admin/cases/outboxmessage/", {"action": "retry", "_selected_action": [message.pk]}, follow=True
    )
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 0)
