"""Fixtures for the chart tests: real frames from the session's demo bots.

Every frame comes from the real bots through ftnotebook's own client and converters:
the webserver bot's ``/pair_history`` (FtnbDemo over its local 5m data, with
annotations), the trade bot's ``/pair_candles``, its trades (``/trades`` + ``/status``),
``/daily`` and ``/historic_balance``. Fixtures are module-scoped reads: no test here
changes the bots.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from ftnotebook import frames
from ftnotebook.client import FtClient
from ftnotebook.demo.launcher import RunningBot
from ftnotebook.plots import defaults

PAIR = "BTC/USDT"
STRATEGY = "FtnbDemo"


@pytest.fixture(scope="session")
def trade_client(trade_bot: RunningBot) -> Iterator[FtClient]:
    with FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password) as client:
        yield client


@pytest.fixture(scope="session")
def ws_client(webserver_bot: RunningBot) -> Iterator[FtClient]:
    with FtClient(webserver_bot.api_url, webserver_bot.username, webserver_bot.password) as c:
        yield c


@pytest.fixture(scope="session")
def history(ws_client: FtClient) -> pd.DataFrame:
    """FtnbDemo's analysed BTC/USDT 5m history from the webserver bot (with annotations)."""
    return frames.pair_history(ws_client, PAIR, "5m", timerange="20000101-", strategy=STRATEGY)


@pytest.fixture(scope="session")
def plot_config(ws_client: FtClient) -> dict[str, Any]:
    return dict(ws_client.plot_config(strategy=STRATEGY))


@pytest.fixture(scope="session")
def live_candles(trade_client: FtClient) -> pd.DataFrame:
    """The trade bot's analysed BTC/USDT 5m candles."""
    return frames.pair_candles(trade_client, PAIR, "5m")


@pytest.fixture(scope="session")
def trades(trade_client: FtClient) -> pd.DataFrame:
    """Every trade of the trade bot, closed and open (open ones with live profit)."""
    page = trade_client.trades(limit=500)
    rows: list[Any] = [*page["trades"], *trade_client.status()]
    return frames.trades_frame(rows)


@pytest.fixture(autouse=True)
def _fresh_style() -> Iterator[None]:
    """Each test starts and ends with the shipped house style."""
    defaults.reset()
    yield
    defaults.reset()
