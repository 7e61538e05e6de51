"""Backtest vs live: match a bot's trades with a backtest of the same period, and explain
the difference in profit.

"Why do my dry-run trades differ from the backtest?" (freqtrade issue #6002 and its
duplicates) has no tool in freqtrade. :func:`reconcile` matches the two trade lists by
pair, side and open time (within one candle by default) and returns a
:class:`Reconciliation`:

* ``matched``: one row per pair of trades, with the entry time slip, the entry and exit
  price slips, whether the exit reasons agree, and the profit difference split into parts;
* ``live_only`` and ``backtest_only``: the trades only one side made, each with a likely
  ``reason`` where the data shows one (a lock, ``max_open_trades`` full, a pair not in
  the whitelist, a stake below the market's minimum, a forced entry), else NA;
* ``attribution``: the total profit difference (live − backtest, closed trades) split into
  ``entry_price``, ``exit_price``, ``fees``, ``size_and_other``, ``missing_trades`` and
  ``extra_trades``. The parts add up to ``total`` exactly.

How a matched trade's difference is split: starting from the backtest trade, freqtrade's
profit formula (``amount × (close value − open value)`` with the fee rates, mirrored for
shorts) is re-evaluated with the live entry price, then the live exit price, then the live
fee rates; each step's change is that part. ``size_and_other`` is what remains of the real
difference in ``profit_abs``: a different amount (stake), funding fees, rounding.

Example::

    >>> rec = reconcile(TradeHistory(live).frame(), backtest_trades, timeframe="5m")
    >>> rec.attribution                                            # doctest: +SKIP
    >>> rec.matched[["pair", "entry_slip", "exit_price_slip", "profit_diff"]]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from html import escape
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ATTRIBUTION_PARTS", "Reconciliation", "reconcile"]

#: The parts of :attr:`Reconciliation.attribution`, in order; they sum to ``total``.
ATTRIBUTION_PARTS = (
    "entry_price",
    "exit_price",
    "fees",
    "size_and_other",
    "missing_trades",
    "extra_trades",
)

_NEEDED = (
    "pair",
    "open_date",
    "close_date",
    "open_rate",
    "close_rate",
    "amount",
    "stake_amount",
    "fee_open",
    "fee_close",
    "profit_abs",
    "exit_reason",
)
_KEEP = ("open_date", "close_date", "open_rate", "close_rate", "amount", "stake_amount")


@dataclass(frozen=True)
class Reconciliation:
    """What :func:`reconcile` found. Frames are in open-time order; money is in the stake
    currency; slips are live minus backtest (prices as a ratio: +0.001 = 0.1 % higher)."""

    matched: pd.DataFrame
    live_only: pd.DataFrame
    backtest_only: pd.DataFrame
    attribution: pd.Series
    tolerance: pd.Timedelta
    live_trades: pd.DataFrame = field(repr=False)
    backtest_trades: pd.DataFrame = field(repr=False)
    backtest_result: Any = field(default=None, repr=False)
    """The ``BacktestResult`` compared with, when :func:`ftnotebook.backtest.reconcile_live`
    ran it."""
    settings: dict[str, Any] = field(default_factory=dict)
    """What :func:`ftnotebook.backtest.reconcile_live` read from the live bot."""

    @property
    def total_difference(self) -> float:
        """Live minus backtest closed-trade profit (= ``attribution["total"]``)."""
        return float(self.attribution["total"])

    def summary(self) -> pd.Series:
        """Counts and totals in one Series (what the notebook repr shows)."""
        matched = self.matched
        return pd.Series(
            dtype=object,
            data={
                "live_trades": len(self.live_trades),
                "backtest_trades": len(self.backtest_trades),
                "matched": len(matched),
                "live_only": len(self.live_only),
                "backtest_only": len(self.backtest_only),
                "exit_reason_mismatches": int((~matched["exit_reason_match"]).sum()),
                "entry_delayed": int((matched["entry_slip"] != pd.Timedelta(0)).sum()),
                "live_profit_abs": float(self.live_trades["profit_abs"].sum()),
                "backtest_profit_abs": float(self.backtest_trades["profit_abs"].sum()),
                "difference_abs": self.total_difference,
            },
        )

    def _repr_html_(self) -> str:
        s = self.summary()
        n = {k: int(s[k]) for k in s.index if not k.endswith("_abs")}
        tol = int(self.tolerance.total_seconds() // 60)
        parts = "".join(
            f"<tr><td>{escape(str(k).replace('_', ' '))}</td>"
            f"<td style='text-align:right'>{v:+,.4f}</td></tr>"
            for k, v in self.attribution.items()
        )
        return (
            "<div style='font-family:sans-serif;font-size:13px'>"
            "<b>Backtest vs live</b> "
            f"(trades matched within {tol} min)<br>"
            f"{n['matched']} matched, {n['live_only']} live only, "
            f"{n['backtest_only']} backtest only; {n['exit_reason_mismatches']} exit reason "
            f"mismatches, {n['entry_delayed']} delayed entries<br>"
            f"profit live {s['live_profit_abs']:,.4f} vs backtest "
            f"{s['backtest_profit_abs']:,.4f}"
            f"<table><tr><th>part</th><th>difference</th></tr>{parts}</table></div>"
        )


def reconcile(
    live: pd.DataFrame,
    backtest: pd.DataFrame | Any,
    *,
    timeframe: str | None = "5m",
    tolerance: timedelta | pd.Timedelta | None = None,
    locks: pd.DataFrame | None = None,
    max_open_trades: int | None = None,
    whitelist: Sequence[str] | None = None,
    min_stakes: Mapping[str, float] | None = None,
) -> Reconciliation:
    """Match ``live`` trades with ``backtest`` trades and split the profit difference.

    Args:
        live: the bot's trades (``TradeHistory(client).frame()``); open trades are left out.
        backtest: a backtest's trades frame, or an object with a ``trades`` frame
            (a ``BacktestResult``). freqtrade's raw list of trade dicts works too.
        timeframe: the strategy's timeframe; the default ``tolerance`` is one candle of it.
        tolerance: how far apart two open times may be to match (overrides ``timeframe``).
        locks: the live bot's locks frame (``frames.locks``), to explain missed trades.
        max_open_trades: the live bot's limit, to explain missed trades.
        whitelist: the live bot's whitelist, to explain missed trades.
        min_stakes: the smallest stake per pair the exchange accepts, to explain missed
            trades.

    Returns a :class:`Reconciliation`; see the module docstring for what each part means.
    """
    tol = _tolerance(timeframe, tolerance)
    live_df = _closed(live, "live")
    bt_df = _closed(_trades_of(backtest), "backtest")
    pairs = _match(live_df, bt_df, tol)
    matched = _matched_frame(live_df, bt_df, pairs)
    used_live = {i for i, _ in pairs}
    used_bt = {j for _, j in pairs}
    live_only = live_df.iloc[[i for i in range(len(live_df)) if i not in used_live]].copy()
    backtest_only = bt_df.iloc[[j for j in range(len(bt_df)) if j not in used_bt]].copy()
    backtest_only["reason"] = [
        _why_missed(row, live_df, locks, max_open_trades, whitelist, min_stakes)
        for row in backtest_only.itertuples()
    ]
    live_only["reason"] = [
        _why_extra(row, bt_df, max_open_trades) for row in live_only.itertuples()
    ]
    parts = {name: float(matched[name].sum()) for name in ATTRIBUTION_PARTS[:4]}
    parts["missing_trades"] = -float(backtest_only["profit_abs"].sum())
    parts["extra_trades"] = float(live_only["profit_abs"].sum())
    total = float(live_df["profit_abs"].sum() - bt_df["profit_abs"].sum())
    # the matched parts sum to each trade's difference by construction; this puts the
    # last few ulps of float summation where they belong, so the parts add up exactly
    parts["size_and_other"] += total - sum(parts.values())
    attribution = pd.Series({**parts, "total": total}, name="profit_abs", dtype="float64")
    return Reconciliation(
        matched=matched,
        live_only=live_only.reset_index(drop=True),
        backtest_only=backtest_only.reset_index(drop=True),
        attribution=attribution,
        tolerance=tol,
        live_trades=live_df.reset_index(drop=True),
        backtest_trades=bt_df.reset_index(drop=True),
    )


# -- internals ------------------------------------------------------------------------------


def _tolerance(timeframe: str | None, tolerance: timedelta | pd.Timedelta | None) -> pd.Timedelta:
    if tolerance is not None:
        tol = pd.Timedelta(tolerance)
        if tol < pd.Timedelta(0):
            raise ValueError(f"tolerance must not be negative, got {tolerance!r}")
        return tol
    if timeframe is None:
        raise ValueError("give the strategy's timeframe (e.g. '5m') or a tolerance")
    minutes = {"m": 1, "h": 60, "d": 1440, "w": 10080}
    number, unit = timeframe[:-1], timeframe[-1:]
    if not number.isdigit() or unit not in minutes:
        raise ValueError(f"timeframe must look like '5m', '1h' or '1d', got {timeframe!r}")
    return pd.Timedelta(minutes=int(number) * minutes[unit])


def _trades_of(backtest: Any) -> pd.DataFrame:
    if isinstance(backtest, pd.DataFrame):
        return backtest
    trades = getattr(backtest, "trades", None)
    if isinstance(trades, pd.DataFrame):
        return trades
    if isinstance(backtest, list):
        return pd.DataFrame(backtest)
    raise ValueError(
        "backtest must be a trades DataFrame, a list of freqtrade trade dicts, or an object "
        f"with a .trades frame (a BacktestResult), got {type(backtest).__name__}"
    )


def _closed(trades: pd.DataFrame, which: str) -> pd.DataFrame:
    missing = [c for c in _NEEDED if c not in trades.columns]
    if missing:
        raise ValueError(f"reconcile: the {which} trades lack the column(s) {missing}")
    data = trades.loc[trades["close_date"].notna()].copy()
    for col in ("open_date", "close_date"):
        data[col] = pd.to_datetime(data[col], utc=True)
    data["pair"] = data["pair"].astype(str)
    data["exit_reason"] = data["exit_reason"].astype(object)
    data["is_short"] = data["is_short"].astype(bool) if "is_short" in data else False
    if "funding_fees" not in data:
        data["funding_fees"] = 0.0
    return data.sort_values(["open_date", "pair"], kind="stable").reset_index(drop=True)


def _match(live: pd.DataFrame, bt: pd.DataFrame, tol: pd.Timedelta) -> list[tuple[int, int]]:
    """One-to-one pairs of row positions (live, backtest): same pair and side, the closest
    open times first, never further apart than ``tol``."""
    live_ns, bt_ns = _nanos(live["open_date"]), np.asarray(_nanos(bt["open_date"]))
    limit = int(tol.value)
    candidates: list[tuple[int, int, int, int]] = []  # (gap, live open, live row, bt row)
    for (pair, short), rows in live.groupby(["pair", "is_short"], sort=False):
        others = np.flatnonzero(((bt["pair"] == pair) & (bt["is_short"] == short)).to_numpy())
        if not len(others):
            continue
        for i in (int(p) for p in np.flatnonzero(live.index.isin(rows.index))):
            gaps = np.abs(bt_ns[others] - live_ns[i])
            for k in np.flatnonzero(gaps <= limit):
                candidates.append((int(gaps[k]), live_ns[i], i, int(others[k])))
    candidates.sort()
    pairs: list[tuple[int, int]] = []
    taken_live: set[int] = set()
    taken_bt: set[int] = set()
    for _, _, i, j in candidates:
        if i not in taken_live and j not in taken_bt:
            pairs.append((i, j))
            taken_live.add(i)
            taken_bt.add(j)
    return sorted(pairs, key=lambda p: (live_ns[p[0]], p[0]))


def _nanos(dates: pd.Series) -> list[int]:
    naive = dates.dt.tz_convert(None).to_numpy().astype("datetime64[ns]")
    return [int(v) for v in naive.astype(np.int64)]


def _value(amount: Any, entry: Any, exit_: Any, fee_open: Any, fee_close: Any, short: Any) -> Any:
    """freqtrade's profit before funding: close value minus open value, fees included."""
    long = amount * (exit_ * (1 - fee_close) - entry * (1 + fee_open))
    return np.where(short, amount * (entry * (1 - fee_open) - exit_ * (1 + fee_close)), long)


def _matched_frame(
    live: pd.DataFrame, bt: pd.DataFrame, pairs: list[tuple[Any, Any]]
) -> pd.DataFrame:
    lv = live.loc[[i for i, _ in pairs]].reset_index(drop=True)
    bk = bt.loc[[j for _, j in pairs]].reset_index(drop=True)
    out = pd.DataFrame({"pair": lv["pair"], "is_short": lv["is_short"]})
    for col in _KEEP:
        out[f"{col}_live"] = lv[col]
        out[f"{col}_backtest"] = bk[col]
    out["entry_slip"] = lv["open_date"] - bk["open_date"]
    out["exit_slip"] = lv["close_date"] - bk["close_date"]
    out["entry_price_slip"] = lv["open_rate"] / bk["open_rate"] - 1
    out["exit_price_slip"] = lv["close_rate"] / bk["close_rate"] - 1
    out["exit_reason_live"] = lv["exit_reason"]
    out["exit_reason_backtest"] = bk["exit_reason"]
    out["exit_reason_match"] = (lv["exit_reason"] == bk["exit_reason"]).to_numpy()
    out["profit_abs_live"] = lv["profit_abs"]
    out["profit_abs_backtest"] = bk["profit_abs"]
    out["profit_diff"] = lv["profit_abs"] - bk["profit_abs"]
    a, s = bk["amount"], bk["is_short"]
    step0 = _value(a, bk["open_rate"], bk["close_rate"], bk["fee_open"], bk["fee_close"], s)
    step1 = _value(a, lv["open_rate"], bk["close_rate"], bk["fee_open"], bk["fee_close"], s)
    step2 = _value(a, lv["open_rate"], lv["close_rate"], bk["fee_open"], bk["fee_close"], s)
    step3 = _value(a, lv["open_rate"], lv["close_rate"], lv["fee_open"], lv["fee_close"], s)
    out["entry_price"] = step1 - step0
    out["exit_price"] = step2 - step1
    out["fees"] = step3 - step2
    out["size_and_other"] = out["profit_diff"] - (step3 - step0)
    return out


def _open_at(trades: pd.DataFrame, when: pd.Timestamp) -> int:
    return int(((trades["open_date"] <= when) & (trades["close_date"] > when)).sum())


def _why_missed(
    row: Any,
    live: pd.DataFrame,
    locks: pd.DataFrame | None,
    max_open_trades: int | None,
    whitelist: Sequence[str] | None,
    min_stakes: Mapping[str, float] | None,
) -> str | None:
    """A likely reason the live bot did not make a backtest trade, or None."""
    when = row.open_date
    if whitelist is not None and row.pair not in set(whitelist):
        return "pair not in the live whitelist"
    if locks is not None and not locks.empty:
        pair_match = (locks["pair"].astype(str) == row.pair) | (locks["pair"].astype(str) == "*")
        start = pd.to_datetime(locks["lock_time"], utc=True)
        end = pd.to_datetime(locks["lock_end_time"], utc=True)
        if (pair_match & (start <= when) & (end > when)).any():
            return "pair locked on the live bot"
    if max_open_trades is not None and _open_at(live, when) >= max_open_trades:
        return "max_open_trades reached on the live bot"
    if (
        min_stakes is not None
        and row.pair in min_stakes
        and row.stake_amount < min_stakes[row.pair]
    ):
        return "stake below the market's minimum"
    return None


def _why_extra(row: Any, bt: pd.DataFrame, max_open_trades: int | None) -> str | None:
    """A likely reason the backtest did not make a live trade, or None."""
    tag = getattr(row, "enter_tag", None)
    if isinstance(tag, str) and tag.startswith("force"):
        return "forced entry on the live bot"
    if max_open_trades is not None and _open_at(bt, row.open_date) >= max_open_trades:
        return "max_open_trades reached in the backtest"
    return None
