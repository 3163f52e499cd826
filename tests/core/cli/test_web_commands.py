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


def run_web(tmp_path, *argv: str) -> subprocess.CompletedProcess[str]:
    environment = bare_environment(tmp_path / "var" / "sub") | {"DEBUG": "1"}
    environment.pop("DATABASE_URL", None)  # SQLite under LEGALSTAY_VAR_DIR
    code = f"import sys; from legalstay.cli import main; sys.exit(main({list(argv)!r}))"
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True
    )


def test_a_database_not_set_up_says_to_migrate_without_a_traceback(tmp_path):
    done = run_web(tmp_path, "demo", "--persons", "3")
    assert done.returncode == 1
    assert done.stderr.startswith("error: the database: no such table: ")
    assert "set it up with `legalstay manage migrate`" in done.stderr
    assert "Traceback" not in done.stderr


def test_migrate_makes_the_folder_of_a_new_sqlite_database(tmp_path):
    # It stopped on "unable to open database file" until the folder was made by hand.
    assert run_web(tmp_path, "manage", "migrate", "-v0").returncode == 0
    assert (tmp_path / "var" / "sub" / "legalstay.sqlite3").is_file()
