"""Benchmark: a 500,000-candle 1m chart built three ways, through to first paint in Chromium.

Run: ``.venv/bin/python bench/bench_plots.py [--candles 500000] [--out DIR]``

One dataframe (the demo's deterministic 1m price walk for BTC/USDT, 5 plotted indicators
and EMA/SMA cross signals, as FtnbDemo computes them) is charted by:

* **ftnotebook**: :func:`ftnotebook.plots.candle_chart` (min/max-preserving aggregation
  to ``defaults.max_candles`` buckets, epoch-ms float64 x arrays);
* **freqtrade**: ``freqtrade.plot.plotting.generate_candlestick_graph``, run in the bot's
  virtualenv (``.venv-bot``, the only place freqtrade is installed) on the same frame;
* **naive**: ``make_subplots`` + ``go.Candlestick``/``go.Scatter``/``go.Bar`` on the
  frame's DatetimeIndex, what most notebooks do;
* **naive WebGL**: the same with ``go.Scattergl`` lines and epoch-ms x arrays, to show
  what WebGL alone does to the payload.

For each: figure build time, ``to_json`` time, payload size, and time to first paint: a
standalone HTML page with plotly.js inlined is opened in headless Chromium (Playwright,
Debian's ``/usr/bin/chromium``) and timed from navigation until ``.main-svg`` is attached
and until ``Plotly.newPlot`` has resolved (every trace drawn). Then the full-detail
check: a ``candle_widget`` zoomed to one day must hold every one of its 1,440 candles.

The printed table is what the issue asks for; ratios are against freqtrade's figure.
Targets: payload <= 5 MB, first paint <= 1/5 of freqtrade's.

The signal cases come first: the same candles with dense signals (``rsi < 40`` /
``rsi > 60``, over 100,000 signal candles on 500,000) and with the sparse cross signals,
against a bare 4,000-candle ``go.Candlestick`` painted in the same browser run. Targets
(dense): payload <= 5 MB, first paint <= 1.5x the bare candlestick's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly
import plotly.graph_objects as go
from plotly.subplots import make_subplots

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ftnotebook.demo.simulator import PriceWalk  # noqa: E402
from ftnotebook.plots import candle_chart, candle_widget, defaults  # noqa: E402
from ftnotebook.plots._longhistory import epoch_ms, to_epoch_ms  # noqa: E402

BOT_PYTHON = ROOT / ".venv-bot" / "bin" / "python"
CHROMIUM = "/usr/bin/chromium"
PLOT_CONFIG: dict[str, Any] = {
    "main_plot": {
        "ema_fast": {"color": "#1f77b4"},
        "sma_slow": {"color": "#ff7f0e"},
        "bb_upper": {"color": "rgba(120,120,200,0.6)"},
        "bb_lower": {"color": "rgba(120,120,200,0.6)"},
    },
    "subplots": {"RSI": {"rsi": {"color": "#9467bd"}}},
}
INDICATORS = ["ema_fast", "sma_slow", "bb_upper", "bb_lower", "rsi"]


def make_frame(candles: int) -> pd.DataFrame:
    """``candles`` 1m candles of the demo price walk with FtnbDemo's indicators and signals."""
    end_ms = 1_790_000_000_000 // 60_000 * 60_000
    walk = PriceWalk(clock=lambda: end_ms / 1000)
    rows = walk.candles("BTCUSDT", "1m", end_ms - (candles - 1) * 60_000, end_ms, candles)
    arr = np.asarray(rows, dtype="float64")
    index = pd.DatetimeIndex(pd.to_datetime(arr[:, 0].astype("int64"), unit="ms", utc=True))
    df = pd.DataFrame(arr[:, 1:6], columns=["open", "high", "low", "close", "volume"], index=index)
    df.index.name = "date"
    close = df["close"]
    df["ema_fast"] = close.ewm(span=9, adjust=False).mean()
    df["sma_slow"] = close.rolling(21).mean()
    mid, std = close.rolling(20).mean(), close.rolling(20).std()
    df["bb_upper"], df["bb_lower"] = mid + 2 * std, mid - 2 * std
    delta = close.diff()
    gain = delta.clip(lower=0).ewm(alpha=1 / 14, adjust=False).mean()
    loss = (-delta.clip(upper=0)).ewm(alpha=1 / 14, adjust=False).mean()
    df["rsi"] = (100 - 100 / (1 + gain / loss.replace(0, np.nan))).fillna(50)
    fast, slow = df["ema_fast"], df["sma_slow"]
    df["enter_long"] = (fast > slow) & (fast.shift(1) <= slow.shift(1))
    df["exit_long"] = (fast < slow) & (fast.shift(1) >= slow.shift(1))
    df["enter_tag"] = pd.Series(
        np.where(df["enter_long"], "ema_cross", None), index=index, dtype="string"
    )
    df.attrs.update(pair="BTC/USDT", timeframe="1m")
    return df


def naive_figure(df: pd.DataFrame, *, webgl: bool) -> Any:
    """What a notebook usually does: every candle, every indicator, all at full detail."""
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, row_heights=[4, 1, 1])
    x: Any = epoch_ms(pd.DatetimeIndex(df.index)) if webgl else df.index
    line = go.Scattergl if webgl else go.Scatter
    fig.add_trace(
        go.Candlestick(
            x=x, open=df["open"], high=df["high"], low=df["low"], close=df["close"], name="Price"
        ),
        row=1,
        col=1,
    )
    for name in INDICATORS[:4]:
        fig.add_trace(line(x=x, y=df[name], name=name, mode="lines"), row=1, col=1)
    fig.add_trace(go.Bar(x=x, y=df["volume"], name="Volume"), row=2, col=1)
    fig.add_trace(line(x=x, y=df["rsi"], name="rsi", mode="lines"), row=3, col=1)
    for col in ("enter_long", "exit_long"):
        hits = df[df[col]]
        hx = epoch_ms(pd.DatetimeIndex(hits.index)) if webgl else hits.index
        fig.add_trace(go.Scatter(x=hx, y=hits["close"], mode="markers", name=col), row=1, col=1)
    fig.update_xaxes(type="date", rangeslider_visible=False)
    return fig


FREQTRADE_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    import pandas as pd
    from freqtrade.plot.plotting import generate_candlestick_graph
    src, out, config = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    df = pd.read_parquet(src)
    t0 = time.perf_counter()
    fig = generate_candlestick_graph("BTC/USDT", df, None, plot_config=config)
    t1 = time.perf_counter()
    text = fig.to_json()
    t2 = time.perf_counter()
    with open(out, "w") as fh:
        fh.write(text)
    print(json.dumps({"build": t1 - t0, "json": t2 - t1, "bytes": len(text.encode())}))
    """
)


def _bot_env(work: Path) -> dict[str, str]:
    """The bot venv's environment, with plotly lent from ours when freqtrade lacks it.

    freqtrade's plot extra (plotly) is not installed in ``.venv-bot``; rather than change
    the bot's venv, the pure-Python ``plotly``, ``_plotly_utils`` and ``narwhals`` of
    this venv are put on its ``PYTHONPATH`` (same Python), so both sides also serialise
    with the same plotly version.
    """
    import os

    env = dict(os.environ)
    probe = subprocess.run([str(BOT_PYTHON), "-c", "import plotly"], capture_output=True)
    if probe.returncode == 0:
        return env
    shim = work / "plotly_shim"
    shim.mkdir(exist_ok=True)
    site = Path(plotly.__file__ or "").parents[1]
    wanted = ["plotly", "_plotly_utils", "narwhals"]
    for target in [site / m for m in wanted] + [
        d for m in ("plotly", "narwhals") for d in site.glob(f"{m}-*.dist-info")
    ]:
        link = shim / target.name
        if not link.exists():
            link.symlink_to(target, target_is_directory=True)
    env["PYTHONPATH"] = str(shim)
    return env


def run_freqtrade(df: pd.DataFrame, work: Path) -> dict[str, Any]:
    """generate_candlestick_graph in the bot's virtualenv on the same frame."""
    frame = df.reset_index()
    for col in ("enter_long", "exit_long"):
        frame[col] = frame[col].astype("int64")
    frame["enter_tag"] = frame["enter_tag"].astype(object)
    src = work / "frame.parquet"
    frame.to_parquet(src)
    out = work / "freqtrade.json"
    proc = subprocess.run(
        [str(BOT_PYTHON), "-c", FREQTRADE_SCRIPT, str(src), str(out), json.dumps(PLOT_CONFIG)],
        capture_output=True,
        text=True,
        timeout=900,
        env=_bot_env(work),
    )
    if proc.returncode:
        raise RuntimeError(f"generate_candlestick_graph failed:\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["path"] = out
    return result


def measure(name: str, build: Any, work: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    fig = build()
    t1 = time.perf_counter()
    text = fig.to_json()
    t2 = time.perf_counter()
    path = work / f"{name}.json"
    path.write_text(text, encoding="utf-8")
    return {"build": t1 - t0, "json": t2 - t1, "bytes": len(text.encode()), "path": path}


def html_page(figure_json: Path, out: Path, plotlyjs: str) -> Path:
    """A standalone page: plotly.js inlined, the figure JSON inline, newPlot on load."""
    with out.open("w", encoding="utf-8") as fh:
        fh.write("<!doctype html><html><head><meta charset='utf-8'><script>")
        fh.write(plotlyjs)
        fh.write(
            "</script></head><body><div id='plot' style='width:1400px;height:900px'>"
            "</div><script>window.__fig="
        )
        with figure_json.open(encoding="utf-8") as src:
            while chunk := src.read(1 << 22):
                fh.write(chunk.replace("</", "<\\/"))
        fh.write(
            ";Plotly.newPlot('plot', window.__fig.data, window.__fig.layout)"
            ".then(function(){window.__plotted = performance.now();});</script>"
            "</body></html>"
        )
    return out


def first_paint(
    pages: dict[str, Path], runs: int, limit_s: float
) -> dict[str, dict[str, float | None]]:
    """Median seconds from navigation to ``.main-svg`` attached and to newPlot resolved.

    A page that is not there within ``limit_s`` seconds of navigation is recorded as
    ``None`` ("more than limit_s") and the run goes on.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    out: dict[str, dict[str, float | None]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            for name, page_path in pages.items():
                svg: list[float | None] = []
                done: list[float | None] = []
                for _ in range(runs):
                    page = browser.new_page(viewport={"width": 1440, "height": 950})
                    errors: list[str] = []
                    page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
                    t0 = time.perf_counter()

                    def left(t0: float = t0) -> float:
                        return max(1.0, limit_s - (time.perf_counter() - t0)) * 1000

                    t_svg = t_done = None
                    try:
                        page.goto(page_path.as_uri(), wait_until="commit", timeout=left())
                        page.wait_for_selector(".main-svg", state="attached", timeout=left())
                        t_svg = time.perf_counter() - t0
                        page.wait_for_function(
                            "window.__plotted !== undefined", timeout=left(), polling=50
                        )
                        t_done = time.perf_counter() - t0
                    except PlaywrightError as exc:
                        print(f"  {name}: not drawn within {limit_s:.0f} s ({type(exc).__name__})")
                    if errors:
                        raise RuntimeError(f"{name}: page errors {errors[:3]}")
                    svg.append(t_svg)
                    done.append(t_done)
                    page.close()
                out[name] = {"main_svg": _median(svg), "plotted": _median(done)}
                print(f"  painted {name}: {out[name]}", flush=True)
        finally:
            browser.close()
    return out


def _median(values: list[float | None]) -> float | None:
    return None if any(v is None for v in values) else float(np.median(values))


def _secs(value: float | None, limit_s: float) -> str:
    return f"> {limit_s:.0f}" if value is None else f"{value:.2f}"


def zoom_check(df: pd.DataFrame) -> tuple[int, int, int]:
    """Candles drawn in the overview, in one zoomed day, and that day's candles in df."""
    widget = candle_widget(df, plot_config=PLOT_CONFIG)
    overview = len(widget.data[0].x)
    day = df.index[-1].floor("D") - pd.Timedelta(days=2)
    end = day + pd.Timedelta(days=1) - pd.Timedelta(minutes=1)
    widget.layout.xaxis.range = [day, end]
    x = np.asarray(widget.data[0].x)
    inside = int(((x >= to_epoch_ms(day)) & (x <= to_epoch_ms(end))).sum())
    return overview, inside, len(df[day:end])


def dense_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The same candles with dense signals: ``rsi < 40`` / ``rsi > 60`` hold for long runs."""
    out = df.copy()
    out["enter_long"] = out["rsi"] < 40
    out["exit_long"] = out["rsi"] > 60
    out["enter_tag"] = pd.Series(
        np.where(out["enter_long"], "rsi_low", None), index=out.index, dtype="string"
    )
    out.attrs.update(df.attrs)
    return out


def bare_candles(df: pd.DataFrame, n: int) -> Any:
    """The floor: a bare ``go.Candlestick`` of ``n`` candles, nothing else."""
    tail = df.tail(n)
    fig = go.Figure(
        go.Candlestick(
            x=epoch_ms(pd.DatetimeIndex(tail.index)),
            open=tail["open"], high=tail["high"], low=tail["low"], close=tail["close"],
        )
    )  # fmt: skip
    fig.update_xaxes(type="date", rangeslider_visible=False)
    return fig


def signal_cases(df: pd.DataFrame, work: Path, runs: int, limit_s: float) -> None:
    """Dense and sparse signals against a bare 4,000-candle candlestick, same browser run.

    Targets (dense case): payload <= 5 MB; first paint <= 1.5x the bare candlestick's.
    """
    dense = dense_frame(df)
    n_signals = int(dense["enter_long"].sum() + dense["exit_long"].sum())
    print(
        f"dense case: {len(dense):,} candles, {int(dense['enter_long'].sum()):,} enter_long + "
        f"{int(dense['exit_long'].sum()):,} exit_long signal candles ({n_signals:,})"
    )
    results = {
        "bare 4,000-candle go.Candlestick": measure(
            "bare", lambda: bare_candles(df, defaults.max_candles), work
        ),
        "ftnotebook sparse signals": measure(
            "sparse", lambda: candle_chart(df, plot_config=PLOT_CONFIG), work
        ),
        "ftnotebook dense signals": measure(
            "dense", lambda: candle_chart(dense, plot_config=PLOT_CONFIG), work
        ),
    }
    plotlyjs = plotly.offline.get_plotlyjs()
    pages = {
        name: html_page(r["path"], work / f"{r['path'].stem}.html", plotlyjs)
        for name, r in results.items()
    }
    paint = first_paint(pages, runs, limit_s)
    base = paint["bare 4,000-candle go.Candlestick"]["plotted"]
    print()
    print("| figure | build s | payload MB | all drawn s | vs bare candlestick |")
    print("|---|---:|---:|---:|---:|")
    for name, r in results.items():
        drawn = paint[name]["plotted"]
        rel = "n/a" if drawn is None or base is None else f"{drawn / base:.2f}x"
        print(
            f"| {name} | {r['build']:.2f} | {r['bytes'] / 1e6:.2f} | "
            f"{_secs(drawn, limit_s)} | {rel} |"
        )
    dense_r, dense_p = results["ftnotebook dense signals"], paint["ftnotebook dense signals"]
    print(
        f"dense payload target <= 5 MB: {dense_r['bytes'] / 1e6:.2f} MB -> "
        f"{'PASS' if dense_r['bytes'] <= 5e6 else 'MISS'}"
    )
    if dense_p["plotted"] is None or base is None:
        print("dense first paint target <= 1.5x bare: MISS (not drawn)")
    else:
        ratio = dense_p["plotted"] / base
        print(
            f"dense first paint target <= 1.5x bare: {ratio:.2f}x -> "
            f"{'PASS' if ratio <= 1.5 else 'MISS'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candles", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=1, help="browser runs per page (median)")
    parser.add_argument(
        "--paint-limit", type=float, default=300.0, help="seconds before a page counts as not drawn"
    )
    parser.add_argument("--out", type=Path, default=None, help="keep the pages here")
    parser.add_argument(
        "--cases",
        choices=["all", "signals"],
        default="all",
        help="'signals': only the dense/sparse signal cases against a bare candlestick",
    )
    args = parser.parse_args()
    work = args.out or Path(tempfile.mkdtemp(prefix="ftnb-bench-plots-"))
    work.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    df = make_frame(args.candles)
    print(
        f"frame: {len(df):,} 1m candles, {len(INDICATORS)} plotted indicators, "
        f"{int(df.enter_long.sum()):,}+{int(df.exit_long.sum()):,} signals "
        f"({time.perf_counter() - t0:.1f} s to make); plotly {plotly.__version__}, "
        f"max_candles {defaults.max_candles}"
    )

    signal_cases(df, work, args.runs, args.paint_limit)
    if args.cases == "signals":
        return
    results: dict[str, dict[str, Any]] = {}
    results["ftnotebook"] = measure(
        "ftnotebook", lambda: candle_chart(df, plot_config=PLOT_CONFIG), work
    )
    results["freqtrade"] = run_freqtrade(df, work)
    results["naive"] = measure("naive", lambda: naive_figure(df, webgl=False), work)
    results["naive WebGL"] = measure("naive_webgl", lambda: naive_figure(df, webgl=True), work)

    plotlyjs = plotly.offline.get_plotlyjs()
    pages = {
        name: html_page(r["path"], work / f"{r['path'].stem}.html", plotlyjs)
        for name, r in results.items()
    }
    paint = first_paint(pages, args.runs, args.paint_limit)

    base = paint["freqtrade"]["plotted"]
    ours = results["ftnotebook"]
    mine = paint["ftnotebook"]["plotted"]
    print()
    print(
        "| figure | build s | to_json s | payload MB | .main-svg s | all drawn s | vs freqtrade |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        p = paint[name]
        if p["plotted"] is None:
            rel = "n/a" if base is None else f"> {args.paint_limit / base:.2f}x"
        elif base is None:
            rel = f"< {p['plotted'] / args.paint_limit:.3f}x"
        else:
            rel = f"{p['plotted'] / base:.3f}x"
        print(
            f"| {name} | {r['build']:.2f} | {r['json']:.2f} | {r['bytes'] / 1e6:.1f} | "
            f"{_secs(p['main_svg'], args.paint_limit)} | "
            f"{_secs(p['plotted'], args.paint_limit)} | {rel} |"
        )
    overview, inside, expected = zoom_check(df)
    print()
    print(
        f"payload target <= 5 MB: {ours['bytes'] / 1e6:.2f} MB -> "
        f"{'OK' if ours['bytes'] <= 5e6 else 'MISSED'}"
    )
    if mine is None:
        verdict = "MISSED (ours not drawn)"
    else:
        ratio = mine / (base if base is not None else args.paint_limit)
        bound = "" if base is not None else "at most "
        verdict = f"{bound}{ratio:.3f} -> {'OK' if ratio <= 0.2 else 'MISSED'}"
    print(f"first paint target <= 1/5 of freqtrade: {verdict}")
    print(
        f"zoom to one day: overview {overview} candles; zoomed day shows {inside} of "
        f"{expected} candles -> {'OK' if inside == expected == 1440 else 'MISSED'}"
    )
    print(f"pages in {work}")


if __name__ == "__main__":
    main()
