"""Reads of what phones recorded: a household's latest visits with their place and photo."""

from __future__ import annotations

import base64
from typing import Any

from lianbang.registry.models import Household, Visit

RECENT_VISITS = 10


def visits_recent(household: Household, limit: int = RECENT_VISITS) -> list[dict[str, Any]]:
    """The latest visits, newest first; the photo as a data URL (the pages' CSP allows data: images)."""
    rows = (
        Visit.objects.filter(household=household)
        .select_related("visitor", "detail", "photo")
        .order_by("-visited_at", "-pk")[:limit]
    )
    return [_visit(visit) for visit in rows]


def _visit(visit: Visit) -> dict[str, Any]:
    detail = getattr(visit, "detail", None)  # a reverse one-to-one: None when there is none
    photo = getattr(visit, "photo", None)
    return {
        "visited_at": visit.visited_at,
        "visitor": visit.visitor.full_name or visit.visitor.username if visit.visitor else "",
        "all_well": visit.all_well,
        "notes": visit.notes,
        "needs": visit.needs,
        "place": detail.place if detail else "",
        "photo": f"data:{photo.content_type};base64,{base64.b64encode(bytes(photo.data)).decode()}"
        if photo
        else "",
    }
