"""A candle chart and a profit chart render in JupyterLab (headless Chromium), no console errors.

The notebook builds both from the real trade bot (``FtClient.from_env()`` in the kernel);
the screenshots are kept in the test's tmp directory as artifacts, never in git.
"""

from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import Lab, LabPage, open_and_run

CELLS = [
    "%% md\n# plots browser check",
    "from ftnotebook import FtClient, frames\n"
    "from ftnotebook.plots import candle_chart, cumulative_profit_chart\n"
    "client = FtClient.from_env()\n"
    "candles = frames.pair_candles(client, 'BTC/USDT', '5m')\n"
    "trades = frames.trades_frame([*client.trades(limit=500)['trades'], *client.status()])",
    "fig = candle_chart(candles, trades=trades, client=client, height=700)\n"
    "fig.update_layout(meta='ftnb-candles')\n"
    "fig",
    "profit = cumulative_profit_chart(trades, starting_balance=10_000, height=420)\n"
    "profit.update_layout(meta='ftnb-profit')\n"
    "profit",
]


def test_candle_and_profit_charts_render(lab: Lab, lab_page: LabPage, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    lab.write_notebook("plots_check.ipynb", CELLS)
    open_and_run(lab_page, lab, "plots_check.ipynb")
    page = lab_page.page
    plots = page.locator(".js-plotly-plot")
    expect(plots).to_have_count(2, timeout=60_000)
    candles, profit = plots.nth(0), plots.nth(1)
    # plotly drew the data, not just the frame: candlestick boxes, indicator lines,
    # signal/trade markers, the subplots' axes; the profit line and drawdown markers
    expect(candles.locator("g.trace.boxes").first).to_be_attached()
    expect(candles.locator("g.scatterlayer g.trace")).not_to_have_count(0)
    assert candles.locator("g.scatterlayer .point").count() > 10
    assert candles.locator(".xy .yaxislayer-above, .yaxislayer-above").count() >= 1
    assert candles.locator("g.subplot").count() >= 5, "price, volume and 3 subplots"
    # the main legend and one legend per subplot row (rsi sits in its row's own)
    legend = candles.locator(
        ".infolayer text.legendtext, .infolayer text[class^='legend'][class$='text']"
    ).all_text_contents()
    for name in ("Price", "ema_fast", "Bollinger band", "enter_long", "Trade entry", "rsi"):
        assert name in legend
    expect(profit.locator("g.scatterlayer g.trace").first).to_be_attached()
    profit_legend = profit.locator(".legend .legendtext").all_text_contents()
    assert any(t.startswith("Max drawdown") for t in profit_legend)
    candles.scroll_into_view_if_needed()
    candles.screenshot(path=str(tmp_path / "candle_chart.png"))
    profit.scroll_into_view_if_needed()
    profit.screenshot(path=str(tmp_path / "profit_chart.png"))
    page.screenshot(path=str(tmp_path / "jupyterlab_plots.png"))
    assert (tmp_path / "candle_chart.png").stat().st_size > 10_000
    assert lab_page.console_errors == []
