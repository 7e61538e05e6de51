"""Fixtures for the tear sheet tests: real trade sets from the session's demo bots.

* ``trade_client`` / ``ws_client``: clients of the trade bot and the webserver bot;
* ``bot_sheet``: a :class:`TearSheet` of the trade bot (module reads only);
* ``backtest_stats``: freqtrade's own backtest result for FtnbDemo over the last days of
  the webserver bot's data (``results["strategy"]["FtnbDemo"]``), run once per session;
  the bot's backtest state is reset afterwards;
* ``backtest_candles``: that backtest's pairs' 5m candles from ``/pair_history``;
* ``freqtrade_oracle(script, payload)``: runs ``script`` in the bot's virtualenv (where
  freqtrade lives) with ``payload`` as JSON on stdin and returns its JSON stdout.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from ftnotebook import frames
from ftnotebook.client import FtClient
from ftnotebook.demo.launcher import RunningBot, bot_python, find_freqtrade
from ftnotebook.report import TearSheet

STRATEGY = "FtnbDemo"
TODAY_UTC = datetime.now(UTC).date()
RANGE = (TODAY_UTC - timedelta(days=4), TODAY_UTC - timedelta(days=1))
TIMERANGE = f"{RANGE[0]:%Y%m%d}-{RANGE[1]:%Y%m%d}"


@pytest.fixture(scope="session")
def trade_client(trade_bot: RunningBot) -> Iterator[FtClient]:
    with FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password) as client:
        yield client


@pytest.fixture(scope="session")
def ws_client(webserver_bot: RunningBot) -> Iterator[FtClient]:
    with FtClient(webserver_bot.api_url, webserver_bot.username, webserver_bot.password) as c:
        yield c


@pytest.fixture(scope="module")
def bot_sheet(trade_client: FtClient) -> TearSheet:
    return TearSheet(trade_client, paths=200)


@pytest.fixture(scope="session")
def backtest_stats(ws_client: FtClient) -> Iterator[dict[str, Any]]:
    started = ws_client.start_backtest(STRATEGY, timerange=RANGE, stake_amount=100)
    assert started["status"] == "running"
    try:
        result = ws_client.wait_for_backtest(timeout=300)
        assert result["status"] == "ended", result["status_msg"]
        assert result["backtest_result"] is not None
        yield dict(result["backtest_result"]["strategy"][STRATEGY])
    finally:
        ws_client.reset_backtest()


@pytest.fixture(scope="session")
def backtest_candles(ws_client: FtClient, backtest_stats: dict[str, Any]) -> dict[str, Any]:
    pairs = sorted(
        {t["pair"] for t in backtest_stats["trades"]} | set(backtest_stats.get("pairlist") or [])
    )
    out: dict[str, pd.DataFrame] = {}
    for pair in pairs:
        out[pair] = frames.pair_history(
            ws_client, pair, "5m", timerange=TIMERANGE, strategy=STRATEGY
        )
    return out


def _run_oracle(script: str, payload: Any) -> Any:
    result = subprocess.run(
        [str(bot_python(find_freqtrade())), "-c", script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="session")
def freqtrade_oracle() -> Callable[[str, Any], Any]:
    return _run_oracle
