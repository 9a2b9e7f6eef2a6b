"""The six steps of employment (六步就业, DOMAIN §6): survey, wishes, enterprises and jobs,
referrals, order-based training, transport, employment records and follow-ups.

A member's current job stays in the registry (``Member.work_location`` …, what monitoring
judges); ``Placement`` keeps the history of jobs found through these steps, so that rates can
be drawn over time and each job knows where it came from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from lianbang.employment import vocab
from lianbang.org.models import Unit
from lianbang.registry.models import Household, Member, money_field
from lianbang.registry.vocab import WorkLocation

USER = settings.AUTH_USER_MODEL


class SurveyCampaign(models.Model):
    """摸底数: one round of surveying every labour member under a unit."""

    name = models.CharField("名称", max_length=100)
    unit = models.ForeignKey(Unit, verbose_name="范围", on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField("劳动力认定日期")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField("闭环完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "摸底批次"
        verbose_name_plural = "摸底批次"

    def __str__(self) -> str:
        return self.name


class SurveyEntry(models.Model):
    """One labour member in a campaign, and what the survey found."""

    campaign = models.ForeignKey(SurveyCampaign, on_delete=models.CASCADE, related_name="entries")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="survey_entries")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True)
    status = models.CharField(
        "摸底结果", max_length=20, choices=vocab.SurveyStatus.choices, default=vocab.SurveyStatus.PENDING
    )
    note = models.CharField("说明", max_length=300, blank=True)
    reached_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "摸底对象"
        verbose_name_plural = "摸底对象"
        constraints = [models.UniqueConstraint(fields=["campaign", "member"], name="survey_entry_once")]
        indexes = [models.Index(fields=["campaign", "unit_path"], name="survey_entry_path")]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.member_id} {self.status}"


class SurveyConfirmation(models.Model):
    """A unit's sign-off that everyone under it was reached (five-level closed loop)."""

    campaign = models.ForeignKey(SurveyCampaign, on_delete=models.CASCADE, related_name="confirmations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    labour = models.PositiveIntegerField("劳动力人数")
    confirmed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="survey_confirm_once")]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.unit_id}"


class Wish(models.Model):
    """敲门行动: what a person wants (one current wish per member; each change is audited)."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="job_wish")
    seeking = models.BooleanField("求职中", default=True)
    job_types_mask = models.PositiveIntegerField("意向工种", default=0)
    places_mask = models.PositiveIntegerField("意向地点", default=0)
    min_wage = money_field("最低月工资", null=True, blank=True)
    wants_training = models.BooleanField("培训意愿", default=False)
    training_types_mask = models.PositiveIntegerField("意向培训工种", default=0)
    constraints_mask = models.PositiveIntegerField("限制条件", default=0)
    note = models.CharField("备注", max_length=300, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_on = models.DateField("登记日期")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "就业意愿"
        verbose_name_plural = "就业意愿"

    def __str__(self) -> str:
        return f"{self.member_id} 就业意愿"

    @property
    def job_types(self) -> list[str]:
        return vocab.codes_of(vocab.JobType, self.job_types_mask)

    @property
    def places(self) -> list[str]:
        return vocab.codes_of(vocab.Place, self.places_mask)

    @property
    def training_types(self) -> list[str]:
        return vocab.codes_of(vocab.JobType, self.training_types_mask)

    @property
    def constraints(self) -> list[str]:
        return vocab.codes_of(vocab.Constraint, self.constraints_mask)


class Enterprise(models.Model):
    name = models.CharField("企业名称", max_length=150)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    unit = models.ForeignKey(Unit, verbose_name="登记单位", on_delete=models.PROTECT, related_name="+")
    work_location = models.CharField("所在地", max_length=20, choices=WorkLocation.choices)
    station = models.CharField("服务站", max_length=30, blank=True, choices=vocab.Place.choices)
    address = models.CharField("地址", max_length=200, blank=True)
    industry = models.CharField("行业", max_length=50, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=11, blank=True)
    declared_workshop = models.BooleanField("申报帮扶车间", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"

    def __str__(self) -> str:
        return self.name


class JobPosting(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "招聘中"
        CLOSED = "closed", "已结束"

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="postings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("岗位名称", max_length=100)
    job_type = models.CharField("工种", max_length=20, choices=vocab.JobType.choices)
    headcount = models.PositiveIntegerField("招聘人数")
    hired = models.PositiveIntegerField("已录用", default=0)
    wage_min = money_field("月工资下限")
    wage_max = money_field("月工资上限")
    work_location = models.CharField("工作地", max_length=20, choices=WorkLocation.choices)
    station = models.CharField("服务站", max_length=30, blank=True, choices=vocab.Place.choices)
    # 县内/省内县外/省外 | the station: the places of Wish.places_mask this job is in.
    place_mask = models.PositiveIntegerField(default=0)
    age_min = models.PositiveSmallIntegerField("最低年龄", default=16)
    age_max = models.PositiveSmallIntegerField("最高年龄", default=60)
    requires_skilled = models.BooleanField("要求技能劳动力", default=False)
    skills = models.CharField("技能要求", max_length=200, blank=True)
    night_shifts = models.BooleanField("有夜班", default=False)
    deadline = models.DateField("截止日期")
    accommodation = models.BooleanField("包住宿", default=False)
    transport = models.BooleanField("统一接送", default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        indexes = [models.Index(fields=["status", "deadline"], name="posting_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(wage_min__lte=models.F("wage_max")), name="posting_wage_range"
            ),
            models.CheckConstraint(condition=Q(age_min__lte=models.F("age_max")), name="posting_age_range"),
        ]

    def __str__(self) -> str:
        return self.title


class Referral(models.Model):
    """A person sent to a job, and what came of it."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="referrals")
    posting = models.ForeignKey(JobPosting, on_delete=models.PROTECT, related_name="referrals")
    score = models.PositiveSmallIntegerField("匹配分")
    outcome = models.CharField(
        max_length=10, choices=vocab.ReferralOutcome.choices, default=vocab.ReferralOutcome.PENDING
    )
    referred_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    referred_on = models.DateField()
    outcome_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "posting"], name="referral_once")]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.posting_id}"


class JobFair(models.Model):
    """专场招聘会."""

    name = models.CharField("名称", max_length=100)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("举办日期")
    venue = models.CharField("地点", max_length=100, blank=True)
    walk_in_attendees = models.PositiveIntegerField("未登记入场人数", default=0)

    def __str__(self) -> str:
        return self.name


class FairEnterprise(models.Model):
    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="enterprises")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    posts = models.PositiveIntegerField("提供岗位数", default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fair", "enterprise"], name="fair_enterprise_once")]

    def __str__(self) -> str:
        return f"{self.fair_id}: {self.enterprise_id}"


class FairAttendee(models.Model):
    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="attendees")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=vocab.FairOutcome.choices)
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fair", "member"], name="fair_attendee_once")]

    def __str__(self) -> str:
        return f"{self.fair_id}: {self.member_id}"


class Course(models.Model):
    """订单培训: training ordered by an employer who commits to hire."""

    name = models.CharField("课程名称", max_length=100)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="courses")
    posting = models.ForeignKey(
        JobPosting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job_type = models.CharField("培训工种", max_length=20, choices=vocab.JobType.choices)
    committed_hires = models.PositiveIntegerField("承诺录用人数")
    starts_on = models.DateField("开班日期")
    ends_on = models.DateField("结业日期")
    sessions = models.PositiveSmallIntegerField("课时（次）")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")), name="course_dates")
        ]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(
        max_length=10, choices=vocab.EnrolmentStatus.choices, default=vocab.EnrolmentStatus.ENROLLED
    )
    attended = models.PositiveSmallIntegerField("出勤次数", default=0)
    certificate_no = models.CharField("证书编号", max_length=50, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "member"], name="enrolment_once")]

    def __str__(self) -> str:
        return f"{self.course_id}: {self.member_id}"


class Attendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "day"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.day}"


class TransportBatch(models.Model):
    """三门连接: a chartered departure (出家门、上车门、进厂门)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    departs_on = models.DateField("发车日期")
    vehicle = models.CharField("车辆", max_length=50)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    posting = models.ForeignKey(
        JobPosting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(
        max_length=10, choices=vocab.BatchStatus.choices, default=vocab.BatchStatus.PLANNED
    )
    arrived_on = models.DateField("到达日期", null=True, blank=True)
    confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.departs_on} {self.vehicle}"


class Passenger(models.Model):
    batch = models.ForeignKey(TransportBatch, on_delete=models.CASCADE, related_name="passengers")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    arrived = models.BooleanField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "member"], name="passenger_once")]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.member_id}"


class Placement(models.Model):
    """就业记录: one job held by a member, from its start to a change or a loss."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="placements")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    employer = models.CharField("务工企业", max_length=150)
    work_location = models.CharField("务工所在地", max_length=20, choices=WorkLocation.choices)
    station = models.CharField("服务站", max_length=30, blank=True, choices=vocab.Place.choices)
    channel = models.CharField("就业渠道", max_length=20, blank=True)
    monthly_wage = money_field("月工资", null=True, blank=True)
    source = models.CharField(max_length=10, choices=vocab.PlacementSource.choices)
    started_on = models.DateField("上岗日期")
    # Start of the unbroken run of work this job belongs to (a change without a gap keeps it).
    continuous_since = models.DateField("连续就业起始")
    # The first day without this job (a new job starts that day, or the job was lost that day).
    ended_on = models.DateField("离岗日期", null=True, blank=True)
    end_reason = models.CharField(max_length=10, blank=True, choices=vocab.PlacementEnd.choices)
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    batch = models.ForeignKey(
        TransportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    region_code = models.CharField(max_length=6)

    class Meta:
        verbose_name = "就业记录"
        verbose_name_plural = "就业记录"
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(ended_on__isnull=True), name="placement_one_current"
            )
        ]
        indexes = [models.Index(fields=["started_on", "ended_on"], name="placement_span")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.employer} {self.started_on}"


class FollowUp(models.Model):
    """保姆服务: a scheduled follow-up of someone working away."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField("应回访日期")
    done_on = models.DateField("回访日期", null=True, blank=True)
    method = models.CharField(max_length=10, blank=True, choices=vocab.FollowUpMethod.choices)
    still_employed = models.BooleanField(null=True)
    note = models.CharField("回访记录", max_length=500, blank=True)
    care_note = models.CharField("留守家人关爱", max_length=300, blank=True)
    done_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["done_on", "due_on"], name="follow_up_due")]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.due_on}"


class RightsCase(models.Model):
    """劳动维权: a worker's dispute with an employer, run as a case of the cases engine."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    placement = models.ForeignKey(
        Placement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.member_id} 劳动维权 {self.case_id}"
