"""The trade set: what a tear sheet (or a comparison) needs, whatever it came from.

A :class:`TradeSet` is trades plus the starting balance, the stake currency, the span
they cover, a label and, when known, the market they traded in (the pairs' candles or
freqtrade's ``market_change``) and the wallet history. It is built from a trades frame
(:meth:`TradeSet.from_frame`), from a running bot (:meth:`TradeSet.from_bot`) or from a
backtest result (:meth:`TradeSet.from_backtest`); reports take it and never a client.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ftnotebook.client import FtClient
    from ftnotebook.frames import TradeHistory

__all__ = ["TradeSet", "backtest_trades", "benchmark_index", "market_change"]

_NEEDED = ("open_date", "close_date", "profit_abs", "profit_ratio")


def _utc(value: Any, name: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a date or timestamp, got {value!r}") from exc
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def _close_series(df: pd.DataFrame, column: str) -> pd.Series:
    """A candle frame's ``column`` indexed by UTC time (``date`` column or index)."""
    if "date" in df.columns:
        index = pd.DatetimeIndex(pd.to_datetime(df["date"], utc=True))
    elif isinstance(df.index, pd.DatetimeIndex):
        index = df.index if df.index.tz is not None else df.index.tz_localize("UTC")
    else:
        raise ValueError("each candle frame needs a 'date' column or a DatetimeIndex")
    if column not in df.columns:
        raise ValueError(f"candle frames need a {column!r} column; got {list(df.columns)[:8]}")
    return pd.Series(df[column].to_numpy(dtype="float64"), index=index).dropna().sort_index()


def market_change(
    candles: Mapping[str, pd.DataFrame],
    *,
    column: str = "close",
    min_date: Any = None,
    max_date: Any = None,
) -> float:
    """freqtrade's ``calculate_market_change``: the mean over pairs of
    ``(last - first) / first`` of ``column``, from ``min_date`` on (and up to
    ``max_date``, which freqtrade's function does not take). 0.0 without data.

    >>> market_change({"BTC/USDT": candles_btc, "ETH/USDT": candles_eth}, min_date=start)
    """
    lo, hi = _utc(min_date, "min_date"), _utc(max_date, "max_date")
    changes = []
    for series in (_close_series(df, column) for df in candles.values()):
        if lo is not None:
            series = series[series.index >= lo]
        if hi is not None:
            series = series[series.index <= hi]
        if len(series):
            changes.append((series.iloc[-1] - series.iloc[0]) / series.iloc[0])
    return float(np.mean(changes)) if changes else 0.0


def benchmark_index(
    candles: Mapping[str, pd.DataFrame],
    *,
    column: str = "close",
    min_date: Any = None,
    max_date: Any = None,
) -> pd.Series:
    """Buy-and-hold of the pairlist, equal weight: the mean over pairs of
    ``close / first close`` (1.0 at the start), indexed by UTC time.

    A pair that has no candle at some time keeps its last close. Its last value minus 1
    is :func:`market_change` when every pair has data to the end.
    """
    lo, hi = _utc(min_date, "min_date"), _utc(max_date, "max_date")
    parts = {}
    for pair, df in candles.items():
        series = _close_series(df, column)
        if lo is not None:
            series = series[series.index >= lo]
        if hi is not None:
            series = series[series.index <= hi]
        if len(series):
            parts[pair] = series / series.iloc[0]
    if not parts:
        return pd.Series([], dtype="float64", index=pd.DatetimeIndex([], tz="UTC"))
    combined = pd.concat(parts, axis=1).sort_index().ffill()
    out: pd.Series = combined.mean(axis=1)
    out.name = "benchmark"
    out.index.name = "date"
    return out


@dataclass(frozen=True)
class TradeSet:
    """Trades and the account they ran on.

    Attributes:
        trades: the trades frame (closed trades, optionally the open ones with
            ``is_open``): ``open_date``, ``close_date`` (UTC), ``profit_abs``,
            ``profit_ratio``; ``pair`` for the per-pair views.
        starting_balance: the capital the trades started from, in stake currency.
        stake_currency: ``"USDT"`` ..., for labels.
        start, end: the span the trades cover (UTC). freqtrade's ratios (Sharpe,
            Sortino, Calmar, CAGR) use it as their ``min_date``/``max_date``.
        label: the name shown in titles and legends (bot name, strategy, run id).
        final_balance: the balance at the end, for CAGR (default: starting balance plus
            the closed profit).
        market_change: buy-and-hold of the pairlist over the span, as a ratio
            (freqtrade's ``market_change``); computed from ``benchmark`` when missing.
        benchmark: the buy-and-hold index (1.0 at the start, :func:`benchmark_index`),
            for the benchmark curve, alpha and beta; None when only the ratio is known.
        balance_history: wallet snapshots (``total_quote`` indexed by time, from
            ``/historic_balance``): where two days have snapshots, the day's return is the
            wallet's, so unrealised profit counts.
        source: ``"frame"``, ``"bot"`` or ``"backtest"``.
    """

    trades: pd.DataFrame
    starting_balance: float
    stake_currency: str = ""
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    label: str = "trades"
    final_balance: float | None = None
    market_change: float | None = None
    benchmark: pd.Series | None = None
    balance_history: pd.Series | None = None
    source: str = "frame"
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.trades, pd.DataFrame):
            raise ValueError(f"trades must be a pandas DataFrame, got {type(self.trades).__name__}")
        missing = [c for c in _NEEDED if c not in self.trades.columns]
        if missing:
            raise ValueError(f"trades lacks column(s) {missing}; a trade set needs {list(_NEEDED)}")
        balance = self.starting_balance
        if isinstance(balance, bool) or not isinstance(balance, (int, float, np.floating)):
            raise ValueError(f"starting_balance must be a number, got {balance!r}")
        if not np.isfinite(balance) or balance <= 0:
            raise ValueError(f"starting_balance must be a positive number, got {balance!r}")
        object.__setattr__(self, "starting_balance", float(balance))
        object.__setattr__(self, "start", _utc(self.start, "start"))
        object.__setattr__(self, "end", _utc(self.end, "end"))
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        if self.market_change is None and self.benchmark is not None and len(self.benchmark):
            object.__setattr__(self, "market_change", float(self.benchmark.iloc[-1] - 1.0))

    # ------------------------------------------------------------------ builders

    @classmethod
    def from_frame(
        cls,
        trades: pd.DataFrame,
        *,
        starting_balance: float,
        stake_currency: str = "",
        label: str = "trades",
        start: Any = None,
        end: Any = None,
        final_balance: float | None = None,
        candles: Mapping[str, pd.DataFrame] | None = None,
        market_change: float | None = None,
        balance_history: pd.Series | pd.DataFrame | None = None,
    ) -> TradeSet:
        """A trade set from a trades frame and a starting balance.

        ``start``/``end`` default to the first and last ``open_date`` (in ``trade_id``
        order when there is one), the span ``/profit`` uses. ``candles`` (pair → candle
        frame with ``date`` and ``close``) give the benchmark; ``market_change`` alone
        gives only its ratio.

        >>> ts = TradeSet.from_frame(trades, starting_balance=1000, stake_currency="USDT")
        """
        if not isinstance(trades, pd.DataFrame):
            raise ValueError(f"trades must be a pandas DataFrame, got {type(trades).__name__}")
        if start is None or end is None:
            first, last = _open_span(trades)
            start = first if start is None else start
            end = last if end is None else end
        bench = None
        if candles:
            bench = benchmark_index(candles, min_date=start, max_date=end)
            if market_change is None:
                market_change = _market_change_or_none(candles, start, end)
        wallet = None
        if balance_history is not None:
            wallet = _wallet(balance_history)
        return cls(
            trades=trades,
            starting_balance=starting_balance,
            stake_currency=stake_currency,
            start=start,
            end=end,
            label=label,
            final_balance=final_balance,
            market_change=market_change,
            benchmark=bench,
            balance_history=wallet,
        )

    @classmethod
    def from_bot(
        cls,
        client: FtClient,
        *,
        history: TradeHistory | None = None,
        label: str | None = None,
        candles: Mapping[str, pd.DataFrame] | None = None,
        benchmark: bool = True,
    ) -> TradeSet:
        """A trade set from a running bot: every trade (open ones included), the
        starting capital and final balance (:func:`ftnotebook.capital.capital`, read once
        per bot), ``/historic_balance`` when it has rows, and the benchmark.

        The benchmark comes from ``candles`` when given (e.g. ``frames.pair_history``
        from a webserver bot, which covers the whole span), else from the bot's own
        candles of the whitelist (``/pair_candles``, its strategy timeframe): those
        cover the bot's recent window only, so the benchmark starts where they do.
        ``benchmark=False`` skips it.

        >>> ts = TradeSet.from_bot(client)
        >>> TearSheet(ts)
        """
        from ftnotebook import frames
        from ftnotebook.capital import capital

        history = history or frames.TradeHistory(client, progress=False)
        trades = history.frame(include_open=True)
        cap = capital(client, trades)
        config = client.show_config()
        first, last = _open_span(trades)
        wallet = frames.historic_balance(client)
        if benchmark and candles is None:
            timeframe = str(config.get("timeframe") or "")
            pairs = list(client.whitelist().get("whitelist") or [])
            candles = (
                {p: frames.pair_candles(client, p, timeframe) for p in pairs} if timeframe else {}
            )
        market = None
        bench = None
        if benchmark and candles:
            bench = benchmark_index(candles, min_date=first)
            market = _market_change_or_none(candles, first, None)
        return cls(
            trades=trades,
            starting_balance=cap.starting_balance(trades),
            stake_currency=cap.stake_currency or str(config.get("stake_currency", "")),
            start=first,
            end=last,
            label=label or str(config.get("bot_name") or "bot"),
            final_balance=cap.final_balance(trades),
            market_change=market,
            benchmark=bench if bench is not None and len(bench) else None,
            balance_history=_wallet(wallet) if len(wallet) else None,
            source="bot",
        )

    @classmethod
    def from_backtest(
        cls,
        result: Any,
        *,
        strategy: str | None = None,
        candles: Mapping[str, pd.DataFrame] | None = None,
    ) -> TradeSet:
        """A trade set from a backtest result (an object with ``trades``,
        ``starting_balance``, ``stake_currency``, ``backtest_start``/``backtest_end``,
        ``market_change``, e.g. ``ftnotebook.backtest.BacktestResult``), or from
        freqtrade's stats dict (the whole ``backtest_result`` with ``strategy=``, or
        one strategy's ``results["strategy"][name]``).

        The backtest's own ``market_change`` is kept; ``candles`` (the pairs' candles,
        e.g. ``frames.pair_history`` on the webserver bot) add the benchmark curve,
        alpha and beta.

        >>> ts = TradeSet.from_backtest(client.backtest()["backtest_result"], strategy="FtnbDemo")
        """
        stats = getattr(result, "stats", None)
        typed = getattr(result, "trades", None)
        if isinstance(stats, Mapping) and isinstance(typed, pd.DataFrame):
            # a BacktestResult: freqtrade's figures from its stats, its typed trades frame
            get = _getter(stats, None)
            trades: Any = typed
        else:
            get = _getter(result, strategy)
            trades = get("trades")
        if not isinstance(trades, pd.DataFrame):
            trades = backtest_trades(list(trades or []))
        start, end = get("backtest_start", None), get("backtest_end", None)
        bench = None
        if candles:
            bench = benchmark_index(candles, min_date=start, max_date=end)
        return cls(
            trades=trades,
            starting_balance=float(get("starting_balance")),
            stake_currency=str(get("stake_currency", "") or ""),
            start=start,
            end=end,
            label=str(get("strategy_name", None) or strategy or "backtest"),
            final_balance=_float_or_none(get("final_balance", None)),
            market_change=_float_or_none(get("market_change", None)),
            benchmark=bench if bench is not None and len(bench) else None,
            source="backtest",
        )

    def with_label(self, label: str) -> TradeSet:
        """The same trade set under another label."""
        return replace(self, label=label)


def backtest_trades(rows: list[Mapping[str, Any]]) -> pd.DataFrame:
    """freqtrade's backtest trade dicts (``results["strategy"][name]["trades"]``) as a
    frame: dates as UTC timestamps, ``trade_duration`` (minutes) as a Timedelta, the
    nested ``orders`` dropped."""
    df = pd.DataFrame([{k: v for k, v in r.items() if k != "orders"} for r in rows])
    if df.empty:
        return pd.DataFrame(columns=[*_NEEDED, "pair", "is_open"])
    for col in ("open_date", "close_date"):
        df[col] = pd.to_datetime(df[col], utc=True)
    if "trade_duration" in df.columns:
        df["trade_duration"] = pd.to_timedelta(df["trade_duration"], unit="min")
    if "is_open" in df.columns:
        df["is_open"] = df["is_open"].astype(bool)
    return df


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def _getter(result: Any, strategy: str | None) -> Any:
    if isinstance(result, Mapping):
        data: Mapping[str, Any] = result
        if "strategy" in data and isinstance(data["strategy"], Mapping):
            names = list(data["strategy"])
            name = strategy or (names[0] if len(names) == 1 else None)
            if name is None:
                raise ValueError(f"pass strategy=, one of {names}")
            data = data["strategy"][name]
        missing = object()

        def get_map(key: str, default: Any = missing) -> Any:
            if key in data:
                return data[key]
            if default is missing:
                raise ValueError(f"the backtest result has no {key!r}; it has {list(data)[:12]}")
            return default

        return get_map

    def get_attr(key: str, default: Any = None) -> Any:
        return getattr(result, key, default)

    return get_attr


def _market_change_or_none(
    candles: Mapping[str, pd.DataFrame], start: Any, end: Any
) -> float | None:
    return market_change(candles, min_date=start, max_date=end) if candles else None


def _open_span(trades: pd.DataFrame) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """First and last ``open_date`` in ``trade_id`` order (``/profit``'s span)."""
    if len(trades) == 0 or "open_date" not in trades.columns:
        return None, None
    ordered = trades.sort_values("trade_id", kind="stable") if "trade_id" in trades else trades
    return ordered["open_date"].iloc[0], ordered["open_date"].iloc[-1]


def _wallet(balance: pd.Series | pd.DataFrame) -> pd.Series:
    """Wallet snapshots as a float Series indexed by UTC time."""
    if isinstance(balance, pd.DataFrame):
        if "total_quote" not in balance.columns:
            raise ValueError("balance_history needs a 'total_quote' column (/historic_balance)")
        if "date" in balance.columns:
            balance = balance.set_index("date")
        balance = balance["total_quote"]
    index = pd.DatetimeIndex(pd.to_datetime(balance.index, utc=True))
    out = pd.Series(balance.to_numpy(dtype="float64"), index=index, name="total_quote")
    return out.dropna().sort_index()
