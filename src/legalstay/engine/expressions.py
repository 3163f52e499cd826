"""The rule language: a small expression tree that both back-ends evaluate.

A rule is written once as an expression over the facts of one person and evaluated two ways:
by :mod:`legalstay.engine.population` as a Polars plan over whole populations, and by
:mod:`legalstay.engine.interpreter` for one person, recording what it did. The two must agree;
a differential test holds them to it.

Values are three-valued where the facts may be missing: a comparison with an unknown (None)
value is unknown, ``&`` and ``|`` follow Kleene's logic (false & unknown = false,
true | unknown = true), as Polars does for nullable booleans.

Contexts: person-level expressions read the person's columns (:func:`field`), variables computed
by other rules (:func:`var`), parameters (:func:`param`) and the evaluation date (:func:`as_of`).
An aggregate (:func:`any_of_rows`, :func:`max_of_rows` …) evaluates its ``value`` and ``where``
expressions on each row of an episode table (documents, titles, …) of the same person; inside it
:func:`field` reads the episode row and :func:`outer` the enclosing row (a correlated aggregate,
e.g. "a title that covers this application's filing date"). A family aggregate
(:func:`family_any`) evaluates its value for each relative: :func:`var` reads the relative's
variables, and :func:`asker` the asking person's fields, also inside an aggregate over the
relative's rows ("a parent's title that covers the child's birth day").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, Literal

__all__ = [
    "FAR_FUTURE",
    "Aggregate",
    "AsOf",
    "Asker",
    "Case",
    "Cases",
    "FamilyAggregate",
    "Field",
    "Kernel",
    "Literal_",
    "Node",
    "Op",
    "Outer",
    "Param",
    "Var",
    "add_days",
    "add_period",
    "all_of",
    "any_of",
    "any_of_rows",
    "as_of",
    "asker",
    "case",
    "cases",
    "coalesce",
    "count_rows",
    "days_between",
    "family_any",
    "field",
    "in_windows",
    "latest_max",
    "lit",
    "max_of",
    "max_of_rows",
    "min_of",
    "min_of_rows",
    "outer",
    "param",
    "period_end",
    "sum_of_rows",
    "value_at_max",
    "var",
]

# An open end ("valid until further notice") compares as this date.
FAR_FUTURE = dt.date(9999, 12, 31)

PeriodUnit = Literal["day", "week", "month", "year"]


class Node:
    """A node of the expression tree. Operators build new nodes, like Polars expressions."""

    __slots__ = ()

    def children(self) -> Iterator[Node]:
        return iter(())

    # Comparisons and logic build nodes; identity (not value) is what hashing uses.
    def __eq__(self, other: object) -> Op:  # type: ignore[override]
        return Op("eq", (self, _node(other)))

    def __ne__(self, other: object) -> Op:  # type: ignore[override]
        return Op("ne", (self, _node(other)))

    def __lt__(self, other: object) -> Op:
        return Op("lt", (self, _node(other)))

    def __le__(self, other: object) -> Op:
        return Op("le", (self, _node(other)))

    def __gt__(self, other: object) -> Op:
        return Op("gt", (self, _node(other)))

    def __ge__(self, other: object) -> Op:
        return Op("ge", (self, _node(other)))

    def __and__(self, other: object) -> Op:
        return Op("and", (self, _node(other)))

    def __or__(self, other: object) -> Op:
        return Op("or", (self, _node(other)))

    def __invert__(self) -> Op:
        return Op("not", (self,))

    def __add__(self, other: object) -> Op:
        return Op("add", (self, _node(other)))

    def __sub__(self, other: object) -> Op:
        return Op("sub", (self, _node(other)))

    def __mul__(self, other: object) -> Op:
        return Op("mul", (self, _node(other)))

    __hash__ = object.__hash__

    def is_null(self) -> Op:
        return Op("is_null", (self,))

    def is_not_null(self) -> Op:
        return Op("is_not_null", (self,))

    def is_in(self, codes: Node | Sequence[str]) -> Op:
        """Membership in a list of codes (a parameter of unit ``codes`` or a literal list)."""
        return Op("is_in", (self, codes if isinstance(codes, Node) else Literal_(tuple(codes))))

    def contains(self, code: str) -> Op:
        """For a list-valued column (citizenships): does it contain ``code``."""
        return Op("contains", (self, Literal_(code)))

    def contains_only(self, code: str) -> Op:
        """For a list-valued column: is ``code`` its only value (and is it not empty)."""
        return Op("contains_only", (self, Literal_(code)))

    def is_empty(self) -> Op:
        """For a list-valued column: does it hold no value."""
        return Op("is_empty", (self,))

    def contains_any(self, codes: Node) -> Op:
        """For a list-valued column: does it contain any of ``codes``."""
        return Op("contains_any", (self, codes))

    def fill_null(self, value: object) -> Op:
        return Op("coalesce", (self, _node(value)))

    def is_true(self) -> Op:
        """True only when the value is true (unknown counts as false)."""
        return Op("is_true", (self,))


def _node(value: object) -> Node:
    return value if isinstance(value, Node) else Literal_(value)


class Literal_(Node):  # noqa: N801 - "Literal" is typing's name
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"lit({self.value!r})"


class AsOf(Node):
    __slots__ = ()

    def __repr__(self) -> str:
        return "as_of"


class Field(Node):
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"field({self.name!r})"


class Outer(Node):
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"outer({self.name!r})"


class Asker(Outer):
    """The asking person's field, read in a family aggregate's value at any depth: also inside
    an aggregate over the relative's rows, whose ``outer`` is the relative ("a title of the
    parent that covers the child's birth day")."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"asker({self.name!r})"


class Var(Node):
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"var({self.name!r})"


class Param(Node):
    """A parameter's value in force on ``at`` (a date expression), or on the evaluation date."""

    __slots__ = ("at", "name")

    def __init__(self, name: str, at: Node | None = None) -> None:
        self.name = name
        self.at = at

    def children(self) -> Iterator[Node]:
        if self.at is not None:
            yield self.at

    def __repr__(self) -> str:
        return f"param({self.name!r})"


class Op(Node):
    """An operation on argument nodes; ``extra`` holds static arguments such as a period unit."""

    __slots__ = ("args", "extra", "op")

    def __init__(self, op: str, args: tuple[Node, ...], extra: Any = None) -> None:
        self.op = op
        self.args = args
        self.extra = extra

    def children(self) -> Iterator[Node]:
        return iter(self.args)

    def __repr__(self) -> str:
        return f"{self.op}({', '.join(map(repr, self.args))})"


class Case:
    """One branch of a first-hit rule: ``when`` holds, the result is ``then``."""

    __slots__ = ("label", "reference", "then", "when")

    def __init__(self, label: str, when: Node, then: Node, reference: str | None) -> None:
        self.label = label
        self.when = when
        self.then = then
        self.reference = reference


class Cases(Node):
    """A first-hit rule (a general rule and its exceptions, in order): the first true case wins."""

    __slots__ = ("branches", "otherwise", "otherwise_label", "otherwise_reference")

    def __init__(
        self,
        branches: tuple[Case, ...],
        otherwise: Node,
        otherwise_label: str,
        otherwise_reference: str | None,
    ) -> None:
        self.branches = branches
        self.otherwise = otherwise
        self.otherwise_label = otherwise_label
        self.otherwise_reference = otherwise_reference

    def children(self) -> Iterator[Node]:
        for branch in self.branches:
            yield branch.when
            yield branch.then
        yield self.otherwise


AggregateHow = Literal["any", "count", "max", "min", "sum", "value_at_max"]


class Aggregate(Node):
    """Aggregates ``value`` over the person's rows of ``table`` where ``where`` holds."""

    __slots__ = ("how", "key", "table", "value", "where")

    def __init__(
        self, table: str, how: AggregateHow, value: Node, where: Node, key: Node | None = None
    ) -> None:
        self.table = table
        self.how = how
        self.value = value
        self.where = where
        self.key = key

    def children(self) -> Iterator[Node]:
        # The row expressions are evaluated in the episode context, not the person's.
        return iter(())

    def row_nodes(self) -> tuple[Node, ...]:
        return (self.value, self.where) + ((self.key,) if self.key is not None else ())

    def __repr__(self) -> str:
        return f"{self.how}({self.table}: {self.value!r} where {self.where!r})"


class FamilyAggregate(Node):
    """Whether any linked person (``relation``: what they are to this person) satisfies ``value``.

    ``value`` is evaluated in the linked person's context: it may read only :func:`var`
    variables of that person. A link whose person is not known evaluates to unknown.
    """

    __slots__ = ("relation", "value", "where")

    def __init__(self, relation: str, value: Node, where: Node | None = None) -> None:
        self.relation = relation
        self.value = value
        self.where = where

    def __repr__(self) -> str:
        return f"family_any({self.relation}: {self.value!r})"


class Kernel(Node):
    """A generic computation too large for the expression language (interval arithmetic).

    Registered in :mod:`legalstay.engine.kernels` with a scalar and a vectorised implementation
    that the differential test holds equal.
    """

    __slots__ = ("args", "name", "options")

    def __init__(self, name: str, args: tuple[Node, ...], options: Any) -> None:
        self.name = name
        self.args = args
        self.options = options

    def children(self) -> Iterator[Node]:
        return iter(self.args)

    def __repr__(self) -> str:
        return f"kernel:{self.name}"


# ---------------------------------------------------------------- constructors


def lit(value: Any) -> Literal_:
    return Literal_(value)


def as_of() -> AsOf:
    return AsOf()


def field(name: str) -> Field:
    return Field(name)


def outer(name: str) -> Outer:
    return Outer(name)


def asker(name: str) -> Asker:
    return Asker(name)


def var(name: str) -> Var:
    return Var(name)


def param(name: str, *, on: Node | None = None) -> Param:
    """The value of parameter ``name`` in force on the evaluation date, or on the date ``on``."""
    return Param(name, on)


def all_of(*nodes: Node) -> Node:
    result = nodes[0]
    for node in nodes[1:]:
        result = result & node
    return result


def any_of(*nodes: Node) -> Node:
    result = nodes[0]
    for node in nodes[1:]:
        result = result | node
    return result


def coalesce(*nodes: object) -> Op:
    return Op("coalesce", tuple(_node(node) for node in nodes))


def max_of(*nodes: object) -> Op:
    """The latest (largest) of the known values; unknown only if all are unknown."""
    return Op("max", tuple(_node(node) for node in nodes))


def min_of(*nodes: object) -> Op:
    return Op("min", tuple(_node(node) for node in nodes))


def add_days(day: Node, days: object) -> Op:
    return Op("add_days", (day, _node(days)))


def days_between(start: Node, end: Node) -> Op:
    """``end - start`` in days (unknown if either is unknown)."""
    return Op("days_between", (start, end))


def add_period(start: Node, amount: object, unit: PeriodUnit) -> Op:
    """KPA art. 57 §1–3a arithmetic: the day ``amount`` units after ``start`` (no day-off shift)."""
    return Op("add_period", (start, _node(amount)), unit)


def period_end(start: Node, amount: object, unit: PeriodUnit) -> Op:
    """KPA art. 57 §1–4: as :func:`add_period`, moved past Saturdays and days off (§4)."""
    return Op("period_end", (start, _node(amount)), unit)


def in_windows(day: Node, windows: Node) -> Op:
    """Whether ``day`` falls in one of the windows (a parameter of unit ``windows``)."""
    return Op("in_windows", (day, windows))


def case(label: str, when: Node, then: object, *, reference: str | None = None) -> Case:
    return Case(label, when, _node(then), reference)


def cases(
    *branches: Case, otherwise: object, label: str = "otherwise", reference: str | None = None
) -> Cases:
    return Cases(tuple(branches), _node(otherwise), label, reference)


def any_of_rows(table: str, where: Node) -> Aggregate:
    return Aggregate(table, "any", lit(True), where)


def count_rows(table: str, where: Node) -> Aggregate:
    return Aggregate(table, "count", lit(1), where)


def max_of_rows(table: str, value: Node, where: Node) -> Aggregate:
    return Aggregate(table, "max", value, where)


def min_of_rows(table: str, value: Node, where: Node) -> Aggregate:
    return Aggregate(table, "min", value, where)


def sum_of_rows(table: str, value: Node, where: Node) -> Aggregate:
    return Aggregate(table, "sum", value, where)


def value_at_max(table: str, value: Node, key: Node, where: Node) -> Aggregate:
    """``value`` of the row with the largest ``key`` (ties: the largest ``value``)."""
    return Aggregate(table, "value_at_max", value, where, key)


def latest_max(table: str, value: Node, where: Node) -> Aggregate:
    return max_of_rows(table, value, where)


def family_any(relation: str, value: Node) -> FamilyAggregate:
    return FamilyAggregate(relation, value)


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree under ``node`` in the person context (not inside aggregates)."""
    yield node
    for child in node.children():
        yield from walk(child)
