"""Candle charts on the real bots' data: FtnbDemo's plot_config, signals, trades, annotations."""

from __future__ import annotations

import ast
import warnings
from typing import Any

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest

from ftnotebook.client import FtClient
from ftnotebook.plots import (
    add_trades,
    candle_chart,
    candle_chart_from_bot,
    defaults,
    heikin_ashi,
    validate_plot_config,
)
from ftnotebook.plots._longhistory import epoch_ms

from .conftest import PAIR, STRATEGY, technical_heikinashi

ROW1 = [
    "Price",
    "Bollinger band (bb_lower)",
    "Bollinger band",
    "ema_fast",
    "sma_slow",
    "bb_upper",
    "bb_lower",
    "enter_long",
    "exit_long",
    "Annotations",
]


def by_name(fig: Any) -> dict[str, Any]:
    return {t.name: t for t in fig.data}


def test_full_plot_config_structure(history: pd.DataFrame, plot_config: dict[str, Any]) -> None:
    fig = candle_chart(history, plot_config=plot_config)
    names = [t.name for t in fig.data]
    assert names == [*ROW1, "Volume", "rsi", "macd", "macdsignal", "macdhist", "volume_sma"]
    axes = {t.name: t.yaxis for t in fig.data}
    assert {axes[n] for n in ROW1} == {"y"}
    assert axes["Volume"] == "y2"
    assert axes["rsi"] == "y3"
    assert axes["macd"] == axes["macdsignal"] == axes["macdhist"] == "y4"
    assert axes["volume_sma"] == "y5"
    assert [fig.layout[f"yaxis{i}"].title.text for i in range(3, 6)] == ["RSI", "MACD", "Volume"]
    assert fig.layout.title.text == "BTC/USDT 5m"

    t = by_name(fig)
    assert t["Price"].type == "candlestick"
    # volume: bars, or above 1,000 points one stepped area that looks the same
    if len(t["Volume"].x) > 1000:
        assert t["Volume"].type == "scatter" and t["Volume"].fill == "tozeroy"
        assert t["Volume"].line.shape == "hv"
    else:
        assert t["Volume"].type == "bar"
    # colours and the plotly dict merged last
    assert t["ema_fast"].line.color == "#1f77b4" and t["ema_fast"].mode == "lines"
    assert t["sma_slow"].line.color == "#ff7f0e" and t["sma_slow"].line.dash == "dot"
    assert t["rsi"].line.color == "#9467bd" and t["rsi"].line.width == 1.5
    assert t["macdsignal"].type == "scatter" and t["macdsignal"].line.color == "#d62728"
    assert t["macdhist"].type == "bar"
    assert t["macdhist"].marker.color == "#7f7f7f" and t["macdhist"].opacity == 0.6
    # FreqUI's "scatter": markers of scatterSymbolSize (3 by default), colour on the marker
    assert t["volume_sma"].mode == "markers"
    assert t["volume_sma"].marker.size == 3 and t["volume_sma"].marker.color == "#17becf"
    # the data is the frame's, at full detail for a short history
    np.testing.assert_array_equal(t["ema_fast"].y, history["ema_fast"].to_numpy())
    np.testing.assert_array_equal(t["Price"].x, epoch_ms(history.index))
    np.testing.assert_array_equal(t["Price"].high, history["high"].to_numpy())
    assert all(fig.layout[f"xaxis{i or ''}"].type == "date" for i in range(0, 6) if i != 1)


def test_fill_to_pair(history: pd.DataFrame, plot_config: dict[str, Any]) -> None:
    fig = candle_chart(history, plot_config=plot_config)
    names = [t.name for t in fig.data]
    i = names.index("Bollinger band")
    base, band = fig.data[i - 1], fig.data[i]
    assert base.showlegend is False and base.fill is None
    assert band.fill == "tonexty" and band.fillcolor == "rgba(120,120,200,0.15)"
    np.testing.assert_array_equal(base.y, history["bb_lower"].to_numpy())
    np.testing.assert_array_equal(band.y, history["bb_upper"].to_numpy())
    assert base.legendgroup == band.legendgroup == "Bollinger band"


def test_signal_markers_match_the_signals(history: pd.DataFrame) -> None:
    fig = candle_chart(history)
    t = by_name(fig)
    for column in ("enter_long", "exit_long"):
        hits = history[history[column]]
        assert len(hits) > 0
        assert len(t[column].x) == len(hits)
        np.testing.assert_array_equal(t[column].y, hits["close"].to_numpy())
        np.testing.assert_array_equal(t[column].x, epoch_ms(hits.index))
    # no short signals in FtnbDemo: no short traces
    assert "enter_short" not in t and "exit_short" not in t
    # tags in the hover text
    tags = set(history.loc[history["enter_long"], "enter_tag"].dropna())
    assert tags and tags <= {"ema_cross", "ema_cross_hot"}
    assert {s.split(": ")[1] for s in t["enter_long"].text} == tags
    assert all(s == "exit_long: ema_cross_down" for s in t["exit_long"].text)
    # each signal looks different
    assert t["enter_long"].marker.symbol != t["exit_long"].marker.symbol
    assert t["enter_long"].marker.color != t["exit_long"].marker.color


def test_short_signals_are_drawn_too(history: pd.DataFrame) -> None:
    # FtnbDemo never shorts; mirror its long signals onto the short columns
    df = history.assign(enter_short=history["exit_long"], exit_short=history["enter_long"])
    t = by_name(candle_chart(df))
    assert len(t["enter_short"].x) == int(df["enter_short"].sum())
    assert len(t["exit_short"].x) == int(df["exit_short"].sum())
    symbols = {t[c].marker.symbol for c in ("enter_long", "exit_long", "enter_short", "exit_short")}
    assert len(symbols) == 4


def test_trades_entries_exits_and_stoploss(
    live_candles: pd.DataFrame, trades: pd.DataFrame
) -> None:
    fig = candle_chart(live_candles, trades=trades)
    t = by_name(fig)
    # the chart's window: half a candle before the first to half a candle after the last
    half = pd.Timedelta("150s")
    first, last = live_candles.index[0] - half, live_candles.index[-1] + half
    mine = trades[trades["pair"] == PAIR]
    in_open = mine[(mine["open_date"] >= first) & (mine["open_date"] < last)]
    closed = mine[~mine["is_open"] & (mine["close_date"] >= first) & (mine["close_date"] < last)]
    assert len(t["Trade entry"].x) == len(in_open) > 0
    assert len(t["Exit - Profit"].x) == int((closed["profit_ratio"] > 0).sum())
    assert len(t["Exit - Loss"].x) == int((closed["profit_ratio"] <= 0).sum())
    assert t["Exit - Profit"].marker.color != t["Exit - Loss"].marker.color
    np.testing.assert_array_equal(sorted(t["Trade entry"].y), sorted(in_open["open_rate"]))
    # hover: profit %, enter tag, exit reason, duration
    text = t["Trade entry"].text[0]
    for part in ("profit ", "%", "enter_tag ", "exit ", "duration "):
        assert part in text
    # an open BTC trade that opened inside the window has a stoploss line; one that
    # opened after the last candle draws nothing (no point, no zero-length segment)
    open_btc = mine[mine["is_open"]]
    assert len(open_btc) >= 1
    inside = open_btc[open_btc["open_date"] < last]
    if len(inside):
        stops = [y for y in t["Stoploss"].y if y is not None]
        assert len(stops) == 2 * len(inside)
    else:
        assert "Stoploss" not in t


def test_stoploss_line_runs_to_the_end(trades: pd.DataFrame) -> None:
    import plotly.graph_objects as go

    open_btc = trades[(trades["pair"] == PAIR) & trades["is_open"]]
    later = pd.Timestamp.now(tz="UTC") + pd.Timedelta(hours=1)
    t = by_name(add_trades(go.Figure(), trades, pair=PAIR, end=later))
    stops = [y for y in t["Stoploss"].y if y is not None]
    assert set(stops) == set(open_btc["stop_loss_abs"].astype(float))
    last_x = max(x for x in t["Stoploss"].x if x is not None)
    assert last_x == pytest.approx(later.value / 1e6, abs=1)
    # a stoploss before the trade opened draws nothing
    earlier = open_btc["open_date"].min() - pd.Timedelta(hours=1)
    assert "Stoploss" not in by_name(add_trades(go.Figure(), trades, pair=PAIR, end=earlier))


def test_trades_of_other_pairs_are_left_out(
    live_candles: pd.DataFrame, trades: pd.DataFrame
) -> None:
    fig = candle_chart(live_candles, trades=trades[trades["pair"] != PAIR])
    assert len(by_name(fig)["Trade entry"].x) == 0


def test_trades_need_their_columns(live_candles: pd.DataFrame, trades: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"trades lacks the column\(s\) \['open_rate'\]"):
        candle_chart(live_candles, trades=trades.drop(columns="open_rate"))
    import plotly.graph_objects as go

    with pytest.raises(ValueError, match="trades must be a pandas DataFrame"):
        add_trades(go.Figure(), [1, 2])  # type: ignore[arg-type]


def test_annotations_area_line_point(history: pd.DataFrame) -> None:
    anns = history.attrs["annotations"]
    assert {a["type"] for a in anns} == {"area", "line", "point"}
    fig = candle_chart(history)
    shapes = fig.layout.shapes
    rects = [s for s in shapes if s.type == "rect"]
    lines = [s for s in shapes if s.type == "line"]
    assert len(rects) == 1 and rects[0].fillcolor == "rgba(255, 200, 0, 0.15)"
    assert rects[0].label.text == "Latest stretch"
    assert rects[0].yref.endswith("domain")
    high = next(a for a in anns if a["type"] == "line")
    assert len(lines) == 1 and lines[0].y0 == lines[0].y1 == high["y_start"]
    assert lines[0].line.dash == "dash" and lines[0].line.color == "#d62728"
    point = next(a for a in anns if a["type"] == "point")
    t = by_name(fig)["Annotations"]
    assert list(t.text) == [point["label"]] and list(t.y) == [point["y"]]
    assert len(candle_chart(history, annotations=False).layout.shapes) == 0


def test_bad_annotation_type(history: pd.DataFrame) -> None:
    df = history.copy()
    df.attrs["annotations"] = [{"type": "circle", "x": "2026-01-01", "y": 1}]
    with pytest.raises(ValueError, match=r"annotations\[0\]\['type'\].*'circle'"):
        candle_chart(df)


def test_plot_config_fetched_from_trade_bot(
    live_candles: pd.DataFrame, trade_client: FtClient
) -> None:
    assert "plot_config" not in live_candles.attrs
    bare = [t.name for t in candle_chart(live_candles).data]
    assert "ema_fast" not in bare and "rsi" not in bare
    fetched = [t.name for t in candle_chart(live_candles, client=trade_client).data]
    assert {"ema_fast", "Bollinger band", "rsi", "macdhist", "volume_sma"} <= set(fetched)


def test_plot_config_fetched_from_webserver_bot(history: pd.DataFrame, ws_client: FtClient) -> None:
    assert history.attrs["strategy"] == STRATEGY and "plot_config" not in history.attrs
    names = [t.name for t in candle_chart(history, client=ws_client).data]
    assert {"ema_fast", "rsi", "macd"} <= set(names)


def test_from_bot_both_modes(trade_client: FtClient, ws_client: FtClient) -> None:
    live = candle_chart_from_bot(trade_client, PAIR, "5m", limit=200)
    assert live.layout.title.text == "BTC/USDT 5m"
    assert len(live.data[0].x) == 200 and "ema_fast" in {t.name for t in live.data}
    hist = candle_chart_from_bot(ws_client, "ETH/USDT", "1h", strategy=STRATEGY)
    assert hist.layout.title.text == "ETH/USDT 1h" and "rsi" in {t.name for t in hist.data}
    with pytest.raises(ValueError, match="timerange needs strategy="):
        candle_chart_from_bot(trade_client, PAIR, "5m", timerange="20260101-")


def test_missing_columns_warn_once_and_draw_the_rest(
    history: pd.DataFrame, plot_config: dict[str, Any]
) -> None:
    config = {
        "main_plot": {**plot_config["main_plot"], "nope": {}, "ema_fast": {"fill_to": "gone"}},
        "subplots": {**plot_config["subplots"], "Extra": {"also_missing": {"type": "bar"}}},
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = candle_chart(history, plot_config=config)
    mine = [w for w in caught if "plot_config names" in str(w.message)]
    assert len(mine) == 1
    listed = str(mine[0].message).split(": ", 1)[1]
    assert sorted(ast.literal_eval(listed)) == ["also_missing", "gone", "nope"]
    names = [t.name for t in fig.data]
    assert "nope" not in names and "also_missing" not in names
    assert {"ema_fast", "rsi", "macdhist"} <= set(names)
    assert fig.layout.yaxis6.title.text == "Extra"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ([1, 2], r"plot_config must be a dict .* got list"),
        ({"main_plot": ["ema"]}, r"plot_config\['main_plot'\] must be a dict .* got list"),
        ({"subplots": {"RSI": "rsi"}}, r"plot_config\['subplots'\]\['RSI'\] must be a dict"),
        ({"main_plot": {"ema": "red"}}, r"\['ema'\] must be a dict of settings, got str"),
        (
            {"main_plot": {"ema": {"type": "area"}}},
            r"\['type'\] must be one of \['bar', 'line', 'scatter'\], got 'area'",
        ),
        ({"main_plot": {"ema": {"color": 3}}}, r"\['color'\] must be str, got int: 3"),
        ({"main_plot": {"ema": {"plotly": "x"}}}, r"\['plotly'\] must be dict, got str"),
        (
            {"main_plot": {"ema": {"scatterSymbolSize": -1}}},
            r"\['scatterSymbolSize'\] must be a number > 0, got -1",
        ),
    ],
)
def test_bad_plot_config_is_a_clear_error(history: pd.DataFrame, config: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        candle_chart(history, plot_config=config)


def test_validate_plot_config_fills_in_sections() -> None:
    assert validate_plot_config(None) == {"main_plot": {}, "subplots": {}}
    assert validate_plot_config({"main_plot": {"a": {}}})["subplots"] == {}


def test_bad_data_is_a_clear_error(history: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="data must be a pandas DataFrame, got dict"):
        candle_chart({"open": [1]})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"data lacks the column\(s\) \['volume'\]"):
        candle_chart(history.drop(columns="volume"))
    with pytest.raises(ValueError, match="DatetimeIndex"):
        candle_chart(history.reset_index(drop=True))
    # a plain 'date' column works as well as the index
    fig = candle_chart(history.reset_index())
    assert len(fig.data[0].x) == len(history)


def test_heikin_ashi_and_rangeslider(history: pd.DataFrame) -> None:
    fig = candle_chart(history, heikin_ashi=True, rangeslider=True)
    candles = fig.data[0]
    assert candles.name == "Heikin-Ashi"
    # the oracle: technical's qtpylib.heikinashi (what freqtrade strategies import)
    theirs = technical_heikinashi(history)
    ha = heikin_ashi(history)
    for ours_col, col in zip(("ha_open", "ha_high", "ha_low", "ha_close"), theirs, strict=True):
        np.testing.assert_allclose(ha[ours_col].to_numpy(), theirs[col].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(candles.close, theirs["close"].to_numpy(), rtol=1e-12)
    # the price axis fits the Heikin-Ashi candles too
    lo, hi = fig.layout.yaxis.range
    span = theirs["high"].max() - theirs["low"].min()
    assert theirs["low"].min() - 0.15 * span <= lo <= theirs["low"].min()
    assert theirs["high"].max() <= hi <= theirs["high"].max() + 0.15 * span
    # signals stay on the real close
    hits = history[history["enter_long"]]
    np.testing.assert_array_equal(by_name(fig)["enter_long"].y, hits["close"].to_numpy())
    # no plot_config: two rows, the slider sits under the last one
    assert fig.layout.xaxis2.rangeslider.visible is True
    assert not fig.layout.xaxis.rangeslider.visible
    assert not candle_chart(history).layout.xaxis2.rangeslider.visible


def test_house_style(history: pd.DataFrame) -> None:
    defaults.template = "plotly_dark"
    defaults.height = 950
    defaults.colors["enter_long"] = "#00ff00"
    fig = candle_chart(history)
    assert fig.layout.height == 950
    assert fig.layout.template == pio.templates["plotly_dark"]
    assert by_name(fig)["enter_long"].marker.color == "#00ff00"
    assert candle_chart(history, height=500).layout.height == 500
    defaults.reset()
    fig = candle_chart(history)
    assert fig.layout.height == 800 and fig.layout.template == pio.templates["plotly_white"]
    assert by_name(fig)["enter_long"].marker.color == "#2ca02c"


def test_axes_fit_the_candles_and_window(history: pd.DataFrame) -> None:
    tail = history.tail(200)
    fig = candle_chart(tail)
    lo, hi = fig.layout.yaxis.range
    low, high = tail["low"].min(), tail["high"].max()
    span = high - low
    assert low - 0.15 * span <= lo <= low and high <= hi <= high + 0.15 * span
    # x: exactly the candles' window (half a candle each side), annotations clipped
    x0, x1 = fig.layout.xaxis.range
    step = 5 * 60_000
    assert x0 == pytest.approx(epoch_ms(tail.index)[0] - step / 2)
    assert x1 == pytest.approx(epoch_ms(tail.index)[-1] + step / 2)
    for shape in fig.layout.shapes:
        for x in (shape.x0, shape.x1):
            assert x0 - 1 <= pd.Timestamp(x, tz="UTC").value / 1e6 <= x1 + 1
    # prices at the data's tick, never SI suffixes
    assert fig.layout.yaxis.tickformat == ",.2~f"
    assert "open %{open:,.2f}" in fig.data[0].hovertemplate
    # one candle per hover: OHLC, volume and every indicator in the candle's own hover
    assert fig.layout.hovermode == "closest"
    assert fig.layout.yaxis.title.text == "Price (USDT)"
    assert fig.layout.yaxis2.title.text == "Volume (BTC)"


def test_candle_hover_lists_every_indicator(
    history: pd.DataFrame, plot_config: dict[str, Any]
) -> None:
    fig = candle_chart(history.tail(300), plot_config=plot_config)
    price = by_name(fig)["Price"]
    hover = price.meta["hover"]
    assert hover[0] == "volume" and {"ema_fast", "rsi", "macd", "volume_sma"} <= set(hover)
    data = np.asarray(price.customdata)
    np.testing.assert_allclose(data[:, hover.index("rsi")], history.tail(300)["rsi"].to_numpy())
    for i in range(len(hover)):
        assert f"%{{customdata[{i}]" in price.hovertemplate
    assert by_name(fig)["ema_fast"].hoverinfo == "skip"
