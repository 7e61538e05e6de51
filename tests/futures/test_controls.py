"""Controls on the futures bot (side and leverage, side locks) and on the spot bot (no short,
no leverage): every step confirmed through the plain API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ftnotebook import FtClient
from ftnotebook.demo.launcher import RunningBot
from ftnotebook.exceptions import ApiError
from ftnotebook.widgets import ForceTradeControl, LocksControl

PAIR = "ETH/USDT:USDT"  # not open and not locked after the futures seeding


def _open_on(futures_api: Any, pair: str) -> list[dict[str, Any]]:
    return [t for t in futures_api.get("status") if t["pair"] == pair]


@pytest.fixture
def eth_free(futures_api: Any) -> Iterator[None]:
    assert _open_on(futures_api, PAIR) == []
    yield
    for trade in _open_on(futures_api, PAIR):
        futures_api("POST", "forceexit", json={"tradeid": trade["trade_id"]})
    assert _open_on(futures_api, PAIR) == []


@pytest.fixture
def spot_client(trade_bot: RunningBot) -> Iterator[FtClient]:
    with FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password) as client:
        yield client


@pytest.mark.usefixtures("eth_free")
def test_force_enter_a_short_at_a_leverage_then_exit(
    futures_client: FtClient, futures_api: Any
) -> None:
    control = ForceTradeControl(futures_client)
    assert control.side.options == ("long", "short") and not control.leverage.disabled
    labels = [label for label, _ in control.trade.options]
    assert any(label.endswith("long 3x") for label in labels)
    assert any(label.endswith("short 2x") for label in labels)
    control.pair.value = PAIR
    control.side.value = "short"
    control.leverage.value = "4"
    control.tag.value = "ftnb_widget_short"
    control.enter_button.click()
    assert control.last_error is None, control.last_message
    (trade,) = _open_on(futures_api, PAIR)
    assert trade["trade_id"] == control.last_trade_id
    assert (trade["is_short"], trade["leverage"], trade["enter_tag"]) == (
        True,
        4.0,
        "ftnb_widget_short",
    )
    assert trade["liquidation_price"] > trade["open_rate"]
    assert f"{PAIR} short 4x" in control.last_message
    assert dict((v, k) for k, v in control.trade.options)[trade["trade_id"]].endswith("short 4x")
    control.exit_button.click()
    control.confirm.yes.click()
    assert control.last_error is None, control.last_message
    closed = futures_api.get(f"trade/{trade['trade_id']}")
    assert closed["is_open"] is False and closed["is_short"] is True


@pytest.mark.usefixtures("eth_free")
def test_leverage_above_the_tier_maximum_is_capped_and_said(
    futures_client: FtClient, futures_api: Any
) -> None:
    control = ForceTradeControl(futures_client)
    control.pair.value = PAIR
    control.leverage.value = "500"
    control.enter_button.click()
    assert control.last_error is None, control.last_message
    (trade,) = _open_on(futures_api, PAIR)
    assert 1 < trade["leverage"] < 500 and trade["is_short"] is False
    assert f"long {trade['leverage']:g}x (the bot capped 500x" in control.last_message


@pytest.mark.parametrize(
    ("leverage", "words"), [("0.5", "at least 1"), ("abc", "leverage"), ("-2", "leverage")]
)
def test_bad_leverage_is_refused_before_sending(
    futures_client: FtClient, futures_api: Any, leverage: str, words: str
) -> None:
    before = futures_api.get("trades", limit=1)["total_trades"], len(futures_api.get("status"))
    control = ForceTradeControl(futures_client)
    control.pair.value = PAIR
    control.leverage.value = leverage
    control.enter_button.click()
    assert control.last_error is not None and words in control.last_error
    assert control.last_error.startswith("force enter") or "leverage" in control.last_error
    after = futures_api.get("trades", limit=1)["total_trades"], len(futures_api.get("status"))
    assert after == before


def test_spot_bot_offers_no_leverage_and_refuses_a_short_in_its_own_words(
    spot_client: FtClient, bot_api: Any
) -> None:
    before = sorted(t["trade_id"] for t in bot_api.get("status"))
    control = ForceTradeControl(spot_client)
    assert control.leverage.disabled and control.side.options == ("long",)
    control.pair.value = "SOL/USDT"
    control.leverage.value = "3"
    control.enter_button.click()
    assert control.last_error is not None and "trades spot, always at 1x" in control.last_error
    with pytest.raises(ApiError) as refused:
        spot_client.force_enter("SOL/USDT", "short")
    assert "Can't go short on Spot markets." in str(refused.value)
    assert sorted(t["trade_id"] for t in bot_api.get("status")) == before


def test_locks_take_a_side_and_the_table_shows_it(
    futures_client: FtClient, futures_api: Any, futures_seeded: dict[str, Any]
) -> None:
    control = LocksControl(futures_client)
    sides = {lock["id"]: control.row_for(lock["id"]).children[1].value for lock in control.locks}
    assert [sides[i] for i in futures_seeded["lock_ids"]] == ["short", "long"]
    reason = "ftnb futures side lock"
    control.pair.value = PAIR
    control.until.value = "1h"
    control.side.value = "short"
    control.reason.value = reason
    control.add_button.click()
    try:
        assert control.last_error is None, control.last_message
        (lock,) = [lk for lk in futures_api.get("locks")["locks"] if lk["reason"] == reason]
        assert (lock["pair"], lock["side"]) == (PAIR, "short")
        assert control.last_message.startswith(f"locked {PAIR} (short) until")
        assert [child.value for child in control.row_for(lock["id"]).children[:2]] == [
            PAIR,
            "short",
        ]
    finally:
        for lk in futures_api.get("locks")["locks"]:
            if lk["reason"] == reason:
                futures_api("DELETE", f"locks/{lk['id']}")


def test_client_lock_sides_on_the_futures_bot(futures_client: FtClient, futures_api: Any) -> None:
    until = datetime.now(UTC) + timedelta(hours=1)
    reason = "ftnb futures client lock"
    try:
        for side in ("long", "short", "*"):
            futures_client.add_lock(PAIR, until, side=side, reason=reason)
        ours = [lk for lk in futures_api.get("locks")["locks"] if lk["reason"] == reason]
        assert sorted(lk["side"] for lk in ours) == ["*", "long", "short"]
        with pytest.raises(ValueError, match="side"):
            futures_client.add_lock(PAIR, until, side="both")  # type: ignore[arg-type]
    finally:
        for lk in futures_api.get("locks")["locks"]:
            if lk["reason"] == reason:
                futures_api("DELETE", f"locks/{lk['id']}")
