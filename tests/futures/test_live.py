"""The live feed on the futures bot: a short's entry and exit fills arrive typed, with side
and leverage, and the fill table shows them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from ftnotebook import FtClient
from ftnotebook.demo.launcher import RunningBot
from ftnotebook.live import EntryMessage, ExitMessage, FillFeed, LiveFeed

PAIR = "ETH/USDT:USDT"


@pytest.fixture
def futures_feed(futures_bot: RunningBot) -> Iterator[LiveFeed]:
    with LiveFeed(futures_bot.api_url, futures_bot.ws_token) as live:
        yield live


def _round_trip(
    client: FtClient, feed: LiveFeed, side: str, leverage: float
) -> tuple[EntryMessage, ExitMessage]:
    since = datetime.now(UTC)
    trade_id = int(client.force_enter(PAIR, side, leverage=leverage)["trade_id"])  # type: ignore[arg-type]
    try:
        entry = feed.wait_for(
            "entry_fill",
            predicate=lambda m: getattr(m, "trade_id", None) == trade_id,
            timeout=10,
            since=since,
        )
    finally:
        client.force_exit(trade_id)
    exit_ = feed.wait_for(
        "exit_fill",
        predicate=lambda m: getattr(m, "trade_id", None) == trade_id,
        timeout=10,
        since=since,
    )
    assert isinstance(entry, EntryMessage) and isinstance(exit_, ExitMessage)
    return entry, exit_


def test_short_fills_arrive_typed_with_side_and_leverage(
    futures_client: FtClient, futures_feed: LiveFeed, futures_api: Any
) -> None:
    table = FillFeed(futures_feed)
    entry, exit_ = _round_trip(futures_client, futures_feed, "short", 3)
    for msg in (entry, exit_):
        assert msg.is_fill and msg.pair == PAIR
        assert msg.is_short is True and msg.side == "short" and msg.direction == "Short"
        assert isinstance(msg.leverage, float) and msg.leverage == 3.0
        assert isinstance(msg.amount, float) and msg.amount > 0
        assert isinstance(msg.stake_amount, float)
    assert entry.stake_amount == pytest.approx(entry.amount * entry.open_rate / 3, rel=1e-6)
    assert isinstance(exit_.profit_ratio, float) and isinstance(exit_.close_rate, float)
    trade = futures_api.get(f"trade/{exit_.trade_id}")
    assert trade["is_short"] is True and trade["leverage"] == 3.0
    assert exit_.profit_ratio == pytest.approx(trade["profit_ratio"], abs=1e-8)
    assert "short 3x" in table.table.value and PAIR in table.table.value
    # a long for contrast: same fields, the other side
    long_entry, _ = _round_trip(futures_client, futures_feed, "long", 2)
    assert (long_entry.is_short, long_entry.side, long_entry.leverage) == (False, "long", 2.0)
    assert "long 2x" in table.table.value
    table.close()
