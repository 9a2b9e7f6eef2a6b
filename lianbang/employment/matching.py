"""Matching seekers and open jobs, with a score that explains itself.

A score (0–100) is the sum of six factors: place (30), wage (25), skills (15), age (10), wished
job type (20) and constraints (a penalty). ``SCORE_SQL`` computes them for every seeker × job
pair in one statement (wishes are bit masks, so ``mask & bit`` compares sets) and ranks the
pairs with a window function; ``factors`` computes the same points in Python for the rows
shown, with a reason each. A test holds the two to the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from lianbang.employment import vocab
from lianbang.employment.labour import labour_q
from lianbang.employment.models import JobPosting, Wish
from lianbang.employment.vocab import Constraint, JobType, Place, bit_of
from lianbang.monitoring.sql import Sql, combine
from lianbang.registry.models import Member
from lianbang.registry.vocab import LaborSkill

PLACE_MAX, WAGE_MAX, SKILL_MAX, AGE_MAX, TYPE_MAX = 30, 25, 15, 10, 20
NEAR = bit_of(Place, Place.IN_COUNTY)
CARER = bit_of(Constraint, Constraint.CHILDREN) | bit_of(Constraint, Constraint.ELDERLY)
HEALTH = bit_of(Constraint, Constraint.HEALTH)
NO_NIGHT = bit_of(Constraint, Constraint.NO_NIGHT)
CARER_PENALTY, HEALTH_PENALTY, NIGHT_PENALTY = 30, 20, 20


@dataclass(frozen=True)
class Factor:
    code: str
    points: int
    max_points: int
    reason: str
    reason_en: str


@dataclass(frozen=True)
class Match:
    member_id: int
    posting_id: int
    score: int
    rank: int


def seekers(members: QuerySet[Member], today: date) -> QuerySet[Member]:
    """Job seekers: labour members without a job, or with a job and a wish to change; a
    recorded wish of "not seeking" takes them out."""
    return (
        members.filter(labour_q(today))
        .filter(Q(work_location="") | Q(job_wish__seeking=True))
        .exclude(job_wish__seeking=False)
    )


def open_jobs(today: date) -> QuerySet[JobPosting]:
    from lianbang.employment.services.jobs import open_postings

    return JobPosting.objects.filter(open_postings(today))


# -- set-based ------------------------------------------------------------------------------


def _age(day: date) -> Sql:
    if connection.vendor == "postgresql":
        return combine(
            "CAST(date_part('year', age(CAST({} AS date), m.birth_date)) AS integer)", Sql.value(day)
        )
    return combine(
        "(CAST(strftime('%%Y', {}) AS INTEGER) - CAST(strftime('%%Y', m.birth_date) AS INTEGER)"
        " - (strftime('%%m-%%d', {}) < strftime('%%m-%%d', m.birth_date)))",
        Sql.value(day),
        Sql.value(day),
    )


def _type_bit() -> str:
    cases = " ".join(f"WHEN '{code}' THEN {bit_of(JobType, code)}" for code in JobType.values)
    return f"(CASE p.job_type {cases} ELSE 0 END)"


def _heavy() -> str:
    return "p.job_type IN (" + ", ".join(f"'{t.value}'" for t in sorted(vocab.HEAVY_JOB_TYPES)) + ")"


# Each seeker's and each job's terms are computed once (``s`` and ``j``), then every pair.
_SEEKERS = """SELECT m.id AS member_id, m.labor_skill AS skill, {} AS age,
    COALESCE(w.places_mask, 0) AS places, COALESCE(w.job_types_mask, 0) AS types,
    COALESCE(w.training_types_mask, 0) AS training, COALESCE(w.constraints_mask, 0) AS limits,
    w.min_wage AS min_wage
    FROM registry_member m LEFT JOIN employment_wish w ON w.member_id = m.id WHERE m.id IN ({})"""
_JOBS = f"""SELECT p.id AS posting_id, p.place_mask AS place_mask, {_type_bit()} AS type_bit,
    CASE WHEN {_heavy()} THEN 1 ELSE 0 END AS heavy,
    CASE WHEN (p.place_mask & {NEAR}) <> 0 THEN 1 ELSE 0 END AS near,
    p.wage_min AS wage_min, p.wage_max AS wage_max, p.age_min AS age_min, p.age_max AS age_max,
    CASE WHEN p.requires_skilled THEN 1 ELSE 0 END AS skilled_only,
    CASE WHEN p.night_shifts THEN 1 ELSE 0 END AS nights
    FROM employment_jobposting p WHERE p.id IN ({{}})"""
_FACTORS = f"""
    CASE WHEN s.places = 0 THEN (CASE WHEN j.near = 1 THEN 20 ELSE 10 END)
         WHEN (s.places & j.place_mask) <> 0 THEN {PLACE_MAX} ELSE 0 END
  + CASE WHEN s.min_wage IS NULL THEN 15 WHEN j.wage_min >= s.min_wage THEN {WAGE_MAX}
         WHEN j.wage_max >= s.min_wage THEN 15 ELSE 0 END
  + CASE WHEN j.skilled_only = 1 AND s.skill <> '{LaborSkill.SKILLED}' THEN 0
         WHEN s.skill = '{LaborSkill.WEAK}' AND j.heavy = 1 THEN 5 ELSE {SKILL_MAX} END
  + {AGE_MAX}
  + CASE WHEN s.types = 0 THEN 10 WHEN (s.types & j.type_bit) <> 0 THEN {TYPE_MAX}
         WHEN (s.training & j.type_bit) <> 0 THEN 12 ELSE 0 END
  - CASE WHEN (s.limits & {CARER}) <> 0 AND j.near = 0 THEN {CARER_PENALTY} ELSE 0 END
  - CASE WHEN (s.limits & {HEALTH}) <> 0 AND j.heavy = 1 THEN {HEALTH_PENALTY} ELSE 0 END
  - CASE WHEN (s.limits & {NO_NIGHT}) <> 0 AND j.nights = 1 THEN {NIGHT_PENALTY} ELSE 0 END"""


def _statement(
    members: QuerySet[Member], postings: QuerySet[JobPosting], today: date, per: str, limit: int
) -> Sql:
    member_sql, member_params = members.values("pk").query.sql_with_params()
    posting_sql, posting_params = postings.values("pk").query.sql_with_params()
    other = "posting_id" if per == "member_id" else "member_id"
    return combine(
        "WITH s AS MATERIALIZED (" + _SEEKERS + "), j AS MATERIALIZED (" + _JOBS + "), "
        f"pairs AS (SELECT s.member_id, j.posting_id, {_FACTORS} AS total FROM s CROSS JOIN j "
        "WHERE s.age BETWEEN j.age_min AND j.age_max), "
        "scored AS (SELECT member_id, posting_id, "
        "CASE WHEN total < 0 THEN 0 ELSE total END AS score FROM pairs) "
        f"SELECT member_id, posting_id, score, rnk FROM (SELECT member_id, posting_id, score, "
        f"ROW_NUMBER() OVER (PARTITION BY {per} ORDER BY score DESC, {other}) AS rnk FROM scored) ranked "
        "WHERE rnk <= {} ORDER BY " + per + ", rnk",
        _age(today),
        Sql(member_sql, tuple(member_params)),
        Sql(posting_sql, tuple(posting_params)),
        Sql.value(limit),
    )


def match(
    members: QuerySet[Member],
    postings: QuerySet[JobPosting],
    *,
    today: date,
    limit: int,
    per: str = "member_id",
) -> list[Match]:
    """The best ``limit`` jobs per member (``per="member_id"``) or candidates per job
    (``per="posting_id"``), in one statement over all pairs."""
    statement = _statement(members, postings, today, per, limit)
    with connection.cursor() as cursor:
        cursor.execute(statement.text, statement.params)
        return [Match(int(m), int(p), int(s), int(r)) for m, p, s, r in cursor.fetchall()]


# -- one pair, explained -------------------------------------------------------------------


@dataclass(frozen=True)
class Seeker:
    labor_skill: str
    age: int
    places: int = 0
    job_types: int = 0
    training_types: int = 0
    constraints: int = 0
    min_wage: Decimal | None = None

    @staticmethod
    def of(member: Member, wish: Wish | None, today: date) -> Seeker:
        if wish is None:
            return Seeker(member.labor_skill, member.age_on(today))
        return Seeker(
            member.labor_skill,
            member.age_on(today),
            wish.places_mask,
            wish.job_types_mask,
            wish.training_types_mask,
            wish.constraints_mask,
            wish.min_wage,
        )


def eligible(seeker: Seeker, posting: JobPosting) -> bool:
    return posting.age_min <= seeker.age <= posting.age_max


def score_of(factors: list[Factor]) -> int:
    return max(0, sum(f.points for f in factors))


def factors(seeker: Seeker, posting: JobPosting) -> list[Factor]:
    """The six factors of one pair, each with its points and why."""
    return [
        _place(seeker, posting),
        _wage(seeker, posting),
        _skill(seeker, posting),
        Factor(
            "age",
            AGE_MAX,
            AGE_MAX,
            f"年龄{seeker.age}岁，符合{posting.age_min}–{posting.age_max}岁要求",
            "age fits",
        ),
        _type(seeker, posting),
        _limits(seeker, posting),
    ]


def _place_name(posting: JobPosting) -> str:
    general = str(Place(vocab.general_place(posting.work_location)).label)
    return f"{general}（{Place(posting.station).label}）" if posting.station else general


def _place(seeker: Seeker, posting: JobPosting) -> Factor:
    where = _place_name(posting)
    if seeker.places == 0:
        near = bool(posting.place_mask & NEAR)
        return Factor(
            "place", 20 if near else 10, PLACE_MAX, f"未登记意向地点；岗位在{where}", "no wished place"
        )
    if seeker.places & posting.place_mask:
        return Factor("place", PLACE_MAX, PLACE_MAX, f"岗位在{where}，符合意向地点", "in a wished place")
    return Factor("place", 0, PLACE_MAX, f"岗位在{where}，不在意向地点内", "not in a wished place")


def _wage(seeker: Seeker, posting: JobPosting) -> Factor:
    offer = f"{posting.wage_min:.0f}–{posting.wage_max:.0f}元"
    if seeker.min_wage is None:
        return Factor("wage", 15, WAGE_MAX, f"未登记期望工资；岗位月薪{offer}", "no wished wage")
    wanted = f"期望不低于{seeker.min_wage:.0f}元"
    if posting.wage_min >= seeker.min_wage:
        return Factor(
            "wage",
            WAGE_MAX,
            WAGE_MAX,
            f"月薪{offer}，{wanted}，起薪即满足",
            "the starting wage meets the wish",
        )
    if posting.wage_max >= seeker.min_wage:
        return Factor(
            "wage", 15, WAGE_MAX, f"月薪{offer}，{wanted}，上限可满足", "only the top of the range meets it"
        )
    return Factor("wage", 0, WAGE_MAX, f"月薪{offer}，低于{wanted}", "below the wished wage")


def _skill(seeker: Seeker, posting: JobPosting) -> Factor:
    heavy = posting.job_type in vocab.HEAVY_JOB_TYPES
    if posting.requires_skilled and seeker.labor_skill != LaborSkill.SKILLED:
        return Factor("skill", 0, SKILL_MAX, "岗位要求技能劳动力", "the job needs a skilled worker")
    if seeker.labor_skill == LaborSkill.WEAK and heavy:
        return Factor("skill", 5, SKILL_MAX, "弱劳动力，岗位为重体力活", "a weak worker for heavy work")
    return Factor("skill", SKILL_MAX, SKILL_MAX, "劳动能力符合岗位要求", "able to do the job")


def _type(seeker: Seeker, posting: JobPosting) -> Factor:
    bit = bit_of(JobType, posting.job_type)
    name = str(JobType(posting.job_type).label)
    if seeker.job_types == 0:
        return Factor("job_type", 10, TYPE_MAX, f"未登记意向工种；岗位为{name}", "no wished job type")
    if seeker.job_types & bit:
        return Factor("job_type", TYPE_MAX, TYPE_MAX, f"{name}是意向工种", "a wished job type")
    if seeker.training_types & bit:
        return Factor("job_type", 12, TYPE_MAX, f"{name}是意向培训工种", "a wished training trade")
    return Factor("job_type", 0, TYPE_MAX, f"{name}不是意向工种", "not a wished job type")


def _limits(seeker: Seeker, posting: JobPosting) -> Factor:
    points, reasons, reasons_en = 0, [], []
    if seeker.constraints & CARER and not posting.place_mask & NEAR:
        points -= CARER_PENALTY
        reasons.append("需照顾家人，岗位离家远")
        reasons_en.append("a carer, the job is far from home")
    if seeker.constraints & HEALTH and posting.job_type in vocab.HEAVY_JOB_TYPES:
        points -= HEALTH_PENALTY
        reasons.append("身体原因不宜重体力")
        reasons_en.append("cannot do heavy work")
    if seeker.constraints & NO_NIGHT and posting.night_shifts:
        points -= NIGHT_PENALTY
        reasons.append("不能上夜班，岗位有夜班")
        reasons_en.append("cannot work nights")
    return Factor(
        "constraints",
        points,
        0,
        "；".join(reasons) or "无限制条件冲突",
        "; ".join(reasons_en) or "no conflict",
    )


def explain(member: Member, posting: JobPosting, today: date) -> tuple[int, list[Factor]]:
    wish = Wish.objects.filter(member=member).first()
    found = factors(Seeker.of(member, wish, today), posting)
    return score_of(found), found


def naive_match(
    members: list[Member], postings: list[JobPosting], *, today: date, limit: int
) -> dict[int, list[tuple[int, int]]]:
    """The per-pair Python loop (the benchmark's baseline): ``{member: [(score, posting)]}``."""
    wishes = {w.member_id: w for w in Wish.objects.filter(member__in=members)}
    best: dict[int, list[tuple[int, int]]] = {}
    for member in members:
        seeker = Seeker.of(member, wishes.get(member.pk), today)
        scored = [
            (score_of(factors(seeker, posting)), posting.pk)
            for posting in postings
            if eligible(seeker, posting)
        ]
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        best[member.pk] = scored[:limit]
    return best


def as_dict(factor: Factor) -> dict[str, Any]:
    return {
        "factor": factor.code,
        "points": factor.points,
        "max_points": factor.max_points,
        "reason": factor.reason,
        "reason_en": factor.reason_en,
    }
