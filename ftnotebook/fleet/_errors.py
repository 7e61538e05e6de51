"""The fleet's own errors, beside the client's tree (:mod:`ftnotebook.exceptions`).

::

    FtNotebookError
    ├── ConnectionFailed
    │   └── RequestTimeout
    │       └── BotTimeout        a bot did not answer a fleet call within the per-bot timeout
    └── FleetError                a fleet-wide problem
        └── MixedCurrencies       (also a ValueError) one total asked of bots staking
                                  several currencies, without exchange rates

A bot that is down or refuses keeps the client's own error (``ConnectionFailed``,
``Unauthorized``, ...) in its row of the result; only the timeout is the fleet's.
"""

from __future__ import annotations

from collections.abc import Iterable

from ftnotebook.exceptions import FtNotebookError, RequestTimeout

__all__ = ["BotTimeout", "FleetError", "MixedCurrencies"]


class BotTimeout(RequestTimeout):
    """The bot did not answer within the fleet's per-bot timeout; the others were not held up.

    The request may still finish in the background; its answer is discarded.
    """


class FleetError(FtNotebookError):
    """Something about the fleet as a whole (not one bot's answer)."""


class MixedCurrencies(FleetError, ValueError):
    """A single total was asked of money in several currencies, and no rate converts them.

    ``currencies`` lists them; pass ``rates=`` (a dict, or :meth:`Fleet.rates`) or use the
    per-currency totals instead.
    """

    def __init__(self, currencies: Iterable[str], what: str = "a single total") -> None:
        self.currencies = sorted(set(currencies))
        super().__init__(
            f"{what} would add {' and '.join(self.currencies)} together: the bots stake "
            f"different currencies. Use the per-currency totals, or pass rates, e.g. "
            "rates=fleet.rates('USDT') or rates=Rates.from_dict('USDT', {'BTC': 90000.0})."
        )
