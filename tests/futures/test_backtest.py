"""A futures backtest on a webserver bot over data downloaded in futures mode from the
simulator (candles, 1h mark prices, funding rates): shorts, leverage and funding fees in the
result, and our long/short and per-pair figures equal to the backtest's own.

It goes through the backtest workbench (``ftnotebook.backtest``): started, waited for
and typed as a ``BacktestResult``, its stored file deleted afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from ftnotebook import FtClient, backtest, metrics
from ftnotebook.demo.launcher import RunningBot

STRATEGY = "FtnbDemoFutures"
TODAY_UTC = datetime.now(UTC).date()
RANGE = (TODAY_UTC - timedelta(days=4), TODAY_UTC - timedelta(days=1))


@pytest.fixture(scope="module")
def futures_result(futures_webserver_bot: RunningBot) -> Iterator[backtest.BacktestResult]:
    """One futures backtest through the workbench (``backtest.start(...).wait()``)."""
    bot = futures_webserver_bot
    with FtClient(bot.api_url, bot.username, bot.password) as client:
        run = backtest.start(client, STRATEGY, timerange=RANGE, stake_amount=100)
        result = run.wait(progress=False)
        try:
            yield result
        finally:
            if result.filename:
                backtest.delete(client, result.filename)


@pytest.fixture(scope="module")
def futures_backtest(futures_result: backtest.BacktestResult) -> dict[str, Any]:
    """freqtrade's own per-strategy result dict of that backtest."""
    assert futures_result.stats["trades"], "the futures backtest made no trade"
    return futures_result.stats


def test_the_workbench_types_shorts_and_leverage(futures_result: backtest.BacktestResult) -> None:
    trades = futures_result.trades
    assert trades["is_short"].dtype == bool and trades["is_short"].any()
    assert (~trades["is_short"]).any()
    assert set(trades["leverage"]) == {3.0}
    assert str(trades["open_date"].dtype) == "datetime64[ms, UTC]"
    assert futures_result.summary["trade_count_short"] == int(trades["is_short"].sum())
    assert futures_result.settings["trading_mode"] == "futures"


def test_futures_backtest_trades_both_sides_with_leverage_and_funding(
    futures_backtest: dict[str, Any], futures_webserver_api: Any
) -> None:
    config = futures_webserver_api.get("show_config")
    assert (config["trading_mode"], config["runmode"]) == ("futures", "webserver")
    trades = futures_backtest["trades"]
    assert futures_backtest["trade_count_long"] > 0 and futures_backtest["trade_count_short"] > 0
    assert {t["leverage"] for t in trades} == {3.0}, "FtnbDemoFutures.leverage()"
    assert all(t["pair"].endswith(":USDT") for t in trades)
    assert sum(1 for t in trades if t["funding_fees"]) > 0
    shorts = [t for t in trades if t["is_short"]]
    assert {t["enter_tag"] for t in shorts} <= {"ema_cross_short", "ema_cross_short_cold"}
    for t in trades:  # the stop sits above a short's entry, below a long's
        assert (t["initial_stop_loss_abs"] > t["open_rate"]) == t["is_short"], t


def test_side_and_pair_figures_equal_the_backtests(futures_backtest: dict[str, Any]) -> None:
    frame = pd.DataFrame(futures_backtest["trades"])
    ours = metrics.side_summary(frame, starting_balance=futures_backtest["starting_balance"])
    for key, value in ours.items():
        assert value == pytest.approx(futures_backtest[key], rel=1e-9, abs=1e-12), key
    per_pair = metrics.pair_summary(frame)
    rows = [row for row in futures_backtest["results_per_pair"] if row["key"] != "TOTAL"]
    traded = [row for row in rows if row["trades"]]
    assert len(traded) == len(per_pair)
    for row in traded:  # freqtrade's per-pair table: longs and shorts in one row
        assert per_pair.loc[row["key"], "count"] == row["trades"]
        assert per_pair.loc[row["key"], "profit_abs"] == pytest.approx(row["profit_total_abs"])
    split = metrics.pair_summary(frame, by_side=True)
    assert split.xs("short", level="side")["count"].sum() == futures_backtest["trade_count_short"]
