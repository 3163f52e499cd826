"""SQLite (the quick start's database): requests that read and then write, side by side, wait
for each other instead of failing with "database is locked"."""

import os
import subprocess
import sys

# Four requests, each one transaction that reads, thinks, then writes: without the write lock
# taken at BEGIN, all but one fail at once.
SCRIPT = """
import threading, time, django
django.setup()
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE visits (id integer primary key, n integer)")
    cursor.execute("INSERT INTO visits VALUES (1, 0)")
errors = []
def request():
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT n FROM visits WHERE id = 1")
            time.sleep(0.2)
            cursor.execute("UPDATE visits SET n = n + 1 WHERE id = 1")
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()
threads = [threading.Thread(target=request) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM visits")
    print(errors, cursor.fetchone()[0])
"""


def test_concurrent_requests_that_write_wait_for_each_other_on_sqlite(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "legalstay.web.settings",
        "DEBUG": "1",
        "DATABASE_URL": "",
        "LEGALSTAY_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=environment, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["[]", "4"]
