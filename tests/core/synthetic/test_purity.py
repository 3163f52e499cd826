"""The synthetic package is pure: no Django, no web layer, no clock."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import legalstay.synthetic


def test_importing_it_loads_neither_django_nor_the_web_layer():
    check = (
        "import sys, legalstay.synthetic; "
        "loaded = [m for m in sys.modules if m.startswith(('django', 'legalstay.web'))]; "
        "print(loaded); sys.exit(bool(loaded))"
    )
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_never_reads_the_clock():
    package = Path(legalstay.synthetic.__file__).parent
    for module in package.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        for call in ("date.today(", "datetime.now(", "time.time("):
            assert call not in source, f"{module.name} calls {call}"
