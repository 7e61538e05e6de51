"""Doubtful input asks first, in a real JupyterLab: a blacklist wildcard that matches every
market and a limit price far from the market show a confirmation row; Cancel sends nothing.

A screenshot of each question is kept under ``.pytest_cache/ftnb-shots`` (not in git).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ftnotebook.demo.launcher import RunningBot
from tests.browser.conftest import Lab, LabPage, open_and_run
from tests.widgets.conftest import bot_snapshot

SHOTS = Path(os.environ.get("FTNOTEBOOK_SHOTS", ".pytest_cache/ftnb-shots"))


def _notebook(bot: RunningBot) -> list[str]:
    return [
        "%% md\n# Confirmations (browser test)",
        "from ftnotebook import FtClient\n"
        "from ftnotebook.widgets import BlacklistControl, ForceTradeControl\n\n"
        f"client = FtClient({bot.api_url!r}, {bot.username!r}, {bot.password!r})",
        "blacklist = BlacklistControl(client)\nblacklist",
        "force = ForceTradeControl(client)\nforce",
    ]


def test_doubtful_entries_ask_in_the_page_and_cancel_sends_nothing(
    lab: Lab, lab_page: LabPage, trade_bot: RunningBot, bot_api: Any
) -> None:
    from playwright.sync_api import expect

    page = lab_page.page
    before = bot_snapshot(bot_api)
    lab.write_notebook("confirmations.ipynb", _notebook(trade_bot))
    open_and_run(lab_page, lab, "confirmations.ipynb")
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.locator(".ftnb-blacklist-pairs input").fill(".*/.*")
    page.locator("button.ftnb-blacklist-add").click()
    question = page.locator(".ftnb-blacklist .ftnb-confirm")
    expect(question).to_be_visible()
    expect(question).to_contain_text("matches every market")
    page.locator(".ftnb-blacklist").screenshot(path=str(SHOTS / "blacklist-confirm.png"))
    page.locator(".ftnb-blacklist button.ftnb-confirm-no").click()
    expect(page.locator(".ftnb-blacklist .ftnb-message")).to_contain_text("nothing was sent")
    expect(question).to_be_hidden()

    page.locator(".ftnb-force-pair input").fill("SOL/USDT")
    page.locator(".ftnb-force-price input").fill("0.0001")
    page.locator("button.ftnb-force-enter").click()
    question = page.locator(".ftnb-force .ftnb-confirm")
    expect(question).to_be_visible()
    expect(question).to_contain_text("below the last price")
    page.locator(".ftnb-force").screenshot(path=str(SHOTS / "forcetrade-confirm.png"))
    page.locator(".ftnb-force button.ftnb-confirm-no").click()
    expect(page.locator(".ftnb-force .ftnb-message")).to_contain_text("nothing was sent")

    assert bot_snapshot(bot_api) == before
    assert lab_page.console_errors == []
