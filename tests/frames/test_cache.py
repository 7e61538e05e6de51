"""The on-disk trade cache against real bots: a restart fetches only what changed, and a
bot whose database was replaced is detected and fetched in full (a stale cache is never
served).

Requests are counted with a ``requests`` response hook on the client's own session
(nothing is mocked): every ``/trades`` page the bot serves is one count.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pandas as pd
import pytest
import requests

from ftnotebook import TradeHistory
from ftnotebook.client import FtClient
from ftnotebook.demo import processes
from ftnotebook.demo.launcher import RunningBot, RunningSimulator, start_bot
from ftnotebook.demo.seeding import plan_trades, write_trades_db


class RequestLog:
    """Paths of every response the client's session received (a requests hook)."""

    def __init__(self, client: FtClient) -> None:
        self.paths: list[str] = []
        client._transport.session.hooks["response"].append(self._hook)

    def _hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.paths.append(urlparse(response.url).path)

    def count(self, route: str) -> int:
        return sum(p == f"/api/v1/{route}" for p in self.paths)


def _client(bot: RunningBot) -> FtClient:
    return FtClient(bot.api_url, bot.username, bot.password)


def _fresh(bot: RunningBot) -> pd.DataFrame:
    """Every closed trade, fetched in full without any cache."""
    with _client(bot) as c:
        return TradeHistory(c, progress=False).frame()


def test_restarted_history_fetches_only_what_changed(
    trade_bot: RunningBot, bot_api: Any, tmp_path: Path
) -> None:
    with _client(trade_bot) as first:
        history = TradeHistory(first, cache=tmp_path, progress=False)
        full = history.frame()
        assert history.last_refresh == "full"
    assert len(list(tmp_path.glob("trades-*.parquet"))) == 2  # the frame and the raw JSON

    # a "restarted kernel": new client, new history, same cache dir
    with _client(trade_bot) as second:
        log = RequestLog(second)
        again = TradeHistory(second, cache=tmp_path, progress=False)
        df = again.frame()
        assert again.last_refresh == "incremental"
        assert log.count("trades") == 1
        pd.testing.assert_frame_equal(df, full)
        pd.testing.assert_frame_equal(again.orders(), history.orders())

    trade = bot_api("POST", "forceenter", json={"pair": "SOL/USDT", "entry_tag": "cache_test"})
    bot_api("POST", "forceexit", json={"tradeid": str(trade["trade_id"])})

    with _client(trade_bot) as third:
        log = RequestLog(third)
        later = TradeHistory(third, cache=tmp_path, progress=False)
        df = later.frame()
        assert later.last_refresh == "incremental"
        assert log.count("trades") == 1
    assert len(df) == len(full) + 1
    assert trade["trade_id"] in set(df.trade_id)
    pd.testing.assert_frame_equal(df, _fresh(trade_bot))
    # the new trade went to a small delta file, not a rewrite; a restart reads both
    assert len(list(tmp_path.glob("trades-*.delta-*.parquet"))) == 1
    with _client(trade_bot) as fourth:
        log = RequestLog(fourth)
        last = TradeHistory(fourth, cache=tmp_path, progress=False)
        pd.testing.assert_frame_equal(last.frame(), df)
        assert last.last_refresh == "incremental" and log.count("trades") == 1
        pd.testing.assert_frame_equal(last.orders(), later.orders())
        last.clear()
    assert list(tmp_path.iterdir()) == []


def test_unreadable_cache_is_a_miss_not_an_error(trade_bot: RunningBot, tmp_path: Path) -> None:
    with _client(trade_bot) as c:
        TradeHistory(c, cache=tmp_path, progress=False).frame()
        for path in tmp_path.glob("trades-*.parquet"):
            path.write_bytes(b"not parquet")
        history = TradeHistory(c, cache=tmp_path, progress=False)
        df = history.frame()
        assert history.last_refresh == "full"
    pd.testing.assert_frame_equal(df, _fresh(trade_bot))


def test_cache_whose_frame_and_records_disagree_is_rebuilt(
    trade_bot: RunningBot, tmp_path: Path
) -> None:
    """A crash between writing the two cache files must not serve a short frame."""
    with _client(trade_bot) as c:
        TradeHistory(c, cache=tmp_path, progress=False).frame()
        (frame_file,) = (p for p in tmp_path.glob("trades-*.parquet") if ".raw" not in p.name)
        short = pd.read_parquet(frame_file).iloc[:-3]
        short.to_parquet(frame_file)
        history = TradeHistory(c, cache=tmp_path, progress=False)
        df = history.frame()
    pd.testing.assert_frame_equal(df, _fresh(trade_bot))


# ------------------------------------------------------------------ replaced databases


def _wait_port_free(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not processes.port_is_free(port):
        assert time.monotonic() < deadline, f"port {port} still busy after {timeout} s"
        time.sleep(0.5)


def _wait_startup_updates(bot: RunningBot, timeout: float = 60.0) -> None:
    """freqtrade back-fills the precision of old trades just after it reports "running"
    (``startup_backpopulate_precision``, one commit): wait for it, so that the frames
    compared below are not taken on either side of that update."""
    auth = (bot.username, bot.password)
    deadline = time.monotonic() + timeout
    while True:
        page = requests.get(
            f"{bot.api_url}/api/v1/trades", params={"limit": 1}, auth=auth, timeout=10
        )
        if page.json()["trades"][0]["amount_precision"] is not None:
            return
        assert time.monotonic() < deadline, "the bot never back-filled trade precision"
        time.sleep(0.2)


@pytest.fixture
def bot_on_db(simulator: RunningSimulator, tmp_path: Path) -> Iterator[Any]:
    """``start(name, n, seed)``: a throwaway trade bot on a fresh n-trade DB, always on
    the same API port (so the same URL and, from this process, the same bot_name).

    The first start lets the launcher pick the port (it retries on a clash); the restarts
    reuse it once the stopped bot has let go of it."""
    ports: list[int] = []
    running: list[RunningBot] = []

    def start(name: str, n: int, seed: int) -> RunningBot:
        for bot in running:
            bot.stop()
        running.clear()
        db = tmp_path / f"{name}.sqlite"
        write_trades_db(db, plan_trades(n, days=10, seed=seed))
        if ports:
            _wait_port_free(ports[0])
        bot = start_bot(
            tmp_path / name,
            simulator_url=simulator.url,
            api_port=ports[0] if ports else None,
            db_url=f"sqlite:///{db}",
            timeout=120,
        )
        if not ports:
            ports.append(bot.port)
        running.append(bot)
        _wait_startup_updates(bot)
        return bot

    yield start
    for bot in running:
        bot.stop()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_replaced_database_is_detected_and_fetched_in_full(bot_on_db: Any, tmp_path: Path) -> None:
    cache = tmp_path / "cache"

    def history_of(bot: RunningBot) -> tuple[TradeHistory, pd.DataFrame, int]:
        with _client(bot) as c:
            log = RequestLog(c)
            history = TradeHistory(c, cache=cache, progress=False)
            df = history.frame()
            return history, df, log.count("trades")

    first = bot_on_db("a", 30, seed=1)
    history, df_a, _ = history_of(first)
    assert history.last_refresh == "full" and len(df_a) == 30

    # same port, same bot_name, same number of trades, other close data
    second = bot_on_db("b", 30, seed=2)
    assert second.bot_name == first.bot_name and second.api_url == first.api_url
    history, df_b, _ = history_of(second)
    assert history.last_refresh == "full"
    assert sorted(df_b.trade_id) == sorted(df_a.trade_id)
    assert not df_b.close_date.equals(df_a.close_date)
    pd.testing.assert_frame_equal(df_b, _fresh(second))
    history, again, requests_made = history_of(second)  # the cache now holds b
    assert history.last_refresh == "incremental" and requests_made == 1
    pd.testing.assert_frame_equal(again, df_b)

    # fewer closed trades than the cache knows: a reset database
    third = bot_on_db("c", 12, seed=3)
    history, df_c, _ = history_of(third)
    assert history.last_refresh == "full" and len(df_c) == 12
    pd.testing.assert_frame_equal(df_c, _fresh(third))

    # more trades, overlapping ids with other data: walked, mismatch found, full fetch
    fourth = bot_on_db("d", 80, seed=4)
    history, df_d, _ = history_of(fourth)
    assert history.last_refresh == "full" and len(df_d) == 80
    pd.testing.assert_frame_equal(df_d, _fresh(fourth))
    assert len(list(cache.glob("trades-*.parquet"))) == 2  # frame + raw, one key
