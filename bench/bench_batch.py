"""Backtest batches: 8 equal runs on 2 webserver bots vs the same 8 runs on 1 bot.

The demo stack (simulator, trade bot, webserver bot with ~10 days of 5m candles of the
four demo pairs) plus a second webserver bot over the same data directory. Each run is
FtnbDemo over the bot's whole data span (no backtest cache), labelled apart so all 8 run.
Interleaved: one bot, two bots, one bot, two bots, ... medians of ``--repeats`` (2).

Target (issue 14): two bots take <= 0.6x the time of one bot. On a 2-core machine the two
bots' backtests share the cores with this process and anything else running, so the
ratio is noisy; the floor is 0.5x (two bots on two idle cores).

Run: ``.venv/bin/python bench/bench_batch.py`` (about 3 minutes); ``--runs 2 --repeats 1``
for a smoke run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import log
from ftnotebook import FtClient, backtest
from ftnotebook.demo.launcher import RunningBot, start_bot
from ftnotebook.demo.stack import start_stack

TARGET = 0.6


def _client(bot: RunningBot) -> FtClient:
    return FtClient(bot.api_url, bot.username, bot.password, timeout=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8, help="runs per batch (8)")
    parser.add_argument("--repeats", type=int, default=2, help="timed batches per setup (2)")
    args = parser.parse_args(argv)
    today = datetime.now(UTC).date()
    span = (today - timedelta(days=9), today)
    configs = [
        backtest.RunConfig("FtnbDemo", span, stake_amount=100, label=f"run {i + 1}")
        for i in range(args.runs)
    ]
    with tempfile.TemporaryDirectory(prefix="ftnb-bench-batch-") as tmp:
        log("starting the demo stack and a second webserver bot ...")
        stack = start_stack(Path(tmp) / "stack")
        with stack:
            datadir = stack.workdir / "webserver" / "user_data" / "data" / "binance"
            second = start_bot(
                Path(tmp) / "webserver2",
                simulator_url=stack.simulator.url,
                mode="webserver",
                datadir=datadir,
            )
            assert stack.webserver_bot is not None
            try:
                with _client(stack.webserver_bot) as one, _client(second) as two:
                    backtest.run_batch(configs[:1], [one], progress=False)  # warm-up
                    times: dict[str, list[float]] = {"1 bot": [], "2 bots": []}
                    for _ in range(args.repeats):
                        for name, clients in (("1 bot", [one]), ("2 bots", [one, two])):
                            t0 = time.perf_counter()
                            batch = backtest.run_batch(configs, clients, progress=False)
                            times[name].append(time.perf_counter() - t0)
                            done = int((batch.table["status"] == "finished").sum())
                            if done != len(configs):
                                print(batch.failed[["label", "error"]], file=sys.stderr)
                                return 1
                            spread = batch.table["bot"].value_counts().to_dict()
                            log(f"  {name}: {times[name][-1]:.2f} s, runs per bot {spread}")
            finally:
                second.stop()
    single = statistics.median(times["1 bot"])
    double = statistics.median(times["2 bots"])
    ratio = double / single
    verdict = "PASS" if ratio <= TARGET else "MISS"
    print()
    print(f"backtest batch: {args.runs} equal runs (FtnbDemo, 9 days of 5m, 4 pairs)")
    print(f"  1 bot : median {single:7.2f} s  runs {[round(t, 2) for t in times['1 bot']]}")
    print(f"  2 bots: median {double:7.2f} s  runs {[round(t, 2) for t in times['2 bots']]}")
    print(f"  ratio 2 bots / 1 bot = {ratio:.2f}x  (target <= {TARGET}x)  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
