"""Work that waits for other work: each task runs in a worker thread once the tasks it waits
for are done, and its result is taken in by the calling thread, so that only one thread ever
changes shared state (a frame gaining a column).

Loading a population is such work: a table's derived column that looks up another table
waits for both tables and for the derived columns it reads, while unrelated columns and
tables are worked on beside it (see :func:`legalstay.engine.population.evaluate_population`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from legalstay.engine.errors import EvaluationError

__all__ = ["Task", "run_tasks"]


@dataclass(frozen=True, eq=False)
class Task:
    """``work`` runs in a worker thread once every task keyed in ``after`` is done;
    ``finish`` then takes its result in the calling thread."""

    key: Hashable
    work: Callable[[], Any]
    finish: Callable[[Any], None]
    after: frozenset[Hashable] = frozenset()


def run_tasks(tasks: Sequence[Task], workers: int) -> None:
    """Runs ``tasks``, at most ``workers`` at a time. Of those ready, the one most tasks wait
    for (directly or through others) starts first, so that the longest chain is not left for
    last; ties go in the order given. A task's error is raised here, once the tasks running
    beside it have ended."""
    keys = {task.key for task in tasks}
    unknown = {key for task in tasks for key in task.after} - keys
    if unknown or len(keys) != len(tasks):
        raise EvaluationError(f"tasks wait for tasks not given, or share a key: {unknown}")
    rank = _waited_on_by(tasks)
    waiting, done = list(tasks), set[Hashable]()
    running: dict[Future[Any], Task] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while waiting or running:
            ready = [task for task in waiting if task.after <= done]
            for task in sorted(ready, key=lambda task: -rank[task.key])[: workers - len(running)]:
                waiting.remove(task)
                running[pool.submit(task.work)] = task
            if not running:
                raise EvaluationError("tasks wait for one another in a circle")
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                task = running.pop(future)
                task.finish(future.result())
                done.add(task.key)


def _waited_on_by(tasks: Sequence[Task]) -> dict[Hashable, int]:
    """Per task, how many tasks wait for it, directly or through others."""
    waiters: dict[Hashable, set[Hashable]] = {task.key: set() for task in tasks}
    changed = True
    while changed:  # a handful of passes over a few dozen tasks
        changed = False
        for task in tasks:
            for key in task.after:
                grown = waiters[key] | {task.key} | waiters[task.key]
                if grown != waiters[key]:
                    waiters[key], changed = grown, True
    return {key: len(found) for key, found in waiters.items()}
