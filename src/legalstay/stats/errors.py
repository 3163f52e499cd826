"""The errors of the statistics core: a bad file says where and why, a bad query says what."""

from __future__ import annotations

__all__ = ["CaseloadSchemaError", "StatsFormatError", "StatsQueryError"]


class StatsFormatError(ValueError):
    """A file that is not what its format promises: ``line`` is 1-based, None if no line applies."""

    def __init__(self, reason: str, *, line: int | None = None, path: str | None = None) -> None:
        self.reason = reason
        self.line = line
        self.path = path
        super().__init__(self.describe())

    def describe(self) -> str:
        """``path:line: reason`` (the parts that are known)."""
        where = ":".join(part for part in (self.path, _line_text(self.line)) if part)
        return f"{where}: {self.reason}" if where else self.reason

    def in_file(self, path: str) -> StatsFormatError:
        """The same error, naming the file it came from."""
        return StatsFormatError(self.reason, line=self.line, path=path)


class StatsQueryError(ValueError):
    """A query that names a dataset or dimension the store does not have."""


class CaseloadSchemaError(ValueError):
    """A caseload frame without the columns (or types) that caseload statistics need."""


def _line_text(line: int | None) -> str:
    return f"line {line}" if line is not None else ""
