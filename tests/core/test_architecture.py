"""The pure core imports without Django, and the rulebook's law carries its sources."""

import subprocess
import sys

from legalstay.rulebook import load_rulebook

CORE = (
    "legalstay.engine",
    "legalstay.rulebook",
    "legalstay.stats",
    "legalstay.identity",
    "legalstay.dossier",
    "legalstay.synthetic",
    "legalstay.cli",
)


def test_the_core_imports_without_django():
    code = (
        f"import importlib, sys; [importlib.import_module(m) for m in {CORE!r}]; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), "
        "sorted(m for m in sys.modules if m.startswith('django'))"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_parameter_value_has_a_reference_and_a_confidence():
    rulebook = load_rulebook()
    for name in rulebook.baseline:
        for value in rulebook.baseline[name].values:
            assert value.reference.act and value.reference.article, name
            assert value.confidence in {"high", "medium", "low", "not_verified"}, name


def test_every_rule_parameter_is_defined_and_every_parameter_is_used():
    rulebook = load_rulebook()
    used = rulebook.rules.parameters_used()
    assert used == set(rulebook.baseline), set(rulebook.baseline) ^ used
