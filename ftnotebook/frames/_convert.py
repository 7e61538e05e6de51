"""Pure payload → DataFrame conversion for every tabular route (no network).

Each ``*_frame`` function takes the decoded JSON of one route and returns a frame whose
columns follow :data:`ftnotebook.schemas.SCHEMAS`. Columns are built one at a time from
the records (``[r.get(key) for r in records]``), then given their schema dtype; this is
faster than ``pd.DataFrame(records)`` and never guesses a dtype.

>>> df = performance_frame([{"pair": "BTC/USDT", "count": 3, "profit_abs": 1.5,
...                          "profit_ratio": 0.01, "profit_pct": 1.0}])
>>> df.dtypes["pair"], df.dtypes["count"]
(CategoricalDtype(categories=['BTC/USDT'], ordered=False, categories_dtype=str), dtype('int64'))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ftnotebook.schemas import SCHEMAS, TD, TS, Column, FrameSchema, SchemaError
from ftnotebook.settings import mask_tokens

__all__ = [
    "balance_frame",
    "blacklist_frame",
    "historic_balance_frame",
    "locks_frame",
    "logs_frame",
    "orders_frame",
    "performance_frame",
    "periodic_frame",
    "records_frame",
    "stats_frame",
    "trades_frame",
    "whitelist_frame",
]

# Raw keys replaced by a typed column (the *_timestamp twins feed the TS columns).
_TRADE_DROPPED = frozenset(
    {
        "orders",
        "open_timestamp",
        "open_fill_timestamp",
        "close_timestamp",
        "trade_duration_s",
        "stoploss_last_update_timestamp",
    }
)
_ORDER_DROPPED = frozenset({"order_timestamp", "order_filled_timestamp"})


def records_frame(
    records: Sequence[Mapping[str, Any]],
    schema: FrameSchema,
    *,
    dropped: frozenset[str] = frozenset(),
    extra: Mapping[str, Sequence[Any]] | None = None,
    strict: bool = True,
) -> pd.DataFrame:
    """Build ``schema``'s frame from a list of JSON objects.

    Keys not in the schema (a newer bot) are kept after the schema's columns, with the
    dtype pandas infers. A required schema column missing from the first record raises
    :class:`SchemaError` (``strict=False`` fills it with NA instead: ``/status`` omits
    some ``/trades`` keys). ``extra`` adds ready-made columns (e.g. ``trade_id`` of orders).
    """
    if not records:
        return schema.empty()
    first = records[0]
    data: dict[str, Any] = {}
    used: set[str] = set(dropped)
    for col in schema.columns:
        if extra is not None and col.name in extra:
            data[col.name] = _convert(col, extra[col.name], schema.route)
            continue
        key = col.source or col.name
        if key not in first and col.source and col.name in first:
            key = col.name  # no timestamp twin: parse the date string
        if key not in first:
            if col.required and strict:
                raise SchemaError(schema.route, key, f"the response has {sorted(first)[:12]}...")
            values: Sequence[Any] = [r.get(key) for r in records]
        else:
            values = [r.get(key) for r in records]
        used.update((key, col.name))
        data[col.name] = _convert(col, values, schema.route, from_key=key)
    for key in first:
        if key not in used:
            data[key] = pd.Series([r.get(key) for r in records])
    return pd.DataFrame(data)


def _convert(col: Column, values: Sequence[Any], route: str, from_key: str = "") -> Any:
    dtype = col.dtype
    try:
        if dtype == "float64":
            return np.asarray(values, dtype="float64")
        if dtype == "int64":
            return np.asarray(values, dtype="int64")
        if dtype == "bool":
            return np.asarray([bool(v) for v in values], dtype=bool)
        if dtype == "category":
            return pd.Categorical(values)
        if dtype == "string":
            return pd.array(values, dtype="string")
        if dtype == "Int64":
            return pd.array(values, dtype="Int64")
        if dtype == TS:
            return _timestamps(values, numeric=from_key.endswith(("_timestamp", "_ts")))
        if dtype == TD:
            secs = np.asarray(values, dtype="float64")
            return pd.to_timedelta(secs, unit="s").astype(TD)
    except (TypeError, ValueError) as exc:
        raise SchemaError(route, col.name, f"cannot convert to {dtype}: {exc}") from None
    return pd.Series(values, dtype=dtype)


def _timestamps(values: Sequence[Any], *, numeric: bool) -> Any:
    if numeric or (values and isinstance(values[0], int | float)):
        ms = np.asarray(values, dtype="float64")
        return pd.to_datetime(ms, unit="ms", utc=True).astype(TS)
    parsed: Any = pd.to_datetime(pd.Series(values, dtype=object), utc=True, format="ISO8601")
    return parsed.astype(TS)


# ------------------------------------------------------------------------- per route


def trades_frame(trades: Sequence[Mapping[str, Any]], *, strict: bool = True) -> pd.DataFrame:
    """Trades (from ``/trades`` pages and/or ``/status``) → the ``trades`` frame.

    Sorted by ``trade_id``; later duplicates of a ``trade_id`` win (fresher data).
    ``strict=False`` for ``/status`` records, which lack a few ``/trades`` keys.
    """
    unique = list({t["trade_id"]: t for t in trades}.values())
    unique.sort(key=lambda t: t["trade_id"])
    return records_frame(unique, SCHEMAS["trades"], dropped=_TRADE_DROPPED, strict=strict)


def orders_frame(trades: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per order of ``trades`` (each trade's ``orders`` list), with ``trade_id``."""
    orders: list[Mapping[str, Any]] = []
    ids: list[int] = []
    unique = sorted({t["trade_id"]: t for t in trades}.values(), key=lambda t: t["trade_id"])
    for trade in unique:
        for order in trade.get("orders") or []:
            orders.append(order)
            ids.append(trade["trade_id"])
    return records_frame(orders, SCHEMAS["orders"], dropped=_ORDER_DROPPED, extra={"trade_id": ids})


def periodic_frame(payload: Mapping[str, Any], name: str = "daily") -> pd.DataFrame:
    """``/daily``, ``/weekly`` or ``/monthly`` → frame indexed by period start, ascending.

    ``attrs``: ``stake_currency``, ``fiat_display_currency``.
    """
    schema = SCHEMAS[name]
    data = list(payload.get("data") or [])
    df = records_frame(data, schema)
    if len(data):
        df.index = pd.DatetimeIndex(_timestamps([d["date"] for d in data], numeric=False))
        df = df.drop(columns="date").sort_index()
    df.index.name = "date"
    df.attrs.update({k: v for k, v in payload.items() if k != "data"})
    return df


def performance_frame(rows: Sequence[Mapping[str, Any]], name: str = "performance") -> pd.DataFrame:
    """``/performance``, ``/entries``, ``/exits``, ``/mix_tags`` → frame in the bot's order."""
    return records_frame(rows, SCHEMAS[name], dropped=frozenset({"profit"}))


def locks_frame(payload: Mapping[str, Any]) -> pd.DataFrame:
    """``/locks`` → one row per lock; the raw time strings are replaced by Timestamps."""
    return records_frame(
        payload.get("locks") or [],
        SCHEMAS["locks"],
        dropped=frozenset({"lock_time", "lock_end_time"}),
    )


def whitelist_frame(payload: Mapping[str, Any]) -> pd.DataFrame:
    """``/whitelist`` → one ``pair`` per row; ``attrs['method']`` holds the pairlists."""
    df = records_frame([{"pair": p} for p in payload.get("whitelist") or []], SCHEMAS["whitelist"])
    df.attrs["method"] = list(payload.get("method") or [])
    return df


def blacklist_frame(payload: Mapping[str, Any]) -> pd.DataFrame:
    """``/blacklist`` → one entry per row; ``attrs``: ``expanded``, ``method``, ``errors``."""
    df = records_frame([{"pair": p} for p in payload.get("blacklist") or []], SCHEMAS["blacklist"])
    df.attrs["expanded"] = list(payload.get("blacklist_expanded") or [])
    df.attrs["method"] = list(payload.get("method") or [])
    df.attrs["errors"] = dict(payload.get("errors") or {})
    return df


def balance_frame(payload: Mapping[str, Any]) -> pd.DataFrame:
    """``/balance`` → one row per currency; the totals go to ``attrs``."""
    df = records_frame(payload.get("currencies") or [], SCHEMAS["balance"])
    df.attrs.update({k: v for k, v in payload.items() if k != "currencies"})
    return df


def historic_balance_frame(payload: Mapping[str, Any]) -> pd.DataFrame:
    """``/historic_balance`` (columns + rows) → frame indexed by snapshot time."""
    schema = SCHEMAS["historic_balance"]
    columns = list(payload.get("columns") or [])
    rows = payload.get("data") or []
    if not rows:
        return schema.empty()
    if "__date_ts" not in columns:
        raise SchemaError("historic_balance", "__date_ts", f"columns are {columns}")
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    df = records_frame(records, schema, dropped=frozenset({"date", "__date_ts"}))
    df.index = pd.DatetimeIndex(_timestamps([r["__date_ts"] for r in records], numeric=True))
    df.index.name = "date"
    df.attrs.update({k: v for k, v in payload.items() if k not in ("columns", "data")})
    return df


def logs_frame(payload: Mapping[str, Any]) -> pd.DataFrame:
    """``/logs`` → one row per record (``[date, ts_ms, logger, level, message]``).

    ``token=...`` values in the messages are masked (:func:`ftnotebook.settings.mask_tokens`).
    """
    rows = payload.get("logs") or []
    records = [
        {"date": r[1], "logger": r[2], "level": r[3], "message": _masked(r[4])} for r in rows
    ]
    return records_frame(records, SCHEMAS["logs"])


def _masked(message: Any) -> Any:
    return mask_tokens(message) if isinstance(message, str) else message


def stats_frame(payload: Mapping[str, Any]) -> pd.DataFrame:
    """``/stats`` → wins/losses/draws per exit reason; ``attrs['durations']`` as Timedelta."""
    reasons = payload.get("exit_reasons") or {}
    df = records_frame(list(reasons.values()), SCHEMAS["stats"])
    df.index = pd.Index(list(reasons), dtype="string", name="exit_reason")
    durations = payload.get("durations") or {}
    df.attrs["durations"] = {
        k: (pd.NaT if v is None else pd.Timedelta(seconds=v)) for k, v in durations.items()
    }
    return df
