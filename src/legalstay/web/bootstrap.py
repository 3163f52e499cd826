"""Starting Django from the ``legalstay`` command line."""

from __future__ import annotations

import os
from pathlib import Path

# `legalstay NAME` → Django management command name.
COMMAND_ALIASES = {
    "serve": "runserver",
    "demo-account": "demo_account",
}
HELP_OPTIONS = {"-h", "--help"}


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalstay.web.settings")
    import django

    django.setup()


def asks_for_help(argv: list[str]) -> bool:
    """``legalstay NAME … --help`` (before a ``--``), and ``legalstay manage`` alone or with
    ``help``: answered without the settings of the environment."""
    name, *rest = argv
    if "--" in rest:
        rest = rest[: rest.index("--")]
    if name == "manage" and (not rest or rest[0] == "help"):
        return True
    return bool(HELP_OPTIONS.intersection(rest))


def setup_django_standalone() -> None:
    """Django with the applications and nothing from the environment, for work that needs
    neither a secret key, a database nor a debug switch: a command's help (its arguments, on
    a machine where nothing is configured yet) and the words of ``assess --format text``.
    Settings already configured (a test run, a server) are kept."""
    from django.conf import settings

    from legalstay.web.installed_apps import INSTALLED_APPS
    from legalstay.web.languages import LANGUAGES

    if not settings.configured:
        settings.configure(
            INSTALLED_APPS=INSTALLED_APPS,
            SECRET_KEY="standalone",  # nothing is signed or served
            DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
            DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
            LANGUAGE_CODE="en",
            LANGUAGES=LANGUAGES,
            LOCALE_PATHS=[Path(__file__).resolve().parent / "locale"],
            FORMAT_MODULE_PATH=["legalstay.web.formats"],
        )
    import django

    django.setup()


def run_management_command(argv: list[str]) -> int:
    """Runs ``argv`` (``["demo", "--persons", "10"]``) as a Django management command."""
    from django.core.management import execute_from_command_line

    if asks_for_help(argv):
        setup_django_standalone()
    else:
        setup_django()
        _make_sqlite_folder()
    name, *rest = argv
    if name == "manage":
        execute_from_command_line(["legalstay manage", *rest])
        return 0
    execute_from_command_line(["legalstay", COMMAND_ALIASES.get(name, name), *rest])
    return 0


def _make_sqlite_folder() -> None:
    """The folder of an SQLite database (``LEGALSTAY_VAR_DIR``), made if missing: SQLite
    creates the file but not its folder, and ``migrate`` into a new one stopped on "unable to
    open database file"."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    name = str(database["NAME"])
    if database["ENGINE"] == "django.db.backends.sqlite3" and name != ":memory:":
        Path(name).parent.mkdir(parents=True, exist_ok=True)
