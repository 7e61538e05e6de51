"""LiveFeed against the real trade bot: fills, analysed dataframes, reconnects, bad tokens."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
import requests

from ftnotebook import ConnectionSettings, FtClient, Secret
from ftnotebook.demo.launcher import RunningBot, RunningSimulator, start_bot
from ftnotebook.exceptions import LiveFeedAuthError, LiveFeedError
from ftnotebook.frames import pair_candles
from ftnotebook.live import (
    AnalyzedDfMessage,
    EntryMessage,
    ExitMessage,
    LiveFeed,
    LiveMessage,
    WhitelistMessage,
)
from tests.live.conftest import RECONNECTS

PAIR = "SOL/USDT"


def _open_and_close(client: FtClient, feed: LiveFeed, tag: str) -> tuple[float, float]:
    """forceenter + forceexit on SOL/USDT; seconds until entry_fill and exit_fill arrived."""
    since = datetime.now(UTC)
    started = time.monotonic()
    trade = client.force_enter(PAIR, stake_amount=20, entry_tag=tag)
    trade_id = int(trade["trade_id"])
    try:
        entry = feed.wait_for(
            "entry_fill",
            predicate=lambda m: getattr(m, "trade_id", None) == trade_id,
            timeout=5,
            since=since,
        )
        entry_s = time.monotonic() - started
    finally:
        exit_started = time.monotonic()
        client.force_exit(trade_id)
    exit_msg = feed.wait_for(
        "exit_fill",
        predicate=lambda m: getattr(m, "trade_id", None) == trade_id,
        timeout=5,
        since=since,
    )
    assert isinstance(entry, EntryMessage) and entry.pair == PAIR and entry.enter_tag == tag
    assert isinstance(exit_msg, ExitMessage) and exit_msg.exit_reason == "force_exit"
    return entry_s, time.monotonic() - exit_started


def test_entry_fill_and_exit_fill_arrive_within_5s(live_client: FtClient, feed: LiveFeed) -> None:
    entries: list[LiveMessage] = []
    feed.on(entries.append, types=["entry", "entry_fill"])
    since = datetime.now(UTC)
    entry_s, exit_s = _open_and_close(live_client, feed, "ftnb_live_fill")
    assert entry_s < 5 and exit_s < 5

    fills = [m for m in feed.history if m.received_at >= since and m.type.endswith("_fill")]
    entry_fill = next(m for m in fills if isinstance(m, EntryMessage))
    exit_fill = next(m for m in fills if isinstance(m, ExitMessage))
    assert entry_fill.is_fill and exit_fill.is_fill
    assert entry_fill.trade_id == exit_fill.trade_id
    assert entry_fill.amount and entry_fill.amount > 0
    assert entry_fill.open_rate and entry_fill.open_rate > 0
    assert entry_fill.open_date is not None and entry_fill.open_date.tzinfo is not None
    assert exit_fill.close_rate and exit_fill.close_rate > 0
    assert exit_fill.profit_ratio is not None and exit_fill.is_final_exit
    assert exit_fill.gain in ("profit", "loss")
    # the callback saw both the order placement and the fill
    assert {"entry", "entry_fill"} <= {m.type for m in entries}
    trade = live_client.trade(entry_fill.trade_id)
    assert trade["is_open"] is False


def test_analyzed_df_matches_pair_candles(live_client: FtClient, feed: LiveFeed) -> None:
    message = feed.request_analyzed_df("BTC/USDT", limit=200)
    assert isinstance(message, AnalyzedDfMessage)
    live = message.frame
    rest = pair_candles(live_client, "BTC/USDT", "5m", limit=200)
    assert len(live) == 200
    assert isinstance(live.index, pd.DatetimeIndex) and str(live.index.tz) == "UTC"
    assert live.attrs["pair"] == "BTC/USDT" and live.attrs["timeframe"] == "5m"
    # same schema as pair_candles ...
    for column in ("open", "high", "low", "close", "volume", "rsi", "enter_long", "enter_tag"):
        assert live[column].dtype == rest[column].dtype, column
    # ... and the same values on the candles both hold (a candle may close in between)
    common = live.index.intersection(rest.index)
    assert len(common) >= 190
    shared = [c for c in live.columns if c in rest.columns]
    assert {"open", "close", "ema_fast", "rsi", "macdhist", "enter_long", "exit_tag"} <= set(shared)
    pd.testing.assert_frame_equal(
        live.loc[common, shared], rest.loc[common, shared], check_freq=False, rtol=1e-9
    )


def test_request_whitelist(feed: LiveFeed, live_client: FtClient) -> None:
    message = feed.request_whitelist()
    assert isinstance(message, WhitelistMessage)
    assert list(message.pairs) == live_client.whitelist()["whitelist"]


def test_reconnects_and_resubscribes_after_ten_cuts(
    live_client: FtClient, trade_bot: RunningBot
) -> None:
    """Cut the socket 10 times; each time the feed must reconnect, resubscribe and deliver.

    The trade notifications only flow to a channel that subscribed, so the entry/exit
    fills after each cut prove the new connection resubscribed.
    """
    rows: list[dict[str, float]] = []
    with LiveFeed(trade_bot.api_url, trade_bot.ws_token, ping_interval=5) as feed:
        for cut in range(10):
            assert feed.connected
            before = len(feed.stats.reconnect_seconds)
            dropped = time.monotonic()
            feed.drop_connection()
            message = feed.request_whitelist(timeout=15)  # waits for the new connection
            first_message_s = time.monotonic() - dropped
            assert isinstance(message, WhitelistMessage) and message.pairs
            assert len(feed.stats.reconnect_seconds) == before + 1
            _open_and_close(live_client, feed, f"ftnb_cut_{cut}")
            rows.append(
                {
                    "reconnect_s": feed.stats.reconnect_seconds[-1],
                    "first_message_s": first_message_s,
                }
            )
        assert feed.stats.connects == 11 and feed.stats.disconnects == 10
    RECONNECTS["client-side socket cut (shared trade bot)"] = rows
    print("reconnect seconds after socket cuts:", [round(r["reconnect_s"], 3) for r in rows])


@pytest.fixture
def own_bot(tmp_path: Path, simulator: RunningSimulator) -> Iterator[list[RunningBot]]:
    """A throwaway trade bot (fresh DB) that the test may stop and restart."""
    bots = [start_bot(tmp_path / "bot", simulator_url=simulator.url)]
    try:
        yield bots
    finally:
        bots[-1].stop()


class ReadyWatcher:
    """Polls ``/ping`` every 20 ms and records when the bot first answers again."""

    def __init__(self, api_url: str) -> None:
        self.url = f"{api_url}/api/v1/ping"
        self.ready_at: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        session = requests.Session()
        while not self._stop.is_set():
            try:
                if session.get(self.url, timeout=0.5).status_code == 200:
                    self.ready_at = time.monotonic()
                    return
            except requests.RequestException:
                pass
            self._stop.wait(0.02)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)


@pytest.mark.slow
def test_reconnects_after_bot_restarts(
    own_bot: list[RunningBot], simulator: RunningSimulator, tmp_path: Path
) -> None:
    """Stop and restart a bot on the same port 3 times: the feed follows it every time.

    While the bot is down the feed retries fast: each of the first ``fast_retries`` waits
    it chose is at most ``backoff_initial`` (counted from ``stats.retry_delays``, not
    timed; a restart slower than the fast phase moves on to the doubling waits). The seconds from
    "the bot answers /ping again" to "the feed is connected" are printed; the 1 s target
    is checked by ``bench/bench_reconnect.py``.
    """
    first = own_bot[0]
    rows: list[dict[str, float]] = []
    with LiveFeed(first.api_url, first.ws_token, backoff_max=2.0) as feed:
        for restart in range(3):
            own_bot[-1].stop()
            stopped = time.monotonic()
            assert _wait_until(lambda: not feed.connected, timeout=15)  # noticed the drop
            delays_before = len(feed.stats.retry_delays)
            watcher = ReadyWatcher(first.api_url)
            try:
                bot = _restart_on_port(tmp_path / f"bot{restart}", simulator, first)
                own_bot.append(bot)
                message = feed.request_whitelist(timeout=30)
            finally:
                watcher.stop()
            first_message_s = time.monotonic() - stopped
            assert isinstance(message, WhitelistMessage)
            outage_delays = feed.stats.retry_delays[delays_before:]
            fast = outage_delays[: feed.fast_retries]  # the schedule's fast phase
            assert fast and max(fast) <= feed.backoff_initial, outage_delays
            assert watcher.ready_at is not None and feed.stats.connected_at is not None
            rows.append(
                {
                    "reconnect_s": feed.stats.reconnect_seconds[-1],
                    "first_message_s": first_message_s,
                    "after_ready_s": feed.stats.connected_at - watcher.ready_at,
                    "attempts_while_down": float(len(outage_delays)),
                }
            )
        assert feed.stats.disconnects == 3 and feed.stats.connects == 4
    RECONNECTS["bot stopped and restarted on the same port"] = rows
    print(
        "reconnect after bot restarts (s): total",
        [round(r["reconnect_s"], 3) for r in rows],
        "after the bot answered /ping",
        [round(r["after_ready_s"], 3) for r in rows],
        "attempts while down",
        [int(r["attempts_while_down"]) for r in rows],
    )


def _wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _restart_on_port(workdir: Path, simulator: RunningSimulator, like: RunningBot) -> RunningBot:
    deadline = time.monotonic() + 60
    while True:
        try:
            return start_bot(
                workdir,
                simulator_url=simulator.url,
                api_port=like.port,
                credentials=like.credentials,
            )
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_bad_token_fails_fast_without_retry_storm(trade_bot: RunningBot) -> None:
    feed = LiveFeed(trade_bot.api_url, "not-the-token")
    with pytest.raises(LiveFeedAuthError, match="refused the live feed's token") as info:
        feed.start(timeout=10)
    time.sleep(1.5)  # a retrying client would have tried again by now
    assert feed.stats.attempts == 1
    assert feed.state == "failed" and feed.error is info.value
    assert "not-the-token" not in str(info.value) and "not-the-token" not in repr(feed)
    with pytest.raises(LiveFeedAuthError):
        feed.get(timeout=1)


def test_fresh_jwt_per_connection_from_client(live_client: FtClient) -> None:
    tokens: list[str] = []

    def jwt() -> str:
        token = live_client.token_login().access_token.reveal()
        tokens.append(token)
        return token

    with LiveFeed(live_client.url, jwt) as feed:
        assert feed.request_whitelist().pairs
        feed.drop_connection()
        assert feed.request_whitelist(timeout=15).pairs
        assert "JWT per connection" in repr(feed) and tokens[0] not in repr(feed)
    assert len(tokens) == 2
    assert feed.state == "stopped"


def test_from_client_uses_jwt_with_credentials_else_ws_token(trade_bot: RunningBot) -> None:
    with FtClient.from_config(trade_bot.config_path) as client:
        assert client.settings.ws_token is not None and client.settings.username is not None
        with LiveFeed.from_client(client) as feed:
            assert feed.request_whitelist().pairs
            assert "JWT per connection" in repr(feed) and trade_bot.ws_token not in repr(feed)
        with LiveFeed.from_client(client, use_ws_token=True) as feed:
            assert feed.request_whitelist().pairs
            assert "token=***" in repr(feed) and trade_bot.ws_token not in repr(feed)
    settings = ConnectionSettings(trade_bot.api_url, ws_token=Secret(trade_bot.ws_token))
    with FtClient(settings=settings) as token_only, LiveFeed.from_client(token_only) as feed:
        assert feed.request_whitelist().pairs and "token=***" in repr(feed)
    with FtClient(trade_bot.api_url) as bare, pytest.raises(ValueError, match="neither"):
        LiveFeed.from_client(bare)


def test_stop_ends_thread_and_iteration(trade_bot: RunningBot) -> None:
    feed = LiveFeed(trade_bot.api_url, trade_bot.ws_token).start()
    thread = feed._thread
    assert thread is not None and thread.is_alive()
    feed.stop()
    assert not thread.is_alive() and feed.state == "stopped"
    assert list(feed.messages(timeout=1)) == []
    with pytest.raises(LiveFeedError, match="stopped"):
        feed.get(timeout=1)
    with pytest.raises(LiveFeedError, match="create a new one"):
        feed.start()
    feed.stop()  # twice is fine


def test_unreachable_bot_gives_clear_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    feed = LiveFeed(f"http://127.0.0.1:{port}", "token", backoff_initial=0.2)
    with pytest.raises(LiveFeedError, match=r"could not connect .* within 2 s") as info:
        feed.start(timeout=2)
    assert "refused" in str(info.value).lower()
    assert feed.state == "stopped"
    # retried fast, but with waits between attempts (counted, not timed): no busy loop
    assert feed.stats.attempts >= 2
    assert len(feed.stats.retry_delays) >= feed.stats.attempts - 1
    assert all(0.1 <= d <= 0.2 for d in feed.stats.retry_delays), feed.stats.retry_delays


def test_bad_arguments_are_refused_before_connecting(trade_bot: RunningBot) -> None:
    with pytest.raises(ValueError, match="unknown message type"):
        LiveFeed(trade_bot.api_url, "t", subscribe=["entry_filled"])
    with pytest.raises(ValueError, match="token must be"):
        LiveFeed(trade_bot.api_url, "")
    with pytest.raises(ValueError, match="ping_interval"):
        LiveFeed(trade_bot.api_url, "t", ping_interval=0)
    with pytest.raises(ValueError, match="http"):
        LiveFeed("127.0.0.1:8080", "t")
    feed = LiveFeed(trade_bot.api_url, "t")
    with pytest.raises(ValueError, match="limit"):
        feed.send_analyzed_df_request(limit=5000)
    with pytest.raises(ValueError, match="pair"):
        feed.request_analyzed_df("BTCUSDT")
