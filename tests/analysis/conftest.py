"""One real backtest of FtnbDemo on the webserver bot, shared by the research tests:
its trades (freqtrade's own JSON and as a frame) and the strategy's analysed candles of
the traded pairs over the same timerange (``pair_history``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from ftnotebook import FtClient, frames
from ftnotebook.demo.launcher import RunningBot

STRATEGY = "FtnbDemo"
TODAY_UTC = datetime.now(UTC).date()  # the bot's candles are in UTC
RANGE = (TODAY_UTC - timedelta(days=6), TODAY_UTC - timedelta(days=1))
STAKE = 100.0
MAX_OPEN_TRADES = 4


@dataclass(frozen=True)
class DemoBacktest:
    result: dict[str, Any]  # freqtrade's per-strategy result
    raw_candles: dict[str, dict[str, Any]]  # pair -> /pair_history payload

    @property
    def raw_trades(self) -> list[dict[str, Any]]:
        return list(self.result["trades"])

    @property
    def trades(self) -> pd.DataFrame:
        return pd.DataFrame(self.result["trades"])

    @property
    def candles(self) -> dict[str, pd.DataFrame]:
        return {p: frames.candles_frame(payload) for p, payload in self.raw_candles.items()}


@pytest.fixture(scope="package")
def demo_backtest(webserver_bot: RunningBot) -> DemoBacktest:
    bot = webserver_bot
    with FtClient(bot.api_url, bot.username, bot.password) as client:
        client.start_backtest(
            STRATEGY, timerange=RANGE, stake_amount=STAKE, max_open_trades=MAX_OPEN_TRADES
        )
        try:
            done = client.wait_for_backtest(timeout=300)
            assert done["status"] == "ended", done["status_msg"]
            result = done["backtest_result"]["strategy"][STRATEGY]
        finally:
            client.reset_backtest()
        timerange = f"{RANGE[0]:%Y%m%d}-{RANGE[1]:%Y%m%d}"
        pairs = sorted({t["pair"] for t in result["trades"]})
        raw = {p: client.pair_history(p, "5m", timerange, STRATEGY) for p in pairs}
    return DemoBacktest(result=result, raw_candles=dict(raw))
