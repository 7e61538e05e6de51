"""Notebook controls for a running bot, built on ipywidgets.

Each control takes an :class:`~ftnotebook.FtClient`, displays itself when it is the last
expression of a cell, and reports every outcome (including bad input and the bot's
refusals) in its own message area::

    from ftnotebook import FtClient
    from ftnotebook.widgets import BlacklistControl, BotControl, ForceTradeControl
    from ftnotebook.widgets import CandleExplorer, LocksControl, TradesTable

    client = FtClient.from_env()
    LocksControl(client)
"""

from __future__ import annotations

from ftnotebook.widgets.backtest import BacktestPanel, inspect_trade
from ftnotebook.widgets.blacklist import BlacklistControl
from ftnotebook.widgets.botcontrol import BotControl
from ftnotebook.widgets.explorer import CandleExplorer
from ftnotebook.widgets.forcetrade import ForceTradeControl
from ftnotebook.widgets.locks import LocksControl
from ftnotebook.widgets.tradestable import TradesTable

__all__ = [
    "BacktestPanel",
    "BlacklistControl",
    "BotControl",
    "CandleExplorer",
    "ForceTradeControl",
    "LocksControl",
    "TradesTable",
    "inspect_trade",
]
