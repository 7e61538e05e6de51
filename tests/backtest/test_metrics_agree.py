"""ftnotebook.metrics over result.trades reproduce the backtest's own figures to 1e-9.

freqtrade's backtest computes these in ``generate_strategy_stats`` with
``freqtrade.data.metrics``; here the same figures come from our metrics over the typed
trades frame of the same run. The spans (sharpe, sortino, calmar) are the backtest's
start and end; cagr uses its whole days.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ftnotebook import FtClient, backtest, metrics
from ftnotebook.backtest import BacktestResult
from tests.backtest.conftest import LONG_RANGE, STRATEGY


@pytest.fixture(scope="module")
def many_ties(bt_client: FtClient) -> BacktestResult:
    """Nine days, max_open_trades 4 on four pairs: many trades close on one candle."""
    return backtest.start(bt_client, STRATEGY, timerange=LONG_RANGE, stake_amount=100).wait(
        progress=False
    )


def _check(result: BacktestResult) -> None:
    s, t = result.stats, result.trades
    balance = result.starting_balance
    close = {"rel": 1e-9, "abs": 1e-9}
    assert t["profit_abs"].sum() == pytest.approx(s["profit_total_abs"], **close)
    dd = metrics.max_drawdown(t, starting_balance=balance)
    assert dd.abs == pytest.approx(s["max_drawdown_abs"], **close)
    assert dd.relative == pytest.approx(s["max_drawdown_account"], **close)
    assert dd.high_date == pd.Timestamp(s["drawdown_start_ts"], unit="ms", tz="UTC")
    assert dd.low_date == pd.Timestamp(s["drawdown_end_ts"], unit="ms", tz="UTC")
    span = {"min_date": result.start, "max_date": result.end}
    assert metrics.sharpe(t, starting_balance=balance, **span) == pytest.approx(
        s["sharpe"], **close
    )
    assert metrics.sortino(t, starting_balance=balance, **span) == pytest.approx(
        s["sortino"], **close
    )
    assert metrics.calmar(t, starting_balance=balance, **span) == pytest.approx(
        s["calmar"], **close
    )
    assert metrics.sqn(t, starting_balance=balance) == pytest.approx(s["sqn"], **close)
    exp, ratio = metrics.expectancy(t)
    assert (exp, ratio) == (
        pytest.approx(s["expectancy"], **close),
        pytest.approx(s["expectancy_ratio"], **close),
    )
    final = balance + t["profit_abs"].sum()
    assert metrics.cagr(starting_balance=balance, final_balance=final, days=s["backtest_days"]) == (
        pytest.approx(s["cagr"], **close)
    )
    assert metrics.profit_factor(t) == pytest.approx(s["profit_factor"], **close)
    assert metrics.winrate(t) == pytest.approx(s["winrate"], **close)


def test_metrics_equal_the_backtests_own(baseline: BacktestResult) -> None:
    _check(baseline)


def test_metrics_equal_with_many_trades_closing_on_one_candle(many_ties: BacktestResult) -> None:
    closes = many_ties.trades["close_date"].value_counts()
    assert (closes > 1).sum() >= 5, "the run should close several trades on one candle"
    _check(many_ties)
