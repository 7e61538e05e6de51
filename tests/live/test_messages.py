"""parse_message on shapes the test bot does not send on demand (fields from rpc_types.py).

The order messages (entry, entry_fill, entry_cancel, exit, exit_fill, exit_cancel),
status, whitelist and analyzed_df are tested on frames captured from the real bot's
feed in ``test_messages_captured.py``. Left here: protection and new_candle notices,
which depend on the bot's protections and candle clock, the conversion of an analysed
dataframe's dtypes, and types or shapes freqtrade does not send at all.
"""

from __future__ import annotations

import json

import pandas as pd

from ftnotebook.live import (
    AnalyzedDfMessage,
    NewCandleMessage,
    ProtectionMessage,
    StatusMessage,
    UnknownMessage,
    parse_message,
)


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
