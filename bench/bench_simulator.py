"""Simulator request speed: keep-alive session vs a new connection per request.

``.venv/bin/python bench/bench_simulator.py [--runs N]``. Starts the exchange simulator
in-process and times, as medians of ``runs`` rounds, a 1,000-candle klines request and
50 ticker requests, once on one keep-alive ``requests.Session`` (what ccxt and freqtrade
do) and once with a fresh connection per request (the baseline). Targets (the old test
limits, now measured here instead of asserted in tests/test_simulator.py): klines
< 0.1 s per request, 50 tickers < 1 s on the keep-alive session. The Nagle/delayed-ACK
pitfall this guards against cost about 44 ms per request.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ftnotebook.demo.simulator import ExchangeSimulator

RUNS = 5
KLINES = {"symbol": "ETHUSDT", "interval": "1h", "limit": "1000"}
TICKER = {"symbol": "ETHUSDT"}
TICKERS = 50
KLINES_TARGET_S = 0.1
TICKERS_TARGET_S = 1.0


def _median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench(runs: int = RUNS) -> dict[str, tuple[float, float]]:
    """{measurement: (keep-alive seconds, new-connection seconds)}, medians."""
    with ExchangeSimulator() as sim, requests.Session() as session:
        klines, ticker = f"{sim.url}/api/v3/klines", f"{sim.url}/api/v3/ticker/24hr"
        session.get(klines, params=KLINES, timeout=5)  # warm the simulator's day cache

        def fresh(url: str, params: dict[str, str]) -> None:
            with requests.Session() as one:
                one.get(url, params=params, timeout=5).raise_for_status()

        return {
            "klines 1h x1000, one request": (
                _median(lambda: session.get(klines, params=KLINES, timeout=5), runs),
                _median(lambda: fresh(klines, KLINES), runs),
            ),
            f"ticker/24hr x{TICKERS}": (
                _median(
                    lambda: [session.get(ticker, params=TICKER, timeout=5) for _ in range(TICKERS)],
                    runs,
                ),
                _median(lambda: [fresh(ticker, TICKER) for _ in range(TICKERS)], runs),
            ),
        }


def table(results: dict[str, tuple[float, float]], runs: int) -> str:
    targets = {"klines": KLINES_TARGET_S, "ticker": TICKERS_TARGET_S}
    lines = [
        f"simulator: keep-alive session vs new connection per request, medians of {runs}",
        "",
        f"{'measurement':<36}{'keep-alive':>12}{'new conn':>12}{'ratio':>8}  {'target':<12}result",
        "-" * 90,
    ]
    for name, (ours, baseline) in results.items():
        target = next(v for k, v in targets.items() if name.startswith(k))
        verdict = "PASS" if ours < target else "MISS"
        lines.append(
            f"{name:<36}{ours * 1000:>9.1f} ms{baseline * 1000:>9.1f} ms"
            f"{ours / baseline:>7.2f}x  {f'< {target * 1000:.0f} ms':<12}{verdict}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help="rounds per measurement")
    args = parser.parse_args(argv)
    print(table(bench(args.runs), args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
