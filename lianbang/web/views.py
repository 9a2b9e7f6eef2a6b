"""Server-rendered pages until the console (Vue) arrives: the user's scope and a drill-down."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lianbang.accounts.models import User
from lianbang.org.models import Unit
from lianbang.org.selectors import unit_children_figures, unit_figures, unit_visible_to, units_of_user
from lianbang.registry.models import Household


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    roots = list(units_of_user(user))
    if len(roots) == 1:
        return redirect("web:unit", unit_id=roots[0].pk)
    if not roots and user.is_superuser:
        root = Unit.objects.filter(parent=None).order_by("pk").first()
        if root is not None:
            return redirect("web:unit", unit_id=root.pk)
    figures = [unit_figures(unit) for unit in roots]
    return render(request, "web/home.html", {"figures": figures})


@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = unit_visible_to(_user(request), unit_id)
    if unit is None:
        raise Http404
    context = {
        "unit": unit,
        "figures": unit_figures(unit),
        "breadcrumb": _visible_ancestors(_user(request), unit),
        "children": unit_children_figures(unit),
        "households": _households_of(unit) if unit.level == Unit.Level.FLOOR_GROUP else [],
    }
    return render(request, "web/unit.html", context)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _visible_ancestors(user: User, unit: Unit) -> list[Unit]:
    ancestors = Unit.objects.filter(pk__in=unit.ancestor_ids()[:-1]).order_by("level")
    return [a for a in ancestors if unit_visible_to(user, a.pk) is not None]


def _households_of(unit: Unit) -> list[Household]:
    return list(
        Household.objects.filter(unit=unit, status="active")
        .select_related("building", "grid")
        .order_by("grid__code", "household_no")[:500]
    )
