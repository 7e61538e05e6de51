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


def _figure(title: str, *, height: int | None, rows: int = 1, **kwargs: Any) -> Any:
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, **kwargs) if rows > 1 else go.Figure()
    fig.update_layout(
        **defaults.layout(height=height or max(380, defaults.height // 2 * rows // 1)),
        title=title,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 60, "r": 20, "t": 80, "b": 40},
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
) -> Any:
    """Cumulative closed profit, the open profit now, and the max-drawdown span.

    The closed profit is a step line over ``date_col``. With ``include_open`` the open
    trades' ``value_col`` (their unrealised profit, as ``/status`` reports it) is added
    as a last dashed segment at ``now`` (default: the current time). The max drawdown
    (freqtrade's formula, relative to ``starting_balance`` when given) is shaded from its
    high to its low and named with its size.
    """
    dd, mdd = _drawdown(trades, date_col, value_col, starting_balance)
    fig = _figure(title, height=height)
    fig.add_trace(
        go.Scatter(
            x=dd["date"],
            y=dd["cumulative"],
            mode="lines",
            line_shape="hv",
            name="Closed profit",
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
                mode="lines+markers",
                name=f"With open profit ({open_abs:+.2f})",
                line={"color": defaults.color("open_profit"), "dash": "dash"},
            )
        )
    if mdd.abs > 0:
        label = f"Max drawdown {mdd.abs:.2f}"
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
    fig.update_yaxes(title_text=value_col)
    return fig


def underwater_chart(
    trades: pd.DataFrame,
    *,
    starting_balance: float = 0.0,
    date_col: str = "close_date",
    value_col: str = "profit_abs",
    title: str = "Underwater (drawdown from the running high)",
    height: int | None = None,
) -> Any:
    """Drawdown below the running high after each closed trade: absolute, then relative."""
    dd, _ = _drawdown(trades, date_col, value_col, starting_balance)
    fig = _figure(title, height=height, rows=2, vertical_spacing=0.06)
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
    fig.update_yaxes(title_text=value_col, row=1, col=1)
    fig.update_yaxes(title_text="relative", tickformat=".2%", row=2, col=1)
    return fig


def period_profit_chart(
    periods: pd.DataFrame,
    *,
    profit_col: str = "abs_profit",
    count_col: str = "trade_count",
    title: str | None = None,
    height: int | None = None,
) -> Any:
    """Profit per period as green/red bars with the trade count as a line (right axis).

    ``periods`` is a ``/daily``, ``/weekly`` or ``/monthly`` frame (DatetimeIndex).
    """
    _need(periods, [profit_col, count_col], "periods")
    x = periods.index if isinstance(periods.index, pd.DatetimeIndex) else periods["date"]
    profit = periods[profit_col].astype("float64")
    colors = np.where(profit >= 0, defaults.color("trade_win"), defaults.color("trade_loss"))
    fig = _figure(title or f"Profit per period ({profit_col})", height=height)
    fig.add_trace(go.Bar(x=x, y=profit, name=profit_col, marker_color=colors.tolist()))
    fig.add_trace(
        go.Scatter(
            x=x,
            y=periods[count_col],
            name=count_col,
            mode="lines+markers",
            yaxis="y2",
            line={"color": defaults.color("trade_count")},
        )
    )
    fig.update_layout(
        yaxis={"title": {"text": profit_col}},
        yaxis2={
            "title": {"text": count_col},
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
        },
    )
    return fig


def pair_profit_chart(
    trades: pd.DataFrame,
    *,
    date_col: str = "close_date",
    value_col: str = "profit_abs",
    pair_col: str = "pair",
    title: str = "Cumulative profit per pair",
    height: int | None = None,
) -> Any:
    """One cumulative-profit step line per pair, over the closed trades."""
    _need(trades, [date_col, value_col, pair_col])
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
    fig.update_yaxes(title_text=value_col)
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
            line={"color": defaults.color("parallel"), "shape": "hv"},
        )
    )
    fig.update_yaxes(title_text="open trades", rangemode="tozero")
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
    """Overlaid histograms of ``values`` for winning and losing trades."""
    won, lost = _win_loss(closed, ratio_col)
    fig = _figure(title, height=height)
    for name, sel, role in (("Winners", won, "trade_win"), ("Losers", lost, "trade_loss")):
        fig.add_trace(
            go.Histogram(x=values[sel], name=name, nbinsx=bins, marker_color=defaults.color(role))
        )
    fig.update_layout(barmode="overlay", bargap=0.05)
    fig.update_traces(opacity=0.75)
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text="trades")
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
    return _win_loss_histogram(pct, closed, ratio_col, bins, title, height, "profit %")


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
    return _win_loss_histogram(hours, closed, ratio_col, bins, title, height, "hours open")


def wallet_chart(
    balance: pd.DataFrame,
    *,
    value_col: str = "total_quote",
    title: str = "Wallet value",
    height: int | None = None,
) -> Any:
    """The wallet value over time from a ``/historic_balance`` frame."""
    _need(balance, [value_col], "balance")
    x = balance.index if isinstance(balance.index, pd.DatetimeIndex) else balance["date"]
    fig = _figure(title, height=height)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=balance[value_col].astype("float64"),
            mode="lines+markers",
            name=value_col,
            line={"color": defaults.color("profit")},
        )
    )
    fig.update_yaxes(title_text=value_col)
    return fig
