"""`legalstay bench assess`: the figures the issue fixes are printed, and they agree with each
other (a small population, one run of each kind, in fresh processes as for a million)."""

from __future__ import annotations

import json

import pytest

from legalstay.cli import main


def test_it_prints_the_agreed_figures(capsys):
    argv = ["bench", "assess", "--persons", "400", "--repeat", "1", "--format", "json"]
    assert main(argv) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["persons"] == 400
    assert figures["seconds"] > 0 and figures["scan_seconds"] > 0
    assert figures["persons_per_s"] == pytest.approx(400 / figures["seconds"])
    assert figures["ratio_to_scan"] == pytest.approx(figures["seconds"] / figures["scan_seconds"])
    assert figures["peak_rss_bytes"] > 50_000_000  # a Python process with Polars loaded
    assert figures["working_bytes_per_person"] > 0
    # The warm-up runs before the baseline is read: it brings code pages and thread pools
    # into memory, so the baseline is above the one after imports.
    assert figures["working_bytes_per_person"] < figures["working_bytes_per_person_from_import"]
    assert figures["explain_ms_p50"] <= figures["explain_ms_p95"]
    assert figures["batch_size"] == 0
