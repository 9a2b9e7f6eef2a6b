"""Rules that hold across a household's members (DOMAIN §3), checked on drafts and rows alike."""

from __future__ import annotations

from dataclasses import dataclass

from lianbang.common.errors import FieldProblem
from lianbang.registry.vocab import Relation


@dataclass(frozen=True)
class MemberFacts:
    path: str
    id_number: str
    name: str
    relation: str
    sex: str
    active: bool


def check_household_members(members: list[MemberFacts]) -> list[FieldProblem]:
    """Exactly one head, at most one spouse and of the other sex, no ID twice."""
    active = [m for m in members if m.active]
    return [*_duplicate_ids(members), *_heads(active), *_spouses(active)]


def _duplicate_ids(members: list[MemberFacts]) -> list[FieldProblem]:
    problems, seen = [], set()
    for member in members:
        if member.id_number in seen:
            problems.append(
                _problem(
                    member, "id_number", member.id_number, "证件号码在本户重复", "the ID number appears twice"
                )
            )
        seen.add(member.id_number)
    return problems


def _heads(active: list[MemberFacts]) -> list[FieldProblem]:
    heads = [m for m in active if m.relation == Relation.HEAD]
    if len(heads) == 1:
        return []
    if not heads:
        return [
            FieldProblem(
                "members",
                None,
                "户内须有且只有一名户主，现有0名",
                "a household needs exactly one head (户主); it has none",
            )
        ]
    return [
        _problem(
            m,
            "relation",
            "户主",
            f"户内只能有一名户主，现有{len(heads)}名",
            f"a household has exactly one head; this one has {len(heads)}",
        )
        for m in heads[1:]
    ]


def _spouses(active: list[MemberFacts]) -> list[FieldProblem]:
    heads = [m for m in active if m.relation == Relation.HEAD]
    spouses = [m for m in active if m.relation == Relation.SPOUSE]
    problems = [
        _problem(m, "relation", "配偶", "户内最多一名配偶", "a household has at most one spouse")
        for m in spouses[1:]
    ]
    if heads and spouses and spouses[0].sex == heads[0].sex:
        problems.append(
            _problem(
                spouses[0],
                "relation",
                "配偶",
                f"配偶与户主「{heads[0].name}」性别相同",
                f"the spouse has the same sex as the head {heads[0].name}",
            )
        )
    return problems


def _problem(member: MemberFacts, key: str, value: object, zh: str, en: str) -> FieldProblem:
    return FieldProblem(
        f"{member.path}.{key}",
        value,
        f"成员「{member.name}」的{_LABELS[key]}「{value}」：{zh}",
        f"member {member.name} {key} {value!r}: {en}",
    )


_LABELS = {"id_number": "证件号码", "relation": "与户主关系"}
