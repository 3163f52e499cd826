"""`legalstay bench pages`: its arithmetic, its options, the links it follows, and a short load
against a small stand-in server (no Django, no database)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from legalstay.cli import main
from legalstay.cli.pages_bench import (
    parse_think,
    percentile,
    person_links,
    render_text,
    worklist_links,
)

ALES = "0b6f3c1e-2a4d-4e5f-8a9b-0c1d2e3f4a5b"
OLGA = "7d8e9f00-1a2b-4c3d-9e4f-5a6b7c8d9e0f"
BROKEN = "00000000-0000-4000-8000-000000000500"  # the stand-in answers 500 for this person


def test_the_percentile_is_the_nearest_rank_so_always_a_measured_time():
    hundred = [float(n) for n in range(100, 0, -1)]
    assert percentile(hundred, 0.5) == 50
    assert percentile(hundred, 0.95) == 95
    assert percentile(hundred, 0.99) == 99
    assert percentile([float(n) for n in range(1, 61)], 0.95) == 57
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2
    assert percentile([7.5], 0.99) == 7.5


def test_the_percentile_of_no_requests_is_none_rather_than_zero():
    assert percentile([], 0.95) is None


@pytest.mark.parametrize(
    ("raw", "think"),
    [("1-3", (1.0, 3.0)), ("0", (0.0, 0.0)), ("0-0", (0.0, 0.0)), ("2.5", (2.5, 2.5))],
)
def test_a_think_time_is_a_range_of_seconds_or_one_number(raw, think):
    assert parse_think(raw) == think


@pytest.mark.parametrize("raw", ["3-1", "-1", "1-", "x", "1-y", "nan", "1-inf", ""])
def test_a_bad_think_time_is_refused_as_an_option_with_the_rule(raw, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["bench", "pages", "--think", raw])
    assert stop.value.code == 2
    assert f"argument --think: {raw!r} is not a think time" in capsys.readouterr().err


def test_person_links_are_the_person_pages_once_each_in_page_order():
    page = f"""
    <a href="/casework/">Worklists</a>
    <a href="/casework/persons/{OLGA}/">Olga</a>
    <a href="/casework/persons/{ALES}/assign/">assign</a>
    <a href="/casework/persons/{ALES}/applications/new/">new application</a>
    <a href="/casework/persons/{ALES}/?tab=history&amp;x=1">Aleś</a>
    <a href='/casework/persons/{OLGA}/'>Olga again</a>
    <a href="/casework/persons/not-a-uuid/">broken</a>
    <link href="/casework/persons/{BROKEN}/">
    """
    assert person_links(page) == [f"/casework/persons/{OLGA}/", f"/casework/persons/{ALES}/"]


def test_person_links_keep_the_prefix_of_a_site_served_under_a_path():
    page = f'<td><a href="/legalstay/casework/persons/{ALES}/">Aleś</a></td>'
    assert person_links(page) == [f"/legalstay/casework/persons/{ALES}/"]


def test_worklist_links_are_each_worklist_once_without_scope_and_without_the_csv():
    page = """
    <a href="/casework/worklists/due-7/?scope=mine">3</a>
    <a href="/casework/worklists/due-7/?scope=all">9</a>
    <a href="/casework/worklists/overdue/?scope=team">1</a>
    <a href="/casework/worklists/overdue.csv?scope=all">Export CSV</a>
    <a href="/casework/alerts/">All alerts</a>
    """
    assert worklist_links(page) == ["/casework/worklists/due-7/", "/casework/worklists/overdue/"]


# ---------------------------------------------------------------- against a stand-in server


class StandIn(BaseHTTPRequestHandler):
    """Django's login form and two pages, as the benchmark sees them over HTTP."""

    protocol_version = "HTTP/1.1"  # keep-alive, as the benchmark uses it
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed ACK
    logins: list[str]
    drops_connections = False  # closes each connection after one answer, without saying so

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self.answer(*self.page(self.path.partition("?")[0]))

    def page(self, path: str) -> tuple[int, str, dict[str, str]]:
        if path == "/accounts/login/":
            form = '<form><input type="hidden" name="csrfmiddlewaretoken" value="field-token">'
            return 200, form, {"Set-Cookie": "csrftoken=cookie-token; Path=/; SameSite=Lax"}
        if "sessionid=" not in self.headers.get("Cookie", ""):
            return 302, "", {"Location": "/accounts/login/"}
        if path == "/casework/":
            links = [
                f'<a href="/casework/worklists/{slug}/?scope={scope}">1</a>'
                for slug in ("due-7", "overdue")
                for scope in ("mine", "all")
            ]
            return 200, "".join(links), {}
        if path.startswith("/casework/worklists/"):
            links = [f'<a href="/casework/persons/{uid}/">x</a>' for uid in (ALES, BROKEN)]
            return 200, "".join(links), {}
        if path == f"/casework/persons/{BROKEN}/":
            return 500, "Server Error", {}
        return 200, "<h1>Aleś</h1>", {}

    def do_POST(self) -> None:
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        good = (
            form.get("password") == ["legalstay-demo"]
            and form.get("csrfmiddlewaretoken") == ["field-token"]
            and "csrftoken=cookie-token" in self.headers.get("Cookie", "")
        )
        if not good:
            self.answer(200, "<p>Please enter a correct username and password.</p>", {})
            return
        session = f"s{len(self.logins)}"
        self.logins.append(session)
        headers = {"Location": "/casework/", "Set-Cookie": f"sessionid={session}; Path=/"}
        self.answer(302, "", headers)

    def answer(self, status: int, text: str, headers: dict[str, str]) -> None:
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = self.drops_connections


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    yield from _serve(drops_connections=False)


@pytest.fixture
def dropping_server() -> Iterator[tuple[str, list[str]]]:
    yield from _serve(drops_connections=True)


def _serve(*, drops_connections: bool) -> Iterator[tuple[str, list[str]]]:
    logins: list[str] = []
    handler = type(
        "Handler", (StandIn,), {"logins": logins, "drops_connections": drops_connections}
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", logins
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_a_short_load_reports_each_page_kind_and_counts_the_failed_answers(server, capsys):
    url, logins = server
    argv = ["bench", "pages", "--url", url, "--users", "2", "--duration", "2", "--think", "0"]
    assert main([*argv, "--format", "json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert len(logins) == 2  # each caseworker its own session
    assert (figures["users"], figures["worklist_urls"], figures["person_pages"]) == (2, 8, 2)
    assert figures["alone"]["login_page"]["requests"] == 50
    assert set(figures["load"]) == {"worklist", "person", "all"}
    load = figures["load"]
    assert load["all"]["requests"] == load["worklist"]["requests"] + load["person"]["requests"]
    assert load["worklist"]["requests"] > 10 and load["person"]["requests"] > 10
    assert load["worklist"]["errors"] == 0
    # Half the person pages are the broken one: counted, not hidden, and not timed.
    assert 0 < load["person"]["errors"] < load["person"]["requests"]
    assert load["person"]["error_kinds"] == {"HTTP 500": load["person"]["errors"]}
    assert load["all"]["errors"] == load["person"]["errors"]
    for kind in load.values():
        assert kind["requests_per_s"] > 0
        assert 0 < kind["ms_p50"] <= kind["ms_p95"] <= kind["ms_p99"]
    assert set(figures["p95_load_to_p50_alone"]) == {"worklist", "person", "all"}
    text = render_text(figures)
    assert "errors under load: HTTP 500 ×" in text and "login_page" in text


def test_a_keep_alive_connection_the_server_closed_is_opened_again_not_counted_an_error(
    dropping_server, capsys
):
    url, _ = dropping_server
    argv = ["bench", "pages", "--url", url, "--users", "2", "--duration", "1", "--think", "0"]
    assert main([*argv, "--format", "json"]) == 0
    load = json.loads(capsys.readouterr().out)["load"]
    assert load["worklist"]["requests"] > 10
    assert load["all"]["error_kinds"] == {"HTTP 500": load["person"]["errors"]}


def test_a_wrong_password_exits_1_naming_the_account_and_the_url(server, capsys):
    url, logins = server
    assert main(["bench", "pages", "--url", url, "--password", "guess", "--users", "1"]) == 1
    err = capsys.readouterr().err
    assert f"logging in as 'demo' at {url}/accounts/login/ failed" in err
    assert "Traceback" not in err and logins == []


def test_a_server_that_does_not_answer_exits_1_naming_the_url(capsys):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["bench", "pages", "--url", f"http://127.0.0.1:{port}"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: the server at http://127.0.0.1:{port}/accounts/login/")
    assert "does not answer" in err
