"""Controlled vocabularies of DOMAIN §3: stored as codes, shown and accepted in Chinese."""

from __future__ import annotations

from django.db import models


class HouseholdCategory(models.TextChoices):
    LIFTED_OUT = "lifted_out", "脱贫户"
    ORDINARY = "ordinary", "一般农户"


class MonitoringType(models.TextChoices):
    NONE = "", "非监测对象"
    UNSTABLE = "unstable", "脱贫不稳定户"
    MARGINAL = "marginal", "边缘易致贫户"
    SUDDEN_HARDSHIP = "sudden_hardship", "突发严重困难户"


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", "在册"
    MOVED_OUT = "moved_out", "已迁出"


class MemberStatus(models.TextChoices):
    ACTIVE = "active", "在册"
    DECEASED = "deceased", "已故"
    MOVED_OUT = "moved_out", "已迁出"


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Relation(models.TextChoices):
    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    SON = "son", "之子"
    DAUGHTER = "daughter", "之女"
    DAUGHTER_IN_LAW = "daughter_in_law", "之儿媳"
    SON_IN_LAW = "son_in_law", "之女婿"
    GRANDSON = "grandson", "之孙子"
    GRANDDAUGHTER = "granddaughter", "之孙女"
    DAUGHTERS_SON = "daughters_son", "之外孙子"
    DAUGHTERS_DAUGHTER = "daughters_daughter", "之外孙女"
    FATHER = "father", "之父"
    MOTHER = "mother", "之母"
    WIFES_FATHER = "wifes_father", "之岳父"
    WIFES_MOTHER = "wifes_mother", "之岳母"
    HUSBANDS_FATHER = "husbands_father", "之公公"
    HUSBANDS_MOTHER = "husbands_mother", "之婆婆"
    GRANDFATHER = "grandfather", "之祖父"
    GRANDMOTHER = "grandmother", "之祖母"
    SIBLING = "sibling", "之兄弟姐妹"
    OTHER = "other", "其他"


class PoliticalStatus(models.TextChoices):
    MASSES = "masses", "群众"
    PARTY_MEMBER = "party_member", "中共党员"
    PROBATIONARY = "probationary", "中共预备党员"
    LEAGUE_MEMBER = "league_member", "共青团员"
    OTHER = "other", "其他"


class Education(models.TextChoices):
    ILLITERATE = "illiterate", "文盲或半文盲"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中"
    SECONDARY_VOCATIONAL = "secondary_vocational", "中专"
    JUNIOR_COLLEGE = "junior_college", "大专"
    BACHELOR_PLUS = "bachelor_plus", "本科及以上"


class Schooling(models.TextChoices):
    PRESCHOOL_CHILD = "preschool_child", "学龄前儿童"
    PRESCHOOL = "preschool", "学前教育"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "普通高中"
    SECONDARY_VOCATIONAL = "secondary_vocational", "中职"
    HIGHER_VOCATIONAL = "higher_vocational", "高职高专"
    TECHNICIAN = "technician", "技师学院"
    BACHELOR = "bachelor", "本科"
    POSTGRADUATE = "postgraduate", "研究生及以上"
    DROPOUT = "dropout", "辍学"


# 在校生状况 values that do not make a person "in school" (DOMAIN §4 labour member).
NOT_IN_SCHOOL = {"", Schooling.PRESCHOOL_CHILD.value, Schooling.DROPOUT.value}


class Health(models.TextChoices):
    HEALTHY = "healthy", "健康"
    CHRONIC = "chronic", "长期慢性病"
    SERIOUS = "serious", "患有大病"
    DISABLED = "disabled", "残疾"


class DisabilityType(models.TextChoices):
    NONE = "", "无"
    VISUAL = "visual", "视力"
    HEARING = "hearing", "听力"
    SPEECH = "speech", "言语"
    PHYSICAL = "physical", "肢体"
    INTELLECTUAL = "intellectual", "智力"
    MENTAL = "mental", "精神"
    MULTIPLE = "multiple", "多重"


class LaborSkill(models.TextChoices):
    ORDINARY = "ordinary", "普通劳动力"
    SKILLED = "skilled", "技能劳动力"
    WEAK = "weak", "弱劳动力或半劳动力"
    LOST = "lost", "丧失劳动力"
    NONE = "none", "无劳动力"


LABOUR_SKILLS = {LaborSkill.ORDINARY.value, LaborSkill.SKILLED.value, LaborSkill.WEAK.value}


class WorkLocation(models.TextChoices):
    NONE = "", "未务工"
    IN_TOWNSHIP = "in_township", "乡镇内"
    IN_COUNTY = "in_county", "乡镇外县内"
    IN_PROVINCE = "in_province", "县外省内"
    OUT_OF_PROVINCE = "out_of_province", "省外"


class MedicalInsurance(models.TextChoices):
    NONE = "", "未参保"
    RESIDENT = "resident", "城乡居民基本医疗保险"
    EMPLOYEE = "employee", "职工基本医疗保险"


class EventType(models.TextChoices):
    SERIOUS_ILLNESS = "serious_illness", "大病确诊"
    CHRONIC_ILLNESS = "chronic_illness", "慢性病确诊"
    DISABILITY = "disability", "新增或加重残疾"
    ACCIDENT = "accident", "意外事故"
    DEATH = "death", "死亡"
    DISASTER = "disaster", "自然灾害"
    JOB_LOSS = "job_loss", "失业"
    JOB_START = "job_start", "就业"
    BIRTH = "birth", "出生"
    MARRIAGE = "marriage", "婚姻"
    MOVE_IN = "move_in", "迁入"
    MOVE_OUT = "move_out", "迁出"
    DROPOUT = "dropout", "辍学"
    SCHOOL_RETURN = "school_return", "返校"


class Severity(models.TextChoices):
    NONE = "", "—"
    MINOR = "minor", "轻微"
    SERIOUS = "serious", "严重"


# Spellings seen in real exports, mapped to the canonical Chinese label.
VARIANTS: dict[str, str] = {
    "一般户": "一般农户",
    "乡(镇)内": "乡镇内",
    "乡镇(街道)内": "乡镇内",
    "乡(镇)外县内": "乡镇外县内",
    "乡镇外县(市、区)内": "乡镇外县内",
    "县外省内": "县外省内",
    "省外务工": "省外",
    "弱劳动力": "弱劳动力或半劳动力",
    "半劳动力": "弱劳动力或半劳动力",
    "党员": "中共党员",
    "团员": "共青团员",
    "大病": "患有大病",
    "长期慢性病患者": "长期慢性病",
    "本科": "本科及以上",
    "研究生": "本科及以上",
    "城乡居民基本医疗": "城乡居民基本医疗保险",
    "职工基本医疗": "职工基本医疗保险",
}
