"""Benchmark: the tear sheet on 20,000 closed trades, side by side with QuantStats.

Run: ``.venv/bin/python bench/bench_report.py [--trades 20000] [--runs 3]``

Against a real trade bot on the cached 20,000-trade database (``bench._common``):

1. **the whole report** (``TearSheet(trade_set)``: every KPI, the six figures with a
   1,000-path Monte Carlo, and ``to_html`` to one file) vs **QuantStats'
   ``reports.html``** on the same daily returns (``periods_per_year=365``), runs
   interleaved; target: ours faster;
2. the whole report vs **the KPIs alone** (``compute_kpis(Analysis(trade_set))``);
   target: <= 3x;
3. the exported file's size; target: <= 5 MB;
4. **the whole path** to the ``/profit`` figures: ``TradeHistory.frame(include_open=True)``
   (an incremental refresh: one small request), ``capital(client, trades)`` (cached after
   its first read) and ``metrics.profit_summary`` vs one ``/profit`` call; the first,
   uncached read of the capital (``/balance`` + ``/show_config``) is shown apart, and the
   figures are checked equal.

QuantStats is a dev-only oracle (``pip install -e '.[dev]'``).
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._common import Timing, bench_stack, log, measure  # noqa: E402
from ftnotebook import FtClient, TradeHistory, metrics  # noqa: E402
from ftnotebook.capital import capital, clear_capital_cache  # noqa: E402
from ftnotebook.report import Analysis, TearSheet, TradeSet, compute_kpis  # noqa: E402


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _fmt(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


def _interleaved(fns: dict[str, Any], runs: int) -> dict[str, Timing]:
    """Time each function ``runs`` times, alternating between them (after a warm-up)."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: Timing(t) for name, t in times.items()}


def _figures_only(trade_set: TradeSet) -> None:
    sheet = TearSheet(trade_set)
    _ = sheet.monte_carlo, sheet.analysis.drawdown_periods, sheet.analysis.daily_returns
    start = time.perf_counter()
    _ = sheet.figures
    _FIGURE_TIMES.append(time.perf_counter() - start)


_FIGURE_TIMES: list[float] = []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trades", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import quantstats as qs
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # no Arial here

    out = Path(tempfile.mkdtemp(prefix="ftnb-bench-report-"))
    with bench_stack(args.trades) as stack:
        bot = stack.trade_bot
        client = FtClient(bot.api_url, bot.username, bot.password, timeout=1800)
        history = TradeHistory(client, progress=False)
        started = time.perf_counter()
        trade_set = TradeSet.from_bot(client, history=history)
        built = time.perf_counter() - started
        log(f"trade set from the bot in {built:.1f} s ({len(trade_set.trades)} trades)")
        returns = Analysis(trade_set).daily_returns
        log(f"{len(returns)} daily returns; timing the report vs QuantStats, {args.runs} runs")

        def ours() -> None:
            TearSheet(trade_set).to_html(out / "ours.html")

        def theirs() -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                qs.reports.html(
                    returns,
                    periods_per_year=365,
                    output=str(out / "quantstats.html"),
                    title="quantstats",
                )

        def kpis() -> None:
            compute_kpis(Analysis(trade_set))

        report = _interleaved({"ours": ours, "quantstats": theirs}, args.runs)
        kpi = measure(kpis, max(args.runs, 5), warmup=True)
        sheet = TearSheet(trade_set)
        parts = {
            "kpis": measure(lambda: compute_kpis(Analysis(trade_set)), 3),
            "monte_carlo": measure(lambda: TearSheet(trade_set).monte_carlo, 3),
            "figures (with MC)": measure(lambda: TearSheet(trade_set).figures, 3),
            "figures (MC prebuilt)": measure(lambda: _figures_only(trade_set), 3),
            "html of built figures": measure(lambda: sheet.html(), 3),
        }
        size = (out / "ours.html").stat().st_size
        qs_size = (out / "quantstats.html").stat().st_size

        # the whole path to /profit's figures
        session = requests.Session()
        session.auth = (bot.username, bot.password)

        def profit() -> dict[str, Any]:
            resp = session.get(f"{bot.api_url}/api/v1/profit", timeout=1800)
            resp.raise_for_status()
            result: dict[str, Any] = resp.json()
            return result

        def path() -> dict[str, Any]:
            trades = history.frame(include_open=True)
            return metrics.profit_summary(trades, **capital(client, trades).balances(trades))

        held = history.frame(include_open=True, refresh=False)
        clear_capital_cache()
        cold_start = time.perf_counter()
        capital(client, held)
        cold = time.perf_counter() - cold_start
        ours_summary = path()
        paths = _interleaved({"path": path, "profit": profit}, max(args.runs, 5))
        remote = profit()
        compared, differ = 0, []
        for key, value in ours_summary.items():
            if key not in remote:
                continue
            compared += 1
            expected = remote[key]
            if isinstance(value, str) or isinstance(expected, str):
                ok = value == expected
            else:
                ok = math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-12)
            if not ok:
                differ.append(f"{key}: ours {value!r} bot {expected!r}")
        client.close()

    o, q, k = report["ours"].median, report["quantstats"].median, kpi.median
    p, r = paths["path"].median, paths["profit"].median
    n = len(trade_set.trades)
    lines = [
        f"tear sheet benchmark: {n} trades, {len(returns)} daily returns, medians "
        f"(report vs QuantStats interleaved, {args.runs} runs each)",
        "",
        f"{'measurement':<56}{'median':>10}{'ratio':>9}  {'target':<18}result",
        "-" * 100,
    ]

    def row(name: str, seconds: float, ratio: str = "", target: str = "", res: str = "") -> None:
        lines.append(f"{name:<56}{_fmt(seconds):>10}{ratio:>9}  {target:<18}{res}".rstrip())

    row("QuantStats reports.html (same daily returns, 365 d)", q, "1.00x")
    row(
        "ours: whole report (KPIs + 6 figures + MC + to_html)",
        o,
        f"{o / q:.2f}x",
        "< 1x QuantStats",
        _verdict(o < q),
    )
    row("ours: KPIs alone", k, "1.00x")
    row("ours: whole report vs KPIs alone", o, f"{o / k:.1f}x", "<= 3x KPIs", _verdict(o <= 3 * k))
    for name, timing in parts.items():
        if name == "figures (MC prebuilt)":
            row("  part: the six plotly figures alone", sorted(_FIGURE_TIMES)[1])
        else:
            row(f"  part: {name}", timing.median)
    lines.append(
        f"{'exported HTML (plotly.js inline once)':<56}{size / 1e6:>8.2f} MB{'':>9}  "
        f"{'<= 5 MB':<18}{_verdict(size <= 5_000_000)}"
    )
    lines.append(f"{'  (QuantStats reports.html file)':<56}{qs_size / 1e6:>8.2f} MB")
    row("/profit call", r, "1.00x")
    row(
        "ours: frame refresh + cached capital + profit_summary",
        p,
        f"{r / p:.1f}x",
        "faster than /profit",
        _verdict(p < r and not differ),
    )
    row("  + the first call's capital read (/balance + /show_config)", cold)
    row("  trade set from the bot (trades, capital, wallet, candles)", built)
    lines.append(
        f"  /profit figures equal: {compared} compared, {len(differ)} differ"
        + (f": {differ}" if differ else "")
    )
    print()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
