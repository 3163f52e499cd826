"""``legalstay assess``, ``legalstay assess-population``, ``legalstay bench assess`` and
``legalstay bench pages``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from legalstay.cli import pages_bench
from legalstay.cli.exits import EXIT_BAD_INPUT, EXIT_OK, fail, warn
from legalstay.cli.options import count_option, date_option, positive_option
from legalstay.web.languages import LANGUAGE_CODES as INTERFACE_LANGUAGES

if TYPE_CHECKING:
    from legalstay.cli.outputs import PendingFile
    from legalstay.dossier import Dossier

__all__ = ["add_parsers"]

WARSAW = ZoneInfo("Europe/Warsaw")

# assess-population: 1M persons on this project's 2-core machine took 3.5–3.8 s with a peak of
# 790–810 MB in batches of 250,000 one at a time, and 3.8–4.1 s with 540–560 MB in batches of
# 100,000 two at a time (identical results; docs/population.md). With glibc's arenas capped
# (legalstay.cli.allocator), the whole command at 1M, defaults, on the nineteenth session's
# busier machine: 6.7–6.9 s and 472–483 MB, against 7.5–7.7 s and 633–655 MB uncapped, the
# same output. The batch size is the engine's DEFAULT_BATCH, written again here so that
# parsing the command line loads no Polars (a test holds the two equal).
DEFAULT_BATCH = 100_000
DEFAULT_WORKERS = 2


def add_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _add_assess(subparsers)
    _add_assess_population(subparsers)
    _add_bench(subparsers)


def today() -> dt.date:
    """Today in Poland: the shell, not the core, reads the clock."""
    return dt.datetime.now(WARSAW).date()


# ---------------------------------------------------------------- assess


def _add_assess(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "assess",
        help="one person's legal status, documents, deadlines and eligibility, with reasons",
        description="Reads a legalstay-dossier/1 JSON file (or - for standard input) and prints "
        "a legalstay-assessment/1 answer. Exit 0 on success, 2 on a bad dossier or option.",
    )
    parser.add_argument("dossier", help="dossier JSON file, or - for standard input")
    parser.add_argument("--as-of", type=date_option, help="the date to assess (default: today)")
    parser.add_argument(
        "--scenario",
        default="pl-baseline",
        help="law or reform to apply: pl-baseline (the law as researched, the default) or "
        "pl-amnesty-2025 (Amnesty International Poland's proposals, from 2026-01-01)",
    )
    parser.add_argument("--format", choices=("json", "text"), default="json")
    parser.add_argument(
        "--language",
        choices=INTERFACE_LANGUAGES,
        default="en",
        help="the language of --format text (default: en); the JSON is the same in every one",
    )
    parser.set_defaults(handler=run_assess)


def run_assess(args: argparse.Namespace) -> int:
    from legalstay.dossier import DossierError, dossier_from_dict
    from legalstay.engine.errors import EngineError, ScenarioError
    from legalstay.rulebook import load_rulebook

    as_of = args.as_of or today()
    try:
        raw = _read_json(args.dossier)
        dossier = dossier_from_dict(raw)
        _refuse_a_person_not_recorded(dossier)
        rulebook = load_rulebook()
        rulebook.parameters(args.scenario)  # an unknown name is the option's fault
    except DossierError as error:
        return fail(f"dossier {error}", EXIT_BAD_INPUT)
    except ScenarioError as error:
        return fail(f"--scenario: {error}", EXIT_BAD_INPUT)
    except EngineError as error:
        return fail(str(error), EXIT_BAD_INPUT)
    for later, earlier in _documents_recorded_twice(dossier):
        warn(
            f"dossier documents[{later}].number: the same kind, issuer and number as "
            f"documents[{earlier}]: one document recorded twice is read as two (a copy left "
            "valid when the other is marked lost still reads as held)"
        )
    for where, name in _unread_facts(dossier, "person"):
        warn(
            f"dossier {where}.facts.{name}: not a fact the rules read (docs/dossier.md lists "
            "them); it is left unread, and the fact meant reads as not recorded"
        )
    try:
        assessment = rulebook.assess(dossier, as_of, args.scenario)
    except EngineError as error:
        return fail(str(error), EXIT_BAD_INPUT)
    text = (
        json.dumps(assessment, ensure_ascii=False, indent=2)
        if args.format == "json"
        else render_text(assessment, args.language)
    )
    return _write_out(text)


def _documents_recorded_twice(dossier: Dossier) -> Iterator[tuple[int, int]]:
    """(later, earlier) positions of documents of one kind, issuer and number, compared as
    the registry compares them (as printed in the MRZ), which refuses such a pair."""
    from legalstay.dossier import normalise_document_number

    seen: dict[tuple[str, str | None, str], int] = {}
    for index, document in enumerate(dossier.documents):
        number = normalise_document_number(document.number or "")
        if not number:
            continue  # a document without a number is never taken for another
        key = (document.kind, document.issuer, number)
        if key in seen:
            yield index, seen[key]
        else:
            seen[key] = index


def _unread_facts(dossier: Dossier, where: str, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Facts of names no rule reads (a misspelt ``karta_polak``), the person's and nested
    relatives': the format keeps them (it may gain facts), but the fact meant reads as not
    recorded, so the caseworker is told. ``where``: the person's path; ``prefix``: the
    dossier's."""
    from legalstay.rulebook.inputs import unread_facts

    names = [f"fact_{name}" for name in dossier.person.extra.get("facts") or {}]
    for column in unread_facts(names):
        yield where, column.removeprefix("fact_")
    for index, link in enumerate(dossier.family):
        if link.dossier is not None:
            relative = f"{prefix}family[{index}].person"
            # Written flat, the relative's fields and family are both at family[i].person.
            person = relative if link.written_flat else f"{relative}.person"
            yield from _unread_facts(link.dossier, person, f"{relative}.")


def _refuse_a_person_not_recorded(dossier: Dossier) -> None:
    """A person known only by who they are has no status to derive: their empty lists mean
    "not recorded", not "none", and would read as irregular stay (the casework scan declines
    to assess them too)."""
    from legalstay.dossier import DossierError

    if not dossier.person.episodes_recorded:
        raise DossierError(
            "person.episodes_recorded",
            "is false: the person's documents and permits are not recorded, so their status "
            "cannot be derived (record them, or drop the mark once the lists are complete)",
        )


def _write_out(text: str) -> int:
    """The answer on standard output. A reader that stopped reading (``| head``) is not an
    error of ours; a disk that is full is, and says so without a traceback."""
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the pipe again when it flushes at exit: point stdout elsewhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:
        return fail(f"cannot write the assessment: {error.strerror or error}")
    return EXIT_OK


def _read_json(source: str) -> Any:
    from legalstay.dossier import DossierError, dossier_text, parse_json

    try:
        data = _read_stdin() if source == "-" else Path(source).read_bytes()
    except OSError as error:
        raise DossierError("$", f"cannot be read from {source}: {error.strerror}") from None
    return parse_json(dossier_text(data))


def _read_stdin() -> bytes:
    """Standard input's bytes, for the caller to decode as UTF-8 whatever the locale (which
    may decode it otherwise, or let bytes that are not text through as escapes)."""
    binary = getattr(sys.stdin, "buffer", None)
    return sys.stdin.read().encode("utf-8") if binary is None else binary.read()


def render_text(assessment: dict[str, Any], language: str) -> str:
    """A plain-language page for a caseworker's terminal, in the person page's words."""
    from legalstay.web.bootstrap import setup_django_standalone

    setup_django_standalone()  # the words and their translations; no database, no settings
    from legalstay.web.casework.assessment_text import render

    return render(assessment, language)


# ---------------------------------------------------------------- assess-population


def _add_assess_population(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    parser = subparsers.add_parser(
        "assess-population",
        help="assess every person of a Parquet population under the law and reforms",
        description="Reads PERSONS.parquet and its episode tables beside it "
        "(<stem>.documents.parquet, .titles, .applications, .stays_abroad, .family; see "
        "docs/population.md) and writes one row per person with a column "
        "'<scenario>.<output>' for each scenario and output.",
        epilog="Scenarios: pl-baseline, pl-amnesty-2025. Exit 0 on success (input read but "
        "perhaps not as meant is warned of on standard error), 2 on bad input or options "
        "(naming the file, column, person and rule; nothing is written), 130 on Ctrl-C and "
        "143 on SIGTERM (nothing is left half-written).",
    )
    parser.add_argument("persons", type=Path, help="persons Parquet file")
    parser.add_argument("--as-of", type=date_option, help="the date to assess (default: today)")
    parser.add_argument(
        "--scenario", default="pl-baseline", help="the baseline scenario (default pl-baseline)"
    )
    parser.add_argument(
        "--reform",
        action="append",
        default=[],
        help="a reform scenario evaluated in the same pass (repeatable)",
    )
    parser.add_argument("--out", type=Path, required=True, help="output Parquet file")
    parser.add_argument(
        "--why-not",
        type=Path,
        help="also write the per-condition 'why not' counts (CSV) to this file",
    )
    parser.add_argument(
        "--batch-size",
        type=positive_option,
        default=DEFAULT_BATCH,
        help=f"persons per batch of whole families (bounds memory; default {DEFAULT_BATCH:,})",
    )
    parser.add_argument(
        "--workers",
        type=positive_option,
        default=DEFAULT_WORKERS,
        help=f"batches assessed side by side (default {DEFAULT_WORKERS}: part of a batch's work "
        "is single-threaded, so a second batch fills the other core)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=run_assess_population)


def run_assess_population(args: argparse.Namespace) -> int:
    import polars as pl

    from legalstay.cli.outputs import OutputError, PendingFile, check_outputs
    from legalstay.engine.errors import EngineError
    from legalstay.engine.files import input_paths, unreadable_file

    scenarios = [args.scenario, *args.reform]
    repeated = next((name for i, name in enumerate(scenarios) if name in scenarios[:i]), None)
    if repeated is not None:
        where = "the --scenario" if repeated == args.scenario else "an earlier --reform"
        return fail(
            f"--reform {repeated}: already {where}; each scenario is assessed once",
            EXIT_BAD_INPUT,
        )
    unknown = _unknown_scenario(args)
    if unknown is not None:
        return fail(unknown, EXIT_BAD_INPUT)
    out = PendingFile("--out", args.out)
    why = PendingFile("--why-not", args.why_not) if args.why_not else None
    outputs = [out] if why is None else [out, why]
    try:
        check_outputs(outputs, input_paths(args.persons))
        persons = _assess_to_files(args, scenarios, out, why)
        for output in outputs:
            output.commit()
    except (EngineError, OutputError) as error:
        return fail(_naming_the_file(error, args.persons), EXIT_BAD_INPUT)
    except pl.exceptions.ComputeError:
        # A file whose rows cannot be read is bad input, named; any other error is ours.
        unreadable = unreadable_file(args.persons)
        if unreadable is None:
            raise
        path, reason = unreadable
        return fail(f"{path}: not a readable Parquet file ({reason})", EXIT_BAD_INPUT)
    finally:
        for output in reversed(outputs):
            output.discard()  # after a failure: no temporary file, nor a folder made for it
    print(f"{persons} persons, {len(scenarios)} scenario(s) -> {args.out}", file=sys.stderr)
    return EXIT_OK


def _naming_the_file(error: Exception, persons: Path) -> str:
    """The message, led by the file it is about where it names an input table's rows."""
    from legalstay.engine.files import episode_path

    table = getattr(error, "table", None)
    if table is None:
        return str(error)
    path = persons if table == "persons" else episode_path(persons, table)
    return f"{path}: {error}"


def _unknown_scenario(args: argparse.Namespace) -> str | None:
    """The option naming a scenario the rulebook does not know, and why: checked before the
    population is read."""
    from legalstay.engine.errors import ScenarioError
    from legalstay.rulebook import load_rulebook

    rulebook = load_rulebook()
    named = [("--scenario", args.scenario), *(("--reform", name) for name in args.reform)]
    for option, name in named:
        try:
            rulebook.parameters(name)
        except ScenarioError as error:
            return f"{option}: {error}"
    return None


def _assess_to_files(
    args: argparse.Namespace, scenarios: list[str], out: PendingFile, why: PendingFile | None
) -> int:
    """Writes the results batch by batch, in the persons table's order, and the summed why-not
    table, under their temporary names; returns the number of persons."""
    from tqdm import tqdm

    from legalstay.cli.outputs import ParquetInOrder, write_at_once
    from legalstay.engine.files import read_population
    from legalstay.rulebook import load_rulebook, reason_counts
    from legalstay.rulebook.inputs import check_population

    tables = read_population(args.persons)
    check_population(tables)
    _warn_of_input_perhaps_not_meant(args.persons, tables)
    rulebook = load_rulebook()
    # A missing or repeated id is refused (by engine.batches) before the first batch is written.
    ids = tables["persons"].select("person_id").collect()["person_id"].to_numpy()
    writer = ParquetInOrder(out, ids, args.batch_size)
    everyone = ids.size
    del ids
    persons, reasons = 0, None
    # Persons, not batches: a population under one batch would show 0/1, then 1/1. Shown on a
    # terminal only (tqdm's None): a log would fill with carriage returns.
    quiet = True if args.quiet else None
    with tqdm(
        total=everyone, desc="assessing", unit=" persons", disable=quiet, file=sys.stderr
    ) as bar:
        batches = rulebook.assess_population_batches(
            tables,
            args.as_of or today(),
            scenarios,
            batch_size=args.batch_size,
            workers=args.workers,
        )
        try:
            for batch in batches:
                writer.write(batch)
                persons += batch.height
                bar.update(batch.height)
                counts = reason_counts(rulebook, batch, scenarios)
                reasons = counts if reasons is None else _add_counts(reasons, counts)
            writer.close()
        except BaseException:
            writer.abort()
            raise
    if why is not None and reasons is not None:
        write_at_once(why, reasons.write_csv)
    return persons


# Tables a population of this kind has rows in: one missing is more likely left out of an
# export than empty (relatives and stays abroad may well be none).
_TABLES_EVERYONE_HAS = ("documents", "titles", "applications")
# The applications' optional columns (not recorded where absent), and what a file without
# one reads differently from one that records it.
_APPLICATION_COLUMNS_UNREAD = {
    "completed_on": "a cure of defects not recorded leaves an incomplete application so",
    "suspended_at_party_request": "a suspension not recorded lets the case be called late",
    "appeal_filed": "an appeal not recorded lets a refusal become final when its days pass",
    "channel": "every application reads as filed through MOS, none on paper",
}


def _warn_of_input_perhaps_not_meant(persons: Path, tables: dict[str, Any]) -> None:
    """Input the assessment reads, but perhaps not as the analyst meant: each would change
    answers without an error (episode tables under another name read as none at all, a
    misspelt fact as not recorded, a link written one way as no link for the other)."""
    from legalstay.engine.files import EPISODE_TABLES, episode_path
    from legalstay.engine.population import PERSON_FACT_TYPES
    from legalstay.rulebook.inputs import one_way_links, unread_facts

    missing = [table for table in EPISODE_TABLES if table not in tables]
    if len(missing) == len(EPISODE_TABLES):
        looked = ", ".join(episode_path(persons, table).name for table in EPISODE_TABLES)
        warn(
            f"{persons}: no episode table found beside it (looked for {looked}): every person "
            "is assessed with no documents, titles, applications, stays abroad or relatives"
        )
    else:  # one left out of an export reads as none for everyone: refugees read irregular
        for table in [name for name in missing if name in _TABLES_EVERYONE_HAS]:
            warn(
                f"{persons}: no {table} table found beside it (looked for "
                f"{episode_path(persons, table).name}): every person is assessed with none"
            )
    if "applications" in tables:
        present = set(tables["applications"].collect_schema().names())
        for column, effect in _APPLICATION_COLUMNS_UNREAD.items():
            if column not in present:
                warn(
                    f"{persons}: the applications table has no column {column!r}: it reads as "
                    f"not recorded for every application ({effect})"
                )
    unread = unread_facts(tables["persons"].collect_schema().names())
    if unread:
        known = ", ".join(PERSON_FACT_TYPES)
        for column in unread:
            warn(
                f"{persons}: column {column!r} is not a fact the rules read (they read {known}); "
                "it is left unread, and that fact reads as not recorded"
            )
    one_way = one_way_links(tables)
    if one_way is not None:
        warn(one_way.warning())


def _add_counts(total: Any, more: Any) -> Any:
    import polars as pl

    return total.with_columns(pl.col(count) + more[count] for count in COUNTS)


# The why-not table's counts, summed over batches.
COUNTS = ("unmet", "unknown", "deciding")


# ---------------------------------------------------------------- bench


def _add_bench(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("bench", help="benchmarks that print their figures")
    inner = parser.add_subparsers(dest="bench", metavar="BENCHMARK", required=True)
    assess = inner.add_parser(
        "assess",
        help="time load + baseline + one reform + reason codes on a seeded population",
        description="Generates a seeded population, writes it as Parquet, and measures "
        "(each run in a fresh process) a plain scan of the files and the end-to-end "
        "assessment: load, baseline, one reform and reason codes. Prints medians.",
    )
    assess.add_argument(
        "--persons",
        type=positive_option,
        default=100_000,
        help="persons generated (default 100000)",
    )
    assess.add_argument(
        "--seed", type=count_option, default=1, help="the generator's seed (default 1)"
    )
    assess.add_argument(
        "--repeat", type=positive_option, default=3, help="runs per measurement, median (default 3)"
    )
    # A fixed day, not today: runs on different days then measure the same work.
    assess.add_argument(
        "--as-of",
        type=date_option,
        default=dt.date(2026, 11, 26),
        help="the date assessed (default 2026-11-26, fixed so runs compare)",
    )
    assess.add_argument(
        "--reform", default="pl-amnesty-2025", help="the reform assessed beside the baseline"
    )
    assess.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default) or one JSON object with persons, seconds, persons_per_s, "
        "scan_seconds, ratio_to_scan, peak_rss_bytes and more",
    )
    assess.add_argument("--dir", type=Path, help="keep the generated files in this folder")
    assess.add_argument(
        "--batch-size",
        type=count_option,
        default=0,
        help="assess in batches of whole families of this many persons (0: everyone in one pass)",
    )
    assess.add_argument(
        "--workers",
        type=positive_option,
        default=1,
        help="with --batch-size: batches assessed side by side (default 1)",
    )
    assess.set_defaults(handler=run_bench_assess)
    _add_bench_pages(inner)


def run_bench_assess(args: argparse.Namespace) -> int:
    from legalstay.cli.bench import bench_assess
    from legalstay.engine.errors import ScenarioError
    from legalstay.rulebook import BASELINE, load_rulebook

    if args.reform == BASELINE:
        return fail(f"--reform {BASELINE}: is the baseline; name a reform", EXIT_BAD_INPUT)
    if args.workers != 1 and not args.batch_size:
        # One pass has no batches to assess side by side: the figures would say 2 for nothing.
        return fail("--workers: counts batches side by side; give --batch-size too", EXIT_BAD_INPUT)
    try:
        load_rulebook().parameters(args.reform)
    except ScenarioError as error:
        return fail(f"--reform: {error}", EXIT_BAD_INPUT)
    if args.dir is not None:
        problem = _folder_problem(args.dir)
        if problem:
            return fail(f"--dir {args.dir}: {problem}", EXIT_BAD_INPUT)
    problem = _files_in_the_way(args.dir) if args.dir is not None else None
    if problem:
        return fail(f"--dir {args.dir}: {problem}", EXIT_BAD_INPUT)
    figures = bench_assess(
        persons=args.persons,
        seed=args.seed,
        repeat=args.repeat,
        as_of=args.as_of,
        reform=args.reform,
        keep=args.dir,
        batch_size=args.batch_size,
        workers=args.workers,
        progress=args.format == "text",
    )
    if args.format == "json":
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:>24}: {value:,.4g}" if isinstance(value, float) else f"{key:>24}: {value}")
    return EXIT_OK


def _files_in_the_way(folder: Path) -> str | None:
    """A population file the bench would write that cannot be (a folder of its name)."""
    from legalstay.engine.files import input_paths

    for _, path in input_paths(folder / "persons.parquet"):
        if path.exists() and not path.is_file():
            return f"{path.name} is a folder, not a file the population can be written to"
    return None


def _folder_problem(folder: Path) -> str | None:
    """Why files cannot be written in ``folder`` (created if missing), or None."""
    import os

    if folder.exists() and not folder.is_dir():
        return "is a file, not a folder"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"cannot be created ({error.strerror or error})"
    if not os.access(folder, os.W_OK | os.X_OK):
        return "cannot be written"
    return None


def _add_bench_pages(inner: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pages = inner.add_parser(
        "pages",
        help="latency of the worklists and person pages under concurrent caseworkers",
        description="Measures a running server over HTTP. Logs USERS simulated caseworkers in "
        "(each its own session and thread), finds the worklists on the dashboard and person "
        "pages on the worklists, and has each caseworker open a worklist or a person page "
        "(half and half), read it for the think time and open the next, until the duration "
        "is up. Before the load, the login page and the same pages are timed alone. Prints "
        "requests/s, p50/p95/p99 and errors per page kind. Exit 0 when measured, 1 when the "
        "server does not answer or the login fails, 2 on a bad option.",
    )
    pages.add_argument(
        "--url",
        type=pages_bench.parse_base_url,
        default="http://127.0.0.1:8000",
        help="the running server (default: %(default)s)",
    )
    pages.add_argument("--username", default="demo", help="account to log in as (default: demo)")
    pages.add_argument("--password", default="legalstay-demo", help="its password")
    pages.add_argument(
        "--users", type=positive_option, default=20, help="concurrent caseworkers (default: 20)"
    )
    pages.add_argument(
        "--duration",
        type=pages_bench.parse_seconds,
        default=60.0,
        metavar="SECONDS",
        help="how long the load lasts (default: 60)",
    )
    pages.add_argument(
        "--think",
        type=pages_bench.parse_think,
        default="1-3",
        metavar="MIN-MAX",
        help="seconds each caseworker reads a page before the next, uniform "
        "(default: 1-3; 0 for a closed loop)",
    )
    pages.add_argument("--seed", type=int, default=1, help="of the pages' random choice")
    pages.add_argument("--format", choices=("text", "json"), default="text")
    pages.set_defaults(handler=run_bench_pages)


def run_bench_pages(args: argparse.Namespace) -> int:
    try:
        figures = pages_bench.bench_pages(
            base=args.url,
            username=args.username,
            password=args.password,
            users=args.users,
            seconds=args.duration,
            think=args.think,
            seed=args.seed,
            progress=args.format == "text",
        )
    except pages_bench.BenchPagesError as error:
        return fail(str(error))
    print(
        json.dumps(figures, indent=2) if args.format == "json" else pages_bench.render_text(figures)
    )
    return EXIT_OK
