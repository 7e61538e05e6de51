"""The shared-bot state guard: every test leaves the session's bots as it found them.

The session's trade bot (and the futures bot, once started) is shared by hundreds of
tests. A test that leaves a trade open, a lock, a blacklist entry or a paused bot behind
changes what the next test sees, and the failure then shows up far away, in whichever
test happens to run next. The guard in ``tests/conftest.py`` takes one :func:`snapshot`
of a bot when it first meets it (the reference) and one after every test that uses the
stack; :func:`diff` names what changed, :func:`restore` puts it back, and the test that
leaked fails with the list.

What counts as state (and what does not):

* open trades by id, and whether each has an open order (a pending limit exit left on a
  trade is a leak too);
* locks by (pair, side, reason, end). freqtrade's own ``"Auto lock"`` (one candle after
  every exit) is not a leak and is left out; a lock that expired on its own while the
  test ran (its end is already past) is left out of the reference as well;
* the blacklist and the whitelist (sorted);
* the bot's state (``running``, ``paused``, ``stopped``).

Closed trades are history, not state: tests may add to it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

AUTO_LOCK = "Auto lock"
"""The reason freqtrade gives the one-candle lock it sets after every exit."""

_STATE_ROUTES = {"running": "start", "paused": "pause", "stopped": "stop"}

Lock = tuple[str, str, str, int]
"""(pair, side, reason, lock_end_timestamp in ms)."""


@dataclass(frozen=True)
class BotState:
    """What a test may change on a shared bot and must put back."""

    open_trades: tuple[tuple[int, bool], ...]
    """(trade_id, has_open_orders) per open trade, by id."""
    locks: frozenset[Lock]
    blacklist: tuple[str, ...]
    whitelist: tuple[str, ...]
    state: str


class GuardedBot:
    """Authenticated plain-HTTP access to one bot (not ftnotebook's client: the guard must
    keep working when the client under test is broken)."""

    def __init__(self, name: str, api_url: str, username: str, password: str) -> None:
        self.name = name
        self.base = f"{api_url}/api/v1"
        self.session = requests.Session()
        self.session.auth = (username, password)

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.session.request(method, f"{self.base}/{path}", timeout=60, **kwargs)
        response.raise_for_status()
        return response.json()

    def close(self) -> None:
        self.session.close()


def _lock(row: dict[str, Any]) -> Lock:
    return (row["pair"], row.get("side") or "*", row.get("reason") or "", row["lock_end_timestamp"])


def snapshot(bot: GuardedBot) -> BotState:
    """Five GETs: ``/status``, ``/locks``, ``/blacklist``, ``/whitelist``, ``/show_config``."""
    status = bot.call("GET", "status")
    locks = bot.call("GET", "locks")["locks"]
    return BotState(
        open_trades=tuple(
            sorted((int(t["trade_id"]), bool(t.get("has_open_orders"))) for t in status)
        ),
        locks=frozenset(_lock(lk) for lk in locks if lk.get("reason") != AUTO_LOCK),
        blacklist=tuple(sorted(bot.call("GET", "blacklist")["blacklist"])),
        whitelist=tuple(sorted(bot.call("GET", "whitelist")["whitelist"])),
        state=str(bot.call("GET", "show_config")["state"]),
    )


def _live(locks: frozenset[Lock], now_ms: float) -> frozenset[Lock]:
    """Locks that have not ended by ``now_ms`` (plus a minute of slack either way)."""
    return frozenset(lk for lk in locks if lk[3] > now_ms + 60_000)


def diff(reference: BotState, now: BotState, *, now_ms: float | None = None) -> list[str]:
    """What differs between the reference and now, one line per difference (empty: none)."""
    now_ms = time.time() * 1000 if now_ms is None else now_ms
    problems: list[str] = []
    ref_trades, now_trades = dict(reference.open_trades), dict(now.open_trades)
    if extra := sorted(set(now_trades) - set(ref_trades)):
        problems.append(f"trades left open: {extra}")
    if gone := sorted(set(ref_trades) - set(now_trades)):
        problems.append(f"open trades closed or deleted: {gone}")
    if orders := sorted(t for t in now_trades if now_trades[t] and not ref_trades.get(t, True)):
        problems.append(f"open orders left on trades: {orders}")
    ref_locks, now_locks = _live(reference.locks, now_ms), _live(now.locks, now_ms)
    if extra_locks := sorted(now_locks - ref_locks):
        problems.append(f"locks left behind: {extra_locks}")
    if gone_locks := sorted(ref_locks - now_locks):
        problems.append(f"locks removed: {gone_locks}")
    if reference.blacklist != now.blacklist:
        problems.append(f"blacklist {list(reference.blacklist)} -> {list(now.blacklist)}")
    if reference.whitelist != now.whitelist:
        problems.append(f"whitelist {list(reference.whitelist)} -> {list(now.whitelist)}")
    if reference.state != now.state:
        problems.append(f"state {reference.state!r} -> {now.state!r}")
    return problems


def restore(bot: GuardedBot, reference: BotState) -> list[str]:
    """Put back what can be put back; returns what could not (e.g. a closed seeded trade).

    Order matters: the bot must run before it can exit trades, and the blacklist comes
    back before the whitelist is compared (freqtrade filters one by the other).
    """
    unrestorable: list[str] = []
    now = snapshot(bot)
    if now.state != reference.state:
        bot.call("POST", _STATE_ROUTES[reference.state])
    ref_trades, now_trades = dict(reference.open_trades), dict(now.open_trades)
    for trade_id, has_orders in now_trades.items():
        if trade_id not in ref_trades:  # forceexit also cancels an open entry or exit order
            bot.call("POST", "forceexit", json={"tradeid": str(trade_id), "ordertype": "market"})
        elif has_orders and not ref_trades[trade_id]:
            bot.call("DELETE", f"trades/{trade_id}/open-order")
    if gone := sorted(set(ref_trades) - set(now_trades)):
        unrestorable.append(f"open trades {gone} cannot be reopened")
    now_ms = time.time() * 1000
    ref_locks = _live(reference.locks, now_ms)
    rows = bot.call("GET", "locks")["locks"]
    for row in rows:
        lock = _lock(row)
        if row.get("reason") != AUTO_LOCK and lock not in ref_locks and lock[3] > now_ms:
            bot.call("DELETE", f"locks/{row['id']}")
    have = {_lock(row) for row in rows}
    for pair, side, reason, end_ms in sorted(ref_locks - have):
        # freqtrade rounds a lock's end up to the next candle, and a time on a candle
        # boundary up by a whole candle: ask for a second before the old end.
        until = datetime.fromtimestamp(end_ms / 1000, UTC) - timedelta(seconds=1)
        body = [{"pair": pair, "side": side, "reason": reason, "until": until.isoformat()}]
        bot.call("POST", "locks", json=body)
    blacklist = set(bot.call("GET", "blacklist")["blacklist"])
    if extra := sorted(blacklist - set(reference.blacklist)):
        bot.call("DELETE", "blacklist", params={"pairs_to_delete": extra})
    if missing := sorted(set(reference.blacklist) - blacklist):
        bot.call("POST", "blacklist", json={"blacklist": missing})
    return unrestorable
