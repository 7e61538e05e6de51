"""Live-feed fixtures: a LiveFeed on the shared trade bot, and the reconnect-time report.

Reconnect times measured by the tests are printed in the terminal summary
("ftnotebook live feed reconnects") and written to
``.pytest_cache/ftnb-reconnects.json`` for the closing notes.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ftnotebook import FtClient
from ftnotebook.demo.launcher import RunningBot
from ftnotebook.live import LiveFeed

RECONNECTS: dict[str, list[dict[str, float]]] = {}
"""Per scenario: one dict per reconnect (``reconnect_s``, ``first_message_s``)."""
REPORT_FILE = Path(".pytest_cache/ftnb-reconnects.json")


@pytest.fixture(scope="session")
def live_client(trade_bot: RunningBot) -> Iterator[FtClient]:
    with FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password) as client:
        yield client


@pytest.fixture
def feed(trade_bot: RunningBot) -> Iterator[LiveFeed]:
    with LiveFeed(trade_bot.api_url, trade_bot.ws_token) as live:
        yield live


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not RECONNECTS:
        return
    terminalreporter.section("ftnotebook live feed reconnects")
    for scenario, rows in RECONNECTS.items():
        terminalreporter.write_line(f"{scenario}: {len(rows)} reconnects")
        for key in ("reconnect_s", "first_message_s", "after_ready_s"):
            values = [row[key] for row in rows if key in row]
            if not values:
                continue
            listed = " ".join(f"{v:.3f}" for v in values)
            terminalreporter.write_line(
                f"  {key:>15}: min {min(values):.3f}  median {statistics.median(values):.3f}"
                f"  max {max(values):.3f}  [{listed}]"
            )
    REPORT_FILE.parent.mkdir(parents=True, exist_ok=True)
    REPORT_FILE.write_text(json.dumps(RECONNECTS, indent=2), encoding="utf-8")
