"""The locks and blacklist controls in a real JupyterLab: type, click, and the bot changes.

Everything is done in the page (typing into the widgets' inputs, clicking their buttons);
the bot's side is checked through the plain API helper, independently of ftnotebook.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

from tests.browser.conftest import Lab, LabPage, open_and_run

NOTEBOOK = [
    "%% md\n# Locks and blacklist controls (browser test)",
    "from ftnotebook import FtClient\n"
    "from ftnotebook.widgets import BlacklistControl, LocksControl\n\n"
    "client = FtClient.from_env()",
    "locks = LocksControl(client)\nlocks",
    "blacklist = BlacklistControl(client)\nblacklist",
]


def _eventually(check: Callable[[], bool], what: str, timeout: float = 30) -> None:
    """Poll the bot until ``check()`` holds (the click travels page → kernel → bot)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"the bot never showed: {what}"
        time.sleep(0.2)


def test_locks_and_blacklist_from_the_page(lab: Lab, lab_page: LabPage, bot_api: Any) -> None:
    from playwright.sync_api import expect

    page = lab_page.page
    reason = f"ftnb browser {secrets.token_hex(3)}"
    entry = "PEPE/USDT"
    assert entry not in bot_api.get("blacklist")["blacklist"]

    def bot_locks() -> list[dict[str, Any]]:
        return [lk for lk in bot_api.get("locks")["locks"] if lk.get("reason") == reason]

    lab.write_notebook("controls_browser.ipynb", NOTEBOOK)
    open_and_run(lab_page, lab, "controls_browser.ipynb")
    try:
        # ---- a lock: type pair + duration + reason, click add
        expect(
            page.locator(".ftnb-locks .ftnb-lock-row", has_text="ftnb seed lock")
        ).to_be_visible()
        page.locator(".ftnb-locks-pair input").fill("SOL/USDT")
        page.locator(".ftnb-locks-until input").fill("3h")
        page.locator(".ftnb-locks-reason input").fill(reason)
        page.locator("button.ftnb-locks-add").click()
        _eventually(lambda: len(bot_locks()) == 1, f"a lock with reason {reason!r}")
        (lock,) = bot_locks()
        assert lock["pair"] == "SOL/USDT" and lock["side"] == "*"
        assert lock["lock_end_timestamp"] - time.time() * 1000 > 3 * 3600_000 - 60_000
        row = page.locator(".ftnb-lock-row", has_text=reason)
        expect(row).to_be_visible()
        expect(page.locator(".ftnb-locks .ftnb-message")).to_contain_text("locked SOL/USDT")

        # ---- delete it from its row
        row.locator("button.ftnb-locks-delete").click()
        _eventually(lambda: bot_locks() == [], f"the lock {reason!r} gone")
        expect(page.locator(".ftnb-lock-row", has_text=reason)).to_have_count(0)
        expect(page.locator(".ftnb-lock-row", has_text="ftnb seed lock")).to_be_visible()

        # ---- a blacklist entry: type, add, select, remove
        page.locator(".ftnb-blacklist-pairs input").fill(entry)
        page.locator("button.ftnb-blacklist-add").click()
        _eventually(lambda: entry in bot_api.get("blacklist")["blacklist"], f"{entry} listed")
        select = page.locator(".ftnb-blacklist-select select")
        expect(select.locator("option", has_text=entry)).to_have_count(1)
        select.select_option(entry)
        page.locator("button.ftnb-blacklist-remove").click()
        _eventually(lambda: entry not in bot_api.get("blacklist")["blacklist"], f"{entry} removed")
        expect(select.locator("option", has_text=entry)).to_have_count(0)
        expect(page.locator(".ftnb-blacklist .ftnb-message")).to_contain_text(f"removed {entry}")
        assert "ADA/USDT" in bot_api.get("blacklist")["blacklist"]
        assert lab_page.console_errors == []
    finally:
        for lk in bot_locks():
            bot_api("DELETE", f"locks/{lk['id']}")
        if entry in bot_api.get("blacklist")["blacklist"]:
            bot_api("DELETE", "blacklist", params={"pairs_to_delete": [entry]})
