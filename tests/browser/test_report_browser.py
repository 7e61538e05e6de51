"""The tear sheet renders in JupyterLab for the demo bot and for a backtest, and its
exported file opens offline in Chromium with no console errors.

The bot's sheet is built in the kernel (``TearSheet(FtClient.from_env())``); the
backtest's from freqtrade's own result of a backtest the test runs on the webserver bot
(saved as JSON next to the notebook). The exported file is opened from ``file://`` with
every http(s) request refused. Screenshots stay in the test's tmp directory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ftnotebook.client import FtClient
from ftnotebook.demo.launcher import RunningBot
from tests.browser.conftest import Lab, LabPage, open_and_run

STRATEGY = "FtnbDemo"
FIGURES = ["equity", "underwater", "monthly", "rolling", "distribution", "monte_carlo"]


@pytest.fixture(scope="module")
def backtest_json(lab: Lab, webserver_bot: RunningBot) -> Iterator[Path]:
    today = datetime.now(UTC).date()
    timerange = (today - timedelta(days=4), today - timedelta(days=1))
    bot = webserver_bot
    with FtClient(bot.api_url, bot.username, bot.password) as client:
        client.start_backtest(STRATEGY, timerange=timerange, stake_amount=100)
        try:
            result = client.wait_for_backtest(timeout=300)
            assert result["status"] == "ended", result["status_msg"]
            path = lab.root / "backtest_result.json"
            path.write_text(json.dumps(result["backtest_result"]), encoding="utf-8")
            yield path
        finally:
            client.reset_backtest()


def _cells(export: str) -> list[str]:
    return [
        "%% md\n# tear sheet browser check",
        "import json\n"
        "from ftnotebook import FtClient\n"
        "from ftnotebook.report import TearSheet\n"
        "bot_sheet = TearSheet(FtClient.from_env(), paths=300)\n"
        "bot_sheet",
        "with open('backtest_result.json') as f:\n"
        "    result = json.load(f)\n"
        f"bt_sheet = TearSheet(result, strategy={STRATEGY!r}, paths=300)\n"
        "bt_sheet",
        f"print(bot_sheet.to_html({export!r}).stat().st_size)",
    ]


def _check_report(report: Any, label: str) -> None:
    from playwright.sync_api import expect

    report.scroll_into_view_if_needed()
    expect(report.locator(".js-plotly-plot")).to_have_count(len(FIGURES), timeout=60_000)
    for name in FIGURES:
        figure = report.locator(f'[data-figure="{name}"] .js-plotly-plot .main-svg').first
        expect(figure).to_be_attached()
    assert label in (report.locator("h2").text_content() or "")
    sharpe = report.locator('[data-kpi="sharpe"]').text_content()
    assert sharpe and sharpe != "–"
    # plotly drew data: the equity line, the heatmap, the Monte Carlo bands
    assert report.locator('[data-figure="equity"] g.scatterlayer g.trace').count() >= 1
    assert report.locator('[data-figure="monthly"] g.hm, [data-figure="monthly"] image').count()
    assert report.locator('[data-figure="monte_carlo"] g.trace.bars').count() >= 1


def test_tear_sheets_render_in_jupyterlab_and_export_offline(
    lab: Lab, lab_page: LabPage, backtest_json: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    export = lab.root / "tearsheet.html"
    lab.write_notebook("report_check.ipynb", _cells(export.name))
    open_and_run(lab_page, lab, "report_check.ipynb", timeout_s=240)
    page = lab_page.page
    reports = page.locator(".ftnb-report")
    expect(reports).to_have_count(2, timeout=60_000)
    _check_report(reports.nth(0), "ftnb-trade")
    _check_report(reports.nth(1), STRATEGY)
    for i, name in enumerate(("bot", "backtest")):  # the report's top, as the reader sees it
        reports.nth(i).locator("h2").scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=str(tmp_path / f"jupyterlab_{name}_sheet.png"))
    assert lab_page.console_errors == []

    assert export.stat().st_size <= 5_000_000
    offline = page.context.new_page()
    errors: list[str] = []
    offline.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    offline.on("pageerror", lambda e: errors.append(str(e)))
    refused: list[str] = []

    def refuse(route: Any) -> None:
        refused.append(route.request.url)
        route.abort()

    offline.route("http*://**", refuse)
    offline.goto(export.as_uri())
    _check_report(offline.locator(".ftnb-report"), "ftnb-trade")
    offline.screenshot(path=str(tmp_path / "exported_sheet.png"), full_page=True)
    offline.close()
    assert errors == [] and refused == []
    assert (tmp_path / "exported_sheet.png").stat().st_size > 50_000
