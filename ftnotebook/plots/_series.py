"""Per-candle series: candlesticks (with the one-candle hover), volume, plot_config
indicators and their ``fill_to`` areas, and Heikin-Ashi candles.

Each builder takes a figure, adds to it and returns it. Every trace built from a
:class:`~ftnotebook.plots._longhistory.CandleSource` carries its recipe in
``trace.meta["ftnb"]`` so :func:`~ftnotebook.plots.candle_widget` can refill it on zoom.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ftnotebook.plots._config import TRACE_TYPES, check_indicators
from ftnotebook.plots._frame import OHLC, add_to_row, price_decimals, price_format, require
from ftnotebook.plots._longhistory import CandleSource
from ftnotebook.plots._style import defaults

__all__ = [
    "add_candles",
    "add_fills",
    "add_indicators",
    "add_volume",
    "candle_hover",
    "heikin_ashi",
]

VALUE_FORMAT = ",.6~g"
"""d3 format of a non-price value in a hover (volume, RSI, MACD ...): no SI suffixes."""


def _source(df: pd.DataFrame, max_candles: int | None) -> CandleSource:
    return CandleSource(df, max_candles=max_candles or defaults.max_candles)


def candle_hover(
    src: CandleSource,
    columns: Sequence[str],
    hover: Sequence[str],
    price_cols: Sequence[str],
    decimals: int,
) -> tuple[Any, str]:
    """``(customdata, hovertemplate)`` of a candle trace: OHLC, volume and every indicator.

    ``hover`` lists the extra columns (volume first when present); ``price_cols`` are the
    ones written at the price's ``decimals``. On aggregated data a point is a bucket: its
    volume is the bucket's sum, the indicators are at its last candle.
    """
    fmt = price_format(decimals)
    names = ("open", "high", "low", "close")
    lines = ["%{x|%Y-%m-%d %H:%M} UTC"]
    if src.aggregated:
        lines[0] += f" · bucket of {src.step} candles"
    lines += [f"{label} %{{{label}:{fmt}}}" for label, _col in zip(names, columns, strict=True)]
    for i, col in enumerate(hover):
        col_fmt = fmt if col in price_cols else VALUE_FORMAT
        label = "volume" + (" (sum)" if src.aggregated else "") if col == "volume" else col
        lines.append(f"{label} %{{customdata[{i}]:{col_fmt}}}")
    data = src.hover_table(list(hover), summed=["volume"])
    return data, "<br>".join(lines) + "<extra></extra>"


def add_candles(
    fig: Any,
    df: pd.DataFrame,
    *,
    row: int = 1,
    columns: Sequence[str] = OHLC,
    name: str = "Price",
    max_candles: int | None = None,
    hover: Sequence[str] = (),
    price_columns: Sequence[str] = (),
    decimals: int | None = None,
) -> Any:
    """Add the candlestick trace (``columns`` = open, high, low, close) to ``row``.

    Its hover shows one candle: the time, OHLC at ``decimals`` (default: the data's
    own tick, see :func:`~ftnotebook.plots._frame.price_decimals`) and the ``hover``
    columns (e.g. volume and every indicator) at that candle; ``price_columns`` among
    them are written like prices.
    """
    require(df, columns, "df")
    hover = [c for c in hover if c in df.columns]
    src = _source(df, max_candles)
    if decimals is None:
        decimals = price_decimals(df[columns[3]].to_numpy(dtype="float64", na_value=np.nan))
    customdata, template = candle_hover(src, columns, hover, price_columns, decimals)
    arr = src.ohlc(columns)
    trace = go.Candlestick(
        **arr,
        name=name,
        increasing_line_color=defaults.color("increasing"),
        decreasing_line_color=defaults.color("decreasing"),
        customdata=customdata,
        hovertemplate=template,
        meta={
            "ftnb": ["ohlc", *columns],
            "hover": list(hover),
            "price_columns": list(price_columns),
            "decimals": decimals,
        },
    )
    add_to_row(fig, trace, row)
    return fig


VOLUME_AREA = 1000
"""Above this many points volume is one stepped area instead of one SVG bar per candle:
with no gap between the bars it looks the same and paints in a fraction of the time."""


def add_volume(fig: Any, df: pd.DataFrame, *, row: int = 2, max_candles: int | None = None) -> Any:
    """Add the volume bars to ``row`` (summed per bucket on long histories)."""
    require(df, ["volume"], "df")
    x, y = _source(df, max_candles).total("volume")
    common: dict[str, Any] = {
        "x": x,
        "y": y,
        "name": "Volume",
        "hovertemplate": f"%{{x|%Y-%m-%d %H:%M}} UTC<br>volume %{{y:{VALUE_FORMAT}}}"
        "<extra></extra>",
        "meta": {"ftnb": ["sum", "volume"]},
    }
    color = defaults.color("volume")
    if len(x) > VOLUME_AREA:
        trace = go.Scatter(
            **common, mode="lines", line={"width": 0, "shape": "hv", "color": color},
            fill="tozeroy", fillcolor=color,
        )  # fmt: skip
    else:
        trace = go.Bar(**common, marker_color=color, marker_line_width=0)
    add_to_row(fig, trace, row)
    return fig


def add_indicators(
    fig: Any,
    df: pd.DataFrame,
    indicators: Mapping[str, Mapping[str, Any]],
    *,
    row: int = 1,
    max_candles: int | None = None,
    hover: bool = True,
    value_format: str = VALUE_FORMAT,
) -> Any:
    """Add one trace per indicator of a plot_config section; missing columns are skipped.

    The trace comes from :data:`~ftnotebook.plots.TRACE_TYPES` by ``type``; ``color`` and
    ``scatterSymbolSize`` apply, then the ``plotly`` dict is merged last. ``hover=False``
    leaves the trace out of hovers (the main row's values are in the candle's hover).
    """
    check_indicators("indicators", indicators)
    src = _source(df, max_candles)
    for name, conf in indicators.items():
        if name not in df.columns:
            continue
        x, y = src.line(name)
        trace = TRACE_TYPES[conf.get("type") or "line"](name, conf, x, y)
        trace.update(meta={"ftnb": ["line", name]})
        if hover:
            trace.update(
                hovertemplate=f"%{{x|%Y-%m-%d %H:%M}} UTC<br>{name} %{{y:{value_format}}}"
                "<extra></extra>"
            )
        else:
            trace.update(hoverinfo="skip")
        if conf.get("plotly"):
            trace.update(dict(conf["plotly"]))
        add_to_row(fig, trace, row)
    return fig


def add_fills(
    fig: Any,
    df: pd.DataFrame,
    indicators: Mapping[str, Mapping[str, Any]],
    *,
    row: int = 1,
    max_candles: int | None = None,
) -> Any:
    """Add the ``fill_to`` areas of a plot_config section as trace pairs.

    Each pair is an invisible line on ``fill_to`` followed by a line on the indicator
    with ``fill="tonexty"`` in ``fill_color``, named ``fill_label`` (default
    ``"<indicator><><fill_to>"``). Pairs with a missing column are skipped.
    """
    check_indicators("indicators", indicators)
    src = _source(df, max_candles)
    clear = {"color": "rgba(0,0,0,0)", "width": 0}
    for name, conf in indicators.items():
        other = conf.get("fill_to")
        if not other or name not in df.columns or other not in df.columns:
            continue
        label = conf.get("fill_label") or f"{name}<>{other}"
        x_b, y_b = src.line(other)
        x_a, y_a = src.line(name)
        add_to_row(
            fig,
            go.Scatter(
                x=x_b,
                y=y_b,
                mode="lines",
                line=clear,
                showlegend=False,
                hoverinfo="skip",
                name=f"{label} ({other})",
                legendgroup=label,
                meta={"ftnb": ["line", other]},
            ),
            row,
        )
        add_to_row(
            fig,
            go.Scatter(
                x=x_a,
                y=y_a,
                mode="lines",
                line=clear,
                fill="tonexty",
                hoverinfo="skip",
                fillcolor=conf.get("fill_color") or defaults.color("fill"),
                name=label,
                legendgroup=label,
                meta={"ftnb": ["line", name]},
            ),
            row,
        )
    return fig


def heikin_ashi(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with Heikin-Ashi candles in ``ha_open/ha_high/ha_low/ha_close``.

    ha_close = (o+h+l+c)/4; ha_open = mean of the previous ha_open and ha_close (the
    first is (o+c)/2); ha_high/ha_low also span ha_open and ha_close: the definition
    freqtrade's ``qtpylib.heikinashi`` uses. The recursion is an exponential mean with
    alpha 1/2, so it runs vectorised.
    """
    require(df, OHLC, "df")
    o, h, lo, c = (df[col].to_numpy(dtype="float64") for col in OHLC)
    ha_close = (o + h + lo + c) / 4
    seed = np.concatenate([[(o[0] + c[0]) / 2], ha_close[:-1]]) if len(o) else ha_close
    ha_open = pd.Series(seed).ewm(alpha=0.5, adjust=False).mean().to_numpy()
    out = df.copy()
    out["ha_open"] = ha_open
    out["ha_close"] = ha_close
    out["ha_high"] = np.fmax(h, np.fmax(ha_open, ha_close))
    out["ha_low"] = np.fmin(lo, np.fmin(ha_open, ha_close))
    return out
