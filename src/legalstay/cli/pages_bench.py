"""``legalstay bench pages``: how fast the worklists and person pages answer while caseworkers
use them at the same time, measured against a running server over HTTP.

Each simulated caseworker is a thread with its own logged-in session and keep-alive
connection: it opens a page, reads it for a random think time, and opens the next. Before the
load, one caseworker times the same pages alone (one request at a time), and the login page,
the cheapest page there is: the ratio "p95 under load / median alone" says what concurrency
costs, the login page what the server and the loopback cost whatever the page does.

An HTTP client and nothing more: it never imports Django nor reads the database, and finds
the worklists and the persons by following the links the server prints.
"""

from __future__ import annotations

import argparse
import html.parser
import http.client
import math
import random
import re
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

__all__ = [
    "BenchPagesError",
    "bench_pages",
    "parse_base_url",
    "parse_seconds",
    "parse_think",
    "percentile",
    "person_links",
    "render_text",
    "worklist_links",
]

LOGIN_PATH = "/accounts/login/"
DASHBOARD_PATH = "/casework/"
KINDS = ("worklist", "person")
# Each worklist at pages 1, 2 and 5 in its own order, and sorted by name, over everyone's
# caseload: deep pages and the name sort of a sparse list are the slow ones.
WORKLIST_VIEWS = ("page=1", "page=2", "page=5", "sort=name")
PERSONS = 300
ALONE_REQUESTS = 50
TIMEOUT_S = 30.0
PROGRESS_EVERY_S = 10.0
# Paths of links, the script prefix (if the site is served under one) included.
UUID = r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}"
WORKLIST_HREF = re.compile(r"(?:/[^?#]*)?/casework/worklists/[\w-]+/")
PERSON_HREF = re.compile(rf"(?:/[^?#]*)?/casework/persons/{UUID}/")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TRANSPORT_ERRORS = (OSError, http.client.HTTPException)
# How a keep-alive connection the server has closed meanwhile fails when it is used again.
STALE_CONNECTION = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class BenchPagesError(Exception):
    """The benchmark cannot run: the message names the URL or the account and says why."""


# ---------------------------------------------------------------- options


def parse_think(raw: str) -> tuple[float, float]:
    """``MIN-MAX`` seconds, or one number for a fixed pause ("0": a closed loop)."""
    low_text, dash, high_text = raw.partition("-")
    try:
        low, high = float(low_text), float(high_text if dash else low_text)
    except ValueError:
        low = high = math.nan
    if not (0 <= low <= high < math.inf):
        raise argparse.ArgumentTypeError(
            f"{raw!r} is not a think time: write MIN-MAX in seconds (1-3), or 0 for none"
        )
    return low, high


def parse_base_url(raw: str) -> urllib.parse.SplitResult:
    base = urllib.parse.urlsplit(raw)
    if base.scheme not in {"http", "https"} or not base.hostname:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a server address like http://host:port")
    return base


def parse_seconds(raw: str) -> float:
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not 0 < seconds < math.inf:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a positive number of seconds")
    return seconds


# ---------------------------------------------------------------- figures


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile: the smallest value with at least ``share`` of the values at
    or below it. Sorted-index, never interpolated, so every figure is a time that was measured
    and the p99 of 50 requests is honestly their slowest. None when there are no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(round(share * len(ordered), 9))  # round: 0.95 * 60 must stay 57
    return ordered[max(rank, 1) - 1]


@dataclass(frozen=True)
class Sample:
    kind: str
    ms: float
    error: str | None  # None for a 200 answer; else "HTTP 500", "ConnectionResetError" …


def _summary(samples: Sequence[Sample], seconds: float | None = None) -> dict[str, Any]:
    """Counts and latency percentiles; latencies are of 200 answers only, as a failure's time
    says nothing about the page, and the failures are counted beside them."""
    times = [sample.ms for sample in samples if sample.error is None]
    errors = Counter(sample.error for sample in samples if sample.error is not None)
    figures: dict[str, Any] = {"requests": len(samples)}
    if seconds is not None:
        figures["requests_per_s"] = len(samples) / seconds
    figures |= {f"ms_p{int(share * 100)}": percentile(times, share) for share in (0.5, 0.95, 0.99)}
    return figures | {"errors": sum(errors.values()), "error_kinds": dict(errors)}


def _by_kind(samples: Sequence[Sample], seconds: float | None = None) -> dict[str, Any]:
    kinds = {kind: [sample for sample in samples if sample.kind == kind] for kind in KINDS}
    return {kind: _summary(mine, seconds) for kind, mine in kinds.items()} | {
        "all": _summary(samples, seconds)
    }


def _ratios(load: dict[str, Any], alone: dict[str, Any]) -> dict[str, float | None]:
    return {
        name: figures["ms_p95"] / alone[name]["ms_p50"]
        if figures["ms_p95"] and alone[name]["ms_p50"]
        else None
        for name, figures in load.items()
    }


# ---------------------------------------------------------------- one caseworker's browser


class Browser:
    """One caseworker: a keep-alive connection and the session's cookies.

    Cookies are sent whatever their Secure flag: a server run with secure cookies on loopback
    over plain HTTP would otherwise log nobody in, and only the server's speed is in question.
    """

    def __init__(self, base: urllib.parse.SplitResult) -> None:
        kind = http.client.HTTPSConnection if base.scheme == "https" else http.client.HTTPConnection
        self.connection = kind(base.hostname or "", base.port, timeout=TIMEOUT_S)
        self.origin = f"{base.scheme}://{base.netloc}"
        self.prefix = base.path.rstrip("/")  # a site served under a path: its links carry it
        self.cookies: dict[str, str] = {}

    def close(self) -> None:
        self.connection.close()

    def get(self, path: str) -> tuple[int, bytes]:
        return self._request("GET", path, None)

    def post(self, path: str, form: dict[str, str]) -> tuple[int, bytes]:
        return self._request("POST", path, form)

    def _request(self, method: str, path: str, form: dict[str, str] | None) -> tuple[int, bytes]:
        cookies = "; ".join(f"{name}={value}" for name, value in self.cookies.items() if value)
        headers = {"Cookie": cookies} if cookies else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.origin + path  # Django's CSRF check wants it over HTTPS
        reused = self.connection.sock is not None
        try:
            return self._exchange(method, path, body, headers)
        except STALE_CONNECTION:
            if not reused:
                raise
            # The server closed the idle connection while the caseworker was reading: a
            # browser sends the request again on a new one, and so does this (the time of
            # both attempts counts).
            return self._exchange(method, path, body, headers)

    def _exchange(
        self, method: str, path: str, body: str | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        try:
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
            content = response.read()  # the whole page: times are to the last byte
        except TRANSPORT_ERRORS:
            self.connection.close()  # the next request opens a fresh connection
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            # An empty value is Django deleting the cookie; it is then left out of requests.
            self.cookies |= {name: morsel.value for name, morsel in SimpleCookie(header).items()}
        return response.status, content


def _fetch(browser: Browser, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
    """A request of the set-up (login, discovery), whose failure stops the benchmark."""
    try:
        status, content = browser.get(path) if form is None else browser.post(path, form)
    except TRANSPORT_ERRORS as error:
        raise BenchPagesError(
            f"the server at {browser.origin}{path} does not answer ({_reason(error)}); "
            "is it running?"
        ) from None
    return status, content.decode("utf-8", "replace")


def _reason(error: BaseException) -> str:
    return str(error) or type(error).__name__


def _log_in(browser: Browser, username: str, password: str) -> None:
    """Logs in through the login form, as a person would: its CSRF cookie and field, then the
    POST; Django answers a good login with a redirect and a bad one with the form again."""
    path = browser.prefix + LOGIN_PATH
    status, page = _fetch(browser, path)
    token = CSRF_FIELD.search(page)
    if status != 200 or token is None:
        raise BenchPagesError(f"{browser.origin}{path} answered {status} without a login form")
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token[1]}
    status, _ = _fetch(browser, path, form)
    if status != 302:
        raise BenchPagesError(
            f"logging in as {username!r} at {browser.origin}{path} failed (answer {status}): "
            "wrong password or no such account? `make run` creates demo / legalstay-demo"
        )


# ---------------------------------------------------------------- finding the pages


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def _matching(page: str, pattern: re.Pattern[str]) -> list[str]:
    """Distinct paths of the page's links that the pattern matches, in page order, without
    their query (the dashboard links each worklist once per scope)."""
    parser = _Links()
    parser.feed(page)
    paths = (urllib.parse.urlsplit(href).path for href in parser.hrefs)
    return list(dict.fromkeys(path for path in paths if pattern.fullmatch(path)))


def worklist_links(page: str) -> list[str]:
    return _matching(page, WORKLIST_HREF)


def person_links(page: str) -> list[str]:
    return _matching(page, PERSON_HREF)


def _discover(browser: Browser) -> dict[str, list[str]]:
    """Worklist URLs from the dashboard's links, person pages from the worklists' links."""
    dashboard = browser.prefix + DASHBOARD_PATH
    paths = worklist_links(_page(browser, dashboard))
    if not paths:
        raise BenchPagesError(f"{browser.origin}{dashboard} links no worklist")
    worklists = [f"{path}?scope=all&{view}" for view in WORKLIST_VIEWS for path in paths]
    persons: dict[str, None] = {}
    for url in worklists:  # the first pages first
        persons |= dict.fromkeys(person_links(_page(browser, url)))
        if len(persons) >= PERSONS:
            break
    if not persons:
        raise BenchPagesError(
            f"no worklist of {browser.origin} links a person page: is a caseload loaded and "
            "scanned (`make run` does both)?"
        )
    return {"worklist": worklists, "person": list(persons)[:PERSONS]}


def _page(browser: Browser, path: str) -> str:
    status, page = _fetch(browser, path)
    if status != 200:
        raise BenchPagesError(f"{browser.origin}{path} answered {status}, not a page")
    return page


# ---------------------------------------------------------------- timing


def _timed(browser: Browser, kind: str, path: str) -> Sample:
    started = time.perf_counter()
    try:
        status, _ = browser.get(path)
    except Exception as error:  # whatever a caseworker would see fail counts, none stops the run
        return Sample(kind, _ms_since(started), type(error).__name__)
    return Sample(kind, _ms_since(started), None if status == 200 else f"HTTP {status}")


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _alone(browser: Browser, urls: dict[str, list[str]], seed: int) -> dict[str, Any]:
    rng = random.Random(f"{seed}:alone")
    login = browser.prefix + LOGIN_PATH
    samples = [_timed(browser, "login_page", login) for _ in range(ALONE_REQUESTS)]
    samples += [
        _timed(browser, kind, rng.choice(urls[kind]))
        for kind in KINDS
        for _ in range(ALONE_REQUESTS)
    ]
    return {"login_page": _summary(samples[:ALONE_REQUESTS])} | _by_kind(samples[ALONE_REQUESTS:])


def _caseworker(
    browser: Browser,
    urls: dict[str, list[str]],
    think: tuple[float, float],
    rng: random.Random,
    deadline: float,
    samples: list[Sample],
) -> None:
    # Starts as if it had just opened a page, so that the users do not all ask at the same
    # instant, which no office does and which would inflate the tail.
    _pause(rng.uniform(*think), deadline)
    while time.perf_counter() < deadline:
        kind = rng.choice(KINDS)
        samples.append(_timed(browser, kind, rng.choice(urls[kind])))
        _pause(rng.uniform(*think), deadline)


def _pause(seconds: float, deadline: float) -> None:
    time.sleep(max(0.0, min(seconds, deadline - time.perf_counter())))


def _load(
    browsers: list[Browser],
    urls: dict[str, list[str]],
    *,
    seconds: float,
    think: tuple[float, float],
    seed: int,
    progress: bool,
) -> tuple[list[Sample], float]:
    """Every browser in a thread of its own until the time is up; the samples and the wall time
    (the requests still answering at the deadline included)."""
    started = time.perf_counter()
    samples: list[list[Sample]] = [[] for _ in browsers]
    threads = [
        threading.Thread(
            target=_caseworker,
            args=(browser, urls, think, random.Random(f"{seed}:{index}"), started + seconds, mine),
            daemon=True,
        )
        for index, (browser, mine) in enumerate(zip(browsers, samples, strict=True))
    ]
    for thread in threads:
        thread.start()
    _wait(threads, samples, started, progress)
    return [sample for mine in samples for sample in mine], time.perf_counter() - started


def _wait(
    threads: list[threading.Thread], samples: list[list[Sample]], started: float, progress: bool
) -> None:
    noted = 0
    for thread in threads:
        while thread.is_alive():
            thread.join(timeout=0.5)
            elapsed = time.perf_counter() - started
            if progress and elapsed >= (noted + 1) * PROGRESS_EVERY_S:
                noted = int(elapsed // PROGRESS_EVERY_S)
                done = [sample for mine in samples for sample in list(mine)]
                failed = sum(sample.error is not None for sample in done)
                _note(progress, f"  {elapsed:3.0f} s: {len(done)} requests, {failed} errors")


def _note(progress: bool, message: str) -> None:
    if progress:
        print(message, file=sys.stderr)


# ---------------------------------------------------------------- the benchmark


def bench_pages(
    *,
    base: urllib.parse.SplitResult,
    username: str,
    password: str,
    users: int,
    seconds: float,
    think: tuple[float, float],
    seed: int,
    progress: bool,
) -> dict[str, Any]:
    browsers = [Browser(base) for _ in range(users)]  # no connection is opened yet
    try:
        first = browsers[0]
        _log_in(first, username, password)
        urls = _discover(first)
        _note(progress, f"{len(urls['worklist'])} worklist URLs, {len(urls['person'])} persons")
        alone = _alone(first, urls, seed)
        _note(progress, f"logging {users} caseworkers in …")
        with ThreadPoolExecutor(max_workers=max(users - 1, 1)) as pool:
            list(pool.map(lambda browser: _log_in(browser, username, password), browsers[1:]))
        _note(progress, f"{users} caseworkers for {seconds:g} s …")
        samples, wall = _load(
            browsers, urls, seconds=seconds, think=think, seed=seed, progress=progress
        )
    finally:
        for browser in browsers:
            browser.close()
    load = _by_kind(samples, wall)
    return {
        "url": base.geturl(),
        "users": users,
        "seconds": wall,
        "think_s": list(think),
        "seed": seed,
        "worklist_urls": len(urls["worklist"]),
        "person_pages": len(urls["person"]),
        "alone": alone,
        "load": load,
        "p95_load_to_p50_alone": _ratios(load, alone),
    }


def render_text(figures: dict[str, Any]) -> str:
    low, high = figures["think_s"]
    think = f"{low:g}-{high:g} s" if high else "none (closed loop)"
    lines = [
        f"{figures['url']}: {figures['users']} caseworkers for {figures['seconds']:.1f} s, "
        f"think time {think}, seed {figures['seed']}",
        f"pages: {figures['worklist_urls']} worklist URLs, {figures['person_pages']} person pages",
        "",
        f"alone, one request at a time  {'requests':>8} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8}",
    ]
    for name, alone in figures["alone"].items():
        lines.append(f"  {name:<28}{_cells(alone, ('requests', 'errors', 'ms_p50', 'ms_p95'))}")
    lines += [
        "",
        f"under load{'':20}{'requests':>8} {'req/s':>7} {'errors':>7} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'p99 ms':>8} {'p95/alone p50':>14}",
    ]
    columns = ("requests", "requests_per_s", "errors", "ms_p50", "ms_p95", "ms_p99")
    for name, load in figures["load"].items():
        ratio = figures["p95_load_to_p50_alone"][name]
        lines.append(f"  {name:<28}{_cells(load, columns)} {_number(ratio, 14)}")
    for phase in ("alone", "load"):
        errors = Counter(figures[phase]["all"]["error_kinds"])
        errors.update(figures[phase].get("login_page", {}).get("error_kinds", {}))
        if errors:
            listed = ", ".join(f"{kind} × {n}" for kind, n in errors.most_common())
            lines.append(f"errors {'alone' if phase == 'alone' else 'under load'}: {listed}")
    return "\n".join(lines)


def _cells(figures: dict[str, Any], columns: Sequence[str]) -> str:
    widths = {"requests": 8, "requests_per_s": 7, "errors": 7}
    return " ".join(_number(figures[column], widths.get(column, 8)) for column in columns)


def _number(value: float | None, width: int) -> str:
    if value is None:
        return f"{'—':>{width}}"
    return f"{value:>{width},}" if isinstance(value, int) else f"{value:>{width},.1f}"
