"""The condition language of rules and labels: JSON, validated, compiled to parameterised SQL.

    {"all": [c, …]}  {"any": [c, …]}  {"not": c}
    {"fact": "housing_safe", "op": "=", "value": false}
    {"fact": "current_per_capita", "op": "<", "value": {"fact": "monitoring_line", "times": "1.1"}}
    {"expr": {"add": [{"fact": "medical_self_paid"}, {"fact": "education_expense"}]}, "op": ">=", …}
    {"any_member": c}   {"count_members": c, "op": ">=", "value": 2}
    {"any_event": c}    {"count_events": c, "op": ">=", "value": 1}

Ops: = != < <= > >= in not_in is_null not_null. Money is compared exactly, as whole fen over
positive integer denominators (cross-multiplied), so a per-capita income equal to the line is
equal on every database. A comparison with a missing value is false.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from lianbang.common.errors import ApplicationError, FieldProblem
from lianbang.monitoring.facts import FACTS, Context, Fact, FactType, Scope, Span
from lianbang.monitoring.parsing_errors import reason
from lianbang.monitoring.sql import Sql, combine
from lianbang.registry.parsing import lookup_choice

ORDER_OPS = {"=", "!=", "<", "<=", ">", ">="}
SQL_OPS = {"=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
SET_OPS = {"in", "not_in"}
NULL_OPS = {"is_null", "not_null"}
OPS_BY_TYPE = {
    FactType.BOOL: {"=", "!="} | NULL_OPS,
    FactType.TEXT: {"=", "!="} | SET_OPS | NULL_OPS,
    FactType.INT: ORDER_OPS | NULL_OPS,
    FactType.MONEY: ORDER_OPS | NULL_OPS,
}
NESTED = {
    "any_member": Scope.MEMBER,
    "count_members": Scope.MEMBER,
    "any_event": Scope.EVENT,
    "count_events": Scope.EVENT,
}
MAX_DEPTH = 12


def validate_condition(condition: Any, *, path: str = "condition") -> None:
    """Raise one ApplicationError listing every problem, each with its path in the condition."""
    problems: list[FieldProblem] = []
    _check(condition, path, Scope.HOUSEHOLD, problems, depth=0)
    if problems:
        raise ApplicationError("invalid_condition", "条件有误", "the condition is invalid", problems)


def _check(node: Any, path: str, scope: Scope, problems: list[FieldProblem], depth: int) -> None:
    if depth > MAX_DEPTH:
        problems.append(reason(path, node, f"嵌套超过{MAX_DEPTH}层", f"nested deeper than {MAX_DEPTH}"))
        return
    if not isinstance(node, dict) or len(_kind_keys(node)) != 1:
        problems.append(
            reason(
                path,
                node,
                "应为含 all/any/not/fact/expr/any_member 等之一的对象",
                "must be an object with exactly one of all, any, not, fact, expr, "
                "any_member, count_members, any_event, count_events",
            )
        )
        return
    kind = _kind_keys(node)[0]
    if kind in ("all", "any"):
        _check_list(node[kind], f"{path}.{kind}", scope, problems, depth)
    elif kind == "not":
        _check(node["not"], f"{path}.not", scope, problems, depth + 1)
    elif kind in NESTED:
        _check_nested(node, kind, path, scope, problems, depth)
    else:
        _check_comparison(node, path, scope, problems)


def _kind_keys(node: dict[str, Any]) -> list[str]:
    return [k for k in ("all", "any", "not", "fact", "expr", *NESTED) if k in node]


def _check_list(items: Any, path: str, scope: Scope, problems: list[FieldProblem], depth: int) -> None:
    if not isinstance(items, list) or not items:
        problems.append(reason(path, items, "应为非空数组", "must be a non-empty array"))
        return
    for i, item in enumerate(items):
        _check(item, f"{path}[{i}]", scope, problems, depth + 1)


def _check_nested(
    node: dict[str, Any], kind: str, path: str, scope: Scope, problems: list[FieldProblem], depth: int
) -> None:
    if scope != Scope.HOUSEHOLD:
        problems.append(
            reason(
                f"{path}.{kind}", None, "只能在户级条件中使用", "can only be used in a household condition"
            )
        )
        return
    _check(node[kind], f"{path}.{kind}", NESTED[kind], problems, depth + 1)
    if kind.startswith("count_"):
        _check_count(node, path, problems)


def _check_count(node: dict[str, Any], path: str, problems: list[FieldProblem]) -> None:
    if node.get("op") not in ORDER_OPS:
        problems.append(
            reason(
                f"{path}.op",
                node.get("op"),
                "计数比较应为 = != < <= > >=",
                "a count compares with = != < <= > >=",
            )
        )
    value = node.get("value")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems.append(reason(f"{path}.value", value, "应为不小于0的整数", "must be a whole number ≥ 0"))


def _check_comparison(node: dict[str, Any], path: str, scope: Scope, problems: list[FieldProblem]) -> None:
    left_type = _operand_type(
        node.get("fact") if "fact" in node else node.get("expr"),
        f"{path}.{'fact' if 'fact' in node else 'expr'}",
        scope,
        problems,
        bare_name="fact" in node,
    )
    if left_type is None:
        return
    op = node.get("op")
    if op not in OPS_BY_TYPE[left_type]:
        allowed = " ".join(sorted(OPS_BY_TYPE[left_type]))
        problems.append(
            reason(f"{path}.op", op, f"此类事实可用的比较：{allowed}", f"operators allowed here: {allowed}")
        )
        return
    if op in NULL_OPS:
        return
    span = _span_of(node.get("fact")) if "fact" in node else None
    if span is not None:
        _check_span_value(span, node.get("value"), f"{path}.value", problems)
        return
    _check_value(node, left_type, op, f"{path}.value", scope, problems)


def _operand_type(
    operand: Any, path: str, scope: Scope, problems: list[FieldProblem], bare_name: bool = False
) -> FactType | None:
    if bare_name:
        return _fact_type(operand, path, scope, problems)
    if isinstance(operand, dict) and "fact" in operand:
        if _span_of(operand["fact"]) is not None:
            problems.append(
                reason(
                    f"{path}.fact",
                    operand["fact"],
                    "此事实只能直接与整数比较",
                    "this fact can only be compared with a whole number",
                )
            )
            return None
        fact_type = _fact_type(operand["fact"], f"{path}.fact", scope, problems)
        if "times" in operand:
            _check_times(operand["times"], f"{path}.times", fact_type, problems)
        return fact_type
    if isinstance(operand, dict) and "add" in operand:
        return _add_type(operand["add"], f"{path}.add", scope, problems)
    problems.append(
        reason(path, operand, '应为 {"fact": …} 或 {"add": […]}', 'must be {"fact": …} or {"add": […]}')
    )
    return None


def _add_type(items: Any, path: str, scope: Scope, problems: list[FieldProblem]) -> FactType | None:
    if not isinstance(items, list) or len(items) < 2:
        problems.append(reason(path, items, "应为至少两项的数组", "must list at least two operands"))
        return None
    types = {_operand_type(item, f"{path}[{i}]", scope, problems) for i, item in enumerate(items)}
    if types != {FactType.MONEY}:
        if None not in types:
            problems.append(reason(path, None, "只能对金额求和", "only amounts can be added"))
        return None
    return FactType.MONEY


def _fact_type(name: Any, path: str, scope: Scope, problems: list[FieldProblem]) -> FactType | None:
    fact = FACTS.get(name) if isinstance(name, str) else None
    if fact is None:
        problems.append(reason(path, name, "未知的事实", "unknown fact"))
        return None
    if fact.scope not in (scope, Scope.HOUSEHOLD):
        problems.append(
            reason(
                path,
                name,
                f"「{fact.label}」不能用在{_scope_name(scope)}条件中",
                f"{name} is a {fact.scope.value} fact, not usable in a {scope.value} condition",
            )
        )
        return None
    if fact.scope == Scope.HOUSEHOLD and scope != Scope.HOUSEHOLD:
        problems.append(
            reason(
                path,
                name,
                "成员或事件条件中只能用成员或事件事实",
                "member and event conditions use member and event facts only",
            )
        )
        return None
    return fact.kind


def _scope_name(scope: Scope) -> str:
    return {Scope.HOUSEHOLD: "户级", Scope.MEMBER: "成员", Scope.EVENT: "事件"}[scope]


def _check_times(times: Any, path: str, fact_type: FactType | None, problems: list[FieldProblem]) -> None:
    factor = _decimal(times)
    if fact_type != FactType.MONEY or factor is None or factor <= 0:
        problems.append(
            reason(
                path,
                times,
                '倍数只能用于金额，且应为正数（如 "0.8"）',
                'a factor applies to amounts only and must be positive, e.g. "0.8"',
            )
        )


def _span_of(name: Any) -> Span | None:
    fact = FACTS.get(name) if isinstance(name, str) else None
    return fact.span if fact is not None else None


def _check_span_value(span: Span, value: Any, path: str, problems: list[FieldProblem]) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= span.maximum:
        zh, en = span.noun
        problems.append(
            reason(
                path,
                value,
                f"{zh}应为0到{span.maximum}之间的整数",
                f"{en} is a whole number from 0 to {span.maximum}",
            )
        )


def _check_value(
    node: dict[str, Any], left: FactType, op: str, path: str, scope: Scope, problems: list[FieldProblem]
) -> None:
    value = node.get("value")
    if isinstance(value, dict):
        right = _operand_type(value, path, scope, problems)
        if right is not None and right != left:
            problems.append(reason(path, None, "两边类型不同", f"compares {left.value} with {right.value}"))
        return
    if left == FactType.TEXT:
        _check_text_values(node, op, value, path, problems)
    elif not _literal_fits(left, value):
        problems.append(reason(path, value, f"应为{_TYPE_NAMES[left][0]}", f"must be {_TYPE_NAMES[left][1]}"))


_TYPE_NAMES = {
    FactType.BOOL: ("true 或 false", "true or false"),
    FactType.INT: ("整数", "a whole number"),
    FactType.MONEY: ("金额（最多两位小数）", "an amount with at most 2 decimals"),
}


def _literal_fits(fact_type: FactType, value: Any) -> bool:
    if fact_type == FactType.BOOL:
        return isinstance(value, bool)
    if fact_type == FactType.INT:
        return isinstance(value, int) and not isinstance(value, bool)
    amount = _decimal(value)
    return amount is not None and amount == amount.quantize(Decimal("0.01"))


def _check_text_values(
    node: dict[str, Any], op: str, value: Any, path: str, problems: list[FieldProblem]
) -> None:
    fact = FACTS[node["fact"]] if "fact" in node else None
    values = value if op in SET_OPS else [value]
    if not isinstance(values, list) or not values:
        problems.append(reason(path, value, "应为非空数组", "must be a non-empty array"))
        return
    for i, item in enumerate(values):
        if fact and fact.choices and _text_code(fact, item) is None:
            where = f"{path}[{i}]" if op in SET_OPS else path
            problems.append(reason(where, item, "不是该事实的可选值", f"is not a value of {fact.name}"))


def _text_code(fact: Fact, value: Any) -> str | None:
    if not isinstance(value, str) or fact.choices is None:
        return None
    if value == "":
        return "" if "" in fact.allowed_values else None
    return lookup_choice(fact.choices, value)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


# ---------------------------------------------------------------------------------------------
# Compilation


@dataclass
class Aggregates:
    """Member and event sub-conditions, each computed once per household in a grouped pass.

    With ``packed`` (PostgreSQL) the "any member where …" tests are bits of a few BIGINT words
    (``BIT_OR`` of each member's bits) instead of one ``MAX`` column each: one aggregate
    transition per word and member row instead of one per test, about a quarter off the
    grouped pass over 3.7 M members. SQLite has no ``BIT_OR``."""

    member: dict[Sql, str] = field(default_factory=dict)
    event: dict[Sql, str] = field(default_factory=dict)
    packed: bool = False
    # "any member where …" condition → its bit (packed only); word = bit // WORD_BITS.
    member_bits: dict[Sql, int] = field(default_factory=dict)

    WORD_BITS = 62  # of a signed BIGINT, leaving the sign bit alone

    def column(self, scope: Scope, condition: Sql, counting: bool) -> str:
        table = self.member if scope == Scope.MEMBER else self.event
        key = Sql(("SUM" if counting else "MAX") + "|" + condition.text, condition.params)
        if key not in table:
            table[key] = f"{'mc' if scope == Scope.MEMBER else 'ec'}_{len(table)}"
        return table[key]

    def holds_for_any(self, scope: Scope, condition: Sql) -> Sql:
        """True when the condition holds for at least one of the household's members (events)."""
        if self.packed and scope == Scope.MEMBER:
            bit = self.member_bits.setdefault(condition, len(self.member_bits))
            word, mask = divmod(bit, self.WORD_BITS)
            return Sql(f"((COALESCE(ma.mb_{word}, 0) & {1 << mask}) <> 0)")
        alias = "ma" if scope == Scope.MEMBER else "ea"
        return Sql(f"(COALESCE({alias}.{self.column(scope, condition, False)}, 0) = 1)")

    def bit_words(self) -> list[Sql]:
        """The ``BIT_OR`` columns of the packed tests, ``mb_0``, ``mb_1`` …"""
        items = list(self.member_bits.items())
        words = []
        for start in range(0, len(items), self.WORD_BITS):
            flags = [
                condition.wrap(f"CASE WHEN {{}} THEN CAST({1 << (bit - start)} AS BIGINT) ELSE 0 END")
                for condition, bit in items[start : start + self.WORD_BITS]
            ]
            words.append(Sql.join(" | ", flags).wrap(f"BIT_OR({{}}) AS mb_{start // self.WORD_BITS}"))
        return words


@dataclass
class Compiler:
    ctx: Context
    aggregates: Aggregates = field(default_factory=Aggregates)

    def __post_init__(self) -> None:
        self.aggregates.packed = self.ctx.vendor == "postgresql"

    def compile(self, node: dict[str, Any], scope: Scope = Scope.HOUSEHOLD) -> Sql:
        """A validated condition as a SQL boolean (NULL counts as false where it is used)."""
        if "all" in node or "any" in node:
            key = "all" if "all" in node else "any"
            parts = [self.compile(child, scope) for child in node[key]]
            return Sql.join(" AND " if key == "all" else " OR ", parts).wrap("({})")
        if "not" in node:
            return self.compile(node["not"], scope).wrap("(NOT COALESCE({}, FALSE))")
        for kind, inner_scope in NESTED.items():
            if kind in node:
                return self._nested(node, kind, inner_scope)
        return self._comparison(node)

    def _nested(self, node: dict[str, Any], kind: str, scope: Scope) -> Sql:
        inner = self.compile(node[kind], scope)
        counting = kind.startswith("count_")
        if not counting:
            return self.aggregates.holds_for_any(scope, inner)
        column = self.aggregates.column(scope, inner, counting)
        alias = "ma" if scope == Scope.MEMBER else "ea"
        return combine(
            f"(COALESCE({alias}.{column}, 0) {SQL_OPS[node['op']]} {{}})", Sql.value(node["value"])
        )

    def _comparison(self, node: dict[str, Any]) -> Sql:
        op = node["op"]
        span = _span_of(node.get("fact"))
        if span is not None:
            return self._span(span, op, int(node.get("value") or 0))
        left = self._operand({"fact": node["fact"]} if "fact" in node else node["expr"])
        if op in NULL_OPS:
            test = "IS NULL" if op == "is_null" else "IS NOT NULL"
            nulls = [Sql(f"({part.text}) {test}", part.params) for part in left.parts()]
            return Sql.join(" OR " if op == "is_null" else " AND ", nulls).wrap("({})")
        fact = FACTS.get(node.get("fact", ""))
        if fact is not None and fact.kind == FactType.TEXT:
            return self._text(fact, op, node["value"], left.numerator)
        right = (
            self._operand(node["value"])
            if isinstance(node["value"], dict)
            else _Operand.literal(node["value"], fact.kind if fact else FactType.MONEY)
        )
        return left.compare(SQL_OPS[op], right)

    def _span(self, span: Span, op: str, count: int) -> Sql:
        """A comparison of full periods as the start date against cut-off dates (see Span)."""
        present = span.present(self.ctx) if span.present else None

        def when_present(test: Sql) -> Sql:
            return test if present is None else combine("({} AND {})", present, test)

        def at_least(n: int) -> Sql:
            return combine(f"({span.column} <= {{}})", Sql.value(span.cutoff(self.ctx.as_of, n)))

        def below(n: int) -> Sql:
            return combine(f"({span.column} > {{}})", Sql.value(span.cutoff(self.ctx.as_of, n)))

        forms = {
            ">=": lambda: at_least(count),
            ">": lambda: at_least(count + 1),
            "<": lambda: below(count),
            "<=": lambda: below(count + 1),
            "=": lambda: combine("({} AND {})", at_least(count), below(count + 1)),
            "!=": lambda: combine("({} OR {})", below(count), at_least(count + 1)),
        }
        if op in NULL_OPS:
            if present is None:
                return Sql(f"({span.column} IS {'NULL' if op == 'is_null' else 'NOT NULL'})")
            return present.wrap("(NOT COALESCE({}, FALSE))") if op == "is_null" else present
        return when_present(forms[op]())

    def _text(self, fact: Fact, op: str, value: Any, column: Sql) -> Sql:
        values = value if op in SET_OPS else [value]
        codes = [_text_code(fact, v) if fact.choices else v for v in values]
        if op in ("=", "!="):
            return combine(f"({{}} {SQL_OPS[op]} {{}})", column, Sql.value(codes[0]))
        marks = Sql.join(", ", [Sql.value(c) for c in codes])
        return combine(f"({{}} {'IN' if op == 'in' else 'NOT IN'} ({{}}))", column, marks)

    def _operand(self, operand: dict[str, Any]) -> _Operand:
        if "add" in operand:
            parts = [self._operand(item) for item in operand["add"]]
            total = parts[0]
            for part in parts[1:]:
                total = total.plus(part)
            return total
        fact = FACTS[operand["fact"]]
        numerator = fact.sql(self.ctx)
        denominator = fact.denominator(self.ctx) if fact.denominator else None
        result = _Operand(numerator, denominator)
        if "times" in operand:
            result = result.times(Fraction(Decimal(str(operand["times"]))))
        return result


@dataclass(frozen=True)
class _Operand:
    """An exact number in SQL: an integer numerator over an optional positive integer."""

    numerator: Sql
    denominator: Sql | None = None

    @staticmethod
    def literal(value: Any, fact_type: FactType) -> _Operand:
        if fact_type == FactType.MONEY:
            return _Operand(Sql.value(int(Decimal(str(value)) * 100)))
        return _Operand(Sql.value(value))

    def parts(self) -> list[Sql]:
        return [self.numerator] if self.denominator is None else [self.numerator, self.denominator]

    def times(self, factor: Fraction) -> _Operand:
        numerator = combine("({} * {})", self.numerator, Sql.value(factor.numerator))
        if factor.denominator == 1:
            return _Operand(numerator, self.denominator)
        scale = Sql.value(factor.denominator)
        denominator = scale if self.denominator is None else combine("({} * {})", self.denominator, scale)
        return _Operand(numerator, denominator)

    def plus(self, other: _Operand) -> _Operand:
        if self.denominator is None and other.denominator is None:
            return _Operand(combine("({} + {})", self.numerator, other.numerator))
        left = self._scaled(other.denominator)
        right = other._scaled(self.denominator)
        return _Operand(combine("({} + {})", left, right), _product(self.denominator, other.denominator))

    def compare(self, op: str, other: _Operand) -> Sql:
        return combine(f"({{}} {op} {{}})", self._scaled(other.denominator), other._scaled(self.denominator))

    def _scaled(self, by: Sql | None) -> Sql:
        return self.numerator if by is None else combine("({} * {})", self.numerator, by)


def _product(a: Sql | None, b: Sql | None) -> Sql | None:
    if a is None or b is None:
        return a or b
    return combine("({} * {})", a, b)
