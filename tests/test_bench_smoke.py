"""A smoke run of every benchmark at its smallest size, so that a broken bench is caught
by ``make test`` (the real measurements stay in ``make bench``; nothing here is timed
or compared with a target).

The trade, profit and candle benchmarks run their own functions on the session's demo
stack (82 trades instead of 20,000; 3 days of 5m candles instead of 72 days of 1m);
the simulator, CLI-startup and chart benchmarks run as the scripts they are, with one
run each and the smallest inputs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from bench import bench_candles, bench_plots, bench_simulator, bench_trades, run_all
from bench._common import Stack
from bench.bench_cli_startup import StartupResult, bench_startup
from bench.bench_cli_startup import table as startup_table
from bench.bench_profit import ProfitResult, bench_profit
from ftnotebook.demo.stack import DemoStack
from ftnotebook.frames import DEFAULT_PAGE_SIZE


def test_trades_profit_and_candles_benches_run_and_print_their_table(
    demo_stack: DemoStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = Stack(
        demo_stack.simulator, demo_stack.trade_bot, demo_stack.webserver_bot, demo_stack.workdir
    )
    monkeypatch.setattr(bench_trades, "REFRESH_BATCH", 2)
    monkeypatch.setattr(bench_trades, "PAGE_SIZES", (DEFAULT_PAGE_SIZE,))
    monkeypatch.setattr(run_all, "PAGE_SIZES", (DEFAULT_PAGE_SIZE,))
    monkeypatch.setattr(bench_candles, "TIMEFRAME", "5m")  # what the session bot holds
    monkeypatch.setattr(bench_candles, "DAYS", 3)
    trades, profit, candles = (
        bench_trades.TradesResult(),
        ProfitResult(),
        bench_candles.CandlesResult(),
    )
    bench_trades.bench_full_fetch(stack, trades, runs=1)
    assert trades.n_trades >= 60 and trades.full["ours"].runs
    history = bench_trades.bench_refresh(stack, trades, runs=1)
    bench_profit(stack, history, profit, runs=1)
    assert profit.compared >= 40
    bench_candles.bench_candles(stack, candles, runs=1)
    assert candles.rows > 3 * 288 - 40 and candles.columns > 9
    table = run_all.table(trades, profit, candles)
    assert "full fetch: ours TradeHistory().frame()" in table
    assert table.count("PASS") + table.count("MISS") == 5


def test_cli_startup_bench_runs(demo_stack: DemoStack) -> None:
    result: StartupResult = bench_startup(demo_stack.trade_bot.config_path, runs=1)
    text = startup_table(result)
    assert len(result.ratios) == 1 and ("PASS" in text or "MISS" in text)
    assert "import ftnotebook" in text


def test_simulator_bench_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_simulator.main(["--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert out.count("PASS") + out.count("MISS") == 2


def test_plots_bench_runs_at_its_smallest_size_without_the_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Everything of ``bench_plots.py`` but the Chromium paint timing, which is stubbed
    (about 80 s of browser time even at 2,000 candles; the browser tests draw charts)."""

    def stub_first_paint(pages: dict[str, Path], runs: int, limit: float) -> dict[str, Any]:
        assert all(path.stat().st_size > 0 for path in pages.values())
        return {name: {"main_svg": 1.0, "plotted": 1.0} for name in pages}

    monkeypatch.setattr(bench_plots, "first_paint", stub_first_paint)
    argv = ["bench_plots.py", "--candles", "2000", "--out", str(tmp_path)]
    monkeypatch.setattr(sys, "argv", argv)
    bench_plots.main()
    out = capsys.readouterr().out
    assert "| ftnotebook |" in out and "| freqtrade |" in out
    assert "payload target <= 5 MB" in out
    assert "first paint target" in out
