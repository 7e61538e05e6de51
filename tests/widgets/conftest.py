"""Fixtures for the control tests: an FtClient on the real trade bot and a bot snapshot."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from ftnotebook.client import FtClient
from ftnotebook.demo.launcher import RunningBot


@pytest.fixture
def client(trade_bot: RunningBot) -> Iterator[FtClient]:
    with FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password) as c:
        yield c


def bot_snapshot(bot_api: Any) -> dict[str, Any]:
    """What the controls may change, read through the plain API helper (not our client)."""
    # freqtrade's own "Auto lock"s end at the next candle and then drop out of /locks;
    # leave out locks that may expire while a test runs.
    soon_ms = (time.time() + 120) * 1000
    locks = [lk for lk in bot_api.get("locks")["locks"] if lk["lock_end_timestamp"] > soon_ms]
    return {
        "locks": sorted((lk["id"], lk["pair"], lk["lock_end_time"]) for lk in locks),
        "blacklist": sorted(bot_api.get("blacklist")["blacklist"]),
        "open_trades": sorted(t["trade_id"] for t in bot_api.get("status")),
        "total_trades": bot_api.get("trades", limit=1)["total_trades"],
        "state": bot_api.get("show_config")["state"],
    }
