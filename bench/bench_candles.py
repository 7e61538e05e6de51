"""pair_history: ≥ 100,000 one-minute candles with every FtnbDemo column, our typed frame
vs the raw floor (the same ``POST /pair_history`` with ``requests`` + ``resp.json()``).

Also reported: the conversion alone (payload already decoded → typed frame), which is
the only part of the time that is ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from bench._common import RUNS, Stack, Timing, log, measure
from ftnotebook import FtClient
from ftnotebook.frames import candles_frame, pair_history

PAIR = "BTC/USDT"
TIMEFRAME = "1m"
DAYS = 72
"""Candles requested: 72 days of 1m = 103,680 (the data holds a few more days)."""
CANDLE_DAYS = DAYS + 4
"""Days of 1m data downloaded."""
STRATEGY = "FtnbDemo"
INDICATORS = [
    "ema_fast",
    "sma_slow",
    "bb_upper",
    "bb_lower",
    "rsi",
    "macd",
    "macdsignal",
    "macdhist",
    "volume_sma",
]


@dataclass
class CandlesResult:
    rows: int = 0
    columns: int = 0
    ours: Timing | None = None
    floor: Timing | None = None
    convert: Timing | None = None


def bench_candles(stack: Stack, result: CandlesResult, runs: int = RUNS) -> None:
    web = stack.webserver_bot
    assert web is not None
    start = (datetime.now(UTC) - timedelta(days=DAYS)).strftime("%Y%m%d")
    timerange = f"{start}-"
    body = {
        "pair": PAIR,
        "timeframe": TIMEFRAME,
        "timerange": timerange,
        "strategy": STRATEGY,
        "columns": INDICATORS,
    }
    session = requests.Session()
    session.auth = (web.username, web.password)
    payload: dict[str, Any] = {}

    def floor() -> None:
        resp = session.post(f"{web.api_url}/api/v1/pair_history", json=body, timeout=900)
        resp.raise_for_status()
        payload.update(resp.json())

    client = FtClient(web.api_url, web.username, web.password, timeouts={"pair_history": 900})

    def ours() -> None:
        pair_history(
            client, PAIR, TIMEFRAME, timerange=timerange, strategy=STRATEGY, columns=INDICATORS
        )

    floor()  # warm-up: the bot's first analysis loads the strategy
    result.rows, result.columns = payload["length"], len(payload["columns"])
    log(f"pair_history {PAIR} {TIMEFRAME}: {result.rows} candles x {result.columns} columns")
    f, o = [], []
    for _ in range(runs):
        f += measure(floor, 1).runs
        o += measure(ours, 1).runs
    result.floor, result.ours = Timing(f), Timing(o)
    result.convert = measure(lambda: candles_frame(payload), runs)
    df = candles_frame(payload)
    assert len(df) == result.rows and set(INDICATORS) <= set(df.columns)
    log(
        f"  frame {result.ours.median:.2f} s, floor {result.floor.median:.2f} s, "
        f"conversion alone {result.convert.median * 1000:.0f} ms"
    )
    client.close()
