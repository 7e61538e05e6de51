"""The one corner of :mod:`ftnotebook.plots` that asks a bot: what a chart needs and
the frame does not carry yet.

The figure builders never call a client. A chart drawn with ``client=`` gets from here:

* the strategy's plot_config, when ``data.attrs`` has none (``GET /plot_config``, with
  ``?strategy=`` from ``data.attrs["strategy"]`` so it works in webserver mode too);
* the stake currency, when neither ``attrs`` nor the pair name gives it
  (``GET /show_config``).

Prices are written at the data's own tick: freqtrade's ``/markets`` carries no
precision (only symbol, base, quote, spot, swap, active), so there is nothing to ask.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ftnotebook.plots._frame import quote_currency

if TYPE_CHECKING:
    from ftnotebook.client import FtClient

__all__ = ["chart_plot_config", "chart_stake_currency"]


def chart_plot_config(
    frame: pd.DataFrame, plot_config: Mapping[str, Any] | None, client: FtClient | None
) -> Mapping[str, Any] | None:
    """``plot_config``, else ``frame.attrs["plot_config"]``, else the bot's, else None."""
    if plot_config is None:
        plot_config = frame.attrs.get("plot_config")
    if plot_config is None and client is not None:
        strategy = frame.attrs.get("strategy") or None
        plot_config = dict(client.plot_config(strategy=strategy))
    return plot_config


def chart_stake_currency(frame: pd.DataFrame, client: FtClient | None) -> str | None:
    """``attrs["stake_currency"]``, else the pair's quote, else the bot's, else None."""
    found = frame.attrs.get("stake_currency") or quote_currency(frame.attrs.get("pair"))
    if found:
        return str(found)
    if client is not None:
        value = client.show_config().get("stake_currency")
        return str(value) if value else None
    return None
