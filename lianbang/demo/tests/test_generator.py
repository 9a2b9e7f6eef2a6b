"""The synthetic district: the seed counts of DOMAIN §1, registry invariants, determinism."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import astuple
from datetime import date

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q

from lianbang.accounts.models import Assignment, User
from lianbang.common.validators import PHONE_PATTERN, identity_facts, normalize_id_number
from lianbang.demo.generator import DEFAULT_SEED, DistrictSpec, fit_sizes, generate_district
from lianbang.demo.ids import IdNumberAllocator
from lianbang.demo.records import HouseholdChunk, Structure
from lianbang.demo.services import GenerationReport, district_generate
from lianbang.demo.shape import DEFAULT_HOUSEHOLDS, level_counts, member_target
from lianbang.org.models import Building, MicroGrid, Unit
from lianbang.org.services import child_path
from lianbang.registry.models import Event, Household, Income, Member

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def district(django_db_setup: None, django_db_blocker: object) -> Iterator[GenerationReport]:
    """The default district, written once for the module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        yield district_generate(seed=DEFAULT_SEED, households=DEFAULT_HOUSEHOLDS)
        transaction.set_rollback(True)


def test_it_builds_the_seed_district_with_the_counts_of_the_domain(district: GenerationReport) -> None:
    per_level = dict(Unit.objects.values_list("level").annotate(n=Count("id")))
    assert per_level == {1: 1, 2: 2, 3: 3, 4: 11, 5: 29, 6: 64}
    assert Building.objects.count() == 48
    assert MicroGrid.objects.count() == 376
    assert Household.objects.count() == 4915
    assert Member.objects.count() == 18401
    assert district.counts["registry.Member"] == 18401


def test_it_names_the_district_and_its_streets_with_their_codes(district: GenerationReport) -> None:
    root = Unit.objects.get(level=1)
    assert (root.name, root.code, root.party_org_name) == ("东川区", "530113", "东川区搬迁安置区党委")
    streets = Unit.objects.filter(level=2)
    assert all(len(s.code) == 12 and s.code.startswith("530113") for s in streets)
    assert all(s.party_org_name.endswith("街道搬迁安置区党委") for s in streets)
    assert sorted(Unit.objects.filter(level=3).values_list("parent__name", flat=True)) == [
        "碧谷街道",
        "铜都街道",
        "铜都街道",
    ]


def test_it_groups_the_buildings_under_branches_as_in_the_seed_district(district: GenerationReport) -> None:
    per_branch = Counter(Building.objects.values_list("branch_id", flat=True))
    assert Counter(per_branch.values()) == {2: 19, 1: 10}
    assert not Building.objects.exclude(branch__level=5).exists()


def test_it_keeps_every_unit_path_in_step_with_its_parent(district: GenerationReport) -> None:
    units = {unit.pk: unit for unit in Unit.objects.all()}
    for unit in units.values():
        parent_path = units[unit.parent_id].path if unit.parent_id else ""
        assert unit.path == child_path(parent_path, unit.pk)
        assert unit.parent_id is None or units[unit.parent_id].level == unit.level - 1


def test_it_gives_every_grid_a_worker_assigned_to_its_floor_group(district: GenerationReport) -> None:
    assert not MicroGrid.objects.filter(worker__isnull=True).exists()
    assert not MicroGrid.objects.exclude(unit__level=6).exists()
    assert not MicroGrid.objects.exclude(building__branch=F("unit__parent")).exists()
    assigned = set(Assignment.objects.filter(role="grid_worker").values_list("user_id", "unit_id"))
    assert set(MicroGrid.objects.values_list("worker_id", "unit_id")) == assigned


def test_it_creates_one_account_per_unit_with_the_demo_password(district: GenerationReport) -> None:
    roles = Counter(Assignment.objects.values_list("role", flat=True))
    assert roles == {
        "district_admin": 1,
        "street_official": 2,
        "community_official": 3,
        "area_leader": 11,
        "branch_secretary": 29,
        "grid_worker": 376,
    }
    usernames = ["district", "street1", "community3", "area11", "branch29", "grid0001"]
    assert User.objects.filter(username__in=usernames).count() == len(usernames)
    assert User.objects.values("password").distinct().count() == 1  # hashed once, shared
    assert User.objects.get(username="grid0001").check_password(settings.LIANBANG_DEMO_PASSWORD)
    assert not User.objects.filter(full_name="").exists()


def test_it_places_each_household_in_its_grid_floor_group_and_building(district: GenerationReport) -> None:
    assert not Household.objects.exclude(unit=F("grid__unit")).exists()
    assert not Household.objects.exclude(building=F("grid__building")).exists()
    assert not Household.objects.filter(Q(floor__gt=F("building__floor_count")) | Q(floor__lt=1)).exists()


def test_it_gives_each_active_household_its_own_flat(district: GenerationReport) -> None:
    addresses = Household.objects.values("building", "entrance", "floor", "room")
    assert addresses.distinct().count() == Household.objects.count()
    for building in Building.objects.annotate(n=Count("households")):
        assert building.n <= building.capacity


def test_it_stores_the_region_code_on_every_row(district: GenerationReport) -> None:
    for model in (Unit, Building, MicroGrid, Household, Member, Income, Event):
        assert not model._default_manager.exclude(region_code="530113").exists()


def test_it_gives_every_member_a_valid_unique_id_matching_birth_date_and_sex(
    district: GenerationReport,
) -> None:
    rows = list(Member.objects.values_list("id_number", "birth_date", "sex"))
    assert len({id_number for id_number, _, _ in rows}) == len(rows)
    for id_number, birth_date, sex in rows:
        assert normalize_id_number(id_number) == id_number
        facts = identity_facts(id_number)
        assert (facts.birth_date, facts.sex) == (birth_date, sex)


def test_it_gives_every_household_exactly_one_active_head(district: GenerationReport) -> None:
    heads = Household.objects.annotate(
        n=Count("members", filter=Q(members__relation="head", members__status="active"))
    )
    assert set(heads.values_list("n", flat=True)) == {1}


def test_it_never_pairs_a_head_with_a_spouse_of_the_same_sex(district: GenerationReport) -> None:
    spouses = Member.objects.filter(relation="spouse", status="active")
    assert spouses.values("household").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    heads = dict(Member.objects.filter(relation="head").values_list("household_id", "sex"))
    assert all(heads[household] != sex for household, sex in spouses.values_list("household_id", "sex"))


def test_it_makes_children_18_to_40_years_younger_than_the_head(district: GenerationReport) -> None:
    heads = dict(Member.objects.filter(relation="head").values_list("household_id", "birth_date"))
    children = Member.objects.filter(relation__in=["son", "daughter"])
    for household, born in children.values_list("household_id", "birth_date"):
        assert 18 <= (born - heads[household]).days / 365.25 <= 40


def test_it_sets_exactly_one_of_education_and_schooling(district: GenerationReport) -> None:
    assert not Member.objects.exclude(education="").exclude(schooling="").exists()
    assert not Member.objects.filter(education="", schooling="").exists()


def test_it_lets_only_labour_aged_members_work(district: GenerationReport) -> None:
    working = Member.objects.exclude(work_location="")
    assert not working.filter(Q(employed_since__isnull=True) | Q(monthly_wage__isnull=True)).exists()
    assert not working.exclude(labor_skill__in=["ordinary", "skilled", "weak"]).exists()
    assert not working.exclude(status="active").exists()
    assert not working.filter(Q(monthly_wage__lt=2000) | Q(monthly_wage__gt=6500)).exists()


def test_it_gives_households_valid_numbers_and_phones(district: GenerationReport) -> None:
    for number, phone in Household.objects.values_list("household_no", "phone"):
        assert number.startswith("530113-") and len(number) == 13
        assert PHONE_PATTERN.match(phone)


def test_it_records_two_years_of_income_sized_by_the_active_members(district: GenerationReport) -> None:
    assert set(Income.objects.values_list("year", flat=True).distinct()) == {2025, 2026}
    active = dict(
        Household.objects.annotate(n=Count("members", filter=Q(members__status="active"))).values_list(
            "id", "n"
        )
    )
    current = Income.objects.filter(year=2026).values_list("household_id", "household_size")
    assert all(active[household] == size for household, size in current)


def test_it_marks_the_dead_as_deceased_with_the_date_of_their_death_event(district: GenerationReport) -> None:
    deaths = Event.objects.filter(type="death")
    assert deaths.exists()
    for event in deaths.select_related("member"):
        assert event.member is not None
        assert (event.member.status, event.member.status_date) == ("deceased", event.date)
    window = (date(2025, 12, 1), date(2026, 11, 29))
    assert not Event.objects.exclude(date__range=window).exists()
    assert not Event.objects.exclude(member__isnull=True).exclude(member__household=F("household")).exists()


def test_it_dates_nothing_after_a_members_death(district: GenerationReport) -> None:
    deceased = dict(Member.objects.filter(status="deceased").values_list("id", "status_date"))
    for member, day in Event.objects.filter(member__in=deceased).values_list("member_id", "date"):
        assert day <= deceased[member]


def test_it_leaves_a_member_who_lost_a_job_unemployed_unless_rehired(district: GenerationReport) -> None:
    rehired = set(Event.objects.filter(type="job_start").values_list("member_id", flat=True))
    lost = Event.objects.filter(type="job_loss").exclude(member__in=rehired)
    assert lost.exists()
    assert not lost.exclude(member__work_location="").exists()


def test_it_estimates_a_realistic_mix_of_lights(district: GenerationReport) -> None:
    lights = district.lights
    assert lights.households == 4915
    assert lights.share("green") >= 0.78
    assert 0.08 <= lights.share("yellow") <= 0.17
    assert 0.02 <= lights.share("red") <= 0.06
    assert 0.89 <= lights.employed / lights.labour <= 0.94


# --- the pure generator ------------------------------------------------------------------


def _everything(seed: int, households: int, chunk_size: int = 2000) -> tuple[Structure, list[HouseholdChunk]]:
    district = generate_district(DistrictSpec(seed=seed, households=households, chunk_size=chunk_size))
    return district.structure, list(district.chunks())


def test_it_generates_the_same_district_for_the_same_seed() -> None:
    assert _everything(7, 300) == _everything(7, 300)


def test_it_generates_another_district_for_another_seed() -> None:
    assert _everything(7, 300) != _everything(8, 300)


def test_it_streams_the_same_rows_whatever_the_chunk_size() -> None:
    _, small = _everything(7, 300, chunk_size=40)
    _, whole = _everything(7, 300)
    assert len(small) > 3 and len(whole) == 1
    for name in ("households", "members", "incomes", "events"):
        assert [row for chunk in small for row in getattr(chunk, name)] == getattr(whole[0], name)


def test_it_generates_exactly_the_requested_number_of_households() -> None:
    district = generate_district(DistrictSpec(seed=3, households=500))
    chunks = list(district.chunks())
    assert sum(len(c.households) for c in chunks) == 500
    assert sum(len(c.members) for c in chunks) == member_target(500) == 1872
    counts = level_counts(500)
    assert len(district.structure.grids) == counts.grids
    assert len(district.structure.buildings) == counts.buildings


def test_it_scales_every_level_and_keeps_at_least_one_of_each() -> None:
    assert astuple(level_counts(1)) == (1, 1, 1, 1, 1, 1, 1)
    assert astuple(level_counts(1_000_000)) == (407, 610, 2238, 5900, 9766, 13021, 76501)


def test_it_fits_household_sizes_to_the_member_target() -> None:
    sizes = fit_sizes(random.Random(1), 13, 80)
    assert sum(sizes) == 80 and min(sizes) >= 1


def test_it_keeps_id_numbers_unique_when_many_share_a_birth_date() -> None:
    allocator, rng = IdNumberAllocator(), random.Random(1)
    numbers = [allocator.allocate(rng, date(1980, 1, 1), "F") for _ in range(1500)]
    assert len(set(numbers)) == 1500
    assert all(identity_facts(normalize_id_number(n)).sex == "F" for n in numbers)
