"""What monitoring tells other apps (cases listens); monitoring never imports them."""

from __future__ import annotations

from django.dispatch import Signal

# One household's light or fired rules changed. Argument: change (LightChange).
light_changed = Signal()
# A bulk run wrote its changes. Arguments: changed_at (datetime shared by the run's LightChange
# rows), cause (str). Sent inside the run's transaction.
lights_changed_in_bulk = Signal()
