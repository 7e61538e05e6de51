"""The columns of every ftnotebook DataFrame, in one table: name, dtype, one-line meaning.

Each frame built by :mod:`ftnotebook.frames` has a :class:`FrameSchema` here, looked up
by name in :data:`SCHEMAS`. The conventions are the same everywhere:

* timestamps are tz-aware UTC (``datetime64[ms, UTC]``), durations ``timedelta64[ms]``;
* money, rates and ratios are ``float64``; counts that may be missing are ``Int64``;
* ``pair``, ``exit_reason``, ``enter_tag`` (and other low-cardinality labels) are
  ``category``; free text is pandas ``string``;
* an empty response gives an empty frame with the same columns and dtypes
  (:meth:`FrameSchema.empty`);
* a column the server adds in a later version is kept after the schema's columns, with
  the dtype pandas infers; a schema column missing from the response raises
  :class:`SchemaError` naming the route and the column.

>>> SCHEMAS["trades"].dtypes()["profit_abs"]
'float64'
>>> SCHEMAS["daily"].empty().index.dtype
datetime64[ms, UTC]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ftnotebook.exceptions import FtNotebookError

__all__ = [
    "CANDLE_OHLCV",
    "CANDLE_SIGNALS",
    "CANDLE_TAGS",
    "SCHEMAS",
    "Column",
    "FrameSchema",
    "SchemaError",
]

TS = "datetime64[ms, UTC]"
TD = "timedelta64[ms]"
F = "float64"
I = "Int64"  # noqa: E741
B = "bool"
S = "string"
C = "category"
O = "object"  # noqa: E741


class SchemaError(FtNotebookError):
    """A response lacks a column (or key) its frame needs.

    ``route`` is the API route, ``column`` the missing or malformed column.
    """

    def __init__(self, route: str, column: str, detail: str = "") -> None:
        self.route = route
        self.column = column
        self.detail = detail
        msg = f"/{route.lstrip('/')}: column {column!r} is missing or malformed"
        super().__init__(f"{msg}: {detail}" if detail else msg)


@dataclass(frozen=True)
class Column:
    """One column: ``name``, pandas ``dtype`` string and a one-line ``meaning``."""

    name: str
    dtype: str
    meaning: str


@dataclass(frozen=True)
class FrameSchema:
    """The columns of one frame, the route it comes from, and its index (if any)."""

    name: str
    route: str
    columns: tuple[Column, ...]
    index: Column | None = None
    doc: str = ""

    def __iter__(self) -> Iterator[Column]:
        return iter(self.columns)

    @property
    def names(self) -> list[str]:
        """Column names in order (the index excluded)."""
        return [c.name for c in self.columns]

    def dtypes(self) -> dict[str, str]:
        """``{column: dtype}`` for the columns (the index excluded)."""
        return {c.name: c.dtype for c in self.columns}

    def empty(self) -> pd.DataFrame:
        """A frame with no rows and exactly these columns, dtypes and index."""
        data = {c.name: pd.Series([], dtype=_dtype(c.dtype)) for c in self.columns}
        index: Any = None
        if self.index is not None:
            index = pd.Index([], dtype=_dtype(self.index.dtype), name=self.index.name)
        return pd.DataFrame(data, index=index)

    def to_frame(self) -> pd.DataFrame:
        """The table itself as a DataFrame (column, dtype, meaning), for a notebook."""
        rows = [(c.name, c.dtype, c.meaning) for c in self.columns]
        if self.index is not None:
            rows.insert(0, (f"{self.index.name} (index)", self.index.dtype, self.index.meaning))
        return pd.DataFrame(rows, columns=["column", "dtype", "meaning"])

    def _repr_html_(self) -> str:
        head = f"<b>{self.name}</b> from <code>/{self.route}</code>"
        return head + self.to_frame().to_html(index=False)


def _dtype(name: str) -> Any:
    return pd.CategoricalDtype() if name == C else name


def _cols(*spec: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in spec)


# ----------------------------------------------------------------------------- candles

CANDLE_OHLCV = ("open", "high", "low", "close", "volume")
CANDLE_SIGNALS = ("enter_long", "exit_long", "enter_short", "exit_short")
CANDLE_TAGS = ("enter_tag", "exit_tag")

CANDLES = FrameSchema(
    "candles",
    "pair_candles",
    _cols(
        ("open", F, "candle open price"),
        ("high", F, "candle high price"),
        ("low", F, "candle low price"),
        ("close", F, "candle close price"),
        ("volume", F, "candle volume in base currency"),
        ("enter_long", B, "the strategy signals a long entry on this candle"),
        ("exit_long", B, "the strategy signals a long exit on this candle"),
        ("enter_short", B, "the strategy signals a short entry on this candle"),
        ("exit_short", B, "the strategy signals a short exit on this candle"),
        ("enter_tag", S, "entry tag set with the signal (NA when none)"),
        ("exit_tag", S, "exit tag set with the signal (NA when none)"),
    ),
    index=Column("date", TS, "candle open time"),
    doc="Plus every indicator column of the strategy (float64, or string when not numeric) "
    "and freqtrade's _<signal>_signal_close columns (close price where the signal is set).",
)

SCHEMAS: dict[str, FrameSchema] = {s.name: s for s in (CANDLES,)}
"""Every frame's schema, by frame name."""
