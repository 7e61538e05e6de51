"""Trades: full fetch (ours vs freqtrade-client vs the raw floor), page sizes, refresh.

* **floor**: the same ``/trades`` pages with ``requests``, ``resp.json()`` only; no
  client can be faster than the bot's JSON plus its decoding.
* **freqtrade-client**: ``FtRestClient.trades()`` in a page loop, then ``pd.DataFrame``.
* **ours**: a fresh ``TradeHistory(client).frame()`` (typed, deduplicated, checked).
* **refresh**: after each batch of 10 trades closed through forceenter/forceexit, an
  existing ``TradeHistory`` refreshes (in memory, and with the parquet cache) and is
  compared with a full refetch; both frames are checked equal.

Run alone: ``.venv/bin/python bench/bench_trades.py`` (builds its own stack).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import requests
from freqtrade_client import FtRestClient

from bench._common import RUNS, PeakRss, Stack, Timing, bench_stack, log, measure
from ftnotebook import FtClient, TradeHistory
from ftnotebook.frames import DEFAULT_PAGE_SIZE

PAGE_SIZES = (500, 1000, 2000)
REFRESH_BATCH = 10
TIMEOUTS = {"trades": 600.0, "profit": 1800.0, "status": 120.0}


def client_for(stack: Stack) -> FtClient:
    bot = stack.trade_bot
    return FtClient(bot.api_url, bot.username, bot.password, timeouts=TIMEOUTS)


def floor_fetch(session: requests.Session, base: str, page_size: int) -> int:
    """Every page with requests + resp.json(), nothing else. Returns the trade count."""
    offset, total, rows = 0, 1, 0
    while offset < total:
        resp = session.get(
            f"{base}/api/v1/trades",
            params={"limit": page_size, "offset": offset, "order_by_id": "true"},
            timeout=600,
        )
        resp.raise_for_status()
        page = resp.json()
        total = page["total_trades"]
        n = len(page["trades"])
        rows += n
        if not n:
            break
        offset += n
    return rows


def ftclient_fetch(ft: FtRestClient, page_size: int) -> pd.DataFrame:
    """freqtrade-client's way: trades() page by page, then one pd.DataFrame."""
    trades: list[dict[str, Any]] = []
    offset, total = 0, 1
    while offset < total:
        page = ft.trades(limit=page_size, offset=offset)
        total = page["total_trades"]
        trades.extend(page["trades"])
        if not page["trades"]:
            break
        offset += len(page["trades"])
    return pd.DataFrame(trades)


@dataclass
class TradesResult:
    n_trades: int = 0
    full: dict[str, Timing] = field(default_factory=dict)
    """``ours``, ``freqtrade-client``, ``floor`` at the default page size."""
    pages: dict[int, dict[str, float]] = field(default_factory=dict)
    """page size -> ``ours`` median s, ``floor`` median s, ``bot_mb`` extra bot RSS."""
    refresh: Timing | None = None
    refresh_cached: Timing | None = None
    refetch: Timing | None = None


def bench_full_fetch(stack: Stack, result: TradesResult, runs: int = RUNS) -> None:
    bot = stack.trade_bot
    client = client_for(stack)
    session = requests.Session()
    session.auth = (bot.username, bot.password)
    ft = FtRestClient(bot.api_url, bot.username, bot.password, timeout=600)
    result.n_trades = floor_fetch(session, bot.api_url, DEFAULT_PAGE_SIZE)  # warm-up
    log(f"full fetch of {result.n_trades} closed trades, {runs} runs each (interleaved)")
    for size in PAGE_SIZES:
        times: dict[str, list[float]] = {"ours": [], "floor": []}
        if size == DEFAULT_PAGE_SIZE:
            times["freqtrade-client"] = []
        fns = {
            "ours": lambda s=size: TradeHistory(client, page_size=s, progress=False).frame(),
            "floor": lambda s=size: floor_fetch(session, bot.api_url, s),
            "freqtrade-client": lambda s=size: ftclient_fetch(ft, s),
        }
        with PeakRss(bot.pid) as rss:
            floor_fetch(session, bot.api_url, size)
        for _ in range(runs):
            for name in times:
                times[name] += measure(fns[name], 1).runs
        timings = {k: Timing(v) for k, v in times.items()}
        result.pages[size] = {
            "ours": timings["ours"].median,
            "floor": timings["floor"].median,
            "bot_mb": rss.extra_mb,
        }
        log(
            f"  page {size}: "
            + ", ".join(f"{k} {t.median:.2f} s" for k, t in timings.items())
            + f", bot +{rss.extra_mb:.0f} MB"
        )
        if size == DEFAULT_PAGE_SIZE:
            result.full = timings
    client.close()


def _close_batch(client: FtClient, n: int) -> None:
    for _ in range(n):
        trade = client.request("POST", "/forceenter", json={"pair": "SOL/USDT", "side": "long"})
        client.request("POST", "/forceexit", json={"tradeid": str(trade["trade_id"])})


def bench_refresh(stack: Stack, result: TradesResult, runs: int = RUNS) -> TradeHistory:
    """Returns the in-memory history, up to date (the profit benchmark reuses it)."""
    client = client_for(stack)
    memory = TradeHistory(client, progress=False)
    memory.frame()
    cache_dir = Path(tempfile.mkdtemp(prefix="ftnb-bench-cache-"))
    cached = TradeHistory(client, cache=cache_dir, progress=False)
    cached.frame()
    log(f"refresh after {REFRESH_BATCH} new closed trades, {runs} batches")
    ours, ours_cached, full = [], [], []
    for _ in range(runs):
        _close_batch(client, REFRESH_BATCH)
        ours += measure(memory.frame, 1).runs
        assert memory.last_refresh == "incremental", memory.last_refresh
        ours_cached += measure(cached.frame, 1).runs
        assert cached.last_refresh == "incremental", cached.last_refresh
        fresh = TradeHistory(client, progress=False)
        full += measure(fresh.frame, 1).runs
        pd.testing.assert_frame_equal(memory.frame(refresh=False), fresh.frame(refresh=False))
        pd.testing.assert_frame_equal(cached.frame(refresh=False), fresh.frame(refresh=False))
    result.refresh, result.refresh_cached, result.refetch = (
        Timing(ours),
        Timing(ours_cached),
        Timing(full),
    )
    log(
        f"  refresh {result.refresh.median * 1000:.0f} ms, with cache "
        f"{result.refresh_cached.median * 1000:.0f} ms, full refetch {result.refetch.median:.2f} s"
    )
    return memory


if __name__ == "__main__":
    with bench_stack(20_000) as st:
        res = TradesResult()
        bench_full_fetch(st, res)
        bench_refresh(st, res)
        print(res)
