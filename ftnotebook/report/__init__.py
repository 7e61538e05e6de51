"""Tear sheet (placeholder)."""

from ftnotebook.report._analysis import Analysis
from ftnotebook.report._kpis import KPIS, Kpi, compute_kpis, kpi_table
from ftnotebook.report._tradeset import TradeSet, benchmark_index, market_change
