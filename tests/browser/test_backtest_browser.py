"""The backtest panel in a real JupyterLab: fill the form, click Run, the page shows the
progress and then the result's card; the comparison charts and a trade in its candles
render too (screenshots under ``$FTNOTEBOOK_SHOTS``)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ftnotebook import FtClient, backtest
from ftnotebook.demo.launcher import RunningBot
from tests.browser.conftest import Lab, LabPage, open_and_run

SHOTS = Path(os.environ.get("FTNOTEBOOK_SHOTS", ".pytest_cache/ftnb-shots"))
TODAY_UTC = datetime.now(UTC).date()
RANGE = f"{TODAY_UTC - timedelta(days=4):%Y%m%d}-{TODAY_UTC - timedelta(days=1):%Y%m%d}"


def _notebook(bot: RunningBot) -> list[str]:
    return [
        "%% md\n# Backtest panel (browser test)",
        "from ftnotebook import FtClient, backtest, plots\n"
        "from ftnotebook.widgets import BacktestPanel, inspect_trade\n\n"
        f"bot = FtClient({bot.api_url!r}, {bot.username!r}, {bot.password!r})\n"
        f"a = backtest.start(bot, 'FtnbDemo', timerange={RANGE!r}, stake_amount=100)"
        ".wait(progress=False)\n"
        f"b = backtest.start(bot, 'FtnbDemoTight', timerange={RANGE!r}, stake_amount=100)"
        ".wait(progress=False)\n"
        "cmp = plots.compare_backtests([a, b], height=380)",
        "cmp.equity",
        "cmp.underwater",
        "cmp.pairs_chart",
        "inspect_trade(bot, a, int(a.trades.profit_abs.idxmin()), height=600)",
        "panel = BacktestPanel(bot)\npanel",
    ]


def test_run_a_backtest_from_the_panel_and_see_its_card(
    lab: Lab, lab_page: LabPage, webserver_bot: RunningBot
) -> None:
    from playwright.sync_api import expect

    page = lab_page.page
    with FtClient(webserver_bot.api_url, webserver_bot.username, webserver_bot.password) as c:
        before = set(backtest.history(c)["filename"])
        try:
            lab.write_notebook("backtest_panel.ipynb", _notebook(webserver_bot))
            open_and_run(lab_page, lab, "backtest_panel.ipynb", timeout_s=240)
            plots_ = page.locator(".js-plotly-plot")
            expect(plots_.nth(3)).to_be_visible(timeout=60_000)
            SHOTS.mkdir(parents=True, exist_ok=True)
            for i, name in enumerate(("equity", "underwater", "pairs", "inspect")):
                plots_.nth(i).scroll_into_view_if_needed()
                plots_.nth(i).screenshot(path=str(SHOTS / f"backtest-{name}.png"))
            panel = page.locator(".ftnb-backtest")
            panel.scroll_into_view_if_needed()
            expect(panel.locator(".ftnb-bt-strategy select")).to_contain_text("FtnbDemo")
            panel.locator(".ftnb-bt-timerange input").fill(RANGE)
            panel.locator(".ftnb-bt-stake input").fill("80")
            panel.locator(".ftnb-bt-max-open input").fill("3")
            panel.locator("button.ftnb-bt-run").click()
            card = panel.locator(".ftnb-bt-card")
            expect(card).to_contain_text("Backtest FtnbDemo", timeout=120_000)
            expect(card).to_contain_text("Max drawdown")
            expect(panel.locator(".ftnb-message")).to_contain_text("finished")
            expect(panel.locator(".ftnb-bt-history select")).to_contain_text("FtnbDemo")
            panel.screenshot(path=str(SHOTS / "backtest-panel.png"))
            runs = backtest.history(c)
            new = runs[~runs["filename"].isin(before)]
            assert len(new) >= 3
            stakes = {
                backtest.load(c, f, s).settings["stake_amount"]
                for f, s in zip(new["filename"], new["strategy"], strict=True)
            }
            assert 80 in stakes, stakes
            assert lab_page.console_errors == []
        finally:
            for name in set(backtest.history(c)["filename"]) - before:
                backtest.delete(c, name)
