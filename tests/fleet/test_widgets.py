"""Fleet widgets driven with .value / .click() against the real bots; bot state restored."""

from __future__ import annotations

import pytest

from ftnotebook import FtClient
from ftnotebook.demo import processes
from ftnotebook.fleet import Fleet, Rates
from ftnotebook.widgets.fleet import FleetActions, FleetDashboard


def test_dashboard_rows_in_own_and_reporting_currency(fleet: Fleet) -> None:
    dash = FleetDashboard(fleet, rates="USDT", interval=None)
    try:
        df = dash.frame
        assert df["bot"].tolist() == fleet.names
        assert df["state"].tolist() == ["running"] * 3
        for name, client in fleet.clients.items():
            row = df[df["bot"] == name].iloc[0]
            assert row["open_trades"] == len(client.status())
            # closed profit is fixed; the total moves with the open trades' prices
            assert row["profit_closed"] == client.profit()["profit_closed_coin"]
        assert dash.rates is not None
        rate = dash.rates.rate("BTC")
        btc = df[df["bot"] == "btc-cross"].iloc[0]
        assert btc["profit_total_reporting"] == pytest.approx(btc["profit_total"] * rate)
        usdt = df[df["bot"] == "usdt-main"].iloc[0]
        assert usdt["profit_total_reporting"] == usdt["profit_total"]
        html = dash.table.value
        assert "total (USDT)" in html and "btc-cross" in html and " BTC<" in html
        assert (
            "1 BTC = " in dash.status.value and "usdt-main: BTC/USDT 5m close" in dash.status.value
        )
        assert set(dash.last_seen) == set(fleet.names)
    finally:
        dash.close()


def test_dashboard_without_rates_shows_own_currencies_only_and_a_down_bot(fleet: Fleet) -> None:
    down = FtClient(f"http://127.0.0.1:{processes.free_port()}", "u", "p", retries=0)
    mixed = Fleet({"usdt-main": fleet["usdt-main"], "down": down}, timeout=5)
    dash = FleetDashboard(mixed, interval=None)
    try:
        assert "(USDT)" not in dash.table.value
        row = dash.frame.iloc[1]
        assert row["bot"] == "down" and row["error"].startswith("ConnectionFailed")
        assert "never" in dash.table.value and "down" in dash.table.value
        assert "1/2 bots answered" in dash.status.value
    finally:
        dash.close()


def test_dashboard_timer_refreshes_and_stops_when_closed(fleet: Fleet) -> None:
    dash = FleetDashboard(fleet, rates=Rates.from_dict("USDT", {"BTC": 80_000.0}), interval=0.2)
    try:
        assert dash.timer_running
        deadline_refreshes = dash.refreshes + 2
        for _ in range(200):  # counted attempts, not wall time
            if dash.refreshes >= deadline_refreshes:
                break
            dash._stop.wait(0.05)
        assert dash.refreshes >= deadline_refreshes
    finally:
        dash.close()
    assert not dash.timer_running
    count = dash.refreshes
    dash._stop.wait(0.5)
    assert dash.refreshes == count


def test_actions_ask_then_pause_selected_and_show_a_result_table(fleet: Fleet) -> None:
    actions = FleetActions(fleet)
    try:
        actions.bots.value = ("usdt-swing", "btc-cross")
        actions.pause_button.click()
        assert actions.pending and fleet["btc-cross"].show_config()["state"] == "running"
        actions.no.click()
        assert actions.last_status == "cancelled"
        assert fleet["btc-cross"].show_config()["state"] == "running"
        actions.pause_button.click()
        actions.yes.click()
        assert actions.last_status == "ok"
        assert actions.last_message == "pause: done on all 2 bot(s)"
        assert actions.result_table.value.count("✓ done") == 2
        states = {n: c.show_config()["state"] for n, c in fleet.clients.items()}
        assert states == {"usdt-main": "running", "usdt-swing": "paused", "btc-cross": "paused"}
    finally:
        fleet.start(bots=["usdt-swing", "btc-cross"])
    assert {c.show_config()["state"] for c in fleet.clients.values()} == {"running"}


def test_actions_lock_and_blacklist_everywhere_partial_is_partial(fleet: Fleet) -> None:
    down = FtClient(f"http://127.0.0.1:{processes.free_port()}", "u", "p", retries=0)
    mixed = Fleet(
        {"usdt-swing": fleet["usdt-swing"], "btc-cross": fleet["btc-cross"], "down": down}
    )
    actions = FleetActions(mixed)
    actions.pair.value = "SOL"
    actions.reason.value = "fleet widget test"
    actions.lock_button.click()
    assert "Lock SOL for 1 h" in actions.prompt.value
    actions.yes.click()
    result = actions.last_result
    assert result is not None
    try:
        assert actions.last_status == "partial"
        assert actions.last_message.startswith("lock: PARTIAL, done on 2 of 3 bots; failed on down")
        table = actions.result_table.value
        assert (
            "SOL/USDT locked" in table and "SOL/BTC locked" in table and "ConnectionFailed" in table
        )
    finally:
        mixed.unlock(result)
    for name in ("usdt-swing", "btc-cross"):
        assert not [
            lk for lk in fleet[name].locks()["locks"] if lk["reason"] == "fleet widget test"
        ]
    actions.bots.value = ()
    actions.blacklist_button.click()
    assert actions.last_status == "error" and "select at least one bot" in actions.last_message
    actions.pair.value = ""
    actions.bots.value = ("usdt-swing",)
    actions.blacklist_button.click()
    assert actions.last_status == "error" and not actions.pending
