"""Server-rendered pages until the console (Vue) arrives: the user's scope and a drill-down.

Every read goes through ``lianbang.accounts.scope``; what lies outside it answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from lianbang.accounts.login import password_set_by_owner
from lianbang.accounts.masking import mask_row
from lianbang.accounts.models import Assignment, Permission, Role, SecurityNotice, User
from lianbang.accounts.scope import (
    grants_of,
    has_permission,
    household_for,
    households_for,
    root_units,
    unit_for,
    units_for,
)
from lianbang.accounts.sensitive import HOUSEHOLD_FIELDS, MEMBER_FIELDS, break_glass, reveal_value
from lianbang.common.errors import ApplicationError
from lianbang.mobile.selectors import visits_recent
from lianbang.org.selectors import unit_children_figures, unit_figures
from lianbang.registry.models import Household, Member
from lianbang.registry.vocab import HouseholdStatus
from lianbang.web.decorators import permission_page

LIST_LIMIT = 500


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a login lands: officials (who see units) on the console, grid workers on the phone
    app, everyone else (departments, helpers) on the server-rendered overview."""
    user = _user(request)
    if has_permission(user, Permission.UNIT_VIEW):
        return redirect("web:console")
    if any(grant.role == Role.GRID_WORKER for grant in grants_of(user)):
        return redirect("web:mobile")
    return overview(request)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The server-rendered scope page: security notices, the units' figures or one's households."""
    user = _user(request)
    roots = root_units(user)
    notices = list(_notices_for(user))
    if len(roots) == 1 and not notices:
        return redirect("web:unit", unit_id=roots[0].pk)
    context = {
        "figures": [unit_figures(unit) for unit in roots],
        "households": [] if roots else _household_list(households_for(user)),
        "notices": notices,
    }
    return render(request, "web/home.html", context)


@permission_page(Permission.UNIT_VIEW)
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = _user(request)
    unit = unit_for(user, unit_id)
    if unit is None:
        raise Http404
    context = {
        "unit": unit,
        "figures": unit_figures(unit),
        "breadcrumb": list(units_for(user).filter(pk__in=unit.ancestor_ids()[:-1]).order_by("level")),
        "children": unit_children_figures(unit),
        "households": _household_list(households_for(user).filter(unit=unit)),
    }
    return render(request, "web/unit.html", context)


@login_required
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    return _household_page(request, household_id)


@require_POST
@login_required
def household_reveal(request: HttpRequest, household_id: int) -> HttpResponse:
    """Show one masked value, once, for a reason; the reveal is in the audit log."""
    field, member_id = _reveal_target(str(request.POST.get("target", "")))
    try:
        revealed = reveal_value(
            user=_user(request),
            household_id=household_id,
            field=field,
            member_id=member_id,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except ApplicationError as error:
        if error.status == 404:
            raise Http404 from error
        return _household_page(request, household_id, error=error.message, status=400)
    return render(request, "web/reveal.html", {"revealed": revealed, "household_id": household_id})


@permission_page(Permission.BREAK_GLASS)
def break_glass_page(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            grant = break_glass(
                user=_user(request),
                household_no=request.POST.get("household_no", ""),
                reason=request.POST.get("reason", ""),
                request=request,
            )
        except ApplicationError as failure:
            error = failure.message
        else:
            messages.warning(
                request,
                _("紧急访问已记录并报告上级，有效期至 %(until)s") % {"until": _time(grant.expires_at)},
            )
            return redirect("web:household", household_id=grant.household_id)
    context = {"error": error, "household_no": request.POST.get("household_no", "")}
    return render(request, "web/break_glass.html", context, status=400 if error else 200)


@login_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def account_password(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_set_by_owner(request=request, user=user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改"))
        return redirect("web:home")
    return render(request, "web/password.html", {"form": form, "forced": False})


def _household_page(
    request: HttpRequest, household_id: int, error: str = "", status: int = 200
) -> HttpResponse:
    user = _user(request)
    household = household_for(user, household_id)
    if household is None:
        raise Http404
    members = list(household.members.order_by("pk"))
    can_reveal = household_for(user, household_id, Permission.SENSITIVE_REVEAL) is not None
    context = {
        "household": household,
        "phone": mask_row({"phone": household.phone}, today=timezone.localdate())["phone"],
        "members": [_member_row(m) for m in members],
        "targets": _reveal_targets(members) if can_reveal else [],
        "error": error,
        "visits": visits_recent(household),
    }
    return render(request, "web/household.html", context, status=status)


def _member_row(member: Member) -> dict[str, Any]:
    plain = {
        "name": member.name,
        "relation": member.get_relation_display(),
        "sex": member.get_sex_display(),
        "id_number": member.id_number,
        "birth_date": member.birth_date.isoformat(),
        "health": member.get_health_display(),
        "schooling": member.get_schooling_display(),
        "labor_skill": member.get_labor_skill_display(),
        "status": member.get_status_display(),
    }
    return mask_row(plain, today=timezone.localdate())


def _reveal_targets(members: list[Member]) -> list[tuple[str, str]]:
    targets = [(f"household::{field}", label) for field, label in HOUSEHOLD_FIELDS.items()]
    for member in members:
        name = mask_row({"name": member.name, "birth_date": member.birth_date}, today=timezone.localdate())
        targets += [
            (f"member:{member.pk}:{field}", f"{name['name']} · {label}")
            for field, label in MEMBER_FIELDS.items()
        ]
    return targets


def _reveal_target(raw: str) -> tuple[str, str | None]:
    kind, _, rest = raw.partition(":")
    member_id, _, field = rest.partition(":")
    return field, (member_id if kind == "member" else None)


def _household_list(households: Any) -> list[Household]:
    return list(
        households.filter(status=HouseholdStatus.ACTIVE)
        .select_related("building", "grid")
        .order_by("grid__code", "household_no")[:LIST_LIMIT]
    )


def _notices_for(user: User) -> Any:
    units = Assignment.objects.filter(user=user).values("unit_id")
    return SecurityNotice.objects.filter(unit_id__in=units).select_related("unit")[:20]


def _time(moment: Any) -> str:
    return str(timezone.localtime(moment).strftime("%H:%M"))


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user
