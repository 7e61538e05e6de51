"""TradesTable against the real bot: content, manual refresh, the timer and its stop."""

from __future__ import annotations

import time
from typing import Any

import pytest

from ftnotebook.client import FtClient
from ftnotebook.widgets import TradesTable


def test_table_lists_open_trades(client: FtClient, bot_api: Any) -> None:
    table = TradesTable(client, interval=None)
    open_ids = {t["trade_id"] for t in bot_api.get("status")}
    assert {t["trade_id"] for t in table.trades} == open_ids
    for pair in ("BTC/USDT", "ETH/USDT"):
        assert f"<td>{pair}</td>" in table.table.value
    assert not table.running
    table.refresh_button.click()
    assert table.refresh_count == 2
    table.close()


def test_timer_refreshes_until_widget_closed(client: FtClient) -> None:
    table = TradesTable(client, interval=0.2)
    assert table.running
    deadline = time.monotonic() + 30
    while table.refresh_count < 3:
        assert time.monotonic() < deadline, "timer never refreshed"
        time.sleep(0.05)
    thread = table._thread
    assert thread is not None
    table.widget.close()  # the user closes the widget, not the control
    thread.join(5)
    assert not thread.is_alive()
    count = table.refresh_count
    time.sleep(0.5)
    assert table.refresh_count == count


def test_toggle_stops_and_restarts(client: FtClient) -> None:
    table = TradesTable(client, interval=0.2)
    table.auto.value = False
    assert not table.running
    table.auto.value = True
    assert table.running
    table.close()
    assert not table.running


@pytest.mark.parametrize("interval", [0, -1, 0.01, "5", True])
def test_bad_interval(client: FtClient, interval: Any) -> None:
    with pytest.raises(ValueError, match=r"interval: expected seconds >= 0\.1 or None"):
        TradesTable(client, interval=interval)
