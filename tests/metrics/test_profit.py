"""Analytics from the trades frame against the real bot's /profit, /daily, /performance, /stats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from ftnotebook import FtClient, TradeHistory, frames, metrics

from ._freqtrade import freqtrade_metrics


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
        if isinstance(value, str) or value is None or expected is None:
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


def _fresh(history: TradeHistory, bot_api: Any) -> tuple[pd.DataFrame, dict[str, Any], float]:
    """The frame with open trades, ``/profit`` and the final balance, read consistently."""
    for _ in range(3):
        trades = history.frame(include_open=True)
        bot = bot_api.get("profit")
        bal = bot_api.get("balance")
        if history.frame(include_open=True).profit_abs.equals(trades.profit_abs):
            break
    return trades, bot, bal


def test_each_ratio_called_directly_equals_the_bot(client: FtClient, bot_api: Any) -> None:
    """winrate, profit_factor, sharpe, sortino, calmar, sqn, expectancy and cagr on their
    own, with their defaults, over the frame with open trades: each is ``/profit``'s."""
    trades, bot, bal = _fresh(TradeHistory(client, progress=False), bot_api)
    sb = bal["starting_capital"]
    assert metrics.winrate(trades) == pytest.approx(bot["winrate"], rel=1e-12)
    assert metrics.profit_factor(trades) == pytest.approx(bot["profit_factor"], rel=1e-12)
    for name in ("sharpe", "sortino", "calmar"):
        value = getattr(metrics, name)(trades, starting_balance=sb)
        assert value == pytest.approx(bot[name], rel=1e-9), name
        assert value not in (0.0, -100.0), name  # a real figure, not a guard's
    assert metrics.sqn(trades, starting_balance=sb) == pytest.approx(bot["sqn"], rel=1e-9)
    exp, ratio = metrics.expectancy(trades)
    assert (exp, ratio) == pytest.approx((bot["expectancy"], bot["expectancy_ratio"]), rel=1e-9)
    first = pd.Timestamp(bot["first_trade_timestamp"], unit="ms", tz="UTC")
    last = pd.Timestamp(bot["latest_trade_timestamp"], unit="ms", tz="UTC")
    days = max(1, (last - first).days)
    final = _final_balance(trades, bal)
    cagr = metrics.cagr(starting_balance=sb, final_balance=final, days=days)
    assert cagr == pytest.approx(bot["cagr"], rel=1e-9) and cagr != 0
    dd = metrics.max_drawdown(metrics.closed(trades), starting_balance=sb)
    assert dd.relative == pytest.approx(bot["max_drawdown"], rel=1e-12)
    assert dd.abs == pytest.approx(bot["max_drawdown_abs"], rel=1e-12) and dd.abs > 0


def test_notebook_02_defaults_on_closed_trades_equal_freqtrade(client: FtClient) -> None:
    """Notebook 02's calls over ``metrics.closed(trades)`` against freqtrade's functions
    on the same closed trades (their span: the first and last closed trade's open date)."""
    closed = metrics.closed(TradeHistory(client, progress=False).frame(include_open=True))
    sb = 10_000.0
    theirs = freqtrade_metrics(
        closed,
        starting_balance=sb,
        min_date=closed["open_date"].iloc[0],
        max_date=closed["open_date"].iloc[-1],
    )
    for name in ("sharpe", "sortino", "calmar"):
        assert getattr(metrics, name)(closed, starting_balance=sb) == pytest.approx(
            theirs[name], rel=1e-12
        ), name
    assert metrics.sqn(closed, starting_balance=sb) == theirs["sqn"]
    assert list(metrics.expectancy(closed)) == pytest.approx(theirs["expectancy"], rel=1e-12)
    dd = metrics.max_drawdown(closed, starting_balance=sb)
    assert dd.abs == pytest.approx(theirs["max_drawdown rel=False sb=True"]["abs"], rel=1e-12)
    uw = metrics.underwater(closed, starting_balance=sb)
    assert uw["drawdown"].tolist() == pytest.approx(theirs["underwater profit_abs"]["drawdown"])


def test_profit_factor_and_winrate_by_hand(client: FtClient) -> None:
    """profit_factor and winrate counted trade by trade (``/profit``: ratio >= 0 wins)."""
    closed = metrics.closed(TradeHistory(client, progress=False).frame())
    won = [t for t in closed.itertuples() if t.profit_ratio >= 0]
    lost = [t for t in closed.itertuples() if t.profit_ratio < 0]
    assert won and lost
    gross_win = sum(t.profit_abs for t in won)
    gross_loss = sum(t.profit_abs for t in lost)
    assert metrics.profit_factor(closed) == pytest.approx(gross_win / -gross_loss, rel=1e-12)
    assert metrics.winrate(closed) == len(won) / len(closed)
    only_wins = closed.loc[closed.profit_ratio >= 0]
    assert np.isnan(metrics.profit_factor(only_wins))  # /profit sends null, never inf
    assert metrics.profit_factor(closed.iloc[0:0]) != metrics.profit_factor(closed.iloc[0:0])


def test_daily_returns_values_by_hand_and_against_daily(client: FtClient, bot_api: Any) -> None:
    """Each day's return recomputed with plain Python, and against ``/daily``'s
    ``rel_profit`` (freqtrade: the day's profit over the balance at the day's start)."""
    history = TradeHistory(client, progress=False)
    trades, _, bal = _fresh(history, bot_api)
    closed = metrics.closed(trades)
    sb = 10_000.0
    returns = metrics.daily_returns(closed, starting_balance=sb)
    by_day: dict[datetime, float] = {}
    for t in closed.itertuples():
        d = t.close_date.to_pydatetime().astimezone(UTC)
        day = datetime(d.year, d.month, d.day)
        by_day[day] = by_day.get(day, 0.0) + float(t.profit_abs)
    day, end, balance = min(by_day), max(by_day), sb
    expected: dict[datetime, float] = {}
    while day <= end:
        expected[day] = by_day.get(day, 0.0) / balance
        balance += by_day.get(day, 0.0)
        day += timedelta(days=1)
    assert list(returns.index.to_pydatetime()) == list(expected)
    assert returns.tolist() == pytest.approx(list(expected.values()), rel=1e-12, abs=1e-15)
    assert (returns != 0).sum() >= 5

    # /daily's balance at a day's start is the bot's current total minus the later profit.
    final = _final_balance(trades, bal)
    start = final - float(closed.profit_abs.sum())
    ours = metrics.daily_returns(closed, starting_balance=start)
    span = (datetime.now(UTC).date() - ours.index[0].date()).days + 1
    daily = bot_api.get("daily", timescale=span)["data"]
    compared = 0
    for row in daily:
        key = pd.Timestamp(row["date"])
        if key in ours.index:
            assert ours[key] == pytest.approx(row["rel_profit"], abs=1e-8), row["date"]
            compared += row["rel_profit"] != 0
    assert compared >= 5


@pytest.mark.parametrize(
    ("call", "column"),
    [
        (lambda df: metrics.sharpe(df, starting_balance=1000), "profit_abs"),
        (lambda df: metrics.sortino(df, starting_balance=1000), "profit_abs"),
        (lambda df: metrics.calmar(df, starting_balance=1000), "profit_abs"),
        (lambda df: metrics.sqn(df, starting_balance=1000), "profit_abs"),
        (lambda df: metrics.expectancy(df), "profit_abs"),
        (lambda df: metrics.profit_factor(df), "profit_ratio"),
        (lambda df: metrics.profit_factor(df), "profit_abs"),
        (lambda df: metrics.winrate(df), "profit_ratio"),
        (lambda df: metrics.max_drawdown(df), "profit_abs"),
        (lambda df: metrics.underwater(df), "close_date"),
        (lambda df: metrics.daily_returns(df, starting_balance=1000), "profit_abs"),
        (lambda df: metrics.cumulative_profit(df), "profit_abs"),
        (lambda df: metrics.pair_summary(df), "pair"),
        (lambda df: metrics.tag_summary(df), "enter_tag"),
        (lambda df: metrics.profit_summary(df, starting_balance=1000), "trade_id"),
        (lambda df: metrics.wins(df), "profit_ratio"),
        (lambda df: metrics.trade_parallelism(df), "open_date"),
        (lambda df: metrics.side_summary(df, starting_balance=1000), "is_short"),
    ],
)
def test_a_missing_column_is_a_value_error_naming_it(
    client: FtClient, call: Any, column: str
) -> None:
    trades = TradeHistory(client, progress=False).frame()
    with pytest.raises(ValueError, match=column):
        call(trades.drop(columns=column))


def test_win_rule_is_freqtrades_per_figure(client: FtClient, bot_api: Any) -> None:
    """/profit counts ratio >= 0 as a win, /stats and the backtest tables > 0 with draws."""
    closed = metrics.closed(TradeHistory(client, progress=False).frame())
    draw = closed.iloc[[0]].assign(profit_abs=0.0, profit_ratio=0.0, close_profit_abs=0.0)
    with_draw = pd.concat([closed, draw], ignore_index=True)
    assert (
        metrics.wins(with_draw).iloc[-1] and not metrics.wins(with_draw, rule="backtest").iloc[-1]
    )
    table = metrics.pair_summary(with_draw)
    pair = draw["pair"].iloc[0]
    assert table.loc[pair, "draws"] == 1
    assert table["wins"].sum() + table["draws"].sum() + table["losses"].sum() == len(with_draw)
    stats = bot_api.get("stats")["exit_reasons"]
    tags = metrics.tag_summary(closed, tag_col="exit_reason")
    for reason, wl in stats.items():
        assert (tags.loc[reason, "wins"], tags.loc[reason, "draws"]) == (wl["wins"], wl["draws"])
    with pytest.raises(ValueError, match="rule"):
        metrics.wins(closed, rule="stats")  # type: ignore[arg-type]


def test_zero_closed_trades_give_profits_zeros_and_null_factor(client: FtClient) -> None:
    """A fresh bot's figures: no inf anywhere, profit_factor None as /profit's null."""
    trades = TradeHistory(client, progress=False).frame(include_open=True)
    only_open = trades.loc[trades.is_open.astype(bool)]
    assert len(only_open) >= 1
    for frame in (only_open, trades.iloc[0:0]):
        ours = metrics.profit_summary(frame, starting_balance=1000)
        assert ours["profit_factor"] is None
        assert ours["closed_trade_count"] == 0 and ours["max_drawdown"] == 0
        assert not any(isinstance(v, float) and not np.isfinite(v) for v in ours.values())
