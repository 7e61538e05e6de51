"""Profit charts on the trade bot's real trades, /daily and /historic_balance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ftnotebook import frames, metrics
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
    assert with_open.name.startswith("With open profit")
    assert with_open.y[-1] == pytest.approx(
        closed["profit_abs"].sum() + open_trades["profit_abs"].sum()
    )
    assert pd.Timestamp(with_open.x[-1]) == now
    mdd = metrics.max_drawdown(closed_of(trades), starting_balance=10_000)
    assert mdd.abs > 0
    marker = fig.data[2]
    assert marker.name == f"Max drawdown {mdd.abs:.2f} ({mdd.relative:.2%})"
    assert list(marker.y) == [mdd.high_value, mdd.low_value]
    span = fig.layout.shapes[0]
    assert span.type == "rect"
    assert pd.Timestamp(span.x0) == mdd.high_date and pd.Timestamp(span.x1) == mdd.low_date
    assert mdd.high_value - mdd.low_value == pytest.approx(mdd.abs)
    no_open = cumulative_profit_chart(trades, include_open=False)
    assert not any(t.name.startswith("With open") for t in no_open.data)


def test_underwater_matches_freqtrade_formula(trades: pd.DataFrame) -> None:
    # freqtrade's _calc_drawdown_series, step by step on the closed trades
    closed = closed_of(trades)
    cum = closed["profit_abs"].cumsum().to_numpy()
    high = np.maximum(0, np.maximum.accumulate(cum))
    fig = underwater_chart(trades, starting_balance=10_000)
    np.testing.assert_allclose(fig.data[0].y[1:], cum - high)
    rel = ((10_000 + high) - (10_000 + cum)) / (10_000 + high)
    np.testing.assert_allclose(fig.data[1].y[1:], -rel)
    assert fig.data[0].y[0] == 0 and len(fig.data[0].y) == len(closed) + 1


def test_underwater(trades: pd.DataFrame) -> None:
    fig = underwater_chart(trades, starting_balance=10_000)
    abs_dd, rel_dd = fig.data
    assert abs_dd.fill == rel_dd.fill == "tozeroy"
    assert abs_dd.yaxis == "y" and rel_dd.yaxis == "y2"
    mdd = metrics.max_drawdown(closed_of(trades), starting_balance=10_000)
    assert max(abs_dd.y) <= 0 and min(abs_dd.y) == pytest.approx(-mdd.abs)
    assert fig.layout.yaxis2.tickformat == ".2%"


def test_period_profit_bars(trade_client: FtClient) -> None:
    daily = frames.periodic_frame(trade_client.daily(30), "daily")
    fig = period_profit_chart(daily)
    bars, count = fig.data
    assert bars.type == "bar" and len(bars.x) == len(daily) == 30
    np.testing.assert_allclose(bars.y, daily["abs_profit"].to_numpy())
    colors = np.asarray(bars.marker.color)
    assert set(colors[daily["abs_profit"].to_numpy() < 0]) <= {defaults.color("trade_loss")}
    assert count.yaxis == "y2" and list(count.y) == daily["trade_count"].tolist()
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
    series = parallelism_series(trades, "5m")
    closed = closed_of(trades)
    # every closed trade counts once per 5m step it was open (freqtrade's date_range points)
    steps = np.ceil((closed["close_date"] - closed["open_date"]) / pd.Timedelta("5min"))
    assert int(series.sum()) == int(steps.sum())
    assert series.index.freq == pd.Timedelta("5min")
    fig = parallelism_chart(trades, timeframe="5m")
    assert fig.data[0].name == "Parallel trades" and max(fig.data[0].y) == series.max() >= 1
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
    assert fig.data[0].name == "total_quote"


def test_house_style_applies(trades: pd.DataFrame) -> None:
    defaults.template = "plotly_dark"
    defaults.colors["profit"] = "#123456"
    fig = cumulative_profit_chart(trades)
    assert fig.data[0].line.color == "#123456"
    assert fig.layout.template.layout.paper_bgcolor is not None


def test_bad_input(trades: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="trades must be a pandas DataFrame, got list"):
        cumulative_profit_chart([1, 2])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['profit_abs'\]"):
        cumulative_profit_chart(trades.drop(columns="profit_abs"))
    with pytest.raises(ValueError, match="no closed trade"):
        cumulative_profit_chart(trades[trades["is_open"]])
