"""Who lives in a household (家庭结构): relation to the head, sex, age and surname.

A family grows around its head (户主): a spouse of the other sex, children 20–38 years
younger, a son's wife and their children, parents of younger heads, now and then a
live-in son-in-law (上门女婿) or a sibling.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from lianbang.demo import names
from lianbang.demo.draws import Weighted, chance, integer, one_of
from lianbang.registry.vocab import Relation

# Household sizes (人口数) of relocated rural households; mean ≈ 3.73 before the exact fit.
HOUSEHOLD_SIZES = Weighted(
    [(1, 9.0), (2, 14.0), (3, 20.0), (4, 26.0), (5, 19.0), (6, 8.0), (7, 3.0), (8, 1.0)]
)
MAX_SIZE = 10
_HEAD_AGES_BY_SIZE = {
    1: Weighted([((25, 44), 20.0), ((45, 64), 32.0), ((65, 88), 48.0)]),
    2: Weighted([((25, 44), 14.0), ((45, 64), 40.0), ((65, 88), 46.0)]),
    3: Weighted([((24, 44), 42.0), ((45, 64), 44.0), ((65, 85), 14.0)]),
    4: Weighted([((26, 44), 45.0), ((45, 64), 43.0), ((65, 85), 12.0)]),
}
_HEAD_AGES_LARGE = Weighted([((28, 44), 25.0), ((45, 64), 50.0), ((65, 85), 25.0)])
_OLDEST = 99


@dataclass(slots=True)
class Person:
    relation: str
    sex: str
    age: int
    surname: str
    ethnicity: str
    partnered: bool = False  # a son with his wife here, a daughter with her husband here


def other_sex(sex: str) -> str:
    return "F" if sex == "M" else "M"


def household_head_age(rng: random.Random, size: int) -> int:
    low, high = _HEAD_AGES_BY_SIZE.get(size, _HEAD_AGES_LARGE).pick(rng)
    return integer(rng, low, high)


def build_family(rng: random.Random, size: int) -> list[Person]:
    """``size`` people, the head first; the rest by the kinds of relative that still fit."""
    ethnicity = names.ETHNICITIES.pick(rng)
    head_age = household_head_age(rng, size)
    head_sex = "M" if chance(rng, 0.82) else "F"
    family = _Family(
        rng, Person(Relation.HEAD.value, head_sex, head_age, names.pick_surname(rng, ethnicity), ethnicity)
    )
    if size > 1 and chance(rng, _spouse_probability(head_sex, head_age)):
        family.add_spouse()
    while len(family.people) < size:
        family.add_relative()
    return family.people


def _spouse_probability(head_sex: str, head_age: int) -> float:
    if head_sex == "F":
        return 0.45  # female heads are more often widowed or divorced
    return 0.9 if head_age < 70 else 0.7


class _Family:
    def __init__(self, rng: random.Random, head: Person) -> None:
        self.rng, self.head = rng, head
        self.people = [head]
        self.spouse: Person | None = None

    def add_spouse(self) -> None:
        gap = integer(self.rng, -2, 6)  # wives are mostly a few years younger
        age = self.head.age - gap if self.head.sex == "M" else self.head.age + gap
        self.spouse = self._person(
            Relation.SPOUSE, other_sex(self.head.sex), min(_OLDEST, max(20, age)), surname=None
        )

    def add_relative(self) -> None:
        kinds: list[tuple[Callable[[], None], float]] = []
        head_age = self.head.age
        if head_age >= 20 and self._count(Relation.SON, Relation.DAUGHTER) < 6:
            kinds.append((self._child, 10.0 if head_age < 70 else 4.0))
        if head_age <= 62 and len(self._parents()) < 2:
            kinds.append((self._parent, 5.0 if head_age < 45 else 1.5))
        if self._unpartnered(Relation.SON):
            kinds.append((self._daughter_in_law, 7.0))
        if self._grandparents():
            kinds.append((self._grandchild, 14.0 if self._partnered_children() else 3.0))
        if self._unpartnered(Relation.DAUGHTER) and not self._count(Relation.SON):
            kinds.append((self._son_in_law, 3.0))
        kinds.append((self._sibling, 0.4 if head_age < 60 else 0.1))
        Weighted(kinds).pick(self.rng)()

    def _person(self, relation: str, sex: str, age: int, *, surname: str | None) -> Person:
        ethnicity = self.head.ethnicity if chance(self.rng, 0.9) else names.ETHNICITIES.pick(self.rng)
        person = Person(
            str(relation), sex, age, surname or names.pick_surname(self.rng, ethnicity), ethnicity
        )
        self.people.append(person)
        return person

    def _count(self, *relations: str) -> int:
        return sum(1 for person in self.people if person.relation in relations)

    def _unpartnered(self, relation: str) -> list[Person]:
        return [p for p in self.people if p.relation == relation and p.age >= 20 and not p.partnered]

    def _parents(self) -> list[Person]:
        return [p for p in self.people if p.relation in _PARENT_RELATIONS]

    def _partnered_children(self) -> list[Person]:
        return [p for p in self.people if p.relation in (Relation.SON, Relation.DAUGHTER) and p.partnered]

    def _grandparents(self) -> list[Person]:
        """Adult children who can have a child of their own here."""
        sons = [p for p in self.people if p.relation == Relation.SON and p.age >= 20]
        return self._partnered_children() + [p for p in sons if not p.partnered]

    def _child(self) -> None:
        low, high = 20, 38
        if self.spouse is not None and self.spouse.sex == "F":
            # the mother was 18–42 when the child was born
            low = max(low, self.head.age - self.spouse.age + 18)
            high = min(high, self.head.age - self.spouse.age + 42)
        low, high = min(low, self.head.age), min(high, self.head.age)
        age = self.head.age - integer(self.rng, low, max(low, high))
        sex = "M" if chance(self.rng, 0.52) else "F"
        relation = Relation.SON if sex == "M" else Relation.DAUGHTER
        self._person(relation, sex, age, surname=self._child_surname())

    def _child_surname(self) -> str:
        if self.head.sex == "F" and self.spouse is not None and chance(self.rng, 0.7):
            return self.spouse.surname
        return self.head.surname

    def _parent(self) -> None:
        parents = self._parents()
        taken = {p.sex for p in parents}
        sex = "F" if "M" in taken else ("M" if "F" in taken else one_of(self.rng, "MF"))
        age = min(_OLDEST, self.head.age + integer(self.rng, 20, 36))
        if parents:  # both parents come from the same side of the family
            in_law = parents[0].relation not in _OWN_PARENT.values()
        else:
            in_law = self.spouse is not None and chance(self.rng, 0.5 if self.head.sex == "F" else 0.1)
        relation = _IN_LAW_PARENT[self.head.sex, sex] if in_law else _OWN_PARENT[sex]
        own_line = not in_law and sex == "M"
        surname = self.head.surname if own_line else None
        self._person(relation, sex, age, surname=surname)

    def _daughter_in_law(self) -> None:
        son = one_of(self.rng, self._unpartnered(Relation.SON))
        son.partnered = True
        age = max(18, son.age + integer(self.rng, -5, 2))
        self._person(Relation.DAUGHTER_IN_LAW, "F", age, surname=None)

    def _son_in_law(self) -> None:
        daughter = one_of(self.rng, self._unpartnered(Relation.DAUGHTER))
        daughter.partnered = True
        age = max(20, daughter.age + integer(self.rng, -2, 5))
        self._person(Relation.SON_IN_LAW, "M", age, surname=None)

    def _grandchild(self) -> None:
        parent = one_of(self.rng, self._grandparents())
        age = max(0, parent.age - integer(self.rng, 20, 35))
        sex = "M" if chance(self.rng, 0.52) else "F"
        if parent.relation == Relation.SON:
            relation = Relation.GRANDSON if sex == "M" else Relation.GRANDDAUGHTER
            surname = parent.surname
        else:
            relation = Relation.DAUGHTERS_SON if sex == "M" else Relation.DAUGHTERS_DAUGHTER
            surname = self.head.surname  # a live-in son-in-law's children take the wife's name
        self._person(relation, sex, age, surname=surname)

    def _sibling(self) -> None:
        age = max(16, min(_OLDEST, self.head.age + integer(self.rng, -12, 12)))
        self._person(Relation.SIBLING, one_of(self.rng, "MF"), age, surname=self.head.surname)


_OWN_PARENT = {"M": Relation.FATHER, "F": Relation.MOTHER}
_IN_LAW_PARENT = {
    ("F", "M"): Relation.HUSBANDS_FATHER,
    ("F", "F"): Relation.HUSBANDS_MOTHER,
    ("M", "M"): Relation.WIFES_FATHER,
    ("M", "F"): Relation.WIFES_MOTHER,
}
_PARENT_RELATIONS = frozenset({*_OWN_PARENT.values(), *_IN_LAW_PARENT.values()})
