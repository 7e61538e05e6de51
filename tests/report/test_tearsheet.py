"""The tear sheet object: its sources, figures, HTML export and Monte Carlo, on real trades.

Trades come from the session's trade bot (``TradeHistory``) or a real backtest; nothing
here changes a bot.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from ftnotebook import TradeHistory
from ftnotebook.client import FtClient
from ftnotebook.report import (
    KPIS,
    TearSheet,
    TradeSet,
    monte_carlo,
    tear_sheet,
    trade_blocks,
)

FIGURES = ["equity", "underwater", "monthly", "rolling", "distribution", "monte_carlo"]


@pytest.fixture(scope="module")
def bot_trades(trade_client: FtClient) -> pd.DataFrame:
    return TradeHistory(trade_client, progress=False).frame(include_open=True)


def _axis_titles(fig: Any) -> list[tuple[str, str]]:
    """(axis, title) of every axis but those shared with a titled one (``matches``)."""
    out = []
    for key in fig.layout:
        if re.fullmatch(r"[xy]axis\d*", key):
            axis = fig.layout[key]
            if axis.matches is None:
                out.append((key, axis.title.text or ""))
    return out


def test_kpis_are_the_registry_typed(bot_sheet: TearSheet) -> None:
    kpis = bot_sheet.kpis
    assert list(kpis.index) == [k.name for k in KPIS]
    assert len(set(kpis.index)) == len(kpis)
    units = kpis.attrs["units"]
    for name, value in kpis.items():
        unit = units[name]
        if unit == "date":
            assert isinstance(value, pd.Timestamp) and value.tzinfo is not None, name
        elif unit == "duration":
            assert isinstance(value, pd.Timedelta), name
        elif unit in ("count", "days"):
            assert isinstance(value, int), name
        else:
            assert isinstance(value, float), (name, type(value))
    table = bot_sheet.kpi_table()
    assert set(table["group"]) == {"freqtrade", "returns", "benchmark"}
    assert table.loc["profit_total_abs", "value"].endswith(" USDT")


def test_every_figure_has_titled_axes_and_data(bot_sheet: TearSheet) -> None:
    figs = bot_sheet.figures
    assert list(figs) == FIGURES
    for name, fig in figs.items():
        assert fig.data, name
        titles = _axis_titles(fig)
        assert titles, name
        for key, text in titles:
            assert text, f"{name}.{key} has no title"
            assert "(" in text, f"{name}.{key} names no unit: {text!r}"
    equity = figs["equity"]
    assert [t.name for t in equity.data][1].startswith("Buy & hold")
    assert equity.data[0].y[0] == pytest.approx(bot_sheet.analysis.daily_equity.iloc[0])
    under = figs["underwater"]
    table = next(t for t in under.data if t.type == "table")
    shown = min(5, len(bot_sheet.drawdowns))
    assert len(table.cells.values[0]) == shown and len(under.layout.shapes) == shown
    depth = float(table.cells.values[4][0])
    assert depth == pytest.approx(bot_sheet.drawdowns["depth"].iloc[0] * 100, abs=0.005)


def test_deepest_drawdown_period_is_freqtrades_max_drawdown(bot_sheet: TearSheet) -> None:
    periods, kpis = bot_sheet.drawdowns, bot_sheet.kpis
    assert periods["depth"].is_monotonic_decreasing
    deepest = periods.iloc[0]
    # freqtrade's max drawdown picks the largest absolute one; with a fixed starting
    # balance the deepest relative one peaks at the same balance or a lower one
    assert deepest["depth"] == pytest.approx(kpis["max_drawdown"], rel=1e-9) or (
        deepest["depth"] >= kpis["max_drawdown"]
    )
    biggest = periods.sort_values("depth_abs").iloc[-1]
    assert biggest["depth_abs"] == pytest.approx(kpis["max_drawdown_abs"], rel=1e-9)
    assert biggest["start"] == kpis["max_drawdown_start"]
    assert biggest["valley"] == kpis["max_drawdown_end"]


def test_to_html_is_one_offline_file_under_5_mb(bot_sheet: TearSheet, tmp_path: Path) -> None:
    path = bot_sheet.to_html(tmp_path / "sheet.html")
    text = path.read_text(encoding="utf-8")
    assert path.stat().st_size <= 5_000_000
    assert text.count("Plotly.newPlot") == len(FIGURES)
    assert len(re.findall(r"plotly\.js v\d", text)) == 1, "plotly.js embedded once"
    assert "<script src=" not in text, "no external script"
    for kpi in KPIS:
        assert f'data-kpi="{kpi.name}"' in text
    assert bot_sheet._repr_html_().count("Plotly.newPlot") == len(FIGURES)
    with pytest.raises(ValueError, match="directory"):
        bot_sheet.to_html(tmp_path)


def test_a_frame_source_and_a_trade_set_give_the_same_kpis(
    bot_sheet: TearSheet, bot_trades: pd.DataFrame
) -> None:
    ts = bot_sheet.trade_set
    closed = bot_sheet.analysis.closed
    from_frame = tear_sheet(
        closed,
        starting_balance=ts.starting_balance,
        stake_currency=ts.stake_currency,
        start=ts.start,
        end=ts.end,
        final_balance=ts.final_balance,
        paths=10,
    )
    for name in ("sharpe", "sortino", "calmar", "cagr", "max_drawdown", "sqn"):
        assert from_frame.kpis[name] == bot_sheet.kpis[name], name
    assert np.isnan(from_frame.kpis["market_change"]) and np.isnan(from_frame.kpis["alpha"])
    assert "equity" in from_frame.figures and len(from_frame.figures["equity"].data) == 1
    again = TearSheet(TradeSet.from_frame(closed, starting_balance=1000.0), paths=10)
    assert again.trade_set.start == closed.sort_values("trade_id")["open_date"].iloc[0]


def test_open_trades_count_on_the_last_day(bot_sheet: TearSheet) -> None:
    # the sheet's own snapshot: open trades' live profit moves between two fetches
    held = bot_sheet.trade_set.trades
    open_profit = float(held.loc[held.is_open, "profit_abs"].sum())
    assert held.is_open.any() and open_profit != 0
    a = bot_sheet.analysis
    assert a.daily_profit.iloc[-1] == pytest.approx(
        a.closed.loc[a.closed.close_date.dt.floor("D") == a.days[-1], "profit_abs"].sum()
        + open_profit
    )
    closed_only = TearSheet(bot_sheet.trade_set, include_open=False, paths=10)
    assert closed_only.analysis.daily_profit.sum() == pytest.approx(a.profit_abs.sum())


def test_wallet_history_days_take_the_wallets_return(bot_sheet: TearSheet) -> None:
    closed = bot_sheet.analysis.closed
    last = closed["close_date"].iloc[-1].floor("D")
    wallet = pd.Series(
        [10_000.0, 10_100.0, 10_050.0],
        index=pd.DatetimeIndex([last - pd.Timedelta(days=2), last - pd.Timedelta(days=1), last]),
    )
    sheet = TearSheet(
        closed, starting_balance=10_000.0, balance_history=wallet.rename("total_quote"), paths=5
    )
    r = sheet.daily_returns
    day = (last - pd.Timedelta(days=1)).tz_localize(None)
    assert r[day] == pytest.approx(0.01)
    assert r[last.tz_localize(None)] == pytest.approx(10_050 / 10_100 - 1)


def test_bad_input_is_refused_with_a_clear_message(bot_trades: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="starting_balance="):
        TearSheet(bot_trades)
    with pytest.raises(ValueError, match="positive"):
        TearSheet(bot_trades, starting_balance=0)
    with pytest.raises(ValueError, match="positive"):
        TearSheet(bot_trades, starting_balance=float("nan"))
    with pytest.raises(ValueError, match="lacks column"):
        TearSheet(bot_trades.drop(columns=["profit_ratio"]), starting_balance=100)
    with pytest.raises(ValueError, match="source must be"):
        TearSheet(42)
    with pytest.raises(ValueError, match="window"):
        TearSheet(bot_trades, starting_balance=100, window=1)
    with pytest.raises(ValueError, match="paths"):
        TearSheet(bot_trades, starting_balance=100, paths=0)
    with pytest.raises(ValueError, match="before start"):
        TradeSet.from_frame(bot_trades, starting_balance=100, start="2026-02-01", end="2026-01-01")
    with pytest.raises(ValueError, match="method"):
        monte_carlo(bot_trades, starting_balance=100, method="magic")
    with pytest.raises(ValueError, match="block"):
        monte_carlo(bot_trades, starting_balance=100, block="sometimes")


def test_monte_carlo_is_seeded_and_keeps_overlapping_trades_together(
    bot_sheet: TearSheet,
) -> None:
    closed = bot_sheet.analysis.closed
    start = bot_sheet.trade_set.starting_balance
    one = monte_carlo(closed, starting_balance=start, paths=300, seed=7)
    two = monte_carlo(closed, starting_balance=start, paths=300, seed=7)
    other = monte_carlo(closed, starting_balance=start, paths=300, seed=8)
    pd.testing.assert_frame_equal(one.bands, two.bands)
    assert not np.array_equal(one.max_drawdown, other.max_drawdown)
    bands = one.bands
    assert (bands["p5"] <= bands["p50"]).all() and (bands["p50"] <= bands["p95"]).all()
    assert bands.index[-1] == len(closed)
    assert bands["original"].iloc[-1] == pytest.approx(start + closed["profit_abs"].sum())
    assert ((one.max_drawdown >= 0) & (one.max_drawdown < 1)).all()
    # the shuffle keeps every trade once: every path ends where the original did
    shuffled = monte_carlo(closed, starting_balance=start, paths=50, method="shuffle")
    assert np.allclose(shuffled.final_balance, start + closed["profit_abs"].sum())

    # the block-by-block walk (large trade sets) agrees with the trade-by-trade one
    exact = monte_carlo(
        closed, starting_balance=start, paths=100, method="shuffle", seed=3, exact_cells=10**12
    )
    walked = monte_carlo(
        closed, starting_balance=start, paths=100, method="shuffle", seed=3, exact_cells=0
    )
    assert exact.exact and not walked.exact
    assert np.allclose(walked.final_balance, exact.final_balance, rtol=1e-12)
    assert np.allclose(walked.max_drawdown, exact.max_drawdown, rtol=1e-3, atol=1e-9)
    assert np.allclose(walked.bands["p50"], exact.bands["p50"], rtol=0.01)

    blocks, rule = trade_blocks(closed, "overlap")
    order = np.argsort(closed["open_date"].to_numpy(), kind="stable")
    o = closed["open_date"].to_numpy()[order]
    c = closed["close_date"].to_numpy()[order]
    b = blocks[order]
    for i in range(1, len(o)):  # a trade opened before an earlier one closed: same block
        if o[i] < c[:i].max():
            assert b[i] == b[i - 1], i
        else:
            assert b[i] == b[i - 1] + 1, i
    assert rule == "overlap"
    windows, rule = trade_blocks(closed, "1D")
    days = closed["open_date"].dt.floor("D")
    assert rule == "1D" and len(set(windows)) <= days.nunique() + 1


def test_the_sheet_renders_a_backtest(backtest_stats: dict[str, Any], tmp_path: Path) -> None:
    sheet = TearSheet(backtest_stats, paths=100)
    assert sheet.trade_set.label == backtest_stats["strategy_name"]
    assert list(sheet.figures) == FIGURES
    size = sheet.to_html(tmp_path / "bt.html").stat().st_size
    assert size <= 5_000_000
    assert "FtnbDemo" in repr(sheet)
