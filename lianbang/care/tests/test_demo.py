"""``lianbang demo_care`` fills every care page of a generated district, and only once."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from lianbang.care.models import Activity, ChildAid, Rating, VisitSchedule, Volunteer
from lianbang.policies.models import BenefitReceipt


def test_demo_care_fills_the_pages_and_a_second_run_changes_nothing(db: None) -> None:
    call_command("generate", "--households", "600", "--seed", "7", stdout=StringIO())
    out = StringIO()
    call_command("demo_care", stdout=out)
    assert VisitSchedule.objects.filter(reason="alone").exists()
    assert Volunteer.objects.count() == 170 and Activity.objects.exists() and Rating.objects.exists()
    assert BenefitReceipt.objects.exists()
    aided = ChildAid.objects.values("care__child").distinct().count()
    assert aided == 72 and ChildAid.objects.aggregate(s=Sum("amount"))["s"] == Decimal("1015100.00")
    assert "儿童资助 72 名，共 101.51 万元" in out.getvalue()
    # This year's ratings partly approved already: the building map shows stars and 五好楼栋 tags.
    this_year = Rating.objects.filter(year=timezone.localdate().year, status=Rating.Status.APPROVED)
    assert this_year.filter(household__isnull=False).exists()
    assert this_year.filter(building__isnull=False, title="five_good_building").exists()
    counts = (VisitSchedule.objects.count(), ChildAid.objects.count(), BenefitReceipt.objects.count())
    again = StringIO()
    call_command("demo_care", stdout=again)
    assert "未改动" in again.getvalue()
    assert counts == (VisitSchedule.objects.count(), ChildAid.objects.count(), BenefitReceipt.objects.count())
