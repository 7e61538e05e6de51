"""Tables comparing N backtest results: metrics with deltas, differing settings, pairs.

The charts over the same results are :func:`ftnotebook.plots.compare_backtests`.

>>> compare_metrics([a, b, c])              # one column per run, then "<run> Δ" vs a
>>> compare_settings([a, b, c])             # only the settings that differ
>>> compare_pairs([a, b, c])                # profit per pair, one column per run
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ftnotebook.backtest._result import SETTINGS, BacktestResult
from ftnotebook.frames import concat_trades

__all__ = [
    "METRICS",
    "compare_metrics",
    "compare_pairs",
    "compare_settings",
    "run_labels",
    "trades_of",
]

METRICS = (
    "total_trades",
    "trades_per_day",
    "profit_total_abs",
    "profit_total",
    "cagr",
    "final_balance",
    "max_drawdown_abs",
    "max_drawdown_account",
    "winrate",
    "profit_factor",
    "expectancy",
    "expectancy_ratio",
    "sharpe",
    "sortino",
    "calmar",
    "sqn",
    "holding_avg",
    "max_consecutive_losses",
    "market_change",
)
"""The rows of :func:`compare_metrics`, in order (names from ``BacktestResult.summary``)."""


def _check(results: Sequence[BacktestResult]) -> list[BacktestResult]:
    if isinstance(results, BacktestResult) or not isinstance(results, Sequence):
        raise ValueError("results must be a list of BacktestResult")
    out = list(results)
    if not out:
        raise ValueError("results is empty: compare needs at least one BacktestResult")
    for r in out:
        if not isinstance(r, BacktestResult):
            raise ValueError(f"results must hold BacktestResult objects, got {type(r).__name__}")
    return out


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _differing(results: Sequence[BacktestResult]) -> list[str]:
    return [name for name in SETTINGS if len({_key(r.settings.get(name)) for r in results}) > 1]


def run_labels(results: Sequence[BacktestResult]) -> list[str]:
    """One unique, readable label per result: the strategy, plus what differs.

    >>> run_labels([a, b])
    ['FtnbDemo stake_amount=100', 'FtnbDemo stake_amount=50']
    """
    results = _check(results)
    labels = [r.strategy for r in results]
    if len(set(labels)) < len(labels):
        differ = [k for k in _differing(results) if k != "strategy_name"]
        labels = [
            " ".join([r.strategy, *(f"{k}={r.settings.get(k)}" for k in differ[:2])])
            for r in results
        ]
    if len(set(labels)) < len(labels):
        labels = [f"{label} #{i + 1}" for i, label in enumerate(labels)]
    return labels


def compare_metrics(
    results: Sequence[BacktestResult],
    *,
    baseline: int = 0,
    labels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The key figures of each run side by side, and each run's delta to ``baseline``.

    Rows are :data:`METRICS`; columns are one per run (``labels``, default
    :func:`run_labels`), then ``"<label> Δ"`` (run minus baseline) for every other run.
    Values are objects (floats, ints and a Timedelta for ``holding_avg``).
    """
    results = _check(results)
    names = list(labels) if labels is not None else run_labels(results)
    if len(names) != len(results) or len(set(names)) != len(names):
        raise ValueError(f"labels must be {len(results)} unique names, got {names!r}")
    if not isinstance(baseline, int) or not 0 <= baseline < len(results):
        raise ValueError(
            f"baseline must be an index from 0 to {len(results) - 1}, got {baseline!r}"
        )
    table = pd.DataFrame(
        {name: [r.summary.get(m) for m in METRICS] for name, r in zip(names, results, strict=True)},
        index=pd.Index(METRICS, name="metric"),
        dtype=object,
    )
    base = table[names[baseline]]
    for i, name in enumerate(names):
        if i != baseline:
            table[f"{name} Δ"] = [_delta(v, b) for v, b in zip(table[name], base, strict=True)]
    table.attrs["baseline"] = names[baseline]
    return table


def _delta(value: Any, base: Any) -> Any:
    try:
        return value - base
    except TypeError:
        return None


def compare_settings(
    results: Sequence[BacktestResult], *, labels: Sequence[str] | None = None
) -> pd.DataFrame:
    """The settings that differ between the runs (rows), one column per run."""
    results = _check(results)
    names = list(labels) if labels is not None else run_labels(results)
    differ = _differing(results)
    return pd.DataFrame(
        {name: [r.settings.get(k) for k in differ] for name, r in zip(names, results, strict=True)},
        index=pd.Index(differ, name="setting"),
        dtype=object,
    )


def compare_pairs(
    results: Sequence[BacktestResult],
    *,
    value: str = "profit_total_abs",
    labels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per pair, one column per run: ``value`` from each run's pairs table."""
    results = _check(results)
    names = list(labels) if labels is not None else run_labels(results)
    columns = {}
    for name, r in zip(names, results, strict=True):
        if value not in r.pairs.columns:
            raise ValueError(f"value must be a column of result.pairs, got {value!r}")
        columns[name] = pd.Series(
            r.pairs[value].to_numpy(), index=r.pairs["pair"].astype(str).to_numpy()
        )
    table = pd.DataFrame(columns)
    table.index.name = "pair"
    return table


def trades_of(
    results: Sequence[BacktestResult], *, labels: Sequence[str] | None = None
) -> pd.DataFrame:
    """The trades of every run in one frame, with a categorical ``run`` column first.

    The frame keeps the ``backtest_trades`` dtypes (categories merged), so a groupby or a
    chart coloured by ``run`` works at once.

    >>> trades_of([a, b]).groupby("run", observed=True)["profit_abs"].sum()
    """
    results = _check(results)
    names = list(labels) if labels is not None else run_labels(results)
    if len(names) != len(results) or len(set(names)) != len(names):
        raise ValueError(f"labels must be {len(results)} unique names, got {names!r}")
    return concat_trades(dict(zip(names, (r.trades for r in results), strict=True)), key="run")
