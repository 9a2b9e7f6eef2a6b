"""The rules the database itself holds, whatever code writes: one active head per household and one
active registration per ID number. The services check both first; these partial unique indexes
are the last line (a migration once dropped them silently when it altered their columns)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from lianbang.accounts.tests.cast import valid_id
from lianbang.conftest import Tree
from lianbang.registry.models import Member
from lianbang.registry.services import household_save_document

pytestmark = pytest.mark.django_db


def _head(document: dict[str, Any]) -> Member:
    household = household_save_document(data=document).household
    return household.members.get(relation="head")


def _copy_of(member: Member, **changes: Any) -> Member:
    copy = Member.objects.get(pk=member.pk)
    copy.pk = None
    for field, value in changes.items():
        setattr(copy, field, value)
    return copy


def test_a_second_active_head_is_refused_by_the_database(tree: Tree, document: dict[str, Any]) -> None:
    head = _head(document)
    second = _copy_of(head, id_number=valid_id("53011319800101001"), name="张二")
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    second.status = "moved_out"
    second.save()  # a head who moved out is no longer the active one
    assert head.household.members.filter(relation="head", status="active").count() == 1


def test_an_id_number_active_twice_is_refused_by_the_database(tree: Tree, document: dict[str, Any]) -> None:
    head = _head(document)
    twin = _copy_of(head, relation="spouse")
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    twin.status = "deceased"
    twin.save()  # the same ID may stay on record inactive
    assert Member.objects.filter(id_number=head.id_number, status="active").count() == 1
