"""Live data from a running bot: the WebSocket feed, its typed messages, notebook widgets.

* :class:`LiveFeed`: subscribe, keepalive, reconnect with backoff, typed messages through
  callbacks, a queue or :meth:`LiveFeed.wait_for`;
* :mod:`ftnotebook.live.messages`: one frozen dataclass per freqtrade message type;
* :class:`LiveCandleChart` / :class:`FillFeed` (in :mod:`ftnotebook.live.widgets`):
  a candle chart that redraws itself and a running list of fills.
"""

from __future__ import annotations

from ftnotebook.live.feed import FeedStats, LiveFeed, backoff_delay
from ftnotebook.live.messages import (
    MESSAGE_TYPES,
    AnalyzedDfMessage,
    EntryCancelMessage,
    EntryMessage,
    ExceptionMessage,
    ExitCancelMessage,
    ExitMessage,
    LiquidationWarningMessage,
    LiveMessage,
    NewCandleMessage,
    ProtectionMessage,
    StatusMessage,
    StrategyMessage,
    UnknownMessage,
    WhitelistMessage,
    parse_message,
)

__all__ = [
    "MESSAGE_TYPES",
    "AnalyzedDfMessage",
    "EntryCancelMessage",
    "EntryMessage",
    "ExceptionMessage",
    "ExitCancelMessage",
    "ExitMessage",
    "FeedStats",
    "FillFeed",
    "LiquidationWarningMessage",
    "LiveCandleChart",
    "LiveFeed",
    "LiveMessage",
    "NewCandleMessage",
    "ProtectionMessage",
    "StatusMessage",
    "StrategyMessage",
    "UnknownMessage",
    "WhitelistMessage",
    "backoff_delay",
    "parse_message",
]


def __getattr__(name: str) -> object:
    # The widgets pull in ipywidgets and plotly: import them only when asked for.
    if name in ("LiveCandleChart", "FillFeed"):
        from ftnotebook.live import widgets

        return getattr(widgets, name)
    raise AttributeError(f"module 'ftnotebook.live' has no attribute {name!r}")
