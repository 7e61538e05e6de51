"""Candle charts: candles, volume, the strategy's ``plot_config``, signals, trades, annotations.

:func:`candle_chart` draws a candle frame (from :func:`ftnotebook.frames.pair_candles` or
:func:`~ftnotebook.frames.pair_history`) as a ``go.Figure`` and never shows it. Rows:

1. candles with the strategy's ``main_plot`` indicators, signals, trades and annotations;
2. volume;
3. one row per ``subplots`` entry, in the plot_config's order.

Each piece is also a small builder that takes a figure, adds to it and returns it
(:func:`add_candles`, :func:`add_volume`, :func:`add_indicators`, :func:`add_fills`,
:func:`add_signals`, :func:`add_trades`, :func:`add_annotations`), so a chart can be
assembled by hand.

plot_config, everything it can hold (freqtrade's and FreqUI's keys)::

    {"main_plot": {"ema": {"color": "#1f77b4"},
                   "bb_upper": {"fill_to": "bb_lower", "fill_color": "rgba(...)",
                                "fill_label": "Bollinger"}},
     "subplots": {"MACD": {"macdhist": {"type": "bar", "plotly": {"opacity": 0.6}},
                           "signal": {"type": "scatter", "scatterSymbolSize": 4}}}}

``type`` picks the trace from :data:`TRACE_TYPES`: no type or ``"line"`` draws a line
(what freqtrade's default ``"scatter"`` draws, and FreqUI's default); ``"scatter"`` draws
markers of ``scatterSymbolSize`` px (3 by default), as FreqUI does; ``"bar"`` draws bars.
The ``plotly`` dict is merged last into the trace, so it can override anything.

Long histories are aggregated to ``defaults.max_candles`` buckets without losing wicks
or spikes (see :mod:`ftnotebook.plots._longhistory`); :func:`candle_widget` returns a
``FigureWidget`` that redraws the visible window in full detail on every zoom.

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
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ftnotebook.plots._longhistory import CandleSource, epoch_ms, to_epoch_ms
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

OHLC = ("open", "high", "low", "close")
HA_COLUMNS = ("ha_open", "ha_high", "ha_low", "ha_close")

SIGNAL_STYLES: dict[str, tuple[str, str]] = {
    "enter_long": ("triangle-up", "enter_tag"),
    "exit_long": ("triangle-down", "exit_tag"),
    "enter_short": ("triangle-down-open", "enter_tag"),
    "exit_short": ("triangle-up-open", "exit_tag"),
}
"""Signal column → (marker symbol, tag column for the hover text); colours by role."""

_INDICATOR_KEYS: dict[str, type | tuple[type, ...]] = {
    "type": str,
    "color": str,
    "fill_to": str,
    "fill_color": str,
    "fill_label": str,
    "scatterSymbolSize": (int, float),
    "plotly": Mapping,
}


# ----------------------------------------------------------------------------- plot_config


def _line(name: str, conf: Mapping[str, Any], x: Any, y: Any) -> Any:
    kw: dict[str, Any] = {"x": x, "y": y, "name": name, "mode": "lines"}
    if conf.get("color"):
        kw["line"] = {"color": conf["color"]}
    return go.Scatter(**kw)


def _scatter(name: str, conf: Mapping[str, Any], x: Any, y: Any) -> Any:
    marker: dict[str, Any] = {"size": conf.get("scatterSymbolSize", 3)}
    if conf.get("color"):
        marker["color"] = conf["color"]
    return go.Scatter(x=x, y=y, name=name, mode="markers", marker=marker)


def _bar(name: str, conf: Mapping[str, Any], x: Any, y: Any) -> Any:
    color = conf.get("color") or defaults.color("indicator")
    return go.Bar(x=x, y=y, name=name, marker_color=color, marker_line_width=0)


TRACE_TYPES: dict[str, Callable[[str, Mapping[str, Any], Any, Any], Any]] = {
    "line": _line,
    "scatter": _scatter,
    "bar": _bar,
}
"""plot_config ``type`` → trace builder ``(name, conf, x, y) -> trace``; no type is ``line``."""


def validate_plot_config(plot_config: object) -> dict[str, Any]:
    """Check a plot_config's shape and types; return it with both sections present.

    Raises ``ValueError`` naming the offending key path, what was valid and what was
    received. Unknown keys inside an indicator are ignored (FreqUI adds its own).

    >>> validate_plot_config({"main_plot": {"ema": {"color": "red"}}})["subplots"]
    {}

    ``{"main_plot": {"ema": {"type": "area"}}}`` raises ``ValueError:
    plot_config['main_plot']['ema']['type'] must be one of ['bar', 'line', 'scatter'],
    got 'area'``.
    """
    if plot_config is None:
        return {"main_plot": {}, "subplots": {}}
    if not isinstance(plot_config, Mapping):
        raise ValueError(
            f"plot_config must be a dict with 'main_plot' and/or 'subplots', "
            f"got {type(plot_config).__name__}: {plot_config!r:.80}"
        )
    main = plot_config.get("main_plot") or {}
    subs = plot_config.get("subplots") or {}
    _check_indicators("plot_config['main_plot']", main)
    if not isinstance(subs, Mapping):
        raise ValueError(
            f"plot_config['subplots'] must be a dict of {{row title: indicators}}, "
            f"got {type(subs).__name__}"
        )
    for title, indicators in subs.items():
        _check_indicators(f"plot_config['subplots'][{title!r}]", indicators)
    return {"main_plot": dict(main), "subplots": {str(k): dict(v) for k, v in subs.items()}}


def _check_indicators(where: str, indicators: object) -> None:
    if not isinstance(indicators, Mapping):
        raise ValueError(
            f"{where} must be a dict of {{column: settings}}, got {type(indicators).__name__}"
        )
    for name, conf in indicators.items():
        path = f"{where}[{name!r}]"
        if not isinstance(name, str):
            raise ValueError(f"{where} keys must be column names (str), got {name!r}")
        if not isinstance(conf, Mapping):
            raise ValueError(f"{path} must be a dict of settings, got {type(conf).__name__}")
        for key, kind in _INDICATOR_KEYS.items():
            if key in conf and conf[key] is not None and not isinstance(conf[key], kind):
                want = "a number" if isinstance(kind, tuple) else kind.__name__
                if kind is Mapping:
                    want = "dict"
                raise ValueError(
                    f"{path}[{key!r}] must be {want}, got {type(conf[key]).__name__}: {conf[key]!r}"
                )
        kind_name = conf.get("type") or "line"
        if kind_name not in TRACE_TYPES:
            raise ValueError(
                f"{path}['type'] must be one of {sorted(TRACE_TYPES)}, got {kind_name!r}"
            )
        size = conf.get("scatterSymbolSize")
        if size is not None and (isinstance(size, bool) or size <= 0):
            raise ValueError(f"{path}['scatterSymbolSize'] must be a number > 0, got {size!r}")


def _missing_columns(df: pd.DataFrame, config: Mapping[str, Any]) -> list[str]:
    sections = [config["main_plot"], *config["subplots"].values()]
    missing: list[str] = []
    for indicators in sections:
        for name, conf in indicators.items():
            for col in (name, conf.get("fill_to")):
                if col and col not in df.columns and col not in missing:
                    missing.append(col)
    return missing


# ----------------------------------------------------------------------------- builders


def _source(df: pd.DataFrame, max_candles: int | None) -> CandleSource:
    return CandleSource(df, max_candles=max_candles or defaults.max_candles)


def add_candles(
    fig: Any,
    df: pd.DataFrame,
    *,
    row: int = 1,
    columns: Sequence[str] = OHLC,
    name: str = "Price",
    max_candles: int | None = None,
) -> Any:
    """Add the candlestick trace (``columns`` = open, high, low, close) to ``row``."""
    _require(df, columns, "df")
    src = _source(df, max_candles)
    arr = src.ohlc(columns)
    trace = go.Candlestick(
        **arr,
        name=name,
        increasing_line_color=defaults.color("increasing"),
        decreasing_line_color=defaults.color("decreasing"),
        meta={"ftnb": ["ohlc", *columns]},
    )
    fig.add_trace(trace, row=row, col=1)
    return fig


def add_volume(fig: Any, df: pd.DataFrame, *, row: int = 2, max_candles: int | None = None) -> Any:
    """Add the volume bars to ``row`` (summed per bucket on long histories)."""
    _require(df, ["volume"], "df")
    x, y = _source(df, max_candles).total("volume")
    fig.add_trace(
        go.Bar(
            x=x,
            y=y,
            name="Volume",
            marker_color=defaults.color("volume"),
            marker_line_width=0,
            meta={"ftnb": ["sum", "volume"]},
        ),
        row=row,
        col=1,
    )
    return fig


def add_indicators(
    fig: Any,
    df: pd.DataFrame,
    indicators: Mapping[str, Mapping[str, Any]],
    *,
    row: int = 1,
    max_candles: int | None = None,
) -> Any:
    """Add one trace per indicator of a plot_config section; missing columns are skipped.

    The trace comes from :data:`TRACE_TYPES` by ``type``; ``color`` and
    ``scatterSymbolSize`` apply, then the ``plotly`` dict is merged last.
    """
    _check_indicators("indicators", indicators)
    src = _source(df, max_candles)
    for name, conf in indicators.items():
        if name not in df.columns:
            continue
        x, y = src.line(name)
        trace = TRACE_TYPES[conf.get("type") or "line"](name, conf, x, y)
        trace.update(meta={"ftnb": ["line", name]})
        if conf.get("plotly"):
            trace.update(dict(conf["plotly"]))
        fig.add_trace(trace, row=row, col=1)
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
    _check_indicators("indicators", indicators)
    src = _source(df, max_candles)
    clear = {"color": "rgba(0,0,0,0)", "width": 0}
    for name, conf in indicators.items():
        other = conf.get("fill_to")
        if not other or name not in df.columns or other not in df.columns:
            continue
        label = conf.get("fill_label") or f"{name}<>{other}"
        x_b, y_b = src.line(other)
        x_a, y_a = src.line(name)
        fig.add_trace(
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
            row=row,
            col=1,
        )
        fig.add_trace(
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
            row=row,
            col=1,
        )
    return fig


def add_signals(fig: Any, df: pd.DataFrame, *, row: int = 1) -> Any:
    """Mark every enter/exit long/short signal at the candle's close; tags in the hover.

    One trace per signal column that has at least one signal, named after the column,
    each with its own symbol and colour (:data:`SIGNAL_STYLES`).
    """
    for column, (symbol, tag_col) in SIGNAL_STYLES.items():
        if column not in df.columns:
            continue
        mask = df[column].fillna(False).astype(bool).to_numpy()
        if not mask.any():
            continue
        hits = df.loc[mask]
        text = None
        if tag_col in df.columns:
            tags = hits[tag_col].astype("string").fillna("")
            text = [f"{column}: {t}" if t else column for t in tags]
        fig.add_trace(
            go.Scatter(
                x=epoch_ms(pd.DatetimeIndex(hits.index)),
                y=hits["close"].to_numpy(dtype="float64"),
                mode="markers",
                name=column,
                text=text,
                hovertemplate="%{text}<br>close %{y}<extra></extra>" if text else None,
                marker={
                    "symbol": symbol,
                    "size": 10,
                    "color": defaults.color(column),
                    "line": {"width": 1, "color": defaults.color(column)},
                },
            ),
            row=row,
            col=1,
        )
    return fig


def _utc(values: Any) -> pd.Series:
    return pd.Series(pd.to_datetime(values, utc=True), copy=False)


def _trade_text(trades: pd.DataFrame) -> list[str]:
    def fmt_minutes(value: Any) -> str:
        if value is None or pd.isna(value):
            return "open"
        minutes = value.total_seconds() / 60 if isinstance(value, pd.Timedelta) else float(value)
        days, rest = divmod(round(minutes), 1440)
        hours, mins = divmod(rest, 60)
        return (f"{days}d " if days else "") + f"{hours}h {mins:02d}m"

    out = []
    for rec in trades.to_dict("records"):
        ratio = rec.get("profit_ratio")
        parts = [
            f"#{rec['trade_id']}" if "trade_id" in rec else "trade",
            f"profit {ratio:.2%}" if ratio is not None and ratio == ratio else "profit n/a",
            f"enter_tag {rec.get('enter_tag') or '-'}",
            f"exit {rec.get('exit_reason') or '-'}",
            f"duration {fmt_minutes(rec.get('trade_duration'))}",
        ]
        out.append("<br>".join(parts))
    return out


def add_trades(
    fig: Any,
    trades: pd.DataFrame,
    *,
    row: int = 1,
    pair: str | None = None,
    start: Any = None,
    end: Any = None,
) -> Any:
    """Add trade entries, exits (won / lost) and a stoploss line for open trades.

    ``trades`` uses freqtrade's trade column names (``open_date``, ``open_rate``,
    ``close_date``, ``close_rate``, ``profit_ratio``, ``enter_tag``, ``exit_reason``,
    ``trade_duration`` in minutes or a timedelta, ``is_open``, ``stop_loss_abs``,
    ``pair``). ``pair`` keeps only that pair's trades; ``start``/``end`` keep markers
    inside the chart, and an open trade's stoploss line runs to ``end`` (default: now).
    Hover: profit %, enter tag, exit reason, duration.
    """
    _require(trades, ["open_date", "open_rate"], "trades")
    t = trades
    if pair is not None and "pair" in t.columns:
        t = t[t["pair"].astype("string") == pair]
    open_at = _utc(t["open_date"]).reset_index(drop=True)
    close_at = (
        _utc(t["close_date"]).reset_index(drop=True)
        if "close_date" in t.columns
        else pd.Series(pd.NaT, index=open_at.index, dtype="datetime64[ns, UTC]")
    )
    t = t.reset_index(drop=True)
    lo, hi = _utc_or_none(start), _utc_or_none(end)
    is_open = t["is_open"].fillna(False).astype(bool) if "is_open" in t.columns else close_at.isna()

    def inside(ts: pd.Series) -> Any:
        ok = ts.notna()
        if lo is not None:
            ok &= ts >= lo
        if hi is not None:
            ok &= ts <= hi
        return ok.to_numpy()

    text = np.asarray(_trade_text(t), dtype=object)
    entries = inside(open_at)
    fig.add_trace(
        go.Scatter(
            x=epoch_ms(pd.DatetimeIndex(open_at[entries])),
            y=t.loc[entries, "open_rate"].to_numpy(dtype="float64"),
            mode="markers",
            name="Trade entry",
            text=text[entries],
            hovertemplate="entry %{y}<br>%{text}<extra></extra>",
            marker={
                "symbol": "circle-open",
                "size": 12,
                "line": {"width": 2},
                "color": defaults.color("trade_entry"),
            },
        ),
        row=row,
        col=1,
    )
    if "close_rate" in t.columns:
        ratio = (
            t["profit_ratio"].astype("float64")
            if "profit_ratio" in t.columns
            else pd.Series(np.nan, index=t.index)
        )
        closed = inside(close_at) & ~is_open.to_numpy()
        for label, won, role in (
            ("Exit - Profit", True, "trade_win"),
            ("Exit - Loss", False, "trade_loss"),
        ):
            sel = closed & ((ratio > 0).to_numpy() if won else ~(ratio > 0).to_numpy())
            fig.add_trace(
                go.Scatter(
                    x=epoch_ms(pd.DatetimeIndex(close_at[sel])),
                    y=t.loc[sel, "close_rate"].to_numpy(dtype="float64"),
                    mode="markers",
                    name=label,
                    text=text[sel],
                    hovertemplate="exit %{y}<br>%{text}<extra></extra>",
                    marker={
                        "symbol": "square-open",
                        "size": 12,
                        "line": {"width": 2},
                        "color": defaults.color(role),
                    },
                ),
                row=row,
                col=1,
            )
    if "stop_loss_abs" in t.columns and is_open.any():
        xs: list[float | None] = []
        ys: list[float | None] = []
        stop_end = to_epoch_ms(hi if hi is not None else pd.Timestamp.now(tz="UTC"))
        stops = t["stop_loss_abs"].to_numpy(dtype="float64", na_value=np.nan)
        for i in np.flatnonzero(is_open.to_numpy()):
            stop = float(stops[i])
            if not stop > 0:
                continue
            x0 = (
                to_epoch_ms(open_at[i])
                if lo is None
                else max(to_epoch_ms(open_at[i]), to_epoch_ms(lo))
            )
            x1 = max(stop_end, x0)
            xs += [x0, x1, None]
            ys += [stop, stop, None]
        if xs:
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    name="Stoploss",
                    line={"color": defaults.color("stoploss"), "dash": "dash", "width": 1},
                ),
                row=row,
                col=1,
            )
    return fig


def _utc_or_none(value: Any) -> pd.Timestamp | None:
    """A bound as a tz-aware UTC Timestamp (naive values are taken as UTC)."""
    if value is None:
        return None
    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def _date_str(value: Any) -> str:
    ts = pd.Timestamp(value)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return ts.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def add_annotations(fig: Any, annotations: Iterable[Mapping[str, Any]], *, row: int = 1) -> Any:
    """Draw freqtrade's ``plot_annotations`` (``area``, ``line``, ``point``) on ``row``.

    * ``area``: a rectangle from ``start`` to ``end``, across the row unless
      ``y_start``/``y_end`` are given; ``label`` is written in it.
    * ``line``: a line from (``start``, ``y_start``) to (``end``, ``y_end``) with
      ``width`` and ``line_style`` (solid/dashed/dotted).
    * ``point``: a marker at (``x``, ``y``) with its ``label``; all points go in one
      ``"Annotations"`` trace.

    An annotation of another type raises ``ValueError``.
    """
    dash = {"solid": "solid", "dashed": "dash", "dotted": "dot"}
    px: list[float] = []
    py: list[float] = []
    labels: list[str] = []
    colors: list[str] = []
    for i, ann in enumerate(annotations):
        kind = ann.get("type")
        color = ann.get("color") or defaults.color("annotation")
        label = ann.get("label") or ""
        if kind == "area":
            shape: dict[str, Any] = {
                "type": "rect",
                "x0": _date_str(ann["start"]),
                "x1": _date_str(ann["end"]),
                "fillcolor": color,
                "line_width": 0,
                "layer": "below",
            }
            if ann.get("y_start") is not None and ann.get("y_end") is not None:
                shape.update(y0=ann["y_start"], y1=ann["y_end"])
                fig.add_shape(**shape, label={"text": label}, row=row, col=1)
            else:
                shape.pop("type")
                fig.add_vrect(
                    **shape, label={"text": label, "textposition": "top left"}, row=row, col=1
                )
        elif kind == "line":
            fig.add_shape(
                type="line",
                x0=_date_str(ann["start"]),
                x1=_date_str(ann["end"]),
                y0=ann.get("y_start"),
                y1=ann.get("y_end", ann.get("y_start")),
                line={
                    "color": color,
                    "width": ann.get("width") or 1,
                    "dash": dash.get(str(ann.get("line_style") or "solid"), "solid"),
                },
                label={"text": label, "textposition": "end"},
                row=row,
                col=1,
            )
        elif kind == "point":
            px.append(to_epoch_ms(_date_str(ann["x"])))
            py.append(float(ann["y"]))
            labels.append(label)
            colors.append(color)
        else:
            raise ValueError(
                f"annotations[{i}]['type'] must be one of ['area', 'line', 'point'], got {kind!r}"
            )
    if px:
        fig.add_trace(
            go.Scatter(
                x=px,
                y=py,
                mode="markers+text",
                name="Annotations",
                text=labels,
                textposition="bottom center",
                marker={"symbol": "diamond", "size": 10, "color": colors},
            ),
            row=row,
            col=1,
        )
    return fig


def heikin_ashi(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with Heikin-Ashi candles in ``ha_open/ha_high/ha_low/ha_close``.

    ha_close = (o+h+l+c)/4; ha_open = mean of the previous ha_open and ha_close (the
    first is (o+c)/2); ha_high/ha_low also span ha_open and ha_close. The recursion is
    an exponential mean with alpha 1/2, so it runs vectorised.
    """
    _require(df, OHLC, "df")
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


# ----------------------------------------------------------------------------- the chart


def _require(df: object, columns: Iterable[str], arg: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{arg} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{arg} lacks the column(s) {missing}; it has {list(df.columns)[:20]}")


def _resolve_plot_config(
    df: pd.DataFrame, plot_config: Mapping[str, Any] | None, client: FtClient | None
) -> dict[str, Any]:
    if plot_config is None:
        plot_config = df.attrs.get("plot_config")
    if plot_config is None and client is not None:
        strategy = df.attrs.get("strategy") or None
        plot_config = dict(client.plot_config(strategy=strategy))
    return validate_plot_config(plot_config)


def _prepare(df: object) -> pd.DataFrame:
    _require(df, (*OHLC, "volume"), "data")
    assert isinstance(df, pd.DataFrame)
    frame = df
    if not isinstance(frame.index, pd.DatetimeIndex):
        if "date" in frame.columns:
            frame = frame.set_index(pd.DatetimeIndex(pd.to_datetime(frame["date"], utc=True)))
        else:
            raise ValueError(
                "data must have a DatetimeIndex (as ftnotebook.frames gives) or a 'date' "
                f"column; got index {type(frame.index).__name__}"
            )
    if pd.DatetimeIndex(frame.index).tz is None:
        frame = frame.tz_localize("UTC")
    if not frame.index.is_monotonic_increasing:
        frame = frame.sort_index()
    return frame


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
) -> tuple[Any, pd.DataFrame]:
    frame = _prepare(data)
    config = _resolve_plot_config(frame, plot_config, client)
    missing = _missing_columns(frame, config)
    if missing:
        warnings.warn(
            f"plot_config names column(s) not in the data, drawn without them: {missing}",
            UserWarning,
            stacklevel=3,
        )
    if heikin_ashi_candles:
        frame = heikin_ashi(frame)
    subplots = config["subplots"]
    rows = 2 + len(subplots)
    fig = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.02,
        row_heights=[4, 1, *([1.2] * len(subplots))],
    )
    budget = max_candles or defaults.max_candles
    ohlc = HA_COLUMNS if heikin_ashi_candles else OHLC
    add_candles(
        fig,
        frame,
        columns=ohlc,
        max_candles=budget,
        name="Heikin-Ashi" if heikin_ashi_candles else "Price",
    )
    add_fills(fig, frame, config["main_plot"], row=1, max_candles=budget)
    add_indicators(fig, frame, config["main_plot"], row=1, max_candles=budget)
    if signals:
        add_signals(fig, frame, row=1)
    first, last = frame.index[0] if len(frame) else None, frame.index[-1] if len(frame) else None
    if trades is not None and len(frame):
        add_trades(fig, trades, row=1, pair=frame.attrs.get("pair"), start=first, end=last)
    if annotations and frame.attrs.get("annotations"):
        add_annotations(fig, frame.attrs["annotations"], row=1)
    add_volume(fig, frame, row=2, max_candles=budget)
    for i, (label, indicators) in enumerate(subplots.items()):
        add_fills(fig, frame, indicators, row=3 + i, max_candles=budget)
        add_indicators(fig, frame, indicators, row=3 + i, max_candles=budget)
        fig.update_yaxes(title_text=label, row=3 + i, col=1)

    pair = frame.attrs.get("pair")
    timeframe = frame.attrs.get("timeframe")
    auto_title = " ".join(str(p) for p in (pair, timeframe) if p) or None
    fig.update_layout(
        **defaults.layout(height=height, width=width),
        title={
            "text": title or auto_title,
            "x": 0.01,
            "xanchor": "left",
            "y": 0.995,
            "yanchor": "top",
        },
        hovermode="x",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.005, "x": 0},
        margin={"l": 60, "r": 20, "t": 100, "b": 30},
        bargap=0,
        modebar_add=["v1hovermode", "toggleSpikeLines"],
    )
    fig.update_xaxes(type="date", rangeslider_visible=False)
    if rangeslider:
        fig.update_xaxes(rangeslider={"visible": True, "thickness": 0.05}, row=rows, col=1)
    fig.update_yaxes(title_text="Price", row=1, col=1)
    fig.update_yaxes(title_text="Volume", row=2, col=1)
    return fig, frame


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
        trades: a trades frame (freqtrade's column names) to mark entries, exits and the
            stoploss of open trades; only ``data.attrs["pair"]``'s trades are drawn.
        plot_config: the strategy's plot_config. Default: ``data.attrs["plot_config"]``,
            else fetched from ``client`` (``GET /plot_config``, with ``?strategy=`` from
            ``data.attrs["strategy"]`` so it works in webserver mode too), else none.
        signals / annotations: draw the strategy's signals / ``plot_annotations``.
        heikin_ashi: draw Heikin-Ashi candles instead of the raw ones.
        rangeslider: add a range slider under the last row.
        max_candles: point budget (default ``defaults.max_candles``); longer data is
            aggregated without losing wicks or spikes.
        title, height, width: layout; ``defaults`` otherwise.

    Columns named by the plot_config but absent from ``data`` are skipped with one
    ``UserWarning`` listing them; a malformed plot_config raises ``ValueError``.
    """
    fig, _ = _build(
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
    return fig


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
    candle/indicator/volume trace is refilled from ``data`` for the visible window; a
    window of ``max_candles`` candles or fewer shows every candle.
    """
    fig, frame = _build(
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
    widget = go.FigureWidget(fig)
    budget = max_candles or defaults.max_candles

    def redraw(start: float | None, end: float | None) -> None:
        src = CandleSource(frame, max_candles=budget, start=start, end=end)
        with widget.batch_update():
            for trace in widget.data:
                meta = trace.meta
                if isinstance(meta, Mapping) and "ftnb" in meta:
                    trace.update(src.arrays(list(meta["ftnb"])))

    def on_range(axis: Any, xrange: Any) -> None:
        if xrange is None or len(xrange) != 2 or None in xrange:
            return
        redraw(to_epoch_ms(xrange[0]), to_epoch_ms(xrange[1]))

    def on_autorange(axis: Any, auto: Any) -> None:
        if auto is True:
            redraw(None, None)

    for name in widget.layout:
        if name.startswith("xaxis"):
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
