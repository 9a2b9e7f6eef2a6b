"""Labels (标签): grid workers set and clear manual ones, administrators define them, and the
whole taxonomy is written out as Markdown (``docs/labels.md``).

Computed labels follow the data: the engine adds and removes them on every evaluation, so
nobody sets them by hand. Manual labels are what a person knows and the registry does not
(留守儿童, 有就业意愿 …); the engine never touches them.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch

from lianbang.accounts.models import User
from lianbang.audit.services import audit_record
from lianbang.common.errors import ApplicationError, FieldProblem
from lianbang.monitoring.conditions import NESTED, validate_condition
from lianbang.monitoring.facts import FACTS, Fact, FactType
from lianbang.monitoring.models import HouseholdLabel, HouseholdLight, Label, LabelCategory
from lianbang.registry.models import Household
from lianbang.registry.parsing import lookup_choice

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


# ---------------------------------------------------------------------------------------------
# Manual labels on households


@transaction.atomic
def household_label_set(*, household: Household, label: Label, actor: User | None) -> HouseholdLabel:
    """Put a manual label on a household, audited. Setting it again changes nothing (and is not
    audited): the label keeps the person who first set it and when."""
    _require_manual(label)
    if not label.active:
        raise _refused(
            "label_inactive",
            label,
            f"标签「{label.name}」已停用，不能再设置",
            f"label {label.code!r} is inactive and cannot be set",
        )
    held, created = HouseholdLabel.objects.get_or_create(
        household=household,
        label=label,
        defaults={"set_by": actor, "region_code": household.region_code},
    )
    if created:
        _audit_label(actor, household, "label_set", [None, label.code])
    return held


@transaction.atomic
def household_label_clear(*, household: Household, label: Label, actor: User | None) -> bool:
    """Take a manual label off a household; True if it was there (then audited). Clearing twice
    is harmless; the audit log is the history of removals."""
    _require_manual(label)
    deleted, _ = HouseholdLabel.objects.filter(household=household, label=label).delete()
    if deleted:
        _audit_label(actor, household, "label_clear", [label.code, None])
    return deleted > 0


def _audit_label(actor: User | None, household: Household, action: str, change: list[str | None]) -> None:
    """Only a change is audited: setting a held label or clearing an absent one writes nothing."""
    audit_record(
        actor=actor,
        action=action,
        object_type="registry.household",
        object_id=household.pk,
        changes={"label": change},
    )


def _require_manual(label: Label) -> None:
    if label.kind != Label.Kind.MANUAL:
        raise _refused(
            "label_computed",
            label,
            f"标签「{label.name}」由系统按数据自动计算，不能手工设置或清除",
            f"label {label.code!r} is computed from the data and cannot be set or cleared by hand",
        )


def _refused(code: str, label: Label, message: str, message_en: str) -> ApplicationError:
    return ApplicationError(
        code, message, message_en, [FieldProblem("label", label.code, message, message_en)]
    )


# ---------------------------------------------------------------------------------------------
# Defining labels (administrators)


@transaction.atomic
def label_create(
    *,
    subcategory: LabelCategory,
    code: str,
    name: str,
    kind: str,
    condition: Any = None,
    description: str = "",
    active: bool = True,
    position: int | None = None,
) -> Label:
    """A new label in a subcategory (小类). A computed label needs a valid condition, a manual
    one has none. Households get it at their next evaluation."""
    problems = [
        *_code_problems(code),
        *_text_problems(name, description),
        *_subcategory_problems(subcategory),
        *_condition_problems(kind, condition),
    ]
    _raise_if(problems)
    label = Label(
        subcategory=subcategory,
        code=code,
        name=name,
        kind=kind,
        condition=condition,
        description=description,
        active=active,
        position=_next_position(subcategory) if position is None else position,
    )
    return _saved(label, None)


@transaction.atomic
def label_update(
    *,
    label: Label,
    name: str | None = None,
    description: str | None = None,
    condition: Any = None,
    active: bool | None = None,
    position: int | None = None,
    subcategory: LabelCategory | None = None,
) -> Label:
    """Change what is given (None = keep). The code and the kind stay: they are what
    households carry. A new condition applies from each household's next evaluation; a
    computed label switched off leaves every household at once."""
    changes = _given(
        name=name,
        description=description,
        condition=condition,
        active=active,
        position=position,
        subcategory=subcategory,
    )
    _raise_if(_update_problems(label, changes))
    for key, value in changes.items():
        setattr(label, key, value)
    _saved(label, list(changes))
    if label.kind == Label.Kind.COMPUTED and not label.active:
        _drop_computed_label(label)
    return label


def _drop_computed_label(label: Label) -> None:
    """Take a computed label off every household. The light rows that listed it forget their
    label set, so the next bulk run compares those households' label rows afresh (the label
    may be switched on again before then)."""
    holders = HouseholdLabel.objects.filter(label=label)
    HouseholdLight.objects.filter(household_id__in=holders.values("household_id")).update(labels=None)
    holders.delete()


def _given(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _update_problems(label: Label, changes: dict[str, Any]) -> list[FieldProblem]:
    problems = _text_problems(changes.get("name", label.name), changes.get("description", label.description))
    if "subcategory" in changes:
        problems += _subcategory_problems(changes["subcategory"])
    if "condition" in changes:
        problems += _condition_problems(label.kind, changes["condition"])
    return problems


def _saved(label: Label, update_fields: list[str] | None) -> Label:
    try:
        with transaction.atomic():
            # updated_at tells the engine its cached label plan is stale.
            label.save(update_fields=None if update_fields is None else [*update_fields, "updated_at"])
    except IntegrityError as exc:
        raise ApplicationError(
            "conflict",
            f"标签代码「{label.code}」已被使用",
            f"label code {label.code!r} is already taken",
            [FieldProblem("code", label.code, "代码已被使用", "already taken")],
            status=409,
        ) from exc
    return label


def _raise_if(problems: list[FieldProblem]) -> None:
    if problems:
        raise ApplicationError(
            "invalid_label", "标签有误，未保存", "the label is invalid; nothing was saved", problems
        )


def _code_problems(code: str) -> list[FieldProblem]:
    if not CODE_PATTERN.match(code):
        return [
            FieldProblem(
                "code",
                code,
                "代码应为小写英文字母开头、由小写字母数字和下划线组成，最多40字符",
                "a code is lower-case snake_case starting with a letter, at most 40 characters",
            )
        ]
    if Label.objects.filter(code=code).exists():
        return [FieldProblem("code", code, f"代码「{code}」已被使用", f"code {code!r} is already taken")]
    return []


def _text_problems(name: str, description: str) -> list[FieldProblem]:
    problems = []
    if not name.strip() or len(name) > 50:
        problems.append(FieldProblem("name", name, "名称应为1到50个字", "a name has 1 to 50 characters"))
    if len(description) > 200:
        problems.append(
            FieldProblem(
                "description", description, "说明最多200个字", "a description has at most 200 characters"
            )
        )
    return problems


def _subcategory_problems(subcategory: LabelCategory) -> list[FieldProblem]:
    if subcategory.parent_id is None:
        return [
            FieldProblem(
                "subcategory",
                subcategory.code,
                f"「{subcategory.name}」是大类，标签须归入小类",
                f"{subcategory.code!r} is a category; a label belongs to a subcategory",
            )
        ]
    return []


def _condition_problems(kind: str, condition: Any) -> list[FieldProblem]:
    if kind == Label.Kind.MANUAL:
        if condition is None:
            return []
        return [
            FieldProblem("condition", None, "人工标注的标签不能有条件", "a manual label has no condition")
        ]
    if kind != Label.Kind.COMPUTED:
        return [FieldProblem("kind", kind, "类型应为 computed 或 manual", "kind is computed or manual")]
    if condition is None:
        return [
            FieldProblem("condition", None, "自动计算的标签须有条件", "a computed label needs a condition")
        ]
    try:
        validate_condition(condition)
    except ApplicationError as error:
        return error.problems
    return []


def _next_position(subcategory: LabelCategory) -> int:
    last = subcategory.labels.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


# ---------------------------------------------------------------------------------------------
# The taxonomy as Markdown (docs/labels.md)

_OPS = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}
_READING = (
    "条件的读法：「有成员（…）」指至少一名成员同时满足括号内各项，「成员数（…）」指满足括号内各项的"
    "成员人数，「有事件（…）」同理；「近期」指评估日前的监测窗口内（默认90天，不含评估日之后）；"
    "年龄按评估日的周岁计；金额单位为元；缺少数据的比较不成立。"
)


def labels_markdown() -> str:
    """The whole taxonomy, one table per subcategory, from the labels in the database."""
    categories = list(
        LabelCategory.objects.filter(parent=None)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch("subcategories", queryset=LabelCategory.objects.order_by("position", "pk")),
            Prefetch("subcategories__labels", queryset=Label.objects.order_by("position", "pk")),
        )
    )
    subcategories = [sub for category in categories for sub in category.subcategories.all()]
    labels = [label for sub in subcategories for label in sub.labels.all()]
    lines = [*_header(len(categories), len(subcategories), labels)]
    for number, category in enumerate(categories, start=1):
        lines += ["", f"## {number} {category.name}"]
        for sub_number, sub in enumerate(category.subcategories.all(), start=1):
            lines += ["", f"### {number}.{sub_number} {sub.name}（`{sub.code}`）", "", *_table(sub)]
    return "\n".join(lines) + "\n"


def _header(categories: int, subcategories: int, labels: list[Label]) -> list[str]:
    computed = sum(1 for label in labels if label.kind == Label.Kind.COMPUTED)
    return [
        f"# 标签体系（{categories} 大类、{subcategories} 小类、{len(labels)} 项标签）",
        "",
        "> 本文件由 `lianbang labels_doc --output docs/labels.md` 根据数据库中的标签生成，请勿手工修改。",
        "",
        f"自动计算 {computed} 项（每次评估时按条件增删），人工标注 {len(labels) - computed} 项"
        "（由网格员设置，记录设置人和时间，评估不改动）。",
        "",
        _READING,
    ]


def _table(subcategory: LabelCategory) -> list[str]:
    rows = ["| 代码 | 名称 | 类型 | 说明 | 条件 |", "|---|---|---|---|---|"]
    for label in subcategory.labels.all():
        kind = label.get_kind_display() + ("（停用）" if not label.active else "")
        condition = condition_text(label.condition) if label.condition else "—"
        cells = [f"`{label.code}`", label.name, kind, label.description, condition]
        rows.append("| " + " | ".join(_cell(text) for text in cells) + " |")
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def condition_text(node: dict[str, Any]) -> str:
    """A condition in words, e.g. ``在册人数 = 1 且 有成员（在册 且 年龄（周岁） ≥ 60）``."""
    if "all" in node or "any" in node:
        key = "all" if "all" in node else "any"
        return (" 且 " if key == "all" else " 或 ").join(_nested_part(child) for child in node[key])
    if "not" in node:
        return f"非（{condition_text(node['not'])}）"
    for kind in NESTED:
        if kind in node:
            return _nested_text(kind, node)
    return _comparison_text(node)


def _nested_part(child: dict[str, Any]) -> str:
    text = condition_text(child)
    return f"（{text}）" if "all" in child or "any" in child else text


def _nested_text(kind: str, node: dict[str, Any]) -> str:
    inner = condition_text(node[kind])
    subject = "成员" if "member" in kind else "事件"
    if kind.startswith("any_"):
        return f"有{subject}（{inner}）"
    return f"{subject}数（{inner}） {_OPS[node['op']]} {node['value']}"


def _comparison_text(node: dict[str, Any]) -> str:
    left = _operand_text(node["expr"]) if "expr" in node else FACTS[node["fact"]].label
    op: str = node["op"]
    value: Any = node.get("value")
    if op in ("is_null", "not_null"):
        return f"{left}{'为空' if op == 'is_null' else '不为空'}"
    if isinstance(value, bool):
        return left if value == (op == "=") else f"{left}：否"
    if isinstance(value, dict):
        return f"{left} {_OPS[op]} {_operand_text(value)}"
    fact = FACTS.get(node.get("fact", ""))
    if op in ("in", "not_in"):
        shown = "、".join(_value_text(fact, item) for item in value)
        return f"{left}{'属于' if op == 'in' else '不属于'}［{shown}］"
    return f"{left} {_OPS[op]} {_value_text(fact, value)}"


def _operand_text(operand: dict[str, Any]) -> str:
    if "add" in operand:
        return "（" + " + ".join(_operand_text(item) for item in operand["add"]) + "）"
    text = FACTS[operand["fact"]].label
    return f"{text} × {operand['times']}" if "times" in operand else text


def _value_text(fact: Fact | None, value: Any) -> str:
    if fact is not None and fact.choices is not None:
        code = "" if value == "" else lookup_choice(fact.choices, value)
        names = dict(fact.choices.choices)
        return str(names[code]) if code in names else str(value)
    if fact is not None and fact.kind == FactType.MONEY:
        return f"{value}元"
    return str(value)
