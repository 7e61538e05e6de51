"""Client fixtures: FtClients bound to the real demo bots from ``tests/conftest.py``.

``client`` talks to the seeded dry-run trade bot (≥ 60 closed trades, ≥ 2 open,
a lock on XRP/USDT, ADA/USDT blacklisted); ``ws_client`` to the webserver-mode bot
with local 5m/1h data. Tests that write must undo what they did, so the shared bots
keep that state for everyone else.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ftnotebook import FtClient
from ftnotebook.demo.launcher import RunningBot

PAIRS = ["BTC/USDT", "ETH/USDT", "SOL/USDT", "XRP/USDT"]
STRATEGY = "FtnbDemo"


@pytest.fixture(scope="session")
def client(trade_bot: RunningBot) -> Iterator[FtClient]:
    with FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password) as c:
        yield c


@pytest.fixture(scope="session")
def jwt_client(trade_bot: RunningBot) -> Iterator[FtClient]:
    with FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password, auth="jwt") as c:
        yield c


@pytest.fixture(scope="session")
def ws_client(webserver_bot: RunningBot) -> Iterator[FtClient]:
    with FtClient(webserver_bot.api_url, webserver_bot.username, webserver_bot.password) as c:
        yield c
