"""The futures dry-run bot of the test stack: it starts offline, trades both sides, and its
seeded history is what the issue asks for (leverages, funding fees, liquidation prices)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from ftnotebook.demo.launcher import RunningBot, RunningSimulator
from ftnotebook.demo.simulator import ExchangeSimulator


def test_futures_bot_runs_isolated_futures_with_shorts(futures_api: Any) -> None:
    config = futures_api.get("show_config")
    assert config["state"] == "running" and config["dry_run"] is True
    assert (config["trading_mode"], config["margin_mode"]) == ("futures", "isolated")
    assert config["short_allowed"] is True and config["strategy"] == "FtnbDemoFutures"
    assert all(pair.endswith("/USDT:USDT") for pair in futures_api.get("whitelist")["whitelist"])


def test_seeded_history_has_both_sides_at_several_leverages(
    futures_api: Any, futures_seeded: dict[str, Any]
) -> None:
    trades = futures_api.get("trades", limit=500)["trades"]
    assert {t["is_short"] for t in trades} == {True, False}
    assert {t["leverage"] for t in trades} >= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert all(t["trading_mode"] == "futures" and t["liquidation_price"] for t in trades)
    by_id = {t["trade_id"]: t for t in trades}
    closed_by_bot = [by_id[i] for i in futures_seeded["closed"]]
    assert [t["exit_reason"] for t in closed_by_bot] == ["force_exit"] * 4
    # the two seeded positions were open 10-20 h: the bot booked their funding fees
    assert all(t["funding_fees"] != 0 for t in closed_by_bot[:2])
    assert sum(1 for t in trades if t["funding_fees"]) > len(trades) // 2
    # the XRP round trip: a 4x short that gained 3 % on the price, fees paid
    xrp = closed_by_bot[2]
    assert (xrp["pair"], xrp["is_short"], xrp["leverage"]) == ("XRP/USDT:USDT", True, 4.0)
    move = 1 - xrp["close_rate"] / xrp["open_rate"]
    assert move == pytest.approx(0.03, abs=0.005)  # plus a minute of walk, if one passed
    assert xrp["profit_ratio"] == pytest.approx(4 * move, abs=0.01) and xrp["profit_ratio"] > 0


def test_open_positions_carry_liquidation_prices_and_funding(
    futures_api: Any, futures_seeded: dict[str, Any]
) -> None:
    status = {t["trade_id"]: t for t in futures_api.get("status")}
    assert sorted(status) == sorted(futures_seeded["open"])
    long_, short = (status[i] for i in futures_seeded["open"])
    assert (long_["is_short"], long_["leverage"]) == (False, 3.0)
    assert (short["is_short"], short["leverage"]) == (True, 2.0)
    # isolated margin: about open * (1 - 1/leverage) for a long, (1 + 1/leverage) for a short
    assert long_["open_rate"] * 0.6 < long_["liquidation_price"] < long_["open_rate"] * 0.72
    assert short["open_rate"] * 1.4 < short["liquidation_price"] < short["open_rate"] * 1.55
    assert long_["funding_fees"] != 0, "opened 30 h ago: three funding times have passed"
    assert long_["stop_loss_abs"] > long_["liquidation_price"]
    assert short["stop_loss_abs"] < short["liquidation_price"]


def test_every_call_the_bots_made_is_served(
    futures_bot: RunningBot, simulator: RunningSimulator
) -> None:
    """Nothing the bots asked for is missing from the simulator (no call unserved offline)."""
    counts = requests.get(f"{simulator.url}/_ctl/requests", timeout=5).json()
    served = ExchangeSimulator().served_paths()
    assert set(counts) <= served, sorted(set(counts) - served)
    futures_paths = {path for path in counts if path.startswith("/fapi/")}
    assert futures_paths >= {
        "/fapi/v1/exchangeInfo",
        "/fapi/v1/klines",
        "/fapi/v1/markPriceKlines",
        "/fapi/v1/fundingRate",
        "/fapi/v1/depth",
    }
