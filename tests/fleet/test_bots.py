"""The fleet's three real dry-run bots: two USDT bots with different settings, one BTC bot."""

from __future__ import annotations

import json

from ftnotebook import FtClient
from ftnotebook.demo.launcher import RunningBot
from ftnotebook.demo.stack import DemoStack


def test_three_bots_two_stake_currencies_with_seeded_profits(
    fleet_bots: dict[str, RunningBot], demo_stack: DemoStack
) -> None:
    assert list(fleet_bots) == ["usdt-main", "usdt-swing", "btc-cross"]
    assert fleet_bots["usdt-main"] is demo_stack.trade_bot  # reused, not a fourth bot
    configs = {}
    whitelists: dict[str, list[str]] = {}
    for name, bot in fleet_bots.items():
        with FtClient(bot.api_url, bot.username, bot.password) as client:
            config = client.show_config()
            configs[name] = config
            whitelists[name] = client.whitelist()["whitelist"]
            profit = client.profit()
            assert profit["closed_trade_count"] >= 30, name
            assert profit["profit_closed_coin"] != 0, name
            assert client.status(), f"{name} has an open trade"
    assert [c["stake_currency"] for c in configs.values()] == ["USDT", "USDT", "BTC"]
    assert configs["usdt-main"]["stake_amount"] != configs["usdt-swing"]["stake_amount"]
    assert configs["usdt-main"]["max_open_trades"] != configs["usdt-swing"]["max_open_trades"]
    assert whitelists["btc-cross"] == ["ETH/BTC", "SOL/BTC", "XRP/BTC"]
    assert len(whitelists["usdt-swing"]) < len(whitelists["usdt-main"])


def test_the_fleet_file_names_bots_and_config_paths_without_secrets(
    fleet_bots: dict[str, RunningBot], demo_stack: DemoStack
) -> None:
    text = demo_stack.fleet_file.read_text(encoding="utf-8")
    entries = json.loads(text)["bots"]
    assert [e["name"] for e in entries] == list(fleet_bots)
    assert [e["config"] for e in entries] == [str(b.config_path) for b in fleet_bots.values()]
    for bot in fleet_bots.values():
        assert bot.password not in text and bot.ws_token not in text
