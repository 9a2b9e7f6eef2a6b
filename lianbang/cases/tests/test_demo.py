"""``lianbang demo_cases`` on a small generated district."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from lianbang.cases.models import Case, CaseEvent
from lianbang.cases.workflow import WORKFLOWS


def test_demo_cases_fill_the_board_and_a_second_run_changes_nothing(db: None) -> None:
    call_command("generate", "--households", "400", "--seed", "7", stdout=StringIO())
    call_command("evaluate", "--all", stdout=StringIO())
    out = StringIO()
    call_command("demo_cases", stdout=out)
    assert "risk:tracking" in out.getvalue()

    states = set(Case.objects.values_list("kind", "state"))
    for kind in ("request", "dispute", "enterprise"):
        assert {(kind, s.code) for s in WORKFLOWS[kind].states} <= states
    expected = {
        "discovered",
        "verifying",
        "identification",
        "assistance",
        "tracking",
        "eliminated",
        "not_identified",
    }
    assert {("risk", s) for s in expected} <= states
    assert Case.objects.filter(escalations__gte=1).exists()
    assert not CaseEvent.objects.filter(at__gt=timezone.now()).exists()  # nothing in the future

    events = CaseEvent.objects.count()
    again = StringIO()
    call_command("demo_cases", stdout=again)
    assert "nothing changed" in again.getvalue() and CaseEvent.objects.count() == events
