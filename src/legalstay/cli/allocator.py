"""The C allocator's arenas, capped for the population back-end's threads.

glibc gives the threads that allocate arenas of their own, up to eight per core, and keeps
what was freed in an arena for that arena's next use; no other arena can use it. The
population back-end runs its NumPy work on helper threads that a pool starts afresh for each
call, and a population assessed in batches grew in resident memory batch by batch, the freed
pieces spread over arenas each batch's allocations did not fit. Measured in the
nineteenth session (``legalstay bench assess --persons 1000000 --batch-size 100000``, runs
alternated with the code before), two arenas hold the working memory at 170–176 bytes a
person against 355–375, in the same time within the machine's noise; one pass over everyone
takes 849–854 bytes a person against 917–930. ``docs/benchmarks.md`` has the figures.

Only the command line caps them, as the first thing it does: the web server keeps glibc's
default, and the pure core never touches the process's allocator.
"""

from __future__ import annotations

import ctypes
import os

__all__ = ["MALLOC_ARENAS", "cap_malloc_arenas"]

MALLOC_ARENAS = 2  # the main thread's arena and one the helper threads share
_M_ARENA_MAX = -8  # glibc's malloc.h


def cap_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Caps glibc's malloc arenas at ``arenas`` for the threads this process starts from now
    on; True if it did. Nothing is done where the user set ``MALLOC_ARENA_MAX`` (glibc read
    it at start: their setting stands) or where the C library has no ``mallopt`` (not glibc).
    """
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if mallopt is None:
        return False
    return bool(mallopt(_M_ARENA_MAX, arenas) == 1)
