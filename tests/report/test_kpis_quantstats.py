"""The tear sheet's daily-return KPIs equal QuantStats' on the same daily returns.

QuantStats (a dev-only oracle) runs with ``periods=365`` on ``sheet.daily_returns``; the
returns come from the real trade bot and from a real backtest. Each shared KPI agrees
to 1e-9. ``time_in_market`` differs on purpose (see ``ftnotebook.report._kpis``): the
test checks QuantStats' rounding rule on our own day count instead.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import pandas as pd
import pytest

from ftnotebook.report import TearSheet

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import quantstats as qs

S = qs.stats


def _longest_dd(returns: pd.Series) -> int:
    """QuantStats' "Longest DD Days", on the returns with a flat day in front: its
    ``drawdown_details`` misses a drawdown that starts on the first day (it tests
    ``no_dd.shift(1)``, NaN there) and returns no period at all when it never recovers.
    A zero return on the day before (the starting balance) changes no drawdown."""
    flat = pd.Series([0.0], index=[returns.index[0] - pd.Timedelta(days=1)])
    padded = pd.concat([flat, returns])
    details = S.drawdown_details(S.to_drawdown_series(padded))
    return int(details["days"].max()) if len(details) else 0


ORACLES = {
    "volatility": lambda r: S.volatility(r, periods=365),
    "best_day": lambda r: S.best(r),
    "worst_day": lambda r: S.worst(r),
    "best_month": lambda r: S.best(r, aggregate="ME"),
    "worst_month": lambda r: S.worst(r, aggregate="ME"),
    "recovery_factor": lambda r: S.recovery_factor(r),
    "ulcer_index": lambda r: S.ulcer_index(r),
    "tail_ratio": lambda r: S.tail_ratio(r),
    "var_95": lambda r: S.value_at_risk(r, confidence=0.95),
    "cvar_95": lambda r: S.cvar(r, confidence=0.95),
    "kelly": lambda r: S.kelly_criterion(r),
    "longest_dd_days": lambda r: _longest_dd(r),
    "win_day": lambda r: S.win_rate(r),
    "win_month": lambda r: S.win_rate(r, aggregate="ME"),
}


def _compare(sheet: TearSheet) -> int:
    returns = sheet.daily_returns
    assert returns.dtype == "float64" and returns.index.tz is None
    assert (returns != 0).sum() >= 3, "needs days with closed trades"
    compared = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, oracle in ORACLES.items():
            theirs = float(oracle(returns.copy()))
            ours = float(sheet.kpis[name])
            if math.isnan(theirs):
                assert math.isnan(ours), name
            else:
                assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-12), name
            compared += 1
        nonzero = float((returns != 0).mean())
        assert math.ceil(nonzero * 100) / 100 == pytest.approx(S.exposure(returns))
    return compared


def test_returns_kpis_equal_quantstats_on_the_bot(bot_sheet: TearSheet) -> None:
    assert _compare(bot_sheet) == len(ORACLES)
    days = bot_sheet.daily_returns.index
    assert (days[1:] - days[:-1] == pd.Timedelta(days=1)).all(), "every calendar day"


def test_benchmark_greeks_equal_quantstats(bot_sheet: TearSheet) -> None:
    returns, bench = bot_sheet.daily_returns, bot_sheet.analysis.benchmark_returns
    assert bench is not None and bench.notna().sum() >= 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        greeks = S.greeks(returns, bench, periods=365)
    assert bot_sheet.kpis["alpha"] == pytest.approx(greeks["alpha"], rel=1e-9, abs=1e-12)
    assert bot_sheet.kpis["beta"] == pytest.approx(greeks["beta"], rel=1e-9, abs=1e-12)
    excess = bot_sheet.kpis["profit_total"] - bot_sheet.kpis["market_change"]
    assert bot_sheet.kpis["excess_return"] == pytest.approx(excess)


def test_returns_kpis_equal_quantstats_on_a_backtest(backtest_stats: dict[str, Any]) -> None:
    sheet = TearSheet(backtest_stats, paths=50)
    assert _compare(sheet) == len(ORACLES)
    start = pd.Timestamp(backtest_stats["backtest_start_ts"], unit="ms")
    assert sheet.daily_returns.index[0] == start.floor("D")


def test_daily_returns_match_metrics_daily_returns_without_open_trades(
    bot_sheet: TearSheet,
) -> None:
    """With no open trades and no wallet history, the sheet's daily returns are
    ``metrics.daily_returns`` over the span's days (zeros outside the trades' days)."""
    from ftnotebook import metrics

    closed = bot_sheet.analysis.closed
    sheet = TearSheet(closed, starting_balance=bot_sheet.trade_set.starting_balance, paths=10)
    plain = metrics.daily_returns(closed, starting_balance=sheet.trade_set.starting_balance)
    ours = sheet.daily_returns.reindex(plain.index)
    pd.testing.assert_series_equal(ours, plain, check_freq=False, rtol=1e-12)
