"""Profit charts on the trade bot's real trades, /daily and /historic_balance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ftnotebook import frames
from ftnotebook.client import FtClient
from ftnotebook.plots import (
    cumulative_profit_chart,
    defaults,
    duration_distribution_chart,
    pair_profit_chart,
    parallelism_chart,
    parallelism_series,
    period_profit_chart,
    profit_distribution_chart,
    underwater_chart,
    wallet_chart,
)

from .conftest import freqtrade_drawdown, freqtrade_parallelism


def closed_of(trades: pd.DataFrame) -> pd.DataFrame:
    return trades[~trades["is_open"]].sort_values("close_date")


def test_cumulative_profit_with_open_profit_and_max_drawdown(trades: pd.DataFrame) -> None:
    closed = closed_of(trades)
    open_trades = trades[trades["is_open"]]
    assert len(closed) >= 60 and len(open_trades) >= 2
    now = pd.Timestamp.now(tz="UTC")
    fig = cumulative_profit_chart(trades, starting_balance=10_000, now=now)
    names = [t.name for t in fig.data]
    assert names[0] == "Closed profit"
    line = fig.data[0]
    assert len(line.y) == len(closed) + 1 and line.y[0] == 0
    assert line.y[-1] == pytest.approx(closed["profit_abs"].sum())
    with_open = fig.data[1]
    open_abs = open_trades["profit_abs"].sum()
    assert with_open.name == f"With open profit ({open_abs:+,.2f} USDT)"
    assert with_open.y[-1] == pytest.approx(closed["profit_abs"].sum() + open_abs)
    assert with_open.line.dash == "dash" and with_open.text[-1].endswith(f"(open {open_abs:+,.2f})")
    assert pd.Timestamp(with_open.x[-1]) == now
    # the drawdown span and its label: freqtrade's calculate_max_drawdown is the oracle
    theirs = freqtrade_drawdown(closed, 10_000)
    assert theirs["abs"] > 0
    marker = fig.data[2]
    assert marker.name == f"Max drawdown {theirs['abs']:.2f} USDT ({theirs['relative']:.2%})"
    np.testing.assert_allclose(list(marker.y), [theirs["high_value"], theirs["low_value"]])
    span = fig.layout.shapes[0]
    assert span.type == "rect"
    assert pd.Timestamp(span.x0) == pd.Timestamp(theirs["high_ms"], unit="ms", tz="UTC")
    assert pd.Timestamp(span.x1) == pd.Timestamp(theirs["low_ms"], unit="ms", tz="UTC")
    assert fig.layout.yaxis.title.text == "Cumulative profit (USDT)"
    no_open = cumulative_profit_chart(trades, include_open=False)
    assert not any(t.name.startswith("With open") for t in no_open.data)


def test_underwater_matches_freqtrade(trades: pd.DataFrame) -> None:
    # freqtrade's calculate_underwater on the same closed trades is the oracle
    closed = closed_of(trades)
    theirs = freqtrade_drawdown(closed, 10_000)
    fig = underwater_chart(trades, starting_balance=10_000)
    # freqtrade's series starts with its own zero row, as ours does
    np.testing.assert_allclose(fig.data[0].y, theirs["drawdown"])
    np.testing.assert_allclose(fig.data[1].y, -np.asarray(theirs["drawdown_relative"]))
    assert fig.data[0].y[0] == 0 and len(fig.data[0].y) == len(closed) + 1


def test_underwater(trades: pd.DataFrame) -> None:
    fig = underwater_chart(trades, starting_balance=10_000)
    abs_dd, rel_dd = fig.data
    assert abs_dd.fill == rel_dd.fill == "tozeroy"
    assert abs_dd.yaxis == "y" and rel_dd.yaxis == "y2"
    theirs = freqtrade_drawdown(closed_of(trades), 10_000)
    assert max(abs_dd.y) <= 0 and min(abs_dd.y) == pytest.approx(-theirs["abs"])
    assert fig.layout.yaxis2.tickformat == ".1%"
    assert fig.layout.yaxis.title.text == "Drawdown (USDT)"
    # the top panel says what it shows
    assert fig.layout.annotations[0].text.startswith("Drawdown (USDT) below the running high")


def test_period_profit_bars(trade_client: FtClient) -> None:
    daily = frames.periodic_frame(trade_client.daily(30), "daily")
    fig = period_profit_chart(daily)
    bars, count = fig.data
    assert bars.type == "bar" and len(bars.x) == len(daily) == 30
    np.testing.assert_allclose(bars.y, daily["abs_profit"].to_numpy())
    colors = np.asarray(bars.marker.color)
    assert set(colors[daily["abs_profit"].to_numpy() < 0]) <= {defaults.color("trade_loss")}
    assert count.yaxis == "y2" and list(count.y) == daily["trade_count"].tolist()
    # the count has its own row with whole-number ticks; the title names the period
    assert fig.layout.yaxis2.tickformat == "d" and fig.layout.yaxis2.dtick >= 1
    assert fig.layout.yaxis2.domain[1] < fig.layout.yaxis.domain[0]
    assert fig.layout.title.text == "Profit per day"
    assert fig.layout.yaxis.title.text == f"Profit ({daily.attrs['stake_currency']})"
    weekly = frames.periodic_frame(trade_client.weekly(8), "weekly")
    assert period_profit_chart(weekly).layout.title.text == "Profit per week"
    with pytest.raises(ValueError, match=r"periods lacks the column\(s\) \['abs_profit'\]"):
        period_profit_chart(daily.drop(columns="abs_profit"))


def test_profit_per_pair(trades: pd.DataFrame) -> None:
    closed = closed_of(trades)
    fig = pair_profit_chart(trades)
    assert [t.name for t in fig.data] == sorted(closed["pair"].astype(str).unique())
    for trace in fig.data:
        mine = closed[closed["pair"] == trace.name]
        assert len(trace.y) == len(mine)
        assert trace.y[-1] == pytest.approx(mine["profit_abs"].sum())


def test_parallelism(trades: pd.DataFrame) -> None:
    closed = closed_of(trades)
    theirs = freqtrade_parallelism(closed, "5m")  # freqtrade's analyze_trade_parallelism
    fig = parallelism_chart(trades, timeframe="5m")
    line = fig.data[0]
    drawn = {pd.Timestamp(x): int(y) for x, y in zip(line.x, line.y, strict=True) if y}
    assert drawn == {k: v for k, v in theirs.items() if v}
    assert line.name == "Parallel trades" and max(line.y) >= 1
    assert fig.layout.yaxis.tickformat == "d" and fig.layout.yaxis.title.text == "Open trades"
    assert parallelism_series(trades, "5m").index.freq == pd.Timedelta("5min")
    with pytest.raises(ValueError, match=r"timeframe must be like '5m'.*got '5x'"):
        parallelism_series(trades, "5x")


def test_distributions(trades: pd.DataFrame) -> None:
    closed = closed_of(trades)
    won = int((closed["profit_ratio"] > 0).sum())
    fig = profit_distribution_chart(trades)
    winners, losers = fig.data
    assert winners.type == losers.type == "histogram"
    assert len(winners.x) == won and len(losers.x) == len(closed) - won
    np.testing.assert_allclose(
        sorted(winners.x), sorted(closed.loc[closed.profit_ratio > 0, "profit_ratio"] * 100)
    )
    fig = duration_distribution_chart(trades)
    winners, losers = fig.data
    assert len(winners.x) + len(losers.x) == len(closed)
    hours = (closed["close_date"] - closed["open_date"]).dt.total_seconds() / 3600
    np.testing.assert_allclose(sorted([*winners.x, *losers.x]), sorted(hours), atol=1 / 60)


def test_wallet_history(trade_client: FtClient) -> None:
    balance = frames.historic_balance_frame(trade_client.historic_balance())
    assert len(balance) >= 1
    fig = wallet_chart(balance)
    assert list(fig.data[0].y) == balance["total_quote"].tolist()
    assert fig.data[0].name.startswith("Wallet value")
    if len(balance) == 1:  # a fresh bot: a labelled point on a day-wide axis
        x0, x1 = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
        assert x1 - x0 == pd.Timedelta(days=1)
        assert fig.data[0].text[0].startswith(f"{balance['total_quote'].iloc[0]:,.2f}")


def test_house_style_applies(trades: pd.DataFrame) -> None:
    defaults.template = "plotly_dark"
    defaults.colors["profit"] = "#123456"
    fig = cumulative_profit_chart(trades)
    assert fig.data[0].line.color == "#123456"
    import plotly.io as pio

    assert fig.layout.template == pio.templates["plotly_dark"]


def test_bad_input(trades: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="trades must be a pandas DataFrame, got list"):
        cumulative_profit_chart([1, 2])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['profit_abs'\]"):
        cumulative_profit_chart(trades.drop(columns="profit_abs"))
    with pytest.raises(ValueError, match="no closed trade"):
        cumulative_profit_chart(trades[trades["is_open"]])
