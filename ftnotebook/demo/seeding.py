"""Give a demo or test bot a realistic history, made by freqtrade itself.

Two steps, both real:

1. **Before the bot starts**, :func:`plan_trades` draws closed trades from the
   simulator's own price walk (so every trade lines up with the candles a chart shows),
   and :func:`write_trades_db` writes them with freqtrade's ``Trade``/``Order`` models
   (run in the bot's virtualenv), which compute every profit figure as the bot would.
2. **Once the bot runs**, :func:`seed_live_state` uses the bot's REST API through
   :class:`~ftnotebook.FtClient`: it opens and closes a few trades through
   forceenter/forceexit with price moves on the simulator (a winner and a loser),
   leaves two trades open, locks a pair and blacklists one.

No trade is ever written as hand-made JSON.
"""

from __future__ import annotations

import json
import random
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ftnotebook.client import FtClient
from ftnotebook.demo.botconfig import DEFAULT_PAIRS, STRATEGY_NAME
from ftnotebook.demo.launcher import bot_python, find_freqtrade
from ftnotebook.demo.simulator import PriceWalk

SEED_SCRIPT = Path(__file__).resolve().parent / "_seed_db.py"

ENTER_TAGS = ("ema_cross", "ema_cross_hot", "rsi_dip", "breakout")
NEUTRAL_EXITS = ("exit_signal", "trailing_stop_loss", "force_exit")
FEE = 0.001
BLACKLISTED_PAIR = "ADA/USDT"
LOCKED_PAIR = "XRP/USDT"


def symbol_of(pair: str) -> str:
    """Exchange symbol of a pair: ``"BTC/USDT"`` -> ``"BTCUSDT"``."""
    return pair.replace("/", "")


def plan_trades(
    n_closed: int,
    *,
    now: datetime | None = None,
    days: int = 45,
    pairs: tuple[str, ...] = DEFAULT_PAIRS,
    seed: int = 7,
    walk: PriceWalk | None = None,
    stake_amount: float = 100.0,
) -> list[dict[str, Any]]:
    """Plan ``n_closed`` closed trades spread over the last ``days`` days.

    Open and close rates are the walk's closes at those minutes, so profits are
    whatever the market gave: winners and losers. Exit reasons follow the outcome
    (``roi`` for a gain over 1.5 %, ``stop_loss`` below -2 %, else a neutral reason).
    Deterministic for a given ``seed``, ``now`` and walk.
    """
    if n_closed < 0:
        raise ValueError(f"n_closed must be >= 0, got {n_closed}")
    if days < 1:
        raise ValueError(f"days must be >= 1, got {days}")
    now = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")
    walk = walk or PriceWalk()
    rng = random.Random(seed)
    window = days * 24 * 60
    plan: list[dict[str, Any]] = []
    for i in range(n_closed):
        pair = pairs[i % len(pairs)]
        duration = rng.randint(15, 30 * 60)
        # Spread evenly over the window, jittered, so every week has trades.
        offset = int(window * (i + rng.random()) / max(n_closed, 1))
        opened = now - timedelta(minutes=window - offset)
        closed = min(opened + timedelta(minutes=duration), now - timedelta(minutes=1))
        if closed <= opened:
            opened = closed - timedelta(minutes=15)
        open_rate = walk.close_at(symbol_of(pair), opened)
        close_rate = walk.close_at(symbol_of(pair), closed)
        change = close_rate / open_rate - 1
        if change > 0.015:
            exit_reason = "roi"
        elif change < -0.02:
            exit_reason = "stop_loss"
        else:
            exit_reason = rng.choice(NEUTRAL_EXITS)
        plan.append(
            {
                "pair": pair,
                "open_date": opened.isoformat(),
                "close_date": closed.isoformat(),
                "open_rate": open_rate,
                "close_rate": close_rate,
                "amount": round(stake_amount / open_rate, 8),
                "stake_amount": stake_amount,
                "fee": FEE,
                "enter_tag": rng.choice(ENTER_TAGS),
                "exit_reason": exit_reason,
                "strategy": STRATEGY_NAME,
                "timeframe_min": 5,
            }
        )
    return plan


def write_trades_db(
    db_path: Path,
    plan: list[dict[str, Any]],
    *,
    freqtrade: str | None = None,
    timeout: float = 600.0,
) -> float:
    """Write ``plan`` into a new SQLite database at ``db_path`` with freqtrade's models.

    Runs :mod:`ftnotebook.demo._seed_db` with the bot's interpreter. Returns the
    seconds it took. An existing file is refused rather than silently extended.
    """
    db_path = Path(db_path).resolve()
    if db_path.exists():
        raise FileExistsError(f"{db_path} exists; seed into a new file (or delete it first)")
    python = bot_python(find_freqtrade(freqtrade))
    started = time.monotonic()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(plan, handle)
        plan_file = Path(handle.name)
    try:
        result = subprocess.run(
            [str(python), str(SEED_SCRIPT), str(plan_file), f"sqlite:///{db_path}"],
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    finally:
        plan_file.unlink(missing_ok=True)
    if result.returncode != 0:
        raise RuntimeError(
            f"writing {len(plan)} trades to {db_path} failed (exit {result.returncode}):\n"
            + "\n".join(result.stderr.strip().splitlines()[-15:])
        )
    return time.monotonic() - started


def _round_trip(
    client: FtClient, shift: Callable[[str, float], object], pair: str, pct: float, tag: str
) -> int:
    trade_id = int(client.force_enter(pair, entry_tag=tag)["trade_id"])
    shift(symbol_of(pair), pct)
    try:
        client.force_exit(trade_id, order_type="market")
    finally:
        shift(symbol_of(pair), 0)
    return trade_id


def seed_live_state(
    api_url: str,
    username: str,
    password: str,
    *,
    shift: Callable[[str, float], object],
    n_open: int = 2,
) -> dict[str, Any]:
    """Seed a running trade-mode bot through its own API.

    Closes a winner (+3 %) and a loser (-2 %) via forceenter/forceexit with simulator
    price moves, opens ``n_open`` trades that stay open, locks ``XRP/USDT`` for a day
    and blacklists ``ADA/USDT``. Returns what it made (trade ids, lock id).
    """
    made: dict[str, Any] = {"closed": [], "open": []}
    with FtClient(api_url, username, password) as client:
        made["closed"].append(_round_trip(client, shift, "SOL/USDT", 3.0, "api_winner"))
        made["closed"].append(_round_trip(client, shift, "ETH/USDT", -2.0, "api_loser"))
        for pair in DEFAULT_PAIRS[:n_open]:
            made["open"].append(int(client.force_enter(pair, entry_tag="api_open")["trade_id"]))
        until = datetime.now(UTC) + timedelta(days=1)
        locks = client.add_lock(LOCKED_PAIR, until, side="*", reason="ftnb seed lock")
        made["lock_ids"] = [lock["id"] for lock in locks["locks"] if lock["pair"] == LOCKED_PAIR]
        client.add_to_blacklist(BLACKLISTED_PAIR)
    made["blacklist"] = [BLACKLISTED_PAIR]
    return made
