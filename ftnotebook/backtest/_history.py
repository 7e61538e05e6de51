"""The bot's stored backtest runs: list, load, delete, annotate.

A webserver bot stores each finished backtest in ``user_data/backtest_results``
(one file per run, holding one or more strategies). :func:`history` lists them as a
frame, :func:`load` turns one into a :class:`BacktestResult` (with its wallet and
market change), :func:`delete` removes a file and :func:`set_notes` annotates a run.

>>> runs = history(client)
>>> runs[["filename", "strategy", "timerange", "notes"]]
>>> result = load(client, runs.filename[0], runs.strategy[0])
>>> set_notes(client, result.filename, result.strategy, "baseline")
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from ftnotebook.backtest import _convert as cv
from ftnotebook.backtest._result import BacktestResult
from ftnotebook.exceptions import NotFound
from ftnotebook.frames import records_frame
from ftnotebook.schemas import SCHEMAS

if TYPE_CHECKING:
    from ftnotebook.client import FtClient
    from ftnotebook.models import BacktestHistoryEntry

__all__ = ["attach_extras", "delete", "history", "history_frame", "load", "load_all", "set_notes"]


def history_frame(entries: Sequence[BacktestHistoryEntry]) -> pd.DataFrame:
    """``/backtest/history`` entries → the ``backtest_history`` frame, newest run first."""
    schema = SCHEMAS["backtest_history"]
    if not entries:
        return schema.empty()
    rows: list[dict[str, Any]] = []
    for e in entries:
        row: dict[str, Any] = dict(e)
        start, end = row.get("backtest_start_ts"), row.get("backtest_end_ts")
        row["backtest_start_time"] = (row.get("backtest_start_time") or 0) * 1000
        row["backtest_start_ts"] = None if start is None else start * 1000
        row["backtest_end_ts"] = None if end is None else end * 1000
        row["timerange"] = _timerange(start, end)
        row["notes"] = row.get("notes") or ""
        row["timeframe_detail"] = row.get("timeframe_detail") or None
        rows.append(row)
    df = records_frame(rows, schema, strict=False)
    return df.sort_values("run_start", ascending=False, kind="stable", ignore_index=True)


def _timerange(start: Any, end: Any) -> str | None:
    if start is None or end is None:
        return None
    fmt = "%Y%m%d"
    lo = pd.Timestamp(int(start), unit="s", tz="UTC")
    hi = pd.Timestamp(int(end), unit="s", tz="UTC")
    return f"{lo.strftime(fmt)}-{hi.strftime(fmt)}"


def history(client: FtClient) -> pd.DataFrame:
    """Every stored run on the bot, one row per file and strategy, newest first."""
    return history_frame(client.backtest_history())


def _known(client: FtClient, filename: str) -> pd.DataFrame:
    runs = history(client)
    mine = runs[runs["filename"] == filename]
    if mine.empty:
        names = runs["filename"].tolist()[:5]
        raise NotFound(
            404,
            f"no stored backtest {filename!r} on the bot; the newest are {names}",
            method="GET",
            route="/backtest/history",
            call="backtest.load",
        )
    return mine


def load(
    client: FtClient, filename: str, strategy: str | None = None, *, extras: bool = True
) -> BacktestResult:
    """One stored run as a :class:`BacktestResult` (its wallet and market change too).

    ``strategy`` may be left out when the file holds one strategy.

    Raises:
        NotFound: no such file on the bot (the message lists the newest ones).
        ValueError: the file holds several strategies and none was named.
    """
    if not isinstance(filename, str) or not filename:
        raise ValueError(f"filename must be a stored run's name, got {filename!r}")
    if strategy is None:
        strategies = _known(client, filename)["strategy"].tolist()
        if len(strategies) != 1:
            raise ValueError(f"{filename} holds {strategies}: pass strategy= to pick one")
        strategy = str(strategies[0])
    answer = client.backtest_history_result(filename, strategy)
    result = BacktestResult.from_stats(answer.get("backtest_result") or {}, strategy)
    result.metadata.setdefault("filename", filename)
    if extras:
        attach_extras(client, result)
    return result


def load_all(client: FtClient, filename: str, *, extras: bool = True) -> dict[str, BacktestResult]:
    """Every strategy of one stored file, ``{strategy: BacktestResult}``."""
    return {
        str(s): load(client, filename, str(s), extras=extras)
        for s in _known(client, filename)["strategy"]
    }


def attach_extras(client: FtClient, result: BacktestResult) -> BacktestResult:
    """Fill in ``result.wallet`` and ``result.market_change`` from the stored run.

    A run that was not stored (no ``filename``) keeps None in both.
    """
    filename = result.filename
    if not filename:
        return result
    try:
        result.wallet = cv.columns_frame(
            client.backtest_wallet(filename, result.strategy), "backtest_wallet"
        )
    except NotFound:
        result.wallet = None
    try:
        result.market_change = cv.columns_frame(
            client.backtest_market_change(filename), "backtest_market_change"
        )
    except NotFound:
        result.market_change = None
    return result


def delete(client: FtClient, filename: str) -> pd.DataFrame:
    """Delete a stored run (every strategy in the file); returns the remaining history.

    Raises:
        NotFound: no such file on the bot.
    """
    if not isinstance(filename, str) or not filename:
        raise ValueError(f"filename must be a stored run's name, got {filename!r}")
    return history_frame(client.delete_backtest_history(filename))


def set_notes(client: FtClient, filename: str, strategy: str, notes: str) -> pd.DataFrame:
    """Set the notes of one strategy's run; returns that file's history rows."""
    if not isinstance(notes, str):
        raise ValueError(f"notes must be a string, got {notes!r}")
    return history_frame(client.update_backtest_history(filename, strategy, notes))
