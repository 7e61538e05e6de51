"""Errors of the backtest workbench.

::

    FtNotebookError
    └── BacktestError                  a backtest could not start, finish or be found
        ├── BacktestAlreadyRunning     the bot runs another backtest (or background job)
        ├── BacktestFailed             the bot's backtest ended in an error (its words)
        └── BacktestAborted            the backtest was stopped (abort, or Ctrl-C)

Caller mistakes found before anything is sent (an unknown strategy, a malformed
timerange, a negative stake) are ``ValueError``; a trade-mode bot gives
:class:`~ftnotebook.WrongMode`.
"""

from __future__ import annotations

from ftnotebook.exceptions import FtNotebookError

__all__ = ["BacktestAborted", "BacktestAlreadyRunning", "BacktestError", "BacktestFailed"]


class BacktestError(FtNotebookError):
    """A backtest could not start, finish or be found."""


class BacktestAlreadyRunning(BacktestError):
    """The bot already runs a backtest (one at a time per bot); the message names it."""


class BacktestFailed(BacktestError):
    """The backtest ended in an error; ``detail`` is the bot's own message."""

    def __init__(self, message: str, detail: str = "") -> None:
        self.detail = detail
        super().__init__(message)


class BacktestAborted(BacktestError):
    """The backtest was stopped before it finished (nothing was stored on the bot)."""
