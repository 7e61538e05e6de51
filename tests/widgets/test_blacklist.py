"""BlacklistControl against the real bot: add (wildcards too), server errors, remove."""

from __future__ import annotations

from typing import Any

from ftnotebook.client import FtClient
from ftnotebook.widgets import BlacklistControl


def _cleanup(bot_api: Any, *entries: str) -> None:
    present = [e for e in entries if e in bot_api.get("blacklist")["blacklist"]]
    if present:
        bot_api("DELETE", "blacklist", params={"pairs_to_delete": present})


def test_shows_list_and_expanded(client: FtClient) -> None:
    control = BlacklistControl(client)
    assert "ADA/USDT" in control.blacklist
    assert "ADA/USDT" in control.select.options
    assert "ADA/USDT" in control.expanded
    assert "ADA/USDT" in control.expanded_html.value
    assert control.last_error is None


def test_add_pairs_and_wildcard_then_remove_selection(client: FtClient, bot_api: Any) -> None:
    control = BlacklistControl(client)
    entries = ("DOGE/USDT", "SHIB/.*")
    try:
        control.pairs.value = "doge/usdt, SHIB/.*"
        control.add_button.click()
        assert control.last_error is None, control.last_message
        on_bot = bot_api.get("blacklist")["blacklist"]
        assert set(entries) <= set(on_bot)
        assert set(entries) <= set(control.select.options)
        assert control.pairs.value == ""
        control.select.value = entries
        control.remove_button.click()
        assert control.last_error is None, control.last_message
        on_bot = bot_api.get("blacklist")["blacklist"]
        assert not set(entries) & set(on_bot)
        assert "ADA/USDT" in on_bot
        assert control.last_message == "removed DOGE/USDT, SHIB/.*"
    finally:
        _cleanup(bot_api, *entries)


def test_wildcard_expands_to_market(client: FtClient, bot_api: Any) -> None:
    control = BlacklistControl(client)
    try:
        control.pairs.value = "XRP/.*"
        control.add_button.click()
        assert control.last_error is None, control.last_message
        assert "XRP/USDT" in control.expanded
        assert "XRP/USDT" in bot_api.get("blacklist")["blacklist_expanded"]
    finally:
        _cleanup(bot_api, "XRP/.*")


def test_duplicate_shows_server_words(client: FtClient, bot_api: Any) -> None:
    control = BlacklistControl(client)
    before = bot_api.get("blacklist")["blacklist"]
    control.pairs.value = "ADA/USDT"
    control.add_button.click()
    assert control.last_error is not None
    assert "Pair ADA/USDT already in pairlist." in control.last_error
    assert "Pair ADA/USDT already in pairlist." in control.errors_html.value
    assert bot_api.get("blacklist")["blacklist"] == before


def test_partial_add_reports_both(client: FtClient, bot_api: Any) -> None:
    control = BlacklistControl(client)
    try:
        control.pairs.value = "ADA/USDT PEPE/USDT"
        control.add_button.click()
        assert control.last_error is not None
        assert "already in pairlist" in control.last_error
        assert "(added PEPE/USDT)" in control.last_error
        assert "PEPE/USDT" in bot_api.get("blacklist")["blacklist"]
    finally:
        _cleanup(bot_api, "PEPE/USDT")


def test_remove_entry_gone_behind_its_back_shows_server_words(
    client: FtClient, bot_api: Any
) -> None:
    control = BlacklistControl(client)
    try:
        control.pairs.value = "FLOKI/USDT"
        control.add_button.click()
        _cleanup(bot_api, "FLOKI/USDT")
        control.select.value = ("FLOKI/USDT",)
        control.remove_button.click()
        assert control.last_error is not None
        assert "Pair FLOKI/USDT is not in the current blacklist." in control.last_error
        assert "FLOKI/USDT" not in control.select.options
    finally:
        _cleanup(bot_api, "FLOKI/USDT")
