"""Clients on the session's real bots for the frame tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ftnotebook.client import FtClient
from ftnotebook.demo.launcher import RunningBot


@pytest.fixture(scope="session")
def client(trade_bot: RunningBot) -> Iterator[FtClient]:
    c = FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password)
    yield c
    c.close()


@pytest.fixture(scope="session")
def web_client(webserver_bot: RunningBot) -> Iterator[FtClient]:
    c = FtClient(webserver_bot.api_url, webserver_bot.username, webserver_bot.password)
    yield c
    c.close()
