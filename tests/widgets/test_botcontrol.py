"""BotControl against the real bot. Every test leaves the bot running."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from ftnotebook.client import FtClient
from ftnotebook.widgets import BotControl


def _state(bot_api: Any) -> str:
    return str(bot_api.get("show_config")["state"])


@pytest.fixture
def running_after(bot_api: Any) -> Iterator[None]:
    """Whatever the test does, the bot is running again afterwards."""
    assert _state(bot_api) == "running"
    yield
    if _state(bot_api) != "running":
        bot_api("POST", "start")
    assert _state(bot_api) == "running"


def test_shows_state(client: FtClient) -> None:
    control = BotControl(client)
    assert control.state == "running"
    assert "running" in control.state_html.value and "dry-run" in control.state_html.value
    assert control.last_message == "bot is running"


@pytest.mark.usefixtures("running_after")
def test_stop_asks_then_stops_and_start_restarts(client: FtClient, bot_api: Any) -> None:
    control = BotControl(client)
    control.stop_button.click()
    assert control.confirm.pending
    assert _state(bot_api) == "running"  # nothing sent yet
    control.confirm.yes.click()
    assert control.last_error is None, control.last_message
    assert _state(bot_api) == "stopped"
    assert control.state == "stopped"
    control.start_button.click()
    assert control.last_error is None, control.last_message
    assert _state(bot_api) == "running"
    assert control.last_message == "starting trader ... (bot is running)"


@pytest.mark.usefixtures("running_after")
def test_stop_cancel_sends_nothing(client: FtClient, bot_api: Any) -> None:
    control = BotControl(client)
    control.stop_button.click()
    control.confirm.no.click()
    assert not control.confirm.pending
    assert control.last_message == "cancelled, nothing was sent"
    assert _state(bot_api) == "running"
    control.confirm.yes.click()  # a stray confirm after cancel does nothing either
    assert _state(bot_api) == "running"


@pytest.mark.usefixtures("running_after")
def test_pause_then_start(client: FtClient, bot_api: Any) -> None:
    control = BotControl(client)
    control.pause_button.click()
    assert control.last_error is None, control.last_message
    assert _state(bot_api) == "paused"
    assert control.state == "paused"
    control.start_button.click()
    assert _state(bot_api) == "running"


@pytest.mark.usefixtures("running_after")
def test_start_when_running_shows_bot_words(client: FtClient) -> None:
    control = BotControl(client)
    control.start_button.click()
    assert control.last_message == "already running (bot is running)"


@pytest.mark.usefixtures("running_after")
def test_reload_config_asks_then_reloads(client: FtClient, bot_api: Any) -> None:
    blacklist = bot_api.get("blacklist")["blacklist"]
    control = BotControl(client)
    try:
        control.reload_button.click()
        assert control.confirm.pending
        control.confirm.yes.click()
        assert control.last_error is None, control.last_message
        assert control.last_message.startswith("Reloading config ...")
        assert control.state == "reloading"
        deadline = time.monotonic() + 60
        while True:  # the bot rebuilds its worker; wait for it to trade again
            control.refresh_button.click()
            if control.state == "running":
                break
            assert time.monotonic() < deadline, control.last_message
            time.sleep(0.5)
    finally:
        # reload drops API-made blacklist entries: put the seeded ones back, even when an
        # assert above failed (the bot may still be restarting: wait for its API first)
        for _ in range(120):
            try:
                current = bot_api.get("blacklist")["blacklist"]
                break
            except Exception:
                time.sleep(0.5)
        missing = [p for p in blacklist if p not in current]
        if missing:
            bot_api("POST", "blacklist", json={"blacklist": missing})
    assert "ADA/USDT" in bot_api.get("blacklist")["blacklist"]
