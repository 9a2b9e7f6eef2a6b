"""A person's registry facts (成员信息): name, ID, schooling, health, labour, work, insurance.

Probabilities follow age the way they do in a relocated rural population; the figures are
tuned so that the default district shows the seed outcomes of DOMAIN §1 (employment 91.6 %,
stable employment 85.9 %).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from lianbang.demo import names
from lianbang.demo.calendar import EVALUATION_DATE, STABLE_SINCE
from lianbang.demo.draws import Weighted, birth_date_for_age, chance, integer, one_of, random_date, yuan
from lianbang.demo.families import Person
from lianbang.demo.ids import IdNumberAllocator
from lianbang.demo.records import MemberRow
from lianbang.registry.vocab import (
    LABOUR_SKILLS,
    NOT_IN_SCHOOL,
    DisabilityType,
    Education,
    Health,
    LaborSkill,
    MedicalInsurance,
    PoliticalStatus,
    Schooling,
    WorkLocation,
)


def make_member(
    rng: random.Random, ids: IdNumberAllocator, person: Person, key: int, household_key: int
) -> MemberRow:
    birth_date = birth_date_for_age(rng, person.age)
    education, schooling = school_status(rng, person.age)
    health, disability_type, grade = health_status(rng, person.age)
    member = MemberRow(
        key,
        household_key,
        ids.allocate(rng, birth_date, person.sex),
        names.person_name(rng, person.surname, person.sex, birth_date.year),
        person.sex,
        birth_date,
        person.ethnicity,
        person.relation,
        political_status=political_status(rng, person.age, person.sex),
        education=education,
        schooling=schooling,
        health=health,
        disability_type=disability_type,
        disability_grade=grade,
        labor_skill=labor_skill(rng, person.age, schooling, health, grade),
    )
    _insure(rng, member, person.age)
    return member


# --- 在校生状况 / 文化程度 (exactly one of the two) ---------------------------------------

_DROPOUT_UNDER_16 = 0.0025  # rare: each one lights a household red (R_BOTTOM_LINE)
_UPPER_SECONDARY = Weighted([(Schooling.SENIOR.value, 64.0), (Schooling.SECONDARY_VOCATIONAL.value, 36.0)])
_AGE_18 = Weighted(
    [
        (Schooling.SENIOR.value, 30.0),
        (Schooling.SECONDARY_VOCATIONAL.value, 10.0),
        (Schooling.HIGHER_VOCATIONAL.value, 12.0),
        (Schooling.BACHELOR.value, 6.0),
        ("", 42.0),
    ]
)
_AGE_19_22 = Weighted(
    [
        (Schooling.HIGHER_VOCATIONAL.value, 16.0),
        (Schooling.BACHELOR.value, 11.0),
        (Schooling.TECHNICIAN.value, 3.0),
        ("", 70.0),
    ]
)
_AGE_23_25 = Weighted([(Schooling.POSTGRADUATE.value, 1.5), (Schooling.BACHELOR.value, 2.0), ("", 96.5)])
_EDUCATION_BY_COHORT = (  # (youngest age of the cohort, distribution)
    (
        65,
        Weighted(
            [
                (Education.ILLITERATE.value, 38.0),
                (Education.PRIMARY.value, 44.0),
                (Education.JUNIOR.value, 14.0),
                (Education.SENIOR.value, 4.0),
            ]
        ),
    ),
    (
        50,
        Weighted(
            [
                (Education.ILLITERATE.value, 18.0),
                (Education.PRIMARY.value, 45.0),
                (Education.JUNIOR.value, 30.0),
                (Education.SENIOR.value, 5.0),
                (Education.SECONDARY_VOCATIONAL.value, 2.0),
            ]
        ),
    ),
    (
        35,
        Weighted(
            [
                (Education.ILLITERATE.value, 6.0),
                (Education.PRIMARY.value, 34.0),
                (Education.JUNIOR.value, 45.0),
                (Education.SENIOR.value, 8.0),
                (Education.SECONDARY_VOCATIONAL.value, 5.0),
                (Education.JUNIOR_COLLEGE.value, 2.0),
            ]
        ),
    ),
    (
        23,
        Weighted(
            [
                (Education.ILLITERATE.value, 1.0),
                (Education.PRIMARY.value, 10.0),
                (Education.JUNIOR.value, 48.0),
                (Education.SENIOR.value, 15.0),
                (Education.SECONDARY_VOCATIONAL.value, 14.0),
                (Education.JUNIOR_COLLEGE.value, 9.0),
                (Education.BACHELOR_PLUS.value, 3.0),
            ]
        ),
    ),
    (
        19,
        Weighted(
            [
                (Education.PRIMARY.value, 8.0),
                (Education.JUNIOR.value, 55.0),
                (Education.SENIOR.value, 17.0),
                (Education.SECONDARY_VOCATIONAL.value, 18.0),
                (Education.JUNIOR_COLLEGE.value, 2.0),
            ]
        ),
    ),
    (0, Weighted([(Education.PRIMARY.value, 15.0), (Education.JUNIOR.value, 85.0)])),
)


def school_status(rng: random.Random, age: int) -> tuple[str, str]:
    """(文化程度, 在校生状况): a pupil or student has schooling, everybody else education."""
    schooling = _schooling(rng, age)
    if schooling:
        return "", schooling
    return next(dist for youngest, dist in _EDUCATION_BY_COHORT if age >= youngest).pick(rng), ""


def _schooling(rng: random.Random, age: int) -> str:
    if age < 3:
        return Schooling.PRESCHOOL_CHILD.value
    if age < 6:
        return Schooling.PRESCHOOL.value if chance(rng, 0.88) else Schooling.PRESCHOOL_CHILD.value
    if age < 16:
        return _compulsory(rng, age)
    if age < 18:
        roll = rng.random()
        if roll < 0.02:
            return Schooling.DROPOUT.value
        return _UPPER_SECONDARY.pick(rng) if roll < 0.86 else ""
    if age == 18:
        return _AGE_18.pick(rng)
    if age <= 22:
        return _AGE_19_22.pick(rng)
    return _AGE_23_25.pick(rng) if age <= 25 else ""


def _compulsory(rng: random.Random, age: int) -> str:
    """义务教育: 小学 6–12, 初中 12–15, then the first year of upper secondary."""
    if chance(rng, _DROPOUT_UNDER_16):
        return Schooling.DROPOUT.value
    if age < 12 or (age == 12 and chance(rng, 0.4)):
        return Schooling.PRIMARY.value
    if age < 15 or chance(rng, 0.4):
        return Schooling.JUNIOR.value
    return _UPPER_SECONDARY.pick(rng)


# --- 健康状况 ----------------------------------------------------------------------------

_AGE_BANDS = (18, 45, 60, 75)  # bands: <18, 18–44, 45–59, 60–74, 75+
_DISABLED = (0.008, 0.022, 0.035, 0.05, 0.07)
_SERIOUS = (0.002, 0.005, 0.012, 0.02, 0.022)
_CHRONIC = (0.005, 0.03, 0.12, 0.25, 0.35)
DISABILITY_TYPES = Weighted(
    [
        (DisabilityType.PHYSICAL.value, 40.0),
        (DisabilityType.VISUAL.value, 12.0),
        (DisabilityType.HEARING.value, 14.0),
        (DisabilityType.SPEECH.value, 3.0),
        (DisabilityType.INTELLECTUAL.value, 12.0),
        (DisabilityType.MENTAL.value, 10.0),
        (DisabilityType.MULTIPLE.value, 9.0),
    ]
)
DISABILITY_GRADES = Weighted([(1, 15.0), (2, 25.0), (3, 30.0), (4, 30.0)])


def _band(age: int) -> int:
    return sum(1 for limit in _AGE_BANDS if age >= limit)


def health_status(rng: random.Random, age: int) -> tuple[str, str, int | None]:
    """(健康状况, 残疾类别, 残疾等级): mostly healthy; chronic illness grows with age."""
    band, roll = _band(age), rng.random()
    if roll < _DISABLED[band]:
        return Health.DISABLED.value, DISABILITY_TYPES.pick(rng), DISABILITY_GRADES.pick(rng)
    roll -= _DISABLED[band]
    if roll < _SERIOUS[band]:
        return Health.SERIOUS.value, "", None
    if roll - _SERIOUS[band] < _CHRONIC[band]:
        return Health.CHRONIC.value, "", None
    return Health.HEALTHY.value, "", None


# --- 劳动技能 ----------------------------------------------------------------------------

_WORKING_AGE_SKILL = Weighted(
    [(LaborSkill.SKILLED.value, 22.0), (LaborSkill.ORDINARY.value, 75.0), (LaborSkill.WEAK.value, 3.0)]
)
_SIXTIES_SKILL = Weighted(
    [(LaborSkill.SKILLED.value, 4.0), (LaborSkill.ORDINARY.value, 51.0), (LaborSkill.WEAK.value, 45.0)]
)


def labor_skill(rng: random.Random, age: int, schooling: str, health: str, grade: int | None) -> str:
    """劳动技能: children and students none, the severely disabled lost, the elderly mostly none."""
    if age < 16 or schooling not in NOT_IN_SCHOOL:
        return LaborSkill.NONE.value
    if health == Health.DISABLED:
        if grade is not None and grade <= 2:
            return LaborSkill.LOST.value
        return LaborSkill.WEAK.value if chance(rng, 0.7) else LaborSkill.ORDINARY.value
    if health == Health.SERIOUS:
        return LaborSkill.LOST.value if chance(rng, 0.55) else LaborSkill.WEAK.value
    if age >= 65:
        return LaborSkill.NONE.value if chance(rng, 0.72) else LaborSkill.WEAK.value
    if health == Health.CHRONIC:
        return LaborSkill.WEAK.value if chance(rng, 0.6) else LaborSkill.ORDINARY.value
    return (_SIXTIES_SKILL if age >= 60 else _WORKING_AGE_SKILL).pick(rng)


def political_status(rng: random.Random, age: int, sex: str) -> str:
    roll = rng.random()
    if age >= 18 and roll < (0.07 if sex == "M" else 0.03):
        return PoliticalStatus.PARTY_MEMBER.value
    if age >= 18 and roll < (0.073 if sex == "M" else 0.033):
        return PoliticalStatus.PROBATIONARY.value
    if 14 <= age <= 28 and roll > 0.78:
        return PoliticalStatus.LEAGUE_MEMBER.value
    return PoliticalStatus.MASSES.value


def _insure(rng: random.Random, member: MemberRow, age: int) -> None:
    """城乡居民医保 for almost everybody; a handful uninsured (a red bottom line)."""
    if chance(rng, 0.0005):
        member.medical_insurance = MedicalInsurance.NONE.value
        member.serious_illness_insurance = False
    member.pension_insurance = age >= 16 and member.schooling in NOT_IN_SCHOOL and chance(rng, 0.86)


# --- 就业 -------------------------------------------------------------------------------


def age_on(birth_date: date, day: date = EVALUATION_DATE) -> int:
    """Full years (周岁) on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_labour(member: MemberRow, day: date = EVALUATION_DATE) -> bool:
    """劳动力 of DOMAIN §4: active, 16–64, able to work, not in school."""
    return (
        member.status == "active"
        and 16 <= age_on(member.birth_date, day) <= 64
        and member.labor_skill in LABOUR_SKILLS
        and member.schooling in NOT_IN_SCHOOL
    )


_SKILL_ORDER = {LaborSkill.SKILLED.value: 0, LaborSkill.ORDINARY.value: 1, LaborSkill.WEAK.value: 2}
# The first earner of a household almost always works (每户至少一人就业); others less often.
_FIRST_EARNER = 0.975
_OTHER_EARNER = {
    LaborSkill.SKILLED.value: 0.95,
    LaborSkill.ORDINARY.value: 0.925,
    LaborSkill.WEAK.value: 0.78,
}
_STABLE_SHARE = 0.945
_LOCATIONS = Weighted(
    [
        (WorkLocation.IN_TOWNSHIP.value, 12.0),
        (WorkLocation.IN_COUNTY.value, 22.0),
        (WorkLocation.IN_PROVINCE.value, 36.0),
        (WorkLocation.OUT_OF_PROVINCE.value, 30.0),
    ]
)
_LOCATIONS_NEAR = Weighted(
    [
        (WorkLocation.IN_TOWNSHIP.value, 45.0),
        (WorkLocation.IN_COUNTY.value, 35.0),
        (WorkLocation.IN_PROVINCE.value, 15.0),
        (WorkLocation.OUT_OF_PROVINCE.value, 5.0),
    ]
)
_WAGE_RANGES = {  # monthly, yuan
    WorkLocation.IN_TOWNSHIP.value: (2000, 3300),
    WorkLocation.IN_COUNTY.value: (2400, 4200),
    WorkLocation.IN_PROVINCE.value: (2800, 5200),
    WorkLocation.OUT_OF_PROVINCE.value: (3800, 6500),
}
_FIRST_WORK_DAY = date(2017, 6, 1)


def assign_employment(rng: random.Random, members: list[MemberRow]) -> None:
    """About 92 % of labour members work (务工), ~94 % of them for more than six months."""
    labour = sorted((m for m in members if is_labour(m)), key=lambda m: _SKILL_ORDER[m.labor_skill])
    for index, member in enumerate(labour):
        if chance(rng, _FIRST_EARNER if index == 0 else _OTHER_EARNER[member.labor_skill]):
            employ(rng, member)


def employ(rng: random.Random, member: MemberRow, since: date | None = None) -> None:
    age = age_on(member.birth_date)
    near = member.labor_skill == LaborSkill.WEAK or age >= 55
    location = (_LOCATIONS_NEAR if near else _LOCATIONS).pick(rng)
    low, high = _WAGE_RANGES[location]
    if near and location == WorkLocation.IN_TOWNSHIP and chance(rng, 0.35):
        member.employer = one_of(rng, names.PUBLIC_WELFARE_EMPLOYERS)
        member.employment_channel, member.public_welfare_job = "公岗安置", True
        high = 2400
    else:
        member.employer = one_of(rng, names.EMPLOYERS[location])
        member.employment_channel = names.CHANNELS[location].pick(rng)
        low += 400 if member.labor_skill == LaborSkill.SKILLED else 0
        high -= 800 if member.labor_skill == LaborSkill.WEAK else 0
    member.work_location = location
    member.employed_since = since or _employment_start(rng, member.birth_date)
    member.monthly_wage = yuan(integer(rng, low // 10, high // 10) * 1000)
    if location in _FAR and age < 60 and chance(rng, 0.22):
        member.medical_insurance = MedicalInsurance.EMPLOYEE.value


_FAR = frozenset({WorkLocation.IN_PROVINCE.value, WorkLocation.OUT_OF_PROVINCE.value})


def _employment_start(rng: random.Random, birth_date: date) -> date:
    sixteen = add_years(birth_date, 16)
    earliest = max(_FIRST_WORK_DAY, sixteen)
    if earliest <= STABLE_SINCE and chance(rng, _STABLE_SHARE):
        return random_date(rng, earliest, STABLE_SINCE)
    return random_date(rng, max(earliest, STABLE_SINCE + timedelta(days=1)), EVALUATION_DATE)


def unemploy(member: MemberRow) -> None:
    member.work_location = member.employer = member.employment_channel = ""
    member.employed_since, member.monthly_wage, member.public_welfare_job = None, None, False
    if member.medical_insurance == MedicalInsurance.EMPLOYEE:
        member.medical_insurance = MedicalInsurance.RESIDENT.value


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- 保障 (benefits) --------------------------------------------------------------------


def assign_benefits(rng: random.Random, members: list[MemberRow]) -> None:
    """低保 for a share of needy households; subsidies and aid person by person."""
    needy = not any(m.labor_skill in LABOUR_SKILLS for m in members) or any(_severely_ill(m) for m in members)
    if chance(rng, 0.33 if needy else 0.025):
        for member in members:
            member.dibao = True
    for member in members:
        _personal_benefits(rng, member)
    head = members[0]
    if len(members) == 1 and age_on(head.birth_date) >= 60 and needy and not head.dibao:
        head.destitute_support = chance(rng, 0.5)


def _severely_ill(member: MemberRow) -> bool:
    return member.health == Health.SERIOUS or (
        member.health == Health.DISABLED and (member.disability_grade or 4) <= 2
    )


def _personal_benefits(rng: random.Random, member: MemberRow) -> None:
    if member.health == Health.SERIOUS:
        member.medical_aid = chance(rng, 0.6)
    elif member.health == Health.DISABLED:
        member.disability_subsidy = chance(rng, 0.9 if _severely_ill(member) else 0.35)
    if age_on(member.birth_date) < 18:
        member.unattended_child = chance(rng, 0.003)
