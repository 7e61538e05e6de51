"""parse_message on the shapes freqtrade 2026.9 sends (fields from freqtrade/rpc/rpc_types.py)."""

from __future__ import annotations

import json

import pandas as pd

from ftnotebook.live import (
    AnalyzedDfMessage,
    EntryMessage,
    ExitMessage,
    NewCandleMessage,
    ProtectionMessage,
    StatusMessage,
    UnknownMessage,
    parse_message,
)

ENTRY = {
    "type": "entry_fill",
    "trade_id": 7,
    "buy_tag": "t",
    "enter_tag": "t",
    "exchange": "Binance",
    "pair": "SOL/USDT",
    "base_currency": "SOL",
    "quote_currency": "USDT",
    "leverage": 1.0,
    "direction": "Long",
    "limit": 93.4,
    "order_rate": 93.4,
    "open_rate": 93.4,
    "order_type": "market",
    "stake_amount": 20.0,
    "stake_currency": "USDT",
    "fiat_currency": None,
    "amount": 0.214,
    "open_date": "2026-11-25T07:58:23.004329+00:00",
    "current_rate": 93.4,
    "sub_trade": False,
}


def test_entry_fill_fields_are_typed() -> None:
    msg = parse_message(ENTRY)
    assert isinstance(msg, EntryMessage) and msg.is_fill
    assert msg.trade_id == 7 and msg.pair == "SOL/USDT" and msg.amount == 0.214
    assert msg.open_date is not None and msg.open_date.tzinfo is not None
    assert msg.raw is ENTRY and "raw" not in repr(msg)


def test_exit_carries_the_result() -> None:
    msg = parse_message(
        {
            **ENTRY,
            "type": "exit",
            "close_rate": 96.18,
            "profit_amount": 2.77,
            "profit_ratio": 0.0277,
            "gain": "profit",
            "exit_reason": "force_exit",
            "close_date": "2026-11-25T08:00:00+00:00",
            "cumulative_profit": 2.77,
            "final_profit_ratio": 0.0277,
            "is_final_exit": True,
        }
    )
    assert isinstance(msg, ExitMessage) and not msg.is_fill
    assert msg.profit_ratio == 0.0277 and msg.is_final_exit and msg.exit_reason == "force_exit"


def test_notices_and_data_messages() -> None:
    status = parse_message({"type": "warning", "status": "careful"})
    assert isinstance(status, StatusMessage) and status.status == "careful"
    lock = parse_message(
        {
            "type": "protection_trigger_global",
            "id": 3,
            "pair": "*",
            "lock_end_timestamp": 1795590000000,
            "reason": "cooldown",
        }
    )
    assert isinstance(lock, ProtectionMessage) and lock.lock_end_time is not None
    candle = parse_message({"type": "new_candle", "data": ["ETH/USDT", "1h", "spot"]})
    assert isinstance(candle, NewCandleMessage) and candle.timeframe == "1h"


def test_analyzed_df_becomes_a_candle_frame() -> None:
    split = {
        "columns": [
            "date",
            "open",
            "high",
            "low",
            "close",
            "volume",
            "rsi",
            "enter_long",
            "enter_tag",
        ],
        "index": [0, 1],
        "data": [
            [1795590000000, 1, 2, 0.5, 1.5, 10, 40.0, 0, None],
            [1795590300000, 1.5, 2, 1, 1.8, 12, 55.0, 1, "cross"],
        ],
    }
    msg = parse_message(
        {
            "type": "analyzed_df",
            "data": {
                "key": ["BTC/USDT", "5m", "spot"],
                "la": "2026-11-25T07:58:23+00:00",
                "df": {"__type__": "dataframe", "__value__": json.dumps(split)},
            },
        }
    )
    assert isinstance(msg, AnalyzedDfMessage) and msg.pair == "BTC/USDT"
    frame = msg.frame
    assert isinstance(frame.index, pd.DatetimeIndex) and str(frame.index.tz) == "UTC"
    assert frame["enter_long"].tolist() == [False, True]
    assert frame["close"].dtype == "float64" and frame.attrs["timeframe"] == "5m"
    assert "candles=2" in repr(msg)


def test_unknown_and_malformed_messages_are_kept() -> None:
    future = parse_message({"type": "shiny_new_type", "data": {"x": 1}})
    assert isinstance(future, UnknownMessage) and future.data == {"x": 1} and future.error is None
    broken = parse_message({"type": "exit_fill", "pair": "SOL/USDT"})
    assert isinstance(broken, UnknownMessage) and "trade_id" in (broken.error or "")
    assert broken.data == {"pair": "SOL/USDT"}
    junk = parse_message(["not", "an", "object"])
    assert isinstance(junk, UnknownMessage) and junk.data == ["not", "an", "object"]
