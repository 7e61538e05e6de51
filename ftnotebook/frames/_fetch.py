"""One call from a client to a typed frame, for every small tabular route.

Each function asks the bot once through the :class:`~ftnotebook.FtClient` method of the
same name and converts the answer with :mod:`ftnotebook.frames._convert`.

>>> from ftnotebook import FtClient, frames
>>> client = FtClient.from_env()
>>> frames.daily(client, 30).abs_profit.cumsum()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ftnotebook.frames import _convert as cv

if TYPE_CHECKING:
    from ftnotebook.client import FtClient

__all__ = [
    "balance",
    "blacklist",
    "daily",
    "entries",
    "exits",
    "historic_balance",
    "locks",
    "logs",
    "mix_tags",
    "monthly",
    "performance",
    "profit",
    "profit_all",
    "stats",
    "weekly",
    "whitelist",
]


def daily(client: FtClient, timescale: int | None = None) -> pd.DataFrame:
    """``/daily``: profit per UTC day, indexed by day start, oldest first."""
    return cv.periodic_frame(client.daily(timescale), "daily")


def weekly(client: FtClient, timescale: int | None = None) -> pd.DataFrame:
    """``/weekly``: profit per week, indexed by the Monday, oldest first."""
    return cv.periodic_frame(client.weekly(timescale), "weekly")


def monthly(client: FtClient, timescale: int | None = None) -> pd.DataFrame:
    """``/monthly``: profit per month, indexed by the 1st, oldest first."""
    return cv.periodic_frame(client.monthly(timescale), "monthly")


def performance(client: FtClient) -> pd.DataFrame:
    """``/performance``: closed-trade profit per pair, best first."""
    return cv.performance_frame(_rows(client.performance()), "performance")


def entries(client: FtClient, pair: str | None = None) -> pd.DataFrame:
    """``/entries``: closed-trade profit per entry tag."""
    return cv.performance_frame(_rows(client.entries(pair)), "entries")


def exits(client: FtClient, pair: str | None = None) -> pd.DataFrame:
    """``/exits``: closed-trade profit per exit reason."""
    return cv.performance_frame(_rows(client.exits(pair)), "exits")


def mix_tags(client: FtClient, pair: str | None = None) -> pd.DataFrame:
    """``/mix_tags``: closed-trade profit per entry tag + exit reason."""
    return cv.performance_frame(_rows(client.mix_tags(pair)), "mix_tags")


def locks(client: FtClient) -> pd.DataFrame:
    """``/locks``: one row per pair lock."""
    return cv.locks_frame(client.locks())


def whitelist(client: FtClient) -> pd.DataFrame:
    """``/whitelist``: one pair per row."""
    return cv.whitelist_frame(client.whitelist())


def blacklist(client: FtClient) -> pd.DataFrame:
    """``/blacklist``: one entry (pair or pattern) per row."""
    return cv.blacklist_frame(client.blacklist())


def balance(client: FtClient) -> pd.DataFrame:
    """``/balance``: one row per currency; totals and starting capital in ``attrs``."""
    return cv.balance_frame(client.balance())


def historic_balance(client: FtClient) -> pd.DataFrame:
    """``/historic_balance``: wallet value snapshots indexed by time."""
    return cv.historic_balance_frame(client.historic_balance())


def logs(client: FtClient, limit: int | None = None) -> pd.DataFrame:
    """``/logs``: the bot's last log records, oldest first."""
    return cv.logs_frame(client.logs(limit))


def stats(client: FtClient) -> pd.DataFrame:
    """``/stats``: wins/losses/draws per exit reason; mean durations in ``attrs``."""
    return cv.stats_frame(client.stats())


def profit(client: FtClient) -> pd.Series:
    """``/profit`` as a Series (figure name → value), ``*_timestamp`` also as Timestamps."""
    return profit_series(client.profit())


def profit_all(client: FtClient) -> pd.DataFrame:
    """``/profit_all``: one column each for ``all``, ``long`` and ``short``."""
    payload: Any = client.profit_all()
    df = pd.DataFrame({k: profit_series(v) for k, v in payload.items() if isinstance(v, dict)})
    for k in ("all", "long", "short"):
        if k not in df.columns:
            df[k] = None  # null from the bot: a direction it cannot trade (spot: short)
    return df[["all", "long", "short"]]


def profit_series(payload: Any) -> pd.Series:
    """A ``/profit`` payload as an object Series named ``profit``."""
    return pd.Series(dict(payload), dtype=object, name="profit")


def _rows(rows: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in rows]
