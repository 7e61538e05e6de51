"""The series every KPI and figure of the tear sheet is computed from, each computed once.

:class:`Analysis` wraps a :class:`~ftnotebook.report.TradeSet` and derives, lazily:

* ``closed``: the closed trades in close order (:func:`ftnotebook.metrics.closed`);
* ``underwater`` / ``max_drawdown``: freqtrade's drawdown over the closed trades;
* ``daily_equity`` / ``daily_returns``: the account, one row per UTC calendar day of the
  span (0.0 return on days without a closed trade); the open trades' unrealised profit
  counts on the last day, and a day whose wallet snapshots (``/historic_balance``) cover
  it and the day before takes the wallet's return instead;
* ``benchmark_returns``: the pairlist's buy-and-hold index on the same days;
* ``drawdown_periods``: every drawdown from a peak to its recovery, deepest first.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ftnotebook import metrics
from ftnotebook.report._tradeset import TradeSet

__all__ = ["PERIODS", "Analysis"]

PERIODS = 365
"""Days per year for every annualised figure (crypto trades every day)."""


def _day(ts: Any) -> pd.Timestamp:
    return pd.Timestamp(ts).tz_convert("UTC").floor("D")


class Analysis:
    """Lazily computed views of one trade set (see the module docstring).

    Args:
        trade_set: the trades and account.
        include_open: count the open trades' unrealised profit on the last day.
        now: the time "now" means for open trades (default: the current time).
    """

    def __init__(self, trade_set: TradeSet, *, include_open: bool = True, now: Any = None) -> None:
        self.ts = trade_set
        self.include_open = include_open
        self.now = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now)

    # -------------------------------------------------------------------- trades

    @cached_property
    def closed(self) -> pd.DataFrame:
        """Closed trades in close order, index reset."""
        return metrics.closed(self.ts.trades).reset_index(drop=True)

    @cached_property
    def open_trades(self) -> pd.DataFrame:
        trades = self.ts.trades
        if "is_open" not in trades.columns:
            return trades.iloc[0:0]
        return trades.loc[trades["is_open"].astype(bool)]

    @cached_property
    def open_profit(self) -> float:
        """The open trades' unrealised profit (0.0 unless ``include_open``)."""
        if not self.include_open or len(self.open_trades) == 0:
            return 0.0
        return float(self.open_trades["profit_abs"].fillna(0.0).sum())

    @cached_property
    def span_days(self) -> int:
        """Whole days of the span, at least 1 (freqtrade's ``days_period``)."""
        start, end = self.ts.start, self.ts.end
        if start is None or end is None:
            return 1
        return max(1, (end - start).days)

    @cached_property
    def profit_abs(self) -> np.ndarray:
        return self.closed["profit_abs"].to_numpy(dtype="float64")

    @cached_property
    def final_balance(self) -> float:
        if self.ts.final_balance is not None:
            return self.ts.final_balance
        return self.ts.starting_balance + float(self.profit_abs.sum())

    # ------------------------------------------------------------------ drawdown

    @cached_property
    def underwater(self) -> pd.DataFrame:
        """freqtrade's ``calculate_underwater`` over the closed trades (leading zero row)."""
        if len(self.closed) == 0:
            return pd.DataFrame(
                columns=["cumulative", "high_value", "drawdown", "drawdown_relative", "date"]
            )
        return metrics.underwater(self.closed, starting_balance=self.ts.starting_balance)

    @cached_property
    def max_drawdown(self) -> metrics.DrawDown:
        """freqtrade's ``calculate_max_drawdown`` (largest absolute drawdown)."""
        if len(self.closed) == 0:
            return metrics.DrawDown()
        return metrics.max_drawdown(self.closed, starting_balance=self.ts.starting_balance)

    @cached_property
    def drawdown_periods(self) -> pd.DataFrame:
        """Every drawdown of the closed-trade balance, deepest (relative) first.

        Columns: ``start`` (the peak's trade close), ``valley``, ``end`` (the close that
        made a new high, NaT while still under water), ``depth`` (ratio of the peak
        balance), ``depth_abs`` (stake currency), ``duration`` (start to end, or to the
        last close), ``trades`` (closes under water).
        """
        cols = ["start", "valley", "end", "depth", "depth_abs", "duration", "trades"]
        uw = self.underwater
        if len(uw) < 2:
            return pd.DataFrame(columns=cols)
        high = uw["high_value"].to_numpy()
        rel = uw["drawdown_relative"].to_numpy(dtype="float64")
        dd = uw["drawdown"].to_numpy(dtype="float64")
        dates = pd.DatetimeIndex(uw["date"])
        group = np.concatenate([[0], np.cumsum(high[1:] > high[:-1])])
        under = rel > 0
        if not under.any():
            return pd.DataFrame(columns=cols)
        frame = pd.DataFrame({"g": group, "rel": rel, "dd": dd, "under": under})
        frame["date"] = dates
        groups = frame.groupby("g", sort=True)
        first_date = groups["date"].first()
        depth = groups["rel"].max()
        has_dd = depth > 0
        valley_idx = groups["rel"].idxmax()
        ids = depth.index[has_dd.to_numpy()]
        next_start = first_date.shift(-1)
        last = dates[-1]
        ends = next_start.loc[ids]
        out = pd.DataFrame(
            {
                "start": first_date.loc[ids].to_numpy(),
                "valley": dates[valley_idx.loc[ids].to_numpy()],
                "end": ends.to_numpy(),
                "depth": depth.loc[ids].to_numpy(),
                "depth_abs": -frame["dd"].to_numpy()[valley_idx.loc[ids].to_numpy()],
                "trades": groups["under"].sum().loc[ids].to_numpy().astype("int64"),
            }
        )
        out["start"] = pd.to_datetime(out["start"], utc=True).astype("datetime64[ns, UTC]")
        out["end"] = pd.to_datetime(out["end"], utc=True).astype("datetime64[ns, UTC]")
        out["duration"] = out["end"].fillna(pd.Timestamp(last).as_unit("ns")) - out["start"]
        out = out.sort_values("depth", ascending=False, kind="stable").reset_index(drop=True)
        return out[cols]

    # --------------------------------------------------------------- daily view

    @cached_property
    def days(self) -> pd.DatetimeIndex:
        """Every UTC calendar day of the span (tz-aware)."""
        points = [t for t in (self.ts.start, self.ts.end) if t is not None]
        if len(self.closed):
            points += [self.closed["close_date"].iloc[0], self.closed["close_date"].iloc[-1]]
        if self.open_profit:
            points.append(self.now)
        if not points:
            return pd.DatetimeIndex([], tz="UTC", name="date")
        first = min(_day(p) for p in points)
        last = max(_day(p) for p in points)
        return pd.date_range(first, last, freq="D", name="date")

    @cached_property
    def daily_profit(self) -> pd.Series:
        """Closed profit per UTC day (open profit on the last day), stake currency."""
        days = self.days
        if len(self.closed):
            day = self.closed["close_date"].dt.tz_convert("UTC").dt.floor("D")
            profit = self.closed.groupby(day)["profit_abs"].sum()
            profit.index = pd.DatetimeIndex(profit.index).as_unit("ns")
            out = profit.reindex(days.as_unit("ns"), fill_value=0.0).astype("float64")
        else:
            out = pd.Series(0.0, index=days.as_unit("ns"))
        if self.open_profit and len(out):
            out.iloc[-1] += self.open_profit
        out.index.name = "date"
        out.name = "profit_abs"
        return out

    @cached_property
    def daily_returns(self) -> pd.Series:
        """The account's daily return (tz-naive UTC days, float64), QuantStats' input."""
        profit = self.daily_profit
        start = self.ts.starting_balance
        balance_before = start + profit.cumsum().shift(1, fill_value=0.0)
        returns = profit / balance_before
        wallet = self._wallet_returns(pd.DatetimeIndex(returns.index))
        if wallet is not None:
            returns = returns.where(wallet.isna(), wallet)
        returns = returns.astype("float64")
        returns.index = pd.DatetimeIndex(returns.index).tz_convert("UTC").tz_localize(None)
        returns.index.name = "date"
        returns.name = "returns"
        return returns

    def _wallet_returns(self, days: pd.DatetimeIndex) -> pd.Series | None:
        wallet = self.ts.balance_history
        if wallet is None or len(wallet) < 2:
            return None
        eod = wallet.resample("1D").last().dropna()
        eod.index = pd.DatetimeIndex(eod.index).as_unit("ns")
        eod = eod.reindex(days)
        out = eod / eod.shift(1) - 1.0
        return out if out.notna().any() else None

    @cached_property
    def daily_equity(self) -> pd.Series:
        """End-of-day balance (tz-aware UTC days), compounded from ``daily_returns``."""
        r = self.daily_returns
        equity = self.ts.starting_balance * (1.0 + r).cumprod()
        equity.index = pd.DatetimeIndex(r.index).tz_localize("UTC")
        equity.name = "balance"
        return equity

    @cached_property
    def benchmark_equity(self) -> pd.Series | None:
        """The buy-and-hold index on the same days (end of day, 1.0 at its start)."""
        bench = self.ts.benchmark
        if bench is None or len(bench) == 0 or len(self.days) == 0:
            return None
        eod = bench.resample("1D").last()
        eod.index = pd.DatetimeIndex(eod.index).as_unit("ns")
        days = self.days.as_unit("ns")
        out = eod.reindex(days).ffill()
        out = out[out.index >= eod.index[0]]
        out.name = "benchmark"
        return out

    @cached_property
    def benchmark_returns(self) -> pd.Series | None:
        """Daily returns of the benchmark (tz-naive, NaN before its data starts)."""
        eq = self.benchmark_equity
        if eq is None:
            return None
        prev = eq.shift(1)
        prev.iloc[0] = 1.0
        out = (eq / prev - 1.0).reindex(self.days.as_unit("ns")).astype("float64")
        out.index = pd.DatetimeIndex(out.index).tz_convert("UTC").tz_localize(None)
        out.index.name = "date"
        out.name = "benchmark"
        return out

    # ---------------------------------------------------------------- periods

    @cached_property
    def monthly_returns(self) -> pd.Series:
        """Compounded return per calendar month, indexed by ``(year, month)``."""
        r = self.daily_returns
        if len(r) == 0:
            return pd.Series([], dtype="float64")
        index = pd.DatetimeIndex(r.index)
        return (1.0 + r).groupby([index.year, index.month]).prod() - 1.0

    @cached_property
    def yearly_returns(self) -> pd.Series:
        """Compounded return per calendar year."""
        r = self.daily_returns
        if len(r) == 0:
            return pd.Series([], dtype="float64")
        return (1.0 + r).groupby(pd.DatetimeIndex(r.index).year).prod() - 1.0

    @cached_property
    def drawdown_series(self) -> pd.Series:
        """Daily drawdown of the compounded equity (<= 0), QuantStats'
        ``to_drawdown_series`` with its starting baseline of 1."""
        r = self.daily_returns
        prices = (1.0 + r).cumprod()
        peak = np.maximum.accumulate(np.concatenate([[1.0], prices.to_numpy()]))[1:]
        return pd.Series(prices.to_numpy() / peak - 1.0, index=r.index, name="drawdown")

    @cached_property
    def time_in_market(self) -> float:
        """Share of the span with at least one trade open (union of trade intervals)."""
        trades = self.ts.trades
        if len(trades) == 0 or len(self.days) == 0:
            return 0.0
        opened = pd.to_datetime(trades["open_date"], utc=True).to_numpy(dtype="datetime64[ns]")
        ended = pd.to_datetime(trades["close_date"], utc=True).astype("datetime64[ns, UTC]")
        closed = ended.fillna(self.now.tz_convert("UTC")).to_numpy(dtype="datetime64[ns]")
        order = np.argsort(opened, kind="stable")
        o = opened[order].astype("int64")
        c = np.maximum(closed[order].astype("int64"), o)
        run_end = np.maximum.accumulate(c)
        new = np.concatenate([[True], o[1:] > run_end[:-1]])
        starts = o[new]
        ends = np.maximum.reduceat(c, np.flatnonzero(new))
        covered = float((ends - starts).sum())
        lo = min(int(o[0]), self._ns(self.ts.start, o[0]))
        hi = max(int(run_end[-1]), self._ns(self.ts.end, run_end[-1]))
        total = float(hi - lo)
        return min(1.0, covered / total) if total > 0 else 0.0

    @staticmethod
    def _ns(ts: pd.Timestamp | None, default: Any) -> int:
        return int(default) if ts is None else int(ts.as_unit("ns").value)
