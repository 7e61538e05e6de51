"""Profit, drawdown and risk figures over the trades frame, with freqtrade's own formulas.

Pure functions: a frame in, a value (or a new frame) out; the input is never modified.
Column names are keyword arguments with freqtrade's defaults (``date_col="close_date"``,
``value_col="profit_abs"``; :func:`underwater` is the one exception, see there).
The formulas are those of ``freqtrade/data/metrics.py`` and
of ``RPC._rpc_trade_statistics`` (``/profit``), so :func:`profit_summary` over
``TradeHistory(client).frame(include_open=True)`` gives the bot's own ``/profit`` figures
without asking the bot to compute them.

Three rules hold in every function here:

- **Ties are ordered as freqtrade orders them.** freqtrade sorts the trades by date with
  pandas' default (unstable) sort, so trades that close on the same date are summed in an
  order that depends on the input rows. Drawdowns (and so ``calmar``) depend on that order;
  :func:`_freqtrade_order` does the very same sort, so the same frame gives freqtrade's
  figure. ``/profit`` feeds its metrics the closed trades in ``trade_id`` order, and so do
  :func:`closed` and :func:`profit_summary`.
- **Open trades are skipped**, as freqtrade skips them (their closed profit is NaN, and
  ``/profit`` builds its metrics frame from closed trades only): a row with ``is_open``
  True, or without a ``close_date``, counts in no closed-trade figure. Only
  :func:`profit_summary`'s ``profit_all_*`` and the span of the ratios use them.
- **A missing column** raises a ``ValueError`` that names it.

The win rule is freqtrade's, per figure (:func:`wins`): ``/profit`` counts a trade with
``profit_ratio >= 0`` as winning (:func:`winrate`, :func:`profit_factor`,
:func:`profit_summary`); freqtrade's backtest tables count ``profit_abs > 0`` as a win,
``== 0`` as a draw (:func:`pair_summary`, :func:`tag_summary`, like ``/stats``).

>>> from ftnotebook import FtClient, TradeHistory, metrics
>>> trades = TradeHistory(FtClient.from_env()).frame()
>>> closed = metrics.closed(trades)
>>> metrics.max_drawdown(closed, starting_balance=1000).relative
>>> metrics.sharpe(closed, starting_balance=1000)
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = [
    "DrawDown",
    "cagr",
    "calmar",
    "closed",
    "cumulative_profit",
    "daily_returns",
    "expectancy",
    "max_drawdown",
    "pair_summary",
    "profit_factor",
    "profit_summary",
    "profit_summary_by_side",
    "sharpe",
    "side_summary",
    "sortino",
    "sqn",
    "tag_summary",
    "trade_parallelism",
    "underwater",
    "winrate",
    "wins",
]

WinRule = Literal["profit", "backtest"]
"""Which of freqtrade's win rules :func:`wins` applies: ``"profit"`` is ``/profit``'s
(``profit_ratio >= 0`` wins, everything else loses), ``"backtest"`` that of freqtrade's
backtest tables and ``/stats`` (``> 0`` wins, ``== 0`` draws, ``< 0`` loses)."""


def _need(df: pd.DataFrame, *cols: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"trades must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(
            f"trades lacks column(s) {missing}; it has {list(df.columns)[:10]}... "
            "(pass date_col=/value_col= to use other columns)"
        )


def _closed_mask(trades: pd.DataFrame, date_col: str) -> pd.Series:
    """True for the rows freqtrade counts as closed: a ``date_col`` and not ``is_open``."""
    mask = trades[date_col].notna()
    if "is_open" in trades.columns:
        mask &= ~trades["is_open"].fillna(False).astype(bool)
    return mask


def _only_closed(trades: pd.DataFrame, date_col: str = "close_date") -> pd.DataFrame:
    """``trades`` without its open rows (freqtrade skips them: their profit is NaN)."""
    if date_col not in trades.columns:
        return trades
    mask = _closed_mask(trades, date_col)
    return trades if bool(mask.all()) else trades.loc[mask]


def _freqtrade_order(trades: pd.DataFrame, date_col: str) -> pd.DataFrame:
    """``trades`` sorted by ``date_col`` exactly as freqtrade sorts them, index reset.

    freqtrade's ``calculate_underwater``/``calculate_max_drawdown`` call
    ``trades.sort_values(date_col)``: pandas' default quicksort, which is not stable, so
    rows with equal dates come out in an order that depends on the input order. A stable
    sort gives another cumulative path through the ties, and another drawdown (8 trades
    at +10 and then 9 at -10 on one close date: freqtrade 80, a stable sort 90). The same
    call on the same rows gives freqtrade's order.
    """
    return trades.sort_values(date_col).reset_index(drop=True)


def wins(
    trades: pd.DataFrame, *, rule: WinRule = "profit", value_col: str | None = None
) -> pd.Series:
    """Boolean Series, True for the winning trades under freqtrade's ``rule``.

    ``rule="profit"`` (``/profit``, :func:`winrate`, :func:`profit_factor`):
    ``profit_ratio >= 0`` wins. ``rule="backtest"`` (freqtrade's backtest tables,
    :func:`pair_summary`, :func:`tag_summary`): ``profit_abs > 0`` wins, ``== 0`` is a draw
    and ``< 0`` a loss. ``value_col`` overrides the column the rule reads.

    Example: ``wins(closed(trades)).mean() == winrate(closed(trades))``.
    """
    if rule not in ("profit", "backtest"):
        raise ValueError(f"rule must be 'profit' or 'backtest', got {rule!r}")
    col = value_col or ("profit_ratio" if rule == "profit" else "profit_abs")
    _need(trades, col)
    values = trades[col]
    out = values >= 0 if rule == "profit" else values > 0
    return out.rename("win")


def closed(trades: pd.DataFrame) -> pd.DataFrame:
    """Only the closed trades (``is_open`` False and a ``close_date``).

    In ``trade_id`` order when the frame has one (the order ``/profit`` hands its closed
    trades to freqtrade's metrics, so ties on a close date give the bot's figures), else
    in the input's order. Metrics sort by date themselves, as freqtrade does.
    """
    _need(trades, "close_date")
    out = trades.loc[_closed_mask(trades, "close_date")]
    return out.sort_values("trade_id", kind="stable") if "trade_id" in out.columns else out


def cumulative_profit(
    trades: pd.DataFrame, *, date_col: str = "close_date", value_col: str = "profit_abs"
) -> pd.Series:
    """Running sum of ``value_col`` indexed by ``date_col`` (closed trades, in close order).

    Open trades are skipped; ties are ordered as freqtrade orders them, so the values are
    :func:`underwater`'s ``cumulative`` column.
    """
    _need(trades, date_col, value_col)
    df = _freqtrade_order(_only_closed(trades, date_col), date_col)
    return pd.Series(
        df[value_col].cumsum().to_numpy(), index=pd.Index(df[date_col]), name="cumulative_profit"
    )


def underwater(
    trades: pd.DataFrame,
    *,
    date_col: str = "close_date",
    value_col: str = "profit_abs",
    starting_balance: float = 0.0,
) -> pd.DataFrame:
    """The drawdown series (freqtrade ``calculate_underwater``): one row per closed trade
    plus a leading zero row, columns ``cumulative``, ``high_value``, ``drawdown``,
    ``drawdown_relative`` and ``date``.

    **Default column differs from freqtrade's.** ``calculate_underwater`` defaults to
    ``value_col="profit_ratio"`` (a sum of per-trade ratios); this one defaults to
    ``profit_abs``, so that its ``drawdown`` is in the stake currency and its rows are the
    very series :func:`max_drawdown` (whose default is ``profit_abs`` in freqtrade too)
    takes its figures from. Pass ``value_col="profit_ratio"`` for freqtrade's default.
    Open trades are skipped and ties ordered as freqtrade orders them.

    Raises:
        ValueError: no closed trades, or a missing column.
    """
    _need(trades, date_col, value_col)
    trades = _only_closed(trades, date_col)
    if len(trades) == 0:
        raise ValueError("trades has no closed trade: a drawdown needs at least one")
    results = _freqtrade_order(trades, date_col)
    out = pd.DataFrame()
    out["cumulative"] = results[value_col].cumsum()
    out["high_value"] = np.maximum(0, out["cumulative"].cummax())
    out["drawdown"] = out["cumulative"] - out["high_value"]
    out["date"] = results.loc[:, date_col]
    if starting_balance:
        balance = starting_balance + out["cumulative"]
        high = starting_balance + out["high_value"]
        out["drawdown_relative"] = (high - balance) / high
    else:
        out["drawdown_relative"] = (out["high_value"] - out["cumulative"]) / out["high_value"]
    zero = pd.DataFrame(
        {
            "cumulative": [0.0],
            "high_value": [0.0],
            "drawdown": [0.0],
            "drawdown_relative": [0.0],
            "date": [results.loc[0, date_col]],
        }
    )
    return pd.concat([zero, out], ignore_index=True)


@dataclass(frozen=True)
class DrawDown:
    """Maximum and current drawdown (freqtrade ``DrawDownResult``).

    ``abs`` in quote currency, ``relative`` as a ratio of the peak balance (with a
    ``starting_balance``; without one, a ratio of the peak *profit*, see
    :func:`max_drawdown`); ``high_date``/``low_date`` bound the worst drawdown.
    """

    abs: float = 0.0
    high_date: pd.Timestamp | None = None
    low_date: pd.Timestamp | None = None
    high_value: float = 0.0
    low_value: float = 0.0
    relative: float = 0.0
    current_high_date: pd.Timestamp | None = None
    current_high_value: float = 0.0
    current_abs: float = 0.0
    current_relative: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict."""
        return asdict(self)


def max_drawdown(
    trades: pd.DataFrame,
    *,
    date_col: str = "close_date",
    value_col: str = "profit_abs",
    starting_balance: float = 0.0,
    relative: bool = False,
) -> DrawDown:
    """Maximum drawdown with its start (high) and end (low), and the current drawdown.

    Same as freqtrade ``calculate_max_drawdown``; ``relative=True`` picks the largest
    relative instead of absolute drawdown. Open trades are skipped.

    **Pass ``starting_balance``** for an account drawdown. Without it, ``relative`` (and
    ``current_relative``) is freqtrade's stand-in ``(peak profit - profit) / peak profit``:
    a ratio of the profit made so far, not of the account. It exceeds 1 whenever the
    profit falls below zero after a peak (e.g. ``5.12`` = lost 5.12 times the best profit)
    and is NaN or inf before any profit. freqtrade calls it "not completely accurate".

    Example: ``max_drawdown(closed(trades), starting_balance=1000).relative`` is the
    worst drawdown as a share of the account.

    Raises:
        ValueError: no closed trades, or a missing column.
    """
    dd = underwater(
        trades, date_col=date_col, value_col=value_col, starting_balance=starting_balance
    )
    results: Any = _freqtrade_order(_only_closed(trades, date_col), date_col)
    dd_: Any = dd
    idxmin = int(dd_["drawdown_relative"].idxmax() if relative else dd_["drawdown"].idxmin())
    high_idx = int(dd_.iloc[: idxmin + 1]["high_value"].idxmax())
    cur_high_idx = int(dd_["high_value"].iloc[:-1].idxmax())
    return DrawDown(
        abs=float(abs(dd_.loc[idxmin, "drawdown"])),
        high_date=results.at[max(high_idx - 1, 0), date_col],
        low_date=results.at[max(idxmin - 1, 0), date_col],
        high_value=float(dd_.at[high_idx, "cumulative"]),
        low_value=float(dd_.at[idxmin, "cumulative"]),
        relative=float(dd_.at[idxmin, "drawdown_relative"]),
        current_high_date=results.at[max(cur_high_idx - 1, 0), date_col],
        current_high_value=float(dd_.iloc[-1]["high_value"]),
        current_abs=float(dd_.iloc[-1]["high_value"] - dd_.iloc[-1]["cumulative"]),
        current_relative=float(dd_.iloc[-1]["drawdown_relative"]),
    )


def _annualized(mean: float, denominator: float, factor: int = 365) -> float:
    if denominator != 0 and not np.isnan(denominator):
        return float(mean / denominator * np.sqrt(factor))
    return -100.0


def _period_days(trades: pd.DataFrame, min_date: Any, max_date: Any) -> int | None:
    """Whole days between ``min_date`` and ``max_date`` (defaults from the trades), at
    least 1; None when the span is undefined, where freqtrade's ratios return 0."""
    min_date, max_date = _span(trades, min_date, max_date)
    if len(trades) == 0 or min_date is None or max_date is None or min_date == max_date:
        return None
    days: int = max(1, (max_date - min_date).days)
    return days


def sharpe(
    trades: pd.DataFrame,
    *,
    starting_balance: float,
    min_date: Any = None,
    max_date: Any = None,
    value_col: str = "profit_abs",
) -> float:
    """Annualised Sharpe ratio of per-trade returns (freqtrade ``calculate_sharpe``).

    ``min_date``/``max_date`` default to the ``open_date`` of the first and last trade
    (by ``trade_id``), open trades included, as ``/profit`` takes them; the returns are
    those of the closed trades. So over ``TradeHistory(client).frame(include_open=True)``
    this is ``/profit``'s ``sharpe``.

    Example: ``sharpe(history.frame(include_open=True), starting_balance=1000)``.
    """
    _need(trades, value_col)
    days = _period_days(trades, min_date, max_date)
    trades = _only_closed(trades)
    if days is None or len(trades) == 0:
        return 0.0
    ret = trades[value_col] / starting_balance
    return _annualized(ret.sum() / days, float(np.std(ret)))


def sortino(
    trades: pd.DataFrame,
    *,
    starting_balance: float,
    min_date: Any = None,
    max_date: Any = None,
    value_col: str = "profit_abs",
) -> float:
    """Annualised Sortino ratio (freqtrade ``calculate_sortino``): like :func:`sharpe`,
    with the deviation of the losing trades only; same span and open-trade rule."""
    _need(trades, value_col)
    days = _period_days(trades, min_date, max_date)
    trades = _only_closed(trades)
    if days is None or len(trades) == 0:
        return 0.0
    ret = trades[value_col] / starting_balance
    down = np.std(trades.loc[trades[value_col] < 0, value_col] / starting_balance)
    return _annualized(ret.sum() / days, float(down))


def calmar(
    trades: pd.DataFrame,
    *,
    starting_balance: float,
    min_date: Any = None,
    max_date: Any = None,
    value_col: str = "profit_abs",
    date_col: str = "close_date",
) -> float:
    """Calmar ratio (freqtrade ``calculate_calmar``): annualised return over the maximum
    relative drawdown; same span and open-trade rule as :func:`sharpe`, ties in the
    drawdown ordered as freqtrade orders them."""
    _need(trades, value_col, date_col)
    days = _period_days(trades, min_date, max_date)
    trades = _only_closed(trades, date_col)
    if days is None or len(trades) == 0:
        return 0.0
    total = trades[value_col].sum() / starting_balance
    mean = total / days * 100
    dd = max_drawdown(
        trades, value_col=value_col, date_col=date_col, starting_balance=starting_balance
    )
    return _annualized(mean, dd.relative)


def sqn(trades: pd.DataFrame, *, starting_balance: float, value_col: str = "profit_abs") -> float:
    """System Quality Number (Van K. Tharp; freqtrade ``calculate_sqn``), rounded to 4
    places as freqtrade does; closed trades only."""
    _need(trades, value_col)
    trades = _only_closed(trades)
    if len(trades) == 0:
        return 0.0
    ret = trades[value_col] / starting_balance
    std = ret.std()
    if std != 0 and not np.isnan(std):
        return round(math.sqrt(len(trades)) * (ret.mean() / std), 4)
    return -100.0


def expectancy(trades: pd.DataFrame, *, value_col: str = "profit_abs") -> tuple[float, float]:
    """``(expectancy, expectancy_ratio)`` per trade (freqtrade ``calculate_expectancy``);
    closed trades only."""
    _need(trades, value_col)
    trades = _only_closed(trades)
    if len(trades) == 0:
        return 0.0, 100.0
    wins = trades.loc[trades[value_col] > 0, value_col]
    losses = trades.loc[trades[value_col] < 0, value_col]
    avg_win = wins.sum() / len(wins) if len(wins) else 0.0
    avg_loss = abs(losses.sum()) / len(losses) if len(losses) else 0.0
    win_rate = len(wins) / len(trades)
    loss_rate = len(losses) / len(trades)
    exp = win_rate * avg_win - loss_rate * avg_loss
    ratio = 100.0
    if avg_loss > 0:
        ratio = (1 + avg_win / avg_loss) * win_rate - 1
    return float(exp), float(ratio)


def cagr(*, starting_balance: float, final_balance: float, days: int) -> float:
    """Compound annual growth rate over ``days`` (0 when undefined)."""
    if final_balance < 0 or starting_balance <= 0 or days <= 0:
        return 0.0
    try:
        return float((final_balance / starting_balance) ** (1 / (days / 365)) - 1)
    except OverflowError:
        return 0.0


def profit_factor(
    trades: pd.DataFrame, *, value_col: str = "profit_abs", ratio_col: str = "profit_ratio"
) -> float:
    """Gross win over gross loss of the closed trades, as ``/profit`` computes it.

    Wins are counted as ``/profit`` counts them (:func:`wins`, ``ratio_col >= 0``). With no
    losing profit the figure is undefined: freqtrade computes ``inf`` and its API sends
    ``null``; this returns NaN (and :func:`profit_summary` ``None``), never ``inf``.

    Example: ``profit_factor(closed(trades))``, NaN until a trade loses.
    """
    _need(trades, value_col, ratio_col)
    trades = _only_closed(trades)
    win = wins(trades, value_col=ratio_col)
    gross_win = float(trades.loc[win, value_col].sum())
    gross_loss = float(trades.loc[~win, value_col].sum())
    return gross_win / abs(gross_loss) if gross_loss else float("nan")


def winrate(trades: pd.DataFrame, *, ratio_col: str = "profit_ratio") -> float:
    """Share of the closed trades that win under ``/profit``'s rule (:func:`wins`,
    ``ratio_col >= 0``); 0.0 for no closed trades, as ``/profit``."""
    _need(trades, ratio_col)
    trades = _only_closed(trades)
    return float(wins(trades, value_col=ratio_col).sum() / len(trades)) if len(trades) else 0.0


def daily_returns(
    trades: pd.DataFrame,
    *,
    starting_balance: float,
    date_col: str = "close_date",
    value_col: str = "profit_abs",
) -> pd.Series:
    """Daily return of the account (profit of the day / balance at the day's start).

    Indexed by UTC day (tz-naive DatetimeIndex, every calendar day, 0.0 on days
    without trades), float64: ``quantstats.reports.html(daily_returns(...))`` takes it as is.
    A day's profit is that of the trades closed on it (open trades are skipped); the
    balance at its start is ``starting_balance`` plus the profit of all earlier days.
    """
    _need(trades, date_col, value_col)
    df = _only_closed(trades, date_col)
    if len(df) == 0:
        return pd.Series([], dtype="float64", index=pd.DatetimeIndex([]), name="returns")
    day = df[date_col].dt.tz_convert("UTC").dt.tz_localize(None).dt.floor("D")
    profit = df.groupby(day)[value_col].sum()
    profit = profit.reindex(
        pd.date_range(profit.index.min(), profit.index.max(), freq="D"), fill_value=0.0
    )
    start = starting_balance + profit.cumsum().shift(1, fill_value=0.0)
    out = (profit / start).astype("float64")
    out.name = "returns"
    out.index.name = "date"
    return out


def trade_parallelism(
    trades: pd.DataFrame, *, freq: str = "5min", now: pd.Timestamp | None = None
) -> pd.Series:
    """Open trades per ``freq`` bucket, as freqtrade's ``analyze_trade_parallelism``.

    A trade counts in the bucket holding its ``open_date`` and in each following
    bucket up to, not including, its ``close_date``: the points of freqtrade's
    ``date_range(open, close, freq, inclusive="left")``, counted with a difference
    array instead of one row per candle. Open trades (no ``close_date``) count up to
    ``now`` (default: the current time); freqtrade's own function only sees closed
    trades, so pass ``metrics.closed(trades)`` to reproduce it exactly.

    Example: ``trade_parallelism(trades_df, freq="1h").max()`` is the most trades
    that were open at once.
    """
    _need(trades, "open_date", "close_date")
    step = pd.Timedelta(freq)
    if len(trades) == 0:
        return pd.Series([], dtype="int64", name="open_trades")
    opened = pd.to_datetime(trades["open_date"], utc=True)
    ended = pd.to_datetime(trades["close_date"], utc=True).fillna(
        now if now is not None else pd.Timestamp.now(tz="UTC")
    )
    counts = np.ceil(((ended - opened) / step).to_numpy(dtype="float64")).clip(min=0)
    counts = counts.astype("int64")
    first = opened.dt.floor(step)
    start = first.min()
    first_i = ((first - start) // step).astype("int64").to_numpy()
    size = int((first_i + counts).max()) + 1
    delta = np.zeros(size + 1, dtype=np.int64)
    np.add.at(delta, first_i, 1)
    np.add.at(delta, first_i + counts, -1)
    values = np.cumsum(delta)[: max(size - 1, 1)]
    index = pd.date_range(start, periods=len(values), freq=step, name="date")
    series = pd.Series(values, index=index, name="open_trades")
    last = int(np.flatnonzero(values)[-1]) + 1 if values.any() else 1
    return series.iloc[:last]


def _summary(trades: pd.DataFrame, key: str) -> pd.DataFrame:
    _need(trades, key, "profit_abs", "profit_ratio")
    trades = _only_closed(trades)
    win = wins(trades, rule="backtest")
    loss = trades["profit_abs"] < 0
    g = trades.groupby(key, observed=True, sort=False)
    by = trades[key]
    n_wins = win.groupby(by, observed=True, sort=False).sum().astype("int64")
    out = pd.DataFrame(
        {
            "count": g.size(),
            "profit_abs": g["profit_abs"].sum(),
            "profit_ratio_mean": g["profit_ratio"].mean(),
            "profit_ratio_sum": g["profit_ratio"].sum(),
            "winrate": (n_wins / g.size()).astype("float64"),
            "wins": n_wins,
            "draws": g.size() - n_wins - loss.groupby(by, observed=True, sort=False).sum(),
            "losses": loss.groupby(by, observed=True, sort=False).sum().astype("int64"),
        }
    )
    if "trade_duration" in trades.columns:
        out["avg_duration"] = g["trade_duration"].mean()
    return out.sort_values("profit_abs", ascending=False)


def pair_summary(trades: pd.DataFrame, *, by_side: bool = False) -> pd.DataFrame:
    """Per-pair count, profit, winrate, wins/draws/losses and mean duration, best first.

    The closed trades only, counted as freqtrade's backtest per-pair table counts them
    (:func:`wins` ``rule="backtest"``: ``profit_abs > 0`` wins, ``== 0`` draws).

    Longs and shorts of a pair share one row, as in freqtrade's ``/performance`` and its
    backtest's per-pair table. ``by_side=True`` splits them: the index becomes
    ``(pair, side)``, ``side`` being ``"long"`` or ``"short"`` (from ``is_short``).
    """
    return _by_side(trades, "pair") if by_side else _summary(trades, "pair")


def tag_summary(
    trades: pd.DataFrame, *, tag_col: str = "enter_tag", by_side: bool = False
) -> pd.DataFrame:
    """The same per entry tag (or ``tag_col="exit_reason"``); ``by_side`` as in
    :func:`pair_summary` (freqtrade's ``/entries``, ``/exits`` do not split)."""
    return _by_side(trades, tag_col) if by_side else _summary(trades, tag_col)


def _span(trades: pd.DataFrame, min_date: Any, max_date: Any) -> tuple[Any, Any]:
    if (min_date is None or max_date is None) and len(trades) and "open_date" in trades:
        ordered = trades.sort_values("trade_id") if "trade_id" in trades else trades
        min_date = ordered["open_date"].iloc[0] if min_date is None else min_date
        max_date = ordered["open_date"].iloc[-1] if max_date is None else max_date
    return min_date, max_date


def _fmt(ts: Any) -> str:
    return "" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%d %H:%M:%S")


def _ms(ts: Any) -> int:
    if ts is None or pd.isna(ts):
        return 0
    return int(pd.Timestamp(ts).timestamp() * 1000)


def profit_summary(
    trades: pd.DataFrame,
    *,
    starting_balance: float,
    final_balance: float | None = None,
) -> dict[str, Any]:
    """The trade figures of ``/profit``, computed locally from a trades frame.

    Args:
        trades: the trades frame with the open trades
            (``TradeHistory(client).frame(include_open=True)``); open trades count in
            the ``profit_all_*`` figures with their live ``profit_abs``/``profit_ratio``.
        starting_balance: the bot's starting capital (``/balance`` ``starting_capital``).
        final_balance: the bot's current total stake balance, for ``cagr``; defaults to
            ``starting_balance`` plus the closed profit.

    Returns a dict with the same keys, formulas and values as ``/profit``'s JSON, except
    those that need the bot's database or config (``best_pair*``, ``trading_volume``,
    ``bot_start_*``, ``*_fiat``, ``*_humanized``). ``profit_factor`` is ``None`` when no
    closed trade lost, as ``/profit`` sends ``null`` there. With 0 closed trades every
    closed figure is 0 (the drawdown ones too), as on a fresh bot.

    Example: ``profit_summary(history.frame(include_open=True), starting_balance=1000)``.
    """
    _need(trades, "trade_id", "is_open", "open_date", "close_date", "profit_abs", "profit_ratio")
    by_id = trades.sort_values("trade_id", kind="stable")
    is_open = by_id["is_open"].astype(bool).to_numpy()
    done = by_id.loc[~is_open]
    closed_abs = done["close_profit_abs"] if "close_profit_abs" in done else done["profit_abs"]
    closed_ratio = done["close_profit"] if "close_profit" in done else done["profit_ratio"]
    closed_abs = closed_abs.fillna(0.0)
    closed_ratio = closed_ratio.fillna(0.0)
    all_abs = by_id["profit_abs"].where(is_open, closed_abs.reindex(by_id.index))
    all_ratio = by_id["profit_ratio"].where(is_open, closed_ratio.reindex(by_id.index))

    closed_coin = round(float(sum(closed_abs.tolist())), 8)
    all_coin = round(float(sum(all_abs.tolist())), 8)
    closed_ratio_mean = float(np.mean(closed_ratio.tolist())) if len(done) else 0.0
    closed_ratio_sum = float(sum(closed_ratio.tolist())) if len(done) else 0.0
    all_ratio_mean = float(np.mean(all_ratio.tolist())) if len(by_id) else 0.0
    all_ratio_sum = float(sum(all_ratio.tolist())) if len(by_id) else 0.0
    closed_from_start = closed_coin / starting_balance if starting_balance else 0.0
    all_from_start = all_coin / starting_balance if starting_balance else 0.0

    wins = closed_ratio >= 0
    winning_profit = float(sum(closed_abs[wins].tolist()))
    losing_profit = float(sum(closed_abs[~wins].tolist()))
    n_closed = len(done)

    tdf = pd.DataFrame(
        {"close_date": done["close_date"], "profit_abs": closed_abs.to_numpy()}
    ).reset_index(drop=True)
    exp, exp_ratio = expectancy(tdf)
    dd = DrawDown()
    if len(tdf):
        dd = max_drawdown(tdf, starting_balance=starting_balance)
    first = by_id["open_date"].iloc[0] if len(by_id) else None
    last = by_id["open_date"].iloc[-1] if len(by_id) else None
    durations = (done["close_date"] - done["open_date"]).dt.total_seconds().tolist()
    num = float(len(durations) or 1)
    if final_balance is None:
        final_balance = starting_balance + closed_coin
    days = max(1, (last - first).days) if first is not None and last is not None else 1
    span: dict[str, Any] = {
        "min_date": first,
        "max_date": last,
        "starting_balance": starting_balance,
    }
    return {
        "profit_closed_coin": closed_coin,
        "profit_closed_percent_mean": round(closed_ratio_mean * 100, 2),
        "profit_closed_ratio_mean": closed_ratio_mean,
        "profit_closed_percent_sum": round(closed_ratio_sum * 100, 2),
        "profit_closed_ratio_sum": closed_ratio_sum,
        "profit_closed_ratio": closed_from_start,
        "profit_closed_percent": round(closed_from_start * 100, 2),
        "profit_all_coin": all_coin,
        "profit_all_percent_mean": round(all_ratio_mean * 100, 2),
        "profit_all_ratio_mean": all_ratio_mean,
        "profit_all_percent_sum": round(all_ratio_sum * 100, 2),
        "profit_all_ratio_sum": all_ratio_sum,
        "profit_all_ratio": all_from_start,
        "profit_all_percent": round(all_from_start * 100, 2),
        "trade_count": len(by_id),
        "closed_trade_count": n_closed,
        "first_trade_date": _fmt(first),
        "first_trade_timestamp": _ms(first),
        "latest_trade_date": _fmt(last),
        "latest_trade_timestamp": _ms(last),
        "avg_duration": str(timedelta(seconds=sum(durations) / num)).split(".")[0],
        "winning_trades": int(wins.sum()),
        "losing_trades": int((~wins).sum()),
        # freqtrade computes inf with no losing profit, and its API sends null for it.
        "profit_factor": winning_profit / abs(losing_profit) if losing_profit else None,
        "winrate": int(wins.sum()) / n_closed if n_closed else 0,
        "expectancy": exp,
        "expectancy_ratio": exp_ratio,
        "sharpe": sharpe(tdf, **span),
        "sortino": sortino(tdf, **span),
        "sqn": sqn(tdf, starting_balance=starting_balance),
        "calmar": calmar(tdf, **span),
        "cagr": cagr(starting_balance=starting_balance, final_balance=final_balance, days=days),
        "max_drawdown": dd.relative,
        "max_drawdown_abs": dd.abs,
        "max_drawdown_start": _fmt(dd.high_date),
        "max_drawdown_start_timestamp": _ms(dd.high_date),
        "max_drawdown_end": _fmt(dd.low_date),
        "max_drawdown_end_timestamp": _ms(dd.low_date),
        "drawdown_high": dd.high_value,
        "drawdown_low": dd.low_value,
        "current_drawdown": dd.current_relative,
        "current_drawdown_abs": dd.current_abs,
        "current_drawdown_high": dd.current_high_value,
        "current_drawdown_start": _fmt(dd.current_high_date),
        "current_drawdown_start_timestamp": _ms(dd.current_high_date),
    }


# ---------------------------------------------------------------------- long / short

SIDES = ("long", "short")


def _sides(trades: pd.DataFrame) -> pd.Series:
    """``"long"``/``"short"`` per trade, from ``is_short`` (a spot frame: all long)."""
    _need(trades, "is_short")
    short = trades["is_short"].astype(bool).to_numpy()
    return pd.Series(np.where(short, "short", "long"), index=trades.index, name="side")


def _by_side(trades: pd.DataFrame, key: str) -> pd.DataFrame:
    """:func:`_summary` per side, indexed ``(key, side)``, best first."""
    _need(trades, key)
    side = _sides(trades)
    parts = {s: _summary(trades.loc[side == s], key) for s in SIDES if (side == s).any()}
    if not parts:
        empty = _summary(trades, key)
        empty.index = pd.MultiIndex.from_arrays([[], []], names=[key, "side"])
        return empty
    out = pd.concat(parts, names=["side", key]).swaplevel(0, 1)
    return out.sort_values("profit_abs", ascending=False, kind="stable")


def profit_summary_by_side(
    trades: pd.DataFrame,
    *,
    starting_balance: float,
    final_balance: float | None = None,
) -> dict[str, dict[str, Any]]:
    """:func:`profit_summary` for all trades and for longs and shorts alone.

    The same split as the bot's ``/profit_all`` (``all``, ``long``, ``short``): each part
    is ``/profit`` over that side's trades, with the whole bot's ``starting_balance`` and
    ``final_balance`` (freqtrade does not split the wallet). ``/profit`` itself has no split.

    >>> parts = profit_summary_by_side(trades, starting_balance=10_000)
    >>> parts["short"]["profit_closed_coin"], parts["long"]["trade_count"]
    """
    side = _sides(trades)
    return {
        "all": profit_summary(
            trades, starting_balance=starting_balance, final_balance=final_balance
        ),
        **{
            s: profit_summary(
                trades.loc[side == s],
                starting_balance=starting_balance,
                final_balance=final_balance,
            )
            for s in SIDES
        },
    }


def side_summary(trades: pd.DataFrame, *, starting_balance: float) -> dict[str, float | int]:
    """The long/short figures of freqtrade's backtest summary, from a trades frame.

    ``trade_count_long``/``_short``, ``profit_total_long``/``_short`` (ratio of
    ``starting_balance``) and ``profit_total_long_abs``/``_short_abs``: the "Long / Short
    trades" and "Long / Short profit" rows of ``freqtrade backtesting``. Pass the trades
    the figures should cover (``closed(trades)`` for closed ones only).
    """
    _need(trades, "profit_abs")
    side = _sides(trades)
    out: dict[str, float | int] = {}
    for s in SIDES:
        out[f"trade_count_{s}"] = int((side == s).sum())
    for s in SIDES:
        total = float(trades.loc[side == s, "profit_abs"].sum())
        out[f"profit_total_{s}"] = total / starting_balance if starting_balance else 0.0
        out[f"profit_total_{s}_abs"] = total
    return out
