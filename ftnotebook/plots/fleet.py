"""Fleet charts: one trace per bot, never adding money across stake currencies.

Each takes the frames :class:`~ftnotebook.fleet.Fleet` builds (a ``bot`` column and a
``stake_currency`` column) and returns a figure:

* :func:`fleet_equity_chart`: cumulative closed profit per bot over time;
* :func:`fleet_profit_chart`: total profit per bot (bars);
* :func:`fleet_drawdown_chart`: drawdown from each bot's running high.

Without ``rates`` each stake currency gets its own y axis (a subplot row, titled with
its unit), so a BTC bot is never drawn on a USDT scale. With ``rates`` (a
:class:`~ftnotebook.fleet.Rates`, or ``{"BTC": 90_000.0}`` plus ``reporting="USDT"``)
every bot is converted into the reporting currency and shares one axis; the rates used
are written under the title.

Example::

    trades = fleet.trades()
    fleet_equity_chart(trades).show()                          # a row per currency
    fleet_equity_chart(trades, rates=fleet.rates("USDT")).show()  # all in USDT
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ftnotebook.plots._style import defaults

__all__ = ["fleet_drawdown_chart", "fleet_equity_chart", "fleet_profit_chart"]

_PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)


_FIAT_LIKE = ("", "USDT", "USDC", "USD", "EUR", "BUSD", "FDUSD", "TUSD", "DAI")


class RatesLike(Protocol):
    """What the charts need of :class:`~ftnotebook.fleet.Rates`."""

    @property
    def reporting(self) -> str: ...

    def rate(self, currency: str) -> float: ...


class _DictRates:
    def __init__(self, reporting: str, values: Mapping[str, float]) -> None:
        self._reporting = reporting
        self.values = dict(values)

    @property
    def reporting(self) -> str:
        return self._reporting

    def rate(self, currency: str) -> float:
        if currency == self.reporting:
            return 1.0
        if currency not in self.values:
            raise ValueError(
                f"rates has no rate for {currency} into {self.reporting}; "
                f"it has {sorted(self.values)}"
            )
        return float(self.values[currency])


def _rates(
    rates: RatesLike | Mapping[str, float] | None, reporting: str | None
) -> RatesLike | None:
    if rates is None:
        if reporting is not None:
            raise ValueError("reporting= needs rates= (a Rates or a {currency: rate} dict)")
        return None
    if isinstance(rates, Mapping):
        if not reporting:
            raise ValueError("rates given as a dict need reporting= (e.g. reporting='USDT')")
        return _DictRates(reporting, rates)
    if not hasattr(rates, "rate") or not hasattr(rates, "reporting"):
        raise ValueError(f"rates must be a Rates or a dict, got {type(rates).__name__}")
    return rates


def _need(df: object, columns: list[str], arg: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{arg} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{arg} lacks the column(s) {missing}; it has {list(df.columns)[:25]}")
    return df


def _bots(df: pd.DataFrame, bot_col: str) -> list[str]:
    col = df[bot_col]
    if isinstance(col.dtype, pd.CategoricalDtype):
        return [str(b) for b in col.cat.categories if (col == b).any()]
    return [str(b) for b in dict.fromkeys(col.tolist())]


def _colours(bots: list[str]) -> dict[str, str]:
    return {b: _PALETTE[i % len(_PALETTE)] for i, b in enumerate(bots)}


def _layout(
    df: pd.DataFrame,
    *,
    title: str,
    quantity: str,
    rates: RatesLike | None,
    bot_col: str,
    currency_col: str,
    height: int | None,
) -> tuple[go.Figure, dict[str, int], dict[str, str]]:
    """The figure, the row per bot, and each bot's currency (reporting when converted)."""
    bots = _bots(df, bot_col)
    own = {b: str(df.loc[df[bot_col] == b, currency_col].iloc[0]) for b in bots}
    if rates is not None:
        currencies = [rates.reporting]
        for currency in set(own.values()):
            rates.rate(currency)  # fail early, naming the missing rate
    else:
        currencies = sorted(set(own.values())) or [""]
    rows = len(currencies)
    fig = (
        make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.08)
        if rows > 1
        else go.Figure()
    )
    subtitle = ""
    if rates is not None:
        used = [
            f"1 {c} = {rates.rate(c):,.6g} {rates.reporting}"
            for c in sorted(set(own.values()))
            if c != rates.reporting
        ]
        subtitle = (
            f"<br><sup>all in {rates.reporting}"
            + (f" at {', '.join(used)}" if used else "")
            + "</sup>"
        )
    fig.update_layout(
        **defaults.layout(height=height or max(420, 320 * rows)),
        title=title + subtitle,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 70, "r": 20, "t": 90, "b": 40},
    )
    for i, currency in enumerate(currencies, start=1):
        label = f"{quantity} ({currency})" if currency else quantity
        axis: dict[str, Any] = {"title_text": label}
        if currency not in _FIAT_LIKE:  # no SI prefixes (µ) on crypto amounts
            axis |= {"tickformat": ",.6~f"}
        fig.update_yaxes(**axis, row=i if rows > 1 else None, col=1 if rows > 1 else None)
    row_of = {b: currencies.index(rates.reporting if rates else own[b]) + 1 for b in bots}
    unit = {b: rates.reporting if rates else own[b] for b in bots}
    return fig, row_of, unit


def _add(fig: go.Figure, trace: Any, row: int, rows: int) -> None:
    if rows > 1:
        fig.add_trace(trace, row=row, col=1)
    else:
        fig.add_trace(trace)


def _cumulative(
    trades: pd.DataFrame, bot: str, *, bot_col: str, date_col: str, value_col: str, factor: float
) -> pd.DataFrame:
    mine = trades[(trades[bot_col] == bot) & trades[date_col].notna()]
    if "is_open" in mine.columns:
        mine = mine[~mine["is_open"].fillna(False).astype(bool)]
    mine = mine.sort_values(date_col, kind="stable")
    values = mine[value_col].astype(float) * factor
    return pd.DataFrame(
        {"date": pd.to_datetime(mine[date_col], utc=True), "cum": values.cumsum().to_numpy()}
    )


def fleet_equity_chart(
    trades: pd.DataFrame,
    *,
    rates: RatesLike | Mapping[str, float] | None = None,
    reporting: str | None = None,
    bot_col: str = "bot",
    currency_col: str = "stake_currency",
    date_col: str = "close_date",
    value_col: str = "profit_abs",
    title: str = "Cumulative profit per bot",
    height: int | None = None,
) -> go.Figure:
    """Cumulative closed profit per bot over time, one line per bot.

    Raises:
        ValueError: a missing column, or rates that lack one of the bots' currencies.
    """
    _need(trades, [bot_col, currency_col, date_col, value_col], "trades")
    conv = _rates(rates, reporting)
    fig, row_of, unit = _layout(
        trades,
        title=title,
        quantity="cumulative profit",
        rates=conv,
        bot_col=bot_col,
        currency_col=currency_col,
        height=height,
    )
    rows = max(row_of.values(), default=1)
    colours = _colours(list(row_of))
    for bot, row in row_of.items():
        own = str(trades.loc[trades[bot_col] == bot, currency_col].iloc[0])
        factor = conv.rate(own) if conv else 1.0
        cum = _cumulative(
            trades, bot, bot_col=bot_col, date_col=date_col, value_col=value_col, factor=factor
        )
        trace = go.Scatter(
            x=cum["date"],
            y=cum["cum"],
            mode="lines",
            name=bot,
            line={"color": colours[bot], "shape": "hv"},
            hovertemplate=f"{bot}<br>%{{x}}<br>%{{y:,.8g}} {unit[bot]}<extra></extra>",
        )
        _add(fig, trace, row, rows)
    fig.update_xaxes(
        title_text="close date (UTC)", row=rows if rows > 1 else None, col=1 if rows > 1 else None
    )
    return fig


def fleet_drawdown_chart(
    trades: pd.DataFrame,
    *,
    rates: RatesLike | Mapping[str, float] | None = None,
    reporting: str | None = None,
    bot_col: str = "bot",
    currency_col: str = "stake_currency",
    date_col: str = "close_date",
    value_col: str = "profit_abs",
    title: str = "Drawdown per bot (from its running high of cumulative profit)",
    height: int | None = None,
) -> go.Figure:
    """Each bot's drawdown: cumulative closed profit minus its running high (<= 0).

    The running high starts at 0 (no profit yet), as freqtrade's ``calculate_underwater``
    does with no starting balance.
    """
    _need(trades, [bot_col, currency_col, date_col, value_col], "trades")
    conv = _rates(rates, reporting)
    fig, row_of, unit = _layout(
        trades,
        title=title,
        quantity="drawdown",
        rates=conv,
        bot_col=bot_col,
        currency_col=currency_col,
        height=height,
    )
    rows = max(row_of.values(), default=1)
    colours = _colours(list(row_of))
    for bot, row in row_of.items():
        own = str(trades.loc[trades[bot_col] == bot, currency_col].iloc[0])
        factor = conv.rate(own) if conv else 1.0
        cum = _cumulative(
            trades, bot, bot_col=bot_col, date_col=date_col, value_col=value_col, factor=factor
        )
        high = cum["cum"].cummax().clip(lower=0.0)
        trace = go.Scatter(
            x=cum["date"],
            y=cum["cum"] - high,
            mode="lines",
            name=bot,
            fill="tozeroy",
            line={"color": colours[bot], "shape": "hv"},
            hovertemplate=f"{bot}<br>%{{x}}<br>%{{y:,.8g}} {unit[bot]}<extra></extra>",
        )
        _add(fig, trace, row, rows)
    fig.update_xaxes(
        title_text="close date (UTC)", row=rows if rows > 1 else None, col=1 if rows > 1 else None
    )
    return fig


def fleet_profit_chart(
    profit: pd.DataFrame,
    *,
    rates: RatesLike | Mapping[str, float] | None = None,
    reporting: str | None = None,
    column: str = "profit_all_coin",
    bot_col: str = "bot",
    currency_col: str = "stake_currency",
    title: str = "Profit per bot",
    height: int | None = None,
) -> go.Figure:
    """One bar per bot (``column`` of :meth:`Fleet.profit`, closed + open by default)."""
    _need(profit, [bot_col, currency_col, column], "profit")
    conv = _rates(rates, reporting)
    fig, row_of, unit = _layout(
        profit,
        title=title,
        quantity="profit",
        rates=conv,
        bot_col=bot_col,
        currency_col=currency_col,
        height=height,
    )
    rows = max(row_of.values(), default=1)
    colours = _colours(list(row_of))
    for bot, row in row_of.items():
        mine = profit[profit[bot_col] == bot].iloc[0]
        factor = conv.rate(str(mine[currency_col])) if conv else 1.0
        value = float(mine[column]) * factor
        trace = go.Bar(
            x=[bot],
            y=[value],
            name=bot,
            marker_color=colours[bot],
            text=[f"{value:,.8g} {unit[bot]}"],
            textposition="outside",
            hovertemplate=f"{bot}<br>%{{y:,.8g}} {unit[bot]}<extra></extra>",
        )
        _add(fig, trace, row, rows)
    fig.update_layout(showlegend=False)
    return fig
