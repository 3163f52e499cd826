"""Tasks that wait for other tasks (the population's loading runs on them)."""

import threading
import time

import pytest

from legalstay.engine.errors import EvaluationError
from legalstay.engine.tasks import Task, run_tasks


def _recording(log: list[str], key: str, after: tuple[str, ...] = (), pause: float = 0) -> Task:
    def work() -> str:
        time.sleep(pause)
        return key

    return Task(key, work, log.append, frozenset(after))


def test_a_task_starts_only_after_those_it_waits_for_are_finished() -> None:
    log: list[str] = []
    tasks = [
        _recording(log, "read titles", pause=0.02),
        _recording(log, "read applications"),
        _recording(log, "filed on a title", ("read titles", "read applications")),
        _recording(log, "filed in legal stay", ("filed on a title",)),
    ]
    run_tasks(tasks, workers=2)
    assert sorted(log) == sorted(str(task.key) for task in tasks)
    assert log.index("filed on a title") > log.index("read titles")
    assert log[-1] == "filed in legal stay"


def test_results_are_taken_in_by_the_calling_thread() -> None:
    caller, finishers = threading.get_ident(), set()
    tasks = [
        Task(n, lambda: threading.get_ident(), lambda _: finishers.add(threading.get_ident()))
        for n in range(6)
    ]
    run_tasks(tasks, workers=2)
    assert finishers == {caller}


def test_the_task_most_others_wait_for_starts_first() -> None:
    started: list[str] = []

    def task(key: str, after: tuple[str, ...] = ()) -> Task:
        return Task(key, lambda: started.append(key), lambda _: None, frozenset(after))

    tasks = [
        task("alone"),
        task("head of a chain"),
        task("link", ("head of a chain",)),
        task("end", ("link",)),
    ]
    run_tasks(tasks, workers=1)
    # "end" and "alone" tie (nothing waits for either): the order given decides.
    assert started == ["head of a chain", "link", "alone", "end"]


def test_a_failing_task_raises_its_error_and_later_tasks_do_not_run() -> None:
    log: list[str] = []

    def fail() -> None:
        raise ValueError("documents: expires before issued")

    tasks = [Task("read", fail, log.append), _recording(log, "derive", ("read",))]
    with pytest.raises(ValueError, match="expires before issued"):
        run_tasks(tasks, workers=2)
    assert log == []


def test_tasks_waiting_in_a_circle_or_for_a_task_not_given_are_refused() -> None:
    log: list[str] = []
    circle = [_recording(log, "a", ("b",)), _recording(log, "b", ("a",))]
    with pytest.raises(EvaluationError, match="circle"):
        run_tasks(circle, workers=2)
    with pytest.raises(EvaluationError, match="not given"):
        run_tasks([_recording(log, "a", ("missing",))], workers=2)
    assert log == []
