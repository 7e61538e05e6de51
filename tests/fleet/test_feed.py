"""The merged live feed on the three real bots: tagged messages, one queue, one set of
callbacks, a fill feed across the fleet, and a reconnect on one bot that stalls no other."""

from __future__ import annotations

import threading

from ftnotebook.fleet import Fleet, FleetFeed, FleetMessage
from ftnotebook.widgets.fleet import FleetFillFeed


def wait_until(event: threading.Event, attempts: int = 300) -> bool:
    return any(event.wait(0.1) for _ in range(attempts))  # counted attempts, not wall time


def test_messages_from_every_bot_tagged_in_one_queue_and_fill_feed(fleet: Fleet) -> None:
    feed = FleetFeed(fleet, backoff_initial=0.2).start(timeout=30)
    fills = FleetFillFeed(feed)
    seen: list[FleetMessage] = []
    exit_seen = threading.Event()

    def on_fill(tagged: FleetMessage) -> None:
        seen.append(tagged)
        if tagged.type == "exit_fill" and tagged.bot == "btc-cross":
            exit_seen.set()

    remove = feed.on(on_fill, types=["entry_fill", "exit_fill"])
    client = fleet["btc-cross"]
    trade_id = None
    try:
        assert sorted(feed.connected) == sorted(fleet.names)
        assert feed.states() == dict.fromkeys(fleet.names, "connected")
        # A reconnect on one bot ...
        feed.feeds["usdt-swing"].drop_connection()
        # ... while another bot's fills keep flowing.
        trade_id = int(client.force_enter("SOL/BTC", entry_tag="fleet_feed")["trade_id"])
        client.force_exit(trade_id, order_type="market")
        trade_id = None
        assert wait_until(exit_seen)
        mine = [t for t in seen if t.bot == "btc-cross"]
        assert [t.type for t in mine][-2:] == ["entry_fill", "exit_fill"]
        assert all(t.message.pair == "SOL/BTC" for t in mine[-2:])  # type: ignore[attr-defined]
        assert {t.bot for t in seen} == {"btc-cross"}
        # the same messages, tagged, in the one queue
        queued = [t for t in feed.messages(timeout=0.5) if t.type.endswith("_fill")]
        assert [(t.bot, t.type) for t in queued][-2:] == [
            ("btc-cross", "entry_fill"), ("btc-cross", "exit_fill")
        ]  # fmt: skip
        assert [r.bot for r in fills.rows[:2]] == ["btc-cross", "btc-cross"]
        assert "btc-cross" in fills.table.value and "SOL/BTC" in fills.table.value
        # the dropped bot came back on its own
        assert feed.feeds["usdt-swing"].wait_connected(30)
        assert feed.feeds["usdt-swing"].stats.connects >= 2
    finally:
        if trade_id is not None:
            client.force_exit(trade_id, order_type="market")
        remove()
        fills.close()
        feed.stop()
    assert set(feed.states().values()) == {"stopped"}
