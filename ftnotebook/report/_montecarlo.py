"""Monte Carlo of the trade order: how lucky was this equity curve?

:func:`monte_carlo` redraws the sequence of closed trades many times and reports the
spread of the resulting balance curves (5th/50th/95th percentile at each trade number)
and of their maximum drawdowns.

Trades that overlap in time are **not independent**: they were opened under the same
market conditions and often close together (a crash stops out every open position at
once). Shuffling single trades would break those clusters apart and understate the
risk. So the trades are first cut into *blocks*: a block is a run of trades (in
``open_date`` order) whose holding periods overlap, chained; a new block starts at a
trade opened after every earlier trade has closed. Whole blocks are then resampled:

* ``method="bootstrap"`` (default) draws blocks with replacement until the path has as
  many trades as the original: final balances vary, drawdowns too;
* ``method="shuffle"`` permutes the blocks: every path ends at the same balance, only
  the order (hence the drawdowns) changes.

A bot that always holds a trade has one such chain, so ``block="auto"`` (default)
falls back to calendar blocks when chains give fewer than 30 blocks: trades opened in
the same window share a block, the window being twice the median holding time (at least
one day). Only the overlaps that cross a window edge are cut. ``block="overlap"`` forces
chains, ``block="1D"`` (any pandas frequency) forces windows.
:attr:`MonteCarlo.blocks` says how many blocks there were and ``block_rule`` which rule.

Cost: trade by trade, a path is one pass over every trade (20,000 trades x 1,000 paths is
20 million balances). Beyond ``exact_cells`` (paths x trades, 2 million by default) the
paths are walked block by block instead, from five figures per block (its length, sum,
lowest and highest running sum, and its worst internal drawdown with the peak it fell
from): every block's balance and the running peak are exact, a trough below an earlier
peak is exact, and a drawdown that starts from a peak made inside the block is taken at
the block's worst absolute one (its relative size is off only by the few-percent drift
of the balance it is divided by). A bootstrapped path then ends with the block that
reaches the original trade count, and the bands are interpolated between block ends.
:attr:`MonteCarlo.exact` says which walk ran.

>>> mc = monte_carlo(closed, starting_balance=1000, paths=1000, seed=42)
>>> mc.bands.iloc[-1], np.percentile(mc.max_drawdown, 95)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["MonteCarlo", "monte_carlo", "trade_blocks"]

_CHUNK_CELLS = 2_000_000
"""Paths are simulated in chunks of at most this many (path, trade) cells."""


@dataclass(frozen=True)
class MonteCarlo:
    """The outcome of :func:`monte_carlo`.

    Attributes:
        bands: balance (stake currency) at each trade number of ``grid``, columns
            ``p5``, ``p50``, ``p95`` and ``original``, indexed by trade number.
        max_drawdown: each path's maximum drawdown, a ratio of the running peak balance.
        final_balance: each path's final balance.
        blocks: how many blocks of overlapping trades were resampled.
        block_rule: ``"overlap"`` or the window frequency used (``"2D"`` ...).
        paths, seed, method: as passed.
    """

    bands: pd.DataFrame
    max_drawdown: np.ndarray
    final_balance: np.ndarray
    blocks: int
    paths: int
    seed: int | None
    method: str
    block_rule: str = "overlap"
    exact: bool = True


MIN_BLOCKS = 30
"""``block="auto"`` uses calendar windows when overlap chains give fewer blocks."""


def trade_blocks(trades: pd.DataFrame, block: str = "auto") -> tuple[np.ndarray, str]:
    """Block number of each trade and the rule used (see the module docstring)."""
    if block not in ("auto", "overlap"):
        try:
            step = pd.Timedelta(block)
        except ValueError as exc:
            raise ValueError(
                f"block must be 'auto', 'overlap' or a frequency such as '1D', got {block!r}"
            ) from exc
        return _window_blocks(trades, step), block
    chains = _overlap_blocks(trades)
    if block == "overlap" or len(chains) == 0 or chains.max() + 1 >= MIN_BLOCKS:
        return chains, "overlap"
    held = pd.to_datetime(trades["close_date"], utc=True) - pd.to_datetime(
        trades["open_date"], utc=True
    )
    days = max(1, int(np.ceil(2 * held.median() / pd.Timedelta(days=1))))
    return _window_blocks(trades, pd.Timedelta(days=days)), f"{days}D"


def _window_blocks(trades: pd.DataFrame, step: pd.Timedelta) -> np.ndarray:
    opened = pd.to_datetime(trades["open_date"], utc=True)
    window = ((opened - opened.min()) // step).to_numpy(dtype="int64")
    _, blocks = np.unique(window, return_inverse=True)
    return blocks.astype(np.int64)


def _overlap_blocks(trades: pd.DataFrame) -> np.ndarray:
    """Consecutive trades (in ``open_date`` order) whose holding periods overlap share a
    block."""
    if len(trades) == 0:
        return np.zeros(0, dtype=np.int64)
    opened = pd.to_datetime(trades["open_date"], utc=True).to_numpy("datetime64[ns]")
    closed = pd.to_datetime(trades["close_date"], utc=True).to_numpy("datetime64[ns]")
    o = opened.astype("int64")
    c = np.maximum(closed.astype("int64"), o)
    order = np.argsort(o, kind="stable")
    run_end = np.maximum.accumulate(c[order])
    new = np.concatenate([[True], o[order][1:] >= run_end[:-1]])
    blocks = np.empty(len(o), dtype=np.int64)
    blocks[order] = np.cumsum(new) - 1
    return blocks


def monte_carlo(
    trades: pd.DataFrame,
    *,
    starting_balance: float,
    paths: int = 1000,
    seed: int | None = 42,
    method: str = "bootstrap",
    block: str = "auto",
    points: int = 200,
    value_col: str = "profit_abs",
    exact_cells: int = 2_000_000,
) -> MonteCarlo:
    """Resample blocks of overlapping trades ``paths`` times (see the module docstring).

    Args:
        trades: closed trades with ``open_date``, ``close_date`` and ``value_col``.
        starting_balance: the balance every path starts from.
        paths: how many paths (1,000 by default).
        seed: the random seed (the same seed gives the same paths); None for fresh
            randomness.
        method: ``"bootstrap"`` (blocks with replacement) or ``"shuffle"``.
        block: ``"auto"``, ``"overlap"`` or a window frequency (``"1D"``).
        points: trade numbers at which the bands are kept (evenly spaced).
        exact_cells: walk trade by trade up to this many paths x trades, block by block
            beyond (see the module docstring); 0 forces blocks, a huge number trades.

    Raises:
        ValueError: no trades, ``paths`` < 1, or an unknown ``method``.
    """
    if method not in ("bootstrap", "shuffle"):
        raise ValueError(f"method must be 'bootstrap' or 'shuffle', got {method!r}")
    if isinstance(paths, bool) or not isinstance(paths, int) or paths < 1:
        raise ValueError(f"paths must be a positive int, got {paths!r}")
    if starting_balance <= 0:
        raise ValueError(f"starting_balance must be positive, got {starting_balance!r}")
    if len(trades) == 0:
        raise ValueError("trades is empty: a Monte Carlo needs at least one closed trade")
    blocks, rule = trade_blocks(trades, block)
    # within a block, trades keep their close order
    frame = pd.DataFrame(
        {
            "block": blocks,
            "close": pd.to_datetime(trades["close_date"], utc=True).to_numpy("datetime64[ns]"),
            "profit": trades[value_col].to_numpy(dtype="float64"),
        }
    ).sort_values(["block", "close"], kind="stable")
    profit = frame["profit"].to_numpy()
    n = len(profit)
    lengths = np.bincount(frame["block"].to_numpy())
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    nb = len(lengths)
    grid = np.unique(np.linspace(0, n, num=min(points, n) + 1).round().astype(np.int64))
    rng = np.random.default_rng(seed)
    chunk = max(1, _CHUNK_CELLS // max(n, 1))
    at_grid = np.empty((paths, len(grid)))
    max_dd = np.empty(paths)
    final = np.empty(paths)
    done = 0
    exact = paths * n <= exact_cells
    if not exact:
        stats = _block_stats(profit, lengths, starts)
        order = _draw(rng, paths, nb, lengths, n, method)
        at_grid, max_dd, final = _walk_blocks(order, stats, lengths, n, starting_balance, grid)
        done = paths
    while done < paths:
        size = min(chunk, paths - done)
        order = _draw(rng, size, nb, lengths, n, method)
        balance = _balances(order, lengths, starts, profit, n, starting_balance)  # (n, size)
        final[done : done + size] = balance[-1]
        at_grid[done : done + size, 1:] = balance[grid[1:] - 1].T
        at_grid[done : done + size, 0] = starting_balance
        peak = np.maximum.accumulate(balance, axis=0)
        np.maximum(peak, starting_balance, out=peak)
        np.divide(balance, peak, out=balance)
        max_dd[done : done + size] = np.maximum(1.0 - balance.min(axis=0), 0.0)
        done += size
    original = starting_balance + np.concatenate([[0.0], np.cumsum(_original(trades, value_col))])
    bands = pd.DataFrame(
        {
            "p5": np.percentile(at_grid, 5, axis=0),
            "p50": np.percentile(at_grid, 50, axis=0),
            "p95": np.percentile(at_grid, 95, axis=0),
            "original": original[grid],
        },
        index=pd.Index(grid, name="trade"),
    )
    return MonteCarlo(bands, max_dd, final, nb, paths, seed, method, rule, exact)


def _block_stats(profit: np.ndarray, lengths: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per block: sum, lowest and highest running sum, worst internal drawdown (from a
    peak made inside the block) and that peak's running sum; shape (blocks, 5)."""
    block_of = np.repeat(np.arange(len(lengths)), lengths)
    running = np.cumsum(profit)
    before = np.concatenate([[0.0], running])[starts]
    within = running - before[block_of]
    # running maximum that restarts at every block: offset each block above the last
    span = float(np.abs(within).max() + 1.0) * 2
    lifted = within + block_of * span
    peak = np.maximum.accumulate(lifted) - block_of * span
    drop = peak - within
    ends = starts + lengths - 1
    total = within[ends]
    lowest = np.minimum.reduceat(within, starts)
    highest = np.maximum.reduceat(within, starts)
    order = np.lexsort((-drop, block_of))
    first = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    worst_at = order[first]
    return np.stack([total, lowest, highest, drop[worst_at], peak[worst_at]], axis=1)


def _walk_blocks(
    order: np.ndarray,
    stats: np.ndarray,
    lengths: np.ndarray,
    n: int,
    start: float,
    grid: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bands at ``grid``, max drawdowns and final balances of paths walked by block."""
    lens = lengths[order]
    count = np.cumsum(lens, axis=1)
    active = (count - lens) < n  # the block starts before the original trade count
    s = stats[order]
    total = np.where(active, s[..., 0], 0.0)
    after = start + np.cumsum(total, axis=1)
    before = after - total
    high = np.where(active, before + s[..., 2], -np.inf)
    prior = np.maximum.accumulate(np.concatenate([np.full((len(order), 1), start), high], 1), 1)
    peak_before = np.maximum(prior[:, :-1], start)
    below = 1.0 - (before + s[..., 1]) / peak_before
    inside = s[..., 3] / (before + s[..., 4])
    dd = np.where(active, np.maximum(below, inside), 0.0)
    max_dd = np.maximum(dd.max(axis=1), 0.0)
    final = after[:, -1]
    x = np.concatenate([np.zeros((len(order), 1)), np.where(active, count, n)], axis=1)
    y = np.concatenate([np.full((len(order), 1), start), after], axis=1)
    at_grid = np.stack([np.interp(grid, xi, yi) for xi, yi in zip(x, y, strict=True)])
    return at_grid, max_dd, final


def _original(trades: pd.DataFrame, value_col: str) -> np.ndarray:
    order = np.argsort(
        pd.to_datetime(trades["close_date"], utc=True).to_numpy("datetime64[ns]"), kind="stable"
    )
    return trades[value_col].to_numpy(dtype="float64")[order]


def _draw(
    rng: np.random.Generator, size: int, nb: int, lengths: np.ndarray, n: int, method: str
) -> np.ndarray:
    """Block ids per path, (size, m): enough blocks to cover ``n`` trades."""
    if method == "shuffle":
        return np.argsort(rng.random((size, nb)), axis=1)
    m = int(np.ceil(n / lengths.mean() * 1.25)) + 8
    order = rng.integers(0, nb, size=(size, m))
    while (lengths[order].sum(axis=1) < n).any():
        order = np.concatenate([order, rng.integers(0, nb, size=(size, m))], axis=1)
    return order


def _balances(
    order: np.ndarray,
    lengths: np.ndarray,
    starts: np.ndarray,
    profit: np.ndarray,
    n: int,
    starting_balance: float,
) -> np.ndarray:
    """Balance after each of the first ``n`` trades of each path, (n, paths): trades
    down the rows, so the running sums run over contiguous memory."""
    lens = lengths[order].ravel()
    offsets = np.cumsum(lens) - lens
    total = int(lens.sum())
    flat = np.arange(total) - np.repeat(offsets - starts[order].ravel(), lens)
    row_start = np.concatenate([[0], np.cumsum(lengths[order].sum(axis=1))[:-1]])
    balance: np.ndarray = profit[flat[row_start[None, :] + np.arange(n)[:, None]]]
    np.cumsum(balance, axis=0, out=balance)
    balance += starting_balance
    return balance
