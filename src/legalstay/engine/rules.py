"""Rules: named variables, and eligibilities built from named, referenced conditions.

An eligibility is a disjunction of *routes* (alternative legal grounds), each a conjunction of
*conditions*. Each condition has a name and the provision it rests on, so the population
back-end can keep one reason bit per condition and the one-person back-end can say which
condition decided. A route may be in force only under some scenarios (``in_force``).

Everything compiles to plain variables, so both back-ends need to know only variables:
``<eligibility>`` (the answer), ``<eligibility>.<route>`` and ``<eligibility>.<route>.<condition>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from legalstay.engine.checks import InputCheck
from legalstay.engine.errors import RuleError
from legalstay.engine.expressions import (
    Aggregate,
    Asker,
    FamilyAggregate,
    Field,
    Kernel,
    Node,
    Op,
    Param,
    Var,
    lit,
)

__all__ = ["Condition", "Eligibility", "Route", "RuleSet", "Variable"]


@dataclass(frozen=True)
class Variable:
    """A named result: ``expr`` evaluated for each person."""

    name: str
    expr: Node
    label: str = ""
    reference: str | None = None


@dataclass(frozen=True)
class Condition:
    name: str
    expr: Node
    reference: str
    label: str = ""


@dataclass(frozen=True)
class Route:
    name: str
    conditions: tuple[Condition, ...]
    reference: str
    label: str = ""
    in_force: Node | None = None  # a boolean expression, usually a parameter


@dataclass(frozen=True)
class Eligibility:
    name: str
    routes: tuple[Route, ...]
    reference: str
    label: str = ""

    def conditions(self) -> Iterator[tuple[Route, Condition]]:
        for route in self.routes:
            for condition in route.conditions:
                yield route, condition

    def condition_variable(self, route: Route, condition: Condition) -> str:
        return f"{self.name}.{route.name}.{condition.name}"

    def route_variable(self, route: Route) -> str:
        return f"{self.name}.{route.name}"

    def in_force_variable(self, route: Route) -> str:
        return f"{self.name}.{route.name}.in_force"


@dataclass
class RuleSet:
    """All rules of a rulebook, as variables, plus the eligibilities they came from."""

    variables: dict[str, Variable] = field(default_factory=dict)
    eligibilities: dict[str, Eligibility] = field(default_factory=dict)
    # Derived columns of episode tables: computed once per row, read with field(name).
    row_variables: dict[str, dict[str, Node]] = field(default_factory=dict)
    # Rules a population's input rows must keep (the one-person back-end's dossier reader
    # makes its own checks).
    input_checks: list[InputCheck] = field(default_factory=list)

    def add_row_variable(self, table: str, name: str, expr: Node) -> None:
        """A derived column of ``table`` (e.g. a document's effective expiry). Its expression
        may read the row's fields (including earlier derived ones), parameters, the date and
        aggregates over the person's other episodes correlated with this row (``outer``), but
        no variables, family aggregates or kernels."""
        columns = self.row_variables.setdefault(table, {})
        if name in columns:
            raise RuleError(f"row variable {table}.{name} is defined twice")
        for node in nodes(expr):
            if isinstance(node, Var | FamilyAggregate | Kernel | Asker):
                raise RuleError(f"row variable {table}.{name} may not read {node!r}")
            if isinstance(node, Aggregate) and any(
                isinstance(inner, Aggregate) for row in node.row_nodes() for inner in nodes(row)
            ):
                raise RuleError(f"row variable {table}.{name}: aggregates nest one level only")
            if isinstance(node, Aggregate) and node.table == table:
                _check_own_lookup(table, name, node)
        columns[name] = expr

    def add(self, *variables: Variable) -> None:
        for variable in variables:
            if variable.name in self.variables:
                raise RuleError(f"variable {variable.name!r} is defined twice")
            for found in _askers_outside_a_family_value(variable.expr):
                raise RuleError(
                    f"variable {variable.name!r} reads {found!r} outside a family aggregate's "
                    "value, where no one asks"
                )
            self.variables[variable.name] = variable

    def add_eligibility(self, eligibility: Eligibility) -> None:
        self.eligibilities[eligibility.name] = eligibility
        for route in eligibility.routes:
            self._add_route(eligibility, route)
        self.add(
            Variable(
                eligibility.name, _any_route(eligibility), eligibility.label, eligibility.reference
            )
        )

    def _add_route(self, eligibility: Eligibility, route: Route) -> None:
        for _, condition in ((route, c) for c in route.conditions):
            self.add(
                Variable(
                    eligibility.condition_variable(route, condition),
                    condition.expr,
                    condition.label,
                    condition.reference,
                )
            )
        in_force = route.in_force if route.in_force is not None else lit(True)
        self.add(Variable(eligibility.in_force_variable(route), in_force.fill_null(False)))
        conjunction: Node = lit(True)
        for condition in route.conditions:
            conjunction = conjunction & Var(eligibility.condition_variable(route, condition))
        self.add(
            Variable(eligibility.route_variable(route), conjunction, route.label, route.reference)
        )

    def __getitem__(self, name: str) -> Variable:
        try:
            return self.variables[name]
        except KeyError:
            raise RuleError(f"no rule defines variable {name!r}") from None

    def check(self) -> None:
        """Refuses unknown variables and cycles (a cycle would silently default elsewhere)."""
        for name in self.topological_order(self.variables):
            del name

    def topological_order(self, wanted: Iterable[str]) -> list[str]:
        order: list[str] = []
        state: dict[str, str] = {}
        for name in wanted:
            self._visit(name, state, order, ())
        return order

    def _visit(
        self, name: str, state: dict[str, str], order: list[str], path: tuple[str, ...]
    ) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "active":
            raise RuleError(f"rules form a cycle: {' -> '.join((*path, name))}")
        state[name] = "active"
        for dependency in sorted(dependencies(self[name].expr)):
            self._visit(dependency, state, order, (*path, name))
        state[name] = "done"
        order.append(name)

    def parameters_used(self) -> set[str]:
        exprs = [variable.expr for variable in self.variables.values()] + [
            expr for columns in self.row_variables.values() for expr in columns.values()
        ]
        return {name for expr in exprs for name in parameters(expr)}


def _check_own_lookup(table: str, name: str, node: Aggregate) -> None:
    """A derived column may look up the person's other rows of its own table, reading their
    derived columns defined before it (both back-ends add the columns one after another): not
    itself, which would be a circle."""
    read = {n.name for row in node.row_nodes() for n in nodes(row) if isinstance(n, Field)}
    if name in read:
        raise RuleError(f"row variable {table}.{name} looks up its own value in other rows")


def _any_route(eligibility: Eligibility) -> Node:
    """Kleene OR over the routes in force; a route not in force is left out, not false."""
    result: Node = lit(False)
    for route in eligibility.routes:
        in_force = Var(eligibility.in_force_variable(route))
        route_value = Var(eligibility.route_variable(route))
        result = result | Op("if_else", (in_force, route_value, lit(False)))
    return result


def nodes(node: Node) -> Iterator[Node]:
    """Every node under ``node``, including those inside aggregates and kernels.

    Walked once per node and kept (nodes are immutable): compiling a population plan asks
    for the nodes of the same expressions hundreds of times."""
    found = _NODES_UNDER.get(id(node))
    if found is None or found[0] is not node:  # the node itself is kept, so its id is not reused
        found = (node, tuple(_walk(node)))
        _NODES_UNDER[id(node)] = found
    return iter(found[1])


_NODES_UNDER: dict[int, tuple[Node, tuple[Node, ...]]] = {}


def _walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Aggregate):
        for row_node in node.row_nodes():
            yield from _walk(row_node)
    elif isinstance(node, FamilyAggregate):
        yield from _walk(node.value)
        if node.where is not None:
            yield from _walk(node.where)
    elif isinstance(node, Kernel):
        for source_node in kernel_row_nodes(node):
            yield from _walk(source_node)
    for child in node.children():
        yield from _walk(child)


def _askers_outside_a_family_value(node: Node) -> Iterator[Asker]:
    if isinstance(node, FamilyAggregate):
        return
    if isinstance(node, Asker):
        yield node
    inner: Iterable[Node] = node.children()
    if isinstance(node, Aggregate):
        inner = node.row_nodes()
    elif isinstance(node, Kernel):
        inner = (*kernel_row_nodes(node), *node.children())
    for child in inner:
        yield from _askers_outside_a_family_value(child)


def kernel_row_nodes(node: Kernel) -> Iterator[Node]:
    """The row expressions of a kernel's specification (its options' first item)."""
    options = node.options if isinstance(node.options, tuple) else (node.options,)
    row_nodes = getattr(options[0], "row_nodes", None) if options else None
    if row_nodes is not None:
        yield from row_nodes()


def dependencies(node: Node) -> set[str]:
    return {item.name for item in nodes(node) if isinstance(item, Var)}


def parameters(node: Node) -> set[str]:
    return {item.name for item in nodes(node) if isinstance(item, Param)}


def variables_by_name(variables: Mapping[str, Variable]) -> dict[str, Node]:
    return {name: variable.expr for name, variable in variables.items()}
