"""Candle charts on the real futures bot: shorts apart from longs, leverage in the hovers,
the liquidation price clipped like the stoploss so it never stretches the price axis."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from ftnotebook import FtClient, frames
from ftnotebook.plots import candle_chart


def by_name(fig: Any) -> dict[str, Any]:
    return {t.name: t for t in fig.data}


@pytest.fixture(scope="module")
def futures_trades(futures_client: FtClient) -> pd.DataFrame:
    rows = [*futures_client.trades(limit=500)["trades"], *futures_client.status()]
    return frames.trades_frame(rows)


def window_of(candles: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    half = pd.Timedelta("150s")  # candles are drawn centred: half a candle either side
    return candles.index[0] - half, candles.index[-1] + half


def test_short_signals_and_short_trades_are_marked_apart(
    futures_client: FtClient, futures_trades: pd.DataFrame
) -> None:
    shorts = futures_trades[futures_trades["is_short"]]
    assert len(shorts) > 0
    checked = 0
    for pair in sorted(shorts["pair"].astype(str).unique()):
        candles = frames.pair_candles(futures_client, pair, "5m")
        first, end = window_of(candles)
        mine = futures_trades[futures_trades["pair"] == pair]
        inside = mine[(mine["open_date"] >= first) & (mine["open_date"] < end)]
        if not inside["is_short"].any():
            continue
        fig = candle_chart(candles, trades=futures_trades, client=futures_client)
        t = by_name(fig)
        assert len(t["Short entry"].x) == int(inside["is_short"].sum())
        assert len(t["Trade entry"].x) == int((~inside["is_short"]).sum())
        assert t["Short entry"].marker.symbol != t["Trade entry"].marker.symbol
        assert t["Short entry"].marker.color != t["Trade entry"].marker.color
        # hovers name the side and the leverage, and the absolute profit in USDT
        for text, (_, trade) in zip(
            t["Short entry"].text,
            inside[inside["is_short"]].sort_values("open_date").iterrows(),
            strict=True,
        ):
            assert f"short · {trade['leverage']:g}x" in text
            assert "USDT" in text
        # the short signals are drawn, distinct from the long ones
        if candles["enter_short"].any():
            assert len(t["enter_short"].x) == int(candles["enter_short"].sum())
            symbols = {t[c].marker.symbol for c in ("enter_long", "enter_short") if c in t}
            colors = {t[c].marker.color for c in ("enter_long", "enter_short") if c in t}
            assert len(symbols) == len(colors) == 2
        checked += 1
    assert checked >= 1, "no pair had a short trade inside its candle window"


def test_liquidation_price_is_clipped_like_the_stoploss(
    futures_client: FtClient, futures_trades: pd.DataFrame
) -> None:
    open_trades = futures_trades[
        futures_trades["is_open"] & (futures_trades["liquidation_price"] > 0)
    ]
    assert len(open_trades) >= 1
    trade = open_trades.sort_values("open_date").iloc[0]
    candles = frames.pair_candles(futures_client, str(trade["pair"]), "5m")
    first, end = window_of(candles)
    assert first < trade["open_date"] < end, "seeded positions opened hours ago"
    fig = candle_chart(candles, trades=futures_trades, client=futures_client)
    t = by_name(fig)
    lo, hi = fig.layout.yaxis.range
    span = candles["high"].max() - candles["low"].min()
    assert candles["low"].min() - 0.15 * span <= lo and hi <= candles["high"].max() + 0.15 * span
    for name, column in (("Liquidation", "liquidation_price"), ("Stoploss", "stop_loss_abs")):
        line = t[name]
        ys = [y for y in line.y if y is not None]
        assert ys and all(lo <= y <= hi for y in ys), f"{name} stays inside the axis"
        value = float(trade[column])
        shown = f"{name} {value:,.2f}"
        assert any(h and h.startswith(shown) for h in line.hovertext)
        if not lo <= value <= hi:  # beyond the range: at the edge, with its value written
            assert any(text and text.startswith(shown) for text in line.text)
    assert (
        "dash" in t["Liquidation"].line.dash
        and t["Liquidation"].line.dash != t["Stoploss"].line.dash
    )
    entry = t["Short entry" if trade["is_short"] else "Trade entry"]
    side = "short" if trade["is_short"] else "long"
    assert any(f"{side} · {trade['leverage']:g}x" in text for text in entry.text)
    assert np.isfinite(entry.y).all()
