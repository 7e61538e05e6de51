"""CLI startup: ``ftnotebook --config c.json version`` vs ``freqtrade-client`` on the same bot.

``.venv/bin/python bench/bench_cli_startup.py`` (also run by ``make bench``). Starts the
exchange simulator and one dry-run trade bot, then times both console scripts as whole
processes, interleaved (ours, theirs, ours, theirs, ...) after one untimed warm-up run
each, and reports the medians and the median of the per-pair ratios. Target (issue 16):
ours <= 1.5x freqtrade-client.

It also reports what ``import ftnotebook`` costs, from ``python -X importtime``: the
number of modules imported and the cumulative microseconds of the package (medians of
the same number of runs), with freqtrade-client's import for reference.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import REPO, log
from ftnotebook.demo.launcher import start_bot, start_simulator

RUNS = 10
TARGET = 1.5
BIN = Path(sys.executable).parent


@dataclass
class StartupResult:
    ours: list[float] = field(default_factory=list)
    theirs: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    imports: dict[str, tuple[int, float]] = field(default_factory=dict)
    """module -> (modules imported, cumulative import time in ms), medians."""


def _timed(argv: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120)
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or '"version"' not in done.stdout:
        raise RuntimeError(f"{argv[0]} failed: {done.returncode} {done.stderr[-500:]}")
    return elapsed


def bench_startup(config: Path, runs: int = RUNS) -> StartupResult:
    ours = [str(BIN / "ftnotebook"), "--config", str(config), "version"]
    theirs = [str(BIN / "freqtrade-client"), "--config", str(config), "version"]
    result = StartupResult()
    _timed(ours)
    _timed(theirs)  # warm-up: file cache, the bot's first request
    for _ in range(runs):
        a, b = _timed(ours), _timed(theirs)
        result.ours.append(a)
        result.theirs.append(b)
        result.ratios.append(a / b)
    for module in ("ftnotebook", "freqtrade_client.ft_client"):
        result.imports[module] = import_cost(module, runs)
    return result


def import_cost(module: str, runs: int = RUNS) -> tuple[int, float]:
    """(modules imported, cumulative ms of ``module``) by ``python -X importtime``, medians."""
    counts, times = [], []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            cwd=REPO,  # the checkout's package, whatever the caller's directory
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        rows = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
        entries = [r for r in rows if "|" in r and not r.rstrip().endswith("imported package")]
        counts.append(len(entries))
        top = [r for r in entries if r.split("|")[-1].strip() == module]
        times.append(int(top[-1].split("|")[1]) / 1000 if top else float("nan"))
    return int(statistics.median(counts)), statistics.median(times)


def table(r: StartupResult) -> str:
    ours, theirs = statistics.median(r.ours), statistics.median(r.theirs)
    ratio = statistics.median(r.ratios)
    verdict = "PASS" if ratio <= TARGET else "MISS"
    lines = [
        f"CLI startup against one trade bot, medians of {len(r.ours)} interleaved runs",
        "",
        f"{'measurement':<52}{'median':>10}{'ratio':>8}  {'target':<16}result",
        "-" * 94,
        f"{'freqtrade-client --config c.json version':<52}{theirs * 1000:>7.0f} ms{'1.00x':>8}",
        f"{'ftnotebook --config c.json version':<52}{ours * 1000:>7.0f} ms{ratio:>7.2f}x"
        f"  {f'<= {TARGET}x':<16}{verdict}",
        f"  (per-pair ratios: min {min(r.ratios):.2f}x, max {max(r.ratios):.2f}x)",
        "",
        "python -X importtime (medians): modules imported, cumulative import time",
    ]
    for module, (count, ms) in r.imports.items():
        lines.append(f"  import {module:<40}{count:>5} modules {ms:>8.1f} ms")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help="interleaved pairs (default 10)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ftnb-bench-cli-") as tmp:
        workdir = Path(tmp)
        sim = start_simulator(workdir)
        try:
            log("starting a trade bot ...")
            bot = start_bot(workdir / "trade", simulator_url=sim.url)
            try:
                result = bench_startup(bot.config_path, args.runs)
            finally:
                bot.stop()
        finally:
            sim.stop()
    print()
    print(table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
