"""Analytics from the trades frame against the real bot's /profit, /daily, /performance, /stats."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from ftnotebook import FtClient, TradeHistory, frames, metrics


@pytest.fixture(scope="module")
def client(trade_bot: Any) -> FtClient:
    return FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password)


def _final_balance(trades: pd.DataFrame, bal: dict[str, Any]) -> float:
    """wallets.get_total_stake_amount() from /balance (dry-run, no available_capital)."""
    free = next(c["free"] for c in bal["currencies"] if c["currency"] == bal["stake"])
    open_stakes = trades.loc[trades.is_open, "stake_amount"].sum()
    closed = trades.loc[~trades.is_open, "close_profit_abs"].sum()
    ratio = bal["starting_capital"] / (free - closed + open_stakes)
    return float((open_stakes + free) * ratio)


def test_every_profit_figure_matches_the_bot(client: FtClient, bot_api: Any) -> None:
    history = TradeHistory(client, progress=False)
    for _ in range(3):  # open trades' live profit must not move between our call and /profit
        trades = history.frame(include_open=True)
        bot = bot_api.get("profit")
        bal = bot_api.get("balance")
        again = history.frame(include_open=True)
        if again.profit_abs.equals(trades.profit_abs):
            break
    ours = metrics.profit_summary(
        trades, starting_balance=bal["starting_capital"], final_balance=_final_balance(trades, bal)
    )
    compared = 0
    for key, value in ours.items():
        if key not in bot:
            continue
        expected = bot[key]
        if isinstance(value, str):
            assert value == expected, key
        else:
            assert value == pytest.approx(expected, rel=1e-9, abs=1e-12), key
        compared += 1
    assert compared >= 43
    assert bot["closed_trade_count"] >= 60 and ours["winning_trades"] > 0


def test_daily_performance_and_stats_from_trades(client: FtClient, bot_api: Any) -> None:
    trades = TradeHistory(client, progress=False).frame()
    perf = bot_api.get("performance")
    summary = metrics.pair_summary(trades)
    for row in perf:
        assert summary.loc[row["pair"], "count"] == row["count"]
        assert summary.loc[row["pair"], "profit_abs"] == pytest.approx(row["profit_abs"], rel=1e-9)
    stats = bot_api.get("stats")["exit_reasons"]
    tags = metrics.tag_summary(trades, tag_col="exit_reason")
    for reason, wl in stats.items():
        assert tags.loc[reason, "wins"] == wl["wins"]
        assert tags.loc[reason, "losses"] == wl["losses"]
    daily = frames.daily(client, 30)
    day = trades.close_date.dt.floor("D")
    by_day = trades.groupby(day).profit_abs.sum()
    for date, row in daily.iterrows():
        assert row.abs_profit == pytest.approx(by_day.get(date, 0.0), abs=1e-8), date


def test_pure_metrics_do_not_mutate_and_are_consistent(client: FtClient) -> None:
    trades = TradeHistory(client, progress=False).frame()
    copy = trades.copy()
    closed = metrics.closed(trades)
    cum = metrics.cumulative_profit(closed)
    assert cum.iloc[-1] == pytest.approx(closed.profit_abs.sum())
    dd = metrics.max_drawdown(closed, starting_balance=1000)
    assert dd.abs >= 0 and dd.high_date <= dd.low_date
    uw = metrics.underwater(closed, starting_balance=1000)
    assert len(uw) == len(closed) + 1 and (uw.drawdown <= 0).all()
    returns = metrics.daily_returns(closed, starting_balance=1000)
    assert returns.index.tz is None and returns.dtype == "float64"
    assert returns.index.freq is not None or returns.index.is_monotonic_increasing
    par = metrics.trade_parallelism(closed, freq="1h")
    assert par.max() >= 1 and par.min() >= 0
    assert 0 <= metrics.winrate(closed) <= 1
    assert metrics.expectancy(closed)[0] == pytest.approx(closed.profit_abs.mean())
    pd.testing.assert_frame_equal(trades, copy)
    with pytest.raises(ValueError, match="close_date"):
        metrics.cumulative_profit(trades.drop(columns="close_date"))
