"""run_each, the fleet's concurrency helper, on plain functions (no bot needed)."""

from __future__ import annotations

import functools
import threading

import pytest

from ftnotebook.fleet import BotTimeout, FleetResult, run_each


def test_every_task_gets_an_outcome_value_or_error() -> None:
    def boom() -> int:
        raise KeyError("nope")

    result = run_each({"a": lambda: 1, "b": boom, "c": lambda: 3}, what="sum")
    assert isinstance(result, FleetResult) and list(result) == ["a", "b", "c"]
    assert result.values_by_bot == {"a": 1, "c": 3}
    assert isinstance(result["b"].error, KeyError) and result["b"].value is None
    assert result.status == "partial" and result.failed == ["b"]
    assert result.summary() == "sum: 2/3 bots answered (a, c); failed: b (KeyError: 'nope')"
    with pytest.raises(KeyError):
        result["b"].unwrap()
    assert [row["ok"] for row in result.table()] == [True, False, True]


def test_a_hanging_task_times_out_and_the_others_answer() -> None:
    release = threading.Event()
    started = threading.Event()

    def hang() -> str:
        started.set()
        release.wait(30)
        return "late"

    try:
        result = run_each({"slow": hang, "fast": lambda: "ok"}, timeout=0.3)
    finally:
        release.set()
    assert started.is_set()
    assert result["fast"].value == "ok"
    assert isinstance(result["slow"].error, BotTimeout)
    assert "0.3 s" in str(result["slow"].error) and result["slow"].seconds == 0.3
    assert result.status == "partial"


def test_more_tasks_than_workers_still_all_run() -> None:
    tasks = {str(i): functools.partial(pow, i, 2) for i in range(12)}
    result = run_each(tasks, max_workers=3)
    assert result.values_by_bot == {str(i): i * i for i in range(12)}
    assert run_each({}).status == "empty"
    assert run_each({"a": lambda: 1 / 0}).status == "failed"


@pytest.mark.parametrize("bad", [0, -1, "5", True, None])
def test_a_bad_timeout_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="timeout"):
        run_each({"a": lambda: 1}, timeout=bad)  # type: ignore[arg-type]
