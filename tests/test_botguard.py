"""The shared-bot guard itself: it sees each kind of leak, restores it, and ignores what
freqtrade does on its own (the one-candle "Auto lock" after an exit, expired locks)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from tests._botguard import AUTO_LOCK, BotState, diff
from tests.conftest import BotApi, check_and_restore_shared_bots

HOUR_MS = 3_600_000
SEED_END = int(time.time() * 1000) + 24 * HOUR_MS
"""One fixed end for the seeded lock, so every _state() holds the very same lock."""


def _state(**changes: object) -> BotState:
    base: dict[str, object] = {
        "open_trades": ((1, False), (2, False)),
        "locks": frozenset({("XRP/USDT", "*", "seed", SEED_END)}),
        "blacklist": ("ADA/USDT",),
        "whitelist": ("BTC/USDT", "ETH/USDT"),
        "state": "running",
    }
    return BotState(**(base | changes))  # type: ignore[arg-type]


def test_diff_names_each_kind_of_leak_offline() -> None:
    ref = _state()
    now_ms = time.time() * 1000
    soon = int(now_ms) + HOUR_MS
    leaked = _state(
        open_trades=((1, True), (2, False), (9, False)),
        locks=ref.locks | {("SOL/USDT", "long", "mine", soon)},
        blacklist=("ADA/USDT", "DOGE/USDT"),
        whitelist=("BTC/USDT",),
        state="paused",
    )
    problems = diff(ref, leaked, now_ms=now_ms)
    assert problems == [
        "trades left open: [9]",
        "open orders left on trades: [1]",
        f"locks left behind: [('SOL/USDT', 'long', 'mine', {soon})]",
        "blacklist ['ADA/USDT'] -> ['ADA/USDT', 'DOGE/USDT']",
        "whitelist ['BTC/USDT', 'ETH/USDT'] -> ['BTC/USDT']",
        "state 'running' -> 'paused'",
    ]
    assert diff(ref, _state(open_trades=((1, False),)), now_ms=now_ms) == [
        "open trades closed or deleted: [2]"
    ]
    assert diff(ref, _state(locks=frozenset()), now_ms=now_ms)[0].startswith("locks removed")


def test_diff_ignores_locks_that_end_on_their_own_offline() -> None:
    now = datetime.now(UTC)
    now_ms = now.timestamp() * 1000
    soon = now + timedelta(seconds=30)  # ends within the slack
    ending = ("SOL/USDT", "*", "short", round(soon.timestamp() * 1000))
    ref = _state(locks=_state().locks | {ending})
    assert diff(ref, _state(), now_ms=now_ms) == []  # it expired while the test ran
    # AUTO_LOCK rows never reach a BotState: snapshot() leaves them out.
    assert AUTO_LOCK == "Auto lock"


def test_guard_reports_and_restores_a_real_leak(bot_api: BotApi) -> None:
    """Leak one of everything on the real trade bot; the guard names it and puts it back."""
    until = (datetime.now(UTC) + timedelta(hours=5)).isoformat()
    try:
        trade = bot_api("POST", "forceenter", json={"pair": "SOL/USDT", "entry_tag": "leak"})
        bot_api("POST", "locks", json=[{"pair": "SOL/USDT", "until": until, "reason": "leak"}])
        bot_api("POST", "blacklist", json={"blacklist": ["DOGE/USDT"]})
        seed_lock = next(
            lk for lk in bot_api.get("locks")["locks"] if lk["reason"] == "ftnb seed lock"
        )
        bot_api("DELETE", f"locks/{seed_lock['id']}")
        bot_api("POST", "pause")
    finally:
        leaks = check_and_restore_shared_bots()
    assert len(leaks) == 1 and leaks[0].startswith("trade bot: "), leaks
    text = leaks[0]
    assert f"trades left open: [{trade['trade_id']}]" in text
    assert "locks left behind: [('SOL/USDT', '*', 'leak'," in text
    assert "locks removed: [('XRP/USDT', '*', 'ftnb seed lock'," in text
    assert "'DOGE/USDT']" in text and "state 'running' -> 'paused'" in text
    assert check_and_restore_shared_bots() == []  # everything is back
    locks = bot_api.get("locks")["locks"]
    restored = [lk for lk in locks if lk["reason"] == "ftnb seed lock"]
    assert [lk["lock_end_timestamp"] for lk in restored] == [seed_lock["lock_end_timestamp"]]
    assert bot_api.get("show_config")["state"] == "running"
    assert "DOGE/USDT" not in bot_api.get("blacklist")["blacklist"]
