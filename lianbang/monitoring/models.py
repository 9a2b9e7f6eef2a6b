"""Rules, labels, monitoring lines and the lights they give (DOMAIN §4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lianbang.registry.models import Household, money_field


class Color(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"


COLOR_RANK = {Color.GREEN: 0, Color.YELLOW: 1, Color.RED: 2}


class MonitoringLine(models.Model):
    """防止返贫监测线 for a region and year; the longest matching region prefix wins."""

    region_prefix = models.CharField("区划代码前缀", max_length=6)
    year = models.PositiveSmallIntegerField("年度")
    amount = money_field("监测线（元/人·年）")

    class Meta:
        verbose_name = "监测线"
        verbose_name_plural = "监测线"
        constraints = [
            models.UniqueConstraint(fields=["region_prefix", "year"], name="line_one_per_region_year")
        ]

    def __str__(self) -> str:
        return f"{self.region_prefix} {self.year}: {self.amount}"


class RuleSet(models.Model):
    """A versioned set of light rules. Exactly one is active; drafts are tried, never judged by."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ACTIVE = "active", "生效"
        RETIRED = "retired", "已停用"

    version = models.PositiveIntegerField("版本", unique=True)
    name = models.CharField("名称", max_length=100)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Parameters the rules share, e.g. {"recent_days": 90}.
    parameters = models.JSONField("参数", default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "规则集"
        verbose_name_plural = "规则集"
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="active"), name="ruleset_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"

    @property
    def recent_days(self) -> int:
        return int(self.parameters.get("recent_days", 90))


class Rule(models.Model):
    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField("代码", max_length=30)
    color = models.CharField("灯色", max_length=10, choices=Color.choices)
    risk_type = models.CharField("风险类型", max_length=30, blank=True)
    name = models.CharField("名称", max_length=100)
    reason = models.CharField("触发说明", max_length=200)
    reason_en = models.CharField("触发说明（英文）", max_length=200)
    condition = models.JSONField("条件")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "预警规则"
        verbose_name_plural = "预警规则"
        ordering = ["rule_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "code"], name="rule_code_unique_in_set"),
            models.CheckConstraint(
                condition=models.Q(color__in=["red", "yellow"]), name="rule_color_red_or_yellow"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class LabelCategory(models.Model):
    """标签大类 (7) and, with a parent, 标签小类 (13)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="subcategories"
    )
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField("名称", max_length=50)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "标签类别"
        verbose_name_plural = "标签类别"
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class Label(models.Model):
    class Kind(models.TextChoices):
        COMPUTED = "computed", "自动计算"
        MANUAL = "manual", "人工标注"

    subcategory = models.ForeignKey(LabelCategory, on_delete=models.PROTECT, related_name="labels")
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField("名称", max_length=50)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    condition = models.JSONField("条件", null=True, blank=True)
    description = models.CharField("说明", max_length=200, blank=True)
    active = models.BooleanField("启用", default=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Tells the engine its cached label plan is stale.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "标签"
        verbose_name_plural = "标签"
        ordering = ["subcategory__position", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="manual", condition__isnull=True)
                | models.Q(kind="computed", condition__isnull=False),
                name="label_computed_has_condition",
            )
        ]

    def __str__(self) -> str:
        return self.name


class HouseholdLabel(models.Model):
    """A label a household carries: computed by the engine or set by a person."""

    # No single-column indexes on the keys: the unique (household, label) and the
    # (label, household) indexes lead with them, and each extra index slows the bulk writes.
    # No foreign-key constraints in the database on them either (db_constraint=False; the ORM
    # still joins and cascades). A district's first run writes ~16 label rows per household,
    # and PostgreSQL checked both keys of each one at commit: 16 M rows, 32 M lookups that
    # lock the household and label rows one by one, 244 s of a 444 s run on 1 M households
    # (docs/rules.md). The rows are derived: the engine writes them from registry_household
    # and the label table; households are never deleted (they are archived) and labels are
    # switched off, not deleted (monitoring.labels). The manual labels' setter keeps its key.
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="labels", db_index=False, db_constraint=False
    )
    label = models.ForeignKey(
        Label, on_delete=models.CASCADE, related_name="households", db_index=False, db_constraint=False
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    set_at = models.DateTimeField(auto_now_add=True)
    region_code = models.CharField(max_length=6)

    class Meta:
        verbose_name = "户标签"
        verbose_name_plural = "户标签"
        constraints = [models.UniqueConstraint(fields=["household", "label"], name="household_label_once")]
        indexes = [
            models.Index(fields=["label", "household"], name="household_label_by_label"),
            # Only manual labels have a person; computed rows (most of them) stay out of it.
            models.Index(
                fields=["set_by"], name="household_label_set_by", condition=models.Q(set_by__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}:{self.label_id}"


class HouseholdLight(models.Model):
    """The current light of a household and why."""

    household = models.OneToOneField(
        Household, on_delete=models.CASCADE, primary_key=True, related_name="light"
    )
    color = models.CharField("灯色", max_length=10, choices=Color.choices)
    rules = models.JSONField("触发规则", default=list)
    # The computed labels (ids, in label order) the engine wrote with this judgement; None when
    # not known. Bulk runs compare it to decide which households' label rows need rewriting.
    labels = models.JSONField("计算标签", null=True, default=None)
    income_missing = models.BooleanField("收入数据缺失", default=False)
    # The level an open assistance case holds the light at (the cases issue sets it).
    floor_color = models.CharField(max_length=10, choices=Color.choices, default=Color.GREEN)
    rule_set_version = models.PositiveIntegerField()
    # When this judgement was reached: the evaluation date and time of the last change.
    as_of = models.DateField("评估日期")
    since = models.DateTimeField("起始时间")
    region_code = models.CharField(max_length=6)
    # The date the stored judgement was last reached on, and the fingerprint of the rules,
    # labels, window and lines it was reached with (``staleness.judgement_key``): a bulk run
    # judges again only the households these no longer vouch for (lianbang.monitoring.staleness).
    # Both None: the light holds the judgement of the JudgementBaseline, the last run that judged
    # every active household (such a run moves the baseline instead of stamping every light).
    judged_on = models.DateField("判定日期", null=True, blank=True)
    judged_key = models.CharField(max_length=32, null=True, blank=True, default=None)  # noqa: DJ001

    class Meta:
        verbose_name = "户预警灯"
        verbose_name_plural = "户预警灯"
        # Lists filter by colour; nothing searches it by prefix (no varchar_pattern_ops twin).
        indexes = [models.Index(fields=["color"], name="householdlight_color")]

    def __str__(self) -> str:
        return f"{self.household_id}:{self.color}"


class LightChange(models.Model):
    """Every change of a household's light (from, to, when, rules, rule-set version, cause)."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="light_changes", db_index=False
    )
    from_color = models.CharField(max_length=10, blank=True, choices=Color.choices)
    to_color = models.CharField(max_length=10, choices=Color.choices)
    rules = models.JSONField(default=list)
    previous_rules = models.JSONField(default=list)
    rule_set_version = models.PositiveIntegerField()
    as_of = models.DateField()
    cause = models.CharField("原因", max_length=100)
    changed_at = models.DateTimeField(db_index=True)
    region_code = models.CharField(max_length=6)

    class Meta:
        verbose_name = "灯色变化"
        verbose_name_plural = "灯色变化"
        indexes = [models.Index(fields=["household", "changed_at"], name="lightchange_household")]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.from_color}→{self.to_color}"


class JudgementBaseline(models.Model):
    """The date and judgement key of the last bulk run that judged every active household
    (a full run, a district's first run, the run after a new rule set). A light without a
    stamp of its own (``judged_on`` and ``judged_key`` None) holds that run's judgement: the
    run wrote only the lights it changed and moved this one row, instead of stamping a million
    unchanged lights with the same date and key. One row at most (``pk`` 1)."""

    judged_on = models.DateField("判定日期")
    judged_key = models.CharField(max_length=32)
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "全量判定基准"
        verbose_name_plural = "全量判定基准"

    def __str__(self) -> str:
        return f"{self.judged_on} {self.judged_key}"


class EvaluationRun(models.Model):
    """A bulk re-judgement of every household (``lianbang evaluate --all``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "完成"
        FAILED = "failed", "失败"

    as_of = models.DateField("评估日期")
    rule_set_version = models.PositiveIntegerField()
    cause = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    households = models.PositiveIntegerField(default=0)
    lights_changed = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = "批量评估"
        verbose_name_plural = "批量评估"

    def __str__(self) -> str:
        return f"{self.as_of} v{self.rule_set_version} {self.status}"
