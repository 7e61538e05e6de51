"""Profit summary: every ``/profit`` figure computed locally from the cached trades frame
(:func:`ftnotebook.metrics.profit_summary`) vs one ``/profit`` call, figures checked equal.

The local side starts from the frame a :class:`~ftnotebook.TradeHistory` already holds
(``frame(refresh=False)``); ``starting_balance``/``final_balance`` come from one
``/balance`` call, timed separately. The ``/profit`` side is ``requests`` +
``resp.json()``, the least any client can spend on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import requests

from bench._common import RUNS, Stack, Timing, log, measure
from ftnotebook import TradeHistory, metrics


def final_balance(trades: pd.DataFrame, bal: dict[str, Any]) -> float:
    """freqtrade's ``wallets.get_total_stake_amount()`` from ``/balance`` (dry-run)."""
    free = next(c["free"] for c in bal["currencies"] if c["currency"] == bal["stake"])
    open_stakes = trades.loc[trades.is_open, "stake_amount"].sum()
    closed = trades.loc[~trades.is_open, "close_profit_abs"].sum()
    ratio = bal["starting_capital"] / (free - closed + open_stakes)
    return float((open_stakes + free) * ratio)


@dataclass
class ProfitResult:
    local: Timing | None = None
    balance: Timing | None = None
    remote: Timing | None = None
    compared: int = 0
    mismatches: list[str] = field(default_factory=list)


def bench_profit(
    stack: Stack, history: TradeHistory, result: ProfitResult, runs: int = RUNS
) -> None:
    bot = stack.trade_bot
    session = requests.Session()
    session.auth = (bot.username, bot.password)

    def get(route: str) -> Any:
        resp = session.get(f"{bot.api_url}/api/v1/{route}", timeout=1800)
        resp.raise_for_status()
        return resp.json()

    trades = history.frame(include_open=True)  # open trades fresh; none are open here
    bal = get("balance")
    kwargs = {
        "starting_balance": bal["starting_capital"],
        "final_balance": final_balance(trades, bal),
    }
    log(f"profit summary over {len(trades)} trades: local vs /profit, {runs} runs each")
    result.local = measure(lambda: metrics.profit_summary(trades, **kwargs), runs, warmup=True)
    result.balance = measure(lambda: get("balance"), runs)
    remote: dict[str, Any] = {}

    def call() -> None:
        remote.update(get("profit"))

    result.remote = measure(call, runs)
    ours = metrics.profit_summary(trades, **kwargs)
    for key, value in ours.items():
        if key not in remote:
            continue
        expected = remote[key]
        result.compared += 1
        if isinstance(value, str) or isinstance(expected, str):
            ok = value == expected
        else:
            ok = math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-12)
        if not ok:
            result.mismatches.append(f"{key}: ours {value!r} bot {expected!r}")
    log(
        f"  local {result.local.median * 1000:.1f} ms (+ /balance "
        f"{result.balance.median * 1000:.0f} ms), /profit {result.remote.median:.2f} s, "
        f"{result.compared} figures compared, {len(result.mismatches)} differ"
    )
