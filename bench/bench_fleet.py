"""Fleet call vs the slowest single bot: ``status`` + ``profit`` on 6 real bots.

``.venv/bin/python bench/bench_fleet.py`` (also run by ``make bench``). Starts the exchange
simulator and six dry-run bots (four USDT, two BTC-stake on the BTC crosses), each seeded
with 200 closed trades by freqtrade's models, so ``/profit`` has work to do. Then, in
interleaved rounds after one warm-up round, it times:

* each bot alone: ``client.status()`` then ``client.profit()`` on its own client;
* the fleet: the same two calls on all six bots at once (:meth:`Fleet.call`);
* for reference, the six bots one after the other (what a plain loop costs).

Reported: medians per measurement and the ratio fleet / slowest single bot (the
slowest of the per-bot medians). Target (issue 17): <= 1.5x. Every bot answers from its own
process, so the fleet call can only be as parallel as the machine's free cores: the run
also times a fleet of the first two bots and prints the core count and load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import log
from ftnotebook import FtClient
from ftnotebook.demo.botconfig import BTC_PAIRS
from ftnotebook.demo.launcher import RunningBot, start_bot, start_simulator
from ftnotebook.demo.seeding import plan_trades, write_trades_db
from ftnotebook.fleet import Fleet

TARGET = 1.5
RUNS = 15
N_TRADES = 200
BOTS: dict[str, dict[str, Any]] = {
    **{f"usdt-{i}": {} for i in range(1, 5)},
    **{
        f"btc-{i}": {"pairs": BTC_PAIRS, "stake_currency": "BTC", "stake_amount": 0.002,
                     "dry_run_wallet": 0.5}
        for i in range(1, 3)
    },
}  # fmt: skip


def _start(workdir: Path, sim_url: str, name: str, spec: dict[str, Any], seed: int) -> RunningBot:
    bot_dir = workdir / name
    bot_dir.mkdir(parents=True)
    db = bot_dir / "trades.sqlite"
    pairs = spec.get("pairs")
    plan = plan_trades(N_TRADES, pairs=pairs, stake_amount=spec.get("stake_amount", 100.0),
                       seed=seed)  # fmt: skip
    write_trades_db(db, plan)
    return start_bot(bot_dir, simulator_url=sim_url, db_url=f"sqlite:///{db}",
                     kind=f"bench-{name}", **spec)  # fmt: skip


def _one(client: FtClient) -> None:
    client.status()
    client.profit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ftnb-bench-fleet-") as tmp:
        workdir = Path(tmp)
        log("starting the simulator and 6 seeded bots ...")
        sim = start_simulator(workdir)
        bots: dict[str, RunningBot] = {}
        try:
            with ThreadPoolExecutor(len(BOTS)) as pool:
                futures = {
                    name: pool.submit(_start, workdir, sim.url, name, spec, i)
                    for i, (name, spec) in enumerate(BOTS.items())
                }
                for name, future in futures.items():
                    bots[name] = future.result()
            clients = {n: FtClient(b.api_url, b.username, b.password) for n, b in bots.items()}
            fleet = Fleet(clients, timeout=60)
            single: dict[str, list[float]] = {n: [] for n in clients}
            together: list[float] = []
            pair_fleet = Fleet({n: clients[n] for n in list(clients)[:2]}, timeout=60)
            pair: list[float] = []
            sequential: list[float] = []
            log(f"timing {args.runs} interleaved rounds (after one warm-up) ...")
            for round_no in range(args.runs + 1):
                times: dict[str, float] = {}
                for name, client in clients.items():
                    t0 = time.perf_counter()
                    _one(client)
                    times[name] = time.perf_counter() - t0
                t0 = time.perf_counter()
                result = fleet.call(lambda n, c: _one(c), what="status+profit")
                fleet_s = time.perf_counter() - t0
                assert result.status == "ok", result.summary()
                t0 = time.perf_counter()
                for client in clients.values():
                    _one(client)
                seq_s = time.perf_counter() - t0
                t0 = time.perf_counter()
                pair_fleet.call(lambda n, c: _one(c))
                pair_s = time.perf_counter() - t0
                if round_no == 0:
                    continue  # warm-up
                for name, seconds in times.items():
                    single[name].append(seconds)
                together.append(fleet_s)
                sequential.append(seq_s)
                pair.append(pair_s)
            load = os.getloadavg()
        finally:
            for bot in bots.values():
                bot.stop()
            sim.stop()
    medians = {n: statistics.median(v) for n, v in single.items()}
    slowest_name = max(medians, key=lambda n: medians[n])
    slowest, fleet_median = medians[slowest_name], statistics.median(together)
    ratio = fleet_median / slowest
    print("\nstatus + profit, medians of", args.runs, "interleaved rounds")
    for name, seconds in medians.items():
        print(f"  single bot {name:<8} {seconds * 1000:8.1f} ms")
    print(f"  fleet of 6 bots      {fleet_median * 1000:8.1f} ms")
    print(f"  6 bots one by one    {statistics.median(sequential) * 1000:8.1f} ms  (reference)")
    two = statistics.median(pair)
    first_two = max(medians[n] for n in list(medians)[:2])
    print(f"  fleet of 2 bots      {two * 1000:8.1f} ms  = {two / first_two:.2f}x its slowest bot")
    print(f"  machine: {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f}")
    verdict = "PASS" if ratio <= TARGET else "MISS"
    print(f"  fleet / slowest single bot ({slowest_name}) = {ratio:.2f}x  "
          f"(target <= {TARGET}x)  {verdict}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
