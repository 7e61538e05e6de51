"""Charts comparing N backtest results, and :func:`compare_backtests`, which returns
them with the comparison tables in one object.

Figures take :class:`~ftnotebook.backtest.BacktestResult` objects (already fetched),
never a client.

* :func:`equity_chart`: each run's balance over time, overlaid (the bot's wallet
  history where every run has one, else starting balance + cumulative closed profit);
* :func:`underwater_overlay_chart`: each run's relative drawdown from its running high;
* :func:`pair_comparison_chart`: profit per pair, one bar per run, side by side.

>>> cmp = compare_backtests([a, b, c])       # a is the baseline
>>> cmp.metrics                              # one column per run, then deltas vs a
>>> cmp.settings                             # only the settings that differ
>>> cmp.equity.show(); cmp.underwater.show(); cmp.pairs_chart.show()
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ftnotebook import metrics
from ftnotebook.backtest import (
    BacktestResult,
    compare_metrics,
    compare_pairs,
    compare_settings,
    run_labels,
)
from ftnotebook.plots._style import defaults

__all__ = [
    "BacktestComparison",
    "compare_backtests",
    "equity_chart",
    "pair_comparison_chart",
    "underwater_overlay_chart",
]


def _figure(title: str, height: int | None, ytitle: str) -> Any:
    fig = go.Figure()
    fig.update_layout(
        **defaults.layout(height=height or max(380, defaults.height // 2)),
        title=title,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 60, "r": 20, "t": 80, "b": 40},
    )
    fig.update_yaxes(title_text=ytitle)
    return fig


def _labels(results: Sequence[BacktestResult], labels: Sequence[str] | None) -> list[str]:
    names = list(labels) if labels is not None else run_labels(results)
    if len(names) != len(results):
        raise ValueError(f"labels must name each of the {len(results)} results, got {names!r}")
    return names


def _equity(result: BacktestResult, wallet: bool) -> pd.Series:
    if wallet and result.wallet is not None and len(result.wallet):
        return result.wallet["total_quote"]
    trades = metrics.closed(result.trades)
    start = pd.Series([result.starting_balance], index=pd.DatetimeIndex([result.start]))
    if trades.empty:
        return start
    values = result.starting_balance + trades["profit_abs"].cumsum().to_numpy()
    return pd.concat([start, pd.Series(values, index=pd.DatetimeIndex(trades["close_date"]))])


def equity_chart(
    results: Sequence[BacktestResult],
    *,
    labels: Sequence[str] | None = None,
    wallet: bool = True,
    title: str = "Equity",
    height: int | None = None,
) -> Any:
    """Each run's balance over time, one line per run.

    With ``wallet=True`` and a wallet on every result, the bot's wallet history
    (open trades valued at each candle) is drawn; otherwise the starting balance plus
    the cumulative closed profit, a step line at each close.
    """
    names = _labels(results, labels)
    use_wallet = wallet and all(r.wallet is not None and len(r.wallet) for r in results)
    fig = _figure(title, height, f"balance ({results[0].stats.get('stake_currency', '')})")
    for name, result in zip(names, results, strict=True):
        series = _equity(result, use_wallet)
        fig.add_trace(
            go.Scatter(
                x=series.index,
                y=series.to_numpy(dtype="float64"),
                mode="lines",
                line_shape="linear" if use_wallet else "hv",
                name=name,
            )
        )
    fig.layout.meta = {"source": "wallet" if use_wallet else "closed profit"}
    return fig


def underwater_overlay_chart(
    results: Sequence[BacktestResult],
    *,
    labels: Sequence[str] | None = None,
    title: str = "Underwater (drawdown from the running high)",
    height: int | None = None,
) -> Any:
    """Each run's relative drawdown after each closed trade (freqtrade's formula)."""
    names = _labels(results, labels)
    fig = _figure(title, height, "drawdown")
    for name, result in zip(names, results, strict=True):
        trades = metrics.closed(result.trades)
        if trades.empty:
            continue
        dd = metrics.underwater(trades, starting_balance=result.starting_balance)
        fig.add_trace(
            go.Scatter(
                x=dd["date"],
                y=-dd["drawdown_relative"].to_numpy(dtype="float64"),
                mode="lines",
                line_shape="hv",
                name=name,
            )
        )
    fig.update_yaxes(tickformat=".2%")
    return fig


def pair_comparison_chart(
    results: Sequence[BacktestResult],
    *,
    labels: Sequence[str] | None = None,
    value: str = "profit_total_abs",
    title: str = "Profit per pair",
    height: int | None = None,
) -> Any:
    """``value`` of each pair (from each run's pairs table), one bar per run, grouped."""
    names = _labels(results, labels)
    table = compare_pairs(results, value=value, labels=names)
    fig = _figure(title, height, value)
    for name in names:
        fig.add_trace(
            go.Bar(x=list(table.index), y=table[name].to_numpy(dtype="float64"), name=name)
        )
    fig.update_layout(barmode="group")
    return fig


@dataclass(frozen=True)
class BacktestComparison:
    """N runs compared: the tables (``metrics``, ``settings``, ``pairs``) and figures."""

    labels: list[str]
    metrics: pd.DataFrame
    settings: pd.DataFrame
    pairs: pd.DataFrame
    equity: Any
    underwater: Any
    pairs_chart: Any

    def _repr_html_(self) -> str:
        head = html.escape(f"{len(self.labels)} runs, baseline {self.labels[0]!r}")
        return (
            f"<b>Backtest comparison</b>: {head}"
            f"<h4>Metrics</h4>{self.metrics.to_html()}"
            f"<h4>Settings that differ</h4>{self.settings.to_html()}"
            "<p>Figures: <code>.equity</code>, <code>.underwater</code>, "
            "<code>.pairs_chart</code></p>"
        )


def compare_backtests(
    results: Sequence[BacktestResult],
    *,
    baseline: int = 0,
    labels: Sequence[str] | None = None,
    height: int | None = None,
) -> BacktestComparison:
    """Everything comparing ``results``: tables and figures, labels shared by all.

    ``baseline`` is the index of the run the deltas are taken against (its label
    comes first in every legend, as it comes first in ``results``).
    """
    names = _labels(results, labels)
    return BacktestComparison(
        labels=names,
        metrics=compare_metrics(results, baseline=baseline, labels=names),
        settings=compare_settings(results, labels=names),
        pairs=compare_pairs(results, labels=names),
        equity=equity_chart(results, labels=names, height=height),
        underwater=underwater_overlay_chart(results, labels=names, height=height),
        pairs_chart=pair_comparison_chart(results, labels=names, height=height),
    )
