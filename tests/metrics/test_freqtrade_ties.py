"""Drawdowns, ratios and per-pair tables equal freqtrade's own functions on data with ties.

freqtrade sorts trades by date with pandas' default (unstable) sort; trades that close
on the same candle (every backtest has many) are then summed in an order a stable sort
does not reproduce. freqtrade's functions run in the bot venv (``_freqtrade.py``) on
the same rows in the same order, and every figure must be equal.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from ftnotebook import FtClient, TradeHistory, metrics
from ftnotebook.demo.launcher import RunningBot

from ._freqtrade import freqtrade_metrics, number

SB = 1000.0


@pytest.fixture(scope="module")
def bot_trades(trade_bot: RunningBot) -> pd.DataFrame:
    with FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password) as client:
        return TradeHistory(client, progress=False).frame(include_open=True)


def _ms(ts: Any) -> int | None:
    return None if ts is None or pd.isna(ts) else int(pd.Timestamp(ts).value // 10**6)


def _drawdown(dd: metrics.DrawDown) -> dict[str, Any]:
    out = {k: number(v) for k, v in dd.to_dict().items() if not k.endswith("date")}
    out.update({k: _ms(v) for k, v in dd.to_dict().items() if k.endswith("date")})
    return out


def _assert_same(ours: Any, theirs: Any, what: str) -> None:
    if isinstance(theirs, dict):
        assert set(ours) == set(theirs), what
        for key in theirs:
            _assert_same(ours[key], theirs[key], f"{what}.{key}")
    elif isinstance(theirs, list):
        assert len(ours) == len(theirs), what
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            _assert_same(a, b, f"{what}[{i}]")
    elif theirs is None or (isinstance(theirs, int) and not isinstance(theirs, bool)):
        assert ours == theirs, what
    else:
        assert ours == pytest.approx(theirs, rel=1e-12, abs=1e-12), what


def _compare_all(trades: pd.DataFrame, closed_rows: pd.DataFrame) -> dict[str, Any]:
    """Every figure of ours over ``trades`` against freqtrade's over ``closed_rows``."""
    first, last = closed_rows["open_date"].iloc[0], closed_rows["open_date"].iloc[-1]
    theirs = freqtrade_metrics(closed_rows, starting_balance=SB, min_date=first, max_date=last)
    for rel in (False, True):
        for bal in (SB, 0.0):
            ours = metrics.max_drawdown(trades, starting_balance=bal, relative=rel)
            key = f"max_drawdown rel={rel} sb={bool(bal)}"
            _assert_same(_drawdown(ours), theirs[key], key)
    for col in ("profit_abs", "profit_ratio"):
        uw = metrics.underwater(trades, value_col=col, starting_balance=SB)
        got = {c: [number(v) for v in uw[c]] for c in theirs[f"underwater {col}"]}
        _assert_same(got, theirs[f"underwater {col}"], f"underwater {col}")
    span = {"starting_balance": SB, "min_date": first, "max_date": last}
    for name in ("sharpe", "sortino", "calmar"):
        _assert_same(getattr(metrics, name)(trades, **span), theirs[name], name)
    _assert_same(metrics.sqn(trades, starting_balance=SB), theirs["sqn"], "sqn")
    _assert_same(list(metrics.expectancy(trades)), theirs["expectancy"], "expectancy")
    if "pairs" in theirs:
        table = metrics.pair_summary(trades)
        for pair, row in theirs["pairs"].items():
            got = table.loc[pair]
            _assert_same(int(got["count"]), row["trades"], f"{pair} count")
            _assert_same(float(got["profit_abs"]), row["profit_total_abs"], f"{pair} profit")
            _assert_same(float(got["profit_ratio_mean"]), row["profit_mean"], f"{pair} mean")
            for k in ("wins", "draws", "losses"):
                _assert_same(int(got[k]), row[k], f"{pair} {k}")
            _assert_same(float(got["winrate"]), row["winrate"], f"{pair} winrate")
        assert len(table) == len(theirs["pairs"])
    return theirs


def test_issue_repro_eight_wins_then_nine_losses_on_one_close_date() -> None:
    """The issue's case: freqtrade gives 80, a stable sort gives 90; we must give 80."""
    close = pd.Timestamp("2026-03-01 12:00", tz="UTC")
    trades = pd.DataFrame(
        {
            "trade_id": range(1, 18),
            "pair": ["BTC/USDT"] * 17,
            "open_date": [close - pd.Timedelta(hours=h) for h in range(17, 0, -1)],
            "close_date": [close] * 17,
            "profit_abs": [10.0] * 8 + [-10.0] * 9,
            "profit_ratio": [0.01] * 8 + [-0.01] * 9,
        }
    )
    theirs = _compare_all(trades, trades)
    assert theirs["max_drawdown rel=False sb=True"]["abs"] == 80.0
    assert metrics.max_drawdown(trades, starting_balance=SB).abs == 80.0
    stable = trades.sort_values("close_date", kind="stable")
    assert float((stable.profit_abs.cumsum() - stable.profit_abs.cumsum().cummax()).min()) == -90


def test_bot_trades_with_many_ties_equal_freqtrade(bot_trades: pd.DataFrame) -> None:
    """The bot's closed trades three times over, closed in a handful of weeks, rows shuffled."""
    done = metrics.closed(bot_trades)
    many = pd.concat([done, done, done], ignore_index=True)
    many["close_date"] = many["close_date"].dt.floor("7D")
    many["trade_id"] = np.arange(1, len(many) + 1)
    order = np.random.default_rng(11).permutation(len(many))
    shuffled = many.iloc[order].reset_index(drop=True)
    assert shuffled["close_date"].value_counts().max() > 16  # past numpy's insertion sort
    _compare_all(shuffled, shuffled)
    # The same drawdown from the ordered rows /profit would hand freqtrade:
    by_id = shuffled.sort_values("trade_id")
    theirs = freqtrade_metrics(by_id, starting_balance=SB)["max_drawdown rel=False sb=True"]
    assert metrics.max_drawdown(metrics.closed(shuffled), starting_balance=SB).abs == (
        pytest.approx(theirs["abs"], rel=1e-12)
    )


def test_open_trades_are_skipped_as_freqtrade_skips_them(bot_trades: pd.DataFrame) -> None:
    """A frame that still holds open trades gives freqtrade's figures over the closed ones."""
    assert bot_trades["is_open"].any(), "the seeded bot has open trades"
    assert bot_trades.loc[bot_trades.is_open, "profit_abs"].notna().all()
    done = bot_trades.loc[~bot_trades.is_open.astype(bool)]
    theirs = _compare_all(bot_trades, done)
    assert theirs["sqn"] != 0
    assert metrics.winrate(bot_trades) == metrics.winrate(done)
    assert metrics.profit_factor(bot_trades) == metrics.profit_factor(done)
    pd.testing.assert_series_equal(
        metrics.daily_returns(bot_trades, starting_balance=SB),
        metrics.daily_returns(done, starting_balance=SB),
    )


def test_ties_across_the_futures_bot_trades(futures_bot: RunningBot) -> None:
    """Longs and shorts (profit_abs and profit_ratio of both signs) closed in one week."""
    with FtClient(futures_bot.api_url, futures_bot.username, futures_bot.password) as client:
        done = metrics.closed(TradeHistory(client, progress=False).frame())
    many = pd.concat([done] * 4, ignore_index=True)
    many["close_date"] = many["close_date"].dt.floor("7D")
    many = many.iloc[np.random.default_rng(18).permutation(len(many))].reset_index(drop=True)
    _compare_all(many, many)
