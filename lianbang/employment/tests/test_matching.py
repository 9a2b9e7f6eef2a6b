"""Matching: scores that explain themselves; the set-based statement agrees with the Python."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from lianbang.conftest import Tree
from lianbang.employment import vocab
from lianbang.employment.matching import (
    Seeker,
    explain,
    factors,
    match,
    naive_match,
    score_of,
    seekers,
)
from lianbang.employment.models import JobPosting, Wish
from lianbang.employment.services.wishes import WishData, wish_record
from lianbang.employment.tests import factories
from lianbang.employment.tests.conftest import D, Family, People, save_family
from lianbang.registry.models import Member


def _wish(family: Family, people: People, **data: object) -> Wish:
    return wish_record(actor=people.grid_worker, member=family.spouse, data=WishData(**data), today=D)  # type: ignore[arg-type]


def test_a_job_that_fits_every_wish_scores_full_marks_with_a_reason_each(
    tree: Tree, family: Family, people: People
) -> None:
    _wish(family, people, job_types=["电子装配"], places=["昆明服务站"], min_wage="3500")
    job = factories.posting(
        tree.district, job_type="electronics", station="station_kunming", wage_min=Decimal(3600), deadline=D
    )
    score, found = explain(family.spouse, job, D)
    assert score == 100
    reasons = {f.code: f.reason for f in found}
    assert reasons["place"] == "岗位在省内县外（昆明服务站），符合意向地点"
    assert reasons["wage"] == "月薪3600–4500元，期望不低于3500元，起薪即满足"
    assert reasons["job_type"] == "电子装配是意向工种"
    assert reasons["constraints"] == "无限制条件冲突"


def test_a_carer_is_steered_away_from_far_jobs_and_told_why(
    tree: Tree, family: Family, people: People
) -> None:
    _wish(family, people, constraints=["照顾子女"], min_wage=5000)
    far = factories.posting(tree.district, work_location="out_of_province", deadline=D)
    near = factories.posting(tree.district, work_location="in_county", deadline=D)
    far_score, far_factors = explain(family.spouse, far, D)
    near_score, _ = explain(family.spouse, near, D)
    assert near_score > far_score
    penalty = next(f for f in far_factors if f.code == "constraints")
    assert (penalty.points, penalty.reason) == (-30, "需照顾家人，岗位离家远")
    wage = next(f for f in far_factors if f.code == "wage")
    assert (wage.points, wage.reason) == (0, "月薪3000–4500元，低于期望不低于5000元")


def test_a_skilled_job_gives_an_ordinary_worker_no_skill_points(tree: Tree, family: Family) -> None:
    job = factories.posting(tree.district, requires_skilled=True, deadline=D)
    skill = next(f for f in factors(Seeker.of(family.spouse, None, D), job) if f.code == "skill")
    assert (skill.points, skill.reason) == (0, "岗位要求技能劳动力")


def test_jobs_outside_the_age_range_or_closed_are_not_offered(tree: Tree, family: Family) -> None:
    young_only = factories.posting(tree.district, age_max=30, deadline=D)  # the spouse is 44
    closed = factories.posting(tree.district, status=JobPosting.Status.CLOSED, deadline=D)
    expired = factories.posting(tree.district, deadline=D - timedelta(days=1))
    fitting = factories.posting(tree.district, deadline=D)
    from lianbang.employment.matching import open_jobs

    found = match(Member.objects.filter(pk=family.spouse.pk), open_jobs(D), today=D, limit=10)
    assert [m.posting_id for m in found] == [fitting.pk]
    assert {young_only.pk, closed.pk, expired.pk}.isdisjoint(m.posting_id for m in found)


def test_seekers_are_the_jobless_and_those_who_want_a_change(
    tree: Tree, family: Family, people: People
) -> None:
    assert set(seekers(Member.objects.all(), D)) == {family.spouse, family.son}
    wish_record(actor=people.grid_worker, member=family.head, data=WishData(seeking=True), today=D)
    wish_record(actor=people.grid_worker, member=family.son, data=WishData(seeking=False), today=D)
    assert set(seekers(Member.objects.all(), D)) == {family.spouse, family.head}


def test_the_best_candidates_for_a_job_come_ranked_by_score(
    tree: Tree, family: Family, people: People
) -> None:
    job = factories.posting(tree.district, job_type="electronics", deadline=D)
    _wish(family, people, job_types=["electronics"])
    found = match(
        seekers(Member.objects.all(), D),
        JobPosting.objects.filter(pk=job.pk),
        today=D,
        limit=5,
        per="posting_id",
    )
    assert [m.member_id for m in found] == [family.spouse.pk, family.son.pk]
    assert found[0].score > found[1].score and [m.rank for m in found] == [1, 2]


def test_the_set_based_statement_and_the_python_loop_agree_on_random_data(tree: Tree) -> None:
    rng = random.Random(7)
    for n in range(4):
        save_family(tree, f"530113-91000{n}", f"30{n}")
    people = list(Member.objects.all())
    for person in people:
        if rng.random() < 0.8:
            Wish.objects.create(
                member=person,
                job_types_mask=rng.randrange(0, 1 << len(vocab.JobType.values)),
                places_mask=rng.randrange(0, 1 << len(vocab.Place.values)),
                training_types_mask=rng.randrange(0, 4),
                constraints_mask=rng.randrange(0, 1 << len(vocab.Constraint.values)),
                min_wage=rng.choice([None, Decimal("2999.99"), Decimal(3000), Decimal(4500), Decimal(6000)]),
                recorded_on=D,
            )
    company = factories.enterprise(tree.district)
    for _ in range(25):
        location = rng.choice(["in_township", "in_county", "in_province", "out_of_province"])
        station = rng.choice([""] + [s for s, where in vocab.STATIONS.items() if where == location])
        low = Decimal(rng.randrange(2000, 6000))
        factories.posting(
            tree.district,
            company,
            job_type=rng.choice(vocab.JobType.values),
            work_location=location,
            station=station,
            wage_min=low,
            wage_max=low + rng.randrange(0, 2000),
            age_min=rng.choice([16, 18, 25]),
            age_max=rng.choice([35, 45, 60]),
            requires_skilled=rng.random() < 0.3,
            night_shifts=rng.random() < 0.3,
            deadline=D,
        )
    postings = list(JobPosting.objects.all())
    found = match(Member.objects.all(), JobPosting.objects.all(), today=D, limit=100)
    by_sql: dict[int, list[tuple[int, int]]] = {}
    for m in found:
        by_sql.setdefault(m.member_id, []).append((m.score, m.posting_id))
    naive = naive_match(people, postings, today=D, limit=100)
    assert {k: v for k, v in naive.items() if v} == by_sql
    wishes = {w.member_id: w for w in Wish.objects.all()}
    for m in found[:40]:
        person = next(p for p in people if p.pk == m.member_id)
        posting = next(p for p in postings if p.pk == m.posting_id)
        assert score_of(factors(Seeker.of(person, wishes.get(person.pk), D), posting)) == m.score


def test_members_born_on_29_february_have_the_same_age_in_sql_and_python(tree: Tree, family: Family) -> None:
    Member.objects.filter(pk=family.spouse.pk).update(birth_date=date(2008, 2, 29))
    job = factories.posting(tree.district, age_min=18, deadline=date(2026, 3, 1))
    on_28th = match(
        Member.objects.filter(pk=family.spouse.pk), JobPosting.objects.all(), today=date(2026, 2, 28), limit=1
    )
    on_1st = match(
        Member.objects.filter(pk=family.spouse.pk), JobPosting.objects.all(), today=date(2026, 3, 1), limit=1
    )
    assert (on_28th, [m.posting_id for m in on_1st]) == ([], [job.pk])
