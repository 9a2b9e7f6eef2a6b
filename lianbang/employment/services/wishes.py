"""敲门行动: a person's wishes, recorded on a door-knocking visit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from lianbang.common.errors import invalid
from lianbang.employment import vocab
from lianbang.employment.labour import labour_q
from lianbang.employment.models import Wish
from lianbang.employment.services.common import audit, codes, wage
from lianbang.registry.models import Member
from lianbang.registry.services import visit_record


@dataclass
class WishData:
    seeking: bool = True
    job_types: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    min_wage: Decimal | str | int | None = None
    wants_training: bool = False
    training_types: list[str] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)
    note: str = ""


@transaction.atomic
def wish_record(
    *, actor: Any, member: Member, data: WishData, today: date, visited_at: datetime | None = None
) -> Wish:
    """Record (or replace) the member's wish; with ``visited_at`` the visit is in the registry."""
    if not Member.objects.filter(labour_q(today), pk=member.pk).exists():
        raise invalid(
            "member", member.pk, f"「{member.name}」不是劳动力，无需登记就业意愿", "not a labour member"
        )
    values = {
        "seeking": data.seeking,
        "job_types_mask": vocab.mask_of(
            vocab.JobType, codes("job_types", data.job_types, vocab.JobType, "工种")
        ),
        "places_mask": vocab.mask_of(vocab.Place, codes("places", data.places, vocab.Place, "地点")),
        "min_wage": wage("min_wage", data.min_wage),
        "wants_training": data.wants_training,
        "training_types_mask": vocab.mask_of(
            vocab.JobType, codes("training_types", data.training_types, vocab.JobType, "培训工种")
        ),
        "constraints_mask": vocab.mask_of(
            vocab.Constraint, codes("constraints", data.constraints, vocab.Constraint, "限制条件")
        ),
        "note": data.note[:300],
        "recorded_by": actor,
        "recorded_on": today,
    }
    wish, created = Wish.objects.update_or_create(member=member, defaults=values)
    if visited_at is not None:
        visit_record(
            household=member.household, visitor=actor, visited_at=visited_at, purpose="敲门行动问需求"
        )
    audit(actor, "wish_record", wish, {"member": member.pk, "created": created, **_shown(wish)})
    return wish


def _shown(wish: Wish) -> dict[str, Any]:
    return {
        "seeking": wish.seeking,
        "job_types": wish.job_types,
        "places": wish.places,
        "min_wage": wish.min_wage,
        "wants_training": wish.wants_training,
        "constraints": wish.constraints,
    }
