"""Typed pandas DataFrames for every tabular response of the freqtrade REST API.

Every frame's columns, dtypes and meanings are in :mod:`ftnotebook.schemas`. Functions
take an :class:`~ftnotebook.FtClient` first; the pure ``*_frame`` converters take the
decoded JSON instead (for payloads you already hold, e.g. from the WebSocket).

>>> from ftnotebook import FtClient, TradeHistory, frames
>>> client = FtClient.from_env()
>>> history = TradeHistory(client)            # every closed trade, refreshed incrementally
>>> df = history.frame(include_open=True)
>>> candles = frames.pair_candles(client, "BTC/USDT", "5m", limit=500)
>>> frames.daily(client, 30).tail()
"""

from __future__ import annotations

from ftnotebook.frames._candles import (
    NoCandlesWarning,
    candles_frame,
    candles_from_split,
    pair_candles,
    pair_history,
)
from ftnotebook.frames._combine import concat_frames, concat_trades
from ftnotebook.frames._convert import (
    balance_frame,
    blacklist_frame,
    historic_balance_frame,
    locks_frame,
    logs_frame,
    orders_frame,
    performance_frame,
    periodic_frame,
    records_frame,
    stats_frame,
    trades_frame,
    whitelist_frame,
)
from ftnotebook.frames._fetch import (
    balance,
    blacklist,
    daily,
    entries,
    exits,
    historic_balance,
    locks,
    logs,
    mix_tags,
    monthly,
    performance,
    profit,
    profit_all,
    profit_series,
    stats,
    weekly,
    whitelist,
)
from ftnotebook.frames._trades import (
    DEFAULT_PAGE_SIZE,
    FULL_FETCH_ATTEMPTS,
    MAX_PAGE_SIZE,
    TradeHistory,
    TradeHistoryChanged,
    default_cache_dir,
    trades,
)

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "FULL_FETCH_ATTEMPTS",
    "MAX_PAGE_SIZE",
    "NoCandlesWarning",
    "TradeHistory",
    "TradeHistoryChanged",
    "balance",
    "balance_frame",
    "blacklist",
    "blacklist_frame",
    "candles_frame",
    "candles_from_split",
    "concat_frames",
    "concat_trades",
    "daily",
    "default_cache_dir",
    "entries",
    "exits",
    "historic_balance",
    "historic_balance_frame",
    "locks",
    "locks_frame",
    "logs",
    "logs_frame",
    "mix_tags",
    "monthly",
    "orders_frame",
    "pair_candles",
    "pair_history",
    "performance",
    "performance_frame",
    "periodic_frame",
    "profit",
    "profit_all",
    "profit_series",
    "records_frame",
    "stats",
    "stats_frame",
    "trades",
    "trades_frame",
    "weekly",
    "whitelist",
    "whitelist_frame",
]
