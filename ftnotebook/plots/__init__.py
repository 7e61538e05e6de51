"""Plotly charts of a bot's candles and profits; every function returns a figure.

* :mod:`~ftnotebook.plots.candles`: :func:`candle_chart` (candles, volume, the strategy's
  plot_config, signals, trades, annotations), :func:`candle_widget` (full detail on zoom)
  and the builders it is made of.
* :mod:`~ftnotebook.plots.profit`: cumulative profit with the max drawdown, underwater,
  period bars, per pair, parallelism, profit and duration distributions, wallet.
* :mod:`~ftnotebook.plots.fleet`: equity, profit and drawdown per bot of a fleet (a row
  per stake currency, or all in a reporting currency with rates).
* :mod:`~ftnotebook.plots.backtest`: :func:`compare_backtests` (N backtest runs: equity and
  underwater overlaid, profit per pair side by side, with the comparison tables).
* :mod:`~ftnotebook.plots.reconcile`: :func:`reconciliation_chart` (backtest vs live).
* :data:`defaults`: the house style (template, height, colours), set once.
"""

from __future__ import annotations

from ftnotebook.plots._style import DEFAULT_COLORS, PlotDefaults, defaults
from ftnotebook.plots.backtest import (
    BacktestComparison,
    compare_backtests,
    equity_chart,
    pair_comparison_chart,
    underwater_overlay_chart,
)
from ftnotebook.plots.candles import (
    SIGNAL_STYLES,
    TRACE_TYPES,
    add_annotations,
    add_candles,
    add_fills,
    add_indicators,
    add_signals,
    add_trades,
    add_volume,
    candle_chart,
    candle_chart_from_bot,
    candle_widget,
    heikin_ashi,
    validate_plot_config,
)
from ftnotebook.plots.fleet import (
    fleet_drawdown_chart,
    fleet_equity_chart,
    fleet_profit_chart,
)
from ftnotebook.plots.profit import (
    cumulative_profit_chart,
    duration_distribution_chart,
    pair_profit_chart,
    parallelism_chart,
    parallelism_series,
    period_profit_chart,
    profit_distribution_chart,
    underwater_chart,
    wallet_chart,
)
from ftnotebook.plots.reconcile import reconciliation_chart

__all__ = [
    "DEFAULT_COLORS",
    "SIGNAL_STYLES",
    "TRACE_TYPES",
    "BacktestComparison",
    "PlotDefaults",
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
    "compare_backtests",
    "cumulative_profit_chart",
    "defaults",
    "duration_distribution_chart",
    "equity_chart",
    "fleet_drawdown_chart",
    "fleet_equity_chart",
    "fleet_profit_chart",
    "heikin_ashi",
    "pair_comparison_chart",
    "pair_profit_chart",
    "parallelism_chart",
    "parallelism_series",
    "period_profit_chart",
    "profit_distribution_chart",
    "reconciliation_chart",
    "underwater_chart",
    "underwater_overlay_chart",
    "validate_plot_config",
    "wallet_chart",
]
