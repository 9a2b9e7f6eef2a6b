"""The columns a household spreadsheet may have, with the header spellings seen in real files.

Headers are compared after :func:`header_key`: full-width folded, spaces and required-field
marks removed, and a trailing unit such as （元） dropped. Each column belongs to the
household, to the member of its row, or to the household's income record of the year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from lianbang.common.text import compact


class Level(StrEnum):
    HOUSEHOLD = "household"
    MEMBER = "member"
    INCOME = "income"
    IGNORED = "ignored"  # recognised (not an unknown column) but not imported


class Kind(StrEnum):
    TEXT = "text"
    CODE = "code"  # household number, grid code: numbers become plain digits
    ID = "id"
    DATE = "date"
    MONEY = "money"
    BOOL = "bool"
    INT = "int"
    PHONE = "phone"


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    title: str
    level: Level
    kind: Kind
    synonyms: tuple[str, ...] = ()


def _c(key: str, title: str, level: Level, kind: Kind = Kind.TEXT, *synonyms: str) -> ColumnSpec:
    return ColumnSpec(key, title, level, kind, synonyms)


H, M, INC, X = Level.HOUSEHOLD, Level.MEMBER, Level.INCOME, Level.IGNORED
K = Kind

COLUMNS: tuple[ColumnSpec, ...] = (
    _c("household_no", "户编号", H, K.CODE, "户号", "家庭编号", "户码", "农户编号"),
    _c("head_name", "户主姓名", X, K.TEXT),
    _c("category", "户类型", H, K.TEXT, "户属性", "农户类型", "家庭类型"),
    _c("monitoring_type", "监测对象类别", H, K.TEXT, "监测类型", "监测对象类型", "监测户类型"),
    _c("address", "安置地址", H, K.TEXT, "安置住址", "安置房地址", "现住址"),
    _c("building", "楼栋", H, K.CODE, "楼栋号", "栋号", "安置楼栋", "楼号"),
    _c("entrance", "单元", H, K.CODE, "单元号"),
    _c("floor", "楼层", H, K.INT),
    _c("room", "房号", H, K.CODE, "房间号", "门牌号", "室号"),
    _c("grid", "微网格", H, K.CODE, "微网格编号", "网格编号", "网格"),
    _c("phone", "联系电话", H, K.PHONE, "户联系电话", "手机号码", "手机号", "联系方式", "电话"),
    _c("housing_safe", "住房是否安全", H, K.BOOL, "住房安全", "住房安全保障"),
    _c("water_safe", "饮水是否安全", H, K.BOOL, "饮水安全", "饮水安全保障"),
    _c("origin_village", "迁出地", H, K.TEXT, "迁出村", "原住址", "迁出地（村）"),
    _c("move_in_date", "搬迁入住时间", H, K.DATE, "入住时间", "搬迁时间", "搬迁入住日期"),
    _c("military_family", "是否军烈属", H, K.BOOL, "军烈属"),
    _c("no_labor_support", "整户无劳动能力兜底", H, K.BOOL, "是否整户无劳动能力兜底"),
    _c("name", "姓名", M, K.TEXT, "成员姓名", "人员姓名"),
    _c(
        "id_number",
        "证件号码",
        M,
        K.ID,
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "身份证件号码",
        "证件号",
        "成员证件号码",
    ),
    _c("relation", "与户主关系", M, K.TEXT, "与户主的关系"),
    _c("sex", "性别", M, K.TEXT),
    _c("birth_date", "出生日期", M, K.DATE, "出生年月"),
    _c("ethnicity", "民族", M, K.TEXT),
    _c("political_status", "政治面貌", M, K.TEXT),
    _c("education", "文化程度", M, K.TEXT, "学历"),
    _c("schooling", "在校生状况", M, K.TEXT, "在校生情况", "在校情况"),
    _c("health", "健康状况", M, K.TEXT),
    _c("disability_type", "残疾类别", M, K.TEXT, "残疾类型"),
    _c("disability_grade", "残疾等级", M, K.INT),
    _c("labor_skill", "劳动技能", M, K.TEXT, "劳动能力"),
    _c("work_location", "务工所在地", M, K.TEXT, "务工地点", "务工区域", "务工地域"),
    _c("employed_since", "务工时间", M, K.DATE, "务工开始时间", "外出务工时间"),
    _c("work_months", "务工时间（月）", X, K.INT, "务工月数", "务工时长"),
    _c("employer", "务工企业名称", M, K.TEXT, "务工企业", "务工单位", "就业单位", "工作单位"),
    _c("monthly_wage", "月工资", M, K.MONEY, "月收入", "务工月收入", "月均工资"),
    _c(
        "resident_insurance",
        "是否参加城乡居民基本医疗保险",
        M,
        K.BOOL,
        "参加城乡居民基本医疗保险",
        "城乡居民基本医疗保险",
        "是否参加城乡居民医保",
    ),
    _c("employee_insurance", "是否参加职工基本医疗保险", M, K.BOOL, "职工基本医疗保险", "是否参加职工医保"),
    _c("medical_insurance", "基本医疗保险", M, K.TEXT, "医疗保险", "参加医疗保险类型"),
    _c("serious_illness_insurance", "是否参加大病保险", M, K.BOOL, "大病保险"),
    _c(
        "pension_insurance",
        "是否参加城乡居民基本养老保险",
        M,
        K.BOOL,
        "是否参加养老保险",
        "养老保险",
        "城乡居民基本养老保险",
    ),
    _c("dibao", "是否享受低保", M, K.BOOL, "低保", "是否低保"),
    _c("destitute_support", "是否特困供养", M, K.BOOL, "特困供养", "是否特困"),
    _c("medical_aid", "是否享受医疗救助", M, K.BOOL, "医疗救助"),
    _c("disability_subsidy", "是否享受残疾人两项补贴", M, K.BOOL, "残疾人两项补贴"),
    _c("public_welfare_job", "是否公益性岗位", M, K.BOOL, "公益性岗位", "是否公益岗位"),
    _c("unattended_child", "是否事实无人抚养儿童", M, K.BOOL, "事实无人抚养儿童"),
    _c("member_status", "成员状态", M, K.TEXT, "人员状态"),
    _c("income_year", "收入年度", INC, K.INT, "年度"),
    _c("wage", "工资性收入", INC, K.MONEY),
    _c("business", "生产经营性收入", INC, K.MONEY, "经营性收入"),
    _c("property", "财产性收入", INC, K.MONEY),
    _c("transfer", "转移性收入", INC, K.MONEY),
    _c("business_expense", "生产经营性支出", INC, K.MONEY, "经营性支出"),
    _c("medical_self_paid", "合规自付医疗支出", INC, K.MONEY, "合规自付医疗费用", "自付医疗费用"),
    _c("education_expense", "教育支出", INC, K.MONEY, "非义务教育支出"),
    _c("insurance_claims", "理赔收入", INC, K.MONEY),
    _c("household_size", "家庭人口数", INC, K.INT, "家庭人口", "家庭人数", "户人口数"),
    _c("per_capita", "人均纯收入", X, K.MONEY, "家庭人均纯收入"),
    _c("net_income", "家庭纯收入", X, K.MONEY),
    _c("row_number", "序号", X, K.INT, "编号", "原行号"),
    _c("error_reason", "错误原因", X, K.TEXT),
    _c("remark", "备注", X, K.TEXT),
)

BY_KEY: dict[str, ColumnSpec] = {spec.key: spec for spec in COLUMNS}
REASON_TITLE = "错误原因"

# Trailing units and marks a header may carry: "工资性收入（元）", "*姓名", "证件号码(必填)".
_UNIT_SUFFIX = re.compile(r"\((元|元/人|元/年|元/月|元/人/年|人|必填|选填)\)$")
_MARKS = str.maketrans("", "", "*※★")


def header_key(text: object) -> str:
    """The comparable form of a header cell (empty for empty or non-text cells)."""
    if not isinstance(text, str):
        return ""
    folded = compact(text).translate(_MARKS)
    return _UNIT_SUFFIX.sub("", folded)


def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in COLUMNS:
        for spelling in (spec.title, spec.key, *spec.synonyms):
            index.setdefault(header_key(spelling), spec.key)
    return index


_INDEX = _index()


def column_for(text: object) -> str | None:
    """The column key a header cell names, or None."""
    key = header_key(text)
    return _INDEX.get(key) if key else None
