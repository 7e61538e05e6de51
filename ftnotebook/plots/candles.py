"""Candle charts: candles, volume, the strategy's ``plot_config``, signals, trades, annotations.

:func:`candle_chart` draws a candle frame (from :func:`ftnotebook.frames.pair_candles` or
:func:`~ftnotebook.frames.pair_history`) as a ``go.Figure`` and never shows it. Rows:

1. candles with the strategy's ``main_plot`` indicators, signals, trades and annotations;
2. volume;
3. one row per ``subplots`` entry, in the plot_config's order.

What each part draws lives in its own module, and each piece is also a small builder
that takes a figure, adds to it and returns it, so a chart can be assembled by hand:

* :mod:`~ftnotebook.plots._config`: the plot_config, :func:`validate_plot_config`,
  :data:`TRACE_TYPES`;
* :mod:`~ftnotebook.plots._series`: :func:`add_candles` (one candle per hover: OHLC,
  volume and every indicator), :func:`add_volume`, :func:`add_indicators`,
  :func:`add_fills`, :func:`heikin_ashi`;
* :mod:`~ftnotebook.plots._marks`: :func:`add_signals`, :func:`add_trades` (one
  marker per signal candle or trade, one per bucket when aggregated; longs and shorts
  apart; stoploss and liquidation lines);
* :mod:`~ftnotebook.plots._annotations`: :func:`add_annotations`;
* :mod:`~ftnotebook.plots._axes`: the price range fitted to the candles and the
  ``main_plot`` indicators (what lies beyond is clipped at the edge with its value),
  the candles' time window, axis titles with units, grouped legends, the subtitle of an
  aggregated chart;
* :mod:`~ftnotebook.plots._longhistory`: aggregation of long histories without losing
  wicks or spikes; :func:`candle_widget` redraws the visible window in full detail;
* :mod:`~ftnotebook.plots._frombot`: the only part that asks a bot (plot_config, stake
  currency) when the frame does not carry them.

Example::

    from ftnotebook import FtClient
    from ftnotebook.frames import pair_candles

    client = FtClient.from_env()
    df = pair_candles(client, "BTC/USDT", "5m")
    fig = candle_chart(df, client=client)        # plot_config fetched from the bot
    fig.show()
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ftnotebook.plots._annotations import add_annotations
from ftnotebook.plots._axes import (
    PriceRange,
    aggregation_note,
    fit_price,
    layout_candle_chart,
)
from ftnotebook.plots._config import TRACE_TYPES, missing_columns, validate_plot_config
from ftnotebook.plots._frame import (
    HA_COLUMNS,
    OHLC,
    base_currency,
    candle_step_ms,
    prepare,
    price_decimals,
    price_format,
    quote_currency,
)
from ftnotebook.plots._frombot import chart_plot_config, chart_stake_currency
from ftnotebook.plots._longhistory import CandleSource, to_epoch_ms
from ftnotebook.plots._marks import SIGNAL_STYLES, Marks, add_signals, add_trades, shape_view
from ftnotebook.plots._series import (
    add_candles,
    add_fills,
    add_indicators,
    add_volume,
    candle_hover,
    heikin_ashi,
)
from ftnotebook.plots._style import defaults

if TYPE_CHECKING:
    from ftnotebook.client import FtClient

__all__ = [
    "SIGNAL_STYLES",
    "TRACE_TYPES",
    "add_annotations",
    "add_candles",
    "add_fills",
    "add_indicators",
    "add_signals",
    "add_trades",
    "add_volume",
    "candle_chart",
    "candle_chart_from_bot",
    "candle_widget",
    "heikin_ashi",
    "validate_plot_config",
]


@dataclass
class _Chart:
    """A built chart and what a zooming widget needs to redraw it."""

    fig: Any
    frame: pd.DataFrame
    budget: int
    candle_ms: float
    ohlc: tuple[str, ...]
    main_columns: list[str]
    title: str | None
    x_range: tuple[float, float] | None = None
    marks: dict[str, Marks] = field(default_factory=dict)


def _main_columns(frame: pd.DataFrame, main: Mapping[str, Mapping[str, Any]]) -> list[str]:
    cols: list[str] = []
    for name, conf in main.items():
        for col in (name, conf.get("fill_to")):
            if col and col in frame.columns and col not in cols:
                cols.append(col)
    return cols


def _build(
    data: object,
    *,
    trades: pd.DataFrame | None,
    plot_config: Mapping[str, Any] | None,
    client: FtClient | None,
    signals: bool,
    annotations: bool,
    heikin_ashi_candles: bool,
    rangeslider: bool,
    max_candles: int | None,
    title: str | None,
    height: int | None,
    width: int | None,
) -> _Chart:
    frame = prepare(data)
    config = validate_plot_config(chart_plot_config(frame, plot_config, client))
    missing = missing_columns(frame, config)
    if missing:
        warnings.warn(
            f"plot_config names column(s) not in the data, drawn without them: {missing}",
            UserWarning,
            stacklevel=3,
        )
    currency = chart_stake_currency(frame, client)
    if heikin_ashi_candles:
        frame = heikin_ashi(frame)
    subplots = config["subplots"]
    rows = 2 + len(subplots)
    fig = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.025,
        row_heights=[4, 1, *([1.2] * len(subplots))],
    )
    budget = max_candles or defaults.max_candles
    ohlc = HA_COLUMNS if heikin_ashi_candles else OHLC
    src = CandleSource(frame, max_candles=budget)
    candle_ms = candle_step_ms(frame)
    decimals = price_decimals(frame["close"].to_numpy(dtype="float64", na_value=float("nan")))
    fmt = price_format(decimals)
    main_cols = _main_columns(frame, config["main_plot"])
    price_range = fit_price(src, ohlc, main_cols)
    x_range: tuple[float, float] | None = None
    if len(frame):
        x_range = (float(src.x[0]) - candle_ms / 2, float(src.x[-1]) + candle_ms / 2)
    sub_cols = [c for ind in subplots.values() for c in ind if c in frame.columns]
    hover = ["volume", *main_cols, *[c for c in sub_cols if c not in main_cols]]
    chart = _Chart(fig, frame, budget, candle_ms, tuple(ohlc), main_cols, None, x_range)

    add_candles(
        fig,
        frame,
        columns=ohlc,
        max_candles=budget,
        name="Heikin-Ashi" if heikin_ashi_candles else "Price",
        hover=hover,
        price_columns=main_cols,
        decimals=decimals,
    )
    add_fills(fig, frame, config["main_plot"], row=1, max_candles=budget)
    add_indicators(fig, frame, config["main_plot"], row=1, max_candles=budget, hover=False)
    if signals:
        add_signals(
            fig, frame, row=1, source=src, candle_ms=candle_ms, decimals=decimals,
            registry=chart.marks, price_range=price_range,
        )  # fmt: skip
    if trades is not None and len(frame) and x_range is not None:
        add_trades(
            fig,
            trades,
            row=1,
            pair=frame.attrs.get("pair"),
            start=pd.Timestamp(int(x_range[0]), unit="ms", tz="UTC"),
            end=pd.Timestamp(int(x_range[1]), unit="ms", tz="UTC"),
            source=src,
            candle_ms=candle_ms,
            price_range=price_range,
            decimals=decimals,
            currency=currency,
            registry=chart.marks,
        )
    if annotations and frame.attrs.get("annotations"):
        add_annotations(
            fig, frame.attrs["annotations"], row=1, x_range=x_range, price_range=price_range,
            price_fmt=fmt,
        )  # fmt: skip
    add_volume(fig, frame, row=2, max_candles=budget)
    for i, indicators in enumerate(subplots.values()):
        add_fills(fig, frame, indicators, row=3 + i, max_candles=budget)
        add_indicators(fig, frame, indicators, row=3 + i, max_candles=budget)
    for trace in fig.data:
        axis = str(trace.yaxis or "y")
        row = int(axis[1:] or 1)
        if row >= 3:
            trace.legend = f"legend{row}"

    pair = frame.attrs.get("pair")
    timeframe = frame.attrs.get("timeframe")
    chart.title = title or " ".join(str(p) for p in (pair, timeframe) if p) or None
    if heikin_ashi_candles and not title and chart.title:
        chart.title += " · Heikin-Ashi"
    main_legend = sum(1 for t in fig.data if t.showlegend is not False and not t.legend and t.name)
    quote, base = quote_currency(pair) or currency, base_currency(pair)
    fig.update_layout(**defaults.layout(height=height, width=width))
    layout_candle_chart(
        fig,
        rows=rows,
        subplot_titles=list(subplots),
        title=chart.title,
        subtitle=aggregation_note(src, candle_ms),
        price_title=f"Price ({quote})" if quote else "Price",
        volume_title=f"Volume ({base})" if base else "Volume",
        price_format=fmt,
        price_range=price_range,
        x_range=x_range,
        legend_items=main_legend,
    )
    if rangeslider:
        fig.update_xaxes(rangeslider={"visible": True, "thickness": 0.05}, row=rows, col=1)
    return chart


def candle_chart(
    data: pd.DataFrame,
    *,
    trades: pd.DataFrame | None = None,
    plot_config: Mapping[str, Any] | None = None,
    client: FtClient | None = None,
    signals: bool = True,
    annotations: bool = True,
    heikin_ashi: bool = False,
    rangeslider: bool = False,
    max_candles: int | None = None,
    title: str | None = None,
    height: int | None = None,
    width: int | None = None,
) -> Any:
    """A candle chart of ``data`` with the strategy's plot_config; returns a ``go.Figure``.

    Args:
        data: a candle frame (DatetimeIndex, ``open high low close volume``, optional
            signal/tag/indicator columns and ``attrs`` as :mod:`ftnotebook.frames` gives).
        trades: a trades frame (freqtrade's column names) to mark entries, exits, and the
            stoploss and liquidation price of open trades; only ``data.attrs["pair"]``'s
            trades inside the candles' window are drawn.
        plot_config: the strategy's plot_config. Default: ``data.attrs["plot_config"]``,
            else fetched from ``client`` (``GET /plot_config``, with ``?strategy=`` from
            ``data.attrs["strategy"]`` so it works in webserver mode too), else none.
        client: asked only for what ``data`` lacks (plot_config, stake currency).
        signals / annotations: draw the strategy's signals / ``plot_annotations``.
        heikin_ashi: draw Heikin-Ashi candles instead of the raw ones.
        rangeslider: add a range slider under the last row.
        max_candles: point budget (default ``defaults.max_candles``); longer data is
            aggregated without losing wicks or spikes, and the subtitle says so.
        title, height, width: layout; ``defaults`` otherwise (no width: the figure
            fills its cell).

    The x axis spans the candles; the price axis fits the candles and the ``main_plot``
    indicators, and a stoploss, liquidation price, entry or annotation beyond it is
    drawn at the edge with its value in the label. Prices are written at the data's
    tick. Columns named by the plot_config but absent from ``data`` are skipped with
    one ``UserWarning`` listing them; a malformed plot_config raises ``ValueError``.
    """
    return _build(
        data,
        trades=trades,
        plot_config=plot_config,
        client=client,
        signals=signals,
        annotations=annotations,
        heikin_ashi_candles=heikin_ashi,
        rangeslider=rangeslider,
        max_candles=max_candles,
        title=title,
        height=height,
        width=width,
    ).fig


def _refill(widget: Any, chart: _Chart, start: float | None, end: float | None) -> None:
    """Redraw ``widget`` for the window ``[start, end]`` (epoch ms; None: the frame's end)."""
    src = CandleSource(chart.frame, max_candles=chart.budget, start=start, end=end)
    # the price axis fits the visible candles only (src keeps one more each side)
    lo = None if start is None else pd.Timestamp(int(start), unit="ms", tz="UTC")
    hi = None if end is None else pd.Timestamp(int(end), unit="ms", tz="UTC")
    visible = chart.frame.loc[lo:hi]
    fit_src = CandleSource(visible if len(visible) else chart.frame, max_candles=chart.budget)
    price_range: PriceRange | None = fit_price(fit_src, chart.ohlc, chart.main_columns)
    with widget.batch_update():
        for trace in widget.data:
            meta = trace.meta
            if not isinstance(meta, Mapping):
                continue
            if "ftnb" in meta:
                trace.update(src.arrays(list(meta["ftnb"])))
                if "hover" in meta:
                    data, template = candle_hover(
                        src, list(meta["ftnb"])[1:], list(meta["hover"]),
                        list(meta.get("price_columns") or ()), int(meta["decimals"]),
                    )  # fmt: skip
                    trace.update(customdata=data, hovertemplate=template)
            elif meta.get("ftnb_marks") in chart.marks:
                marks = chart.marks[meta["ftnb_marks"]]
                view = marks.view(src, chart.candle_ms, price_range)
                shaped = shape_view(
                    view, price_range, exit_side=marks.name.startswith("exit"),
                    price_fmt=marks.price_fmt,
                )  # fmt: skip
                shaped.setdefault(
                    "hovertemplate", f"%{{text}}<br>%{{y:{marks.price_fmt}}}<extra></extra>"
                )
                trace.update(shaped)
                symbol = view.get("marker.symbol")
                if symbol is not None:
                    trace.marker.symbol = symbol
        if price_range is not None:
            widget.layout.yaxis.range = [price_range.lo, price_range.hi]
        widget.layout.title.subtitle.text = aggregation_note(src, chart.candle_ms) or ""


def candle_widget(
    data: pd.DataFrame,
    *,
    trades: pd.DataFrame | None = None,
    plot_config: Mapping[str, Any] | None = None,
    client: FtClient | None = None,
    signals: bool = True,
    annotations: bool = True,
    heikin_ashi: bool = False,
    rangeslider: bool = False,
    max_candles: int | None = None,
    title: str | None = None,
    height: int | None = None,
    width: int | None = None,
) -> Any:
    """:func:`candle_chart` as a ``go.FigureWidget`` that redraws in full detail on zoom.

    Same arguments as :func:`candle_chart`. Whenever the x range changes (zoom, pan, a
    double-click reset, or ``fig.layout.xaxis.range = [...]`` from Python), every
    candle/indicator/volume/signal/trade trace is refilled from ``data`` for the visible
    window, the price axis is fitted to it and the subtitle updated; a window of
    ``max_candles`` candles or fewer shows every candle.
    """
    chart = _build(
        data,
        trades=trades,
        plot_config=plot_config,
        client=client,
        signals=signals,
        annotations=annotations,
        heikin_ashi_candles=heikin_ashi,
        rangeslider=rangeslider,
        max_candles=max_candles,
        title=title,
        height=height,
        width=width,
    )
    widget = go.FigureWidget(chart.fig)
    x_axes = [name for name in widget.layout if name.startswith("xaxis")]
    busy = [False]

    def on_range(axis: Any, xrange: Any) -> None:
        if busy[0] or xrange is None or len(xrange) != 2 or None in xrange:
            return
        busy[0] = True
        try:
            # every row's x axis gets the range: matched axes that disagree make the
            # page pick one of them, so a range set from Python would not show
            window = [xrange[0], xrange[1]]
            with widget.batch_update():
                for name in x_axes:
                    if list(widget.layout[name].range or ()) != window:
                        widget.layout[name].range = window
            _refill(widget, chart, to_epoch_ms(xrange[0]), to_epoch_ms(xrange[1]))
        finally:
            busy[0] = False

    def on_autorange(axis: Any, auto: Any) -> None:
        if auto is not True:
            return
        if chart.x_range is None:
            _refill(widget, chart, None, None)
            return
        # back to the candles' window (an autorange would also span trades and lines)
        with widget.batch_update():
            for name in widget.layout:
                if name.startswith("xaxis"):
                    widget.layout[name].autorange = False
        widget.layout.xaxis.range = list(chart.x_range)

    for name in x_axes:
        widget.layout[name].on_change(on_range, "range")
        widget.layout[name].on_change(on_autorange, "autorange")
    return widget


def candle_chart_from_bot(
    client: FtClient,
    pair: str,
    timeframe: str,
    *,
    limit: int | None = None,
    timerange: str | None = None,
    strategy: str | None = None,
    trades: pd.DataFrame | None = None,
    **options: Any,
) -> Any:
    """Fetch the candles (and plot_config) for ``pair`` from a bot and chart them.

    Trade mode (no ``strategy``): ``/pair_candles`` with ``limit``. Webserver mode
    (``strategy`` given): ``/pair_history`` over ``timerange`` (e.g. ``"20261115-"``;
    default: all the data the bot has).
    ``options`` go to :func:`candle_chart`.
    """
    from ftnotebook import frames

    if strategy is not None:
        df = frames.pair_history(
            client, pair, timeframe, timerange=timerange or "20000101-", strategy=strategy
        )
    else:
        if timerange is not None:
            raise ValueError(
                "timerange needs strategy= (webserver mode's /pair_history); "
                f"got timerange={timerange!r} without a strategy"
            )
        df = frames.pair_candles(client, pair, timeframe, limit=limit)
    return candle_chart(df, trades=trades, client=client, **options)
