"""A tear sheet for any bot or backtest: freqtrade-exact KPIs, the QuantStats set over
daily returns (365-day year), a buy-and-hold benchmark, Monte Carlo, one-file HTML.

The figures layer: it takes a :class:`TradeSet` (trades + starting balance + stake
currency + span + label + optional market), never a client; :meth:`TradeSet.from_bot`
(a classmethod taking a client) and :meth:`TradeSet.from_backtest` assemble one.

>>> from ftnotebook.report import TearSheet, TradeSet
>>> sheet = TearSheet(client)                       # or TearSheet(trades, starting_balance=1000)
>>> sheet.kpis[["profit_total", "cagr", "sharpe", "max_drawdown", "volatility", "alpha"]]
>>> sheet                                            # the whole report in the cell
>>> sheet.to_html("tearsheet.html")                  # one file, opens offline
"""

from __future__ import annotations

from ftnotebook.report._analysis import PERIODS, Analysis
from ftnotebook.report._figures import (
    distribution_chart,
    equity_chart,
    monte_carlo_chart,
    monthly_returns_chart,
    rolling_chart,
    rolling_stats,
    underwater_chart,
)
from ftnotebook.report._kpis import KPIS, Kpi, compute_kpis, kpi_table
from ftnotebook.report._montecarlo import MonteCarlo, monte_carlo, trade_blocks
from ftnotebook.report._sheet import TearSheet, as_trade_set, tear_sheet
from ftnotebook.report._tradeset import TradeSet, benchmark_index, market_change

__all__ = [
    "KPIS",
    "PERIODS",
    "Analysis",
    "Kpi",
    "MonteCarlo",
    "TearSheet",
    "TradeSet",
    "as_trade_set",
    "benchmark_index",
    "compute_kpis",
    "distribution_chart",
    "equity_chart",
    "kpi_table",
    "market_change",
    "monte_carlo",
    "monte_carlo_chart",
    "monthly_returns_chart",
    "rolling_chart",
    "rolling_stats",
    "tear_sheet",
    "trade_blocks",
    "underwater_chart",
]
