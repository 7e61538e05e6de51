"""Fleet-wide actions on the session's bots; every test puts the bots back as it found them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from ftnotebook.fleet import Fleet


def states(fleet: Fleet) -> dict[str, str]:
    return {n: str(c.show_config()["state"]) for n, c in fleet.clients.items()}


def test_pause_selected_bots_then_start_them_again(fleet: Fleet) -> None:
    before = states(fleet)
    assert set(before.values()) == {"running"}
    try:
        result = fleet.pause(bots=["usdt-swing", "btc-cross"])
        assert result.status == "ok" and list(result) == ["usdt-swing", "btc-cross"]
        assert states(fleet) == {**before, "usdt-swing": "paused", "btc-cross": "paused"}
        stopped = fleet.stop(bots="btc-cross")
        assert stopped.answered == ["btc-cross"]
        assert states(fleet)["btc-cross"] == "stopped"
    finally:
        fleet.start(bots=["usdt-swing", "btc-cross"])
    assert states(fleet) == before


def test_lock_a_currency_everywhere_in_each_bots_own_quote(fleet: Fleet) -> None:
    reason = f"fleet-test {uuid.uuid4().hex[:8]}"
    until = datetime.now(UTC) + timedelta(hours=2)
    before = {n: {lk["id"] for lk in c.locks()["locks"]} for n, c in fleet.clients.items()}
    result = fleet.lock_pair("SOL", until, reason=reason)
    try:
        assert result.status == "ok"
        pairs = {n: v["pair"] for n, v in result.values_by_bot.items()}
        assert pairs == {"usdt-main": "SOL/USDT", "usdt-swing": "SOL/USDT", "btc-cross": "SOL/BTC"}
        for name, client in fleet.clients.items():
            mine = [lk for lk in client.locks()["locks"] if lk["reason"] == reason]
            assert [lk["id"] for lk in mine] == result[name].unwrap()["lock_ids"]
            assert mine[0]["pair"] == pairs[name]
    finally:
        undone = fleet.unlock(result)
    assert undone.status == "ok"
    after = {n: {lk["id"] for lk in c.locks()["locks"]} for n, c in fleet.clients.items()}
    assert all(after[n] <= before[n] for n in after)  # ours gone, none added (auto locks expire)


def test_blacklist_everywhere_and_undo_only_what_was_added(fleet: Fleet) -> None:
    before = {n: list(c.blacklist()["blacklist"]) for n, c in fleet.clients.items()}
    assert "ADA/USDT" in before["usdt-main"]  # seeded; blacklisting it again must not undo it
    result = fleet.blacklist_pair("ADA")
    try:
        added = {n: v["added"] for n, v in result.values_by_bot.items()}
        assert added == {"usdt-main": False, "usdt-swing": True, "btc-cross": True}
        btc = fleet["btc-cross"].blacklist()["blacklist"]
        assert "ADA/BTC" in btc
    finally:
        fleet.unblacklist(result)
    assert {n: list(c.blacklist()["blacklist"]) for n, c in fleet.clients.items()} == before


@pytest.mark.parametrize(
    ("pair", "until", "match"),
    [
        ("", None, "pair must be"),
        ("ETH/USDT/X", None, "pair must look like"),
        ("SOL", datetime(2030, 1, 1), "timezone-aware"),
        ("SOL", datetime(2020, 1, 1, tzinfo=UTC), "in the future"),
    ],
)
def test_bad_lock_input_is_refused_and_nothing_is_sent(
    fleet: Fleet, pair: str, until: datetime | None, match: str
) -> None:
    before = {n: {lk["id"] for lk in c.locks()["locks"]} for n, c in fleet.clients.items()}
    when = until or datetime.now(UTC) + timedelta(hours=1)
    with pytest.raises(ValueError, match=match):
        fleet.lock_pair(pair, when)
    after = {n: {lk["id"] for lk in c.locks()["locks"]} for n, c in fleet.clients.items()}
    assert all(after[n] <= before[n] for n in after)
