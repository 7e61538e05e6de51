"""Live widgets against the real trade bot: the chart redraws from real analyzed_df
messages, the fill feed lists real fills, and both stop listening when closed."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from ftnotebook import FtClient
from ftnotebook.live import FillFeed, LiveCandleChart, LiveFeed


def _wait(condition: object, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_live_candle_chart_draws_and_redraws(feed: LiveFeed) -> None:
    chart = LiveCandleChart(feed, "BTC/USDT", candles=120, indicators=["ema_fast", "rsi_x"])
    try:
        assert chart.redraws >= 1
        candle = chart.figure.data[0]
        assert candle.type == "candlestick" and len(candle.x) == 120
        assert [t.name for t in chart.figure.data] == [
            "BTC/USDT",
            "ema_fast",
            "rsi_x",
            "enter_long",
            "exit_long",
        ]
        assert len(chart.figure.data[1].y) == 120  # indicator drawn
        assert len(chart.figure.data[2].y) == 0  # unknown column: empty, not an error
        assert chart.frame.index.is_monotonic_increasing
        assert list(candle.close) == list(chart.frame["close"])
        assert "120 candles" in chart.status.value
        # a pushed analyzed_df (here: the answer to a request) redraws in place
        before = chart.redraws
        feed.send_analyzed_df_request(pair="BTC/USDT", limit=5)
        assert _wait(lambda: chart.redraws > before)
        assert len(chart.figure.data[0].x) == 120  # merged, not replaced
    finally:
        chart.close()
    assert chart.closed
    redraws = chart.redraws
    since = feed.send_analyzed_df_request(pair="BTC/USDT", limit=5)
    feed.wait_for("analyzed_df", timeout=10, since=since)
    time.sleep(0.2)
    assert chart.redraws == redraws  # a closed chart no longer listens


def test_fill_feed_lists_fills_and_stops_when_closed(live_client: FtClient, feed: LiveFeed) -> None:
    fills = FillFeed(feed)
    assert "waiting" in fills.table.value
    trade = live_client.force_enter("SOL/USDT", stake_amount=20, entry_tag="ftnb_fillfeed")
    try:
        assert _wait(lambda: any(m.type == "entry_fill" for m in fills.rows))
    finally:
        live_client.force_exit(int(trade["trade_id"]))
    assert _wait(lambda: any(m.type == "exit_fill" for m in fills.rows))
    assert fills.rows[0].type == "exit_fill"  # newest first
    assert "SOL/USDT" in fills.table.value and "force_exit" in fills.table.value
    fills.close()
    count = len(fills.rows)
    since = datetime.now(UTC)
    trade = live_client.force_enter("SOL/USDT", stake_amount=20, entry_tag="ftnb_fillfeed2")
    live_client.force_exit(int(trade["trade_id"]))
    feed.wait_for("exit_fill", timeout=5, since=since)
    time.sleep(0.2)
    assert len(fills.rows) == count


def test_widget_arguments_are_checked(feed: LiveFeed) -> None:
    with pytest.raises(ValueError, match="feed must be a LiveFeed"):
        FillFeed("feed")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="types must be among"):
        FillFeed(feed, types=["whitelist"])
    with pytest.raises(ValueError, match="candles"):
        LiveCandleChart(feed, "BTC/USDT", candles=0)
    with pytest.raises(ValueError, match="pair"):
        LiveCandleChart(feed, "BTCUSDT")
