"""Vocabularies of the six steps (六步就业, DOMAIN §6): codes stored, Chinese shown.

Wished places, job types and constraints are small closed sets; a wish stores each set as a
bit mask so that matching compares a seeker with every job in one SQL expression
(``mask & bit <> 0``) on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from django.db import models

from lianbang.registry.vocab import WorkLocation


class Place(models.TextChoices):
    """Where a job is, or where a person would work (县内 / 省内县外 / 省外 and the five stations)."""

    IN_COUNTY = "in_county", "县内"
    IN_PROVINCE = "in_province", "省内县外"
    OUT_OF_PROVINCE = "out_of_province", "省外"
    KUNMING = "station_kunming", "昆明服务站"
    GUANGDONG = "station_guangdong", "广东服务站"
    SHANGHAI = "station_shanghai", "上海服务站"
    ZHEJIANG = "station_zhejiang", "浙江服务站"
    JIANGSU = "station_jiangsu", "江苏服务站"


PLACE_EN = {
    Place.IN_COUNTY: "in the county",
    Place.IN_PROVINCE: "in the province, outside the county",
    Place.OUT_OF_PROVINCE: "outside the province",
    Place.KUNMING: "Kunming station",
    Place.GUANGDONG: "Guangdong station",
    Place.SHANGHAI: "Shanghai station",
    Place.ZHEJIANG: "Zhejiang station",
    Place.JIANGSU: "Jiangsu station",
}

#: 务工所在地 in English (the registry's vocabulary, which forms of enterprises and jobs offer).
WORK_LOCATION_EN = {
    WorkLocation.NONE: "not working",
    WorkLocation.IN_TOWNSHIP: "in the township",
    WorkLocation.IN_COUNTY: "in the county, outside the township",
    WorkLocation.IN_PROVINCE: "in the province, outside the county",
    WorkLocation.OUT_OF_PROVINCE: "outside the province",
}

#: The five service stations (服务站) and the registry's 务工所在地 each lies in.
STATIONS = {
    Place.KUNMING: WorkLocation.IN_PROVINCE,
    Place.GUANGDONG: WorkLocation.OUT_OF_PROVINCE,
    Place.SHANGHAI: WorkLocation.OUT_OF_PROVINCE,
    Place.ZHEJIANG: WorkLocation.OUT_OF_PROVINCE,
    Place.JIANGSU: WorkLocation.OUT_OF_PROVINCE,
}
#: Places near enough to go home every evening: what carers can take.
NEAR_PLACES = frozenset({Place.IN_COUNTY})
#: Places "working away" (外出务工): monthly follow-up in the first months.
AWAY_PLACES = frozenset(Place) - NEAR_PLACES


def general_place(work_location: str) -> Place:
    """县内 / 省内县外 / 省外 for the registry's 务工所在地."""
    if work_location == WorkLocation.IN_PROVINCE:
        return Place.IN_PROVINCE
    if work_location == WorkLocation.OUT_OF_PROVINCE:
        return Place.OUT_OF_PROVINCE
    return Place.IN_COUNTY


class JobType(models.TextChoices):
    FACTORY = "factory", "普工/操作工"
    CONSTRUCTION = "construction", "建筑工"
    ELECTRONICS = "electronics", "电子装配"
    GARMENT = "garment", "服装纺织"
    FOOD = "food", "餐饮服务"
    CLEANING = "cleaning", "保洁家政"
    SECURITY = "security", "保安"
    LOGISTICS = "logistics", "物流配送"
    DRIVER = "driver", "驾驶员"
    AGRICULTURE = "agriculture", "种植养殖"
    ELECTRICIAN = "electrician", "电工焊工"
    CARE = "care", "养老护理"


JOB_TYPE_EN = {
    JobType.FACTORY: "factory worker",
    JobType.CONSTRUCTION: "construction",
    JobType.ELECTRONICS: "electronics assembly",
    JobType.GARMENT: "garments and textiles",
    JobType.FOOD: "catering",
    JobType.CLEANING: "cleaning and housekeeping",
    JobType.SECURITY: "security guard",
    JobType.LOGISTICS: "logistics and delivery",
    JobType.DRIVER: "driver",
    JobType.AGRICULTURE: "farming and livestock",
    JobType.ELECTRICIAN: "electrician or welder",
    JobType.CARE: "elderly care",
}


class Constraint(models.TextChoices):
    """What limits where or how someone can work (敲门行动 records it)."""

    CHILDREN = "care_children", "照顾子女"
    ELDERLY = "care_elderly", "照顾老人"
    HEALTH = "health", "身体原因不能重体力"
    NO_NIGHT = "no_night", "不能上夜班"


CONSTRAINT_EN = {
    Constraint.CHILDREN: "cares for children",
    Constraint.ELDERLY: "cares for the elderly",
    Constraint.HEALTH: "cannot do heavy work",
    Constraint.NO_NIGHT: "cannot work nights",
}
#: Carers need a job near home.
CARER_CONSTRAINTS = frozenset({Constraint.CHILDREN, Constraint.ELDERLY})
#: Job types that are heavy physical work.
HEAVY_JOB_TYPES = frozenset({JobType.CONSTRUCTION, JobType.LOGISTICS, JobType.AGRICULTURE})


def bit_of(choices: type[models.TextChoices], code: str) -> int:
    """The bit of ``code`` in a mask over ``choices`` (declaration order)."""
    return 1 << list(choices.values).index(code)


def mask_of(choices: type[models.TextChoices], codes: list[str]) -> int:
    mask = 0
    for code in codes:
        mask |= bit_of(choices, code)
    return mask


def codes_of(choices: type[models.TextChoices], mask: int) -> list[str]:
    return [code for index, code in enumerate(choices.values) if mask & (1 << index)]


class Channel(models.TextChoices):
    """就业渠道: the "五个一批" and the rest."""

    INDUSTRY = "产业带动", "产业带动"
    PARK = "园区带动", "园区带动"
    WORKSHOP = "帮扶车间吸纳", "帮扶车间吸纳"
    PUBLIC_JOB = "公岗安置", "公岗安置"
    TRANSFER = "主城帮扶转移", "主城帮扶转移"
    LABOUR_EXPORT = "劳务输出", "劳务输出"
    SELF = "自主就业", "自主就业"


FIVE_CHANNELS = (Channel.INDUSTRY, Channel.PARK, Channel.WORKSHOP, Channel.PUBLIC_JOB, Channel.TRANSFER)


class SurveyStatus(models.TextChoices):
    """摸底 result for one labour member."""

    PENDING = "pending", "未摸到"
    EMPLOYED = "employed", "已就业"
    SEEKING = "seeking", "有就业意愿"
    NOT_SEEKING = "not_seeking", "暂无就业意愿"
    UNREACHABLE = "unreachable", "联系不上"


REACHED_STATUSES = frozenset({SurveyStatus.EMPLOYED, SurveyStatus.SEEKING, SurveyStatus.NOT_SEEKING})


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", "待反馈"
    HIRED = "hired", "已录用"
    DECLINED = "declined", "未录用/本人放弃"
    NO_SHOW = "no_show", "未到岗"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "在训"
    COMPLETED = "completed", "已结业"
    DROPPED = "dropped", "中途退出"


class BatchStatus(models.TextChoices):
    PLANNED = "planned", "待发车"
    ARRIVED = "arrived", "已到达"


class PlacementSource(models.TextChoices):
    """How a job came: what started the employment record."""

    REGISTRY = "registry", "台账已有"
    REFERRAL = "referral", "岗位推荐"
    COURSE = "course", "订单培训"
    TRANSPORT = "transport", "三门连接"
    FAIR = "fair", "招聘会"
    CHANGE = "change", "换岗"


class PlacementEnd(models.TextChoices):
    CHANGE = "change", "换岗"
    LOSS = "loss", "失业"


class FollowUpMethod(models.TextChoices):
    PHONE = "phone", "电话回访"
    VISIT = "visit", "上门/驻点走访"
    ONLINE = "online", "微信/视频"


class FairOutcome(models.TextChoices):
    ATTENDED = "attended", "到场"
    INTENTION = "intention", "达成意向"
    HIRED = "hired", "现场录用"
