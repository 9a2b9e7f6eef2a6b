"""Households (户), members (成员), yearly incomes (收入), events (事件) and visits (走访).

Every large table carries ``region_code`` so that it can be partitioned by region later.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from lianbang.org.models import Building, MicroGrid, Unit
from lianbang.registry import vocab


def money_field(verbose_name: str, **options: Any) -> models.DecimalField:
    """An amount in yuan: exact decimal, two places (never binary floating point)."""
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **options)


class Household(models.Model):
    household_no = models.CharField("户编号", max_length=30, unique=True)
    category = models.CharField("户类型", max_length=20, choices=vocab.HouseholdCategory.choices)
    monitoring_type = models.CharField(
        "监测对象类别", max_length=20, blank=True, choices=vocab.MonitoringType.choices
    )
    unit = models.ForeignKey(
        Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="households", db_index=False
    )
    grid = models.ForeignKey(
        MicroGrid,
        verbose_name="微网格",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
    )
    building = models.ForeignKey(
        Building,
        verbose_name="楼栋",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
    )
    entrance = models.CharField("单元", max_length=10, blank=True)
    floor = models.SmallIntegerField("楼层", null=True, blank=True)
    room = models.CharField("房号", max_length=20, blank=True)
    origin_village = models.CharField("迁出地（村）", max_length=100, blank=True)
    move_in_date = models.DateField("搬迁入住日期", null=True, blank=True)
    military_family = models.BooleanField("军烈属", default=False)
    no_labor_support = models.BooleanField("整户无劳动能力兜底", default=False)
    housing_safe = models.BooleanField("住房安全", default=True)
    water_safe = models.BooleanField("饮水安全", default=True)
    phone = models.CharField("联系电话", max_length=11, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=vocab.HouseholdStatus.choices, default=vocab.HouseholdStatus.ACTIVE
    )
    status_date = models.DateField("状态日期", null=True, blank=True)
    region_code = models.CharField("区划代码", max_length=6)
    # Optimistic concurrency: every write bumps it; a write based on an older version conflicts.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = "户"
        verbose_name_plural = "户"
        indexes = [models.Index(fields=["unit", "status"], name="household_unit_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "entrance", "floor", "room"],
                condition=Q(status="active") & Q(building__isnull=False),
                name="household_one_active_per_room",
            ),
        ]

    def __str__(self) -> str:
        return self.household_no

    @property
    def address(self) -> str:
        if self.building is None:
            return ""
        return f"{self.building.name}{self.entrance}单元{self.room}室"


class Member(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members", db_index=False)
    id_number = models.CharField("证件号码", max_length=18)
    name = models.CharField("姓名", max_length=50)
    sex = models.CharField("性别", max_length=1, choices=vocab.Sex.choices)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    relation = models.CharField("与户主关系", max_length=30, choices=vocab.Relation.choices)
    political_status = models.CharField(
        "政治面貌", max_length=20, default="masses", choices=vocab.PoliticalStatus.choices
    )
    education = models.CharField("文化程度", max_length=30, blank=True, choices=vocab.Education.choices)
    schooling = models.CharField("在校生状况", max_length=30, blank=True, choices=vocab.Schooling.choices)
    health = models.CharField(
        "健康状况", max_length=20, choices=vocab.Health.choices, default=vocab.Health.HEALTHY
    )
    disability_type = models.CharField(
        "残疾类别", max_length=20, blank=True, choices=vocab.DisabilityType.choices
    )
    disability_grade = models.PositiveSmallIntegerField("残疾等级", null=True, blank=True)
    labor_skill = models.CharField("劳动技能", max_length=20, choices=vocab.LaborSkill.choices)
    work_location = models.CharField(
        "务工所在地", max_length=20, blank=True, choices=vocab.WorkLocation.choices
    )
    employer = models.CharField("务工企业", max_length=150, blank=True)
    employed_since = models.DateField("务工时间", null=True, blank=True)
    monthly_wage = money_field("月工资", null=True, blank=True)
    employment_channel = models.CharField("就业渠道", max_length=50, blank=True)
    medical_insurance = models.CharField(
        "基本医疗保险", max_length=20, blank=True, choices=vocab.MedicalInsurance.choices
    )
    serious_illness_insurance = models.BooleanField("大病保险", default=False)
    pension_insurance = models.BooleanField("养老保险", default=False)
    dibao = models.BooleanField("低保", default=False)
    destitute_support = models.BooleanField("特困供养", default=False)
    medical_aid = models.BooleanField("医疗救助", default=False)
    disability_subsidy = models.BooleanField("残疾人两项补贴", default=False)
    public_welfare_job = models.BooleanField("公益性岗位", default=False)
    unattended_child = models.BooleanField("事实无人抚养儿童", default=False)
    status = models.CharField(
        "状态", max_length=20, choices=vocab.MemberStatus.choices, default=vocab.MemberStatus.ACTIVE
    )
    status_date = models.DateField("状态日期", null=True, blank=True)
    region_code = models.CharField("区划代码", max_length=6)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "成员"
        verbose_name_plural = "成员"
        indexes = [
            models.Index(fields=["household", "status"], name="member_household_status"),
            models.Index(fields=["id_number"], name="member_id_number"),
        ]
        constraints = [
            # One active registration per person across the whole district.
            models.UniqueConstraint(
                fields=["id_number"], condition=Q(status="active"), name="member_one_active_per_id"
            ),
            # At most one active head per household; "exactly one" is checked by the services.
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="active", relation="head"),
                name="household_one_active_head",
            ),
            models.CheckConstraint(
                condition=Q(disability_grade__isnull=True)
                | Q(disability_grade__gte=1, disability_grade__lte=4),
                name="member_disability_grade_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(education="") | Q(schooling=""), name="member_education_or_schooling"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == vocab.MemberStatus.ACTIVE

    @property
    def is_employed(self) -> bool:
        return bool(self.work_location)

    def age_on(self, day: date) -> int:
        """Full years (周岁) on ``day``."""
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)


class Income(models.Model):
    """A household's income for one year (收入)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="incomes", db_index=False)
    year = models.PositiveSmallIntegerField("年度")
    wage = money_field("工资性收入", default=Decimal(0))
    business = money_field("生产经营性收入", default=Decimal(0))
    property_income = money_field("财产性收入", default=Decimal(0))
    transfer = money_field("转移性收入", default=Decimal(0))
    business_expense = money_field("生产经营性支出", default=Decimal(0))
    medical_self_paid = money_field("合规自付医疗支出", default=Decimal(0))
    education_expense = money_field("教育支出", default=Decimal(0))
    insurance_claims = money_field("理赔收入", default=Decimal(0))
    household_size = models.PositiveSmallIntegerField("家庭人口数", null=True, blank=True)
    region_code = models.CharField("区划代码", max_length=6)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "收入"
        verbose_name_plural = "收入"
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="income_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}"

    @property
    def net_income(self) -> Decimal:
        """家庭纯收入 = 工资性 + 生产经营性 + 财产性 + 转移性 − 生产经营性支出."""
        return self.wage + self.business + self.property_income + self.transfer - self.business_expense


class Event(models.Model):
    """Something that happened to a household or a member (事件)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="events", db_index=False)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    type = models.CharField("事件类型", max_length=30, choices=vocab.EventType.choices)
    date = models.DateField("日期")
    severity = models.CharField("严重程度", max_length=10, blank=True, choices=vocab.Severity.choices)
    loss = money_field("损失（元）", null=True, blank=True)
    house_damaged = models.BooleanField("房屋受损", default=False)
    note = models.CharField("说明", max_length=500, blank=True)
    # Where it was learnt: document, import, grid_worker, self_declared, department:医保 …
    source = models.CharField("来源", max_length=40, blank=True)
    region_code = models.CharField("区划代码", max_length=6)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "事件"
        verbose_name_plural = "事件"
        indexes = [models.Index(fields=["household", "type", "date"], name="event_household_type")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.date}"


class Visit(models.Model):
    """A grid worker's or official's visit (走访)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="visits", db_index=False)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    visited_at = models.DateTimeField("走访时间")
    purpose = models.CharField("事由", max_length=50, blank=True)
    all_well = models.BooleanField("一切正常", default=True)
    notes = models.TextField("记录", blank=True)
    needs = models.TextField("诉求", blank=True)
    region_code = models.CharField("区划代码", max_length=6)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "走访"
        verbose_name_plural = "走访"
        indexes = [models.Index(fields=["household", "visited_at"], name="visit_household_time")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.visited_at:%Y-%m-%d}"


class Change(models.Model):
    """One change to the registry (who, when, what: old → new). Never updated or deleted."""

    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        MOVE = "move", "迁移"
        DEATH = "death", "死亡"
        MOVE_OUT = "move_out", "迁出"

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="changes", db_index=False)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="changes"
    )
    entity = models.CharField(max_length=20)
    action = models.CharField(max_length=20, choices=Action.choices)
    # {"field": [old, new]}; values in their stored (code) form.
    changes = models.JSONField(default=dict)
    # The version of the member (entity "member") or household the change produced: a phone
    # that read version v conflicts with the fields changed at versions above v.
    version = models.PositiveIntegerField(default=0)
    reason = models.CharField("原因", max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    region_code = models.CharField("区划代码", max_length=6)

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        indexes = [models.Index(fields=["household", "at"], name="change_household_time")]

    def __str__(self) -> str:
        return f"{self.entity} {self.action} {self.at:%Y-%m-%d %H:%M}"
