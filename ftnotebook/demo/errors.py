"""Why a demo or test bot could not be started.

Every error says what went wrong and what to do about it, and where the bot had
already written a log, it carries the tail of that log::

    LaunchError
     ├── FreqtradeNotFound      no freqtrade executable to run
     ├── PortInUse              the API port is taken by another process
     ├── SimulatorUnreachable   the exchange simulator does not answer
     ├── BotExitedEarly         freqtrade exited before it was ready
     ├── BotStartTimeout        freqtrade did not become ready in time
     └── WrongBotAnswering      another bot answers on our port
"""

from __future__ import annotations


class LaunchError(RuntimeError):
    """A demo/test component could not be started; the message says what to do."""

    def __init__(self, message: str, *, log_tail: str = "") -> None:
        self.log_tail = log_tail
        if log_tail:
            message = f"{message}\n--- last lines of the bot's log ---\n{log_tail}"
        super().__init__(message)


class FreqtradeNotFound(LaunchError):
    """No freqtrade executable was found."""


class PortInUse(LaunchError):
    """The requested API port is already bound by another process."""


class SimulatorUnreachable(LaunchError):
    """The exchange simulator did not answer its ping endpoint."""


class BotExitedEarly(LaunchError):
    """The freqtrade process exited before it reported ``running``."""


class BotStartTimeout(LaunchError):
    """The freqtrade process did not become ready within the timeout."""


class WrongBotAnswering(LaunchError):
    """A bot answers on the port, but it is not the one we started."""
