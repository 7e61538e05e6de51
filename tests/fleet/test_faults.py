"""Faults on a throwaway bot (never the shared ones): hung (SIGSTOP), killed mid-call, and a
fleet action that fails on it while the others go through."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ftnotebook import ConnectionFailed, FtClient
from ftnotebook.demo.launcher import RunningBot, RunningSimulator, start_bot
from ftnotebook.fleet import BotTimeout, Fleet


@pytest.fixture
def doomed(simulator: RunningSimulator, tmp_path: Path) -> Iterator[RunningBot]:
    bot = start_bot(tmp_path / "doomed", simulator_url=simulator.url, kind="fleet-doomed")
    try:
        yield bot
    finally:
        if bot.is_alive():
            os.kill(bot.pid, signal.SIGCONT)
        bot.stop()


def fleet_with(doomed: RunningBot, fleet_bots: dict[str, RunningBot], timeout: float) -> Fleet:
    clients = {
        n: FtClient(b.api_url, b.username, b.password)
        for n, b in fleet_bots.items()
        if n != "usdt-main"
    }
    clients["doomed"] = FtClient(doomed.api_url, doomed.username, doomed.password, retries=0)
    return Fleet(clients, timeout=timeout)


def test_hung_then_killed_bot_shows_as_down_and_the_others_answer(
    doomed: RunningBot, fleet_bots: dict[str, RunningBot]
) -> None:
    fleet = fleet_with(doomed, fleet_bots, timeout=2.0)
    assert fleet.call(lambda n, c: c.count(), what="count").status == "ok"
    os.kill(doomed.pid, signal.SIGSTOP)  # hung: the kernel accepts, nobody answers
    hung = fleet.call(lambda n, c: c.count(), what="count")
    assert hung.answered == ["usdt-swing", "btc-cross"]
    assert isinstance(hung["doomed"].error, BotTimeout)
    assert hung["doomed"].seconds == 2.0
    assert "doomed (BotTimeout: doomed: no answer within the fleet's 2 s timeout)" in hung.summary()
    # Killed while a call waits on it: the call still returns, the bot is down.
    killer = threading.Timer(0.5, os.kill, (doomed.pid, signal.SIGKILL))
    killer.start()
    try:
        during = fleet.profit()
    finally:
        killer.join()
    result = during.attrs["fleet"]
    assert result.answered == ["usdt-swing", "btc-cross"]
    assert isinstance(result["doomed"].error, ConnectionFailed)
    assert set(during["bot"]) == {"usdt-swing", "btc-cross"}
    doomed.process.wait(10)
    after = fleet.overview()
    assert after["error"].tolist()[:2] == ["", ""]
    assert after.loc[2, "bot"] == "doomed" and str(after.loc[2, "error"]).startswith(
        "ConnectionFailed"
    )


def test_an_action_failing_on_one_bot_is_partial_and_changes_nothing_else(
    doomed: RunningBot, fleet_bots: dict[str, RunningBot]
) -> None:
    fleet = fleet_with(doomed, fleet_bots, timeout=5.0)
    doomed.stop()
    before = {
        n: {lk["id"] for lk in c.locks()["locks"]}
        for n, c in fleet.clients.items()
        if n != "doomed"
    }
    blacklists = {n: fleet[n].blacklist()["blacklist"] for n in before}
    result = fleet.lock_pair("XRP", datetime.now(UTC) + timedelta(hours=1), reason="fleet fault")
    try:
        assert result.status == "partial"
        assert result.failed == ["doomed"]
        assert isinstance(result["doomed"].error, ConnectionFailed)
        for name in before:
            made = result[name].unwrap()["lock_ids"]
            now = {lk["id"] for lk in fleet[name].locks()["locks"]}
            assert len(made) == 1 and now - before[name] == set(made)
    finally:
        undone = fleet.unlock(result)
    assert list(undone) == ["usdt-swing", "btc-cross"] and undone.status == "ok"
    for name in before:
        assert {lk["id"] for lk in fleet[name].locks()["locks"]} <= before[name]
        assert fleet[name].blacklist()["blacklist"] == blacklists[name]
