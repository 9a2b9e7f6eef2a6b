"""Signals the hierarchy sends; other apps (cases) listen without org knowing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the writing transaction after a grid got another worker (or none).
# Arguments: grid_id (int), old_worker_id (int | None), new_worker_id (int | None), actor.
grid_worker_changed = Signal()
