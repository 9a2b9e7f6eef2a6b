from __future__ import annotations

import pytest
from django.db import connection

from lianbang.common.errors import ApplicationError
from lianbang.conftest import Tree
from lianbang.org.models import Unit
from lianbang.org.services import unit_create, unit_move


def test_a_subtree_holds_the_unit_and_everything_below(tree: Tree) -> None:
    names = list(Unit.objects.subtree(tree.community).values_list("name", flat=True))
    assert names == ["和谐社区", "第一片区", "7栋党支部", "7栋1-6层党小组"]
    assert Unit.objects.descendants(tree.floor_group).count() == 0


def test_a_sibling_with_a_similar_id_is_not_in_the_subtree(tree: Tree) -> None:
    # Paths end with a separator, so unit 1 never captures units 10–19.
    for n in range(12):
        unit_create(level=2, name=f"街道{n}", parent=tree.district)
    first = Unit.objects.filter(level=2).order_by("pk").first()
    assert first is not None
    assert set(Unit.objects.subtree(first).values_list("level", flat=True)) == {2, 3, 4, 5, 6}


def test_moving_a_unit_re_parents_its_whole_subtree(tree: Tree) -> None:
    other_community = unit_create(level=3, name="幸福社区", parent=tree.street)
    unit_move(unit=tree.area, new_parent=other_community)
    moved = list(Unit.objects.subtree(other_community).values_list("name", flat=True))
    assert moved == ["幸福社区", "第一片区", "7栋党支部", "7栋1-6层党小组"]
    assert not Unit.objects.descendants(tree.community).exists()
    tree.floor_group.refresh_from_db()
    assert tree.floor_group.ancestor_ids()[:3] == [tree.district.pk, tree.street.pk, other_community.pk]


def test_a_unit_cannot_move_under_a_parent_of_the_wrong_level(tree: Tree) -> None:
    with pytest.raises(ApplicationError) as caught:
        unit_move(unit=tree.area, new_parent=tree.street)
    assert "社区" in caught.value.message


def test_a_unit_needs_a_parent_one_level_up(tree: Tree) -> None:
    with pytest.raises(ApplicationError):
        unit_create(level=4, name="孤立片区", parent=tree.street)


def test_subtree_queries_use_the_path_index(tree: Tree) -> None:
    sql, params = Unit.objects.subtree(tree.community).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {'QUERY PLAN ' if connection.vendor == 'sqlite' else ''}{sql}", params)
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "org_unit_path" in plan, plan
    assert "SCAN org_unit " not in plan, plan
