"""The interchange document (DOMAIN §10): one household as JSON, parsed and validated.

``parse_household_document`` turns untrusted JSON into typed drafts with stored codes, or
raises one :class:`ApplicationError` that lists every problem found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from lianbang.common.errors import ApplicationError, FieldProblem
from lianbang.common.validators import (
    Reason,
    identity_facts,
    normalize_id_number,
    normalize_phone,
)
from lianbang.registry import vocab
from lianbang.registry.invariants import MemberFacts, check_household_members
from lianbang.registry.parsing import Reader

MEMBER_BENEFITS = {
    "dibao": "低保",
    "destitute_support": "特困供养",
    "medical_aid": "医疗救助",
    "disability_subsidy": "残疾人两项补贴",
    "public_welfare_job": "公益性岗位",
}
INCOME_AMOUNTS = {
    "wage": "工资性收入",
    "business": "生产经营性收入",
    "property": "财产性收入",
    "transfer": "转移性收入",
    "business_expense": "生产经营性支出",
    "medical_self_paid": "合规自付医疗支出",
    "education_expense": "教育支出",
    "insurance_claims": "理赔收入",
}


@dataclass
class MemberDraft:
    """A member as the document gives it; keys match :class:`registry.models.Member`."""

    id_number: str
    fields: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.fields.get("name", ""))


@dataclass
class HouseholdDraft:
    household_no: str
    fields: dict[str, Any]
    building_number: str
    grid_code: str
    members: list[MemberDraft]
    incomes: list[dict[str, Any]]
    events: list[dict[str, Any]]
    warnings: list[FieldProblem] = field(default_factory=list)


def parse_household_document(data: Any, *, today: date) -> HouseholdDraft:
    problems: list[FieldProblem] = []
    reader = Reader(data, "", problems)
    draft = HouseholdDraft(
        household_no=reader.text("household_no", "户编号", required=True, max_length=30),
        fields=_household_fields(reader),
        building_number=reader.child("address").text("building", "楼栋", max_length=20),
        grid_code=reader.text("grid", "微网格", max_length=30),
        members=[
            _member(Reader(item, f"members[{i}]", problems), today)
            for i, item in enumerate(reader.items("members"))
        ],
        incomes=[
            _income(Reader(item, f"incomes[{i}]", problems)) for i, item in enumerate(reader.items("incomes"))
        ],
        events=[],
    )
    if not draft.members and "members" not in _problem_paths(problems):
        reader.problem("members", None, "成员", Reason("至少应有一名成员", "must list at least one member"))
    draft.events = [
        _event(Reader(item, f"events[{i}]", problems), draft, today)
        for i, item in enumerate(reader.items("events"))
    ]
    _check_unique_years(draft, problems)
    if not problems:
        problems.extend(check_household_members(_facts_of(draft.members)))
    if problems:
        raise ApplicationError(
            "invalid_household",
            f"户「{draft.household_no}」数据有误，未保存",
            f"household {draft.household_no!r} is invalid; nothing was saved",
            problems,
        )
    draft.warnings = _warnings(draft, today)
    return draft


def parse_member_document(data: Any, *, today: date, path: str = "member") -> MemberDraft:
    """One member on its own (a member edit), validated as inside a household document."""
    problems: list[FieldProblem] = []
    draft = _member(Reader(data, path, problems), today)
    if problems:
        raise ApplicationError(
            "invalid_member",
            f"成员「{draft.name}」数据有误，未保存",
            f"member {draft.name!r} is invalid; nothing was saved",
            problems,
        )
    return draft


def parse_household_fields(data: Any) -> dict[str, Any]:
    """The household's own fields from a document (a household edit), validated."""
    problems: list[FieldProblem] = []
    fields = _household_fields(Reader(data, "", problems))
    if problems:
        raise ApplicationError(
            "invalid_household", "户数据有误，未保存", "the household is invalid; nothing was saved", problems
        )
    return fields


def parse_event_document(data: Any, *, member_ids: set[str], path: str = "event") -> dict[str, Any]:
    """One event on its own, for a household whose members have ``member_ids``."""
    problems: list[FieldProblem] = []
    fields = _event_fields(Reader(data, path, problems), member_ids)
    if problems:
        raise ApplicationError(
            "invalid_event", "事件数据有误，未保存", "the event is invalid; nothing was saved", problems
        )
    return fields


def _problem_paths(problems: list[FieldProblem]) -> set[str]:
    return {p.path.split("[")[0] for p in problems}


def _household_fields(reader: Reader) -> dict[str, Any]:
    address = reader.child("address")
    return {
        "category": reader.choice("category", "户类型", vocab.HouseholdCategory, required=True),
        "monitoring_type": reader.choice("monitoring_type", "监测对象类别", vocab.MonitoringType),
        "housing_safe": reader.boolean("housing_safe", "住房安全", default=True),
        "water_safe": reader.boolean("water_safe", "饮水安全", default=True),
        "military_family": reader.boolean("military_family", "军烈属", default=False),
        "no_labor_support": reader.boolean("no_labor_support", "整户无劳动能力兜底", default=False),
        "origin_village": reader.text("origin_village", "迁出地", max_length=100),
        "move_in_date": reader.day("move_in_date", "搬迁入住日期"),
        "phone": reader.code("phone", "联系电话", normalize_phone),
        "entrance": address.text("unit", "单元", max_length=10),
        "floor": address.integer("floor", "楼层", low=-5, high=200),
        "room": address.text("room", "房号", max_length=20),
    }


def _member(reader: Reader, today: date) -> MemberDraft:
    name = reader.text("name", "姓名", required=True, max_length=50)
    reader.who = f"成员「{name}」的" if name else "成员的"
    id_number = reader.code("id_number", "证件号码", normalize_id_number, required=True)
    fields: dict[str, Any] = {
        "name": name,
        "relation": reader.choice("relation", "与户主关系", vocab.Relation, required=True),
        "ethnicity": reader.text("ethnicity", "民族", max_length=20) or "汉族",
        "political_status": reader.choice("political_status", "政治面貌", vocab.PoliticalStatus)
        or vocab.PoliticalStatus.MASSES.value,
        "education": reader.choice("education", "文化程度", vocab.Education),
        "schooling": reader.choice("schooling", "在校生状况", vocab.Schooling),
        "health": reader.choice("health", "健康状况", vocab.Health) or vocab.Health.HEALTHY.value,
        "disability_type": reader.choice("disability_type", "残疾类别", vocab.DisabilityType),
        "disability_grade": reader.integer("disability_grade", "残疾等级", low=1, high=4),
        "labor_skill": reader.choice("labor_skill", "劳动技能", vocab.LaborSkill, required=True),
        "medical_insurance": _medical_insurance(reader),
        "serious_illness_insurance": reader.boolean("serious_illness_insurance", "大病保险", default=False),
        "pension_insurance": reader.boolean("pension_insurance", "养老保险", default=False),
        "unattended_child": reader.boolean("unattended_child", "事实无人抚养儿童", default=False),
        "status": reader.choice("status", "状态", vocab.MemberStatus) or vocab.MemberStatus.ACTIVE.value,
        **{key: reader.boolean(key, label, default=False) for key, label in MEMBER_BENEFITS.items()},
        **_employment(reader),
    }
    if id_number:
        fields.update(_identity(reader, id_number, today))
    _check_member_fields(reader, fields)
    return MemberDraft(id_number=id_number, fields=fields)


def _medical_insurance(reader: Reader) -> str:
    raw = reader.data.get("medical_insurance")
    if isinstance(raw, bool) or raw is None:
        return vocab.MedicalInsurance.RESIDENT.value if raw else ""
    return reader.choice("medical_insurance", "基本医疗保险", vocab.MedicalInsurance)


def _employment(reader: Reader) -> dict[str, Any]:
    job = reader.child("employment")
    fields = {
        "work_location": job.choice("location", "务工所在地", vocab.WorkLocation),
        "employer": job.text("employer", "务工企业", max_length=150),
        "employed_since": job.day("since", "务工时间"),
        "monthly_wage": job.money("monthly_wage", "月工资"),
        "employment_channel": job.text("channel", "就业渠道", max_length=50),
    }
    if bool(fields["work_location"]) != bool(fields["employed_since"]) and job.data:
        job.problem(
            "since",
            job.data.get("since"),
            "务工时间",
            Reason(
                "务工所在地与务工时间须同时填写或同时为空",
                "work location and start date must be given together",
            ),
        )
    return fields


def _identity(reader: Reader, id_number: str, today: date) -> dict[str, Any]:
    facts = identity_facts(id_number)
    given_birth = reader.day("birth_date", "出生日期")
    if given_birth and given_birth != facts.birth_date:
        reader.problem(
            "birth_date",
            reader.data.get("birth_date"),
            "出生日期",
            Reason(
                f"与证件号码中的出生日期 {facts.birth_date} 不符",
                f"contradicts the ID number's birth date {facts.birth_date}",
            ),
        )
    given_sex = reader.choice("sex", "性别", vocab.Sex)
    if given_sex and given_sex != facts.sex:
        reader.problem(
            "sex",
            reader.data.get("sex"),
            "性别",
            Reason("与证件号码中的性别不符", "contradicts the sex in the ID number"),
        )
    if facts.birth_date > today:
        reader.problem(
            "id_number", id_number, "证件号码", Reason("出生日期晚于今天", "the birth date is in the future")
        )
    return {"birth_date": facts.birth_date, "sex": facts.sex}


def _check_member_fields(reader: Reader, fields: dict[str, Any]) -> None:
    if bool(fields["education"]) == bool(fields["schooling"]):
        reader.problem(
            "education",
            reader.data.get("education"),
            "文化程度/在校生状况",
            Reason(
                "文化程度与在校生状况须填且只填一项", "exactly one of education and schooling must be given"
            ),
        )
    if fields["disability_type"] and fields["health"] != vocab.Health.DISABLED:
        reader.problem(
            "disability_type",
            reader.data.get("disability_type"),
            "残疾类别",
            Reason(
                "健康状况不是残疾时不能填写残疾类别",
                "only a member whose health is 残疾 has a disability type",
            ),
        )


def _income(reader: Reader) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "year": reader.integer("year", "年度", low=2000, high=2100, required=True),
        "household_size": reader.integer("household_size", "家庭人口数", low=1, high=50),
    }
    for key, label in INCOME_AMOUNTS.items():
        target = "property_income" if key == "property" else key
        amount = reader.money(key, label)
        fields[target] = Decimal("0.00") if amount is None else amount
    return fields


def _event(reader: Reader, draft: HouseholdDraft, today: date) -> dict[str, Any]:
    return _event_fields(reader, {m.id_number for m in draft.members})


def _event_fields(reader: Reader, known: set[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "type": reader.choice("type", "事件类型", vocab.EventType, required=True),
        "date": reader.day("date", "事件日期", required=True),
        "severity": reader.choice("severity", "严重程度", vocab.Severity),
        "loss": reader.money("loss", "损失"),
        "house_damaged": reader.boolean("house_damaged", "房屋受损", default=False),
        "note": reader.text("note", "说明", max_length=500),
        "id_number": reader.code("id_number", "成员证件号码", normalize_id_number),
    }
    if fields["id_number"] and fields["id_number"] not in known:
        reader.problem(
            "id_number",
            fields["id_number"],
            "成员证件号码",
            Reason("不是本户成员", "is not a member of this household"),
        )
    return fields


def _check_unique_years(draft: HouseholdDraft, problems: list[FieldProblem]) -> None:
    seen: set[int] = set()
    for i, income in enumerate(draft.incomes):
        year = income["year"]
        if year in seen:
            Reader({}, f"incomes[{i}]", problems).problem(
                "year", year, "年度", Reason("同一年度的收入重复", "the year appears twice")
            )
        seen.add(year)


def _facts_of(members: list[MemberDraft]) -> list[MemberFacts]:
    return [
        MemberFacts(
            path=f"members[{i}]",
            id_number=m.id_number,
            name=m.name,
            relation=m.fields["relation"],
            sex=m.fields["sex"],
            active=m.fields["status"] == vocab.MemberStatus.ACTIVE,
        )
        for i, m in enumerate(members)
    ]


def _warnings(draft: HouseholdDraft, today: date) -> list[FieldProblem]:
    """Values that are allowed but suspicious (DOMAIN §3): shown, not refused."""
    warnings: list[FieldProblem] = []
    for i, income in enumerate(draft.incomes):
        if Decimal(0) < income["wage"] <= Decimal(100):
            warnings.append(
                FieldProblem(
                    f"incomes[{i}].wage",
                    str(income["wage"]),
                    "工资性收入在0到100元之间，请核实",
                    "wage income between 0 and 100 yuan is suspicious",
                )
            )
    for i, member in enumerate(draft.members):
        if _looks_able_but_marked_unable(member.fields, today):
            warnings.append(
                FieldProblem(
                    f"members[{i}].labor_skill",
                    "无劳动力",
                    f"成员「{member.name}」16–59岁、健康、不在校，却标为无劳动力，请核实",
                    f"member {member.name}: aged 16–59, healthy, not in school but marked no labour",
                )
            )
    return warnings


def _looks_able_but_marked_unable(fields: dict[str, Any], today: date) -> bool:
    birth: date = fields["birth_date"]
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    return (
        16 <= age <= 59
        and fields["health"] == vocab.Health.HEALTHY
        and fields["schooling"] in vocab.NOT_IN_SCHOOL
        and fields["labor_skill"] == vocab.LaborSkill.NONE
    )
