"""Every benchmark of issue 5 in one run, printed as one table of medians and ratios.

``make bench`` (``.venv/bin/python bench/run_all.py``). Builds (once, cached under
``.bench/``) a 20,000-closed-trade database with freqtrade's own models and 1-minute
candles downloaded by freqtrade, starts the exchange simulator, a trade bot on a copy of
the database and a webserver bot on the candles, and measures, as medians of 5 runs:

1. full fetch: ``TradeHistory(...).frame()`` vs freqtrade-client vs the raw floor,
   and the page size (500 / 1,000 / 2,000);
2. refresh after 10 new closed trades vs a full refetch;
3. profit summary from the cached frame vs ``/profit`` (figures checked equal);
4. pair_history of >= 100,000 candles: our frame vs the raw floor;

then the chart benchmark (``bench_plots.py``), the CLI startup against
freqtrade-client (``bench_cli_startup.py``), the live feed's reconnect after a bot
restart (``bench_reconnect.py``), the tear sheet (``bench_report.py``), the fleet call
on 6 bots (``bench_fleet.py``), the backtest result (``bench_backtest.py``) and the
backtest batch (``bench_batch.py``) print their own tables (see :data:`OWN_TABLES`).

Each target from the issue is marked PASS or MISS, as measured. Takes ~10 minutes.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import RUNS, bench_stack, log
from bench.bench_candles import CANDLE_DAYS, CandlesResult, bench_candles
from bench.bench_profit import ProfitResult, bench_profit
from bench.bench_trades import (
    PAGE_SIZES,
    REFRESH_BATCH,
    TradesResult,
    bench_full_fetch,
    bench_refresh,
)
from ftnotebook.frames import DEFAULT_PAGE_SIZE

N_TRADES = 20_000


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def table(t: TradesResult, p: ProfitResult, c: CandlesResult) -> str:
    full = t.full
    ours, ftc, floor = full["ours"].median, full["freqtrade-client"].median, full["floor"].median
    assert t.refresh and t.refresh_cached and t.refetch and p.local and p.remote and p.balance
    assert c.ours and c.floor and c.convert
    lines = [
        f"ftnotebook benchmark: {t.n_trades} closed trades, medians of {RUNS} runs, "
        f"page size {DEFAULT_PAGE_SIZE}",
        "",
        f"{'measurement':<52}{'median':>10}{'ratio':>8}  {'target':<16}{'result'}",
        "-" * 94,
    ]

    def row(name: str, seconds: float, ratio: str = "", target: str = "", res: str = "") -> None:
        shown = f"{seconds:.3f} s" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"
        lines.append(f"{name:<52}{shown:>10}{ratio:>8}  {target:<16}{res}".rstrip())

    row("full fetch: raw floor (requests + .json())", floor, "1.00x")
    row("full fetch: freqtrade-client + pd.DataFrame", ftc, f"{ftc / floor:.2f}x")
    row(
        "full fetch: ours TradeHistory().frame()",
        ours,
        f"{ours / floor:.2f}x",
        "<= 1.10x floor",
        _verdict(ours / floor <= 1.10),
    )
    ref, refc, refetch = t.refresh.median, t.refresh_cached.median, t.refetch.median
    row(f"refresh after {REFRESH_BATCH} new trades: full refetch", refetch, "1.00x")
    row(
        f"refresh after {REFRESH_BATCH} new trades: ours",
        ref,
        f"1/{refetch / ref:.0f}",
        "<= 1/20",
        _verdict(ref <= refetch / 20),
    )
    row(
        f"refresh after {REFRESH_BATCH} new trades: ours, parquet cache",
        refc,
        f"1/{refetch / refc:.0f}",
        "<= 1/20",
        _verdict(refc <= refetch / 20),
    )
    loc, rem = p.local.median, p.remote.median
    equal = not p.mismatches and p.compared >= 40
    row("profit summary: /profit call", rem, "1.00x")
    row(
        "profit summary: ours, from the cached frame",
        loc,
        f"{rem / loc:.0f}x",
        ">= 20x faster",
        _verdict(rem / loc >= 20 and equal),
    )
    row("  (+ one /balance call for the balances)", p.balance.median)
    lines.append(
        f"  figures equal: {p.compared} compared, {len(p.mismatches)} differ"
        + (f": {p.mismatches}" if p.mismatches else "")
    )
    row(f"pair_history {c.rows} x {c.columns}: raw floor", c.floor.median, "1.00x")
    row(
        "pair_history: ours typed frame",
        c.ours.median,
        f"{c.ours.median / c.floor.median:.2f}x",
        "<= 1.2x floor",
        _verdict(c.ours.median / c.floor.median <= 1.2),
    )
    row("  (conversion alone, payload -> frame)", c.convert.median)
    lines += ["", "page size (full fetch, medians; bot's extra RSS in one floor fetch):"]
    for size in PAGE_SIZES:
        d = t.pages[size]
        lines.append(
            f"  {size:>5}: ours {d['ours']:.2f} s, floor {d['floor']:.2f} s, "
            f"bot +{d['bot_mb']:.0f} MB"
        )
    return "\n".join(lines)


#: The benchmarks that start their own bots and print their own tables, in run order.
OWN_TABLES: list[tuple[str, list[str]]] = [
    ("bench_plots.py", ["--paint-limit", "120"]),  # issue 6 and 12: 500,000 1m candles
    ("bench_cli_startup.py", []),  # issue 16: CLI startup vs freqtrade-client
    ("bench_reconnect.py", []),  # issue 11: live feed reconnect after a bot restart
    ("bench_report.py", []),  # issue 15: tear sheet vs QuantStats, KPIs alone, /profit
    ("bench_fleet.py", []),  # issue 17: a fleet call on 6 bots vs the slowest bot
    ("bench_backtest.py", []),  # issue 13: a 20,000-trade BacktestResult vs json.loads
]


def main() -> int:
    started = time.monotonic()
    t, p, c = TradesResult(), ProfitResult(), CandlesResult()
    with bench_stack(N_TRADES, candle_days=CANDLE_DAYS) as stack:
        bench_full_fetch(stack, t)
        history = bench_refresh(stack, t)
        bench_profit(stack, history, p)
        bench_candles(stack, c)
    log(f"done in {time.monotonic() - started:.0f} s")
    print()
    print(table(t, p, c))
    print()
    codes = []
    for script, args in OWN_TABLES:  # each prints its own table with PASS/MISS
        path = Path(__file__).with_name(script)
        codes.append(subprocess.run([sys.executable, str(path), *args]).returncode)
    return max(codes)


if __name__ == "__main__":
    raise SystemExit(main())
