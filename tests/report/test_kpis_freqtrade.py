"""The tear sheet's freqtrade KPIs equal freqtrade's own figures.

Three oracles, all real:

* freqtrade's functions (``freqtrade.data.metrics``) run in the bot's virtualenv on the
  trade bot's closed trades, with the same span and balances;
* the trade bot's ``/profit`` (the same formulas, computed by the bot);
* a real backtest's summary on the webserver bot (``freqtrade backtesting``'s stats), its
  ``market_change`` included, for the backtest source.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from ftnotebook import backtest
from ftnotebook.client import FtClient
from ftnotebook.report import TearSheet, TradeSet, market_change
from tests.report.conftest import RANGE, STRATEGY

FREQTRADE_METRICS = """
import json, sys
import pandas as pd
from freqtrade.data import metrics as m
p = json.load(sys.stdin)
t = pd.DataFrame({
    "open_date": pd.to_datetime(p["open"], unit="ms", utc=True),
    "close_date": pd.to_datetime(p["close"], unit="ms", utc=True),
    "profit_abs": p["profit"],
})
lo = pd.Timestamp(p["min_date"], unit="ms", tz="UTC").to_pydatetime()
hi = pd.Timestamp(p["max_date"], unit="ms", tz="UTC").to_pydatetime()
sb = p["starting_balance"]
dd = m.calculate_max_drawdown(t, value_col="profit_abs", starting_balance=sb)
exp, ratio = m.calculate_expectancy(t)
print(json.dumps({
    "sharpe": m.calculate_sharpe(t, lo, hi, sb),
    "sortino": m.calculate_sortino(t, lo, hi, sb),
    "calmar": m.calculate_calmar(t, lo, hi, sb),
    "sqn": m.calculate_sqn(t, sb),
    "cagr": m.calculate_cagr(max(1, (hi - lo).days), sb, p["final_balance"]),
    "expectancy": exp,
    "expectancy_ratio": ratio,
    "max_drawdown_abs": dd.drawdown_abs,
    "max_drawdown": dd.relative_account_drawdown,
    "max_drawdown_start": int(dd.high_date.timestamp() * 1000),
    "max_drawdown_end": int(dd.low_date.timestamp() * 1000),
}))
"""

MARKET_CHANGE = """
import json, sys
import pandas as pd
from freqtrade.data.metrics import calculate_market_change
p = json.load(sys.stdin)
data = {pair: pd.DataFrame({"date": pd.to_datetime(v["date"], unit="ms", utc=True),
                            "close": v["close"]}) for pair, v in p["candles"].items()}
print(json.dumps(calculate_market_change(
    data, "close", min_date=pd.Timestamp(p["min_date"], unit="ms", tz="UTC"))))
"""

SHARED_WITH_PROFIT = {
    "sharpe": "sharpe",
    "sortino": "sortino",
    "calmar": "calmar",
    "sqn": "sqn",
    "cagr": "cagr",
    "expectancy": "expectancy",
    "expectancy_ratio": "expectancy_ratio",
    "profit_factor": "profit_factor",
    "winrate": "winrate",
    "max_drawdown_abs": "max_drawdown_abs",
    "max_drawdown": "max_drawdown",
    "profit_total_abs": "profit_closed_coin",
    "profit_total": "profit_closed_ratio",
    "trade_count": "closed_trade_count",
}

SHARED_WITH_BACKTEST = {
    "sharpe": "sharpe",
    "sortino": "sortino",
    "calmar": "calmar",
    "sqn": "sqn",
    "cagr": "cagr",
    "expectancy": "expectancy",
    "expectancy_ratio": "expectancy_ratio",
    "profit_factor": "profit_factor",
    "winrate": "winrate",
    "max_drawdown_abs": "max_drawdown_abs",
    "max_drawdown": "max_relative_drawdown",
    "profit_total_abs": "profit_total_abs",
    "profit_total": "profit_total",
    "trade_count": "total_trades",
    "market_change": "market_change",
}


def _ms(ts: Any) -> int:
    return int(pd.Timestamp(ts).value // 10**6)


def test_freqtrade_kpis_equal_freqtrades_functions(
    bot_sheet: TearSheet, freqtrade_oracle: Callable[[str, Any], Any]
) -> None:
    ts, closed = bot_sheet.trade_set, bot_sheet.analysis.closed
    assert len(closed) >= 60
    payload = {
        "open": [_ms(t) for t in closed["open_date"]],
        "close": [_ms(t) for t in closed["close_date"]],
        "profit": closed["profit_abs"].tolist(),
        "min_date": _ms(ts.start),
        "max_date": _ms(ts.end),
        "starting_balance": ts.starting_balance,
        "final_balance": bot_sheet.analysis.final_balance,
    }
    theirs = freqtrade_oracle(FREQTRADE_METRICS, payload)
    kpis = bot_sheet.kpis
    for name, expected in theirs.items():
        value = kpis[name]
        if isinstance(value, pd.Timestamp):
            assert _ms(value) == expected, name
        else:
            assert value == pytest.approx(expected, rel=1e-9, abs=1e-12), name
    assert kpis["max_drawdown_duration"] == kpis["max_drawdown_end"] - kpis["max_drawdown_start"]


def test_freqtrade_kpis_equal_the_bots_profit(bot_sheet: TearSheet, trade_client: FtClient) -> None:
    profit: dict[str, Any] = dict(trade_client.profit())
    kpis = bot_sheet.kpis
    for ours, theirs in SHARED_WITH_PROFIT.items():
        assert kpis[ours] == pytest.approx(profit[theirs], rel=1e-9, abs=1e-12), ours
    assert str(kpis["avg_duration"].to_pytimedelta()) == profit["avg_duration"]
    start = pd.Timestamp(profit["max_drawdown_start_timestamp"], unit="ms", tz="UTC")
    assert kpis["max_drawdown_start"] == start
    assert bot_sheet.trade_set.starting_balance == trade_client.balance()["starting_capital"]


def test_backtest_kpis_equal_the_backtest_summary(backtest_stats: dict[str, Any]) -> None:
    sheet = TearSheet(backtest_stats, paths=100)
    kpis = sheet.kpis
    assert sheet.trade_set.source == "backtest" and kpis["trade_count"] > 10
    for ours, theirs in SHARED_WITH_BACKTEST.items():
        assert kpis[ours] == pytest.approx(backtest_stats[theirs], rel=1e-9, abs=1e-12), ours
    assert round(kpis["trades_per_day"], 2) == backtest_stats["trades_per_day"]
    start = pd.Timestamp(backtest_stats["drawdown_start_ts"], unit="ms", tz="UTC")
    end = pd.Timestamp(backtest_stats["drawdown_end_ts"], unit="ms", tz="UTC")
    assert (kpis["max_drawdown_start"], kpis["max_drawdown_end"]) == (start, end)
    duration = kpis["max_drawdown_duration"].total_seconds()
    assert duration == backtest_stats["drawdown_duration_s"]
    held = kpis["avg_duration"].total_seconds()  # the summary rounds to whole minutes
    assert abs(held - backtest_stats["holding_avg_s"]) <= 30


def test_a_backtest_result_gives_the_same_sheet_as_its_stats(ws_client: FtClient) -> None:
    result = backtest.start(ws_client, STRATEGY, timerange=RANGE, stake_amount=100).wait(
        progress=False
    )
    try:
        assert isinstance(result, backtest.BacktestResult) and len(result.trades) > 10
        ours = TearSheet(result, paths=100)
        raw = TearSheet(result.stats, paths=100)
        assert ours.trade_set.source == "backtest"
        assert ours.trade_set.market_change == result.stats["market_change"]
        for name in ("profit_total_abs", "sharpe", "max_drawdown_abs", "cagr", "trade_count"):
            assert ours.kpis[name] == pytest.approx(raw.kpis[name], rel=1e-12), name
        for ours_name, theirs in SHARED_WITH_BACKTEST.items():
            assert ours.kpis[ours_name] == pytest.approx(
                result.stats[theirs], rel=1e-9, abs=1e-12
            ), ours_name
    finally:
        if result.filename:
            backtest.delete(ws_client, result.filename)


def test_market_change_from_candles_equals_the_backtests(
    backtest_stats: dict[str, Any],
    backtest_candles: dict[str, pd.DataFrame],
    freqtrade_oracle: Callable[[str, Any], Any],
) -> None:
    start = pd.Timestamp(backtest_stats["backtest_start_ts"], unit="ms", tz="UTC")
    ours = market_change(backtest_candles, min_date=start)
    payload = {
        "min_date": _ms(start),
        "candles": {
            pair: {"date": [_ms(t) for t in df.index], "close": df["close"].tolist()}
            for pair, df in backtest_candles.items()
        },
    }
    assert ours == pytest.approx(freqtrade_oracle(MARKET_CHANGE, payload), rel=1e-12)
    assert ours == pytest.approx(backtest_stats["market_change"], rel=1e-9)
    with_candles = TradeSet.from_backtest(backtest_stats, candles=backtest_candles)
    assert with_candles.benchmark is not None
    assert with_candles.market_change == backtest_stats["market_change"]
    last = float(with_candles.benchmark.iloc[-1]) - 1
    assert last == pytest.approx(backtest_stats["market_change"], rel=1e-6)
