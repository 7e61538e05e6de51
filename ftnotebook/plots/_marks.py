"""Signals and trades on the price row: markers, their hovers, the open trades' lines.

The rule for how many markers (freqtrade's and FreqUI's at full detail):

* at full detail, one marker per signal candle and one per trade entry/exit;
* when the chart is aggregated, one marker per bucket that holds a signal (or a trade
  entry/exit), at the bucket's first signal; the hover says how many it stands for.

So 500,000 1m candles with 200,000 signal candles draw at most ``max_candles`` markers
per signal column. :class:`Marks` holds the points of one trace at full detail and
gives the drawn arrays for a window (:meth:`Marks.view`); a
:func:`~ftnotebook.plots.candle_widget` asks it again on every zoom.

Long and short: enter/exit short signals have their own open symbols and colours
(:data:`SIGNAL_STYLES`); short trades get a "Short entry" trace of their own and
diamond exit markers, and every trade hover names the side and the leverage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import plotly.graph_objects as go

from ftnotebook.plots._axes import PriceRange
from ftnotebook.plots._frame import add_to_row, price_format, require, utc, utc_or_none
from ftnotebook.plots._longhistory import CandleSource, epoch_ms, to_epoch_ms
from ftnotebook.plots._style import defaults

__all__ = [
    "SIGNAL_STYLES",
    "Marks",
    "add_signals",
    "add_trades",
    "shape_view",
    "signal_marks",
    "trade_marks",
]

SIGNAL_STYLES: dict[str, tuple[str, str]] = {
    "enter_long": ("triangle-up", "enter_tag"),
    "exit_long": ("triangle-down", "exit_tag"),
    "enter_short": ("triangle-down-open", "enter_tag"),
    "exit_short": ("triangle-up-open", "exit_tag"),
}
"""Signal column → (marker symbol, tag column for the hover text); colours by role."""

MAX_LISTED = 4
"""Trades listed by name in the hover of an aggregated marker."""


@dataclass
class Marks:
    """The points of one marker trace at full detail (x in epoch ms, sorted).

    ``labels`` is the hover text of each point; ``noun`` names one point in the hover
    of an aggregated marker ("enter_long signal", "trade entry"); ``symbols`` optional
    per-point marker symbols.
    """

    name: str
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    labels: npt.NDArray[np.object_]
    noun: str
    symbols: npt.NDArray[np.object_] | None = None
    price_fmt: str = ",.2f"
    distinct: bool = False
    """Aggregated hovers list each point (trades) or, when True, the distinct labels
    (signals, whose labels repeat: "enter_long: rsi_low")."""
    extra: dict[str, Any] = field(default_factory=dict)

    def view(
        self,
        src: CandleSource | None,
        candle_ms: float,
        price_range: PriceRange | None = None,
    ) -> dict[str, Any]:
        """The trace's ``x``, ``y``, ``text`` (and ``marker.symbol``) for ``src``'s window."""
        x, y, labels, symbols = self.x, self.y, self.labels, self.symbols
        if src is not None:
            bucket = src.bucket_of(x, candle_ms)
            keep = bucket >= 0
            x, y, labels, bucket = x[keep], y[keep], labels[keep], bucket[keep]
            symbols = symbols[keep] if symbols is not None else None
            if src.aggregated and len(x):
                first, counts = np.unique(bucket, return_index=True, return_counts=True)[1:]
                ends = np.append(first[1:], len(x))
                texts = []
                for start, end, count in zip(first, ends, counts, strict=True):
                    if count == 1:
                        texts.append(str(labels[start]))
                        continue
                    head = f"<b>{count:,} × {self.noun}</b> in this bucket"
                    if self.distinct:
                        kinds = list(dict.fromkeys(str(t) for t in labels[start:end]))
                        texts.append(head + "<br>" + ", ".join(kinds[:MAX_LISTED]))
                        continue
                    listed = [str(t) for t in labels[start : min(end, start + MAX_LISTED)]]
                    more = f"<br>… and {count - len(listed):,} more" if count > len(listed) else ""
                    texts.append(head + "<br>" + "<br>―<br>".join(listed) + more)
                x = src.x[src.starts][bucket[first]]
                y = y[first]
                labels = np.asarray(texts, dtype=object)
                symbols = symbols[first] if symbols is not None else None
        text = labels
        if price_range is not None and len(y):
            drawn, off = price_range.clip_array(y)
            if off.any():
                text = labels.copy()
                for i in np.flatnonzero(off):
                    arrow = "▲" if y[i] > price_range.hi else "▼"
                    text[i] = f"{labels[i]}<br>{arrow} at {y[i]:{self.price_fmt}}, off the chart"
                y = drawn
        out: dict[str, Any] = {"x": x, "y": y, "text": list(text)}
        if symbols is not None:
            out["marker.symbol"] = list(symbols)
        return out


def signal_marks(df: pd.DataFrame, column: str, *, price_fmt: str = ",.2f") -> Marks | None:
    """The :class:`Marks` of signal ``column`` (at each signal candle's close), or None."""
    if column not in df.columns:
        return None
    mask = df[column].fillna(False).astype(bool).to_numpy()
    if not mask.any():
        return None
    tag_col = SIGNAL_STYLES[column][1]
    hits = df.loc[mask]
    if tag_col in df.columns:
        tags = hits[tag_col].astype("string").fillna("").to_numpy(dtype=object)
        labels = np.asarray([f"{column}: {t}" if t else column for t in tags], dtype=object)
    else:
        labels = np.full(len(hits), column, dtype=object)
    return Marks(
        name=column,
        x=epoch_ms(pd.DatetimeIndex(hits.index)),
        y=hits["close"].to_numpy(dtype="float64"),
        labels=labels,
        noun=f"{column} signal",
        price_fmt=price_fmt,
        distinct=True,
    )


DENSE_MARKERS = 1000
"""A marker trace with more points than this (a dense signal on an aggregated chart) is
drawn as short vertical ticks in one SVG path instead of one SVG element per marker:
thousands of markers cost seconds of first paint, one path almost nothing (WebGL was
slower still without a GPU; see ``bench/bench_plots.py``, dense case)."""

TICK = 0.025
"""Length of a dense-signal tick, as a share of the price range."""


def shape_view(
    view: Mapping[str, Any],
    price_range: PriceRange | None,
    *,
    exit_side: bool = False,
    price_fmt: str = ",.2f",
) -> dict[str, Any]:
    """Trace properties for a :meth:`Marks.view`: markers, or, when dense, a rug of
    ticks along the bottom (entries) or top (``exit_side``) of the price row, so that
    thousands of signals never cover the candles; the hover gives the close."""
    kw = dict(view)
    kw.pop("marker.symbol", None)
    if len(kw["x"]) <= DENSE_MARKERS:
        return {**kw, "mode": "markers"}
    x = np.asarray(kw["x"], dtype="float64")
    y = np.asarray(kw["y"], dtype="float64")
    if price_range is not None:
        size = TICK * price_range.span
        base = (
            price_range.hi - 0.01 * price_range.span - size
            if exit_side
            else (price_range.lo + 0.01 * price_range.span)
        )
        lo_y, hi_y = np.full(len(x), base), np.full(len(x), base + size)
    else:
        half = TICK / 2 * float(np.nanmedian(y)) * 0.02
        lo_y, hi_y = y - half, y + half
    nan = np.full(len(x), np.nan)
    text = np.asarray(
        [f"{t}<br>close {v:{price_fmt}}" for t, v in zip(kw["text"], y, strict=True)],
        dtype=object,
    )
    blank = np.full(len(x), "", dtype=object)
    return {
        "x": np.column_stack([x, x, nan]).ravel(),
        "y": np.column_stack([lo_y, hi_y, nan]).ravel(),
        "text": list(np.column_stack([text, text, blank]).ravel()),
        "mode": "lines",
        "hovertemplate": "%{text}<extra></extra>",
    }


def _marker_trace(
    marks: Marks,
    view: Mapping[str, Any],
    marker: dict[str, Any],
    price_range: PriceRange | None = None,
) -> Any:
    kw = shape_view(
        view, price_range, exit_side=marks.name.startswith("exit"), price_fmt=marks.price_fmt
    )
    kw.setdefault("hovertemplate", f"%{{text}}<br>%{{y:{marks.price_fmt}}}<extra></extra>")
    symbol = view.get("marker.symbol")
    if symbol is not None and kw["mode"] == "markers":
        marker = {**marker, "symbol": symbol}
    return go.Scatter(
        **kw,
        name=marks.name,
        marker=marker,
        line={"color": marker.get("color"), "width": 1.5},
        meta={"ftnb_marks": marks.name},
    )


def add_signals(
    fig: Any,
    df: pd.DataFrame,
    *,
    row: int = 1,
    source: CandleSource | None = None,
    candle_ms: float = 60_000.0,
    decimals: int = 2,
    registry: dict[str, Marks] | None = None,
    price_range: PriceRange | None = None,
) -> Any:
    """Mark the enter/exit long/short signals at the candle's close; tags in the hover.

    One trace per signal column that has at least one signal, named after the column,
    each with its own symbol and colour (:data:`SIGNAL_STYLES`). With an aggregated
    ``source``, one marker per bucket holding a signal (see the module docstring).
    ``registry`` collects the :class:`Marks` by trace name (for the zooming widget).
    """
    for column, (symbol, _tag) in SIGNAL_STYLES.items():
        marks = signal_marks(df, column, price_fmt=price_format(decimals))
        if marks is None:
            continue
        color = defaults.color(column)
        marker = {"symbol": symbol, "size": 10, "color": color, "line": {"width": 1}}
        add_to_row(
            fig, _marker_trace(marks, marks.view(source, candle_ms), marker, price_range), row
        )
        if registry is not None:
            registry[marks.name] = marks
    return fig


# ----------------------------------------------------------------------------- trades


def _duration(value: Any) -> str:
    if value is None or pd.isna(value):
        return "open"
    minutes = value.total_seconds() / 60 if isinstance(value, pd.Timedelta) else float(value)
    days, rest = divmod(round(minutes), 1440)
    hours, mins = divmod(rest, 60)
    return (f"{days}d " if days else "") + f"{hours}h {mins:02d}m"


def _trade_text(t: pd.DataFrame, fmt: str, currency: str | None) -> list[str]:
    """One hover per trade: id, side and leverage, rates, profit (ratio and absolute)."""
    out = []
    unit = f" {currency}" if currency else ""
    for rec in t.to_dict("records"):
        short = bool(rec.get("is_short")) if rec.get("is_short") == rec.get("is_short") else False
        lev = rec.get("leverage")
        side = "short" if short else "long"
        if lev is not None and lev == lev:
            side += f" · {float(lev):g}x"
        head = f"#{rec['trade_id']}" if "trade_id" in rec else "trade"
        parts = [f"<b>{head} {side}</b>"]
        is_open = bool(rec.get("is_open")) if rec.get("is_open") == rec.get("is_open") else False
        parts.append(f"entry {float(rec['open_rate']):{fmt}}")
        close = rec.get("close_rate")
        if not is_open and close is not None and close == close:
            parts.append(f"exit {float(close):{fmt}} ({rec.get('exit_reason') or '-'})")
        ratio, absolute = rec.get("profit_ratio"), rec.get("profit_abs")
        money = (
            f" · {float(absolute):+,.2f}{unit}"
            if absolute is not None and absolute == absolute
            else ""
        )
        label = "profit now" if is_open else "profit"
        if ratio is not None and ratio == ratio:
            parts.append(f"{label} {float(ratio):+.2%}{money}")
        else:
            parts.append(f"{label} n/a")
        parts.append(f"enter_tag {rec.get('enter_tag') or '-'}")
        parts.append(f"duration {_duration(None if is_open else rec.get('trade_duration'))}")
        out.append("<br>".join(parts))
    return out


def trade_marks(
    trades: pd.DataFrame,
    *,
    pair: str | None = None,
    price_fmt: str = ",.2f",
    currency: str | None = None,
) -> dict[str, Marks]:
    """The entry and exit :class:`Marks` of ``trades`` by trace name.

    ``"Trade entry"`` (long entries), ``"Short entry"``, ``"Exit - Profit"`` and
    ``"Exit - Loss"`` (won / lost, ``profit_ratio > 0``; short exits as diamonds).
    """
    require(trades, ["open_date", "open_rate"], "trades")
    t = trades
    if pair is not None and "pair" in t.columns:
        t = t[t["pair"].astype("string") == pair]
    t = t.reset_index(drop=True)
    open_at = utc(t["open_date"]).reset_index(drop=True)
    close_at = (
        utc(t["close_date"]).reset_index(drop=True)
        if "close_date" in t.columns
        else pd.Series(pd.NaT, index=open_at.index, dtype="datetime64[ns, UTC]")
    )
    is_open = (
        t["is_open"].fillna(False).astype(bool).to_numpy()
        if "is_open" in t.columns
        else close_at.isna().to_numpy()
    )
    short = (
        t["is_short"].fillna(False).astype(bool).to_numpy()
        if "is_short" in t.columns
        else np.zeros(len(t), dtype=bool)
    )
    text = np.asarray(_trade_text(t, price_fmt, currency), dtype=object)
    out: dict[str, Marks] = {}

    def marks(name: str, sel: Any, when: pd.Series, price: str, noun: str, sym: Any) -> None:
        sel = sel & when.notna().to_numpy()
        order = np.argsort(epoch_ms(pd.DatetimeIndex(when[sel])), kind="stable")
        out[name] = Marks(
            name=name,
            x=epoch_ms(pd.DatetimeIndex(when[sel]))[order],
            y=t.loc[sel, price].to_numpy(dtype="float64", na_value=np.nan)[order],
            labels=text[sel][order],
            noun=noun,
            symbols=None if sym is None else np.asarray(sym, dtype=object)[sel][order],
            price_fmt=price_fmt,
        )

    everyone = np.ones(len(t), dtype=bool)
    marks("Trade entry", ~short, open_at, "open_rate", "trade entry", None)
    if short.any():
        marks("Short entry", short, open_at, "open_rate", "short entry", None)
    if "close_rate" in t.columns:
        ratio = (
            t["profit_ratio"].astype("float64").to_numpy()
            if "profit_ratio" in t.columns
            else np.full(len(t), np.nan)
        )
        won = ratio > 0
        symbols = np.where(short, "diamond-open", "square-open")
        closed = everyone & ~is_open
        marks("Exit - Profit", closed & won, close_at, "close_rate", "winning exit", symbols)
        marks("Exit - Loss", closed & ~won, close_at, "close_rate", "losing exit", symbols)
    return out


_TRADE_STYLE: dict[str, tuple[str, str]] = {
    "Trade entry": ("circle-open", "trade_entry"),
    "Short entry": ("diamond-open", "trade_short"),
    "Exit - Profit": ("square-open", "trade_win"),
    "Exit - Loss": ("square-open", "trade_loss"),
}


def add_trades(
    fig: Any,
    trades: pd.DataFrame,
    *,
    row: int = 1,
    pair: str | None = None,
    start: Any = None,
    end: Any = None,
    source: CandleSource | None = None,
    candle_ms: float | None = None,
    price_range: PriceRange | None = None,
    decimals: int = 2,
    currency: str | None = None,
    registry: dict[str, Marks] | None = None,
) -> Any:
    """Add trade entries, exits (won / lost), and the stoploss and liquidation lines of
    open trades.

    ``trades`` uses freqtrade's trade column names (``open_date``, ``open_rate``,
    ``close_date``, ``close_rate``, ``profit_ratio``, ``profit_abs``, ``enter_tag``,
    ``exit_reason``, ``trade_duration`` in minutes or a timedelta, ``is_open``,
    ``is_short``, ``leverage``, ``stop_loss_abs``, ``liquidation_price``, ``pair``).
    ``pair`` keeps only that pair's trades; ``start``/``end`` keep markers inside the
    chart, and an open trade's lines run to ``end`` (default: now). A trade that opened
    after ``end`` draws nothing. With ``price_range``, lines and markers beyond it are
    drawn at its edge with their value in the label. Hover: side and leverage, rates,
    profit in % and in ``currency``, enter tag, exit reason, duration.
    """
    fmt = price_format(decimals)
    all_marks = trade_marks(trades, pair=pair, price_fmt=fmt, currency=currency)
    lo, hi = utc_or_none(start), utc_or_none(end)
    lo_ms = None if lo is None else to_epoch_ms(lo)
    hi_ms = None if hi is None else to_epoch_ms(hi)
    step = candle_ms or 0.0
    for name, marks in all_marks.items():
        if name == "Short entry" and not len(marks.x):
            continue
        if source is not None:
            view = marks.view(source, step or 60_000.0, price_range)
        else:
            keep = np.ones(len(marks.x), dtype=bool)
            if lo_ms is not None:
                keep &= marks.x >= lo_ms
            if hi_ms is not None:
                keep &= marks.x <= hi_ms + step
            sub = Marks(
                marks.name, marks.x[keep], marks.y[keep], marks.labels[keep], marks.noun,
                None if marks.symbols is None else marks.symbols[keep], marks.price_fmt,
            )  # fmt: skip
            view = sub.view(None, step, price_range)
        symbol, role = _TRADE_STYLE[name]
        marker = {"symbol": symbol, "size": 12, "line": {"width": 2}, "color": defaults.color(role)}
        add_to_row(fig, _marker_trace(marks, view, marker, price_range), row)
        if registry is not None:
            registry[name] = marks
    _add_open_lines(fig, trades, row=row, pair=pair, lo=lo, hi=hi, price_range=price_range,
                    fmt=fmt)  # fmt: skip
    return fig


def _add_open_lines(
    fig: Any,
    trades: pd.DataFrame,
    *,
    row: int,
    pair: str | None,
    lo: pd.Timestamp | None,
    hi: pd.Timestamp | None,
    price_range: PriceRange | None,
    fmt: str,
) -> None:
    """One dashed trace each for the open trades' stoploss and liquidation price."""
    t = trades
    if pair is not None and "pair" in t.columns:
        t = t[t["pair"].astype("string") == pair]
    if "is_open" in t.columns:
        t = t[t["is_open"].fillna(False).astype(bool)]
    elif "close_date" in t.columns:
        t = t[t["close_date"].isna()]
    if t.empty:
        return
    t = t.reset_index(drop=True)
    open_at = utc(t["open_date"]).reset_index(drop=True)
    end_ms = to_epoch_ms(hi if hi is not None else pd.Timestamp.now(tz="UTC"))
    for column, name, role, dash, depth, at_end in (
        ("stop_loss_abs", "Stoploss", "stoploss", "dash", 3.0, True),
        ("liquidation_price", "Liquidation", "liquidation", "dashdot", 1.0, False),
    ):
        if column not in t.columns:
            continue
        values = t[column].to_numpy(dtype="float64", na_value=np.nan)
        xs: list[float | None] = []
        ys: list[float | None] = []
        texts: list[str | None] = []
        hovers: list[str | None] = []
        for i, value in enumerate(values):
            if not value > 0:
                continue
            x0 = to_epoch_ms(open_at[i])
            if x0 > end_ms:  # opened after the last candle: nothing to draw
                continue
            if lo is not None:
                x0 = max(x0, to_epoch_ms(lo))
            if x0 >= end_ms:
                continue
            y, arrow = (value, "") if price_range is None else price_range.clip(value, depth)
            label = f"{name} {value:{fmt}}" + (f" {arrow}" if arrow else "")
            hover = label + (" (off the chart)" if arrow else "")
            xs += [x0, end_ms, None]
            ys += [y, y, None]
            shown = label if arrow else ""
            texts += ["", shown, None] if at_end else [shown, "", None]
            hovers += [hover, hover, None]
        if not xs:
            continue
        add_to_row(
            fig,
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+text" if any(texts) else "lines",
                text=texts,
                textposition=("top " if "▼" in "".join(filter(None, texts)) else "bottom ")
                + ("left" if at_end else "right"),
                textfont={"color": defaults.color(role), "size": 11},
                hovertext=hovers,
                hovertemplate="%{hovertext}<extra></extra>",
                name=name,
                line={"color": defaults.color(role), "dash": dash, "width": 1.2},
            ),
            row,
        )
