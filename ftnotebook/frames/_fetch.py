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
    """``/daily``: profit per day, indexed by the day's start, oldest first.

    Args:
        client: the bot to ask.
        timescale: how many days back, the current one included. Default ``None``
            sends nothing, so the bot uses its own default (7).

    Returns:
        The ``SCHEMAS["daily"]`` frame: index ``date`` (the day's start, UTC); columns
        ``abs_profit``, ``rel_profit``, ``starting_balance``, ``fiat_value`` and
        ``trade_count``. ``attrs`` holds ``stake_currency`` and ``fiat_display_currency``.

    Example:
        >>> frames.daily(client, 30).abs_profit.cumsum()  # doctest: +SKIP
    """
    return cv.periodic_frame(client.daily(timescale), "daily")


def weekly(client: FtClient, timescale: int | None = None) -> pd.DataFrame:
    """``/weekly``: profit per week, indexed by the Monday, oldest first.

    Args:
        client: the bot to ask.
        timescale: how many weeks back, the current one included. Default ``None``
            sends nothing, so the bot uses its own default (4).

    Returns:
        The ``SCHEMAS["weekly"]`` frame: index ``date`` (the Monday, UTC); columns
        ``abs_profit``, ``rel_profit``, ``starting_balance``, ``fiat_value`` and
        ``trade_count``. ``attrs`` holds ``stake_currency`` and ``fiat_display_currency``.

    Example:
        >>> frames.weekly(client, 12).abs_profit.cumsum()  # doctest: +SKIP
    """
    return cv.periodic_frame(client.weekly(timescale), "weekly")


def monthly(client: FtClient, timescale: int | None = None) -> pd.DataFrame:
    """``/monthly``: profit per month, indexed by the 1st of the month, oldest first.

    Args:
        client: the bot to ask.
        timescale: how many months back, the current one included. Default ``None``
            sends nothing, so the bot uses its own default (3).

    Returns:
        The ``SCHEMAS["monthly"]`` frame: index ``date`` (the 1st of the month, UTC); columns
        ``abs_profit``, ``rel_profit``, ``starting_balance``, ``fiat_value`` and
        ``trade_count``. ``attrs`` holds ``stake_currency`` and ``fiat_display_currency``.

    Example:
        >>> frames.monthly(client, 12).abs_profit.cumsum()  # doctest: +SKIP
    """
    return cv.periodic_frame(client.monthly(timescale), "monthly")


def performance(client: FtClient) -> pd.DataFrame:
    """``/performance``: closed-trade profit per pair, best first.

    Args:
        client: the bot to ask.

    Returns:
        The ``SCHEMAS["performance"]`` frame, one row per pair: ``pair``, ``count``,
        ``profit_abs``, ``profit_ratio`` and ``profit_pct``.

    Example:
        >>> frames.performance(client).head()  # doctest: +SKIP
    """
    return cv.performance_frame(_rows(client.performance()), "performance")


def entries(client: FtClient, pair: str | None = None) -> pd.DataFrame:
    """``/entries``: closed-trade profit per entry tag, best first.

    Args:
        client: the bot to ask.
        pair: only this pair's trades. Default ``None``: every pair.

    Returns:
        The ``SCHEMAS["entries"]`` frame, one row per entry tag: ``enter_tag``, ``count``,
        ``profit_abs``, ``profit_ratio`` and ``profit_pct``.

    Example:
        >>> frames.entries(client, pair="BTC/USDT").head()  # doctest: +SKIP
    """
    return cv.performance_frame(_rows(client.entries(pair)), "entries")


def exits(client: FtClient, pair: str | None = None) -> pd.DataFrame:
    """``/exits``: closed-trade profit per exit reason, best first.

    Args:
        client: the bot to ask.
        pair: only this pair's trades. Default ``None``: every pair.

    Returns:
        The ``SCHEMAS["exits"]`` frame, one row per exit reason: ``exit_reason``, ``count``,
        ``profit_abs``, ``profit_ratio`` and ``profit_pct``.

    Example:
        >>> frames.exits(client, pair="BTC/USDT").head()  # doctest: +SKIP
    """
    return cv.performance_frame(_rows(client.exits(pair)), "exits")


def mix_tags(client: FtClient, pair: str | None = None) -> pd.DataFrame:
    """``/mix_tags``: closed-trade profit per entry tag + exit reason, best first.

    Args:
        client: the bot to ask.
        pair: only this pair's trades. Default ``None``: every pair.

    Returns:
        The ``SCHEMAS["mix_tags"]`` frame, one row per entry tag + exit reason pair:
        ``mix_tag``, ``count``, ``profit_abs``, ``profit_ratio`` and ``profit_pct``.

    Example:
        >>> frames.mix_tags(client, pair="BTC/USDT").head()  # doctest: +SKIP
    """
    return cv.performance_frame(_rows(client.mix_tags(pair)), "mix_tags")


def locks(client: FtClient) -> pd.DataFrame:
    """``/locks``: one row per pair lock, active or expired.

    Args:
        client: the bot to ask.

    Returns:
        The ``SCHEMAS["locks"]`` frame: ``id``, ``pair``, ``side``, ``reason``, ``active``,
        ``lock_time`` and ``lock_end_time`` (UTC Timestamps).

    Example:
        >>> frames.locks(client).query("active")  # doctest: +SKIP
    """
    return cv.locks_frame(client.locks())


def whitelist(client: FtClient) -> pd.DataFrame:
    """``/whitelist``: one pair per row.

    Args:
        client: the bot to ask.

    Returns:
        The ``SCHEMAS["whitelist"]`` frame: one ``pair`` column; ``attrs["method"]``
        holds the pairlist handlers.

    Example:
        >>> frames.whitelist(client).pair.tolist()  # doctest: +SKIP
    """
    return cv.whitelist_frame(client.whitelist())


def blacklist(client: FtClient) -> pd.DataFrame:
    """``/blacklist``: one entry (pair or pattern) per row.

    Args:
        client: the bot to ask.

    Returns:
        The ``SCHEMAS["blacklist"]`` frame: one ``pair`` column; ``attrs`` holds
        ``expanded`` (the pairs the patterns match), ``method`` and ``errors``.

    Example:
        >>> frames.blacklist(client).attrs["expanded"]  # doctest: +SKIP
    """
    return cv.blacklist_frame(client.blacklist())


def balance(client: FtClient) -> pd.DataFrame:
    """``/balance``: one row per currency; totals and starting capital in ``attrs``.

    Args:
        client: the bot to ask.

    Returns:
        The ``SCHEMAS["balance"]`` frame: ``currency``, ``free``, ``balance``, ``used``,
        ``bot_owned``, ``est_stake``, ``est_stake_bot``, ``stake``, ``side``,
        ``is_position``, ``position``, ``is_bot_managed``. ``attrs`` holds the rest of the
        answer (``total``, ``total_bot``, ``starting_capital``, ...).

    Example:
        >>> frames.balance(client).attrs["starting_capital"]  # doctest: +SKIP
    """
    return cv.balance_frame(client.balance())


def historic_balance(client: FtClient) -> pd.DataFrame:
    """``/historic_balance``: wallet value snapshots indexed by time.

    Args:
        client: the bot to ask.

    Returns:
        The ``SCHEMAS["historic_balance"]`` frame: index ``date`` (UTC); column
        ``total_quote`` (the wallet's value in the stake currency). Empty when the bot
        has stored no snapshot yet.

    Example:
        >>> plots.wallet_chart(frames.historic_balance(client))  # doctest: +SKIP
    """
    return cv.historic_balance_frame(client.historic_balance())


def logs(client: FtClient, limit: int | None = None) -> pd.DataFrame:
    """``/logs``: the bot's last log records, oldest first.

    Args:
        client: the bot to ask.
        limit: how many records. Default ``None``: every record the bot keeps.

    Returns:
        The ``SCHEMAS["logs"]`` frame: ``date`` (UTC), ``logger``, ``level`` and
        ``message``.

    Example:
        >>> frames.logs(client, 50).query("level == 'WARNING'")  # doctest: +SKIP
    """
    return cv.logs_frame(client.logs(limit))


def stats(client: FtClient) -> pd.DataFrame:
    """``/stats``: wins/losses/draws per exit reason; mean durations in ``attrs``.

    Args:
        client: the bot to ask.

    Returns:
        The ``SCHEMAS["stats"]`` frame: index ``exit_reason``; columns ``wins``,
        ``losses`` and ``draws``. ``attrs["durations"]`` maps ``wins``/``draws``/``losses``
        to their mean trade duration (``Timedelta``, ``NaT`` when none).

    Example:
        >>> frames.stats(client).sum()  # doctest: +SKIP
    """
    return cv.stats_frame(client.stats())


def profit(client: FtClient) -> pd.Series:
    """``/profit`` as a Series (figure name → value), ``*_timestamp`` also as Timestamps.

    Args:
        client: the bot to ask.

    Returns:
        An object ``Series`` named ``profit``, indexed by the keys of freqtrade's
        ``/profit`` answer (``profit_closed_coin``, ``winrate``, ``max_drawdown``, ...).

    Example:
        >>> frames.profit(client)["profit_all_coin"]  # doctest: +SKIP
    """
    return profit_series(client.profit())


def profit_all(client: FtClient) -> pd.DataFrame:
    """``/profit_all``: one column each for ``all``, ``long`` and ``short``.

    Args:
        client: the bot to ask.

    Returns:
        A frame indexed by the ``/profit`` figure names, with the columns ``all``,
        ``long`` and ``short`` (``None`` for a side the bot cannot trade, e.g. short on
        spot).

    Example:
        >>> frames.profit_all(client).loc["winrate"]  # doctest: +SKIP
    """
    payload: Any = client.profit_all()
    df = pd.DataFrame({k: profit_series(v) for k, v in payload.items() if isinstance(v, dict)})
    for k in ("all", "long", "short"):
        if k not in df.columns:
            df[k] = None  # null from the bot: a direction it cannot trade (spot: short)
    return df[["all", "long", "short"]]


def profit_series(payload: Any) -> pd.Series:
    """A ``/profit`` payload as an object Series named ``profit``.

    Args:
        payload: the decoded JSON of ``/profit`` (or one side of ``/profit_all``).

    Returns:
        An object ``Series`` named ``profit``, one entry per key of the payload.

    Example:
        >>> frames.profit_series(client.profit())["trade_count"]  # doctest: +SKIP
    """
    return pd.Series(dict(payload), dtype=object, name="profit")


def _rows(rows: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in rows]
