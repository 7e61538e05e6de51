"""Long histories: the arrays behind every candle-chart trace, full detail or aggregated.

What the measurement said (``bench/bench_plots.py``, 500,000 1m candles, 5 indicators):
the cost of a big candle chart is the payload and the browser, not Python. freqtrade's
figure is ~134 MB of JSON, most of it ISO date strings repeated in every trace; WebGL
traces do not shrink that, and even float32 binary arrays for 500,000 points × 10 series
stay far above a few MB. So ftnotebook draws at most ``max_candles`` buckets per chart:

* x is epoch milliseconds as ``float64`` (sent as one binary array per trace, 8 bytes a
  point instead of ~30 for an ISO string), on a ``type="date"`` axis;
* candles are merged per bucket exactly like a higher timeframe (first open, max high,
  min low, last close), so no wick is lost;
* indicator lines and bars keep the minimum *and* maximum of every two buckets, in time
  order (M4-style), so spikes survive and a line has no more points than the candles;
* volume is summed per bucket;
* signals, trades and annotations are sparse and always drawn at full precision.

A :func:`~ftnotebook.plots.candle_widget` (a ``FigureWidget``) re-runs this on every zoom
for the visible window, so a window of ``max_candles`` candles or fewer (a day of 1m
candles) shows every single candle. Every trace built from a source carries its recipe in
``trace.meta["ftnb"]`` (``["ohlc", o, h, l, c]``, ``["line", col]``, ``["sum", col]``), so
the widget knows how to refill it.

Example (``df`` holds 500,000 candles)::

    src = CandleSource(df, max_candles=2000)
    src.aggregated, src.step            # (True, 250)
    x, y = src.line("ema_fast")         # the min and max of every two buckets
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["CandleSource", "epoch_ms", "to_epoch_ms"]

FloatArray = npt.NDArray[np.float64]


def epoch_ms(index: pd.DatetimeIndex) -> FloatArray:
    """A DatetimeIndex as float64 milliseconds since the epoch (exact for ms timestamps)."""
    idx = index if index.tz is not None else index.tz_localize("UTC")
    return np.asarray(idx.as_unit("ms").asi8, dtype=np.float64)


def to_epoch_ms(value: Any) -> float:
    """One axis bound (number in ms, ISO string, datetime or Timestamp) as epoch ms."""
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    ts = pd.Timestamp(value)
    if ts.tzinfo is None:
        ts = ts.tz_localize("UTC")
    return float(ts.value) / 1e6  # Timestamp.value is always in ns


class CandleSource:
    """The x/y arrays of one candle frame between ``start`` and ``end``, within a budget.

    ``frame`` has a tz-aware DatetimeIndex; ``start``/``end`` are epoch ms (or None for
    the frame's ends). When the window holds more than ``max_candles`` rows, rows are
    grouped in buckets of ``step`` consecutive candles; :attr:`aggregated` says so.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        max_candles: int,
        start: float | None = None,
        end: float | None = None,
    ) -> None:
        if max_candles < 10:
            raise ValueError(f"max_candles must be >= 10, got {max_candles!r}")
        self.frame = frame
        all_x = epoch_ms(pd.DatetimeIndex(frame.index))
        lo = 0 if start is None else int(np.searchsorted(all_x, start, side="left"))
        hi = len(all_x) if end is None else int(np.searchsorted(all_x, end, side="right"))
        # One candle of margin each side, so the edges of a zoomed window are drawn.
        lo, hi = max(lo - 1, 0), min(hi + 1, len(all_x))
        self._lo, self._hi = lo, hi
        self.x = all_x[lo:hi]
        self.n = hi - lo
        self.step = max(1, -(-self.n // max_candles))
        self.starts = np.arange(0, self.n, self.step)

    @property
    def aggregated(self) -> bool:
        """True when each drawn point stands for more than one candle."""
        return self.step > 1

    def values(self, column: str) -> FloatArray:
        """The window of ``column`` as float64 (NA → NaN)."""
        col = self.frame[column].iloc[self._lo : self._hi]
        return np.asarray(col.to_numpy(dtype="float64", na_value=np.nan), dtype=np.float64)

    def ohlc(self, columns: Sequence[str]) -> dict[str, FloatArray]:
        """Candle arrays ``x, open, high, low, close``; merged per bucket when aggregated."""
        o, h, lo, c = (self.values(col) for col in columns)
        if not self.aggregated or self.n == 0:
            return {"x": self.x, "open": o, "high": h, "low": lo, "close": c}
        ends = np.minimum(self.starts + self.step, self.n) - 1
        return {
            "x": self.x[self.starts],
            "open": o[self.starts],
            "high": np.fmax.reduceat(h, self.starts),
            "low": np.fmin.reduceat(lo, self.starts),
            "close": c[ends],
        }

    def line(self, column: str) -> tuple[FloatArray, FloatArray]:
        """``(x, y)`` of ``column``; when aggregated, the min and max (in time order) of
        each pair of buckets, so a line holds no more points than the candles."""
        y = self.values(column)
        if not self.aggregated or self.n == 0:
            return self.x, y
        s = 2 * self.step
        k = -(-self.n // s)
        padded = np.full(k * s, np.nan)
        padded[: self.n] = y
        grid = padded.reshape(k, s)
        empty = np.isnan(grid).all(axis=1)
        amin = np.where(np.isnan(grid), np.inf, grid).argmin(axis=1)
        amax = np.where(np.isnan(grid), -np.inf, grid).argmax(axis=1)
        base = np.arange(0, self.n, s)
        first = base + np.minimum(amin, amax)
        second = base + np.maximum(amin, amax)
        pos = np.column_stack([first, second]).ravel()
        out_y = y[pos]
        out_y[np.repeat(empty, 2)] = np.nan
        return self.x[pos], out_y

    def total(self, column: str) -> tuple[FloatArray, FloatArray]:
        """``(x, y)`` of ``column`` summed per bucket (for volume)."""
        y = self.values(column)
        if not self.aggregated or self.n == 0:
            return self.x, y
        return self.x[self.starts], np.add.reduceat(np.nan_to_num(y), self.starts)

    @property
    def ends(self) -> npt.NDArray[np.intp]:
        """Index (in the window) of each bucket's last candle."""
        return np.minimum(self.starts + self.step, self.n) - 1

    def at_close(self, column: str) -> FloatArray:
        """``column`` at each bucket's last candle (each candle's value at full detail)."""
        y = self.values(column)
        if not self.aggregated or self.n == 0:
            return y
        return y[self.ends]

    def hover_table(self, columns: Sequence[str], *, summed: Sequence[str] = ()) -> FloatArray:
        """A ``(points, len(columns))`` array for a candle hover: ``summed`` columns summed
        per bucket (volume), the others at the bucket's last candle."""
        cols = [self.total(c)[1] if c in summed else self.at_close(c) for c in columns]
        if not cols:
            return np.empty((len(self.starts), 0))
        return np.column_stack(cols).astype(np.float64)

    def bucket_of(self, times_ms: FloatArray, candle_ms: float) -> npt.NDArray[np.intp]:
        """The bucket (a candle at full detail) each time falls in; -1 outside the window.

        A candle is drawn centred on its open time, so it covers half a candle either
        side; a time past the last candle's half (a trade opened after it) is outside.
        """
        times = np.asarray(times_ms, dtype=np.float64)
        if self.n == 0:
            return np.full(times.shape, -1, dtype=np.intp)
        half = candle_ms / 2
        pos = np.searchsorted(self.x, times + half, side="right") - 1
        out = (np.maximum(pos, 0) // self.step).astype(np.intp)
        out[(pos < 0) | (times >= self.x[-1] + half)] = -1
        return out

    def arrays(self, recipe: Sequence[str]) -> dict[str, FloatArray]:
        """The trace properties for a ``meta["ftnb"]`` recipe (see the module docstring)."""
        kind, *cols = recipe
        if kind == "ohlc":
            return self.ohlc(cols)
        if kind == "line":
            x, y = self.line(cols[0])
        elif kind == "sum":
            x, y = self.total(cols[0])
        else:
            raise ValueError(f"unknown trace recipe {kind!r}; expected 'ohlc', 'line' or 'sum'")
        return {"x": x, "y": y}
