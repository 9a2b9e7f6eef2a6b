"""Signals the registry sends; other apps (monitoring) listen without the registry knowing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the writing transaction after a household or anything of it changed.
# Arguments: household_id (int), cause (str, e.g. "member_update").
household_changed = Signal()

# Sent inside the writing transaction after households moved to another micro-grid, whichever
# path moved them (the grid screen, a household save placing it in another grid).
# Arguments: moves (list of (household id, old grid id, new grid id)), actor.
household_regridded = Signal()
