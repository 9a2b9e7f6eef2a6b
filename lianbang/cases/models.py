"""Alerts, cases (事项) and their timelines, measures, deadlines and notifications (DOMAIN §5).

One ``Case`` table holds every kind of matter (防返贫风险, 群众诉求, 矛盾纠纷, 企业诉求); each
kind runs through its own state machine (``workflow.py``) and keeps its own fields in a
one-to-one detail row. Large tables carry ``region_code`` so that they can be partitioned.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from lianbang.cases import vocab
from lianbang.org.models import Unit
from lianbang.registry.models import Household, money_field

DEFAULT_APPROVAL_LEVELS = ["democratic_review", "publicity", "street_review", "district_approval"]


def default_approval_levels() -> list[str]:
    return list(DEFAULT_APPROVAL_LEVELS)


class WorkflowSettings(models.Model):
    """The configurable figures of the assistance chain: one row (pk 1), defaults of DOMAIN §5."""

    red_visit_hours = models.PositiveIntegerField("红灯首次入户时限（小时）", default=24)
    red_measures_hours = models.PositiveIntegerField("红灯落实措施时限（小时）", default=72)
    yellow_visit_hours = models.PositiveIntegerField("黄灯入户时限（小时）", default=72)
    identification_days = models.PositiveIntegerField("认定办结时限（天）", default=15)
    approval_levels = models.JSONField("认定审批层级", default=default_approval_levels)
    publicity_days = models.PositiveIntegerField("公示天数（不少于）", default=5)
    follow_up_days = models.PositiveIntegerField("跟踪回访间隔（天）", default=30)
    elimination_review_days = models.PositiveIntegerField("消除审核时限（天）", default=10)
    request_reply_days = models.PositiveIntegerField("群众诉求答复时限（天）", default=7)
    dispute_days = models.PositiveIntegerField("矛盾纠纷调解时限（天）", default=30)
    enterprise_days = models.PositiveIntegerField("企业诉求默认办结时限（天）", default=15)
    escalation_hours = models.PositiveIntegerField("超时后再次上报间隔（小时）", default=24)
    due_soon_hours = models.PositiveIntegerField("到期提醒提前量（小时）", default=12)
    relapse_months = models.PositiveIntegerField("返贫观察期（月）", default=12)
    auto_open_cases = models.BooleanField("预警自动立案", default=True)
    outbox_max_attempts = models.PositiveIntegerField("推送最多尝试次数", default=6)
    outbox_backoff_seconds = models.PositiveIntegerField("推送重试初始间隔（秒）", default=60)
    outbox_backoff_max_seconds = models.PositiveIntegerField("推送重试最长间隔（秒）", default=6 * 3600)

    class Meta:
        verbose_name = "帮扶流程设置"
        verbose_name_plural = "帮扶流程设置"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="workflow_settings_single_row")]

    def __str__(self) -> str:
        return "帮扶流程设置"


class Case(models.Model):
    """A matter someone owns until it is closed: a poverty-relapse risk case or another matter."""

    kind = models.CharField("事项类型", max_length=20, choices=vocab.CaseKind.choices)
    state = models.CharField("状态", max_length=30, db_index=True)
    level = models.CharField("风险等级", max_length=10, blank=True, choices=vocab.Level.choices)
    household = models.ForeignKey(
        Household, verbose_name="户", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    unit = models.ForeignKey(Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="cases")
    handling_unit = models.ForeignKey(
        Unit, verbose_name="当前责任单位", on_delete=models.PROTECT, related_name="handled_cases"
    )
    escalations = models.PositiveSmallIntegerField("上报次数", default=0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    channel = models.CharField("发现渠道", max_length=20, choices=vocab.Channel.choices)
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("情况", blank=True)
    risk_types = models.JSONField("风险类型", default=list)
    disaster_subtype = models.CharField(
        "灾害类别", max_length=20, blank=True, choices=vocab.DisasterSubtype.choices
    )
    # The approval levels in force when identification began (a later settings change does not
    # reshuffle a case in flight) and the index of the level whose decision is awaited.
    approval_levels = models.JSONField("认定审批层级", default=list)
    approval_stage = models.PositiveSmallIntegerField("当前审批层级", default=0)
    publicity_started_at = models.DateTimeField("公示开始", null=True, blank=True)
    elimination_kind = models.CharField(
        "消除方式", max_length=10, blank=True, choices=vocab.EliminationKind.choices
    )
    close_reason = models.TextField("结案说明", blank=True)
    relapse_of = models.ForeignKey(
        "self", verbose_name="返贫前案", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField("立案时间", db_index=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True, db_index=True)
    # Optimistic concurrency: every user action bumps it; an action based on an older one conflicts.
    version = models.PositiveIntegerField(default=1)
    region_code = models.CharField("区划代码", max_length=6)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "事项"
        verbose_name_plural = "事项"
        indexes = [models.Index(fields=["kind", "state"], name="case_kind_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(kind="risk", closed_at__isnull=True),
                name="case_one_open_risk_case_per_household",
            ),
            models.CheckConstraint(
                condition=Q(kind="risk", level__in=["red", "yellow"]) | (~Q(kind="risk") & Q(level="")),
                name="case_level_only_for_risk",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CaseStep(models.Model):
    """A piece of work with a deadline (首次入户, 落实措施, 认定 …); overdue ones escalate."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("环节", max_length=30, choices=vocab.StepKind.choices)
    started_at = models.DateTimeField("开始")
    due_at = models.DateTimeField("期限")
    done_at = models.DateTimeField("完成", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消", null=True, blank=True)
    overdue_at = models.DateTimeField("标记超时", null=True, blank=True)
    next_escalation_at = models.DateTimeField("下次上报", null=True, blank=True)
    escalations = models.PositiveSmallIntegerField("上报次数", default=0)
    region_code = models.CharField(max_length=6)

    class Meta:
        verbose_name = "办理环节"
        verbose_name_plural = "办理环节"
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(done_at__isnull=True, cancelled_at__isnull=True),
                name="casestep_open_by_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.cancelled_at is None


class CaseEvent(models.Model):
    """One row of a case's timeline: every transition, visit, measure, comment and escalation."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    type = models.CharField("类型", max_length=20, choices=vocab.EventType.choices)
    action = models.CharField("操作", max_length=40, blank=True)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间")
    payload = models.JSONField(default=dict)
    region_code = models.CharField(max_length=6)

    class Meta:
        verbose_name = "事项动态"
        verbose_name_plural = "事项动态"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="caseevent_case_time")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.type} {self.at:%Y-%m-%d %H:%M}"


class Measure(models.Model):
    """帮扶措施 of a case: type, who is responsible, how much, from when to when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measures")
    type = models.CharField("措施类型", max_length=30, choices=vocab.MeasureType.choices)
    description = models.CharField("内容", max_length=500, blank=True)
    responsible_unit = models.ForeignKey(
        Unit, verbose_name="责任单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsible_name = models.CharField("责任人姓名", max_length=50, blank=True)
    amount = money_field("金额（元）", null=True, blank=True)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    region_code = models.CharField(max_length=6)

    class Meta:
        verbose_name = "帮扶措施"
        verbose_name_plural = "帮扶措施"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="measure_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="measure_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.get_type_display()

    @property
    def developmental(self) -> bool:
        return self.type in vocab.DEVELOPMENTAL_MEASURES


class Alert(models.Model):
    """A warning about one household and one risk type, from any discovery channel (发现渠道).

    At most one is open per household and risk type; a repeated report is kept as a duplicate."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="alerts")
    risk_type = models.CharField("风险类型", max_length=30)
    level = models.CharField("等级", max_length=10, choices=vocab.Level.choices)
    channel = models.CharField("发现渠道", max_length=20, choices=vocab.Channel.choices)
    rules = models.JSONField("触发规则", default=list)
    status = models.CharField(
        "状态", max_length=10, choices=vocab.AlertStatus.choices, default=vocab.AlertStatus.OPEN
    )
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    note = models.CharField("说明", max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField("预警时间", db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    region_code = models.CharField(max_length=6)

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        constraints = [
            models.UniqueConstraint(
                fields=["household", "risk_type"], condition=Q(status="open"), name="alert_one_open_per_risk"
            )
        ]
        indexes = [
            models.Index(
                fields=["raised_at"], condition=Q(status="open", case__isnull=True), name="alert_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_id}:{self.risk_type}"


class ResidentRequest(models.Model):
    """群众诉求."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="request")
    requester_name = models.CharField("诉求人", max_length=50)
    content = models.TextField("诉求内容")
    reply = models.TextField("答复", blank=True)
    satisfaction = models.CharField("满意度", max_length=20, blank=True)

    class Meta:
        verbose_name = "群众诉求"
        verbose_name_plural = "群众诉求"

    def __str__(self) -> str:
        return self.requester_name


class Dispute(models.Model):
    """矛盾纠纷: parties, mediation sessions, outcome and agreement."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="dispute")
    category = models.CharField("纠纷类别", max_length=50)
    parties = models.JSONField("当事人", default=list)
    agreement = models.TextField("调解协议", blank=True)
    outcome = models.TextField("处理结果", blank=True)

    class Meta:
        verbose_name = "矛盾纠纷"
        verbose_name_plural = "矛盾纠纷"

    def __str__(self) -> str:
        return self.category


class MediationSession(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField("调解时间")
    mediator = models.CharField("调解员", max_length=50)
    summary = models.TextField("调解情况")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "调解记录"
        verbose_name_plural = "调解记录"
        ordering = ["held_at"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.held_at:%Y-%m-%d}"


class EnterpriseIssue(models.Model):
    """企业诉求 raised at the weekly government–enterprise meeting (政企周联席会议)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="enterprise")
    enterprise_name = models.CharField("企业名称", max_length=150)
    credit_code = models.CharField("统一社会信用代码", max_length=18, db_index=True)
    meeting_date = models.DateField("联席会议日期")
    issue = models.TextField("困难诉求")
    team = models.CharField("责任专班", max_length=100)
    deadline = models.DateField("办结期限")
    resolution = models.TextField("办理结果", blank=True)

    class Meta:
        verbose_name = "企业诉求"
        verbose_name_plural = "企业诉求"

    def __str__(self) -> str:
        return self.enterprise_name


class Notification(models.Model):
    """An in-app inbox row: something a user has to know about a case."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("类型", max_length=20, choices=vocab.NotificationKind.choices)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    step = models.ForeignKey(CaseStep, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    message = models.CharField("内容", max_length=300)
    message_en = models.CharField(max_length=300)
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_inbox")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "step", "kind", "case"],
                condition=Q(step__isnull=False) & ~Q(kind="escalated"),
                name="notification_once_per_step",
            )
        ]

    def __str__(self) -> str:
        return self.message


class OutboxMessage(models.Model):
    """A message waiting for (or done with) delivery through an outbound channel (webhook).

    Written in the transaction of the change it reports, delivered later by ``lianbang tick``:
    nothing is lost while the receiver is down. Failures back off exponentially; after the
    last attempt the row is a dead letter (status ``dead``) that an administrator can retry."""

    channel = models.CharField("渠道", max_length=20)
    kind = models.CharField("类型", max_length=30)
    payload = models.JSONField()
    status = models.CharField(
        "状态", max_length=10, choices=vocab.OutboxStatus.choices, default=vocab.OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", db_index=True)
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间")
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "外发消息"
        verbose_name_plural = "外发消息"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.kind}#{self.pk}"
