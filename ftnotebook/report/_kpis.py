"""The tear sheet's KPIs as one registry: each a name, a title, a unit, a group and a function.

The registry (:data:`KPIS`) is the single table the tear sheet, its HTML and any other
summary are views of (vectorbt's ``StatsBuilderMixin`` is the model). Each function
takes an :class:`~ftnotebook.report._analysis.Analysis` and returns a float, an int, a
``pd.Timestamp`` or a ``pd.Timedelta``.

Groups and where each formula comes from:

* ``freqtrade``: freqtrade's own functions (``freqtrade/data/metrics.py``, ``/profit``,
  the backtest summary), through :mod:`ftnotebook.metrics`; the tests run freqtrade's
  functions in the bot's virtualenv on the same trades and compare.
* ``returns``: the QuantStats set over :attr:`Analysis.daily_returns`, annualised with
  365 days; the tests compare each with ``quantstats.stats`` on the same returns
  (``periods=365``). Where ours differs on purpose, the KPI's note says so:

  - ``time_in_market`` is the share of the span with a trade open (from the trades'
    open and close times); QuantStats' ``exposure`` counts days with a non-zero return
    and rounds up to a whole percent, which on a bot mostly counts days a trade *closed*;
  - ``recovery_factor`` is QuantStats' own: the *sum* of daily returns over the
    maximum compounded drawdown (not the compounded total return);
  - ``longest_dd_days`` is the longest run of days under the running peak;
    QuantStats' ``drawdown_details`` misses a drawdown that starts on the first day
    (and then finds none when it never recovers), so the test gives it a flat day first;
  - ``var_95`` / ``cvar_95`` are QuantStats' parametric (normal) ones, from the stdlib's
    ``statistics.NormalDist`` instead of scipy (they agree to ~1e-15).

* ``benchmark``: buy-and-hold of the pairlist over the span (freqtrade's
  ``market_change``), the excess return over it, and QuantStats' ``greeks`` (alpha
  annualised with 365 days, beta) on the days both series have.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from ftnotebook import metrics
from ftnotebook.report._analysis import PERIODS, Analysis

__all__ = ["KPIS", "Kpi", "compute_kpis", "kpi_table"]


@dataclass(frozen=True)
class Kpi:
    """One KPI of the registry.

    ``unit``: ``"ratio"`` (shown as %), ``"currency"`` (stake currency), ``"number"``,
    ``"count"``, ``"date"``, ``"duration"`` or ``"days"``.
    """

    name: str
    title: str
    group: str
    unit: str
    fn: Callable[[Analysis], Any]
    note: str = ""


def _nan_if_empty(a: Analysis) -> bool:
    return len(a.closed) == 0


# ------------------------------------------------------------------- freqtrade


def _profit_total_abs(a: Analysis) -> float:
    return float(a.profit_abs.sum())


def _profit_total(a: Analysis) -> float:
    return _profit_total_abs(a) / a.ts.starting_balance


def _span(a: Analysis) -> dict[str, Any]:
    return {
        "starting_balance": a.ts.starting_balance,
        "min_date": a.ts.start,
        "max_date": a.ts.end,
    }


def _cagr(a: Analysis) -> float:
    return metrics.cagr(
        starting_balance=a.ts.starting_balance, final_balance=a.final_balance, days=a.span_days
    )


def _sharpe(a: Analysis) -> float:
    return float(metrics.sharpe(a.closed, **_span(a)))


def _sortino(a: Analysis) -> float:
    return float(metrics.sortino(a.closed, **_span(a)))


def _calmar(a: Analysis) -> float:
    if _nan_if_empty(a):
        return 0.0
    return float(metrics.calmar(a.closed, **_span(a)))


def _sqn(a: Analysis) -> float:
    return float(metrics.sqn(a.closed, starting_balance=a.ts.starting_balance))


def _expectancy(a: Analysis) -> float:
    return metrics.expectancy(a.closed)[0]


def _expectancy_ratio(a: Analysis) -> float:
    return metrics.expectancy(a.closed)[1]


def _profit_factor(a: Analysis) -> float:
    return metrics.profit_factor(a.closed) if len(a.closed) else 0.0


def _winrate(a: Analysis) -> float:
    return metrics.winrate(a.closed)


def _dd_field(field: str) -> Callable[[Analysis], Any]:
    def get(a: Analysis) -> Any:
        value = getattr(a.max_drawdown, field)
        return pd.NaT if value is None else value

    return get


def _dd_duration(a: Analysis) -> pd.Timedelta:
    dd = a.max_drawdown
    if dd.high_date is None or dd.low_date is None:
        return pd.Timedelta(0)
    return pd.Timedelta(dd.low_date - dd.high_date)


def _trade_count(a: Analysis) -> int:
    return len(a.closed)


def _trades_per_day(a: Analysis) -> float:
    return len(a.closed) / a.span_days


def _avg_duration(a: Analysis) -> pd.Timedelta:
    if len(a.closed) == 0:
        return pd.Timedelta(0)
    seconds = (a.closed["close_date"] - a.closed["open_date"]).dt.total_seconds().mean()
    return pd.Timedelta(seconds=float(seconds)).floor("s")


# --------------------------------------------------------------------- returns


def _r(a: Analysis) -> pd.Series:
    return a.daily_returns


def _volatility(a: Analysis) -> float:
    return float(_r(a).std() * math.sqrt(PERIODS))


def _best_day(a: Analysis) -> float:
    return float(_r(a).max())


def _worst_day(a: Analysis) -> float:
    return float(_r(a).min())


def _best_month(a: Analysis) -> float:
    return float(a.monthly_returns.max())


def _worst_month(a: Analysis) -> float:
    return float(a.monthly_returns.min())


def _max_dd_daily(a: Analysis) -> float:
    dd = a.drawdown_series
    return float(dd.min()) if len(dd) else 0.0


def _recovery_factor(a: Analysis) -> float:
    dd = _max_dd_daily(a)
    return float(abs(_r(a).sum()) / abs(dd)) if dd else float("nan")


def _ulcer(a: Analysis) -> float:
    dd = a.drawdown_series
    if len(dd) < 2:
        return float("nan")
    return float(np.sqrt((dd**2).sum() / (len(dd) - 1)))


def _tail_ratio(a: Analysis) -> float:
    r = _r(a)
    upper, lower = r.quantile(0.95), r.quantile(0.05)
    if pd.isna(upper) or pd.isna(lower) or lower == 0:
        return float("nan")
    return float(abs(upper / lower))


def _var_95(a: Analysis) -> float:
    r = _r(a)
    mu, sd = float(r.mean()), float(r.std())
    if not sd or math.isnan(sd):
        return mu
    return NormalDist(mu, sd).inv_cdf(0.05)


def _cvar_95(a: Analysis) -> float:
    r = _r(a)
    mu, sd = float(r.mean()), float(r.std())
    if not sd or math.isnan(sd):
        return mu
    unit = NormalDist()
    return mu - sd * unit.pdf(unit.inv_cdf(0.05)) / 0.05


def _win_rate(series: pd.Series) -> float:
    nonzero = series[series != 0].dropna()
    return float((nonzero > 0).sum() / len(nonzero)) if len(nonzero) else 0.0


def _kelly(a: Analysis) -> float:
    r = _r(a)
    wins, losses = r[r > 0], r[r < 0]
    if len(losses) == 0 or len(wins) == 0:
        return float("nan")
    payoff = wins.mean() / abs(losses.mean())
    p = _win_rate(r)
    return float((payoff * p - (1 - p)) / payoff)


def _longest_dd_days(a: Analysis) -> int:
    under = (a.drawdown_series < 0).to_numpy()
    if not under.any():
        return 0
    edges = np.diff(np.concatenate([[0], under.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return int((ends - starts).max())


def _win_day(a: Analysis) -> float:
    return _win_rate(_r(a))


def _win_month(a: Analysis) -> float:
    return _win_rate(a.monthly_returns)


# ------------------------------------------------------------------- benchmark


def _market_change(a: Analysis) -> float:
    value = a.ts.market_change
    return float("nan") if value is None else float(value)


def _excess(a: Analysis) -> float:
    return _profit_total(a) - _market_change(a)


def _paired(a: Analysis) -> tuple[pd.Series, pd.Series] | None:
    bench = a.benchmark_returns
    if bench is None:
        return None
    both = pd.concat([_r(a), bench], axis=1).dropna()
    if len(both) < 2:
        return None
    return both.iloc[:, 0], both.iloc[:, 1]


def _beta(a: Analysis) -> float:
    pair = _paired(a)
    if pair is None:
        return float("nan")
    matrix = np.cov(pair[0], pair[1])
    return float(matrix[0, 1] / matrix[1, 1]) if matrix[1, 1] else float("nan")


def _alpha(a: Analysis) -> float:
    pair = _paired(a)
    if pair is None:
        return float("nan")
    beta = _beta(a)
    if math.isnan(beta):
        return float("nan")
    return float((pair[0].mean() - beta * pair[1].mean()) * PERIODS)


_F, _R, _B = "freqtrade", "returns", "benchmark"

KPIS: tuple[Kpi, ...] = (
    Kpi("trade_count", "Closed trades", _F, "count", _trade_count),
    Kpi("profit_total_abs", "Total profit", _F, "currency", _profit_total_abs),
    Kpi("profit_total", "Total profit %", _F, "ratio", _profit_total),
    Kpi("cagr", "CAGR", _F, "ratio", _cagr, "freqtrade calculate_cagr over the span's days"),
    Kpi("sharpe", "Sharpe (365 d)", _F, "number", _sharpe),
    Kpi("sortino", "Sortino (365 d)", _F, "number", _sortino),
    Kpi("calmar", "Calmar (365 d)", _F, "number", _calmar),
    Kpi("sqn", "SQN", _F, "number", _sqn),
    Kpi("expectancy", "Expectancy", _F, "currency", _expectancy),
    Kpi("expectancy_ratio", "Expectancy ratio", _F, "number", _expectancy_ratio),
    Kpi("profit_factor", "Profit factor", _F, "number", _profit_factor, "/profit's win rule"),
    Kpi("winrate", "Win rate", _F, "ratio", _winrate, "/profit's win rule (ratio >= 0)"),
    Kpi("max_drawdown_abs", "Max drawdown", _F, "currency", _dd_field("abs")),
    Kpi("max_drawdown", "Max drawdown %", _F, "ratio", _dd_field("relative")),
    Kpi("max_drawdown_start", "Max drawdown start", _F, "date", _dd_field("high_date")),
    Kpi("max_drawdown_end", "Max drawdown end", _F, "date", _dd_field("low_date")),
    Kpi("max_drawdown_duration", "Max drawdown duration", _F, "duration", _dd_duration),
    Kpi(
        "trades_per_day",
        "Trades per day",
        _F,
        "number",
        _trades_per_day,
        "closed trades / whole days of the span; the backtest summary rounds to 2 places",
    ),
    Kpi(
        "avg_duration",
        "Avg holding time",
        _F,
        "duration",
        _avg_duration,
        "to the second, as /profit; the backtest summary rounds to the minute",
    ),
    Kpi("volatility", "Volatility (ann.)", _R, "ratio", _volatility),
    Kpi("best_day", "Best day", _R, "ratio", _best_day),
    Kpi("worst_day", "Worst day", _R, "ratio", _worst_day),
    Kpi("best_month", "Best month", _R, "ratio", _best_month),
    Kpi("worst_month", "Worst month", _R, "ratio", _worst_month),
    Kpi(
        "recovery_factor",
        "Recovery factor",
        _R,
        "number",
        _recovery_factor,
        "QuantStats': sum of daily returns / max drawdown",
    ),
    Kpi("ulcer_index", "Ulcer index", _R, "number", _ulcer),
    Kpi("tail_ratio", "Tail ratio", _R, "number", _tail_ratio),
    Kpi("var_95", "Daily VaR 95 %", _R, "ratio", _var_95, "parametric (normal)"),
    Kpi("cvar_95", "Daily cVaR 95 %", _R, "ratio", _cvar_95, "parametric (normal)"),
    Kpi("kelly", "Kelly criterion", _R, "ratio", _kelly),
    Kpi(
        "time_in_market",
        "Time in market",
        _R,
        "ratio",
        lambda a: a.time_in_market,
        "share of the span with a trade open",
    ),
    Kpi("longest_dd_days", "Longest drawdown", _R, "days", _longest_dd_days),
    Kpi("win_day", "Win days", _R, "ratio", _win_day),
    Kpi("win_month", "Win months", _R, "ratio", _win_month),
    Kpi("market_change", "Market change (buy & hold)", _B, "ratio", _market_change),
    Kpi("excess_return", "Excess return", _B, "ratio", _excess, "total profit - market change"),
    Kpi("alpha", "Alpha (ann.)", _B, "number", _alpha),
    Kpi("beta", "Beta", _B, "number", _beta),
)
"""Every KPI of the tear sheet, in display order."""


def _registry(kpis: Iterable[Kpi] | None) -> tuple[Kpi, ...]:
    return KPIS if kpis is None else tuple(kpis)


def compute_kpis(analysis: Analysis, kpis: Iterable[Kpi] | None = None) -> pd.Series:
    """Every KPI's value, indexed by name (object dtype: floats, ints, Timestamps,
    Timedeltas). ``attrs["titles"]``, ``attrs["units"]`` and ``attrs["groups"]`` map
    names to the registry's fields."""
    registry = _registry(kpis)
    values = {k.name: k.fn(analysis) for k in registry}
    out = pd.Series(values, dtype="object", name=analysis.ts.label)
    out.attrs["titles"] = {k.name: k.title for k in registry}
    out.attrs["units"] = {k.name: k.unit for k in registry}
    out.attrs["groups"] = {k.name: k.group for k in registry}
    return out


def _format(value: Any, unit: str, currency: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return "–"
    if unit == "ratio":
        return f"{value:.2%}"
    if unit == "currency":
        return f"{value:,.2f} {currency}".strip()
    if unit in ("count", "days"):
        return f"{int(value):,}" + (" days" if unit == "days" else "")
    if unit == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")
    if unit == "duration":
        return str(pd.Timedelta(value).floor("min")).replace("0 days ", "")
    if isinstance(value, float) and math.isinf(value):
        return "∞"
    return f"{value:,.3f}"


def kpi_table(kpis: pd.Series, *, currency: str = "") -> pd.DataFrame:
    """The KPIs as a display table: ``group``, ``title``, ``value`` (formatted), indexed
    by name."""
    titles, units, groups = (kpis.attrs.get(k, {}) for k in ("titles", "units", "groups"))
    return pd.DataFrame(
        {
            "group": [groups.get(n, "") for n in kpis.index],
            "title": [titles.get(n, n) for n in kpis.index],
            "value": [_format(v, units.get(n, "number"), currency) for n, v in kpis.items()],
        },
        index=kpis.index,
    )
