"""Long histories: aggregation within a point budget that keeps wicks and spikes, and a
FigureWidget that redraws the visible window in full detail on zoom.

Run on the webserver bot's real 5m history with a small budget (so a day of 288 candles
is "full detail"), and on 200,000 1m candles of the demo's own price walk (the candles
the simulator serves the bot) for the real scale: a day of 1,440 candles.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from ftnotebook.demo.simulator import PriceWalk
from ftnotebook.plots import candle_chart, candle_widget, defaults
from ftnotebook.plots._longhistory import CandleSource, epoch_ms, to_epoch_ms


def by_name(fig: Any) -> dict[str, Any]:
    return {t.name: t for t in fig.data}


def test_aggregation_keeps_wicks_spikes_and_volume(
    history: pd.DataFrame, plot_config: dict[str, Any]
) -> None:
    fig = candle_chart(history, plot_config=plot_config, max_candles=200)
    t = by_name(fig)
    price = t["Price"]
    assert 100 <= len(price.x) <= 200 < len(history)
    assert max(price.high) == history["high"].max()
    assert min(price.low) == history["low"].min()
    assert price.open[0] == history["open"].iloc[0]
    assert price.close[-1] == history["close"].iloc[-1]
    assert sum(t["Volume"].y) == pytest.approx(history["volume"].sum())
    rsi = t["rsi"]
    assert len(rsi.x) <= len(price.x) + 1  # min and max of every two buckets
    assert np.nanmax(rsi.y) == history["rsi"].max() and np.nanmin(rsi.y) == history["rsi"].min()
    assert np.all(np.diff(rsi.x) >= 0), "min/max points stay in time order"
    # signals: one marker per bucket that holds one, the count in its hover
    step = -(-len(history) // 200)
    hits = np.flatnonzero(history["enter_long"].to_numpy())
    buckets, counts = np.unique(hits // step, return_counts=True)
    assert len(t["enter_long"].x) == len(buckets) < len(hits)
    np.testing.assert_array_equal(t["enter_long"].x, epoch_ms(history.index)[buckets * step])
    crowded = [text for text, n in zip(t["enter_long"].text, counts, strict=True) if n > 1]
    assert crowded and all(
        text.startswith("<b>") and " × enter_long signal" in text for text in crowded
    )
    assert fig.layout.title.subtitle.text == (
        f"{len(history):,} candles shown as {len(price.x):,} buckets of {5 * step:g} min"
        " — zoom for detail"
    ) or fig.layout.title.subtitle.text.startswith(f"{len(history):,} candles shown as")


def test_dense_signals_one_marker_per_bucket() -> None:
    """500,000 1m candles where rsi < 40 / > 60 marks >100,000 candles: one tick per bucket."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from bench_plots import PLOT_CONFIG, dense_frame, make_frame

    df = dense_frame(make_frame(500_000))
    assert int(df["enter_long"].sum() + df["exit_long"].sum()) > 100_000
    fig = candle_chart(df, plot_config=PLOT_CONFIG)
    budget = defaults.max_candles
    t = by_name(fig)
    step = -(-len(df) // budget)
    for col in ("enter_long", "exit_long"):
        buckets = np.unique(np.flatnonzero(df[col].to_numpy()) // step)
        trace = t[col]
        assert trace.mode == "lines", "dense: ticks in one path"
        xs = np.asarray(trace.x, dtype=float)
        assert np.isnan(xs[2::3]).all() and len(xs) == 3 * len(buckets)
        np.testing.assert_array_equal(xs[0::3], epoch_ms(df.index)[buckets * step])
    # no trace holds more points than the budget (ticks: 3 vertices per marker)
    for trace in fig.data:
        n = len(trace.x) if trace.x is not None else 0
        limit = 3 * budget if trace.name in ("enter_long", "exit_long") else budget
        assert n <= limit, trace.name
    assert len(fig.to_json()) <= 5_000_000
    assert fig.layout.title.subtitle.text.startswith("500,000 candles shown as 4,000 buckets")


def test_zoom_to_one_day_shows_every_candle(
    history: pd.DataFrame, plot_config: dict[str, Any]
) -> None:
    widget = candle_widget(history, plot_config=plot_config, max_candles=300)
    price = by_name(widget)["Price"]
    assert len(price.x) <= 300 < len(history)
    day = history.index[-1].floor("D") - pd.Timedelta(days=1)
    widget.layout.xaxis.range = [day.strftime("%Y-%m-%d %H:%M:%S"), (day + pd.Timedelta(days=1))]
    one_day = history[(history.index >= day) & (history.index <= day + pd.Timedelta(days=1))]
    t = by_name(widget)
    price = t["Price"]
    x = np.asarray(price.x)
    inside = (x >= to_epoch_ms(day)) & (x <= to_epoch_ms(day + pd.Timedelta(days=1)))
    np.testing.assert_array_equal(x[inside], epoch_ms(one_day.index))
    np.testing.assert_array_equal(np.asarray(price.high)[inside], one_day["high"].to_numpy())
    rsi_x = np.asarray(t["rsi"].x)
    assert len(rsi_x) == len(x), "indicators are back to one point per candle"
    vol = np.asarray(t["Volume"].y)[inside]
    np.testing.assert_array_equal(vol, one_day["volume"].to_numpy())
    # a zoom on another row (shared x) does the same; a reset goes back to the overview
    widget.layout.xaxis3.range = [day, day + pd.Timedelta(hours=6)]
    assert len(by_name(widget)["Price"].x) <= 6 * 12 + 3
    widget.layout.xaxis.autorange = True
    assert len(by_name(widget)["Price"].x) <= 300
    # the browser's zoom arrives as a relayout of range[0] / range[1] strings
    widget.plotly_relayout(
        {
            "xaxis.range[0]": day.strftime("%Y-%m-%d %H:%M:%S.%f"),
            "xaxis.range[1]": (day + pd.Timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S"),
        }
    )
    x = np.asarray(by_name(widget)["Price"].x)
    inside = (x >= to_epoch_ms(day)) & (x <= to_epoch_ms(day + pd.Timedelta(days=1)))
    np.testing.assert_array_equal(x[inside], epoch_ms(one_day.index))


def walk_frame(minutes: int) -> pd.DataFrame:
    """``minutes`` 1m candles of the demo's deterministic price walk, with 5 indicators."""
    end_ms = 1_790_000_000_000 // 60_000 * 60_000
    walk = PriceWalk(clock=lambda: end_ms / 1000)
    rows = walk.candles("BTCUSDT", "1m", end_ms - (minutes - 1) * 60_000, end_ms, minutes)
    arr = np.asarray(rows, dtype="float64")
    df = pd.DataFrame(
        arr[:, 1:6],
        columns=["open", "high", "low", "close", "volume"],
        index=pd.DatetimeIndex(pd.to_datetime(arr[:, 0].astype("int64"), unit="ms", utc=True)),
    )
    close = df["close"]
    df["ema"] = close.ewm(span=9, adjust=False).mean()
    df["sma"] = close.rolling(21).mean()
    df["upper"] = df["sma"] + 2 * close.rolling(21).std()
    df["lower"] = df["sma"] - 2 * close.rolling(21).std()
    df["mom"] = close.diff(10)
    return df


def test_long_1m_history_overview_and_full_day(tmp_path: Any) -> None:
    df = walk_frame(200_000)
    assert len(df) == 200_000
    config = {
        "main_plot": {"ema": {}, "sma": {}, "upper": {"fill_to": "lower"}, "lower": {}},
        "subplots": {"Momentum": {"mom": {"type": "bar"}}},
    }
    widget = candle_widget(df, plot_config=config)
    price = by_name(widget)["Price"]
    assert len(price.x) <= defaults.max_candles
    payload = len(widget.to_json())
    assert payload < 2_000_000, f"overview payload {payload} bytes"
    day = df.index[-1].floor("D") - pd.Timedelta(days=3)
    end = day + pd.Timedelta(days=1) - pd.Timedelta(minutes=1)
    widget.layout.xaxis.range = [day, end]
    one_day = df[day:end]
    assert len(one_day) == 1440
    x = np.asarray(by_name(widget)["Price"].x)
    inside = (x >= to_epoch_ms(day)) & (x <= to_epoch_ms(end))
    assert inside.sum() == 1440
    np.testing.assert_array_equal(x[inside], epoch_ms(one_day.index))
    np.testing.assert_array_equal(
        np.asarray(by_name(widget)["Price"].low)[inside], one_day["low"].to_numpy()
    )


def test_candle_source_bounds_and_errors(history: pd.DataFrame) -> None:
    src = CandleSource(history, max_candles=10_000)
    assert not src.aggregated and src.n == len(history)
    _, y = src.line("rsi")
    np.testing.assert_array_equal(y, history["rsi"].to_numpy())
    with pytest.raises(ValueError, match="max_candles must be >= 10, got 2"):
        CandleSource(history, max_candles=2)
    with pytest.raises(ValueError, match="unknown trace recipe 'spline'"):
        src.arrays(["spline", "rsi"])
    assert to_epoch_ms("2026-01-01") == to_epoch_ms(pd.Timestamp("2026-01-01", tz="UTC"))
    assert to_epoch_ms(5.0) == 5.0
