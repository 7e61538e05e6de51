"""The chart gallery: every public chart function, rendered in JupyterLab (headless
Chromium) on the demo bots' data, measured in the page and saved as a PNG.

PNGs go to ``build/chart-gallery/`` (git-ignored) so a person can look at them. What can
be measured is asserted on plotly's own state in the page (``gd._fullLayout``):

* the price row's y range lies within 15 % of the candles' low/high;
* the x range is the candles' window;
* no axis title is a raw column name;
* count axes have whole-number ticks;
* in aggregation mode no trace holds more than ``max_candles`` points (a dense signal's
  ticks count 3 vertices each: bottom, top and the gap);
* a ``candle_widget`` whose ``xaxis.range`` is set from Python shows exactly that
  window, every candle of it drawn;
* no console errors.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ftnotebook.demo.launcher import RunningBot
from tests.browser.conftest import Lab, LabPage, open_and_run

GALLERY = Path(__file__).resolve().parents[2] / "build" / "chart-gallery"
RAW_NAMES = {"profit_abs", "abs_profit", "total_quote", "trade_count", "profit_ratio", "count"}


def _cells(futures_bot: RunningBot) -> list[str]:
    fut = (futures_bot.api_url, futures_bot.username, futures_bot.password)
    bench = str(Path(__file__).resolve().parents[2] / "bench")
    return [
        "%% md\n# chart gallery",
        "import sys, os\n"
        "import pandas as pd\n"
        "from ftnotebook import FtClient, frames\n"
        "from ftnotebook import plots as P\n"
        "from ftnotebook.widgets import CandleExplorer\n"
        "from ftnotebook.live import LiveFeed, LiveCandleChart\n"
        "client = FtClient.from_env()\n"
        "ws = FtClient(os.environ['FTNOTEBOOK_WEBSERVER_URL'], os.environ['FTNOTEBOOK_USERNAME'],"
        " os.environ['FTNOTEBOOK_WEBSERVER_PASSWORD'])\n"
        f"fut = FtClient(*{fut!r})\n"
        "candles = frames.pair_candles(client, 'BTC/USDT', '5m')\n"
        "trades = frames.trades_frame([*client.trades(limit=500)['trades'], *client.status()])\n"
        "ftrades = frames.trades_frame([*fut.trades(limit=500)['trades'], *fut.status()])\n"
        "fpair = str(ftrades[ftrades.is_open].sort_values('open_date')['pair'].iloc[0])\n"
        "fcandles = frames.pair_candles(fut, fpair, '5m')\n"
        "def show(fig, name, candles=None, **extra):\n"
        "    meta = {'gallery': name, **extra}\n"
        "    if candles is not None:\n"
        "        meta.update(low=float(candles['low'].min()), high=float(candles['high'].max()),\n"
        "                    x0=int(candles.index[0].value // 10**6),"
        " x1=int(candles.index[-1].value // 10**6))\n"
        "    fig.update_layout(meta=meta)\n"
        "    return fig",
        "show(P.candle_chart(fcandles, trades=ftrades, client=fut), 'open_trade', fcandles)",
        "ha = P.heikin_ashi(candles)\n"
        "ha_range = pd.DataFrame({'low': ha['ha_low'], 'high': ha['ha_high']}, index=ha.index)\n"
        "fig = P.candle_chart(candles, trades=trades, client=client, heikin_ashi=True)\n"
        "show(fig, 'heikin_ashi', ha_range)",
        "tail = candles.tail(200)\n"
        "show(P.candle_chart(tail, trades=trades, client=client), 'tail_200', tail)",
        "hist = frames.pair_history(\n"
        "    ws, 'BTC/USDT', '5m', timerange='20000101-', strategy='FtnbDemo')\n"
        "show(P.candle_chart(hist, client=ws), 'pair_history', hist)",
        f"sys.path.insert(0, {bench!r})\n"
        "from bench_plots import make_frame, dense_frame, PLOT_CONFIG\n"
        "big = dense_frame(make_frame(500_000))\n"
        "show(P.candle_chart(big, plot_config=PLOT_CONFIG), 'aggregated_500k', big,"
        " max_candles=P.defaults.max_candles)",
        "show(P.cumulative_profit_chart(trades, starting_balance=10_000), 'cumulative_profit')",
        "show(P.underwater_chart(trades, starting_balance=10_000), 'underwater')",
        "show(P.period_profit_chart(frames.daily(client, 30)), 'period_profit')",
        "show(P.pair_profit_chart(trades), 'pair_profit')",
        "show(P.parallelism_chart(trades), 'parallelism')",
        "show(P.profit_distribution_chart(trades), 'profit_distribution')",
        "show(P.duration_distribution_chart(trades), 'duration_distribution')",
        "show(P.wallet_chart(frames.historic_balance(client)), 'wallet')",
        "w = P.candle_widget(candles, trades=trades, client=client)\n"
        "window = candles.iloc[-300:-180]\n"
        "show(w, 'widget_window', window, n=len(window))\n"
        "w.layout.xaxis.range = [window.index[0], window.index[-1]]\n"
        "w",
        "feed = LiveFeed.from_client(client).start()\n"
        "live = LiveCandleChart(feed, 'BTC/USDT', indicators=['ema_fast', 'sma_slow'])\n"
        "live.figure.update_layout(meta={'gallery': 'live'})\n"
        "live",
        "explorer = CandleExplorer(client, limit=300)\n"
        "explorer.figure.update_layout(meta={'gallery': 'explorer'})\n"
        "print(explorer.last_message)\n"
        "explorer",
    ]


_STATE_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
  const fl = gd._fullLayout || {};
  const meta = (gd.layout && gd.layout.meta) || fl.meta || {};
  const axes = Object.keys(fl).filter(k => /^[xy]axis\\d*$/.test(k)).map(k => ({
    name: k, title: (fl[k].title && fl[k].title.text) || '',
    range: fl[k].range, type: fl[k].type,
    ticks: (fl[k]._vals || []).map(v => v.x),
  }));
  const traces = (gd._fullData || []).map(t => ({
    name: t.name, type: t.type, mode: t.mode || '',
    n: t.x ? t.x.length : 0,
    xs: t.type === 'candlestick' ? Array.from(t.x) : [],
    lows: t.type === 'candlestick' ? Array.from(t.low) : [],
  }));
  return {meta, axes, traces, width: gd.getBoundingClientRect().width};
})"""


def _ms(value: Any) -> float:
    import pandas as pd

    if isinstance(value, int | float):
        return float(value)
    return pd.Timestamp(str(value), tz="UTC").value / 1e6


def test_chart_gallery(lab: Lab, lab_page: LabPage, futures_bot: RunningBot) -> None:
    from playwright.sync_api import expect

    GALLERY.mkdir(parents=True, exist_ok=True)
    page = lab_page.page
    page.set_viewport_size({"width": 1600, "height": 1000})
    lab.write_notebook("chart_gallery.ipynb", _cells(futures_bot))
    open_and_run(lab_page, lab, "chart_gallery.ipynb", timeout_s=300)
    plots = page.locator(".js-plotly-plot")
    expect(plots).to_have_count(16, timeout=120_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')]"
        ".every(gd => gd._fullLayout && gd._fullData)",
        timeout=120_000,
    )
    states = page.evaluate(_STATE_JS)
    by_name = {s["meta"].get("gallery"): (i, s) for i, s in enumerate(states) if s["meta"]}
    expected = {
        "open_trade", "heikin_ashi", "tail_200", "pair_history", "aggregated_500k",
        "cumulative_profit", "underwater", "period_profit", "pair_profit", "parallelism",
        "profit_distribution", "duration_distribution", "wallet", "widget_window", "live",
        "explorer",
    }  # fmt: skip
    for i, state in enumerate(states):
        plot = plots.nth(i)
        plot.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        box = plot.bounding_box()
        assert box is not None and box["height"] > 100, state["meta"]
        name = state["meta"].get("gallery") or str(i)
        page.screenshot(path=str(GALLERY / f"{name}.png"), clip=box)
    (GALLERY / "state.json").write_text(json.dumps(states, default=str)[:2_000_000], "utf-8")
    assert not expected - set(by_name), (
        sorted(expected - set(by_name)),
        [s["meta"] for s in states],
    )
    for name, (_i, state) in sorted(by_name.items()):
        meta = state["meta"]
        axes = {a["name"]: a for a in state["axes"]}
        # no raw column names as axis titles; count axes have whole-number ticks
        for axis in state["axes"]:
            assert axis["title"] not in RAW_NAMES, (name, axis)
            if axis["title"] in ("Trades", "Open trades"):
                assert axis["ticks"] and all(float(v).is_integer() for v in axis["ticks"]), (
                    name, axis,
                )  # fmt: skip
        assert state["width"] > 1000, f"{name} fills the cell's width"
        if "low" in meta:
            low, high = meta["low"], meta["high"]
            lo, hi = axes["yaxis"]["range"]
            span = high - low
            assert low - 0.15 * span <= lo <= low + 1e-9, (name, lo, low)
            assert high - 1e-9 <= hi <= high + 0.15 * span, (name, hi, high)
            x0, x1 = (_ms(v) for v in axes["xaxis"]["range"])
            candle = 5 * 60_000 if name != "aggregated_500k" else 60_000
            if name == "widget_window":
                # exactly the window set from Python, every candle of it drawn
                assert abs(x0 - meta["x0"]) <= 1 and abs(x1 - meta["x1"]) <= 1, (x0, x1, meta)
                xs = next(t["xs"] for t in state["traces"] if t["type"] == "candlestick")
                inside = [x for x in xs if meta["x0"] <= x <= meta["x1"]]
                assert len(inside) == meta["n"]
            else:
                assert abs(x0 - (meta["x0"] - candle / 2)) <= 1, (name, x0, meta["x0"])
                assert abs(x1 - (meta["x1"] + candle / 2)) <= 1, (name, x1, meta["x1"])
        if name == "aggregated_500k":
            budget = meta["max_candles"]
            for trace in state["traces"]:
                if trace["type"] == "candlestick" or trace["name"] == "Volume":
                    assert trace["n"] <= budget, trace
                elif trace["mode"] == "lines" and trace["name"] in ("enter_long", "exit_long"):
                    assert trace["n"] <= 3 * budget, trace  # ticks: 2 vertices + a gap
                else:
                    assert trace["n"] <= budget, trace
    assert lab_page.console_errors == []
