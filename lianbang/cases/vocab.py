"""The vocabularies of the assistance chain (DOMAIN §5): stored as codes, shown in Chinese."""

from __future__ import annotations

from django.db import models


class CaseKind(models.TextChoices):
    RISK = "risk", "防返贫风险"
    REQUEST = "request", "群众诉求"
    DISPUTE = "dispute", "矛盾纠纷"
    ENTERPRISE = "enterprise", "企业诉求"


CASE_KIND_EN = {
    CaseKind.RISK: "poverty-relapse risk",
    CaseKind.REQUEST: "resident request",
    CaseKind.DISPUTE: "dispute",
    CaseKind.ENTERPRISE: "enterprise issue",
}


class Level(models.TextChoices):
    NONE = "", "—"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"


LEVEL_RANK = {"": 0, "green": 0, "yellow": 1, "red": 2}


def higher_level(a: str, b: str) -> str:
    return a if LEVEL_RANK[a] >= LEVEL_RANK[b] else b


class Channel(models.TextChoices):
    """发现渠道."""

    SELF_DECLARED = "self_declared", "农户自主申报"
    GRID_WORKER = "grid_worker", "网格员排查"
    DEPARTMENT = "department", "部门筛查预警"
    SYSTEM = "system", "系统预警"
    # Not a discovery channel of risk: where enterprise issues come from.
    MEETING = "meeting", "政企周联席会议"


class RiskType(models.TextChoices):
    """风险类型 (up to 5 per case)."""

    ILLNESS = "illness", "因病"
    DISABILITY = "disability", "因残"
    EDUCATION = "education", "因学"
    DISASTER = "disaster", "因自然灾害"
    ACCIDENT = "accident", "因意外事故"
    INDUSTRY_FAILURE = "industry_failure", "因产业项目失败"
    EMPLOYMENT = "employment", "因务工就业不稳"
    LABOUR_SHORTAGE = "labour_shortage", "缺劳动力"
    HOUSING = "housing", "住房安全"
    WATER = "water", "饮水安全"
    OTHER = "other", "其他"


MAX_RISK_TYPES = 5


class DisasterSubtype(models.TextChoices):
    NONE = "", "—"
    FLOOD = "flood", "洪涝"
    GEOLOGICAL = "geological", "地质"
    DROUGHT = "drought", "旱灾"
    BIOLOGICAL = "biological", "生物"
    METEOROLOGICAL = "meteorological", "气象"
    EARTHQUAKE = "earthquake", "地震"
    OTHER = "other", "其他"


# The rule set's risk types (monitoring.Rule.risk_type) as DOMAIN §5 risk types. "三保障/饮水"
# depends on which guarantee broke and is refined from the household when the case opens;
# income rules say that income fell, not why: the visit names the cause (set_risk_types).
RULE_RISK_TYPES: dict[str, str] = {
    "因病": RiskType.ILLNESS,
    "因残": RiskType.DISABILITY,
    "因学": RiskType.EDUCATION,
    "缺劳动力": RiskType.LABOUR_SHORTAGE,
    "因意外事故": RiskType.ACCIDENT,
    "因自然灾害": RiskType.DISASTER,
    "因务工就业不稳": RiskType.EMPLOYMENT,
    "因产业项目失败": RiskType.INDUSTRY_FAILURE,
    "住房安全": RiskType.HOUSING,
    "饮水安全": RiskType.WATER,
    "收入低于监测线": RiskType.OTHER,
    "收入骤减": RiskType.OTHER,
    "收入临界": RiskType.OTHER,
    "刚性支出增大": RiskType.OTHER,
    "其他": RiskType.OTHER,
}
BOTTOM_LINE_RISK = "三保障/饮水"

# Rules about income: none of them may fire during the stable period before elimination.
INCOME_RULES = frozenset({"R_BELOW_LINE", "Y_INCOME_DROP", "Y_NEAR_LINE"})


class MeasureType(models.TextChoices):
    """帮扶措施."""

    INDUSTRY = "industry", "产业帮扶"
    EMPLOYMENT = "employment", "就业帮扶"
    FINANCE = "finance", "金融帮扶（小额信贷）"
    PUBLIC_WELFARE_JOB = "public_welfare_job", "公益岗位帮扶"
    HEALTH = "health", "健康帮扶"
    COMPULSORY_EDUCATION = "compulsory_education", "义务教育保障"
    OTHER_EDUCATION = "other_education", "其他教育帮扶"
    HOUSING = "housing", "住房安全保障"
    WATER = "water", "饮水安全保障"
    SOCIAL_SECURITY = "social_security", "综合保障（低保 特困 临时救助）"
    SOCIAL = "social", "社会帮扶"
    RELOCATION = "relocation", "搬迁"
    LIVING_CONDITIONS = "living_conditions", "生产生活条件改善"


# 开发式帮扶: what a household with a labour member must receive at least one of.
DEVELOPMENTAL_MEASURES = frozenset(
    {MeasureType.INDUSTRY, MeasureType.EMPLOYMENT, MeasureType.PUBLIC_WELFARE_JOB, MeasureType.FINANCE}
)


class EliminationKind(models.TextChoices):
    NONE = "", "—"
    ASSISTED = "assisted", "帮扶消除"
    NATURAL = "natural", "自然消除"


class StepKind(models.TextChoices):
    """A piece of work with a deadline."""

    FIRST_VISIT = "first_visit", "首次入户核实"
    MEASURES = "measures", "落实帮扶措施"
    IDENTIFICATION = "identification", "完成认定"
    FOLLOW_UP = "follow_up", "跟踪回访"
    ELIMINATION_REVIEW = "elimination_review", "消除审核"
    REPLY = "reply", "诉求答复"
    MEDIATION = "mediation", "纠纷调解"
    RESOLUTION = "resolution", "企业诉求办结"


STEP_KIND_EN = {
    StepKind.FIRST_VISIT: "first visit",
    StepKind.MEASURES: "assistance measures",
    StepKind.IDENTIFICATION: "identification",
    StepKind.FOLLOW_UP: "follow-up visit",
    StepKind.ELIMINATION_REVIEW: "elimination review",
    StepKind.REPLY: "reply to the request",
    StepKind.MEDIATION: "mediation",
    StepKind.RESOLUTION: "resolution of the enterprise issue",
}


class EventType(models.TextChoices):
    OPENED = "opened", "立案"
    TRANSITION = "transition", "流转"
    VISIT = "visit", "走访"
    MEASURE = "measure", "帮扶措施"
    COMMENT = "comment", "备注"
    RISK_TYPES = "risk_types", "风险类型"
    ALERT = "alert", "预警并案"
    LEVEL = "level", "等级提升"
    OVERDUE = "overdue", "超时"
    ESCALATED = "escalated", "上报上级"
    MEDIATION = "mediation", "调解"
    REFUSED = "refused", "申请被驳回"
    REASSIGNED = "reassigned", "责任人变更"


class AlertStatus(models.TextChoices):
    OPEN = "open", "处理中"
    DUPLICATE = "duplicate", "重复上报"
    CLOSED = "closed", "已关闭"


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", "新分派"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已超时"
    ESCALATED = "escalated", "上报至本级"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    DEAD = "dead", "发送失败（死信）"
