"""Care for every age (三安, DOMAIN §7): elderly visits, family calls, jobs at the door,
children paired with adults and volunteers, activities, aid, counselling, family ratings.

Every record about a person hangs from their household, so the household scope of
``accounts.scope`` decides who sees it. Health notes, counselling and minors' data are
sensitive: the API masks them and reveals one value at a time, audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from lianbang.org.models import Building, Unit
from lianbang.registry.models import Household, Member, money_field

USER = settings.AUTH_USER_MODEL


class ElderReason(models.TextChoices):
    ALONE = "alone", "独居"
    EMPTY_NEST = "empty_nest", "空巢"
    OLD_AGE = "old_age", "高龄"
    DISABLED = "disabled", "失能"


class VisitSchedule(models.Model):
    """An elderly person visited every ``interval_days``; ``next_due`` moves on with each visit."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="care_schedules")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="care_schedules")
    reason = models.CharField("关爱类别", max_length=20, choices=ElderReason.choices)
    interval_days = models.PositiveSmallIntegerField("走访间隔（天）", default=7)
    next_due = models.DateField("下次走访日期", db_index=True)
    last_visited_at = models.DateTimeField("最近走访", null=True, blank=True)
    # Empty: the household's grid worker visits.
    visitor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    region_code = models.CharField("区划代码", max_length=6)

    class Meta:
        verbose_name = "走访计划"
        verbose_name_plural = "走访计划"
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(active=True), name="one_active_schedule_per_member"
            ),
            models.CheckConstraint(
                condition=Q(interval_days__gte=1) & Q(interval_days__lte=365), name="schedule_interval_1_365"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.get_reason_display()} · {self.next_due}"


class CareVisit(models.Model):
    """A visit to an elderly person: health notes (sensitive) and the daily-care help given."""

    schedule = models.ForeignKey(
        VisitSchedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="care_visits")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="care_visits")
    visited_at = models.DateTimeField("走访时间")
    visitor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    all_well = models.BooleanField("情况良好", default=True)
    health_note = models.CharField("健康情况", max_length=500, blank=True)
    help_given = models.CharField("生活帮助", max_length=500, blank=True)
    region_code = models.CharField("区划代码", max_length=6)

    class Meta:
        verbose_name = "关爱走访"
        verbose_name_plural = "关爱走访"
        indexes = [models.Index(fields=["member", "-visited_at"], name="care_visit_member_time")]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.visited_at:%Y-%m-%d}"


class SupportNote(models.Model):
    """心理疏导: a psychological support conversation (sensitive)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="support_notes")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="support_notes")
    held_on = models.DateField("日期")
    note = models.CharField("内容", max_length=1000)
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    region_code = models.CharField("区划代码", max_length=6)

    class Meta:
        verbose_name = "心理疏导记录"
        verbose_name_plural = "心理疏导记录"

    def __str__(self) -> str:
        return f"{self.member_id} · {self.held_on}"


class FamilyCall(models.Model):
    """亲情连线: a call or video call arranged between a worker away and the family at home."""

    class Kind(models.TextChoices):
        VOICE = "voice", "电话"
        VIDEO = "video", "视频"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="family_calls")
    worker = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name="外出务工人员"
    )
    family_member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="家人"
    )
    kind = models.CharField("方式", max_length=10, choices=Kind.choices, default=Kind.VIDEO)
    scheduled_at = models.DateTimeField("约定时间")
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    arranged_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    region_code = models.CharField("区划代码", max_length=6)

    class Meta:
        verbose_name = "亲情连线"
        verbose_name_plural = "亲情连线"

    def __str__(self) -> str:
        return f"{self.worker_id} · {self.scheduled_at:%Y-%m-%d %H:%M}"


class DoorstepJob(models.Model):
    """家门口就业: a job at the door (帮扶车间, 电商 …) for someone who stays at home."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", "帮扶车间"
        ECOMMERCE = "ecommerce", "电商"
        HANDICRAFT = "handicraft", "手工编织"
        OTHER = "other", "其他"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="doorstep_jobs")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="doorstep_jobs")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    employer = models.CharField("车间/企业", max_length=150)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    monthly_income = money_field("月收入（元）", null=True, blank=True)
    region_code = models.CharField("区划代码", max_length=6)

    class Meta:
        verbose_name = "家门口就业"
        verbose_name_plural = "家门口就业"
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="doorstep_job_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.employer}"


class Volunteer(models.Model):
    """志愿者 of a unit: skills, and hours served (recorded with activities)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="volunteers")
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("手机号码", max_length=11, blank=True)
    skills = models.JSONField("技能", default=list)
    hours_before = models.DecimalField("此前服务时长（小时）", max_digits=8, decimal_places=1, default=0)
    active = models.BooleanField("在册", default=True)
    joined_on = models.DateField("加入日期")
    region_code = models.CharField("区划代码", max_length=6)

    class Meta:
        verbose_name = "志愿者"
        verbose_name_plural = "志愿者"

    def __str__(self) -> str:
        return self.name


class ChildCare(models.Model):
    """A 留守儿童 or 事实无人抚养儿童 paired with a responsible adult and volunteers."""

    class Kind(models.TextChoices):
        LEFT_BEHIND = "left_behind", "留守儿童"
        UNATTENDED = "unattended", "事实无人抚养儿童"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="child_cares")
    child = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="child_cares")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    guardian_name = models.CharField("监护/责任人", max_length=50)
    guardian_relation = models.CharField("与儿童关系", max_length=30, blank=True)
    guardian_phone = models.CharField("责任人电话", max_length=11, blank=True)
    volunteers = models.ManyToManyField(Volunteer, blank=True, related_name="children")
    started_on = models.DateField("结对日期")
    active = models.BooleanField("有效", default=True)
    region_code = models.CharField("区划代码", max_length=6)

    class Meta:
        verbose_name = "儿童关爱结对"
        verbose_name_plural = "儿童关爱结对"
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(active=True), name="one_active_care_per_child"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child_id} · {self.get_kind_display()}"


class ChildAid(models.Model):
    """Aid granted to one child (爱心助学, 助学金 …)."""

    care = models.ForeignKey(ChildCare, on_delete=models.CASCADE, related_name="aid")
    kind = models.CharField("资助项目", max_length=50)
    amount = money_field("金额（元）")
    granted_on = models.DateField("发放日期")
    funder = models.CharField("资助方", max_length=100, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    region_code = models.CharField("区划代码", max_length=6)

    class Meta:
        verbose_name = "儿童资助"
        verbose_name_plural = "儿童资助"
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="child_aid_amount_positive")]

    def __str__(self) -> str:
        return f"{self.care_id} · {self.kind}"


class CounsellingAppointment(models.Model):
    """青少年心理辅导站: an appointment (sensitive; minors' rules)."""

    class Status(models.TextChoices):
        BOOKED = "booked", "已预约"
        DONE = "done", "已完成"
        CANCELLED = "cancelled", "已取消"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="counselling")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="counselling")
    scheduled_at = models.DateTimeField("预约时间")
    counsellor = models.CharField("辅导员", max_length=50)
    topic = models.CharField("辅导主题", max_length=200)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.BOOKED)
    note = models.CharField("辅导记录", max_length=1000, blank=True)
    booked_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    region_code = models.CharField("区划代码", max_length=6)

    class Meta:
        verbose_name = "心理辅导预约"
        verbose_name_plural = "心理辅导预约"

    def __str__(self) -> str:
        return f"{self.member_id} · {self.scheduled_at:%Y-%m-%d %H:%M}"


class ActivityKind(models.TextChoices):
    NEIGHBOURS = "neighbours", "邻里认亲"
    CULTURE = "culture", "文化活动"
    WOMEN_HOME = "women_home", "妇女之家"
    HAPPY_HOUSE = "happy_house", "快乐小屋"
    STUDY_AID = "study_aid", "爱心助学"
    SUMMER_CAMP = "summer_camp", "夏令营"
    OTHER = "other", "其他"


class Activity(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="care_activities")
    kind = models.CharField("类型", max_length=20, choices=ActivityKind.choices)
    title = models.CharField("名称", max_length=100)
    held_on = models.DateField("日期", db_index=True)
    place = models.CharField("地点", max_length=100, blank=True)
    description = models.CharField("内容", max_length=1000, blank=True)
    organiser = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    region_code = models.CharField("区划代码", max_length=6)

    class Meta:
        verbose_name = "关爱活动"
        verbose_name_plural = "关爱活动"

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class Participation(models.Model):
    """A resident or a volunteer at an activity: attended or not, hours served (volunteers)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(
        Volunteer, null=True, blank=True, on_delete=models.CASCADE, related_name="participations"
    )
    attended = models.BooleanField("出席", default=True)
    hours = models.DecimalField("服务时长（小时）", max_digits=5, decimal_places=1, default=0)

    class Meta:
        verbose_name = "活动参与"
        verbose_name_plural = "活动参与"
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(volunteer__isnull=True))
                | (Q(member__isnull=True) & Q(volunteer__isnull=False)),
                name="participant_member_xor_volunteer",
            ),
            models.UniqueConstraint(fields=["activity", "member"], name="participation_member_once"),
            models.UniqueConstraint(fields=["activity", "volunteer"], name="participation_volunteer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.member_id or self.volunteer_id}"


class RatingTitle(models.TextChoices):
    FIVE_STAR = "five_star", "五星家庭"
    CIVILISED = "civilised", "文明家庭"
    MOST_BEAUTIFUL = "most_beautiful", "最美家庭"
    TEN_STAR = "ten_star", "十星级文明户"
    FIVE_GOOD_BUILDING = "five_good_building", "五好楼栋"


HOUSEHOLD_TITLES = frozenset(RatingTitle.values) - {RatingTitle.FIVE_GOOD_BUILDING}

RATING_TITLE_EN = {
    RatingTitle.FIVE_STAR: "Five-star family",
    RatingTitle.CIVILISED: "Civilised family",
    RatingTitle.MOST_BEAUTIFUL: "Most beautiful family",
    RatingTitle.TEN_STAR: "Ten-star civilised household",
    RatingTitle.FIVE_GOOD_BUILDING: "Five-good building",
}

# Each title's published criteria (评定标准), in the order the notices list them.
STANDARD_CRITERIA = {
    RatingTitle.FIVE_STAR: ["遵纪守法", "勤劳致富", "孝老爱亲", "卫生整洁", "邻里和睦"],
    RatingTitle.CIVILISED: ["爱国守法", "移风易俗", "家风良好"],
    RatingTitle.MOST_BEAUTIFUL: ["家庭和睦", "热心公益"],
    RatingTitle.TEN_STAR: ["爱国", "守法", "诚信", "团结", "勤劳", "卫生", "孝敬", "节俭", "学习", "新风"],
    RatingTitle.FIVE_GOOD_BUILDING: ["党建引领好", "环境卫生好", "邻里关系好", "安全秩序好", "志愿服务好"],
}


class Rating(models.Model):
    """A yearly family rating, or a building's 五好楼栋: criteria met, proposed, then approved."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待审核"
        APPROVED = "approved", "已评定"
        REJECTED = "rejected", "未通过"

    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.CASCADE, related_name="ratings"
    )
    building = models.ForeignKey(
        Building, null=True, blank=True, on_delete=models.CASCADE, related_name="ratings"
    )
    # The unit the rating is scoped by: the household's unit, or the building's party branch.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("称号", max_length=30, choices=RatingTitle.choices)
    criteria = models.JSONField("评定标准", default=dict)  # {criterion: met}
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField("申报时间")
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=300, blank=True)
    region_code = models.CharField("区划代码", max_length=6)

    class Meta:
        verbose_name = "评星评优"
        verbose_name_plural = "评星评优"
        constraints = [
            models.CheckConstraint(
                condition=(Q(household__isnull=False) & Q(building__isnull=True))
                | (Q(household__isnull=True) & Q(building__isnull=False)),
                name="rating_household_xor_building",
            ),
            models.UniqueConstraint(
                fields=["household", "year", "title"], name="rating_household_once_a_year"
            ),
            models.UniqueConstraint(fields=["building", "year", "title"], name="rating_building_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_title_display()}"

    def ordered_criteria(self) -> dict[str, bool]:
        """The criteria, the title's published ones first in their order, then the others by name.

        PostgreSQL's jsonb does not keep the order the criteria were entered in, so the order is
        the notice's, the same on every database.
        """
        standard = STANDARD_CRITERIA.get(RatingTitle(self.title), [])

        def place(name: str) -> tuple[int, str]:
            return (standard.index(name) if name in standard else len(standard), name)

        return {name: self.criteria[name] for name in sorted(self.criteria, key=place)}

    def criteria_met(self) -> list[str]:
        return [name for name, met in self.ordered_criteria().items() if met]
