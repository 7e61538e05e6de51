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

The futures bot is seeded the same way: ``plan_trades(..., trading_mode="futures")``
plans long and short trades at several leverages, :func:`plan_open_futures_trades` adds
positions opened more than 8 h ago (freqtrade computes their liquidation prices and
funding fees), and :func:`seed_futures_live_state` closes some of them with the bot's
own forceexit, makes a short and a long round trip and leaves two positions open.

No trade is ever written as hand-made JSON.
"""

from __future__ import annotations

import json
import math
import random
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from ftnotebook.client import FtClient
from ftnotebook.demo.botconfig import (
    DEFAULT_PAIRS,
    Credentials,
    TradingMode,
    build_config,
    default_pairs,
    default_strategy,
)
from ftnotebook.demo.futures import FUTURES_SYMBOLS
from ftnotebook.demo.launcher import bot_python, find_freqtrade
from ftnotebook.demo.simulator import PriceWalk

SEED_SCRIPT = Path(__file__).resolve().parent / "_seed_db.py"

ENTER_TAGS = ("ema_cross", "ema_cross_hot", "rsi_dip", "breakout")
SHORT_ENTER_TAGS = ("ema_cross_short", "ema_cross_short_cold", "rsi_peak")
NEUTRAL_EXITS = ("exit_signal", "trailing_stop_loss", "force_exit")
FEE = 0.001
FUTURES_FEE = 0.0005
"""Binance's USDⓈ-M taker fee, the one a dry-run futures bot charges."""
FUTURES_LEVERAGES = (2.0, 3.0, 5.0, 1.0)
"""Leverages the seeded futures trades cycle through."""
FUTURES_STOPLOSS = -0.5
"""FtnbDemo's stoploss; futures seeds set their stop from it, leverage-aware."""
BLACKLISTED_PAIR = "ADA/USDT"
LOCKED_PAIR = "XRP/USDT"


def symbol_of(pair: str) -> str:
    """Exchange symbol of a pair: ``"BTC/USDT"`` or ``"BTC/USDT:USDT"`` -> ``"BTCUSDT"``."""
    return pair.split(":")[0].replace("/", "")


def _futures_amount(pair: str, notional: float, rate: float) -> float:
    """The position for ``notional`` at ``rate``, rounded down to the market's step (at
    least one step: 100 USDT at 1x buys no whole SOL once SOL trades above 100)."""
    decimals = FUTURES_SYMBOLS[symbol_of(pair)][1]
    scale = 10.0**decimals
    return round(max(math.floor(notional / rate * scale + 1e-9), 1) / scale, decimals)


def _trade(
    pair: str,
    opened: datetime,
    open_rate: float,
    *,
    stake_amount: float,
    tag: str,
    trading_mode: TradingMode,
    is_short: bool,
    leverage: float,
) -> dict[str, Any]:
    """One planned trade, open; spot trades exactly as before futures existed."""
    item: dict[str, Any] = {"pair": pair, "open_date": opened.isoformat(), "open_rate": open_rate}
    if trading_mode == "spot":
        item |= {"amount": round(stake_amount / open_rate, 8), "stake_amount": stake_amount}
        item["fee"] = FEE
    else:
        amount = _futures_amount(pair, stake_amount * leverage, open_rate)
        item |= {"amount": amount, "stake_amount": amount * open_rate / leverage}
        item |= {"fee": FUTURES_FEE, "trading_mode": "futures", "is_short": is_short}
        item |= {"leverage": leverage, "stoploss": FUTURES_STOPLOSS}
    item |= {"enter_tag": tag, "strategy": default_strategy(trading_mode), "timeframe_min": 5}
    return item


def plan_trades(
    n_closed: int,
    *,
    now: datetime | None = None,
    days: int = 45,
    pairs: tuple[str, ...] | None = None,
    seed: int = 7,
    walk: PriceWalk | None = None,
    stake_amount: float = 100.0,
    trading_mode: TradingMode = "spot",
) -> list[dict[str, Any]]:
    """Plan ``n_closed`` closed trades spread over the last ``days`` days.

    Open and close rates are the walk's closes at those minutes, so profits are
    whatever the market gave: winners and losers. Exit reasons follow the outcome
    (``roi`` for a gain over 1.5 %, ``stop_loss`` below -2 %, else a neutral reason).
    Deterministic for a given ``seed``, ``now`` and walk.

    ``trading_mode="futures"`` plans trades for the futures bot: every second trade is a
    short, leverages cycle through :data:`FUTURES_LEVERAGES`, the position is ``stake *
    leverage`` rounded down to the market's step (the stake follows from it), and the
    outcome is read leverage- and side-aware. The spot plan is unchanged by this.
    """
    if n_closed < 0:
        raise ValueError(f"n_closed must be >= 0, got {n_closed}")
    if days < 1:
        raise ValueError(f"days must be >= 1, got {days}")
    now = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")
    pairs = default_pairs(trading_mode) if pairs is None else pairs
    walk = walk or PriceWalk()
    rng = random.Random(seed)
    window = days * 24 * 60
    plan: list[dict[str, Any]] = []
    for i in range(n_closed):
        pair = pairs[i % len(pairs)]
        is_short = trading_mode == "futures" and i % 2 == 1
        futures = trading_mode == "futures"
        leverage = FUTURES_LEVERAGES[(i // 2) % len(FUTURES_LEVERAGES)] if futures else 1.0
        duration = rng.randint(15, 30 * 60)
        # Spread evenly over the window, jittered, so every week has trades.
        offset = int(window * (i + rng.random()) / max(n_closed, 1))
        opened = now - timedelta(minutes=window - offset)
        closed = min(opened + timedelta(minutes=duration), now - timedelta(minutes=1))
        if closed <= opened:
            opened = closed - timedelta(minutes=15)
        open_rate = walk.close_at(symbol_of(pair), opened)
        close_rate = walk.close_at(symbol_of(pair), closed)
        change = (close_rate / open_rate - 1) * (-1 if is_short else 1) * leverage
        if change > 0.015:
            exit_reason = "roi"
        elif change < -0.02:
            exit_reason = "stop_loss"
        else:
            exit_reason = rng.choice(NEUTRAL_EXITS)
        tag = rng.choice(SHORT_ENTER_TAGS if is_short else ENTER_TAGS)
        item = _trade(
            pair,
            opened,
            open_rate,
            stake_amount=stake_amount,
            tag=tag,
            trading_mode=trading_mode,
            is_short=is_short,
            leverage=leverage,
        )
        item |= {"close_date": closed.isoformat(), "close_rate": close_rate}
        item["exit_reason"] = exit_reason
        plan.append(item)
    return plan


FUTURES_OPEN: tuple[tuple[str, bool, float, int], ...] = (
    ("BTC/USDT:USDT", False, 3.0, 30),
    ("ETH/USDT:USDT", True, 2.0, 20),
    ("SOL/USDT:USDT", True, 5.0, 10),
)
"""Open futures positions written before the bot starts: (pair, is_short, leverage, hours
ago). All are older than one 8 h funding interval, so the bot books real funding fees on
them at start-up. :func:`seed_futures_live_state` closes the last two with forceexit."""


def plan_open_futures_trades(
    *,
    now: datetime | None = None,
    walk: PriceWalk | None = None,
    stake_amount: float = 100.0,
    spec: tuple[tuple[str, bool, float, int], ...] = FUTURES_OPEN,
) -> list[dict[str, Any]]:
    """Open futures trades per ``spec`` (see :data:`FUTURES_OPEN`), priced from the walk."""
    now = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    walk = walk or PriceWalk()
    plan = []
    for pair, is_short, leverage, hours in spec:
        opened = now - timedelta(hours=hours, minutes=7)
        plan.append(
            _trade(
                pair,
                opened,
                walk.close_at(symbol_of(pair), opened),
                stake_amount=stake_amount,
                tag="seed_short" if is_short else "seed_long",
                trading_mode="futures",
                is_short=is_short,
                leverage=leverage,
            )
        )
    return plan


def write_trades_db(
    db_path: Path,
    plan: list[dict[str, Any]],
    *,
    freqtrade: str | None = None,
    timeout: float = 600.0,
    simulator_url: str | None = None,
) -> float:
    """Write ``plan`` into a new SQLite database at ``db_path`` with freqtrade's models.

    Runs :mod:`ftnotebook.demo._seed_db` with the bot's interpreter. Returns the
    seconds it took. An existing file is refused rather than silently extended.
    Futures trades need ``simulator_url``: freqtrade's exchange class, loaded against
    the running simulator, computes their liquidation prices and funding fees.
    """
    futures = any(item.get("trading_mode") == "futures" for item in plan)
    if futures and simulator_url is None:
        raise ValueError("futures trades need simulator_url (for liquidation and funding)")
    db_path = Path(db_path).resolve()
    if db_path.exists():
        raise FileExistsError(f"{db_path} exists; seed into a new file (or delete it first)")
    python = bot_python(find_freqtrade(freqtrade))
    started = time.monotonic()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(plan, handle)
        temporary = [Path(handle.name)]
    argv = [str(python), str(SEED_SCRIPT), handle.name, f"sqlite:///{db_path}"]
    if futures and simulator_url is not None:
        config = build_config(
            bot_name="ftnb-seed",
            api_port=8080,  # not listened on: only the exchange section is used
            credentials=Credentials(),
            simulator_url=simulator_url,
            trading_mode="futures",
        )
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(config, handle)
        temporary.append(Path(handle.name))
        argv.append(handle.name)
    try:
        result = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    finally:
        for file in temporary:
            file.unlink(missing_ok=True)
    if result.returncode != 0:
        raise RuntimeError(
            f"writing {len(plan)} trades to {db_path} failed (exit {result.returncode}):\n"
            + "\n".join(result.stderr.strip().splitlines()[-15:])
        )
    return time.monotonic() - started


def _round_trip(
    client: FtClient,
    shift: Callable[[str, float], object],
    pair: str,
    pct: float,
    tag: str,
    *,
    side: Literal["long", "short"] = "long",
    leverage: float | None = None,
) -> int:
    trade = client.force_enter(pair, side, entry_tag=tag, leverage=leverage)
    trade_id = int(trade["trade_id"])
    _exit_after_move(client, shift, pair, trade_id, pct)
    return trade_id


def _exit_after_move(
    client: FtClient, shift: Callable[[str, float], object], pair: str, trade_id: int, pct: float
) -> None:
    """Move the price by ``pct``, force-exit at market (it fills at once), move it back."""
    shift(symbol_of(pair), pct)
    try:
        client.force_exit(trade_id, order_type="market")
    finally:
        shift(symbol_of(pair), 0)


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


FUTURES_LOCKS: tuple[tuple[str, Literal["long", "short", "*"]], ...] = (
    ("XRP/USDT:USDT", "short"),
    ("ADA/USDT:USDT", "long"),
)
"""Locks the futures bot is seeded with: one per side, so the locks table shows both."""


def seed_futures_live_state(
    api_url: str,
    username: str,
    password: str,
    *,
    shift: Callable[[str, float], object],
) -> dict[str, Any]:
    """Seed a running futures bot (started on :func:`plan_open_futures_trades`) via its API.

    * The bot's own forceexit closes the seeded ETH short (after a +1.5 % move against
      it) and SOL short (after a -1 % move for it), at whatever the walk gave since they
      opened 20 h and 10 h ago; the funding fees of those hours are the bot's own.
    * Round trips: an XRP short at 4x that wins (-3 %) and an ADA long at 2x that loses
      (-2 %).
    * Left open: the seeded BTC long (3x, with funding fees) and a fresh SOL short at 2x;
      both carry the liquidation price freqtrade computed.
    * Locks of :data:`FUTURES_LOCKS` for a day: one short-only, one long-only.

    ``shift`` must move the *futures* price (``RunningSimulator.shift(..., market="futures")``).
    Returns the trade ids (``closed``, ``open``) and ``lock_ids``.
    """
    made: dict[str, Any] = {"closed": [], "open": []}
    with FtClient(api_url, username, password) as client:
        seeded = {t["pair"]: int(t["trade_id"]) for t in client.status()}
        for pair, pct in (("ETH/USDT:USDT", 1.5), ("SOL/USDT:USDT", -1.0)):
            _exit_after_move(client, shift, pair, seeded[pair], pct)
            made["closed"].append(seeded[pair])
        made["closed"].append(
            _round_trip(client, shift, "XRP/USDT:USDT", -3.0, "api_short", side="short", leverage=4)
        )
        made["closed"].append(
            _round_trip(client, shift, "ADA/USDT:USDT", -2.0, "api_long", side="long", leverage=2)
        )
        fresh = client.force_enter("SOL/USDT:USDT", "short", leverage=2, entry_tag="api_open")
        made["open"] = [seeded["BTC/USDT:USDT"], int(fresh["trade_id"])]
        until = datetime.now(UTC) + timedelta(days=1)
        made["lock_ids"] = []
        for pair, side in FUTURES_LOCKS:
            reason = f"ftnb seed {side} lock"
            locks = client.add_lock(pair, until, side=side, reason=reason)["locks"]
            made["lock_ids"] += [
                lock["id"] for lock in locks if (lock["pair"], lock["reason"]) == (pair, reason)
            ]
    return made


def seed_fleet_bot(
    api_url: str,
    username: str,
    password: str,
    *,
    shift: Callable[[str, float], object],
    pairs: tuple[str, ...],
    win_pct: float = 2.0,
    loss_pct: float = -1.0,
) -> dict[str, Any]:
    """Seed one of the fleet's extra bots through its own API (see :func:`seed_live_state`).

    A winner on ``pairs[0]`` (``win_pct``) and a loser on ``pairs[1]`` (``loss_pct``)
    through forceenter/forceexit with simulator price moves, then one trade on
    ``pairs[0]`` left open, so today's profit and the open-trade count are non-zero.
    No locks and no blacklist: the fleet tests add and remove their own. Returns the
    trade ids made (``closed``, ``open``).
    """
    if len(pairs) < 2:
        raise ValueError(f"pairs must name at least two pairs, got {list(pairs)}")
    made: dict[str, Any] = {"closed": [], "open": []}
    with FtClient(api_url, username, password) as client:
        made["closed"].append(_round_trip(client, shift, pairs[0], win_pct, "fleet_winner"))
        made["closed"].append(_round_trip(client, shift, pairs[1], loss_pct, "fleet_loser"))
        made["open"].append(int(client.force_enter(pairs[0], entry_tag="fleet_open")["trade_id"]))
    return made
