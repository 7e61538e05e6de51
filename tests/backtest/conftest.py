"""Backtest fixtures: real backtests on the test stack's webserver bot and its downloaded
data (5m and 1h candles of four pairs, ~10 days), kept small: three days, four pairs.

``bt_client`` talks to the webserver bot. ``bt_guard`` (package scope, autouse) notes the
stored runs before the first test and deletes every run the package stored after the
last, so the shared bot's history is left as it was found. ``baseline`` is one finished
backtest (FtnbDemo, three days, stake 100) shared by the read-only tests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from ftnotebook import FtClient, NotFound, backtest
from ftnotebook.backtest import BacktestResult
from ftnotebook.demo.launcher import RunningBot

STRATEGY = "FtnbDemo"
TODAY_UTC = datetime.now(UTC).date()  # the bot's candles and timeranges are in UTC
RANGE = (TODAY_UTC - timedelta(days=4), TODAY_UTC - timedelta(days=1))
LONG_RANGE = (TODAY_UTC - timedelta(days=9), TODAY_UTC - timedelta(days=1))


@pytest.fixture(scope="package")
def bt_client(webserver_bot: RunningBot) -> Iterator[FtClient]:
    with FtClient(webserver_bot.api_url, webserver_bot.username, webserver_bot.password) as c:
        yield c


@pytest.fixture(scope="package", autouse=True)
def bt_guard(bt_client: FtClient) -> Iterator[set[str]]:
    before = set(backtest.history(bt_client)["filename"])
    try:
        yield before
    finally:
        run = backtest.running(bt_client)
        if run is not None:
            run.abort()
        for name in set(backtest.history(bt_client)["filename"]) - before:
            with contextlib.suppress(NotFound):
                backtest.delete(bt_client, name)


@pytest.fixture(scope="package")
def baseline(bt_client: FtClient) -> BacktestResult:
    return backtest.start(bt_client, STRATEGY, timerange=RANGE, stake_amount=100).wait(
        progress=False
    )
