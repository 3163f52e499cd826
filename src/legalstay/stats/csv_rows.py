"""CSV text read row by row, each row with its line number; broken CSV is a StatsFormatError."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from legalstay.stats.errors import StatsFormatError

__all__ = ["numbered_rows"]


def numbered_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` for every row; ``line`` is where the row ends (quoted cells may span
    lines). Strict quoting, so a stray quote is an error rather than a silently merged row."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise StatsFormatError(f"not CSV: {error}", line=reader.line_num) from None
        yield reader.line_num, row
