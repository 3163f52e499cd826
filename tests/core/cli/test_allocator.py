"""The ``legalstay`` command caps glibc's malloc arenas before its threads start: a
population assessed in batches then reuses what the batch before it freed (the working
memory measured by ``legalstay bench assess --batch-size``), and a user's own
``MALLOC_ARENA_MAX`` stands."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

import legalstay.cli
from legalstay.cli.allocator import MALLOC_ARENAS, cap_malloc_arenas

on_glibc = pytest.mark.skipif(
    platform.libc_ver()[0] != "glibc", reason="the arenas capped are glibc's"
)


@on_glibc
def test_it_caps_the_arenas_where_the_user_set_nothing(monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert cap_malloc_arenas() is True
    assert MALLOC_ARENAS == 2


def test_it_leaves_a_users_own_setting_alone(monkeypatch):
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    called = []
    monkeypatch.setattr("ctypes.CDLL", lambda *args: called.append(args))
    assert cap_malloc_arenas() is False
    assert called == []  # glibc read the user's value at start: nothing is asked of it


def test_it_does_nothing_where_the_c_library_has_no_mallopt(monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    monkeypatch.setattr("ctypes.CDLL", lambda *args: object())  # a C library without it (macOS)
    assert cap_malloc_arenas() is False


def test_the_command_caps_them_before_running_a_core_command(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(legalstay.cli, "cap_malloc_arenas", lambda: calls.append("capped"))
    legalstay.cli.main([])  # no command: the help, after the cap
    assert calls == ["capped"]
    assert "usage: legalstay" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="threads counted in /proc")
@pytest.mark.parametrize("module", ["legalstay.cli", "legalstay.cli.bench"])
def test_importing_the_command_starts_no_thread_before_the_cap(module):
    # A thread that allocates before the cap keeps an arena of its own: NumPy's and Polars'
    # pools, if the command's module imported them, would come before ``main`` caps.
    count = f"import os, {module}; print(len(os.listdir('/proc/self/task')))"
    done = subprocess.run([sys.executable, "-c", count], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "1"
