"""Exit codes of the ``legalstay`` command, and the one way it reports a failure (or a
warning: input read, but perhaps not as meant)."""

from __future__ import annotations

import sys

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_TERMINATED",
    "Terminated",
    "fail",
    "warn",
]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2  # bad input or option: the message names the field and the rule
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it
EXIT_TERMINATED = 143  # SIGTERM (128 + 15)


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so that what it was writing is cleaned up as on
    any failure (temporary files, folders made for them), as Ctrl-C's KeyboardInterrupt is."""


def fail(message: str, code: int = EXIT_FAILURE) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)
