"""Web commands from the ``legalstay`` command line: a bad setting is reported, not traced."""

import os
import subprocess
import sys

SCAN = "import sys; from legalstay.cli import main; sys.exit(main(['scan']))"


def test_a_missing_secret_key_names_the_setting_and_exits_2(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_SETTINGS_MODULE"}
    }
    environment["LEGALSTAY_VAR_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", SCAN], env=environment, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "error: SECRET_KEY must be set" in done.stderr
    assert "Traceback" not in done.stderr
