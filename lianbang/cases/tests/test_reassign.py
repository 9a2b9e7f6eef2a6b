"""Open matters follow the grid worker: a grid given to another worker, a household moved to
another grid (the grid screen or a household save) hand its open cases over, with a timeline
event, its audit entry and a note to the new worker; the old worker's phone drops the household."""

from __future__ import annotations

from lianbang.accounts.models import Role
from lianbang.audit.models import AuditEntry
from lianbang.cases.models import Case, CaseEvent, Notification
from lianbang.cases.tests.conftest import Cast, Opener, _user, family, save
from lianbang.common.errors import ApplicationError
from lianbang.org.models import MicroGrid
from lianbang.org.services import grid_assign_worker
from lianbang.registry.batch import households_save_documents
from lianbang.registry.models import Household
from lianbang.registry.services import household_grid_move
from lianbang.sync.models import ScopeExit


def _handed_over(case: Case, old: int, new: int) -> None:
    case.refresh_from_db()
    assert case.assignee_id == new
    event = CaseEvent.objects.get(case=case, type="reassigned")
    assert event.payload["assignee"] == [old, new]
    assert AuditEntry.objects.filter(action="case.reassigned", object_id=str(case.pk)).count() == 1
    assert Notification.objects.filter(user_id=new, case=case, kind="assigned").exists()


def test_a_grid_given_to_another_worker_hands_its_open_cases_over(cast: Cast, open_case: Opener) -> None:
    case = open_case(family(water_safe=False))
    assert case.assignee_id == cast.grid_worker.pk
    successor = _user("xinwangge", Role.GRID_WORKER, cast.tree.floor_group)

    grid_assign_worker(actor=cast.district, grid=cast.tree.grid, worker=successor)

    _handed_over(case, cast.grid_worker.pk, successor.pk)


def _second_grid(cast: Cast) -> tuple[MicroGrid, int]:
    worker = _user("xinwangge", Role.GRID_WORKER, cast.tree.floor_group)
    grid = MicroGrid.objects.create(
        unit=cast.tree.floor_group,
        building=cast.tree.building,
        code="G-0002",
        name="7栋第2网格",
        region_code="530113",
        worker=worker,
    )
    return grid, worker.pk


def test_a_household_moved_on_the_grid_screen_takes_its_open_cases_to_the_new_worker(
    cast: Cast, open_case: Opener
) -> None:
    case = open_case(family(water_safe=False))
    grid, worker = _second_grid(cast)

    household_grid_move(households=[case.household], grid=grid, actor=cast.district)

    _handed_over(case, cast.grid_worker.pk, worker)
    assert ScopeExit.objects.filter(user=cast.grid_worker, household=case.household).count() == 1


def test_a_household_saved_into_another_grid_records_the_exit_and_hands_its_cases_over(
    cast: Cast, open_case: Opener
) -> None:
    document = family(water_safe=False)
    case = open_case(document)
    _, worker = _second_grid(cast)
    document["grid"] = "G-0002"

    save(document)

    assert Household.objects.get(pk=case.household_id).grid_id == MicroGrid.objects.get(code="G-0002").pk
    assert ScopeExit.objects.filter(user=cast.grid_worker, household=case.household).count() == 1
    _handed_over(case, cast.grid_worker.pk, worker)


def test_a_case_someone_else_holds_stays_with_them(cast: Cast, open_case: Opener) -> None:
    case = open_case(family(water_safe=False))
    Case.objects.filter(pk=case.pk).update(assignee=cast.community)
    successor = _user("xinwangge", Role.GRID_WORKER, cast.tree.floor_group)

    grid_assign_worker(actor=cast.district, grid=cast.tree.grid, worker=successor)

    case.refresh_from_db()
    assert case.assignee_id == cast.community.pk
    assert not CaseEvent.objects.filter(case=case, type="reassigned").exists()


def test_a_household_imported_into_another_grid_records_the_exit_and_hands_its_cases_over(
    cast: Cast, open_case: Opener
) -> None:
    """The batch save (imports) does what the one-by-one save does."""
    document = family(water_safe=False)
    case = open_case(document)
    _, worker = _second_grid(cast)
    document["grid"] = "G-0002"

    [result] = households_save_documents(documents=[document], actor=None)

    assert not isinstance(result, ApplicationError) and result.outcome == "updated"
    assert ScopeExit.objects.filter(user=cast.grid_worker, household=case.household).count() == 1
    _handed_over(case, cast.grid_worker.pk, worker)
