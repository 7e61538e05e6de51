"""The candle frame a chart draws: checks, the UTC index, the window, precision, currencies.

Pure helpers shared by every candle-chart builder; nothing here draws.

>>> quote_currency("BTC/USDT:USDT"), base_currency("BTC/USDT:USDT")
('USDT', 'BTC')
>>> price_decimals(pd.Series([79568.65, 79570.1, 79571.0]))
2
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "HA_COLUMNS",
    "OHLC",
    "base_currency",
    "candle_step_ms",
    "date_str",
    "prepare",
    "price_decimals",
    "price_format",
    "quote_currency",
    "require",
    "utc",
    "utc_or_none",
]

OHLC = ("open", "high", "low", "close")
HA_COLUMNS = ("ha_open", "ha_high", "ha_low", "ha_close")

_TIMEFRAME_MS = {"s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}


def require(df: object, columns: Iterable[str], arg: str) -> None:
    """Raise ``ValueError`` unless ``df`` is a DataFrame holding ``columns``."""
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{arg} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{arg} lacks the column(s) {missing}; it has {list(df.columns)[:20]}")


def prepare(df: object) -> pd.DataFrame:
    """The candle frame with a sorted tz-aware (UTC) DatetimeIndex (a ``date`` column works)."""
    require(df, (*OHLC, "volume"), "data")
    assert isinstance(df, pd.DataFrame)
    frame = df
    if not isinstance(frame.index, pd.DatetimeIndex):
        if "date" in frame.columns:
            frame = frame.set_index(pd.DatetimeIndex(pd.to_datetime(frame["date"], utc=True)))
        else:
            raise ValueError(
                "data must have a DatetimeIndex (as ftnotebook.frames gives) or a 'date' "
                f"column; got index {type(frame.index).__name__}"
            )
    if pd.DatetimeIndex(frame.index).tz is None:
        frame = frame.tz_localize("UTC")
    if not frame.index.is_monotonic_increasing:
        frame = frame.sort_index()
    return frame


def utc(values: Any) -> pd.Series:
    """Values as a tz-aware UTC datetime Series."""
    return pd.Series(pd.to_datetime(values, utc=True), copy=False)


def utc_or_none(value: Any) -> pd.Timestamp | None:
    """A bound as a tz-aware UTC Timestamp (naive values are taken as UTC)."""
    if value is None:
        return None
    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def date_str(value: Any) -> str:
    """A time as plotly's date string (UTC, milliseconds)."""
    ts = pd.Timestamp(value)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return ts.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def candle_step_ms(frame: pd.DataFrame) -> float:
    """One candle's length in ms: from ``attrs['timeframe']``, else the median spacing."""
    tf = str(frame.attrs.get("timeframe") or "")
    if len(tf) > 1 and tf[:-1].isdigit() and tf[-1] in _TIMEFRAME_MS:
        return float(int(tf[:-1]) * _TIMEFRAME_MS[tf[-1]])
    if len(frame) > 1:
        idx = pd.DatetimeIndex(frame.index)
        return float(np.median(np.diff(idx.as_unit("ms").asi8)))
    return 60_000.0


def price_decimals(values: Any, *, most: int = 8) -> int:
    """The fewest decimals that write every price in ``values`` exactly (the data's tick).

    Used when the bot's markets give no precision (``/markets`` carries none): prices
    on an exchange are multiples of the tick size, so the data shows it.
    """
    arr = np.asarray(values, dtype="float64").ravel()
    arr = arr[np.isfinite(arr)]
    if arr.size == 0:
        return 2
    if arr.size > 2000:
        arr = arr[np.linspace(0, arr.size - 1, 2000).astype(int)]
    scale = np.maximum(np.abs(arr), 1.0)
    for d in range(most + 1):
        if np.all(np.abs(np.round(arr, d) - arr) <= 1e-9 * scale):
            return d
    return most


def price_format(decimals: int) -> str:
    """The d3 format of a price with ``decimals`` (thousands separated, never SI "k")."""
    return f",.{max(0, int(decimals))}f"


def quote_currency(pair: object) -> str | None:
    """``"BTC/USDT:USDT"`` → ``"USDT"``; None when ``pair`` is not a pair."""
    if not isinstance(pair, str) or "/" not in pair:
        return None
    return pair.split("/", 1)[1].split(":", 1)[0] or None


def base_currency(pair: object) -> str | None:
    """``"BTC/USDT"`` → ``"BTC"``; None when ``pair`` is not a pair."""
    if not isinstance(pair, str) or "/" not in pair:
        return None
    return pair.split("/", 1)[0] or None


def add_to_row(fig: Any, trace: Any, row: int) -> None:
    """``fig.add_trace(trace)`` on ``row`` of a subplot grid, or plainly on a lone figure."""
    if getattr(fig, "_grid_ref", None) is None:
        fig.add_trace(trace)
    else:
        fig.add_trace(trace, row=row, col=1)
