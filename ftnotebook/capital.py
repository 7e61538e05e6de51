"""A bot's starting capital and final balance, read once per bot and cached.

freqtrade's ``/profit`` needs two wallet figures that a trades frame does not hold: the
starting capital (``wallets.get_starting_balance()``, shown by ``/balance``) and the
current total stake balance (``wallets.get_total_stake_amount()``, behind ``cagr``).
:func:`capital` reads them once per bot (one ``/balance`` and one ``/show_config``
call, 1.3 s on a 20,000-trade bot) and keeps what changes only with the config: the
starting capital and the ``tradable_balance_ratio`` it implies. Every later final
balance is then computed from the trades frame you already hold, with freqtrade's
wallet arithmetic:

* ``available_capital`` set: starting = ``available_capital``, final = starting +
  closed profit;
* otherwise (``tradable_balance_ratio`` r, free stake F, closed profit C, open stakes
  S, profit already realised by partial exits of open trades R):
  starting = (F - C + S) * r and final = (S + F) * r. In dry-run F = wallet + C + R - S,
  so starting = (wallet + R) * r and final = starting + r * C, exactly.

>>> from ftnotebook import FtClient, TradeHistory, metrics
>>> from ftnotebook.capital import capital
>>> client = FtClient.from_env()
>>> trades = TradeHistory(client).frame(include_open=True)
>>> cap = capital(client, trades)              # /balance + /show_config, first time only
>>> metrics.profit_summary(trades, **cap.balances(trades))["cagr"]

A live (not dry-run) wallet also moves with deposits, withdrawals and fees paid in
other coins; ``capital(client, trades, refresh=True)`` reads it again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from ftnotebook.client import FtClient

__all__ = ["Capital", "capital", "clear_capital_cache"]

_CACHE: dict[tuple[str, str], Capital] = {}
_LOCK = threading.Lock()


def _sums(trades: pd.DataFrame) -> tuple[float, float, float]:
    """(closed profit, open stakes, realised profit of open trades), as freqtrade sums them."""
    if not isinstance(trades, pd.DataFrame):
        raise ValueError(f"trades must be a pandas DataFrame, got {type(trades).__name__}")
    missing = [c for c in ("is_open", "stake_amount") if c not in trades.columns]
    if missing:
        raise ValueError(
            f"trades lacks column(s) {missing}: pass TradeHistory(client).frame(include_open=True)"
        )
    is_open = trades["is_open"].astype(bool)
    col = "close_profit_abs" if "close_profit_abs" in trades.columns else "profit_abs"
    closed = float(trades.loc[~is_open, col].fillna(0.0).sum())
    stakes = float(trades.loc[is_open, "stake_amount"].fillna(0.0).sum())
    realized = 0.0
    if "realized_profit" in trades.columns:
        realized = float(trades.loc[is_open, "realized_profit"].fillna(0.0).sum())
    return closed, stakes, realized


@dataclass(frozen=True)
class Capital:
    """What a bot's wallet arithmetic needs, read once.

    Attributes:
        stake_currency: the bot's stake currency (``"USDT"``).
        ratio: ``tradable_balance_ratio`` (1.0 with ``available_capital``).
        base: the wallet before trading, in stake currency (``available_capital``, or
            the dry-run wallet the bot started from).
        available_capital: the config's ``available_capital``, or None.
    """

    stake_currency: str
    ratio: float
    base: float
    available_capital: float | None = None

    def starting_balance(self, trades: pd.DataFrame | None = None) -> float:
        """freqtrade's ``get_starting_balance()`` (``/balance`` ``starting_capital``)."""
        if self.available_capital is not None:
            return float(self.available_capital)
        realized = _sums(trades)[2] if trades is not None else 0.0
        return (self.base + realized) * self.ratio

    def final_balance(self, trades: pd.DataFrame) -> float:
        """freqtrade's ``get_total_stake_amount()`` for the state ``trades`` shows."""
        closed, _, _ = _sums(trades)
        if self.available_capital is not None:
            return float(self.available_capital) + closed
        return self.starting_balance(trades) + self.ratio * closed

    def balances(self, trades: pd.DataFrame) -> dict[str, float]:
        """``starting_balance`` and ``final_balance`` keyword arguments for
        :func:`ftnotebook.metrics.profit_summary`."""
        return {
            "starting_balance": self.starting_balance(trades),
            "final_balance": self.final_balance(trades),
        }

    @classmethod
    def from_payloads(cls, balance: Any, show_config: Any, trades: pd.DataFrame) -> Capital:
        """Build it from a ``/balance`` and a ``/show_config`` payload plus the trades
        frame of the same moment (closed and open trades)."""
        stake = str(balance.get("stake") or show_config.get("stake_currency") or "")
        available = show_config.get("available_capital")
        if available is not None:
            return cls(stake, 1.0, float(available), float(available))
        starting = float(balance["starting_capital"])
        free = next(
            (float(c["free"]) for c in balance.get("currencies") or [] if c["currency"] == stake),
            None,
        )
        closed, stakes, realized = _sums(trades)
        if free is None or starting <= 0:
            return cls(stake, 1.0, starting)
        ratio = starting / (free - closed + stakes)
        return cls(stake, ratio, starting / ratio - realized)


def capital(client: FtClient, trades: pd.DataFrame, *, refresh: bool = False) -> Capital:
    """The bot's :class:`Capital`, read once per bot (by URL and user) and cached.

    Args:
        client: the bot.
        trades: its trades frame with the open trades
            (``TradeHistory(client).frame(include_open=True)``), used on the first read
            to derive ``tradable_balance_ratio`` from ``/balance``.
        refresh: read ``/balance`` and ``/show_config`` again (after a config change,
            or on a live wallet that received a deposit).
    """
    key = (client.url, str(getattr(client.settings, "username", "")))
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None and not refresh:
        return cached
    value = Capital.from_payloads(client.balance(), client.show_config(), trades)
    with _LOCK:
        _CACHE[key] = value
    return value


def clear_capital_cache() -> None:
    """Forget every cached :class:`Capital`."""
    with _LOCK:
        _CACHE.clear()
