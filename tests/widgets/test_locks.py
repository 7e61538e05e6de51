"""LocksControl against the real bot: add, see, delete, refresh; the API confirms each step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ftnotebook.client import FtClient
from ftnotebook.widgets import LocksControl


def _bot_locks(bot_api: Any, reason: str) -> list[dict[str, Any]]:
    return [lk for lk in bot_api.get("locks")["locks"] if lk.get("reason") == reason]


def test_table_shows_seed_lock_with_columns(client: FtClient) -> None:
    control = LocksControl(client)
    seed = [lk for lk in control.locks if lk.get("reason") == "ftnb seed lock"]
    assert seed and seed[0]["pair"] == "XRP/USDT"
    row = control.row_for(seed[0]["id"])
    texts = [child.value for child in row.children[:-1]]
    assert texts[0] == "XRP/USDT" and texts[4] == "ftnb seed lock" and texts[5] == "yes"
    assert "ftnb-locks-delete" in row.children[-1]._dom_classes
    assert control.last_error is None
    assert "SOL/USDT" in control.pair.options


def test_add_with_duration_then_delete(client: FtClient, bot_api: Any) -> None:
    control = LocksControl(client)
    reason = "ftnb widget test duration"
    control.pair.value = "SOL/USDT"
    control.until.value = "2h"
    control.side.value = "long"
    control.reason.value = reason
    control.add_button.click()
    assert control.last_error is None, control.last_message
    on_bot = _bot_locks(bot_api, reason)
    assert len(on_bot) == 1
    lock = on_bot[0]
    assert lock["pair"] == "SOL/USDT" and lock["side"] == "long"
    end = datetime.fromtimestamp(lock["lock_end_timestamp"] / 1000, UTC)
    # freqtrade rounds the end up to the next 5m candle
    assert timedelta(minutes=115) < end - datetime.now(UTC) <= timedelta(minutes=125)
    assert control.last_message == f"locked SOL/USDT (long) until {lock['lock_end_time']} UTC"
    # the table already shows what the bot holds
    assert lock["id"] in [lk["id"] for lk in control.locks]
    control.row_for(lock["id"]).children[-1].click()
    assert control.last_error is None, control.last_message
    assert _bot_locks(bot_api, reason) == []
    assert lock["id"] not in [lk["id"] for lk in control.locks]
    assert control.last_message == f"deleted lock {lock['id']}"


def test_add_until_datetime_typed_pair_lowercase(client: FtClient, bot_api: Any) -> None:
    control = LocksControl(client)
    reason = "ftnb widget test until"
    until = (datetime.now(UTC) + timedelta(days=3)).replace(second=0, microsecond=0)
    control.pair.value = "eth/usdt"
    control.until.value = until.strftime("%Y-%m-%d %H:%M")
    control.reason.value = reason
    control.add_button.click()
    try:
        assert control.last_error is None, control.last_message
        (lock,) = _bot_locks(bot_api, reason)
        assert lock["pair"] == "ETH/USDT" and lock["side"] == "*"
        # a minute boundary: rounded up to the next 5m candle at most
        delta_ms = lock["lock_end_timestamp"] - int(until.timestamp() * 1000)
        assert 0 <= delta_ms <= 5 * 60 * 1000
    finally:
        for lk in _bot_locks(bot_api, reason):
            bot_api("DELETE", f"locks/{lk['id']}")


def test_refresh_sees_lock_added_elsewhere(client: FtClient, bot_api: Any) -> None:
    control = LocksControl(client)
    reason = "ftnb widget test refresh"
    until = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    bot_api("POST", "locks", json=[{"pair": "SOL/USDT", "until": until, "reason": reason}])
    try:
        assert reason not in [lk.get("reason") for lk in control.locks]
        control.refresh_button.click()
        assert reason in [lk.get("reason") for lk in control.locks]
        n_on_bot = len(bot_api.get("locks")["locks"])
        assert control.last_message == f"{n_on_bot} lock(s) on the bot"
    finally:
        for lk in _bot_locks(bot_api, reason):
            bot_api("DELETE", f"locks/{lk['id']}")


def test_delete_of_vanished_lock_shows_result_not_traceback(client: FtClient, bot_api: Any) -> None:
    control = LocksControl(client)
    reason = "ftnb widget test vanished"
    until = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    bot_api("POST", "locks", json=[{"pair": "SOL/USDT", "until": until, "reason": reason}])
    control.refresh()
    (lock,) = [lk for lk in control.locks if lk.get("reason") == reason]
    bot_api("DELETE", f"locks/{lock['id']}")  # gone behind the control's back
    control.row_for(lock["id"]).children[-1].click()
    assert _bot_locks(bot_api, reason) == []
    assert lock["id"] not in [lk["id"] for lk in control.locks]
    # freqtrade answers 200 with the remaining locks for an id it no longer has: the
    # control reports that answer, with no error and no traceback
    assert control.last_error is None
    assert control.last_message == f"deleted lock {lock['id']}"
    assert "Traceback" not in control.message.value
