"""Errors of the rules engine. Every message says what, where, why and how to fix it.

EngineError
├── ParameterError     a parameter file breaks the schema (file, parameter, field)
├── ScenarioError      an overlay patches an unknown parameter or has a bad value
├── RuleError          a rule definition is inconsistent (cycle, unknown variable)
└── EvaluationError    evaluation failed for a reason the facts cannot fix
"""

from __future__ import annotations

__all__ = [
    "NO_PERSON_ID",
    "EngineError",
    "EvaluationError",
    "ParameterError",
    "RuleError",
    "ScenarioError",
]

# A persons table's rows without an id: each reader of one refuses it in these words.
NO_PERSON_ID = "the persons table has persons without a person_id"


class EngineError(Exception):
    """Base of every engine error."""


class ParameterError(EngineError):
    def __init__(self, source: str, parameter: str, problem: str) -> None:
        super().__init__(f"{source}: parameter {parameter!r}: {problem}")
        self.source = source
        self.parameter = parameter
        self.problem = problem


class ScenarioError(EngineError):
    pass


class RuleError(EngineError):
    pass


class EvaluationError(EngineError):
    """``table``: the input table whose rows the message is about, where it is one (a command
    reading files names the file)."""

    def __init__(self, message: str, table: str | None = None) -> None:
        super().__init__(message)
        self.table = table
