"""``legalstay bench assess``: end-to-end speed of the population back-end, measured.

Each measurement runs in a fresh Python process (so peak memory is its own and nothing is
cached between runs) and is repeated; the figures are medians. Loading the rulebook is timed
apart (``rulebook_load_seconds``), as the research protocol's "system load" phase; ``seconds``
is reading the population's Parquet files, the baseline, one reform and the reason codes.
The yardstick is a plain scan of the same Parquet files, measured in the same run: the ratio
says what the rules cost on top of reading the data. Beside each wall time, the CPU time of
the process's threads (``cpu_seconds``, ``scan_cpu_seconds``): on a shared machine a run
that waits for a core takes longer, but uses no more CPU.

Working memory per person is the peak resident memory above that of the process after a
warm-up: the same job on a few hundred persons for another date, which brings the code it
runs and the libraries' thread pools into memory (about 65 MB, the same for 100 persons or
a million) without leaving the measured date's compiled plan behind. The figure above the
process after imports is reported too (``working_bytes_per_person_from_import``).
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["bench_assess", "worker_main"]


def bench_assess(
    *,
    persons: int,
    seed: int,
    repeat: int,
    as_of: dt.date,
    reform: str,
    keep: Path | None,
    progress: bool,
    batch_size: int = 0,
    workers: int = 2,
) -> dict[str, Any]:
    from legalstay.engine.files import write_population
    from legalstay.synthetic import generate_population

    with tempfile.TemporaryDirectory(prefix="legalstay-bench-") as scratch:
        folder = keep or Path(scratch)
        path = folder / "persons.parquet"
        _note(progress, f"generating {persons:,} persons (seed {seed})")
        write_population(generate_population(persons, seed, as_of=as_of), path)
        job = (path, as_of, reform, batch_size, workers, progress)
        # Alternated, so that the scan and the evaluation see the same moments of a shared
        # machine (all scans first made the ratio follow the load of a minute, not the code).
        scans, runs = [], []
        for _ in range(repeat):
            scans.append(_run_worker("scan", *job))
            runs.append(_run_worker("assess", *job))
        explains = _run_worker("explain", *job)
    figures = _figures(persons, scans, runs, explains)
    return {**figures, "batch_size": batch_size, "workers": workers}


def _figures(
    persons: int, scans: list[dict[str, Any]], runs: list[dict[str, Any]], explain: dict[str, Any]
) -> dict[str, Any]:
    seconds = statistics.median(run["seconds"] for run in runs)
    scan_seconds = statistics.median(scan["seconds"] for scan in scans)
    peak = statistics.median(run["peak_rss_bytes"] for run in runs)
    loaded = statistics.median(run["rss_after_import_bytes"] for run in runs)
    warm = statistics.median(run["rss_after_warm_up_bytes"] for run in runs)
    return {
        "persons": persons,
        "seconds": seconds,
        "persons_per_s": persons / seconds,
        "scan_seconds": scan_seconds,
        "ratio_to_scan": seconds / scan_seconds,
        # The CPU time of all the process's threads: less moved by other work on a shared
        # machine than the wall time (a run preempted waits; its CPU time does not grow).
        "cpu_seconds": statistics.median(run["cpu_seconds"] for run in runs),
        "scan_cpu_seconds": statistics.median(scan["cpu_seconds"] for scan in scans),
        "peak_rss_bytes": int(peak),
        "working_bytes_per_person": (peak - warm) / persons,
        "working_bytes_per_person_from_import": (peak - loaded) / persons,
        "rulebook_load_seconds": statistics.median(run["rulebook_load_seconds"] for run in runs),
        "explain_ms_p50": explain["p50_ms"],
        "explain_ms_p95": explain["p95_ms"],
        "runs": len(runs),
        # glibc's arenas as capped (None: not capped, the user's MALLOC_ARENA_MAX or not glibc):
        # the working memory of batches depends on it (legalstay.cli.allocator).
        "malloc_arenas": runs[0]["malloc_arenas"],
    }


def _note(progress: bool, message: str) -> None:
    if progress:
        print(message, file=sys.stderr)


def _run_worker(
    kind: str,
    path: Path,
    as_of: dt.date,
    reform: str,
    batch_size: int,
    workers: int,
    progress: bool,
) -> dict[str, Any]:
    _note(progress, f"  {kind} …")
    command = [
        sys.executable,
        "-m",
        "legalstay.cli.bench",
        kind,
        str(path),
        as_of.isoformat(),
        reform,
        str(batch_size),
        str(workers),
    ]
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    if done.returncode != 0:  # options are checked before: a failure here is not the input's
        from legalstay.cli.exits import fail

        last = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise SystemExit(fail(f"the {kind} measuring process failed: {last[0]}"))
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# ---------------------------------------------------------------- in the fresh process


def _current_rss() -> int:
    """This process's resident memory now, in bytes (the peak where /proc is missing)."""
    return _process_status("VmRSS") or _peak_rss()


def _peak_rss() -> int:
    """This process's peak resident memory in bytes.

    ``VmHWM`` belongs to the process's own address space, which exec replaces; ``ru_maxrss``
    is carried across fork and exec on Linux, so a worker started by a parent that had just
    generated the population would report the parent's peak.
    """
    found = _process_status("VmHWM")
    return found or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB


def _process_status(field: str) -> int | None:
    """A memory figure of /proc/self/status in bytes (reported in kB); None without /proc."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _warm_up(kind: str, path: Path, as_of: dt.date, reform: str) -> None:
    """The job once over the persons with the 300 smallest ids, for the day before (so the
    measured date's plan is still compiled in the measured run)."""
    import polars as pl

    from legalstay.engine.files import read_population
    from legalstay.rulebook import load_rulebook, reason_counts

    tables = read_population(path)
    last = tables["persons"].select(pl.col("person_id").bottom_k(300).max()).collect().item()
    few = {name: frame.filter(pl.col("person_id") <= last) for name, frame in tables.items()}
    if kind == "scan":
        for frame in few.values():
            frame.select(pl.all()).collect()
        return
    rulebook, scenarios = load_rulebook(), ["pl-baseline", reform]
    result = rulebook.assess_population(few, as_of - dt.timedelta(days=1), scenarios).collect()
    reason_counts(rulebook, result, scenarios)


def _scan(path: Path) -> None:
    import polars as pl

    from legalstay.engine.files import read_population

    for frame in read_population(path).values():
        frame.select(pl.all()).collect()


def _assess(path: Path, as_of: dt.date, reform: str, batch_size: int, workers: int) -> None:
    """One pass over everyone (``batch_size`` 0), or batches of whole families whose results
    are counted for the why-not table and let go, as a streaming consumer would."""
    from legalstay.engine.files import read_population
    from legalstay.rulebook import load_rulebook, reason_counts
    from legalstay.rulebook.inputs import check_population

    rulebook = load_rulebook()
    scenarios = ["pl-baseline", reform]
    tables = read_population(path)
    check_population(tables)  # as assess-population does
    if not batch_size:
        result = rulebook.assess_population(tables, as_of, scenarios).collect()
        reason_counts(rulebook, result, scenarios)
        return
    for batch in rulebook.assess_population_batches(
        tables, as_of, scenarios, batch_size=batch_size, workers=workers
    ):
        reason_counts(rulebook, batch, scenarios)


def _explain(path: Path, as_of: dt.date) -> dict[str, float]:
    """Warm one-person assessments with explanations, over 200 persons of the population."""
    import polars as pl

    from legalstay.engine.files import read_population
    from legalstay.engine.rows import facts_from_tables
    from legalstay.rulebook import load_rulebook
    from legalstay.rulebook.assessment import build_assessment

    rulebook = load_rulebook()
    tables = {name: frame.collect() for name, frame in read_population(path).items()}
    sample = tables["persons"]["person_id"].head(200).implode()
    chosen = pl.col("person_id").is_in(sample)
    small = {name: frame.filter(chosen) for name, frame in tables.items()}
    people = list(facts_from_tables(small).items())
    timings = []
    for index, (person_id, facts) in enumerate(people * 2):
        started = time.perf_counter()
        build_assessment(rulebook, rulebook.evaluation(facts, as_of), str(person_id), "pl-baseline")
        if index >= len(people):  # the first pass warms caches
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {"p50_ms": statistics.median(timings), "p95_ms": timings[int(len(timings) * 0.95)]}


def worker_main(argv: list[str]) -> None:
    kind, path_text, as_of_text, reform, batch_text, workers_text = argv
    path, as_of = Path(path_text), dt.date.fromisoformat(as_of_text)
    from legalstay.cli.allocator import MALLOC_ARENAS, cap_malloc_arenas

    # As the ``legalstay`` command does, so the process measured allocates as it would; before
    # NumPy and Polars are imported, whose threads would take arenas of their own first.
    arenas = MALLOC_ARENAS if cap_malloc_arenas() else None
    from legalstay.rulebook import load_rulebook

    # Imports and loading the rulebook (parameters, rules, calendar) are the "system load"
    # phase of the research protocol: reported, not part of the population's time.
    started = time.perf_counter()
    load_rulebook()
    rulebook_seconds = time.perf_counter() - started
    rss_after_import = _peak_rss()
    if kind != "explain":
        _warm_up(kind, path, as_of, reform)
    rss_after_warm_up = _current_rss()
    started, cpu_started = time.perf_counter(), time.process_time()
    extra: dict[str, Any] = {}
    if kind == "scan":
        _scan(path)
    elif kind == "assess":
        _assess(path, as_of, reform, int(batch_text), int(workers_text))
    else:
        extra = _explain(path, as_of)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "peak_rss_bytes": _peak_rss(),
                "rss_after_import_bytes": rss_after_import,
                "rss_after_warm_up_bytes": rss_after_warm_up,
                "rulebook_load_seconds": rulebook_seconds,
                "malloc_arenas": arenas,
                **extra,
            }
        )
    )


if __name__ == "__main__":
    worker_main(sys.argv[1:])
