"""TradeHistory notices trades deleted (and closed) while it reads the bot, on a real bot.

The deletions go through the bot's own API (``DELETE /trades/{id}``) on a throwaway
trade bot with a fresh 30-trade database, so the session bots keep their trades. A
``requests`` response hook on the client's session deletes a trade right after a chosen
``/trades`` page arrived: the issue's repro (page 2 of a ``page_size=10`` fetch) and
worse. Nothing is mocked except the missing-pyarrow case, named as such.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import requests

from ftnotebook import FtClient, TradeHistory
from ftnotebook.demo.launcher import RunningBot, RunningSimulator, start_bot
from ftnotebook.demo.seeding import plan_trades, write_trades_db
from ftnotebook.frames import FULL_FETCH_ATTEMPTS, TradeHistoryChanged
from tests.conftest import BotApi


@pytest.fixture(scope="module")
def spare(simulator: RunningSimulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A throwaway trade bot on 30 closed trades, whose trades the tests delete."""
    tmp = tmp_path_factory.mktemp("deletions")
    db = tmp / "trades.sqlite"
    write_trades_db(db, plan_trades(30, days=10, seed=11))
    bot = start_bot(tmp / "bot", simulator_url=simulator.url, db_url=f"sqlite:///{db}")
    try:
        api = BotApi(bot)
        deadline = time.monotonic() + 60  # freqtrade back-fills precision after start
        while api.get("trades", limit=1)["trades"][0]["amount_precision"] is None:
            assert time.monotonic() < deadline, "the bot never back-filled trade precision"
            time.sleep(0.2)
        yield bot, api
    finally:
        bot.stop()


def _ids(api: BotApi) -> list[int]:
    """The bot's closed trade ids, read in one page."""
    return sorted(t["trade_id"] for t in api.get("trades", limit=500)["trades"])


class DeleteAfterPage:
    """Deletes the next id of ``victims`` after each ``/trades`` response number in ``after``."""

    def __init__(self, client: FtClient, api: BotApi, after: set[int], victims: list[int]):
        self.api, self.after, self.victims = api, after, list(victims)
        self.pages = 0
        self.deleted: list[int] = []
        client._transport.session.hooks["response"].append(self)

    def __call__(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if urlparse(response.url).path != "/api/v1/trades":
            return
        self.pages += 1
        if self.pages in self.after and self.victims:
            victim = self.victims.pop(0)
            self.api("DELETE", f"trades/{victim}")
            self.deleted.append(victim)


def test_trade_deleted_between_page_2_and_3_is_detected_and_refetched(spare: Any) -> None:
    bot, api = spare
    before = _ids(api)
    victim = before[4]  # "trade 5" of the issue: on page 1, already read
    with FtClient(bot.api_url, bot.username, bot.password) as client:
        deleter = DeleteAfterPage(client, api, after={2}, victims=[victim])
        history = TradeHistory(client, page_size=10, progress=False)
        df = history.frame()
    assert deleter.deleted == [victim]
    assert history.full_fetches == 2  # the first fetch failed the check
    assert victim not in set(df.trade_id)
    assert sorted(df.trade_id) == _ids(api) == [i for i in before if i != victim]
    assert len(df) == api.get("trades", limit=1)["total_trades"]


def test_refresh_notices_deletions_with_and_without_a_new_close(spare: Any) -> None:
    bot, api = spare
    with FtClient(bot.api_url, bot.username, bot.password) as client:
        history = TradeHistory(client, page_size=10, progress=False)
        first = history.frame()
        gone = int(first.trade_id.iloc[3])
        api("DELETE", f"trades/{gone}")
        df = history.frame()
        assert history.last_refresh == "full"
        assert gone not in set(df.trade_id) and sorted(df.trade_id) == _ids(api)

        # one deleted and one closed: the count alone adds up, the id set does not
        gone = int(df.trade_id.iloc[5])
        trade = api("POST", "forceenter", json={"pair": "XRP/USDT", "entry_tag": "consistency"})
        try:
            api("DELETE", f"trades/{gone}")
        finally:
            api("POST", "forceexit", json={"tradeid": str(trade["trade_id"])})
        deadline = time.monotonic() + 30
        while trade["trade_id"] not in _ids(api):
            assert time.monotonic() < deadline, "the forced exit never closed"
            time.sleep(0.2)
        assert len(_ids(api)) == len(df)
        again = history.frame()
        assert history.last_refresh == "full"
        assert sorted(again.trade_id) == _ids(api)
        assert trade["trade_id"] in set(again.trade_id) and gone not in set(again.trade_id)


def test_a_frame_that_failed_the_check_is_never_cached(spare: Any, tmp_path: Path) -> None:
    """A deletion during every full fetch: a typed error, and no cache file at all."""
    bot, api = spare
    victims = _ids(api)[:FULL_FETCH_ATTEMPTS]
    pages_per_fetch = -(-len(_ids(api)) // 10) + 1  # the pages plus the newest-first pass
    after = {2 + n * pages_per_fetch for n in range(FULL_FETCH_ATTEMPTS)}
    with FtClient(bot.api_url, bot.username, bot.password) as client:
        deleter = DeleteAfterPage(client, api, after=after, victims=victims)
        history = TradeHistory(client, page_size=10, cache=tmp_path, progress=False)
        with pytest.raises(TradeHistoryChanged, match="call frame\\(\\) again"):
            history.frame()
        assert deleter.deleted == victims
        assert list(tmp_path.iterdir()) == []
        assert len(history) == 0
        df = history.frame()  # nothing deletes any more: consistent, and now cached
        assert sorted(df.trade_id) == _ids(api)
    assert len(list(tmp_path.glob("trades-*.parquet"))) == 2


def test_cache_without_pyarrow_names_the_extra(
    trade_bot: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated fault (pyarrow is a dev dependency here): pyarrow made unimportable."""
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password) as client:
        with pytest.raises(ImportError, match=r'pip install "ftnotebook\[cache\]"'):
            TradeHistory(client, cache=True)
        assert TradeHistory(client, cache=False).page_size > 0
