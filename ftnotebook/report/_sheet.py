"""The tear sheet object: KPIs, figures, a notebook repr and a one-file HTML export."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from ftnotebook.report import _figures as figs
from ftnotebook.report._analysis import Analysis
from ftnotebook.report._html import page, report_body
from ftnotebook.report._kpis import KPIS, compute_kpis, kpi_table
from ftnotebook.report._montecarlo import MonteCarlo, monte_carlo
from ftnotebook.report._tradeset import TradeSet

__all__ = ["TearSheet", "tear_sheet"]


def _is_client(source: Any) -> bool:
    return callable(getattr(source, "show_config", None)) and callable(
        getattr(source, "balance", None)
    )


def as_trade_set(source: Any, **kwargs: Any) -> TradeSet:
    """A :class:`TradeSet` from any of the tear sheet's sources (see :func:`tear_sheet`)."""
    if isinstance(source, TradeSet):
        if kwargs:
            raise ValueError(f"a TradeSet takes no other arguments; got {sorted(kwargs)}")
        return source
    if isinstance(source, pd.DataFrame):
        if "starting_balance" not in kwargs:
            raise ValueError(
                "a trades frame needs starting_balance=, e.g. "
                "tear_sheet(trades, starting_balance=1000, stake_currency='USDT')"
            )
        return TradeSet.from_frame(source, **kwargs)
    if _is_client(source):
        return TradeSet.from_bot(source, **kwargs)
    if isinstance(source, Mapping) or hasattr(source, "trades"):
        return TradeSet.from_backtest(source, **kwargs)
    raise ValueError(
        "source must be a TradeSet, a trades DataFrame (with starting_balance=), an "
        f"FtClient or a backtest result; got {type(source).__name__}"
    )


class TearSheet:
    """A tear sheet of one trade set: KPIs, figures, an HTML report.

    Args:
        source: a :class:`TradeSet`; a trades frame (pass ``starting_balance=``, and
            optionally ``stake_currency=``, ``start=``/``end=``, ``candles=`` or
            ``market_change=``); a running bot's :class:`~ftnotebook.FtClient`; or a
            backtest result (``ftnotebook.backtest.BacktestResult`` or freqtrade's
            stats dict).
        paths, seed: Monte Carlo paths (1,000) and seed (42).
        window: the rolling window in days (30).
        include_open: count open trades' unrealised profit on the last day.
        **kwargs: passed to the :class:`TradeSet` builder for ``source``.

    Attributes:
        kpis: every KPI of :data:`ftnotebook.report.KPIS`, typed values in an object
            Series indexed by name (``kpis["sharpe"]``, ``kpis["max_drawdown_start"]``).
        figures: the plotly figures by name: ``equity``, ``underwater``, ``monthly``,
            ``rolling``, ``distribution``, ``monte_carlo``.

    >>> sheet = TearSheet(client)                          # a running bot
    >>> sheet = TearSheet(trades, starting_balance=1000)   # a trades frame
    >>> sheet.kpis["cagr"], sheet.figures["equity"]
    >>> sheet.to_html("report.html")                       # one file, opens offline
    """

    def __init__(
        self,
        source: Any,
        *,
        paths: int = 1000,
        seed: int | None = 42,
        window: int = 30,
        include_open: bool = True,
        now: Any = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(window, bool) or not isinstance(window, int) or window < 2:
            raise ValueError(f"window must be an int of at least 2 days, got {window!r}")
        self.trade_set = as_trade_set(source, **kwargs)
        self.analysis = Analysis(self.trade_set, include_open=include_open, now=now)
        self.paths = paths
        self.seed = seed
        self.window = window
        if isinstance(paths, bool) or not isinstance(paths, int) or paths < 1:
            raise ValueError(f"paths must be a positive int, got {paths!r}")

    # ------------------------------------------------------------------ views

    @cached_property
    def kpis(self) -> pd.Series:
        """Every KPI (see :data:`ftnotebook.report.KPIS`)."""
        return compute_kpis(self.analysis)

    def kpi_table(self) -> pd.DataFrame:
        """The KPIs formatted for reading: ``group``, ``title``, ``value``."""
        return kpi_table(self.kpis, currency=self.trade_set.stake_currency)

    @property
    def daily_returns(self) -> pd.Series:
        """The daily returns every ``returns`` KPI is computed from (QuantStats' input)."""
        return self.analysis.daily_returns

    @property
    def drawdowns(self) -> pd.DataFrame:
        """Every drawdown period of the closed-trade balance, deepest first."""
        return self.analysis.drawdown_periods

    @cached_property
    def monte_carlo(self) -> MonteCarlo | None:
        """The block Monte Carlo (:func:`ftnotebook.report.monte_carlo`); None without
        closed trades."""
        closed = self.analysis.closed
        if len(closed) == 0:
            return None
        return monte_carlo(
            closed,
            starting_balance=self.trade_set.starting_balance,
            paths=self.paths,
            seed=self.seed,
        )

    @cached_property
    def figures(self) -> dict[str, Any]:
        """The report's figures by name (built on first use)."""
        a, ts = self.analysis, self.trade_set
        cur = ts.stake_currency
        out: dict[str, Any] = {
            "equity": figs.equity_chart(
                a.daily_equity, a.benchmark_equity, currency=cur, label=ts.label
            )
        }
        if len(a.closed):
            out["underwater"] = figs.underwater_chart(
                a.underwater, a.drawdown_periods, currency=cur
            )
        out["monthly"] = figs.monthly_returns_chart(a.monthly_returns, a.yearly_returns)
        out["rolling"] = figs.rolling_chart(a.daily_returns, window=self.window)
        out["distribution"] = figs.distribution_chart(a.daily_returns, a.closed["profit_ratio"])
        if self.monte_carlo is not None:
            out["monte_carlo"] = figs.monte_carlo_chart(self.monte_carlo, currency=cur)
        return out

    # ------------------------------------------------------------------- HTML

    def _meta(self) -> str:
        ts, a = self.trade_set, self.analysis
        span = ""
        if ts.start is not None and ts.end is not None:
            span = f"{ts.start:%Y-%m-%d %H:%M} → {ts.end:%Y-%m-%d %H:%M} UTC ({a.span_days} days), "
        cur = f" {ts.stake_currency}" if ts.stake_currency else ""
        return (
            f"{span}{len(a.closed):,} closed trades ({ts.source}); balance "
            f"{ts.starting_balance:,.2f}{cur} → {a.final_balance:,.2f}{cur}"
        )

    def html(self, *, plotlyjs: bool = True) -> str:
        """The report as one HTML ``<div>`` (plotly.js inline once with ``plotlyjs``)."""
        notes = {k.name: k.note for k in KPIS}
        return report_body(
            title=f"Tear sheet: {self.trade_set.label}",
            meta=self._meta(),
            table=self.kpi_table(),
            notes=notes,
            figures=self.figures,
            plotlyjs=plotlyjs,
        )

    def _repr_html_(self) -> str:
        return self.html()

    def to_html(self, path: str | Path) -> Path:
        """Write the whole report to ``path``: one self-contained file that opens offline
        (plotly.js embedded once, not per figure). Returns the path."""
        target = Path(path)
        if target.is_dir():
            raise ValueError(f"path is a directory, pass a file name: {target}")
        title = f"Tear sheet: {self.trade_set.label}"
        target.write_text(page(title, self.html()), encoding="utf-8")
        return target

    def __repr__(self) -> str:
        return f"<TearSheet {self.trade_set.label!r}: {self._meta()}>"


def tear_sheet(source: Any, **kwargs: Any) -> TearSheet:
    """``TearSheet(source, **kwargs)``: one function for a bot, a trades frame or a
    backtest result.

    >>> tear_sheet(client).to_html("bot.html")
    >>> tear_sheet(trades, starting_balance=1000, stake_currency="USDT")
    """
    return TearSheet(source, **kwargs)
