"""The force-trade and locks controls on the futures bot in a real JupyterLab: pick short,
type a leverage, click, and the bot holds that short; the locks table shows each lock's side."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from ftnotebook.demo.launcher import RunningBot
from tests.browser.conftest import Lab, LabPage, open_and_run

PAIR = "ADA/USDT:USDT"
SHOTS = Path(os.environ.get("FTNOTEBOOK_SHOTS", ".pytest_cache/ftnb-shots"))


def _notebook(bot: RunningBot) -> list[str]:
    return [
        "%% md\n# Futures controls (browser test)",
        "from ftnotebook import FtClient\n"
        "from ftnotebook.widgets import ForceTradeControl, LocksControl\n\n"
        f"client = FtClient({bot.api_url!r}, {bot.username!r}, {bot.password!r})",
        "force = ForceTradeControl(client)\nforce",
        "locks = LocksControl(client)\nlocks",
    ]


def _open(futures_api: Any) -> list[dict[str, Any]]:
    return [t for t in futures_api.get("status") if t["pair"] == PAIR]


def test_force_enter_a_levered_short_from_the_page(
    lab: Lab, lab_page: LabPage, futures_bot: RunningBot, futures_api: Any
) -> None:
    from playwright.sync_api import expect

    page = lab_page.page
    assert _open(futures_api) == []
    lab.write_notebook("futures_controls.ipynb", _notebook(futures_bot))
    open_and_run(lab_page, lab, "futures_controls.ipynb")
    try:
        expect(page.locator(".ftnb-lock-row", has_text="ftnb seed short lock")).to_contain_text(
            "short"
        )
        expect(page.locator(".ftnb-lock-row", has_text="ftnb seed long lock")).to_contain_text(
            "long"
        )
        page.locator(".ftnb-force-pair input").fill(PAIR)
        page.locator(".ftnb-force-side select").select_option("short")
        page.locator(".ftnb-force-leverage input").fill("5")
        page.locator("button.ftnb-force-enter").click()
        deadline = time.monotonic() + 30
        while not _open(futures_api):
            assert time.monotonic() < deadline, "the bot never opened the short"
            time.sleep(0.2)
        (trade,) = _open(futures_api)
        assert (trade["is_short"], trade["leverage"]) == (True, 5.0)
        expect(page.locator(".ftnb-force .ftnb-message")).to_contain_text(f"{PAIR} short 5x")
        expect(page.locator(".ftnb-force-trade select")).to_contain_text(f"{PAIR} short 5x")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(".jp-NotebookPanel").first.screenshot(path=str(SHOTS / "futures-controls.png"))
        assert lab_page.console_errors == []
    finally:
        for t in _open(futures_api):
            futures_api("POST", "forceexit", json={"tradeid": t["trade_id"]})
