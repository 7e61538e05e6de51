"""Batches of backtests over two real webserver bots: every run finished once, a bot
killed mid-run has its run retried on the other, a bad config is reported and skipped,
and Ctrl-C aborts the running backtests on their bots."""

from __future__ import annotations

import _thread
import os
import signal
from collections.abc import Iterator
from datetime import timedelta

import pandas as pd
import pytest

from ftnotebook import FtClient, backtest
from ftnotebook.demo.launcher import RunningBot, start_bot
from ftnotebook.demo.stack import DemoStack
from tests.analysis.conftest import STRATEGY, TODAY_UTC


def _client(bot: RunningBot) -> FtClient:
    return FtClient(bot.api_url, bot.username, bot.password)


@pytest.fixture
def second_webserver(
    demo_stack: DemoStack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningBot]:
    """A throwaway webserver bot over the shared bot's downloaded candles (killed here)."""
    datadir = demo_stack.workdir / "webserver" / "user_data" / "data" / "binance"
    bot = start_bot(
        tmp_path_factory.mktemp("webserver2"),
        simulator_url=demo_stack.simulator.url,
        mode="webserver",
        datadir=datadir,
    )
    try:
        yield bot
    finally:
        bot.stop()


def test_six_runs_on_two_bots_one_killed_mid_run_every_run_finished_once(
    webserver_bot: RunningBot, second_webserver: RunningBot
) -> None:
    runs = backtest.rolling_windows(
        STRATEGY,
        TODAY_UTC - timedelta(days=7),
        TODAY_UTC - timedelta(days=1),
        window=timedelta(days=1),
        stake_amount=100,
    )
    assert len(runs) == 6
    killed: list[str] = []

    def kill_second_bot_mid_run(event: backtest.BatchEvent) -> None:
        if event.kind == "started" and event.bot == second_webserver.api_url and not killed:
            killed.append(event.run)
            os.kill(second_webserver.pid, signal.SIGKILL)

    with _client(webserver_bot) as first, _client(second_webserver) as second:
        batch = backtest.run_batch(
            runs, [first, second], progress=False, on_event=kill_second_bot_mid_run
        )
    table = batch.table
    assert table["label"].tolist() == [r.name for r in runs], "one row per run, in order"
    assert table["status"].astype(str).tolist() == ["finished"] * 6, table[["label", "error"]]
    assert set(batch.results) == {r.name for r in runs}
    assert killed, "the second bot started a run before it was killed"
    retried = table.set_index("label").loc[killed[0]]
    assert retried["attempts"] == 2 and retried["bot"] == webserver_bot.api_url
    assert batch.bots[webserver_bot.api_url] == "up"
    assert batch.bots[second_webserver.api_url].startswith("ConnectionFailed")
    kinds = [e.kind for e in batch.events]
    assert kinds.count("finished") == 6 and "retry" in kinds and "bot_down" in kinds
    windows = {r.name: r.timerange for r in runs}
    for row in table.itertuples():
        result = batch.results[row.label]
        assert row.profit_total_abs == result.summary["profit_total_abs"]
        lo, hi = (pd.Timestamp(d, tz="UTC") for d in windows[row.label])  # type: ignore[misc]
        opened = result.trades["open_date"]
        assert len(opened) and lo <= opened.min() and opened.max() < hi, row.label
    html = batch._repr_html_()
    assert "6 of 6 runs finished on 1 of 2 bots" in html


def test_a_bad_config_is_reported_and_skipped(webserver_bot: RunningBot) -> None:
    span = (TODAY_UTC - timedelta(days=3), TODAY_UTC - timedelta(days=2))
    runs = [
        backtest.RunConfig(STRATEGY, span, stake_amount=100),
        backtest.RunConfig("NoSuchStrategy", span),
        backtest.RunConfig(STRATEGY, span, timeframe="3m", label="no 3m candles"),
    ]
    with _client(webserver_bot) as client:
        batch = backtest.run_batch(runs, [client], progress=False)
        assert not client.backtest()["running"]
    status = dict(zip(batch.table["label"], batch.table["status"].astype(str), strict=True))
    assert status == {
        runs[0].name: "finished",
        runs[1].name: "failed",
        "no 3m candles": "failed",
    }
    errors = batch.failed.set_index("label")["error"]
    assert "has no strategy 'NoSuchStrategy'" in errors[runs[1].name]
    assert "no 3m candles for timeframe='3m'" in errors["no 3m candles"]
    assert list(batch.results) == [runs[0].name]


def test_ctrl_c_aborts_the_running_backtests_on_their_bots(webserver_bot: RunningBot) -> None:
    runs = backtest.grid(
        STRATEGY, (TODAY_UTC - timedelta(days=9), TODAY_UTC), stake_amount=[50, 100]
    )
    events: list[backtest.BatchEvent] = []

    def interrupt(event: backtest.BatchEvent) -> None:
        events.append(event)
        if event.kind == "started":
            _thread.interrupt_main()  # what Ctrl-C in the notebook does

    with _client(webserver_bot) as client:
        with pytest.raises(KeyboardInterrupt, match=r"aborted 1 running backtest"):
            backtest.run_batch(runs, [client], progress=False, on_event=interrupt)
        answer = client.backtest()
        # the abort was sent to the running backtest (the message counts it); a run that
        # had already finished in the meantime ends normally, but nothing runs on and the
        # second run of the batch never starts
        assert not answer["running"]
        kinds = [e.kind for e in events]
        assert kinds.count("started") == 1 and set(kinds) <= {"started", "finished"}, events
        client.reset_backtest()


def test_grid_and_windows_refuse_mistakes(webserver_bot: RunningBot) -> None:
    with pytest.raises(ValueError, match="unknown setting"):
        backtest.grid(STRATEGY, "20261101-20261102", stake=[1, 2])
    with pytest.raises(ValueError, match="does not fit"):
        backtest.rolling_windows(STRATEGY, "20261101", "20261102", window=timedelta(days=3))
    with pytest.raises(ValueError, match="positive"):
        backtest.rolling_windows(
            STRATEGY, "20261101", "20261110", window=timedelta(days=1), step=timedelta(0)
        )
    anchored = backtest.rolling_windows(
        STRATEGY, "20261101", "20261105", window=timedelta(days=2), anchored=True
    )
    assert [r.name for r in anchored] == [
        "FtnbDemo 20261101-20261103",
        "FtnbDemo 20261101-20261105",
    ]
    run = backtest.RunConfig(STRATEGY, "20261101-20261102")
    with _client(webserver_bot) as client:
        with pytest.raises(ValueError, match="share a label"):
            backtest.run_batch([run, run], [client])
        with pytest.raises(ValueError, match="same bot"):
            backtest.run_batch([run], [client, client])
        with pytest.raises(ValueError, match="configs is empty"):
            backtest.run_batch([], [client])
        assert not client.backtest()["running"], "nothing was started"
