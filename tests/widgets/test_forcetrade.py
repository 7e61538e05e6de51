"""ForceTradeControl against the real bot: only SOL/USDT, always exited again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ftnotebook.client import FtClient
from ftnotebook.widgets import ForceTradeControl


def _open_sol(bot_api: Any) -> list[dict[str, Any]]:
    return [t for t in bot_api.get("status") if t["pair"] == "SOL/USDT"]


@pytest.fixture
def no_sol_left(bot_api: Any) -> Iterator[None]:
    assert _open_sol(bot_api) == []
    yield
    for trade in _open_sol(bot_api):
        bot_api("POST", "forceexit", json={"tradeid": trade["trade_id"]})
    assert _open_sol(bot_api) == []


def test_lists_open_trades_and_whitelist(client: FtClient, bot_api: Any) -> None:
    control = ForceTradeControl(client)
    ids = [value for _, value in control.trade.options]
    assert {t["trade_id"] for t in bot_api.get("status")} <= set(ids)
    assert ids[-1] == "all"
    assert "SOL/USDT" in control.pair.options
    assert control.side.options == ("long",)  # spot bot: no shorts offered


@pytest.mark.usefixtures("no_sol_left")
def test_enter_then_exit_with_confirmation(client: FtClient, bot_api: Any) -> None:
    control = ForceTradeControl(client)
    before = {t["trade_id"] for t in bot_api.get("status")}
    control.pair.value = "SOL/USDT"
    control.stake.value = "40"
    control.tag.value = "ftnb_widget"
    control.enter_button.click()
    assert control.last_error is None, control.last_message
    (trade,) = _open_sol(bot_api)
    assert trade["trade_id"] == control.last_trade_id
    assert trade["enter_tag"] == "ftnb_widget"
    assert trade["stake_amount"] == pytest.approx(40, rel=0.01)
    assert control.trade.value == trade["trade_id"]
    control.exit_button.click()
    assert control.confirm.pending
    assert len(_open_sol(bot_api)) == 1  # not yet
    control.confirm.yes.click()
    assert control.last_error is None, control.last_message
    assert _open_sol(bot_api) == []
    assert {t["trade_id"] for t in bot_api.get("status")} == before
    closed = bot_api.get(f"trade/{trade['trade_id']}")
    assert closed["is_open"] is False and closed["exit_reason"] == "force_exit"
    assert trade["trade_id"] not in [v for _, v in control.trade.options]


@pytest.mark.usefixtures("no_sol_left")
def test_second_entry_on_open_pair_shows_bot_words(client: FtClient, bot_api: Any) -> None:
    control = ForceTradeControl(client)
    control.pair.value = "SOL/USDT"
    control.enter_button.click()
    assert control.last_error is None, control.last_message
    first = control.last_trade_id
    control.enter_button.click()
    assert control.last_error is not None
    assert f"position for SOL/USDT already open - id: {first}" in control.last_error
    assert len(_open_sol(bot_api)) == 1


def test_exit_all_cancel_sends_nothing(client: FtClient, bot_api: Any) -> None:
    before = sorted(t["trade_id"] for t in bot_api.get("status"))
    control = ForceTradeControl(client)
    control.trade.value = "all"
    control.exit_button.click()
    assert "Force-exit ALL open trades?" in control.confirm.prompt.value
    control.confirm.no.click()
    assert sorted(t["trade_id"] for t in bot_api.get("status")) == before
    assert len(before) >= 2


def test_exit_of_closed_trade_shows_bot_words(client: FtClient, bot_api: Any) -> None:
    closed = bot_api.get("trades", limit=1)["trades"][0]
    assert not closed["is_open"]
    control = ForceTradeControl(client)
    control._act("force exit", lambda: control._exit(closed["trade_id"]))
    assert control.last_error is not None
    assert "invalid argument" in control.last_error
