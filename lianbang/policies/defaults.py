"""The default policy catalogue, as shipped in migration 0002 and changed by later data
migrations (0003: 就业补贴 needs 3 full months of 省外 work); a test keeps the two equal.

Eligibility and receipt are conditions in the monitoring condition language (docs/rules.md);
text values may be the Chinese labels. Figures are the common rules of Yunnan; a district
edits them as data.
"""

from __future__ import annotations

from typing import Any

ACTIVE = {"fact": "active", "op": "=", "value": True}
SUPPORTED = {
    "any": [
        {"fact": "category", "op": "=", "value": "脱贫户"},
        {"fact": "monitoring_type", "op": "in", "value": ["脱贫不稳定户", "边缘易致贫户", "突发严重困难户"]},
    ]
}
DISABLED = {"all": [ACTIVE, {"fact": "health", "op": "=", "value": "残疾"}]}


def _member(*conditions: dict[str, Any]) -> dict[str, Any]:
    return {"any_member": {"all": [ACTIVE, *conditions]}}


def _receives(flag: str) -> dict[str, Any]:
    return _member({"fact": flag, "op": "=", "value": True})


DEFAULT_POLICIES: list[dict[str, Any]] = [
    {
        "code": "dibao",
        "name": "最低生活保障（低保）",
        "department": "民政",
        "measure_type": "social_security",
        "risk_types": ["illness", "disability", "labour_shortage", "other"],
        "eligibility": {"fact": "current_per_capita", "op": "<", "value": {"fact": "monitoring_line"}},
        "receipt_condition": _receives("dibao"),
        "benefit": "按当地低保标准与家庭人均收入的差额按月发放低保金",
        "how_to_apply": "户主向社区（村）提出书面申请，经入户调查、民主评议、公示后由街道审核、区民政局审批",
        "note": "以监测线近似低保标准；低保标准以民政公布为准",
    },
    {
        "code": "destitute_support",
        "name": "特困人员救助供养",
        "department": "民政",
        "measure_type": "social_security",
        "risk_types": ["labour_shortage", "disability", "other"],
        "eligibility": {
            "all": [
                {"fact": "labour_members", "op": "=", "value": 0},
                {"fact": "active_members", "op": "=", "value": 1},
                _member(
                    {
                        "any": [
                            {"fact": "age", "op": ">=", "value": 60},
                            {"fact": "age", "op": "<", "value": 16},
                            {"fact": "disability_grade", "op": "<=", "value": 2},
                        ]
                    }
                ),
            ]
        },
        "receipt_condition": _receives("destitute_support"),
        "benefit": "基本生活费、照料护理费，分散或集中供养",
        "how_to_apply": "本人或代理人向街道提出申请，社区协助；区民政局审批",
        "note": "无劳动能力、无生活来源、无法定赡养抚养扶养义务人的老年人、残疾人和未成年人",
    },
    {
        "code": "temporary_relief",
        "name": "临时救助",
        "department": "民政",
        "measure_type": "social_security",
        "risk_types": ["illness", "accident", "disaster", "other"],
        "eligibility": {
            "any_event": {
                "all": [
                    {"fact": "recent", "op": "=", "value": True},
                    {"fact": "type", "op": "in", "value": ["大病确诊", "意外事故", "自然灾害", "死亡"]},
                ]
            }
        },
        "receipt_condition": None,
        "benefit": "因突发事件、意外事故、重大疾病等导致基本生活暂时困难的，给予一次性救助金或实物",
        "how_to_apply": "向街道或社区申请，紧急情况可先行救助后补办手续",
        "note": "",
    },
    {
        "code": "disability_subsidy",
        "name": "残疾人两项补贴",
        "department": "残联",
        "measure_type": "social_security",
        "risk_types": ["disability"],
        "eligibility": {
            "any": [
                _member(
                    {"fact": "health", "op": "=", "value": "残疾"},
                    {"fact": "disability_grade", "op": "<=", "value": 2},
                ),
                {"all": [{"any_member": DISABLED}, _receives("dibao")]},
            ]
        },
        # Received when no disabled member of the household is without it.
        "receipt_condition": {
            "not": _member(
                {"fact": "health", "op": "=", "value": "残疾"},
                {"fact": "disability_subsidy", "op": "=", "value": False},
            )
        },
        "benefit": "困难残疾人生活补贴（低保家庭中的残疾人）和重度残疾人护理补贴（一、二级残疾人），按月发放",
        "how_to_apply": "持残疾人证向社区申请，街道审核，区残联、民政局审批",
        "note": "",
    },
    {
        "code": "elderly_allowance",
        "name": "高龄津贴",
        "department": "民政",
        "measure_type": "social_security",
        "risk_types": ["labour_shortage", "other"],
        "eligibility": _member({"fact": "age", "op": ">=", "value": 80}),
        "receipt_condition": None,
        "benefit": "80周岁以上老年人按月发放高龄津贴，百岁老人标准更高",
        "how_to_apply": "本人或家属持身份证、户口簿向社区申请",
        "note": "",
    },
    {
        "code": "medical_aid",
        "name": "医疗救助",
        "department": "医保",
        "measure_type": "health",
        "risk_types": ["illness", "disability"],
        "eligibility": {
            "any": [
                {"fact": "medical_self_paid", "op": ">=", "value": 5000},
                {
                    "all": [
                        SUPPORTED,
                        _member({"fact": "health", "op": "=", "value": "患有大病"}),
                    ]
                },
            ]
        },
        "receipt_condition": _receives("medical_aid"),
        "benefit": "资助参保，住院和门诊慢特病合规自付费用按比例救助",
        "how_to_apply": "一站式结算自动救助；未结算的持票据向区医保局申请",
        "note": "",
    },
    {
        "code": "education_aid",
        "name": "教育资助（雨露计划）",
        "department": "教育/乡村振兴",
        "measure_type": "other_education",
        "risk_types": ["education"],
        "eligibility": {
            "all": [
                SUPPORTED,
                _member(
                    {
                        "fact": "schooling",
                        "op": "in",
                        "value": ["普通高中", "中职", "高职高专", "技师学院", "本科"],
                    }
                ),
            ]
        },
        "receipt_condition": None,
        "benefit": "雨露计划每生每学期1500元（中高职），普通高中国家助学金，大学生生源地助学贷款",
        "how_to_apply": "每学期开学后向社区申报，提供学籍证明",
        "note": "",
    },
    {
        "code": "public_welfare_job",
        "name": "公益性岗位",
        "department": "人社",
        "measure_type": "public_welfare_job",
        "risk_types": ["employment", "labour_shortage"],
        "eligibility": {
            "all": [
                {"fact": "labour_members", "op": ">=", "value": 1},
                {"fact": "employed_labour_members", "op": "=", "value": 0},
            ]
        },
        "receipt_condition": _receives("public_welfare_job"),
        "benefit": "零就业家庭和就业困难人员优先安置保洁、护林、治安等公益性岗位，按月发放岗位补贴",
        "how_to_apply": "向社区就业服务站登记，人社部门统筹安置",
        "note": "",
    },
    {
        "code": "microcredit",
        "name": "脱贫人口小额信贷",
        "department": "乡村振兴/金融",
        "measure_type": "finance",
        "risk_types": ["industry_failure", "employment"],
        "eligibility": {
            "all": [
                SUPPORTED,
                _member(
                    {"fact": "labour", "op": "=", "value": True}, {"fact": "age", "op": ">=", "value": 18}
                ),
            ]
        },
        "receipt_condition": None,
        "benefit": "5万元以下、3年以内、免担保免抵押、基准利率放贷、财政贴息",
        "how_to_apply": "向社区申请评级授信，经办银行审批放贷",
        "note": "",
    },
    {
        "code": "employment_subsidy",
        "name": "跨省务工稳岗就业补贴",
        "department": "人社",
        "measure_type": "employment",
        "risk_types": ["employment"],
        "eligibility": {
            "all": [
                SUPPORTED,
                _member(
                    {"fact": "labour", "op": "=", "value": True},
                    {"fact": "work_location", "op": "=", "value": "省外"},
                    {"fact": "months_employed", "op": ">=", "value": 3},
                ),
            ]
        },
        "receipt_condition": None,
        "benefit": "跨省务工连续稳定就业3个月以上的，给予一次性交通和稳岗补贴",
        "how_to_apply": "凭务工单位用工证明和工资流水向社区申报，人社部门审核",
        "note": "连续务工月数按登记的务工时间计至评估日（足月）；申报时凭用工证明核实",
    },
    {
        "code": "assistance_workshop",
        "name": "帮扶车间就业",
        "department": "人社/乡村振兴",
        "measure_type": "employment",
        "risk_types": ["employment", "labour_shortage"],
        "eligibility": _member(
            {"fact": "labour", "op": "=", "value": True}, {"fact": "employed", "op": "=", "value": False}
        ),
        "receipt_condition": None,
        "benefit": "家门口的帮扶车间和电商岗位，照顾家庭的同时就业增收",
        "how_to_apply": "向社区就业服务站报名，推荐到就近帮扶车间",
        "note": "",
    },
    {
        "code": "housing_safety",
        "name": "住房安全保障（危房改造）",
        "department": "住建",
        "measure_type": "housing",
        "risk_types": ["housing", "disaster"],
        "eligibility": {"fact": "housing_safe", "op": "=", "value": False},
        "receipt_condition": None,
        "benefit": "鉴定后维修加固或改造，给予补助",
        "how_to_apply": "向社区报告，住建部门组织鉴定",
        "note": "",
    },
    {
        "code": "water_safety",
        "name": "饮水安全保障",
        "department": "水利",
        "measure_type": "water",
        "risk_types": ["water"],
        "eligibility": {"fact": "water_safe", "op": "=", "value": False},
        "receipt_condition": None,
        "benefit": "供水工程维修、管网延伸或水质净化",
        "how_to_apply": "向社区报告，水利部门核实整改",
        "note": "",
    },
]
