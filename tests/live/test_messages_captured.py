"""The message classes on what the real bot sends, captured from its live feed.

A module fixture drives the shared trade bot through one of each order event and
records the raw WebSocket frames (the decoded JSON, exactly as received):

* a market entry (``entry``, ``entry_fill``), a limit exit far above the market that
  stays open, cancelled with ``cancel_open_order`` (``exit_cancel``), then a market exit
  (``exit``, ``exit_fill``);
* a limit entry far below the market, cancelled with ``cancel_open_order``
  (``entry_cancel``);
* ``/pause`` and ``/start`` (``status``), a whitelist and an analysed dataframe request.

The oracle for the fields is the bot's own REST view of the same trade (``/trade/{id}``)
and of the same candles (``/pair_candles``). The bot's state is restored in ``finally``.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import pytest

from ftnotebook import FtClient
from ftnotebook.demo.launcher import RunningBot
from ftnotebook.exceptions import NotFound, RpcError
from ftnotebook.live import (
    AnalyzedDfMessage,
    EntryCancelMessage,
    EntryMessage,
    ExitCancelMessage,
    ExitMessage,
    LiveFeed,
    LiveMessage,
    StatusMessage,
    UnknownMessage,
    WhitelistMessage,
    parse_message,
)

PAIRS = ("ETH/USDT", "SOL/USDT", "XRP/USDT", "BTC/USDT")
TAG = "ftnb_capture"


def _free_pairs(client: FtClient) -> list[str]:
    held = {t["pair"] for t in client.status()}
    whitelist = set(client.whitelist()["whitelist"])
    free = [p for p in PAIRS if p not in held and p in whitelist]
    assert len(free) >= 2, f"need two free pairs, open: {held}"
    return free


def _last_close(client: FtClient, pair: str) -> float:
    price = client.last_price(pair)
    assert price is not None and price > 0
    return price


def _wait_open_order_gone(client: FtClient, trade_id: int) -> None:
    deadline = time.monotonic() + 10
    while client.trade(trade_id).get("has_open_orders"):
        assert time.monotonic() < deadline, "the exit order did not go away"
        time.sleep(0.1)


def _wait_for(feed: LiveFeed, kind: str, trade_id: int, since: datetime) -> LiveMessage:
    return feed.wait_for(
        kind,
        predicate=lambda m: m.raw.get("trade_id") == trade_id,
        timeout=15,
        since=since,
    )


@pytest.fixture(scope="module")
def captured(trade_bot: RunningBot) -> Iterator[dict[str, Any]]:
    """Raw frames by type, plus the bot's own view of the trades they are about."""
    out: dict[str, Any] = {"raw": {}, "trades": {}}
    with (
        FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password) as client,
        LiveFeed(trade_bot.api_url, trade_bot.ws_token) as feed,
    ):
        since = datetime.now(UTC)
        traded, cancelled = _free_pairs(client)[:2]
        opened: list[int] = []
        try:
            # 1. market entry, far limit exit cancelled, market exit
            trade = client.force_enter(traded, stake_amount=20, entry_tag=TAG)
            tid = int(trade["trade_id"])
            opened.append(tid)
            for kind in ("entry", "entry_fill"):
                out["raw"][kind] = _wait_for(feed, kind, tid, since).raw
            out["trades"]["filled"] = client.trade(tid)
            far_above = _last_close(client, traded) * 3
            client.force_exit(tid, order_type="limit", price=far_above)
            assert client.trade(tid)["has_open_orders"] is True
            client.cancel_open_order(tid)
            out["raw"]["exit_cancel"] = _wait_for(feed, "exit_cancel", tid, since).raw
            _wait_open_order_gone(client, tid)
            client.force_exit(tid)
            for kind in ("exit", "exit_fill"):
                out["raw"][kind] = _wait_for(feed, kind, tid, since).raw
            deadline = time.monotonic() + 10
            while client.trade(tid)["is_open"] and time.monotonic() < deadline:
                time.sleep(0.1)
            out["trades"]["closed"] = client.trade(tid)
            opened.remove(tid)

            # 2. far limit entry, cancelled before it fills
            far_below = _last_close(client, cancelled) * 0.5
            pending = client.force_enter(
                cancelled, order_type="limit", price=far_below, stake_amount=20,
                entry_tag=TAG, allow_far_price=True,
            )  # fmt: skip
            pid = int(pending["trade_id"])
            opened.append(pid)
            out["trades"]["pending"] = client.trade(pid)
            with pytest.raises(RpcError, match="no active trade"):
                # freqtrade cancels the order, deletes the never-filled trade, then fails
                # to show it: its route answers 502 "no active trade"
                client.cancel_open_order(pid)
            with pytest.raises(NotFound):
                client.trade(pid)
            opened.remove(pid)
            out["raw"]["entry_cancel"] = _wait_for(feed, "entry_cancel", pid, since).raw

            # 3. status, whitelist, analysed dataframe
            # the worker reports a state change on its next loop: wait in each state
            client.pause()
            out["raw"]["status"] = feed.wait_for(
                "status", predicate=lambda m: m.raw.get("status") == "paused",
                timeout=30, since=since,
            ).raw  # fmt: skip
            client.start()
            out["raw"]["status_running"] = feed.wait_for(
                "status", predicate=lambda m: m.raw.get("status") == "running",
                timeout=30, since=since,
            ).raw  # fmt: skip
            out["raw"]["whitelist"] = feed.request_whitelist().raw
            out["whitelist"] = client.whitelist()["whitelist"]
            out["raw"]["analyzed_df"] = feed.request_analyzed_df(traded, limit=50).raw
            out["candles"] = client.pair_candles(traded, client.show_config()["timeframe"])
            out["pairs"] = {"traded": traded, "cancelled": cancelled}
        finally:
            if client.show_config()["state"] != "running":
                client.start()
            for tid in opened:
                try:
                    trade_now = client.trade(tid)
                except NotFound:
                    continue
                if trade_now["is_open"]:
                    if trade_now.get("has_open_orders"):
                        client.cancel_open_order(tid)
                    if client.trade(tid)["is_open"] and client.trade(tid)["amount"]:
                        client.force_exit(tid)
        yield out


def test_entry_and_entry_fill_match_the_bot_trade(captured: dict[str, Any]) -> None:
    trade = captured["trades"]["filled"]
    for kind in ("entry", "entry_fill"):
        msg = parse_message(captured["raw"][kind])
        assert isinstance(msg, EntryMessage) and msg.type == kind
        assert msg.is_fill == (kind == "entry_fill")
        assert msg.trade_id == trade["trade_id"] and msg.pair == trade["pair"]
        assert msg.enter_tag == TAG and msg.side == "long"
        assert msg.stake_amount == pytest.approx(trade["stake_amount"])
        assert msg.raw == captured["raw"][kind] and "raw" not in repr(msg)
    fill = parse_message(captured["raw"]["entry_fill"])
    assert isinstance(fill, EntryMessage)
    assert fill.amount == pytest.approx(trade["amount"])
    assert fill.open_rate == pytest.approx(trade["open_rate"])
    assert fill.open_date is not None and fill.open_date.tzinfo is not None
    assert abs((fill.open_date - pd.Timestamp(trade["open_date"], tz="UTC")).total_seconds()) < 1


def test_exit_cancel_from_cancel_open_order(captured: dict[str, Any]) -> None:
    raw = captured["raw"]["exit_cancel"]
    msg = parse_message(raw)
    assert isinstance(msg, ExitCancelMessage), msg
    assert msg.trade_id == captured["trades"]["filled"]["trade_id"]
    assert msg.pair == captured["pairs"]["traded"]
    assert msg.reason == raw["reason"] and msg.reason  # freqtrade's words, kept
    assert "cancel" in msg.reason.lower()
    assert msg.gain in ("profit", "loss")


def test_entry_cancel_from_cancel_open_order(captured: dict[str, Any]) -> None:
    raw = captured["raw"]["entry_cancel"]
    msg = parse_message(raw)
    pending = captured["trades"]["pending"]
    assert isinstance(msg, EntryCancelMessage), msg
    assert msg.trade_id == pending["trade_id"] and msg.pair == captured["pairs"]["cancelled"]
    assert msg.enter_tag == TAG and msg.reason == raw["reason"] and msg.reason
    assert "cancel" in msg.reason.lower()


def test_exit_and_exit_fill_match_the_closed_trade(captured: dict[str, Any]) -> None:
    closed = captured["trades"]["closed"]
    assert closed["is_open"] is False
    for kind in ("exit", "exit_fill"):
        msg = parse_message(captured["raw"][kind])
        assert isinstance(msg, ExitMessage) and msg.type == kind
        assert msg.trade_id == closed["trade_id"] and msg.exit_reason == "force_exit"
    fill = parse_message(captured["raw"]["exit_fill"])
    assert isinstance(fill, ExitMessage) and fill.is_fill and fill.is_final_exit
    assert fill.close_rate == pytest.approx(closed["close_rate"])
    assert fill.profit_amount == pytest.approx(closed["profit_abs"], abs=1e-6)
    # freqtrade rounds the ratio in the message to 8 decimals
    assert fill.profit_ratio == pytest.approx(closed["profit_ratio"], abs=1e-8)
    assert fill.gain == ("profit" if closed["profit_abs"] > 0 else "loss")


def test_status_whitelist_and_analyzed_df(captured: dict[str, Any]) -> None:
    status = parse_message(captured["raw"]["status"])
    assert isinstance(status, StatusMessage) and status.status == "paused"
    running = parse_message(captured["raw"]["status_running"])
    assert isinstance(running, StatusMessage) and running.status == "running"
    whitelist = parse_message(captured["raw"]["whitelist"])
    assert isinstance(whitelist, WhitelistMessage)
    assert list(whitelist.pairs) == captured["whitelist"]
    analyzed = parse_message(captured["raw"]["analyzed_df"])
    assert isinstance(analyzed, AnalyzedDfMessage)
    assert analyzed.pair == captured["pairs"]["traded"] and len(analyzed.frame) == 50
    candles = captured["candles"]
    closes = {row[candles["columns"].index("__date_ts")]: row[candles["columns"].index("close")]
              for row in candles["data"]}  # fmt: skip
    frame = analyzed.frame
    stamps = [int(ts.timestamp() * 1000) for ts in frame.index]
    shared = [ts for ts in stamps if ts in closes]
    assert len(shared) >= 45  # the REST answer may already hold one newer candle
    by_ts = dict(zip(stamps, frame["close"], strict=True))
    assert all(by_ts[ts] == pytest.approx(closes[ts]) for ts in shared)


def test_a_real_frame_with_a_field_removed_is_kept_as_unknown(
    captured: dict[str, Any],
) -> None:
    """A fault the bot cannot produce, made from its own frame: nothing is dropped."""
    raw = copy.deepcopy(dict(captured["raw"]["exit_fill"]))
    del raw["trade_id"]
    broken = parse_message(raw)
    assert isinstance(broken, UnknownMessage) and "trade_id" in (broken.error or "")
    assert broken.type == "exit_fill" and broken.raw == raw
