"""The fleet: many bots in one notebook, polled concurrently, combined without mixing money.

* :class:`Fleet`: bots by name (from clients, config files or a fleet file); every call
  goes to all of them at once with a per-bot timeout, and frames carry a categorical
  ``bot`` column plus the bot's ``stake_currency``;
* :func:`run_each` / :class:`FleetResult` / :class:`Outcome`: the concurrency helper,
  one outcome per bot, a value or a typed error;
* :class:`Rates`, :func:`per_currency`, :func:`total`: money per stake currency, and one
  total only with exchange rates;
* :class:`FleetFeed`: one :class:`~ftnotebook.LiveFeed` per bot, merged, messages tagged
  with their bot;
* :func:`read_fleet_file` / :class:`BotSpec`: the fleet file (names and where
  credentials come from; never secrets).

This is the orchestration layer: no plotly and no ipywidgets here (the charts are in
:mod:`ftnotebook.plots.fleet`, the dashboard and actions in :mod:`ftnotebook.widgets.fleet`).
"""

from __future__ import annotations

from ftnotebook.fleet._errors import BotTimeout, FleetError, MixedCurrencies
from ftnotebook.fleet._feed import FleetFeed, FleetMessage
from ftnotebook.fleet._fleet import DEFAULT_TIMEOUT, Fleet
from ftnotebook.fleet._money import Rate, Rates, Total, per_currency, total
from ftnotebook.fleet._pool import FleetResult, Outcome, run_each
from ftnotebook.fleet._spec import BotSpec, read_fleet_file

__all__ = [
    "DEFAULT_TIMEOUT",
    "BotSpec",
    "BotTimeout",
    "Fleet",
    "FleetError",
    "FleetFeed",
    "FleetMessage",
    "FleetResult",
    "MixedCurrencies",
    "Outcome",
    "Rate",
    "Rates",
    "Total",
    "per_currency",
    "read_fleet_file",
    "run_each",
    "total",
]
