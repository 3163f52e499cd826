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

from legalstay.cli.options import date_option, positive_option
from legalstay.cli.outputs import OutputError, PendingFile, check_outputs, write_at_once
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
    normalise_period,
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
        # At least 1: a caseload count of 1 to N-1 is withheld (suppress_small_cells refuses
        # less); a negative or zero threshold would only look like a privacy setting.
        type=positive_option,
        default=10,
        metavar="N",
        help="caseload counts from 1 to N-1 are withheld (at least 1; default 10)",
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
    retrieved = args.retrieved or _today()
    try:
        # Checked before --bundled writes anything, so a mistyped name imports nothing.
        store = _store_dir(args)
        _check_import_files(args.files)
    except ValueError as error:
        return _fail(f"{error}; nothing was imported")
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
    except OSError as error:
        # Every file is read before the store is written, and the store is replaced
        # atomically: whichever failed, the store is as it was.
        return _fail(_import_os_error(error, args.files, store))
    for report in reports:
        _print_import(report)
    return EXIT_OK


def _store_dir(args: argparse.Namespace) -> Path:
    """The store folder; ValueError naming --store when it is a file (the store is a folder
    holding observations.parquet; a file there would read as an empty store)."""
    store: Path = args.store or default_store_dir()
    if os.path.lexists(store) and not store.is_dir():
        raise ValueError(f"--store {store}: is a file, not a folder; name the store's folder")
    return store


def _check_import_files(files: list[Path]) -> None:
    """ValueError naming the first file that is missing or a folder."""
    for path in files:
        if path.is_dir():
            raise ValueError(f"{path}: is a folder, not a file; name the files in it ({path}/*)")
        if not path.exists():
            raise ValueError(f"{path}: no such file")


def _import_os_error(error: OSError, files: list[Path], store: Path) -> str:
    reason = error.strerror or str(error)
    if error.filename is not None and str(error.filename) in {str(path) for path in files}:
        return (
            f"{error.filename}: cannot be read ({reason}); "
            "nothing was imported from this file or the ones after it"
        )
    return f"--store {store}: cannot be written ({reason}); nothing was imported"


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
    try:
        filters = _filters(args)  # the options first: a mistake is named before any reading
        observations = _stored(_store_dir(args))
        rows = query(observations, dataset=args.dataset, filters=filters)
    except (StatsQueryError, ValueError) as error:
        return _fail(str(error))
    print(_formatted(rows, args.format), end="")
    return EXIT_OK


def _stored(store: Path) -> pl.DataFrame:
    """The store's observations; ValueError saying how to fill it when it has none (query and
    datasets read the store only; a missing folder is a store nothing was imported into)."""
    observations = load_store(store)
    if observations.height == 0:
        raise ValueError(
            f"the store {store} is empty: run `legalstay stats import --bundled` or import files"
        )
    return observations


def _filters(args: argparse.Namespace) -> dict[str, list[str]]:
    """The filters by dimension. A dimension is named once: a second --filter for it, or a
    --filter for one that has its own option, would silently replace the first, so both are
    refused with the comma-separated form to use instead."""
    filters: dict[str, list[str]] = {}
    given: dict[str, str] = {}
    for name in _FIXED_FILTERS:
        raw = getattr(args, name)
        if raw is not None:
            filters[name] = _codes(f"--{name}", name, raw)
            given[name] = f"--{name} {raw}"
    for item in args.filter:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or not name or not raw:
            raise ValueError(f"--filter {item!r} is not DIMENSION=CODE")
        if name in given:
            earlier = given[name]
            both = ",".join([*filters[name], *raw.split(",")])
            form = f"--{name} {both}" if name in _FIXED_FILTERS else f"--filter {name}={both}"
            raise ValueError(
                f"--filter {item}: {name} is already filtered by {earlier}; "
                f"give {name} once, codes comma-separated ({form})"
            )
        filters[name] = _codes(f"--filter {name}", name, raw)
        given[name] = f"--filter {item}"
    return filters


def _codes(option: str, name: str, raw: str) -> list[str]:
    """The comma-separated codes of one filter; an empty code would match nothing (or, for an
    empty option, filter nothing) and a period must be one the store could hold."""
    codes = [code.strip() for code in raw.split(",")]
    if not all(codes):
        raise ValueError(f"{option} {raw!r}: an empty code; give codes such as BY or BY,UA")
    if name != "period":
        return codes
    periods = [normalise_period(code) for code in codes]
    for code, period in zip(codes, periods, strict=True):
        if period is None:
            raise ValueError(
                f"{option} {code}: not a period (YYYY, YYYY-MM, YYYY-Qn, YYYY-Sn, YYYY-Www, "
                "a calendar day YYYY-MM-DD, or FROM/TO)"
            )
    return [period for period in periods if period is not None]


def _formatted(rows: pl.DataFrame, output: str) -> str:
    if output == "json":
        return json.dumps(to_records(rows), ensure_ascii=False, indent=1) + "\n"
    return to_csv_text(rows) if output == "csv" else to_table_text(rows)


def _report(args: argparse.Namespace) -> int:
    out = PendingFile("--out", args.out)  # written beside --out and renamed: never half a file
    try:
        # Before any work: --out's folder (created if missing, as assess-population's), that
        # it is no folder itself and not the caseload file read.
        check_outputs([out], [("caseload", args.caseload)] if args.caseload else [])
        store = _store_dir(args)
    except (OutputError, ValueError) as error:
        return _fail(str(error))
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
        write_at_once(out, lambda path: _write_text(path, html))
        out.commit()
    except (OSError, ValueError, pl.exceptions.PolarsError, OutputError) as error:
        return _fail(str(error))
    finally:
        out.discard()  # after a failure: no temporary file, nor a folder made for it
    print(f"wrote {args.out} ({len(html):,} bytes)")
    return EXIT_OK


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _caseload(path: Path) -> pl.DataFrame:
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    return pl.read_csv(path, try_parse_dates=True)


def _datasets(args: argparse.Namespace) -> int:
    try:
        observations = _stored(_store_dir(args))  # as query: an empty store is exit 2
    except ValueError as error:
        return _fail(str(error))
    rows = [
        _dataset_line(code, observations.filter(pl.col("dataset") == code))
        for code in sorted(observations["dataset"].unique().to_list())
    ]
    print("\n".join(rows))
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
