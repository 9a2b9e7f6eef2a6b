"""The six-level hierarchy (六级组织), physical buildings and micro-grids (微网格)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, models

if TYPE_CHECKING:
    from django.db.models import QuerySet

PATH_SEPARATOR = "/"


def path_prefix_q(prefix: str, field: str = "path") -> models.Q:
    """Rows whose materialized path starts with ``prefix``, in a form each database indexes.

    PostgreSQL serves LIKE 'prefix%' from the varchar_pattern_ops index Django adds to an
    indexed CharField. SQLite only optimises LIKE for case-insensitive columns, so there the
    same set is asked for as a range: paths hold digits and "/", and "0" follows "/".
    """
    if connection.vendor == "sqlite":
        upper = prefix[:-1] + chr(ord(PATH_SEPARATOR) + 1)
        return models.Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})
    return models.Q(**{f"{field}__startswith": prefix})


class UnitQuerySet(models.QuerySet["Unit"]):
    def subtree(self, unit: Unit) -> QuerySet[Unit]:
        """The unit and everything below it: one index range scan on the path."""
        return self.filter(path_prefix_q(unit.path))

    def descendants(self, unit: Unit) -> QuerySet[Unit]:
        return self.subtree(unit).exclude(pk=unit.pk)


class Unit(models.Model):
    """An administrative unit with its party organisation (党建引领)."""

    class Level(models.IntegerChoices):
        DISTRICT = 1, "区"
        STREET = 2, "街道"
        COMMUNITY = 3, "社区"
        AREA = 4, "片区"
        BRANCH = 5, "楼栋党支部"
        FLOOR_GROUP = 6, "楼层党小组"

    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    name = models.CharField("名称", max_length=100)
    code = models.CharField("区划/统计代码", max_length=12, blank=True)
    party_org_name = models.CharField("党组织名称", max_length=150, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialized path "/1/4/17/": a subtree is one prefix scan. The column is indexed;
    # PostgreSQL gets a varchar_pattern_ops twin from Django so LIKE 'prefix%' uses it.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    region_code = models.CharField("区划代码", max_length=6)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=6), name="unit_level_in_range"
            ),
            models.UniqueConstraint(fields=["parent", "name"], name="unit_name_unique_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count(PATH_SEPARATOR) - 1

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)]


class Building(models.Model):
    """A physical building (楼栋); a building party branch covers one or more of them."""

    branch = models.ForeignKey(
        Unit, verbose_name="楼栋党支部", on_delete=models.PROTECT, related_name="buildings"
    )
    number = models.CharField("楼栋号", max_length=20)
    name = models.CharField("名称", max_length=100)
    entrance_count = models.PositiveSmallIntegerField("单元数", default=1)
    floor_count = models.PositiveSmallIntegerField("层数")
    rooms_per_floor = models.PositiveSmallIntegerField("每层户数")
    region_code = models.CharField("区划代码", max_length=6)

    class Meta:
        verbose_name = "楼栋"
        verbose_name_plural = "楼栋"
        ordering = ["branch_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "number"], name="building_number_unique"),
            models.CheckConstraint(
                condition=models.Q(floor_count__gte=1, rooms_per_floor__gte=1, entrance_count__gte=1),
                name="building_has_rooms",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def capacity(self) -> int:
        return self.entrance_count * self.floor_count * self.rooms_per_floor


class MicroGrid(models.Model):
    """A micro-grid (微网格): ~15 households in one building, served by one grid worker."""

    unit = models.ForeignKey(Unit, verbose_name="楼层党小组", on_delete=models.PROTECT, related_name="grids")
    building = models.ForeignKey(
        Building, verbose_name="楼栋", on_delete=models.PROTECT, related_name="grids"
    )
    code = models.CharField("网格编号", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="微网格员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grids",
    )
    region_code = models.CharField("区划代码", max_length=6)

    class Meta:
        verbose_name = "微网格"
        verbose_name_plural = "微网格"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
