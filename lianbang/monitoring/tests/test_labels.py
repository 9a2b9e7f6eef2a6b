"""The label taxonomy: its default shape, computed labels that follow the data, manual labels
that people set, administrators' edits, and the generated docs/labels.md."""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from lianbang.accounts.models import User
from lianbang.common.errors import ApplicationError
from lianbang.monitoring.bulk import households_evaluate_all
from lianbang.monitoring.conditions import validate_condition
from lianbang.monitoring.engine import household_evaluate
from lianbang.monitoring.labels import (
    household_label_clear,
    household_label_set,
    label_create,
    label_update,
)
from lianbang.monitoring.models import HouseholdLabel, HouseholdLight, Label, LabelCategory
from lianbang.monitoring.tests.builders import D, green_family, household, income, job, member
from lianbang.registry.models import Household, Member
from lianbang.registry.services import household_save_document

pytestmark = pytest.mark.usefixtures("tree")

Document = dict[str, Any]


def label_codes(document: Document) -> set[str]:
    """Save the household, judge it on D (2026-11-29) and list the codes of its labels."""
    saved = household_save_document(data=copy.deepcopy(document), today=D)
    household_evaluate(household_id=saved.household.pk, cause="test", as_of=date(2026, 11, 29))
    return codes_of(saved.household)


def codes_of(target: Household) -> set[str]:
    return set(HouseholdLabel.objects.filter(household=target).values_list("label__code", flat=True))


def label(code: str) -> Label:
    return Label.objects.get(code=code)


@pytest.fixture
def family() -> Document:
    return green_family()


@pytest.fixture
def worker() -> User:
    return User.objects.create_user(username="grid0001", full_name="王网格")


# ---------------------------------------------------------------------------------------------
# The default taxonomy


def test_the_default_taxonomy_has_7_categories_13_subcategories_and_137_labels() -> None:
    categories = LabelCategory.objects.filter(parent=None)
    subcategories = LabelCategory.objects.filter(parent__isnull=False)
    assert (categories.count(), subcategories.count(), Label.objects.count()) == (7, 13, 137)
    assert not subcategories.filter(parent__parent__isnull=False).exists()
    assert not Label.objects.filter(subcategory__parent=None).exists()


def test_the_categories_and_subcategories_are_those_the_district_uses() -> None:
    tree = {
        category.name: [sub.name for sub in category.subcategories.order_by("position")]
        for category in LabelCategory.objects.filter(parent=None).order_by("position")
    }
    assert tree == {
        "家庭基本": ["户类别", "家庭结构"],
        "人口特征": ["年龄段（老中青幼）", "特殊身份"],
        "健康医疗": ["健康状况", "医疗保障"],
        "教育": ["在校与文化程度"],
        "就业": ["就业状态", "劳动技能与培训"],
        "收入保障": ["收入水平", "社会保障"],
        "风险帮扶": ["风险类型", "帮扶措施"],
    }


def test_every_computed_label_has_a_valid_condition_and_every_manual_label_has_none() -> None:
    for each in Label.objects.all():
        if each.kind == Label.Kind.COMPUTED:
            validate_condition(each.condition, path=each.code)
        else:
            assert each.condition is None, each.code


def test_every_label_has_a_snake_case_code_a_name_and_a_description() -> None:
    for each in Label.objects.all():
        assert each.code.replace("_", "").isalnum() and each.code.islower(), each.code
        assert each.name and each.description and each.active, each.code


def test_the_labels_a_district_asked_for_are_there_and_computed_where_the_registry_has_the_data() -> None:
    kinds = dict(Label.objects.values_list("name", "kind"))
    computed = "独居老人 空巢老人 事实无人抚养儿童 重度残疾 大病患者 零就业家庭 省外务工 公益性岗位 低保户"
    computed += " 收入临界 收入数据缺失 近期大病"
    manual = "留守儿童 留守老人 需心理疏导 有就业意愿 有培训意愿 已结对帮扶 五星家庭"
    assert {kinds[name] for name in computed.split()} == {"computed"}
    assert {kinds[name] for name in manual.split()} == {"manual"}


# ---------------------------------------------------------------------------------------------
# Computed labels follow the data


def busy_family() -> Document:
    """Six people with a bit of everything: an old disabled father, a newborn, a dropout …"""
    family = green_family()
    family.update(monitoring_type="边缘易致贫户", housing_safe=False, military_family=True)
    father = member(
        date(1940, 2, 1),
        relation="之父",
        health="残疾",
        disability_type="肢体",
        disability_grade=1,
        labor_skill="丧失劳动力",
        education="文盲或半文盲",
        medical_insurance=False,
    )
    baby = member(
        date(2026, 10, 1),
        male=False,
        relation="之女",
        labor_skill="无劳动力",
        education=None,
        schooling="学龄前儿童",
        medical_insurance=False,
    )
    family["members"] = [
        member(
            date(1985, 4, 1),
            relation="户主",
            political_status="中共党员",
            employment={**job(), "location": "省外", "monthly_wage": 1500},
        ),
        member(date(1987, 5, 1), male=False, relation="配偶", education="文盲或半文盲"),
        father,
        member(date(2010, 1, 1), relation="之子", labor_skill="无劳动力", education=None, schooling="中职"),
        member(
            date(2016, 6, 1),
            male=False,
            relation="之女",
            labor_skill="无劳动力",
            education=None,
            schooling="辍学",
        ),
        baby,
    ]
    family["incomes"] = [income(2025, 60000, size=6), income(2026, 30000, size=6)]
    family["events"] = [
        {"type": "serious_illness", "date": "2026-10-10", "id_number": father["id_number"]},
        {"type": "birth", "date": "2026-10-01", "id_number": baby["id_number"]},
    ]
    return family


def test_the_whole_taxonomy_runs_on_this_database_and_labels_a_busy_family() -> None:
    codes = label_codes(busy_family())
    expected = (
        "lifted_out monitored_household marginal_poverty military_family large_family "
        "three_generations infant advanced_age party_member_household severe_disability "
        "medical_uninsured newborn_uninsured rain_dew_plan dropout compulsory_dropout "
        "out_of_province_work low_wage unemployed_woman illiterate_labour below_line income_drop "
        "below_line_without_dibao severe_disabled_not_in_dibao housing_unsafe "
        "recent_serious_illness recent_birth"
    )
    assert codes >= set(expected.split())
    absent = "ordinary_household single_person income_missing zero_employment living_alone_elderly"
    assert codes.isdisjoint(absent.split())


def test_the_bulk_path_gives_the_same_labels_as_the_one_household_path() -> None:
    one_by_one = label_codes(busy_family())
    HouseholdLabel.objects.all().delete()
    HouseholdLight.objects.all().delete()
    households_evaluate_all(as_of=D, cause="test")
    assert codes_of(household()) == one_by_one
    assert held_in_light(household()) == one_by_one


def held_in_light(target: Household) -> set[str]:
    """The label set the light row keeps (what a bulk run compares), as codes."""
    ids = HouseholdLight.objects.get(household=target).labels or []
    return set(Label.objects.filter(pk__in=ids).values_list("code", flat=True))


def test_a_bulk_run_relabels_the_household_whose_data_changed_and_leaves_the_others(
    family: Document,
) -> None:
    neighbour = {**green_family(), "household_no": "530113-900002"}
    neighbour["address"] = {**neighbour["address"], "room": "202"}
    label_codes(neighbour)
    assert "zero_employment" not in label_codes(family)
    untouched = set(HouseholdLabel.objects.exclude(household=household()).values_list("pk", "set_at"))
    # Both jobs end in a way no registry service sees (a script, a fix in the database): only
    # a full run (``evaluate --all --full``) judges a household its services did not report.
    Member.objects.filter(household=household()).update(work_location="")
    households_evaluate_all(as_of=D, cause="test", full=True)
    assert "zero_employment" in codes_of(household())
    assert held_in_light(household()) == codes_of(household())
    assert set(HouseholdLabel.objects.exclude(household=household()).values_list("pk", "set_at")) == untouched


def live_alone(family: Document) -> None:
    """The family moves away; an old man who cannot work lives in the flat on his own."""
    for person in family["members"]:
        person["status"] = "moved_out"
    family["members"].append(member(date(1950, 3, 1), relation="户主", labor_skill="丧失劳动力"))
    family["incomes"] = [income(2026, 20000, size=1)]


def son_moves_in(family: Document) -> None:
    family["members"].append(member(date(1990, 3, 1), relation="之子", employment=job()))


def lose_both_jobs(family: Document) -> None:
    for person in family["members"][:2]:
        person.pop("employment")


def find_a_job(family: Document) -> None:
    family["members"][1]["employment"] = job()


def no_income_records(family: Document) -> None:
    family["incomes"] = []


def record_an_income(family: Document) -> None:
    family["incomes"] = [income(2026, 60000)]


def disabled_grade(grade: int) -> Callable[[Document], None]:
    def change(family: Document) -> None:
        family["members"][0].update(health="残疾", disability_type="肢体", disability_grade=grade)

    return change


def work_in(location: str) -> Callable[[Document], None]:
    def change(family: Document) -> None:
        family["members"][0]["employment"] = {**job(), "location": location}

    return change


@pytest.mark.parametrize(
    "code,give,take_away",
    [
        pytest.param("living_alone_elderly", live_alone, son_moves_in, id="living_alone_elderly"),
        pytest.param("zero_employment", lose_both_jobs, find_a_job, id="zero_employment"),
        pytest.param("income_missing", no_income_records, record_an_income, id="income_missing"),
        pytest.param("severe_disability", disabled_grade(2), disabled_grade(3), id="severe_disability"),
        pytest.param("out_of_province_work", work_in("省外"), work_in("县外省内"), id="out_of_province_work"),
    ],
)
def test_a_computed_label_lands_on_the_household_and_leaves_when_its_data_changes(
    family: Document, code: str, give: Callable[[Document], None], take_away: Callable[[Document], None]
) -> None:
    give(family)
    assert code in label_codes(family)
    take_away(family)
    assert code not in label_codes(family)


def test_a_grade_3_disability_is_mild_not_severe(family: Document) -> None:
    disabled_grade(3)(family)
    codes = label_codes(family)
    assert {"disabled_household", "mild_disability"} <= codes
    assert "severe_disability" not in codes


def test_moving_from_out_of_province_to_the_province_changes_the_work_label(family: Document) -> None:
    work_in("省外")(family)
    label_codes(family)
    work_in("县外省内")(family)
    assert "in_province_work" in label_codes(family)


# ---------------------------------------------------------------------------------------------
# Manual labels


def test_a_grid_worker_sets_a_manual_label_and_it_keeps_who_and_when(family: Document, worker: User) -> None:
    label_codes(family)
    before = timezone.now()
    held = household_label_set(household=household(), label=label("left_behind_child"), actor=worker)
    held.refresh_from_db()
    assert held.set_by == worker
    assert before <= held.set_at <= timezone.now()
    assert held.region_code == household().region_code


def test_setting_a_manual_label_again_keeps_the_first_setter(family: Document, worker: User) -> None:
    label_codes(family)
    first = household_label_set(household=household(), label=label("wants_job"), actor=worker)
    other = User.objects.create_user(username="grid0002")
    again = household_label_set(household=household(), label=label("wants_job"), actor=other)
    assert again.pk == first.pk
    assert HouseholdLabel.objects.get(household=household(), label__code="wants_job").set_by == worker


def test_re_evaluation_leaves_manual_labels_alone(family: Document, worker: User) -> None:
    label_codes(family)
    household_label_set(household=household(), label=label("needs_counselling"), actor=worker)
    lose_both_jobs(family)
    assert {"needs_counselling", "zero_employment"} <= label_codes(family)
    households_evaluate_all(as_of=D, cause="test")
    held = HouseholdLabel.objects.get(household=household(), label__code="needs_counselling")
    assert held.set_by == worker


def test_label_rows_never_point_at_a_household_or_label_that_is_gone(family: Document, worker: User) -> None:
    """The label rows' keys have no database constraint (the bulk writes' speed). A household
    with a record cannot be deleted at all, and a label deleted through the ORM takes its rows
    with it."""
    assert label_codes(family)
    held = household_label_set(household=household(), label=label("paired_assistance"), actor=worker)
    with pytest.raises(ProtectedError), transaction.atomic():
        household().delete()
    assert HouseholdLabel.objects.filter(household=household()).count() > 1
    label("paired_assistance").delete()
    assert not HouseholdLabel.objects.filter(pk=held.pk).exists()


def test_clearing_a_manual_label_removes_it_and_clearing_again_is_harmless(
    family: Document, worker: User
) -> None:
    label_codes(family)
    household_label_set(household=household(), label=label("paired_assistance"), actor=worker)
    assert household_label_clear(household=household(), label=label("paired_assistance"), actor=worker)
    assert not household_label_clear(household=household(), label=label("paired_assistance"), actor=worker)
    assert "paired_assistance" not in codes_of(household())


@pytest.mark.parametrize("service", [household_label_set, household_label_clear])
def test_a_computed_label_cannot_be_set_or_cleared_by_hand(
    family: Document, worker: User, service: Callable[..., object]
) -> None:
    before = label_codes(family)
    with pytest.raises(ApplicationError) as refused:
        service(household=household(), label=label("income_missing"), actor=worker)
    assert refused.value.code == "label_computed"
    assert "自动计算" in refused.value.message and "computed" in refused.value.message_en
    assert codes_of(household()) == before


def test_an_inactive_manual_label_cannot_be_set(family: Document, worker: User) -> None:
    label_codes(family)
    label_update(label=label("orphan"), active=False)
    with pytest.raises(ApplicationError) as refused:
        household_label_set(household=household(), label=label("orphan"), actor=worker)
    assert refused.value.code == "label_inactive"


# ---------------------------------------------------------------------------------------------
# Administrators define labels


def age_group() -> LabelCategory:
    return LabelCategory.objects.get(code="age_group")


NINETY_PLUS = {
    "any_member": {
        "all": [{"fact": "active", "op": "=", "value": True}, {"fact": "age", "op": ">=", "value": 90}]
    }
}


def test_a_new_computed_label_applies_from_the_next_evaluation(family: Document) -> None:
    created = label_create(
        subcategory=age_group(),
        code="nonagenarian",
        name="九十岁以上老人",
        kind="computed",
        condition=NINETY_PLUS,
        description="有90周岁及以上在册成员",
    )
    assert created.position == age_group().labels.count() - 1
    family["members"].append(member(date(1934, 1, 1), relation="之祖父", labor_skill="无劳动力"))
    assert "nonagenarian" in label_codes(family)


def test_an_invalid_condition_is_refused_with_its_path() -> None:
    condition = {
        "all": [
            {"fact": "active_members", "op": ">=", "value": 1},
            {"fact": "salary", "op": ">", "value": 3000},
        ]
    }
    with pytest.raises(ApplicationError) as refused:
        label_create(
            subcategory=age_group(), code="rich", name="高收入", kind="computed", condition=condition
        )
    assert [p.path for p in refused.value.problems] == ["condition.all[1].fact"]
    assert not Label.objects.filter(code="rich").exists()


def test_an_invalid_condition_on_update_is_refused_and_the_label_is_unchanged() -> None:
    original = label("single_person").condition
    with pytest.raises(ApplicationError) as refused:
        label_update(label=label("single_person"), condition={"fact": "age", "op": ">=", "value": 60})
    assert [p.path for p in refused.value.problems] == ["condition.fact"]
    assert label("single_person").condition == original


def test_an_administrator_renames_a_label_and_changes_its_condition() -> None:
    label_update(
        label=label("large_family"),
        name="大家庭(≥7人)",
        condition={"fact": "active_members", "op": ">=", "value": 7},
    )
    changed = label("large_family")
    assert (changed.name, changed.condition["value"]) == ("大家庭(≥7人)", 7)


def test_switching_a_computed_label_off_takes_it_off_every_household(family: Document) -> None:
    assert "lifted_out" in label_codes(family)
    label_update(label=label("lifted_out"), active=False)
    assert "lifted_out" not in codes_of(household())
    assert "lifted_out" not in label_codes(family)


def test_a_computed_label_switched_off_and_on_again_is_back_after_the_next_bulk_run(
    family: Document,
) -> None:
    label_codes(family)
    households_evaluate_all(as_of=D, cause="test")
    label_update(label=label("lifted_out"), active=False)
    label_update(label=label("lifted_out"), active=True)
    assert "lifted_out" not in codes_of(household())
    households_evaluate_all(as_of=D, cause="test")
    assert "lifted_out" in codes_of(household())


@pytest.mark.parametrize(
    "fields,path",
    [
        ({"kind": "manual", "condition": NINETY_PLUS}, "condition"),
        ({"kind": "computed", "condition": None}, "condition"),
        ({"kind": "sometimes", "condition": None}, "kind"),
        ({"kind": "manual", "code": "Bad Code"}, "code"),
        ({"kind": "manual", "code": "single_person"}, "code"),
        ({"kind": "manual", "name": " "}, "name"),
        ({"kind": "manual", "subcategory": "demographics"}, "subcategory"),
    ],
)
def test_a_bad_label_definition_is_refused_naming_the_field(fields: dict[str, Any], path: str) -> None:
    values: dict[str, Any] = {"subcategory": age_group(), "code": "new_label", "name": "新标签", **fields}
    if isinstance(values["subcategory"], str):
        values["subcategory"] = LabelCategory.objects.get(code=values["subcategory"])
    with pytest.raises(ApplicationError) as refused:
        label_create(**values)
    assert path in [p.path for p in refused.value.problems]
    assert Label.objects.count() == 137


# ---------------------------------------------------------------------------------------------
# docs/labels.md


def test_the_checked_in_labels_document_is_what_the_command_produces() -> None:
    out = io.StringIO()
    call_command("labels_doc", stdout=out)
    checked_in = Path(settings.BASE_DIR, "docs", "labels.md").read_text(encoding="utf-8")
    assert out.getvalue() == checked_in, (
        "docs/labels.md is stale: run `lianbang labels_doc --output docs/labels.md`"
    )


def test_the_document_lists_every_label_with_its_condition_in_words(tmp_path: Path) -> None:
    target = tmp_path / "labels.md"
    call_command("labels_doc", output=target, stdout=io.StringIO())
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# 标签体系（7 大类、13 小类、137 项标签）")
    assert text.count("\n| `") == 137
    assert "| `living_alone_elderly` | 独居老人 | 自动计算 |" in text
    assert "在册人数 = 1 且 有成员（在册 且 年龄（周岁） ≥ 60）" in text
    assert "| `left_behind_child` | 留守儿童 | 人工标注 |" in text
