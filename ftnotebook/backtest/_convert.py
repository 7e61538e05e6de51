"""Pure conversion of freqtrade's backtest result JSON into typed frames (no network).

Every frame follows a ``backtest_*`` schema of :mod:`ftnotebook.schemas`. The trades
frame shares its first columns (:data:`~ftnotebook.schemas.TRADE_CORE`) with the live
``trades`` frame, dtype for dtype, so charts and :mod:`ftnotebook.metrics` read both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ftnotebook.frames import records_frame
from ftnotebook.schemas import SCHEMAS, TD, TS, SchemaError

__all__ = [
    "PERIODS",
    "columns_frame",
    "daily_frame",
    "key_table",
    "locks_frame",
    "orders_frame",
    "period_frame",
    "trades_frame",
]

PERIODS = ("day", "week", "month", "year", "weekday")
"""The periods of freqtrade's backtest breakdown (``periodic_breakdown``)."""

_TRADE_DROPPED = frozenset({"orders", "open_timestamp", "close_timestamp", "trade_duration"})


def trades_frame(trades: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """A backtest's ``trades`` list → the ``backtest_trades`` frame, in the bot's order."""
    schema = SCHEMAS["backtest_trades"]
    if not trades:
        return schema.empty()
    minutes = np.asarray([t.get("trade_duration") for t in trades], dtype="float64")
    extra: dict[str, Any] = {
        "trade_duration": minutes * 60.0,  # the TD converter takes seconds
        "trade_index": np.arange(len(trades), dtype="int64"),
    }
    return records_frame(trades, schema, dropped=_TRADE_DROPPED, extra=extra)


def orders_frame(trades: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Every order of a backtest's trades, with the trade's ``trade_index`` and ``pair``."""
    schema = SCHEMAS["backtest_orders"]
    orders: list[Mapping[str, Any]] = []
    index: list[int] = []
    pairs: list[Any] = []
    for i, trade in enumerate(trades):
        own = trade.get("orders") or ()
        orders.extend(own)
        index.extend([i] * len(own))
        pairs.extend([trade.get("pair")] * len(own))
    if not orders:
        return schema.empty()
    extra = {"trade_index": index, "pair": pairs}
    return records_frame(orders, schema, dropped=frozenset({"order_filled_timestamp"}), extra=extra)


def _duration(text: Any) -> Any:
    """freqtrade's ``duration_avg`` ("1:35:00", "1 day, 2:00:00") → a Timedelta."""
    if text is None or text == "":
        return pd.NaT
    return pd.Timedelta(str(text).replace(" days,", "d").replace(" day,", "d"))


def key_table(rows: Sequence[Mapping[str, Any]], name: str) -> pd.DataFrame:
    """One of freqtrade's per-key tables (``results_per_pair`` …) → its frame.

    The ``TOTAL`` row goes to ``attrs['total']`` (a Series), the others stay in the
    bot's order. A list key (mix tags: ``[enter_tag, exit_reason]``) is joined by a space.
    """
    schema = SCHEMAS[name]
    key = schema.columns[0].name
    body: list[dict[str, Any]] = []
    total: dict[str, Any] | None = None
    for row in rows:
        rec = dict(row)
        value = rec.pop("key")
        if isinstance(value, list | tuple):
            value = " ".join("" if v is None else str(v) for v in value)
        rec[key] = value
        rec["duration_avg"] = _duration(rec.get("duration_avg"))
        # strategy_comparison formats max_drawdown_abs as text ("20.015")
        if isinstance(rec.get("max_drawdown_abs"), str):
            rec["max_drawdown_abs"] = float(str(rec["max_drawdown_abs"]).split()[0])
        if value == "TOTAL" and total is None and name != "backtest_strategies":
            total = rec
        else:
            body.append(rec)
    df = _table(body, name)
    df.attrs["total"] = _table([total], name).iloc[0] if total is not None else None
    return df


def _table(rows: list[dict[str, Any]], name: str) -> pd.DataFrame:
    schema = SCHEMAS[name]
    if not rows:
        return schema.empty()
    durations = [r.pop("duration_avg") for r in rows]
    df = records_frame(rows, schema, extra={"duration_avg": [0.0] * len(rows)})
    as_ns: Any = pd.Series(durations, dtype="timedelta64[ns]")
    df["duration_avg"] = as_ns.astype(TD).to_numpy()
    return df


def period_frame(rows: Sequence[Mapping[str, Any]], period: str) -> pd.DataFrame:
    """One period of ``periodic_breakdown`` → frame indexed by period start (UTC).

    ``period="weekday"`` is indexed by weekday name, Monday first.
    """
    schema = SCHEMAS["backtest_periods"]
    df = records_frame(list(rows), schema, dropped=frozenset({"date", "date_ts"}))
    if period == "weekday":
        df.index = pd.Index([r["date"] for r in rows], dtype="string", name="weekday")
    else:
        ms = np.asarray([r["date_ts"] for r in rows], dtype="float64")
        df.index = pd.DatetimeIndex(pd.to_datetime(ms, unit="ms", utc=True).astype(TS))
        df.index.name = "date"
    return df


def daily_frame(rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """``daily_profit`` (``[["2026-11-28", -6.5], …]``) → frame indexed by UTC day."""
    schema = SCHEMAS["backtest_daily"]
    if not rows:
        return schema.empty()
    index = pd.DatetimeIndex(pd.to_datetime([r[0] for r in rows], utc=True).astype(TS))
    index.name = "date"
    return pd.DataFrame(
        {"profit_abs": np.asarray([r[1] for r in rows], dtype="float64")}, index=index
    )


def locks_frame(locks: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The backtest's ``locks`` (freqtrade's ``PairLock.to_json``) → ``backtest_locks``."""
    return records_frame(
        list(locks),
        SCHEMAS["backtest_locks"],
        dropped=frozenset({"id", "lock_time", "lock_end_time"}),
        strict=False,
    )


def columns_frame(payload: Mapping[str, Any], name: str) -> pd.DataFrame:
    """A columns + rows payload (wallet, market change) → frame indexed by time (UTC)."""
    schema = SCHEMAS[name]
    columns = list(payload.get("columns") or [])
    rows = payload.get("data") or []
    if not rows:
        return schema.empty()
    if "__date_ts" not in columns:
        raise SchemaError(schema.route, "__date_ts", f"columns are {columns}")
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    df = records_frame(records, schema, dropped=frozenset({"date", "__date_ts"}))
    ms = np.asarray([r["__date_ts"] for r in records], dtype="float64")
    df.index = pd.DatetimeIndex(pd.to_datetime(ms, unit="ms", utc=True).astype(TS))
    df.index.name = "date"
    return df


def to_timedelta(seconds: Any) -> Any:
    """Seconds (freqtrade's ``*_s`` fields) → ``pd.Timedelta`` (NaT for None)."""
    if seconds is None:
        return pd.NaT
    return pd.Timedelta(seconds=float(seconds)).as_unit("ms")


def to_timestamp(ms: Any) -> Any:
    """Epoch milliseconds (freqtrade's ``*_ts`` fields) → a UTC ``pd.Timestamp`` (or NaT)."""
    if ms is None:
        return pd.NaT
    return pd.Timestamp(int(ms), unit="ms", tz="UTC").as_unit("ms")
