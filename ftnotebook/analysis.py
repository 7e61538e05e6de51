"""freqtrade's entry/exit analysis (``freqtrade backtesting-analysis``) as DataFrames.

freqtrade prints these tables from the pickle files a backtest exports with
``--export signals``. Here they are computed from any trades frame: a backtest's trades
or a live bot's :class:`~ftnotebook.frames.TradeHistory`, so a dry-run bot can be read the
same way as its backtest. The figures equal ``freqtrade/data/entryexitanalysis.py`` on the
same trades (the test suite runs freqtrade's code as the oracle).

The analysis groups (``--analysis-groups``):

====  =====================================  ==============================================
 0    per enter tag                          total_num_buys, wins, losses, profit_abs_wins,
                                             profit_abs_loss, profit_tot, wl_ratio_pct,
                                             avg_win, avg_loss, exp_ratio
 1    per enter tag                          num_buys, profit_abs_sum/median/mean,
 2    per enter tag and exit reason          median_profit_pct, mean_profit_pct,
 3    per pair and enter tag                 total_profit_pct
 4    per pair, enter tag and exit reason
 5    per exit reason
====  =====================================  ==============================================

Example, on a live bot and on a backtest of the same strategy::

    >>> from ftnotebook import analysis
    >>> trades = TradeHistory(client).frame()
    >>> analysis.group(trades, 0)                            # doctest: +SKIP
    >>> analysis.groups(backtest_trades, [1, 5])             # doctest: +SKIP
    >>> candles = {p: frames.pair_history(ws, p, "5m", timerange=tr, strategy="FtnbDemo")
    ...            for p in trades["pair"].unique()}         # doctest: +SKIP
    >>> analysis.indicators(trades, candles, ["rsi", "macd"])  # doctest: +SKIP

freqtrade's own quirks are kept on purpose, so the numbers agree: group 0 sums a trade at
exactly 0 profit with the wins (``profit_abs >= 0``) but counts it with the losses
(``<= 0``), and trades without an enter tag (or exit reason) drop out of the groups keyed
by it, as in a pandas ``groupby``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

__all__ = ["GROUPS", "group", "groups", "indicators", "signal_candles"]

#: The key columns of each analysis group, as in freqtrade's ``--analysis-groups``.
GROUPS: dict[int, tuple[str, ...]] = {
    0: ("enter_reason",),
    1: ("enter_reason",),
    2: ("enter_reason", "exit_reason"),
    3: ("pair", "enter_reason"),
    4: ("pair", "enter_reason", "exit_reason"),
    5: ("exit_reason",),
}

_NEEDED = (
    "pair",
    "open_date",
    "close_date",
    "profit_abs",
    "profit_ratio",
    "enter_tag",
    "exit_reason",
)
_GROUP_COLUMNS = [
    "num_buys",
    "profit_abs_sum",
    "profit_abs_median",
    "profit_abs_mean",
    "median_profit_pct",
    "mean_profit_pct",
    "total_profit_pct",
]
_GROUP0_COLUMNS = [
    "total_num_buys",
    "wins",
    "losses",
    "profit_abs_wins",
    "profit_abs_loss",
    "profit_tot",
    "wl_ratio_pct",
    "avg_win",
    "avg_loss",
    "exp_ratio",
]
#: Columns of a backtest's trades (freqtrade's ``BT_DATA_COLUMNS``) that are not indicators:
#: asked for in ``indicators()``, they come from the trade once, without a suffix.
_TRADE_COLUMNS = frozenset(
    {
        "pair",
        "stake_amount",
        "max_stake_amount",
        "amount",
        "open_date",
        "close_date",
        "open_rate",
        "close_rate",
        "fee_open",
        "fee_close",
        "trade_duration",
        "profit_ratio",
        "profit_abs",
        "exit_reason",
        "initial_stop_loss_abs",
        "initial_stop_loss_ratio",
        "stop_loss_abs",
        "stop_loss_ratio",
        "min_rate",
        "max_rate",
        "is_open",
        "enter_tag",
        "leverage",
        "is_short",
        "open_timestamp",
        "close_timestamp",
        "orders",
        "funding_fees",
    }
)

Timerange = str | tuple[date | datetime | None, date | datetime | None]


def group(
    trades: pd.DataFrame,
    number: int,
    *,
    candles: Mapping[str, pd.DataFrame] | None = None,
    timerange: Timerange | None = None,
    enter_reasons: Iterable[str] | None = None,
    exit_reasons: Iterable[str] | None = None,
) -> pd.DataFrame:
    """One analysis group of the closed trades in ``trades``, freqtrade's figures.

    Returns group 0 indexed by ``enter_reason`` (sorted by ``total_num_buys``), groups
    1–5 with the key columns of :data:`GROUPS` then ``num_buys``, ``profit_abs_sum``,
    ``profit_abs_median``, ``profit_abs_mean``, ``median_profit_pct``, ``mean_profit_pct``
    and ``total_profit_pct`` (percent), sorted as freqtrade prints them. Open trades are
    left out, as freqtrade does. ``timerange`` (``"20260101-20260201"`` or a
    ``(start, end)`` pair, either end ``None``) keeps trades that opened in it;
    ``enter_reasons``/``exit_reasons`` keep only those tags (freqtrade's
    ``--enter-reason-list``/``--exit-reason-list``).

    With ``candles`` (pair -> analysed candles, see :func:`signal_candles`) the result is
    exactly what ``freqtrade backtesting-analysis`` prints for an export with signals:
    only trades with a candle before their entry count, and ``timerange`` applies to that
    signal candle's date.

    >>> analysis.group(trades, 5)[["exit_reason", "num_buys"]]   # doctest: +SKIP
    """
    if number not in GROUPS:
        raise ValueError(f"analysis group must be one of 0-5 (freqtrade's groups), got {number!r}")
    if candles is None:
        data = _prepare(trades, timerange, enter_reasons, exit_reasons)
    else:
        data = _prepared_signals(
            trades, candles, "open_date", timerange, enter_reasons, exit_reasons
        )
    keys = list(GROUPS[number])
    return _group0(data) if number == 0 else _group_n(data, keys, number)


def groups(
    trades: pd.DataFrame,
    numbers: Iterable[int] = (0, 1, 2, 3, 4, 5),
    *,
    candles: Mapping[str, pd.DataFrame] | None = None,
    timerange: Timerange | None = None,
    enter_reasons: Iterable[str] | None = None,
    exit_reasons: Iterable[str] | None = None,
) -> dict[int, pd.DataFrame]:
    """Several analysis groups at once: ``{number: frame}`` (see :func:`group`)."""
    return {
        n: group(
            trades,
            n,
            candles=candles,
            timerange=timerange,
            enter_reasons=enter_reasons,
            exit_reasons=exit_reasons,
        )
        for n in numbers
    }


def signal_candles(
    trades: pd.DataFrame, candles: Mapping[str, pd.DataFrame], date_col: str = "open_date"
) -> pd.DataFrame:
    """Each trade beside the candle whose signal made it: the last candle strictly before
    ``date_col`` (``"open_date"`` for the entry, ``"close_date"`` for the exit).

    ``candles`` maps a pair to its analysed candles (``frames.pair_history`` with the
    trade's strategy, or ``frames.pair_candles``), indexed or keyed by ``date``. Returns
    the trades' columns, ``signal_date`` and the candle's columns (a candle column that
    the trades also have gets a ``_candle`` suffix). Trades whose pair has no candles, or
    no candle before the date, are left out, as freqtrade does.
    """
    _require(trades, ("pair", date_col), "signal_candles")
    if date_col not in ("open_date", "close_date"):
        raise ValueError(f"date_col must be 'open_date' or 'close_date', got {date_col!r}")
    parts = []
    for pair, rows in trades.groupby(trades["pair"].astype(str), sort=False):
        if pair not in candles:
            continue
        frame = _candle_frame(candles[pair], pair)
        when = _utc(rows[date_col])
        rows = rows.loc[when.notna()]
        when = when.loc[rows.index]
        position = frame["date"].searchsorted(when, side="left") - 1
        keep = position >= 0
        rows, position = rows.loc[keep], position[keep]
        picked = frame.iloc[position].reset_index(drop=True)
        picked = picked.rename(columns={"date": "signal_date"})
        clash = [c for c in picked.columns if c in rows.columns]
        picked = picked.rename(columns={c: f"{c}_candle" for c in clash})
        parts.append(pd.concat([rows.reset_index(drop=True), picked], axis=1))
    if not parts:
        return trades.iloc[0:0].assign(signal_date=pd.Series(dtype="datetime64[ms, UTC]"))
    return pd.concat(parts, ignore_index=True)


def indicators(
    trades: pd.DataFrame,
    candles: Mapping[str, pd.DataFrame],
    names: Sequence[str],
    *,
    entry_only: bool = False,
    exit_only: bool = False,
    timerange: Timerange | None = None,
    enter_reasons: Iterable[str] | None = None,
    exit_reasons: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Indicator values at each closed trade's entry and exit signal candles: freqtrade's
    ``--indicator-list``.

    Returns ``pair``, ``open_date``, ``enter_reason``, ``exit_reason`` and, per indicator,
    ``"<name> (entry)"`` and ``"<name> (exit)"``; with ``entry_only`` or ``exit_only``
    the one side, under the plain name (freqtrade's layout). A name that is a trade column
    (``profit_abs``…) is shown once, from the trade. An indicator the candles lack raises
    ``ValueError`` naming it (freqtrade silently drops it).

    >>> analysis.indicators(trades, candles, ["rsi"])   # doctest: +SKIP
    """
    if entry_only and exit_only:
        raise ValueError("entry_only and exit_only cannot both be set (as in freqtrade)")
    names = list(names)
    if not names:
        raise ValueError("names: give at least one indicator column")
    entry = _prepared_signals(trades, candles, "open_date", timerange, enter_reasons, exit_reasons)
    exit_ = _prepared_signals(trades, candles, "close_date", timerange, enter_reasons, exit_reasons)
    unknown = [n for n in names if n not in entry.columns and n not in _TRADE_COLUMNS]
    if unknown:
        have = sorted(c for c in entry.columns if c not in _TRADE_COLUMNS)
        raise ValueError(f"indicators not in the candles: {unknown}; the candles have {have}")
    merge_on = ["pair", "open_date"]
    keep = [*merge_on, "enter_reason", "exit_reason"]
    wide = [n for n in names if n not in _TRADE_COLUMNS]
    if exit_.empty or entry_only:
        return entry[keep + names].reset_index(drop=True)
    if exit_only:
        return pd.merge(entry[keep], exit_[merge_on + wide], on=merge_on)
    return pd.merge(
        entry[keep + names], exit_[merge_on + wide], on=merge_on, suffixes=(" (entry)", " (exit)")
    )


# -- internals ------------------------------------------------------------------------------


def _prepare(
    trades: pd.DataFrame,
    timerange: Timerange | None,
    enter_reasons: Iterable[str] | None,
    exit_reasons: Iterable[str] | None,
    date_col: str = "open_date",
) -> pd.DataFrame:
    """Closed trades with freqtrade's ``enter_reason`` column, filtered like the CLI."""
    _require(trades, _NEEDED, "analysis")
    data = trades.loc[trades["close_date"].notna()].copy()
    data["enter_reason"] = data["enter_tag"]
    for key in ("pair", "enter_reason", "exit_reason"):
        data[key] = data[key].astype(object).where(data[key].notna(), None)
    data = _within(data, timerange, date_col)
    return _by_tags(data, enter_reasons, exit_reasons)


def _prepared_signals(
    trades: pd.DataFrame,
    candles: Mapping[str, pd.DataFrame],
    date_col: str,
    timerange: Timerange | None,
    enter_reasons: Iterable[str] | None,
    exit_reasons: Iterable[str] | None,
) -> pd.DataFrame:
    # freqtrade joins first, then filters the timerange on the signal candle's date.
    joined = signal_candles(_prepare(trades, None, None, None), candles, date_col)
    joined = joined.rename(columns={"signal_date": "date"})
    joined = _within(joined, timerange, "date")
    return _by_tags(joined, enter_reasons, exit_reasons)


def _group0(data: pd.DataFrame) -> pd.DataFrame:
    # freqtrade's exact sequence of pandas steps (entryexitanalysis._do_group_table_output).
    key = ["enter_reason"]
    wins = data.loc[data["profit_abs"] >= 0].groupby(key).agg({"profit_abs": ["sum"]})
    wins.columns = ["profit_abs_wins"]
    loss = data.loc[data["profit_abs"] < 0].groupby(key).agg({"profit_abs": ["sum"]})
    loss.columns = ["profit_abs_loss"]
    new = data.groupby(key).agg({"profit_abs": ["count", _count_above, _count_at_most]})
    new = pd.concat([new, wins, loss], axis=1).fillna(0)
    new["profit_tot"] = new["profit_abs_wins"] - abs(new["profit_abs_loss"])
    new["wl_ratio_pct"] = (new.iloc[:, 1] / new.iloc[:, 0] * 100).fillna(0)
    new["avg_win"] = (new["profit_abs_wins"] / new.iloc[:, 1]).fillna(0)
    new["avg_loss"] = (new["profit_abs_loss"] / new.iloc[:, 2]).fillna(0)
    ratio = new["avg_win"] / abs(new["avg_loss"])
    new["exp_ratio"] = (((1 + ratio) * (new["wl_ratio_pct"] / 100)) - 1).fillna(0)
    new.columns = _GROUP0_COLUMNS
    new = new.astype({"total_num_buys": "int64", "wins": "int64", "losses": "int64"})
    new.index.name = "enter_reason"
    return new.sort_values(["total_num_buys"])


def _group_n(data: pd.DataFrame, keys: list[str], number: int) -> pd.DataFrame:
    agg = {
        "profit_abs": ["count", "sum", "median", "mean"],
        "profit_ratio": ["median", "mean", "sum"],
    }
    new = data.groupby(keys).agg(agg).reset_index()
    if new.empty:
        new = pd.DataFrame(columns=keys + _GROUP_COLUMNS)
    new.columns = keys + _GROUP_COLUMNS
    for col in ("median_profit_pct", "mean_profit_pct", "total_profit_pct"):
        new[col] = new[col].astype("float64") * 100
    new["num_buys"] = new["num_buys"].astype("int64")
    sort = ["exit_reason"] if number == 5 else ["profit_abs_sum", "enter_reason"]
    return new.sort_values(sort).reset_index(drop=True)


def _count_above(values: pd.Series) -> int:
    return int((values > 0).sum())


def _count_at_most(values: pd.Series) -> int:
    return int((values <= 0).sum())


def _within(data: pd.DataFrame, timerange: Timerange | None, column: str) -> pd.DataFrame:
    if timerange is None:
        return data
    start, stop = _bounds(timerange)
    when = _utc(data[column])
    mask = pd.Series(True, index=data.index)
    if start is not None:
        mask &= when >= start
    if stop is not None:
        mask &= when < stop
    return data.loc[mask]


def _by_tags(
    data: pd.DataFrame, enter: Iterable[str] | None, exit_: Iterable[str] | None
) -> pd.DataFrame:
    for column, wanted in (("enter_reason", enter), ("exit_reason", exit_)):
        if wanted is None:
            continue
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        if "all" not in values:
            data = data.loc[data[column].isin(values)]
    return data


def _bounds(timerange: Timerange) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """A freqtrade timerange as UTC bounds: start inclusive, stop exclusive."""
    if isinstance(timerange, str):
        text = timerange.strip()
        start_text, sep, stop_text = text.partition("-")
        if not sep or not (start_text or stop_text):
            raise ValueError(f"timerange must look like 'YYYYMMDD-YYYYMMDD', got {timerange!r}")
        return _stamp(start_text, timerange), _stamp(stop_text, timerange)
    if isinstance(timerange, tuple) and len(timerange) == 2:
        return _stamp(timerange[0], timerange), _stamp(timerange[1], timerange)
    raise ValueError(f"timerange must be 'YYYYMMDD-YYYYMMDD' or (start, end), got {timerange!r}")


def _stamp(part: Any, whole: object) -> pd.Timestamp | None:
    if part is None or part == "":
        return None
    if isinstance(part, datetime):
        if part.tzinfo is None:
            raise ValueError(f"timerange {whole!r}: datetimes must be timezone-aware")
        return pd.Timestamp(part).tz_convert(UTC)
    if isinstance(part, date):
        return pd.Timestamp(part.isoformat(), tz=UTC)
    text = str(part)
    for fmt in ("%Y%m%d", "%Y%m%dT%H%M", "%Y%m%dT%H%M%S"):
        try:
            return pd.Timestamp(datetime.strptime(text, fmt).replace(tzinfo=UTC))
        except ValueError:
            continue
    if text.isdigit() and len(text) in (10, 13):
        return pd.Timestamp(int(text), unit="s" if len(text) == 10 else "ms", tz=UTC)
    raise ValueError(f"timerange {whole!r}: cannot read {text!r} as a date")


def _candle_frame(candles: pd.DataFrame, pair: str) -> pd.DataFrame:
    frame = candles.reset_index() if "date" not in candles.columns else candles
    if "date" not in frame.columns:
        raise ValueError(f"candles for {pair}: need a 'date' column or index")
    frame = frame.assign(date=_utc(frame["date"]))
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def _utc(values: pd.Series) -> pd.Series:
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        converted: pd.Series = values.dt.tz_convert(UTC)
    else:
        converted = pd.to_datetime(values, utc=True)
    return converted


def _require(trades: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    if not isinstance(trades, pd.DataFrame):
        raise ValueError(f"{what}: trades must be a DataFrame, got {type(trades).__name__}")
    missing = [c for c in columns if c not in trades.columns]
    if missing:
        raise ValueError(f"{what}: the trades frame lacks the column(s) {missing}")
