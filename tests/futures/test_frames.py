"""Frames of the futures bot: short, leverage, liquidation and funding columns typed, profit
ratios leverage-aware, and the whole trades frame equal to freqtrade's ``load_trades_from_db``
(run in the bot venv on this bot's database) column for column, shorts included."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from ftnotebook import FtClient, TradeHistory, frames
from ftnotebook.demo.launcher import RunningBot, bot_python, find_freqtrade
from ftnotebook.schemas import SCHEMAS

FUTURES_COLUMNS = {
    "is_short": "bool",
    "leverage": "float64",
    "liquidation_price": "float64",
    "funding_fees": "float64",
    "interest_rate": "float64",
    "trading_mode": "category",
}


def test_futures_columns_are_present_and_typed(futures_client: FtClient) -> None:
    trades = TradeHistory(futures_client, progress=False).frame(include_open=True)
    schema = SCHEMAS["trades"]
    assert list(trades.columns[: len(schema.names)]) == schema.names
    for column, dtype in FUTURES_COLUMNS.items():
        assert str(trades[column].dtype) == dtype, column
    assert trades.is_short.any() and (~trades.is_short).any()
    assert set(trades.trading_mode) == {"futures"}
    assert trades.liquidation_price.notna().all() and (trades.liquidation_price > 0).all()
    assert (trades.interest_rate == 0).all()
    assert (trades.funding_fees != 0).sum() > len(trades) // 2
    assert trades.is_open.sum() == 2 and trades.loc[trades.is_open, "current_rate"].notna().all()
    # liquidation below the entry for longs, above it for shorts
    above = trades.liquidation_price > trades.open_rate
    assert (above == trades.is_short).all()


def test_profit_ratios_are_leverage_aware(futures_client: FtClient) -> None:
    """freqtrade's ratio is ``profit_abs / open_trade_value * leverage`` for both sides: the
    return on the margin, not on the position."""
    closed = TradeHistory(futures_client, progress=False).frame()
    expected = closed.profit_abs / closed.open_trade_value * closed.leverage
    np.testing.assert_allclose(closed.profit_ratio, expected, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(closed.close_profit, closed.profit_ratio, rtol=1e-12)
    # the stake is the margin: position value / leverage
    margin = closed.amount * closed.open_rate / closed.leverage
    np.testing.assert_allclose(closed.stake_amount, margin, rtol=1e-6)
    price_move = (closed.close_rate / closed.open_rate - 1).where(~closed.is_short)
    price_move = price_move.fillna(1 - closed.close_rate / closed.open_rate)
    levered = closed.leverage > 1
    # beyond fees and funding, a levered trade moves leverage times the price
    gap = (closed.profit_ratio - price_move * closed.leverage)[levered].abs()
    assert (gap < 0.02 * closed.leverage[levered]).all()


def test_short_orders_enter_with_a_sell(futures_client: FtClient) -> None:
    history = TradeHistory(futures_client, progress=False)
    trades = history.frame()
    orders = history.orders()
    side = dict(zip(trades.trade_id, trades.is_short, strict=True))
    entries = orders[orders.ft_is_entry]
    exits = orders[~orders.ft_is_entry]
    assert (entries.ft_order_side == np.where(entries.trade_id.map(side), "sell", "buy")).all()
    assert (exits.ft_order_side == np.where(exits.trade_id.map(side), "buy", "sell")).all()
    assert str(orders.funding_fee.dtype) == "float64"
    by_exit = exits.groupby("trade_id").funding_fee.sum()
    funded = trades.set_index("trade_id").funding_fees
    np.testing.assert_allclose(by_exit, funded.loc[by_exit.index], atol=1e-9)


def test_locks_frame_shows_the_side(futures_client: FtClient) -> None:
    locks = frames.locks(futures_client)
    assert str(locks.side.dtype) == "category"
    seeded = locks[locks.reason.str.startswith("ftnb seed", na=False)]
    assert sorted(zip(seeded.pair, seeded.side, strict=True)) == [
        ("ADA/USDT:USDT", "long"),
        ("XRP/USDT:USDT", "short"),
    ]


# --------------------------------------------------------------------- the oracle

ORACLE = """
import json, sqlite3, sys
source, copy = sys.argv[1], sys.argv[2]
with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as live, sqlite3.connect(copy) as out:
    live.backup(out)  # a consistent snapshot of the running bot's database
import pandas as pd
from freqtrade.data.btanalysis import load_trades_from_db
df = load_trades_from_db(f"sqlite:///{copy}")
orders = {
    str(opened): [[o["ft_order_side"], o["ft_is_entry"], o["amount"], o["cost"]] for o in trade]
    for opened, trade in zip(df["open_timestamp"], df["orders"])
}
df = df.drop(columns=["orders"])
def plain(value):  # exact floats (to_json keeps 10 digits), dates as epoch ms, NaN as None
    if value is None or pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return int(value.timestamp() * 1000)
    return value.item() if hasattr(value, "item") else value
# columns load_trades_from_db leaves out, read from freqtrade's Trade model directly
from freqtrade.persistence import Trade
extra = {
    str(int(t.open_date_utc.timestamp() * 1000)): [t.liquidation_price, t.interest_rate,
                                                 t.trading_mode.value]
    for t in Trade.get_trades([]).all()
}
print(json.dumps({
    "extra": extra,
    "dtypes": {c: str(t) for c, t in df.dtypes.items()},
    "columns": list(df.columns),
    "data": [[plain(v) for v in row] for row in df.itertuples(index=False)],
    "orders": orders,
}))
"""


def _freqtrades_frame(bot: RunningBot, tmp_path: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    db = bot.workdir / "tradesv3.dryrun.sqlite"
    done = subprocess.run(
        [str(bot_python(find_freqtrade())), "-c", ORACLE, str(db), str(tmp_path / "copy.sqlite")],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    payload = json.loads(done.stdout)
    return pd.DataFrame(payload["data"], columns=payload["columns"]), payload


def _values(series: pd.Series) -> list[Any]:
    return [None if pd.isna(v) else v for v in series.astype(object).tolist()]


def _ms(series: pd.Series) -> list[int | None]:
    return [None if pd.isna(v) else int(v.timestamp() * 1000) for v in series]


def test_trades_frame_equals_freqtrades_load_trades_from_db(
    futures_client: FtClient, futures_bot: RunningBot, tmp_path: Path
) -> None:
    history = TradeHistory(futures_client, progress=False)
    for _ in range(5):  # open trades change while the bot runs: read both sides of the snapshot
        ours = history.frame(include_open=True)
        theirs, payload = _freqtrades_frame(futures_bot, tmp_path)
        again = history.frame(include_open=True)
        static = [
            c for c in ours.columns if c not in ("current_rate", "profit_abs", "profit_ratio")
        ]
        if ours[static].equals(again[static]):
            break
        (tmp_path / "copy.sqlite").unlink(missing_ok=True)
    theirs = theirs.sort_values("open_timestamp", kind="stable").reset_index(drop=True)
    ours = ours.sort_values("open_date", kind="stable").reset_index(drop=True)
    assert len(ours) == len(theirs) >= 45
    their_dtypes = payload["dtypes"]
    assert theirs.is_short.any() and their_dtypes["is_short"] == "bool"
    assert their_dtypes["leverage"] == "float64" and their_dtypes["funding_fees"] == "float64"
    compared = []
    closed = ~ours.is_open.to_numpy()
    for column in theirs.columns:
        if column in ("open_timestamp", "close_timestamp"):
            continue
        if column in ("open_date", "close_date"):
            assert _ms(ours[column]) == [None if pd.isna(v) else int(v) for v in theirs[column]]
        elif column == "trade_duration":  # freqtrade: whole minutes; ours: a Timedelta
            minutes = (ours.trade_duration.dt.total_seconds() // 60).astype("Int64")
            assert _values(minutes) == _values(theirs[column]), column
        elif column in ("profit_ratio", "profit_abs"):
            # in the database an open trade has no profit yet; ours is the live one (/status)
            assert _values(ours.loc[closed, column]) == pytest.approx(
                _values(theirs.loc[closed, column]), rel=1e-12
            ), column
            assert theirs.loc[~closed, column].isna().all()
            assert ours.loc[~closed, column].notna().all()
        elif pd.api.types.is_float_dtype(ours[column]):
            np.testing.assert_allclose(
                ours[column].to_numpy(dtype=float),
                theirs[column].to_numpy(dtype=float),
                rtol=1e-12,
                err_msg=column,
            )
        else:
            assert _values(ours[column]) == _values(theirs[column]), column
        compared.append(column)
    assert {"is_short", "leverage", "funding_fees", "profit_ratio"} <= set(compared)
    assert len(compared) == len(theirs.columns) - 2  # all but the two timestamp twins
    model = [payload["extra"][str(ms)] for ms in _ms(ours.open_date)]
    assert ours.liquidation_price.tolist() == [row[0] for row in model]
    assert ours.interest_rate.tolist() == [row[1] for row in model]
    assert ours.trading_mode.astype(str).tolist() == [row[2] for row in model]
    # and the orders of every closed trade: shorts enter with a sell
    orders = history.orders()
    opened = dict(zip(ours.trade_id, _ms(ours.open_date), strict=True))
    for trade_id, group in orders.groupby("trade_id"):
        mine = [
            [side, bool(entry), amount, cost]
            for side, entry, amount, cost in zip(
                group.ft_order_side, group.ft_is_entry, group.filled, group.cost, strict=True
            )
        ]
        assert mine == payload["orders"][str(opened[trade_id])], trade_id


def test_candles_carry_short_signals_apart_from_long_ones(futures_client: FtClient) -> None:
    candles = frames.pair_candles(futures_client, "BTC/USDT:USDT", "5m")
    for column in ("enter_long", "exit_long", "enter_short", "exit_short"):
        assert str(candles[column].dtype) == "bool", column
    assert candles.enter_short.any() and candles.enter_long.any()
    assert not (candles.enter_short & candles.enter_long).any()
    short_tags = set(candles.loc[candles.enter_short, "enter_tag"].dropna())
    assert short_tags and short_tags <= {"ema_cross_short", "ema_cross_short_cold"}
    # FtnbDemoFutures: a short enters on the downward cross, where a long exits, and exits
    # on the upward one, where a long enters
    assert candles.enter_short.equals(candles.exit_long)
    assert candles.exit_short.equals(candles.enter_long)
    assert not candles.iloc[-2:][["enter_short", "exit_short"]].to_numpy().any()


def test_cli_force_enter_takes_side_and_leverage(
    futures_bot: RunningBot, futures_api: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from ftnotebook.cli import main

    pair = "XRP/USDT:USDT"
    assert not [t for t in futures_api.get("status") if t["pair"] == pair]
    code = main(
        ["--config", str(futures_bot.config_path), "forceenter", pair, "short", "leverage=2"]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    trade = json.loads(out)
    try:
        assert (trade["pair"], trade["is_short"], trade["leverage"]) == (pair, True, 2.0)
        assert trade["liquidation_price"] > trade["open_rate"]
    finally:
        futures_api("POST", "forceexit", json={"tradeid": trade["trade_id"]})
