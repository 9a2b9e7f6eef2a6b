"""Signals the registry sends; other apps (monitoring) listen without the registry knowing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the writing transaction after a household or anything of it changed.
# Arguments: household_id (int), cause (str, e.g. "member_update").
household_changed = Signal()
