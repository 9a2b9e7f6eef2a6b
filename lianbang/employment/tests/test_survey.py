"""摸底数: every labour member in the campaign; the five-level loop confirms bottom-up."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from lianbang.common.errors import ApplicationError
from lianbang.conftest import Tree
from lianbang.employment.models import SurveyEntry
from lianbang.employment.selectors import coverage, unreached
from lianbang.employment.services.survey import survey_confirm, survey_reach, survey_start
from lianbang.employment.tests.conftest import D, Family, People, save_family

NOW = timezone.make_aware(datetime(2026, 11, 29, 10))


def test_every_labour_member_is_in_the_campaign_and_nobody_else(
    tree: Tree, family: Family, people: People
) -> None:
    campaign = survey_start(actor=people.street, unit=tree.street, name="冬季摸底", as_of=D)
    members = set(campaign.entries.values_list("member_id", flat=True))
    assert members == {family.head.pk, family.spouse.pk, family.son.pk}
    daughterless = family.household.members.exclude(pk__in=members)
    assert not daughterless.exists()  # the pupil of the family is not labour: not surveyed


def test_coverage_counts_reached_people_per_unit_and_lists_who_is_missing(
    tree: Tree, family: Family, people: People
) -> None:
    campaign = survey_start(actor=people.street, unit=tree.street, name="冬季摸底", as_of=D)
    entry = SurveyEntry.objects.get(campaign=campaign, member=family.head)
    survey_reach(actor=people.grid_worker, entry=entry, status="已就业", now=NOW)
    found = coverage(campaign, tree.community)
    assert (found.unit["labour"], found.unit["reached"], str(found.unit["coverage"])) == (3, 1, "33.33")
    assert [row["unit_id"] for row in found.children] == [tree.area.pk]
    assert {e.member_id for e in unreached(campaign, tree.street)} == {family.spouse.pk, family.son.pk}


def _reach_everyone(campaign: object, people: People) -> None:
    for entry in SurveyEntry.objects.filter(campaign=campaign):
        survey_reach(actor=people.grid_worker, entry=entry, status="seeking", now=NOW)


def test_the_loop_closes_bottom_up_through_five_levels(tree: Tree, family: Family, people: People) -> None:
    campaign = survey_start(actor=people.street, unit=tree.district, name="全区摸底", as_of=D)
    with pytest.raises(ApplicationError) as not_reached:
        survey_confirm(actor=people.grid_worker, campaign=campaign, unit=tree.floor_group, now=NOW)
    assert "未摸到" in not_reached.value.message
    _reach_everyone(campaign, people)
    with pytest.raises(ApplicationError) as below_first:
        survey_confirm(actor=people.street, campaign=campaign, unit=tree.street, now=NOW)
    assert "下级单位尚未确认" in below_first.value.message
    for unit in (tree.floor_group, tree.branch, tree.area, tree.community):
        survey_confirm(actor=people.grid_worker, campaign=campaign, unit=unit, now=NOW)
        campaign.refresh_from_db()
        assert campaign.closed_at is None
    survey_confirm(actor=people.street, campaign=campaign, unit=tree.street, now=NOW)
    campaign.refresh_from_db()
    assert campaign.closed_at == NOW
    assert coverage(campaign, tree.district).children[0]["confirmed"] is True


def test_a_confirmed_unit_is_frozen_and_the_district_is_not_a_loop_level(
    tree: Tree, family: Family, people: People
) -> None:
    campaign = survey_start(actor=people.street, unit=tree.district, name="全区摸底", as_of=D)
    _reach_everyone(campaign, people)
    survey_confirm(actor=people.grid_worker, campaign=campaign, unit=tree.floor_group, now=NOW)
    entry = SurveyEntry.objects.filter(campaign=campaign).first()
    assert entry is not None
    with pytest.raises(ApplicationError) as frozen:
        survey_reach(actor=people.grid_worker, entry=entry, status="not_seeking", now=NOW)
    assert frozen.value.status == 409
    with pytest.raises(ApplicationError):
        survey_confirm(actor=people.street, campaign=campaign, unit=tree.district, now=NOW)


def test_unreachable_people_keep_the_unit_from_confirming(tree: Tree, family: Family, people: People) -> None:
    save_family(tree, "530113-900002", "202")
    campaign = survey_start(actor=people.street, unit=tree.floor_group, name="小组摸底", as_of=D)
    entries = list(SurveyEntry.objects.filter(campaign=campaign))
    assert len(entries) == 6
    for entry in entries:
        survey_reach(
            actor=people.grid_worker,
            entry=entry,
            status="unreachable" if entry == entries[0] else "employed",
            now=NOW,
        )
    with pytest.raises(ApplicationError):
        survey_confirm(actor=people.grid_worker, campaign=campaign, unit=tree.floor_group, now=NOW)
    assert coverage(campaign, tree.floor_group).unit["unreached"] == 1
