"""Every tabular frame against the real bot: schema dtypes, row counts, values = raw JSON."""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np
import pandas as pd
import pytest

from ftnotebook import TradeHistory, frames
from ftnotebook.client import FtClient
from ftnotebook.schemas import SCHEMAS, TS, SchemaError


def _dtypes_match(df: pd.DataFrame, name: str) -> None:
    schema = SCHEMAS[name]
    assert list(df.columns[: len(schema.columns)]) == schema.names
    for col, dtype in schema.dtypes().items():
        assert str(df[col].dtype) == dtype, (name, col, df[col].dtype)
    if schema.index is not None:
        assert str(df.index.dtype) == schema.index.dtype, (name, df.index.dtype)


def _same(values: pd.Series, raw: list[Any]) -> None:
    got = [
        None if v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)) else v
        for v in values.tolist()
    ]
    exp = [None if isinstance(v, float) and np.isnan(v) else v for v in raw]
    assert got == exp, values.name


def _ms(series: pd.Series) -> list[int | None]:
    return [None if pd.isna(v) else int(v.timestamp() * 1000) for v in series]


def test_trades_frame_matches_every_page(client: FtClient, bot_api: Any) -> None:
    history = TradeHistory(client, page_size=25, progress=False)
    df = history.frame()
    raw = {t["trade_id"]: t for t in bot_api.get("trades", limit=100000)["trades"]}
    assert len(df) == len(raw) == bot_api.get("trades", limit=1)["total_trades"] >= 60
    assert df.trade_id.is_unique and df.trade_id.is_monotonic_increasing
    assert history.requests_made >= 3
    _dtypes_match(df, "trades")
    recs = [raw[i] for i in df.trade_id]
    for col in [
        "pair",
        "exit_reason",
        "enter_tag",
        "profit_abs",
        "profit_ratio",
        "close_rate",
        "amount",
        "fee_open_cost",
        "is_short",
        "timeframe",
    ]:
        _same(df[col].astype(object), [r[col] for r in recs])
    assert _ms(df.open_date) == [r["open_timestamp"] for r in recs]
    assert _ms(df.close_date) == [r["close_timestamp"] for r in recs]
    assert df.trade_duration.dt.total_seconds().tolist() == [r["trade_duration_s"] for r in recs]
    orders = history.orders()
    _dtypes_match(orders, "orders")
    assert len(orders) == sum(len(r["orders"]) for r in recs)
    assert orders.cost.tolist() == [o["cost"] for r in recs for o in r["orders"]]
    assert orders.trade_id.tolist() == [r["trade_id"] for r in recs for _ in r["orders"]]


def test_trades_with_open_ones_and_incremental_refresh(client: FtClient, bot_api: Any) -> None:
    history = TradeHistory(client, progress=False)
    closed_before = history.frame()
    assert history.last_refresh == "full"
    status = bot_api.get("status")
    both = history.frame(include_open=True)
    assert len(both) == len(closed_before) + len(status)
    _dtypes_match(both, "trades")
    opened = both[both.is_open]
    assert sorted(opened.trade_id) == sorted(t["trade_id"] for t in status)
    assert opened.close_date.isna().all() and opened.current_rate.notna().all()
    # nothing changed: one small request
    again = history.frame()
    assert history.last_refresh == "incremental" and history.requests_made == 1
    pd.testing.assert_frame_equal(again, closed_before)
    # one new closed trade: picked up without refetching everything
    trade = bot_api("POST", "forceenter", json={"pair": "SOL/USDT"})
    bot_api("POST", "forceexit", json={"tradeid": trade["trade_id"]})
    newer = history.frame()
    assert history.last_refresh == "incremental" and history.requests_made == 1
    assert len(newer) == len(closed_before) + 1
    assert trade["trade_id"] in set(newer.trade_id)
    _dtypes_match(newer, "trades")


def test_pagination_while_trades_close(client: FtClient, bot_api: Any) -> None:
    before = bot_api.get("trades", limit=1)["total_trades"]
    stop = threading.Event()
    made: list[int] = []
    errors: list[BaseException] = []

    def churn() -> None:
        try:
            while not stop.is_set() and len(made) < 15:
                t = bot_api("POST", "forceenter", json={"pair": "SOL/USDT"})
                bot_api("POST", "forceexit", json={"tradeid": t["trade_id"]})
                made.append(t["trade_id"])
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=churn)
    worker.start()
    try:
        time.sleep(0.2)
        df = TradeHistory(client, page_size=5, progress=False).frame()
    finally:
        stop.set()
        worker.join(60)
    assert not errors, errors
    assert made, "no trade closed during the fetch"
    ids = df.trade_id.tolist()
    assert len(ids) == len(set(ids)), "duplicated trades"
    after = {t["trade_id"] for t in bot_api.get("trades", limit=100000)["trades"]}
    assert set(ids) <= after
    # every trade closed before the fetch returned is there; none is lost
    assert len(df) >= before
    missing = after - set(ids)
    assert all(m in made for m in missing)
    assert not any(t["pair"] == "SOL/USDT" for t in bot_api.get("status"))


def test_periodic_frames(client: FtClient, bot_api: Any) -> None:
    for name, fn in (
        ("daily", frames.daily),
        ("weekly", frames.weekly),
        ("monthly", frames.monthly),
    ):
        raw = bot_api.get(name, timescale=20)["data"]
        df = fn(client, 20)
        _dtypes_match(df, name)
        assert len(df) == len(raw) == 20
        assert df.index.is_monotonic_increasing
        rev = list(reversed(raw))
        assert [d.strftime("%Y-%m-%d") for d in df.index] == [r["date"] for r in rev]
        for col in SCHEMAS[name].names:
            assert df[col].tolist() == [r[col] for r in rev], (name, col)


@pytest.mark.parametrize("name", ["performance", "entries", "exits", "mix_tags"])
def test_performance_like_frames(client: FtClient, bot_api: Any, name: str) -> None:
    raw = bot_api.get(name)
    df = getattr(frames, name)(client)
    _dtypes_match(df, name)
    assert len(df) == len(raw) > 0
    for col in SCHEMAS[name].names:
        assert df[col].astype(object).tolist() == [r[col] for r in raw], (name, col)


def test_small_frames(client: FtClient, bot_api: Any) -> None:
    locks = frames.locks(client)
    raw = bot_api.get("locks")
    _dtypes_match(locks, "locks")
    assert len(locks) == raw["lock_count"] >= 1
    assert "ftnb seed lock" in set(locks.reason)
    assert _ms(locks.lock_end_time) == [r["lock_end_timestamp"] for r in raw["locks"]]

    wl = frames.whitelist(client)
    _dtypes_match(wl, "whitelist")
    assert wl.pair.tolist() == bot_api.get("whitelist")["whitelist"]
    bl = frames.blacklist(client)
    _dtypes_match(bl, "blacklist")
    assert "ADA/USDT" in bl.pair.tolist() and bl.attrs["expanded"]

    bal = frames.balance(client)
    raw_bal = bot_api.get("balance")
    _dtypes_match(bal, "balance")
    assert len(bal) == len(raw_bal["currencies"])
    assert bal.est_stake.tolist() == [c["est_stake"] for c in raw_bal["currencies"]]
    assert bal.attrs["starting_capital"] == raw_bal["starting_capital"]

    hist = frames.historic_balance(client)
    raw_hist = bot_api.get("historic_balance")
    _dtypes_match(hist, "historic_balance")
    assert len(hist) == raw_hist["length"]

    logs = frames.logs(client, 20)
    _dtypes_match(logs, "logs")
    assert len(logs) == 20
    assert str(logs.date.dtype) == TS

    stats = frames.stats(client)
    raw_stats = bot_api.get("stats")
    _dtypes_match(stats, "stats")
    assert stats.to_dict("index") == raw_stats["exit_reasons"]

    prof = frames.profit(client)
    assert prof["closed_trade_count"] >= 60
    pa = frames.profit_all(client)
    assert list(pa.columns) == ["all", "long", "short"]


def test_empty_responses_give_typed_empty_frames() -> None:
    for name, df in (
        ("trades", frames.trades_frame([])),
        ("orders", frames.orders_frame([])),
        ("daily", frames.periodic_frame({"data": []}, "daily")),
        ("performance", frames.performance_frame([])),
        ("locks", frames.locks_frame({"locks": []})),
        ("balance", frames.balance_frame({"currencies": []})),
        ("logs", frames.logs_frame({"logs": []})),
        ("historic_balance", frames.historic_balance_frame({"columns": [], "data": []})),
    ):
        assert len(df) == 0
        _dtypes_match(df, name)


def test_new_columns_kept_and_missing_ones_named() -> None:
    row = {
        "pair": "BTC/USDT",
        "count": 1,
        "profit_abs": 1.0,
        "profit_ratio": 0.1,
        "profit_pct": 10.0,
        "brand_new": "x",
    }
    df = frames.performance_frame([row])
    assert df.brand_new.tolist() == ["x"]
    del row["profit_abs"]
    with pytest.raises(SchemaError, match=r"/performance.*'profit_abs'"):
        frames.performance_frame([row])


def test_bad_page_size_is_a_value_error(client: FtClient) -> None:
    with pytest.raises(ValueError, match="page_size"):
        TradeHistory(client, page_size=5000)
