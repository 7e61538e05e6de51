"""Shared pieces of the benchmarks: timing, the cached inputs, the bots they run against.

Inputs are built once and kept under ``.bench/`` (git-ignored), keyed by their size:

* ``trades-<n>.sqlite``: ``n`` closed trades written with freqtrade's own models
  (:func:`ftnotebook.demo.seeding.write_trades_db`); every run works on a copy, because
  the refresh benchmark adds trades to it;
* ``candles-1m-<days>/``: 1-minute OHLCV feather files downloaded by freqtrade itself
  from the simulator (the walk is deterministic, so the files stay valid).
"""

from __future__ import annotations

import contextlib
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from ftnotebook.demo.launcher import (
    RunningBot,
    RunningSimulator,
    download_data,
    start_bot,
    start_simulator,
)
from ftnotebook.demo.seeding import plan_trades, write_trades_db

REPO = Path(__file__).resolve().parents[1]
BENCH_DIR = REPO / ".bench"
RUNS = 5
"""Timed runs per measurement; the medians are reported."""
TRADE_DAYS = 300
"""The 20,000 trades are spread over this many days (the walk starts 2026-01-01)."""


@dataclass
class Timing:
    """The runs of one measurement, in seconds."""

    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def measure(fn: Callable[[], Any], runs: int = RUNS, *, warmup: bool = False) -> Timing:
    """Run ``fn`` ``runs`` times (after one untimed run if ``warmup``) and time each."""
    if warmup:
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return Timing(times)


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def trades_db(n: int, days: int = TRADE_DAYS) -> Path:
    """The cached ``n``-trade database, built on first use."""
    path = BENCH_DIR / f"trades-{n}.sqlite"
    if not path.exists():
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        tmp = BENCH_DIR / f"trades-{n}.building.sqlite"
        tmp.unlink(missing_ok=True)
        log(f"building a {n}-trade database with freqtrade's models (once) ...")
        seconds = write_trades_db(tmp, plan_trades(n, days=days), timeout=1800)
        tmp.rename(path)
        log(f"  written in {seconds:.1f} s: {path}")
    return path


def candle_dir(config_path: Path, days: int, pair: str) -> Path:
    """The cached 1m data directory for ``pair``, downloaded by freqtrade on first use."""
    userdir = BENCH_DIR / f"candles-1m-{days}" / "user_data"
    datadir = userdir / "data" / "binance"
    if not (datadir / f"{pair.replace('/', '_')}-1m.feather").exists():
        log(f"downloading {days} days of 1m candles for {pair} with freqtrade (once) ...")
        started = time.monotonic()
        download_data(
            config_path, userdir, timeframes=("1m",), days=days, pairs=(pair,), timeout=1800
        )
        log(f"  downloaded in {time.monotonic() - started:.1f} s")
    return datadir


@dataclass
class Stack:
    simulator: RunningSimulator
    trade_bot: RunningBot
    webserver_bot: RunningBot | None
    workdir: Path


@contextlib.contextmanager
def bench_stack(
    n_trades: int, *, candle_days: int | None = None, candle_pair: str = "BTC/USDT"
) -> Iterator[Stack]:
    """Simulator + trade bot on a copy of the n-trade DB (+ a webserver bot on 1m data)."""
    db = trades_db(n_trades)
    workdir = Path(tempfile.mkdtemp(prefix="ftnb-bench-"))
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        sim = start_simulator(workdir)
        stack.callback(sim.stop)
        trade_dir = workdir / "trade"
        trade_dir.mkdir()
        work_db = trade_dir / "trades.sqlite"
        shutil.copy2(db, work_db)
        log(f"starting a trade bot on {n_trades} closed trades ...")
        bot = start_bot(
            trade_dir, simulator_url=sim.url, db_url=f"sqlite:///{work_db}", timeout=900
        )
        stack.callback(bot.stop)
        _wait_startup_updates(bot)
        log(f"  ready in {bot.startup_seconds:.1f} s at {bot.api_url}")
        web = None
        if candle_days:
            datadir = candle_dir(bot.config_path, candle_days, candle_pair)
            web = start_bot(
                workdir / "webserver",
                simulator_url=sim.url,
                mode="webserver",
                datadir=datadir,
                timeout=300,
            )
            stack.callback(web.stop)
        yield Stack(sim, bot, web, workdir)


def _wait_startup_updates(bot: RunningBot, timeout: float = 600.0) -> None:
    """Wait for freqtrade's back-fill of old trades' precision (one commit, just after it
    reports "running"), so that no measurement overlaps it."""
    auth = (bot.username, bot.password)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = requests.get(
            f"{bot.api_url}/api/v1/trades", params={"limit": 1}, auth=auth, timeout=60
        ).json()
        if page["trades"] and page["trades"][0]["amount_precision"] is not None:
            return
        time.sleep(0.5)
    raise TimeoutError("the bot did not back-fill trade precision in time")


class PeakRss:
    """Samples a process's resident memory (``/proc/<pid>/status``) while in use."""

    def __init__(self, pid: int, interval: float = 0.01) -> None:
        self.pid, self.interval = pid, interval
        self.base = self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss(self) -> int:
        try:
            text = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return 0
        for line in text.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(self.interval)

    def __enter__(self) -> PeakRss:
        self.base = self.peak = self.rss()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def extra_mb(self) -> float:
        return (self.peak - self.base) / 1e6
