"""Backtest results: a BacktestResult from a >= 20,000-trade backtest vs ``json.loads``.

A webserver bot (the demo stack's) downloads 1m candles of the four demo pairs from the
simulator (``POST /download_data``, cached by the bot's data directory for the run) and
backtests FtnbDemo on them with unlimited open trades. The finished ``GET /backtest``
body is fetched once with ``requests``; then, interleaved, medians of 5 runs:

* **floor**: ``json.loads(body)``, what any client must spend to read the answer;
* **ours**: ``BacktestResult.from_response(parsed)``: the typed trades and orders frames
  (the per-key tables, periods and summary are built on first use, timed apart).

Target (issue 13): ours <= 1.2x the floor. Run: ``.venv/bin/python bench/bench_backtest.py``
(about 5 minutes, most of it the bot's own backtest).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import RUNS, Timing, log
from ftnotebook import FtClient, backtest
from ftnotebook.backtest import BacktestResult
from ftnotebook.demo.stack import start_stack

PAIRS = ["BTC/USDT", "ETH/USDT", "SOL/USDT", "XRP/USDT"]
DAYS = 135
"""~38 FtnbDemo trades per pair and day on 1m candles: 135 days of 4 pairs > 20,000."""
MIN_TRADES = 20_000
TARGET = 1.2


def _interleaved(body: bytes, runs: int) -> tuple[Timing, Timing, Timing]:
    loads, build, tables = [], [], []
    parsed = json.loads(body)
    BacktestResult.from_response(parsed)  # warm-up
    for _ in range(runs):
        t0 = time.perf_counter()
        parsed = json.loads(body)
        t1 = time.perf_counter()
        results = BacktestResult.from_response(parsed)
        t2 = time.perf_counter()
        for r in results.values():
            _ = (r.pairs, r.enter_tags, r.exit_reasons, r.mix_tags, r.left_open, r.summary)
            for period in ("day", "week", "month", "year", "weekday"):
                r.periodic(period)
        t3 = time.perf_counter()
        loads.append(t1 - t0)
        build.append(t2 - t1)
        tables.append(t3 - t2)
    return Timing(loads), Timing(build), Timing(tables)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="ftnb-bench-bt-") as tmp:
        log("starting the demo stack (simulator, trade bot, webserver bot) ...")
        stack = start_stack(Path(tmp) / "stack", n_closed=20)
        try:
            bot = stack.webserver_bot
            assert bot is not None
            client = FtClient(bot.api_url, bot.username, bot.password, timeouts={"backtest": 600})
            log(f"downloading {DAYS} days of 1m candles for {len(PAIRS)} pairs ...")
            t0 = time.monotonic()
            job = client.download_data(PAIRS, timeframes=["1m"], days=DAYS + 2)
            done = client.wait_for_job(job["job_id"], timeout=1800)
            assert done["status"] == "success", done.get("error")
            log(f"  done in {time.monotonic() - t0:.0f} s")
            today = datetime.now(UTC).date()
            timerange = (today - timedelta(days=DAYS + 1), today - timedelta(days=1))
            log(f"backtesting FtnbDemo on 1m, {timerange[0]} to {timerange[1]} ...")
            t0 = time.monotonic()
            run = backtest.start(
                client, "FtnbDemo", timeframe="1m", timerange=timerange, max_open_trades=-1
            )
            result = run.wait(progress=False, poll=2.0, extras=False)
            bt_seconds = time.monotonic() - t0
            n = len(result.trades)
            log(f"  {n} trades, {len(result.orders)} orders in {bt_seconds:.0f} s")
            resp = requests.get(
                f"{bot.api_url}/api/v1/backtest", auth=(bot.username, bot.password), timeout=600
            )
            resp.raise_for_status()
            body = resp.content
            log(f"measuring ({len(body) / 1e6:.1f} MB body), {RUNS} interleaved runs ...")
            loads, build, tables = _interleaved(body, RUNS)
            again = BacktestResult.from_response(json.loads(body))[result.strategy]
            assert again.trades.equals(result.trades)
        finally:
            stack.stop()
    ratio = build.median / loads.median
    verdict = "PASS" if ratio <= TARGET and n >= MIN_TRADES else "MISS"
    print()
    print(f"ftnotebook backtest benchmark: {n} trades, {len(body) / 1e6:.1f} MB, medians of {RUNS}")
    print(f"{'measurement':<52}{'median':>10}{'ratio':>8}  {'target':<16}result")
    print("-" * 94)
    print(f"{'json.loads(body) (floor)':<52}{loads.median:>8.3f} s{'1.00x':>8}")
    print(
        f"{'BacktestResult.from_response (trades + orders)':<52}{build.median:>8.3f} s"
        f"{ratio:>7.2f}x  {'<= 1.2x floor':<16}{verdict}"
    )
    print(f"{'  tables, periods, summary (on first use)':<52}{tables.median:>8.3f} s")
    print(f"{'  (the bot ran the backtest in)':<52}{bt_seconds:>8.0f} s")
    print(f"runs: loads {[round(x, 3) for x in loads.runs]}")
    print(f"      ours  {[round(x, 3) for x in build.runs]}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
