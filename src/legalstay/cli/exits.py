"""Exit codes of the ``legalstay`` command, and the one way it reports a failure."""

from __future__ import annotations

import sys

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILURE", "EXIT_OK", "fail"]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2  # bad input or option: the message names the field and the rule


def fail(message: str, code: int = EXIT_FAILURE) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code
