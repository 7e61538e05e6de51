"""Backtest a live bot's own period on a webserver bot and reconcile the two, in one call.

:func:`reconcile_live` reads what the live (dry-run or live) bot runs with: strategy,
timeframe, stake, ``max_open_trades``, wallet and whitelist (``/show_config``,
``/whitelist``); takes its closed trades (:class:`~ftnotebook.frames.TradeHistory`) and
locks; backtests the span of those trades on the webserver bot with the same settings;
and returns :func:`ftnotebook.reconcile.reconcile` of the two.

    >>> rec = backtest.reconcile_live(live_client, webserver_client)   # doctest: +SKIP
    >>> rec.attribution; rec.backtest_only[["pair", "open_date", "reason"]]  # doctest: +SKIP
    >>> plots.reconciliation_chart(rec)                                # doctest: +SKIP

The webserver bot needs the same strategy and candles covering that span
(``freqtrade download-data``, or :meth:`FtClient.download_data`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd

from ftnotebook import frames
from ftnotebook.backtest._run import start
from ftnotebook.reconcile import Reconciliation, reconcile

if TYPE_CHECKING:
    from ftnotebook.client import FtClient

__all__ = ["reconcile_live"]


def reconcile_live(
    live: FtClient,
    webserver: FtClient,
    *,
    timerange: str | tuple[Any, Any] | None = None,
    tolerance: timedelta | pd.Timedelta | None = None,
    progress: bool = True,
) -> Reconciliation:
    """Backtest ``live``'s trades' period on ``webserver`` and reconcile the two.

    Args:
        live: a trade-mode bot (dry-run or live).
        webserver: a webserver-mode bot with the same strategy and candles of the span.
        timerange: the span to compare (default: the day of the first closed trade's
            entry to the day after the last exit); live trades outside it are left out.
        tolerance: how far apart two open times may be to match (default one candle).
        progress: show the backtest's progress bar.

    Returns the :class:`~ftnotebook.reconcile.Reconciliation`, with the backtest in
    ``backtest_result`` and the settings read from the live bot in ``settings``.
    Raises ``ValueError`` when the live bot has no closed trades (nothing to compare).
    """
    config = live.show_config()
    settings: dict[str, Any] = {
        "strategy": config["strategy"],
        "timeframe": config["timeframe"],
        "stake_amount": config["stake_amount"],
        "max_open_trades": config["max_open_trades"],
        "dry_run_wallet": config.get("dry_run_wallet"),
        "stake_currency": config["stake_currency"],
    }
    whitelist = list(live.whitelist()["whitelist"])
    trades = frames.TradeHistory(live, progress=False).frame()
    closed = trades.loc[trades["close_date"].notna()]
    if closed.empty:
        raise ValueError(f"the live bot at {live.url} has no closed trades to reconcile")
    if timerange is None:
        first = closed["open_date"].min().date()
        last = closed["close_date"].max().date() + timedelta(days=1)
        timerange = (first, last)
    wallet = settings["dry_run_wallet"]
    stake = settings["stake_amount"]
    run = start(
        webserver,
        settings["strategy"],
        timeframe=settings["timeframe"],
        timerange=timerange,
        stake_amount=stake if stake == "unlimited" else float(stake),
        max_open_trades=int(settings["max_open_trades"]),
        dry_run_wallet=float(wallet) if isinstance(wallet, int | float) else None,
    )
    result = run.wait(progress=progress)
    lo, hi = _bounds(run.request["timerange"])
    in_span = closed.loc[(closed["open_date"] >= lo) & (closed["open_date"] < hi)]
    rec = reconcile(
        in_span,
        result,
        timeframe=settings["timeframe"],
        tolerance=tolerance,
        locks=frames.locks(live),
        max_open_trades=int(settings["max_open_trades"]),
        whitelist=whitelist,
    )
    settings["timerange"] = run.request["timerange"]
    return replace(rec, backtest_result=result, settings=settings)


def _bounds(timerange: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    start_text, _, stop_text = timerange.partition("-")
    lo = pd.Timestamp(start_text, tz="UTC") if start_text else pd.Timestamp.min.tz_localize("UTC")
    hi = pd.Timestamp(stop_text, tz="UTC") if stop_text else pd.Timestamp.max.tz_localize("UTC")
    return lo, hi
