"""`legalstay stats`: import official statistics, query them, draw the report.

The shell around :mod:`legalstay.stats`: it reads the environment (``LEGALSTAY_VAR_DIR``), the
clock (today's date as the default retrieval date) and the terminal (progress bars); the core
gets paths and dates as arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

import polars as pl

from legalstay.cli.options import date_option
from legalstay.stats import (
    StatsFormatError,
    StatsQueryError,
    build_report,
    bundled_observations,
    dataset_info,
    import_bundled,
    import_files,
    load_store,
    merge_observations,
    present_dimensions,
    query,
    to_csv_text,
    to_records,
    to_table_text,
)
from legalstay.stats.store import ImportReport

__all__ = ["add_parsers", "default_store_dir"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2
_FIXED_FILTERS = ("citizen", "geo", "period")


def add_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``stats import``, ``stats query``, ``stats report`` and ``stats datasets``."""
    stats = subparsers.add_parser(
        "stats",
        help="official statistics (Eurostat, UNHCR, published figures): import, query, report",
        description="Official migration statistics next to the caseload's own.",
    )
    commands = stats.add_subparsers(dest="stats_command", metavar="STATS_COMMAND", required=True)
    _add_import(commands)
    _add_query(commands)
    _add_report(commands)
    _add_datasets(commands)


def default_store_dir() -> Path:
    """``$LEGALSTAY_VAR_DIR/stats`` if set, else ``var/stats`` under the current directory."""
    var_dir = os.environ.get("LEGALSTAY_VAR_DIR")
    return (Path(var_dir) if var_dir else Path("var")) / "stats"


def _store_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        type=Path,
        metavar="DIR",
        help="the statistics store (default: $LEGALSTAY_VAR_DIR/stats or var/stats)",
    )


def _add_import(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "import",
        help="import Eurostat TSV/SDMX-CSV/JSON-stat, UNHCR or published-figures files",
        description="Imports files (format told from the content). Importing the same file "
        "again changes nothing. A malformed file stops the import before the store is touched.",
    )
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE")
    parser.add_argument(
        "--bundled", action="store_true", help="import the extracts shipped with legalstay"
    )
    parser.add_argument(
        "--dataset",
        help="the dataset code, where the file does not say "
        "(Eurostat TSV not named after its dataset)",
    )
    parser.add_argument("--source", help="the source to record (default: what the file says)")
    parser.add_argument(
        "--retrieved",
        type=date_option,
        metavar="YYYY-MM-DD",
        help="when the files were downloaded (default: today)",
    )
    _store_argument(parser)
    parser.set_defaults(handler=_import)


def _add_query(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "query",
        help="print observations of one dataset",
        description="Prints the observations of a dataset that match the filters. Several "
        "codes may be given comma-separated (--citizen BY,UA).",
    )
    parser.add_argument(
        "--dataset",
        required=True,
        help="e.g. migr_resvalid, unhcr_asylum_applications, published_figures",
    )
    parser.add_argument("--citizen", help="citizenship (ISO alpha-2 or Eurostat code)")
    parser.add_argument("--geo", help="reporting / asylum country (ISO alpha-2 or Eurostat code)")
    parser.add_argument("--period", help="period as stored (2023, 2023-01, 2024-02-29)")
    parser.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="DIMENSION=CODE",
        help="any other dimension, e.g. --filter reason=TOTAL (repeatable)",
    )
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    _store_argument(parser)
    parser.set_defaults(handler=_query)


def _add_report(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "report",
        help="write the self-contained HTML report with charts",
        description="Writes the report from the shipped extracts and whatever the store holds "
        "(stored observations win where both have the same one).",
    )
    parser.add_argument("--out", type=Path, required=True, metavar="FILE")
    parser.add_argument(
        "--caseload",
        type=Path,
        metavar="FILE",
        help="per-person caseload rows (Parquet or CSV; see docs/statistics.md)",
    )
    parser.add_argument(
        "--threshold",
        type=int,
        default=10,
        help="caseload counts below this are withheld (default 10)",
    )
    parser.add_argument("--citizen", default="BY")
    parser.add_argument("--geo", default="PL")
    _store_argument(parser)
    parser.set_defaults(handler=_report)


def _add_datasets(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("datasets", help="list the datasets in the store")
    _store_argument(parser)
    parser.set_defaults(handler=_datasets)


def _import(args: argparse.Namespace) -> int:
    if not args.files and not args.bundled:
        return _fail("name files to import, or --bundled")
    store = args.store or default_store_dir()
    retrieved = args.retrieved or _today()
    try:
        reports = [import_bundled(store)] if args.bundled else []
        if args.files:
            reports.append(
                import_files(
                    store,
                    args.files,
                    dataset=args.dataset,
                    source=args.source,
                    retrieved=retrieved,
                    progress=sys.stderr.isatty(),
                )
            )
    except StatsFormatError as error:
        return _fail(f"{error}; nothing was imported from this file or the ones after it")
    for report in reports:
        _print_import(report)
    return EXIT_OK


def _print_import(report: ImportReport) -> None:
    for file in report.files:
        print(
            f"{file.name}: {file.format}, {file.dataset}: {file.added} added, "
            f"{file.updated} updated, {file.unchanged} unchanged"
        )
        for note in file.notes:
            print(f"  note: {note}")
    print(f"total: {report.added} added, {report.updated} updated, {report.unchanged} unchanged")


def _query(args: argparse.Namespace) -> int:
    store = args.store or default_store_dir()
    observations = load_store(store)
    if observations.height == 0:
        return _fail(
            f"the store {store} is empty: run `legalstay stats import --bundled` or import files"
        )
    try:
        rows = query(observations, dataset=args.dataset, filters=_filters(args))
    except (StatsQueryError, ValueError) as error:
        return _fail(str(error))
    print(_formatted(rows, args.format), end="")
    return EXIT_OK


def _filters(args: argparse.Namespace) -> dict[str, list[str]]:
    filters = {
        name: getattr(args, name).split(",") for name in _FIXED_FILTERS if getattr(args, name)
    }
    for item in args.filter:
        name, sep, codes = item.partition("=")
        if not sep or not name or not codes:
            raise ValueError(f"--filter {item!r} is not DIMENSION=CODE")
        filters[name.strip()] = codes.split(",")
    return filters


def _formatted(rows: pl.DataFrame, output: str) -> str:
    if output == "json":
        return json.dumps(to_records(rows), ensure_ascii=False, indent=1) + "\n"
    return to_csv_text(rows) if output == "csv" else to_table_text(rows)


def _report(args: argparse.Namespace) -> int:
    store = args.store or default_store_dir()
    observations = merge_observations(bundled_observations(), load_store(store)).observations
    try:
        caseload = _caseload(args.caseload) if args.caseload else None
        html = build_report(
            observations,
            generated=_today(),
            caseload=caseload,
            suppression_threshold=args.threshold,
            citizen=args.citizen,
            geo=args.geo,
        )
    except (OSError, ValueError, pl.exceptions.PolarsError) as error:
        return _fail(str(error))
    args.out.write_text(html, encoding="utf-8")
    print(f"wrote {args.out} ({len(html):,} bytes)")
    return EXIT_OK


def _caseload(path: Path) -> pl.DataFrame:
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    return pl.read_csv(path, try_parse_dates=True)


def _datasets(args: argparse.Namespace) -> int:
    observations = load_store(args.store or default_store_dir())
    rows = [
        _dataset_line(code, observations.filter(pl.col("dataset") == code))
        for code in sorted(observations["dataset"].unique().to_list())
    ]
    print("\n".join(rows) if rows else "the store is empty")
    return EXIT_OK


def _dataset_line(code: str, rows: pl.DataFrame) -> str:
    info = dataset_info().get(code)
    title = f" — {info.title}" if info else ""
    periods = f"{rows['period'].min()!s}..{rows['period'].max()!s}"
    dimensions = ",".join(present_dimensions(rows))
    return f"{code}{title}\n  {rows.height} observations, {periods}, dimensions {dimensions}"


def _today() -> dt.date:
    # The shell reads the clock (in local time: the day the user means); the core never does.
    return dt.datetime.now().astimezone().date()


def _fail(message: str) -> int:
    print(f"legalstay stats: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT
