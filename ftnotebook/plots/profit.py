"""Profit charts over a trades frame (and the periodic / wallet frames); each returns a figure.

All take the frames :mod:`ftnotebook.frames` builds (column names as in
:mod:`ftnotebook.schemas`, which are freqtrade's): ``trades`` with ``close_date``,
``open_date``, ``profit_abs``, ``profit_ratio``, ``pair``, ``is_open``,
``trade_duration``; ``/daily``-style frames with ``abs_profit`` and ``trade_count``;
``/historic_balance`` with ``total_quote``. Column names are keyword arguments where a
user may have another frame.

* :func:`cumulative_profit_chart`: closed profit over time plus the open profit now,
  with the max-drawdown span shaded (freqtrade's ``calculate_max_drawdown`` formula);
* :func:`underwater_chart`: drawdown from the running high, absolute and relative;
* :func:`period_profit_chart`: daily/weekly/monthly profit bars with a trade-count line;
* :func:`pair_profit_chart`: cumulative profit per pair;
* :func:`parallelism_chart`: open trades per candle (freqtrade's
  ``analyze_trade_parallelism``, vectorised);
* :func:`profit_distribution_chart`, :func:`duration_distribution_chart`: histograms
  split by winners and losers;
* :func:`wallet_chart`: wallet value from ``/historic_balance``.

The drawdown numbers come from :mod:`ftnotebook.metrics` (freqtrade's formulas).

Example::

    from ftnotebook.frames import trades_frame

    trades = trades_frame([*client.trades(limit=500)["trades"], *client.status()])
    cumulative_profit_chart(trades, starting_balance=10_000).show()
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ftnotebook import metrics
from ftnotebook.plots._style import defaults

__all__ = [
    "cumulative_profit_chart",
    "duration_distribution_chart",
    "pair_profit_chart",
    "parallelism_chart",
    "parallelism_series",
    "period_profit_chart",
    "profit_distribution_chart",
    "underwater_chart",
    "wallet_chart",
]


def _need(df: object, columns: Iterable[str], arg: str = "trades") -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{arg} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{arg} lacks the column(s) {missing}; it has {list(df.columns)[:25]}")
    return df


def _closed(trades: pd.DataFrame, date_col: str) -> pd.DataFrame:
    closed = trades[trades[date_col].notna()]
    if "is_open" in closed.columns:
        closed = closed[~closed["is_open"].fillna(False).astype(bool)]
    out = closed.assign(**{date_col: pd.to_datetime(closed[date_col], utc=True)})
    return out.sort_values(date_col, kind="stable").reset_index(drop=True)


def _open(trades: pd.DataFrame) -> pd.DataFrame:
    if "is_open" not in trades.columns:
        return trades.iloc[0:0]
    return trades[trades["is_open"].fillna(False).astype(bool)]


def _currency(df: pd.DataFrame, stake_currency: str | None) -> str | None:
    """The stake currency: the argument, else ``attrs``, else the trades' own
    ``quote_currency`` when they all share one, else None (left out of titles)."""
    if stake_currency:
        return stake_currency
    found = df.attrs.get("stake_currency")
    if found:
        return str(found)
    if "quote_currency" in df.columns:
        quotes = df["quote_currency"].dropna().astype(str).unique()
        if len(quotes) == 1:
            return str(quotes[0])
    return None


def _unit(label: str, currency: str | None) -> str:
    """``"Profit"`` → ``"Profit (USDT)"``; the bare label without a currency."""
    return f"{label} ({currency})" if currency else label


def _integer_axis(values: Any) -> dict[str, Any]:
    """Axis settings for a count: whole-number ticks from 0, about 5 of them."""
    top = float(np.nanmax(np.asarray(values, dtype="float64"))) if len(values) else 0.0
    top = max(top, 1.0)
    step = max(1, int(np.ceil(top / 5)))
    return {"tickmode": "linear", "tick0": 0, "dtick": step, "tickformat": "d",
            "rangemode": "tozero", "range": [0, (np.ceil(top / step) + 0.3) * step]}  # fmt: skip


def _figure(title: str, *, height: int | None, rows: int = 1, **kwargs: Any) -> Any:
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, **kwargs) if rows > 1 else go.Figure()
    fig.update_layout(
        **defaults.layout(height=height or max(380, defaults.height // 2 * rows // 1)),
        title={"text": title, "x": 0.01, "xanchor": "left", "y": 0.98, "yanchor": "top"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0, "xanchor": "left"},
        margin={"l": 70, "r": 20, "t": 90, "b": 40},
        autosize=True,
    )
    return fig


# ----------------------------------------------------------------------------- drawdown


def _drawdown(
    trades: pd.DataFrame, date_col: str, value_col: str, starting_balance: float
) -> tuple[pd.DataFrame, metrics.DrawDown]:
    """freqtrade's drawdown series and max drawdown over the closed trades."""
    _need(trades, [date_col, value_col])
    done = _closed(trades, date_col)
    if done.empty:
        raise ValueError("trades has no closed trade: no drawdown to compute")
    kw: dict[str, Any] = {
        "date_col": date_col,
        "value_col": value_col,
        "starting_balance": starting_balance,
    }
    return metrics.underwater(done, **kw), metrics.max_drawdown(done, **kw)


# ----------------------------------------------------------------------------- charts


def cumulative_profit_chart(
    trades: pd.DataFrame,
    *,
    starting_balance: float = 0.0,
    include_open: bool = True,
    now: Any = None,
    date_col: str = "close_date",
    value_col: str = "profit_abs",
    title: str = "Cumulative profit",
    height: int | None = None,
    stake_currency: str | None = None,
) -> Any:
    """Cumulative closed profit, the open profit now, and the max-drawdown span.

    The closed profit is a step line over ``date_col``. With ``include_open`` the open
    trades' ``value_col`` (their unrealised profit, as ``/status`` reports it) is added
    as a last dashed segment at ``now`` (default: the current time). The max drawdown
    (freqtrade's formula, relative to ``starting_balance`` when given) is shaded from its
    high to its low and named with its size.
    """
    dd, mdd = _drawdown(trades, date_col, value_col, starting_balance)
    currency = _currency(trades, stake_currency)
    unit = f" {currency}" if currency else ""
    fig = _figure(title, height=height)
    fig.add_trace(
        go.Scatter(
            x=dd["date"],
            y=dd["cumulative"],
            mode="lines",
            line_shape="hv",
            name="Closed profit",
            hovertemplate=f"%{{x|%Y-%m-%d %H:%M}} UTC<br>closed profit %{{y:,.2f}}{unit}"
            "<extra></extra>",
            line={"color": defaults.color("profit")},
        )
    )
    open_trades = _open(trades)
    if include_open and not open_trades.empty:
        when = pd.Timestamp(now) if now is not None else pd.Timestamp.now(tz="UTC")
        if when.tzinfo is None:
            when = when.tz_localize("UTC")
        last = float(dd["cumulative"].iloc[-1])
        open_abs = float(open_trades[value_col].astype("float64").fillna(0).sum())
        fig.add_trace(
            go.Scatter(
                x=[dd["date"].iloc[-1], when],
                y=[last, last + open_abs],
                mode="lines+markers+text",
                name=f"With open profit ({open_abs:+,.2f}{unit})",
                text=["", f"{last + open_abs:,.2f} (open {open_abs:+,.2f})"],
                textposition="top left",
                textfont={"color": defaults.color("open_profit")},
                hovertemplate=f"%{{x|%Y-%m-%d %H:%M}} UTC<br>%{{y:,.2f}}{unit}<extra></extra>",
                line={"color": defaults.color("open_profit"), "dash": "dash", "width": 2.5},
                marker={"size": [0, 9]},
            )
        )
    if mdd.abs > 0:
        label = f"Max drawdown {mdd.abs:.2f}{unit}"
        if starting_balance:
            label += f" ({mdd.relative:.2%})"
        fig.add_vrect(
            x0=mdd.high_date,
            x1=mdd.low_date,
            fillcolor=defaults.color("drawdown_span"),
            line_width=0,
            layer="below",
        )
        fig.add_trace(
            go.Scatter(
                x=[mdd.high_date, mdd.low_date],
                y=[mdd.high_value, mdd.low_value],
                mode="markers",
                name=label,
                marker={
                    "symbol": "square-open",
                    "size": 10,
                    "line": {"width": 2},
                    "color": defaults.color("drawdown"),
                },
            )
        )
    fig.update_yaxes(title_text=_unit("Cumulative profit", currency), tickformat=",.2~f")
    return fig


def underwater_chart(
    trades: pd.DataFrame,
    *,
    starting_balance: float = 0.0,
    date_col: str = "close_date",
    value_col: str = "profit_abs",
    title: str = "Underwater (drawdown from the running high)",
    height: int | None = None,
    stake_currency: str | None = None,
) -> Any:
    """Drawdown below the running high after each closed trade: absolute, then relative."""
    dd, _ = _drawdown(trades, date_col, value_col, starting_balance)
    currency = _currency(trades, stake_currency)
    fig = _figure(
        title,
        height=height,
        rows=2,
        vertical_spacing=0.1,
        subplot_titles=(
            _unit("Drawdown", currency) + " below the running high of closed profit",
            "Drawdown relative to the running high of the balance",
        ),
    )
    fig.update_annotations(font_size=12, x=0, xanchor="left")
    color = defaults.color("drawdown")
    fig.add_trace(
        go.Scatter(
            x=dd["date"],
            y=dd["drawdown"],
            name="Drawdown",
            fill="tozeroy",
            line={"color": color, "shape": "hv"},
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=dd["date"],
            y=-dd["drawdown_relative"],
            name="Drawdown (relative)",
            fill="tozeroy",
            line={"color": color, "shape": "hv", "dash": "dot"},
        ),
        row=2,
        col=1,
    )
    fig.update_yaxes(title_text=_unit("Drawdown", currency), tickformat=",.2~f", row=1, col=1)
    fig.update_yaxes(title_text="Drawdown (%)", tickformat=".1%", row=2, col=1)
    return fig


def _period_name(index: Any) -> str | None:
    """``"day"``, ``"week"`` or ``"month"`` from the spacing of a periodic index."""
    if not isinstance(index, pd.DatetimeIndex) or len(index) < 2:
        return None
    days = float(np.median(np.diff(index.as_unit("s").asi8))) / 86_400
    if days <= 1.5:
        return "day"
    if days <= 8:
        return "week"
    if 26 <= days <= 32:
        return "month"
    return None


def period_profit_chart(
    periods: pd.DataFrame,
    *,
    profit_col: str = "abs_profit",
    count_col: str = "trade_count",
    title: str | None = None,
    height: int | None = None,
    period: str | None = None,
    stake_currency: str | None = None,
) -> Any:
    """Profit per period as green/red bars, and the trade count in its own row below.

    ``periods`` is a ``/daily``, ``/weekly`` or ``/monthly`` frame (DatetimeIndex);
    ``period`` (``"day"``, ``"week"``, ``"month"``) names it in the title, read from the
    index's spacing when not given. The count row has whole-number ticks.
    """
    _need(periods, [profit_col, count_col], "periods")
    x = periods.index if isinstance(periods.index, pd.DatetimeIndex) else periods["date"]
    name = period or _period_name(pd.DatetimeIndex(x)) or "period"
    currency = _currency(periods, stake_currency)
    unit = f" {currency}" if currency else ""
    profit = periods[profit_col].astype("float64")
    colors = np.where(profit >= 0, defaults.color("trade_win"), defaults.color("trade_loss"))
    fig = _figure(
        title or f"Profit per {name}",
        height=height or max(420, defaults.height * 3 // 5),
        rows=2,
        row_heights=[3, 1],
        vertical_spacing=0.06,
    )
    fig.add_trace(
        go.Bar(
            x=x,
            y=profit,
            name=_unit(f"Profit per {name}", currency),
            marker_color=colors.tolist(),
            hovertemplate=f"%{{x|%Y-%m-%d}}<br>profit %{{y:+,.2f}}{unit}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    counts = periods[count_col].astype("float64")
    fig.add_trace(
        go.Bar(
            x=x,
            y=counts,
            name=f"Trades per {name}",
            marker_color=defaults.color("trade_count"),
            hovertemplate="%{x|%Y-%m-%d}<br>%{y:d} trades<extra></extra>",
        ),
        row=2,
        col=1,
    )
    fig.update_layout(bargap=0.15)
    fig.update_yaxes(title_text=_unit("Profit", currency), tickformat=",.2~f", row=1, col=1)
    fig.update_yaxes(title_text="Trades", **_integer_axis(counts.to_numpy()), row=2, col=1)
    return fig


def pair_profit_chart(
    trades: pd.DataFrame,
    *,
    date_col: str = "close_date",
    value_col: str = "profit_abs",
    pair_col: str = "pair",
    title: str = "Cumulative profit per pair",
    height: int | None = None,
    stake_currency: str | None = None,
) -> Any:
    """One cumulative-profit step line per pair, over the closed trades."""
    _need(trades, [date_col, value_col, pair_col])
    currency = _currency(trades, stake_currency)
    closed = _closed(trades, date_col)
    fig = _figure(title, height=height)
    for pair in sorted(closed[pair_col].astype("string").dropna().unique()):
        one = closed[closed[pair_col].astype("string") == pair]
        fig.add_trace(
            go.Scatter(
                x=one[date_col],
                y=one[value_col].astype("float64").cumsum(),
                mode="lines",
                line_shape="hv",
                name=str(pair),
            )
        )
    fig.update_yaxes(title_text=_unit("Cumulative profit", currency), tickformat=",.2~f")
    return fig


def parallelism_series(trades: pd.DataFrame, timeframe: str = "5m") -> pd.Series:
    """Open trades per ``timeframe`` bucket over the closed trades: freqtrade's
    ``analyze_trade_parallelism`` (see :func:`ftnotebook.metrics.trade_parallelism`)."""
    _need(trades, ["open_date", "close_date"])
    freq = _pandas_freq(timeframe)
    return metrics.trade_parallelism(trades[trades["close_date"].notna()], freq=freq)


def _pandas_freq(timeframe: str) -> str:
    units = {"m": "min", "h": "h", "d": "D", "w": "W", "s": "s"}
    if not timeframe or timeframe[-1] not in units or not timeframe[:-1].isdigit():
        raise ValueError(
            f"timeframe must be like '5m', '1h', '1d' (units {sorted(units)}), got {timeframe!r}"
        )
    return f"{timeframe[:-1]}{units[timeframe[-1]]}"


def parallelism_chart(
    trades: pd.DataFrame,
    *,
    timeframe: str = "5m",
    title: str = "Trade parallelism (open trades per candle)",
    height: int | None = None,
) -> Any:
    """How many trades were open at once, per ``timeframe`` candle."""
    series = parallelism_series(trades, timeframe)
    fig = _figure(title, height=height)
    fig.add_trace(
        go.Scatter(
            x=series.index,
            y=series.to_numpy(),
            name="Parallel trades",
            fill="tozeroy",
            hovertemplate="%{x|%Y-%m-%d %H:%M} UTC<br>%{y:d} open trades<extra></extra>",
            line={"color": defaults.color("parallel"), "shape": "hv"},
        )
    )
    fig.update_yaxes(title_text="Open trades", **_integer_axis(series.to_numpy()))
    return fig


def _win_loss(trades: pd.DataFrame, ratio_col: str) -> tuple[Any, Any]:
    won = trades[ratio_col].astype("float64") > 0
    return won.to_numpy(), (~won).to_numpy()


def _win_loss_histogram(
    values: pd.Series,
    closed: pd.DataFrame,
    ratio_col: str,
    bins: int,
    title: str,
    height: int | None,
    x_title: str,
) -> Any:
    """Histograms of ``values`` for winning and losing trades on the same bins, side by
    side in each bin (so where they overlap both stay visible)."""
    won, lost = _win_loss(closed, ratio_col)
    fig = _figure(title, height=height)
    finite = values[np.isfinite(values.to_numpy(dtype="float64"))]
    xbins: dict[str, float] = {}
    if len(finite):
        lo, hi = float(finite.min()), float(finite.max())
        size = (hi - lo) / bins if hi > lo else 1.0
        xbins = {"start": lo, "end": hi + size, "size": size}
    for name, sel, role in (("Winners", won, "trade_win"), ("Losers", lost, "trade_loss")):
        fig.add_trace(
            go.Histogram(
                x=values[sel],
                name=name,
                xbins=xbins or None,
                marker_color=defaults.color(role),
                marker_line={"width": 0.5, "color": "white"},
                hovertemplate=f"{name}: %{{y:d}} trades<br>{x_title} %{{x}}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group", bargap=0.08, bargroupgap=0.0)
    edges = (
        np.arange(xbins["start"], xbins["end"] + xbins["size"] / 2, xbins["size"])
        if xbins
        else bins
    )
    counts = [np.histogram(values[sel], bins=edges)[0] for sel in (won, lost) if sel.any()]
    top = max((int(c.max()) for c in counts), default=1)
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text="Trades", **_integer_axis(np.asarray([top * 1.0])))
    return fig


def profit_distribution_chart(
    trades: pd.DataFrame,
    *,
    ratio_col: str = "profit_ratio",
    bins: int = 40,
    title: str = "Profit distribution (closed trades)",
    height: int | None = None,
) -> Any:
    """Histogram of closed trades' profit in percent, winners and losers coloured."""
    _need(trades, [ratio_col])
    closed = _closed(trades, "close_date") if "close_date" in trades.columns else trades
    pct = closed[ratio_col].astype("float64") * 100
    return _win_loss_histogram(pct, closed, ratio_col, bins, title, height, "Profit (%)")


def duration_distribution_chart(
    trades: pd.DataFrame,
    *,
    duration_col: str = "trade_duration",
    ratio_col: str = "profit_ratio",
    bins: int = 40,
    title: str = "Trade duration (closed trades)",
    height: int | None = None,
) -> Any:
    """Histogram of closed trades' duration in hours, winners and losers coloured.

    ``duration_col`` may be a timedelta column or minutes (freqtrade's raw
    ``trade_duration``); without it the duration is ``close_date - open_date``.
    """
    _need(trades, [ratio_col])
    closed = _closed(trades, "close_date") if "close_date" in trades.columns else trades
    if duration_col in closed.columns:
        col = closed[duration_col]
        if pd.api.types.is_timedelta64_dtype(col):
            hours = col.dt.total_seconds() / 3600
        else:
            hours = col.astype("float64") / 60
    else:
        _need(closed, ["open_date", "close_date"])
        delta = pd.to_datetime(closed["close_date"], utc=True) - pd.to_datetime(
            closed["open_date"], utc=True
        )
        hours = delta.dt.total_seconds() / 3600
    return _win_loss_histogram(hours, closed, ratio_col, bins, title, height, "Duration (hours)")


def wallet_chart(
    balance: pd.DataFrame,
    *,
    value_col: str = "total_quote",
    title: str = "Wallet value",
    height: int | None = None,
    stake_currency: str | None = None,
) -> Any:
    """The wallet value over time from a ``/historic_balance`` frame.

    One snapshot (a fresh bot) is drawn as a labelled point on a day-wide axis, so it
    reads as a value, not a dot on a 1 ms axis.
    """
    _need(balance, [value_col], "balance")
    x = balance.index if isinstance(balance.index, pd.DatetimeIndex) else balance["date"]
    currency = _currency(balance, stake_currency)
    unit = f" {currency}" if currency else ""
    values = balance[value_col].astype("float64")
    fig = _figure(title, height=height)
    one = len(values) == 1
    fig.add_trace(
        go.Scatter(
            x=x,
            y=values,
            mode="lines+markers+text" if one else "lines+markers",
            text=[f"{values.iloc[0]:,.2f}{unit}"] if one else None,
            textposition="top center",
            name=_unit("Wallet value", currency),
            hovertemplate=f"%{{x|%Y-%m-%d %H:%M}} UTC<br>%{{y:,.2f}}{unit}<extra></extra>",
            line={"color": defaults.color("profit")},
            marker={"size": 10 if one else 6},
        )
    )
    fig.update_yaxes(title_text=_unit("Wallet value", currency), tickformat=",.2~f")
    if one:
        when = pd.Timestamp(pd.DatetimeIndex(pd.to_datetime(x, utc=True))[0])
        value = float(values.iloc[0])
        pad = max(abs(value) * 0.01, 1.0)
        fig.update_xaxes(range=[when - pd.Timedelta(hours=12), when + pd.Timedelta(hours=12)])
        fig.update_yaxes(range=[value - pad, value + pad])
    return fig
