"""Small-cell suppression for everything that leaves the app.

A count of 1 to ``threshold - 1`` persons is withheld: its value becomes null and its flag
``<N`` (N the threshold), which every output shows instead of the number. Zero stays: it says
nobody, which identifies nobody. Because totals are published next to their parts, one withheld
part could be recovered by subtraction; so where a margin (the parts of a TOTAL along one
dimension) has exactly one withheld part and a visible total, the smallest visible part is
withheld too (flag ``c``, as statistical offices mark secondary confidentiality), or the total
itself when there is no other part. This repeats until no margin gives a cell away.
"""

from __future__ import annotations

import polars as pl

from legalstay.stats.tidy import present_dimensions

__all__ = ["SECONDARY_FLAG", "suppress_small_cells"]

SECONDARY_FLAG = "c"
_TOTAL = "TOTAL"


def suppress_small_cells(frame: pl.DataFrame, threshold: int) -> pl.DataFrame:
    """``frame`` (tidy rows of counts) with small counts and what would reveal them withheld."""
    if threshold < 1:
        raise ValueError("the suppression threshold is a count of at least 1")
    small = pl.col("value").is_not_null() & (pl.col("value") > 0) & (pl.col("value") < threshold)
    result = frame.with_columns(
        pl.when(small).then(None).otherwise(pl.col("value")).alias("value"),
        pl.when(small).then(pl.lit(f"<{threshold}")).otherwise(pl.col("flag")).alias("flag"),
    )
    return _complemented(result.with_row_index("_row"), f"<{threshold}").drop("_row")


def _complemented(frame: pl.DataFrame, primary: str) -> pl.DataFrame:
    margins = [d for d in present_dimensions(frame.drop("_row")) if _TOTAL in frame[d]]
    while True:
        rows = {row for margin in margins for row in _revealing(frame, margin, primary)}
        if not rows:
            return frame
        withheld = pl.col("_row").is_in(sorted(rows))
        frame = frame.with_columns(
            pl.when(withheld).then(None).otherwise(pl.col("value")).alias("value"),
            pl.when(withheld).then(pl.lit(SECONDARY_FLAG)).otherwise(pl.col("flag")).alias("flag"),
        )


def _revealing(frame: pl.DataFrame, margin: str, primary: str) -> list[int]:
    """Rows to withhold so that no group along ``margin`` has a lone withheld part."""
    hidden = pl.col("flag").is_in([primary, SECONDARY_FLAG]) & pl.col("value").is_null()
    group = [
        "dataset",
        "period",
        *(d for d in present_dimensions(frame.drop("_row")) if d != margin),
    ]
    marked = frame.with_columns(hidden.alias("_hidden"), (pl.col(margin) == _TOTAL).alias("_total"))
    candidates = marked.group_by(group, maintain_order=True).agg(
        ((pl.col("_hidden") & ~pl.col("_total")).sum() == 1).alias("_lone"),
        (pl.col("_total") & ~pl.col("_hidden")).any().alias("_total_visible"),
        _smallest_visible_part().alias("_part"),
        pl.col("_row").filter(pl.col("_total")).first().alias("_total_row"),
    )
    exposed = candidates.filter(pl.col("_lone") & pl.col("_total_visible"))
    chosen = exposed.select(pl.coalesce("_part", "_total_row")).to_series()
    return [int(row) for row in chosen.drop_nulls().to_list()]


def _smallest_visible_part() -> pl.Expr:
    visible_parts = ~pl.col("_hidden") & ~pl.col("_total")
    return (
        pl.col("_row").filter(visible_parts).sort_by(pl.col("value").filter(visible_parts)).first()
    )
