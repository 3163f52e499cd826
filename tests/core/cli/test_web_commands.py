"""Web commands from the ``legalstay`` command line: a bad setting is reported, not traced, and
no setting is needed to print a command's help."""

import os
import subprocess
import sys

import pytest

SCAN = "import sys; from legalstay.cli import main; sys.exit(main(['scan']))"


def bare_environment(tmp_path) -> dict[str, str]:
    """This process's environment without the settings, and an empty folder for the data."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_SETTINGS_MODULE"}
    }
    return environment | {"LEGALSTAY_VAR_DIR": str(tmp_path)}


def test_a_missing_secret_key_names_the_setting_and_exits_2(tmp_path):
    environment = bare_environment(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", SCAN], env=environment, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "error: SECRET_KEY must be set" in done.stderr
    assert "Traceback" not in done.stderr


# What each help shows, by command line.
HELPS = {
    "demo --help": "--persons PERSONS",
    "dossier --help": "usage: legalstay dossier",
    "scan -h": "--as-of AS_OF",
    "serve --help": "--noreload",
    "manage --help": "Available subcommands",
    "manage": "Available subcommands",
    "manage help migrate": "usage: legalstay manage migrate",
    "demo-account --help": "--force",
}


@pytest.mark.parametrize("command", HELPS)
def test_every_web_command_prints_its_help_without_any_setting(tmp_path, command):
    environment = bare_environment(tmp_path) | {"DATABASE_URL": "nonsense://"}
    code = f"import sys; from legalstay.cli import main; sys.exit(main({command.split()!r}))"
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert HELPS[command] in done.stdout
    assert list(tmp_path.iterdir()) == []  # no database made to print a help
