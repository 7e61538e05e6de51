"""Start, poll, wait, abort and refuse backtests on the real webserver bot."""

from __future__ import annotations

from typing import Any

import pytest

from ftnotebook import FtClient, WrongMode, backtest
from ftnotebook.backtest import BacktestAlreadyRunning, BacktestFailed, BacktestResult
from ftnotebook.demo.launcher import RunningBot
from tests.backtest.conftest import LONG_RANGE, RANGE, STRATEGY


def _files(client: FtClient) -> set[str]:
    return set(backtest.history(client)["filename"])


def test_start_poll_wait_with_every_setting(bt_client: FtClient) -> None:
    seen: list[dict[str, Any]] = []
    run = backtest.start(
        bt_client,
        STRATEGY,
        timeframe="5m",
        timerange=RANGE,
        max_open_trades=2,
        stake_amount=50,
        dry_run_wallet=2000,
        enable_protections=True,
        backtest_cache="none",
    )
    assert run.request["timerange"] == f"{RANGE[0]:%Y%m%d}-{RANGE[1]:%Y%m%d}"
    result = run.wait(progress=True, on_progress=seen.append)
    assert isinstance(result, BacktestResult) and result.strategy == STRATEGY
    assert seen[-1]["status"] == "ended" and run.polls == len(seen)
    assert {s["step"] for s in seen} <= {
        "startup",
        "dataload",
        "analyze",
        "convert",
        "backtest",
        "finished",
        "",
    }
    settings = result.settings
    assert settings["stake_amount"] == 50 and settings["max_open_trades_setting"] == 2
    assert settings["dry_run_wallet"] == 2000 and settings["enable_protections"] is True
    assert settings["timerange"] == run.request["timerange"]
    assert result.starting_balance == 2000
    assert result.filename in _files(bt_client)
    assert run.wait() is result  # a finished run keeps its result
    assert backtest.running(bt_client) is None


def test_second_start_names_the_running_one(bt_client: FtClient) -> None:
    run = backtest.start(bt_client, STRATEGY, timerange=LONG_RANGE, stake_amount=20)
    try:
        with pytest.raises(
            BacktestAlreadyRunning, match=f"{STRATEGY} .*stake 20.*started from here"
        ):
            backtest.start(bt_client, STRATEGY, timerange=RANGE)
        assert backtest.running(bt_client) is run
    finally:
        run.wait(progress=False)


def test_ctrl_c_aborts_on_the_bot_and_stores_nothing(bt_client: FtClient) -> None:
    """KeyboardInterrupt while wait() polls (raised from its progress hook, where a
    Ctrl-C lands between two polls) aborts the backtest on the bot."""
    before = _files(bt_client)
    run = backtest.start(bt_client, STRATEGY, timerange=LONG_RANGE, stake_amount=30)

    def ctrl_c(answer: dict[str, Any]) -> None:
        if answer["step"] in ("dataload", "analyze", "convert", "backtest"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt, match="aborted on the bot"):
        run.wait(progress=False, on_progress=ctrl_c, poll=0.05)
    answer = bt_client.backtest()
    assert answer["running"] is False
    assert answer["status"] == "error" and "Stop requested" in answer["status_msg"]
    assert _files(bt_client) == before, "an aborted backtest must not be stored"
    with pytest.raises(backtest.BacktestAborted):  # waiting again says what happened
        backtest.BacktestRun(bt_client, STRATEGY, run.request).wait(progress=False)


def test_bad_input_is_refused_before_anything_starts(bt_client: FtClient) -> None:
    before = _files(bt_client)
    status = bt_client.backtest()["status"]
    cases: list[tuple[dict[str, Any], str]] = [
        ({"strategy": "NoSuchStrategy"}, "no strategy 'NoSuchStrategy'; it has .*FtnbDemo"),
        ({"strategy": STRATEGY, "timeframe": "3m"}, r"no 3m candles .*\['1h', '5m'\]"),
        ({"strategy": STRATEGY, "timerange": ""}, "timerange is empty"),
        ({"strategy": STRATEGY, "timerange": None}, "timerange is empty"),
        ({"strategy": STRATEGY, "timerange": "2026-11-01"}, "timerange must look like"),
        ({"strategy": STRATEGY, "timerange": "20261130-20261120"}, "starts after it ends"),
        ({"strategy": STRATEGY, "stake_amount": -5}, "stake_amount must be > 0"),
        ({"strategy": STRATEGY, "dry_run_wallet": 0}, "dry_run_wallet must be > 0"),
        ({"strategy": STRATEGY, "max_open_trades": -2}, "max_open_trades"),
        ({"strategy": ""}, "strategy must be"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValueError, match=message):
            backtest.start(bt_client, **{"timerange": RANGE, **kwargs})
    assert bt_client.backtest()["status"] == status
    assert _files(bt_client) == before


def test_the_bots_own_errors_in_its_words(bt_client: FtClient) -> None:
    before = _files(bt_client)
    run = backtest.start(bt_client, STRATEGY, timerange="20200101-20200105")
    with pytest.raises(BacktestFailed, match="failed on the bot: No data found") as info:
        run.wait(progress=False)
    assert info.value.detail == "No data found. Terminating."
    unchecked = backtest.start(bt_client, "NoSuchStrategy", timerange=RANGE, check=False)
    with pytest.raises(BacktestFailed, match="Impossible to load Strategy 'NoSuchStrategy'"):
        unchecked.wait(progress=False)
    assert _files(bt_client) == before


def test_trade_mode_bot_says_to_start_a_webserver(trade_bot: RunningBot) -> None:
    with FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password) as client:
        with pytest.raises(WrongMode, match="freqtrade webserver"):
            backtest.start(client, STRATEGY, timerange=RANGE)
        with pytest.raises(WrongMode, match="freqtrade webserver"):
            backtest.history(client)


def test_timeframe_and_detail_timeframe(bt_client: FtClient) -> None:
    """1h candles with 5m detail: both fields reach the bot and come back in the result."""
    result = backtest.start(
        bt_client, STRATEGY, timeframe="1h", timeframe_detail="5m", timerange=RANGE
    ).wait(progress=False)
    assert result.settings["timeframe"] == "1h"
    assert result.settings["timeframe_detail"] == "5m"
    assert result.metadata["timeframe_detail"] == "5m"
    runs = backtest.history(bt_client).set_index("filename")
    assert runs.loc[result.filename, "timeframe_detail"] == "5m"
    opens = result.trades["open_date"]
    assert len(opens) and (opens.dt.minute == 0).all(), "1h candles open trades on the hour"
