"""One strategy's backtest result as typed frames, a summary Series and a notebook card.

:class:`BacktestResult` wraps one entry of freqtrade's ``backtest_result["strategy"]``
(plus its ``metadata`` entry). The trades and orders frames are built at once; the
per-key tables, periods, locks and summary are built on first use and kept. The wallet
and market change come from their own routes; :mod:`ftnotebook.backtest` fills them in
when it loads a stored run (:func:`~ftnotebook.backtest.load`, ``BacktestRun.wait``).

>>> results = BacktestResult.from_response(client.backtest())   # {strategy: result}
>>> r = results["FtnbDemo"]
>>> r.trades.dtypes["open_date"], r.summary["profit_total_abs"]
>>> r.pairs.loc[:, ["pair", "trades", "profit_total_abs"]]
>>> r.periodic("week")
>>> r.to_parquet("runs/ftnbdemo-100"); BacktestResult.read_parquet("runs/ftnbdemo-100") == r
"""

from __future__ import annotations

import html
import json
import math
import os
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from ftnotebook.backtest import _convert as cv
from ftnotebook.schemas import SCHEMAS

__all__ = ["SETTINGS", "BacktestResult", "strategy_comparison"]

SETTINGS = (
    "strategy_name",
    "timeframe",
    "timeframe_detail",
    "timerange",
    "pairlist",
    "stake_amount",
    "stake_currency",
    "dry_run_wallet",
    "max_open_trades",
    "max_open_trades_setting",
    "enable_protections",
    "minimal_roi",
    "stoploss",
    "trailing_stop",
    "trailing_stop_positive",
    "trailing_stop_positive_offset",
    "trailing_only_offset_is_reached",
    "use_custom_stoploss",
    "use_exit_signal",
    "exit_profit_only",
    "exit_profit_offset",
    "ignore_roi_if_entry_signal",
    "trading_mode",
    "margin_mode",
    "freqaimodel",
    "freqai_identifier",
)
"""The stats that are the run's settings (what was asked for) rather than its outcome."""

_TABLES = {
    "pairs": ("results_per_pair", "backtest_pairs"),
    "enter_tags": ("results_per_enter_tag", "backtest_enter_tags"),
    "exit_reasons": ("exit_reason_summary", "backtest_exit_reasons"),
    "mix_tags": ("mix_tag_stats", "backtest_mix_tags"),
    "left_open": ("left_open_trades", "backtest_left_open"),
}
_BULKY = frozenset(
    {
        "trades",
        "locks",
        "results_per_pair",
        "results_per_enter_tag",
        "exit_reason_summary",
        "mix_tag_stats",
        "left_open_trades",
        "periodic_breakdown",
        "daily_profit",
    }
)


class BacktestResult:
    """One strategy's backtest: trades, orders, tables, summary, settings, metadata.

    Build it with :meth:`from_response` (a ``/backtest`` or history answer) or
    :meth:`from_stats`; :meth:`read_parquet` restores one written by :meth:`to_parquet`.

    Attributes:
        strategy: the strategy's class name.
        stats: freqtrade's raw result for this strategy (every key of
            ``generate_strategy_stats``; after :meth:`read_parquet`, without ``trades``).
        metadata: freqtrade's metadata entry (``run_id``, ``filename`` once stored, …).
        trades: ``backtest_trades`` frame (schema ``SCHEMAS["backtest_trades"]``).
        orders: ``backtest_orders`` frame.
        wallet: ``backtest_wallet`` frame, or None when not loaded from the bot.
        market_change: ``backtest_market_change`` frame, or None when not loaded.
    """

    def __init__(
        self,
        strategy: str,
        stats: Mapping[str, Any],
        metadata: Mapping[str, Any] | None = None,
        *,
        trades: pd.DataFrame | None = None,
        orders: pd.DataFrame | None = None,
        wallet: pd.DataFrame | None = None,
        market_change: pd.DataFrame | None = None,
    ) -> None:
        if not isinstance(stats, Mapping):
            raise ValueError(f"stats must be freqtrade's result dict, got {type(stats).__name__}")
        self.strategy = strategy
        self.stats: dict[str, Any] = dict(stats)
        self.metadata: dict[str, Any] = dict(metadata or {})
        raw_trades = self.stats.get("trades") or []
        self.trades = cv.trades_frame(raw_trades) if trades is None else trades
        self.orders = cv.orders_frame(raw_trades) if orders is None else orders
        self.wallet = wallet
        self.market_change = market_change

    # ------------------------------------------------------------ constructors

    @classmethod
    def from_stats(cls, result: Mapping[str, Any], strategy: str | None = None) -> BacktestResult:
        """One strategy out of freqtrade's ``backtest_result`` dict (default: the only one)."""
        strategies = result.get("strategy") or {}
        if strategy is None:
            if len(strategies) != 1:
                raise ValueError(
                    f"the result holds {sorted(strategies)}: pass strategy= to pick one"
                )
            strategy = next(iter(strategies))
        if strategy not in strategies:
            raise ValueError(f"no strategy {strategy!r} in the result; it has {sorted(strategies)}")
        meta = (result.get("metadata") or {}).get(strategy) or {}
        return cls(strategy, strategies[strategy], meta)

    @classmethod
    def from_response(cls, response: Mapping[str, Any]) -> dict[str, BacktestResult]:
        """Every strategy of a ``/backtest`` (or ``/backtest/history/result``) answer.

        Returns ``{strategy: BacktestResult}`` in the bot's order.

        Raises:
            ValueError: the answer holds no result (still running, failed, not started).
        """
        result = response.get("backtest_result")
        if not result:
            raise ValueError(
                f"the answer holds no backtest result (status {response.get('status')!r}: "
                f"{response.get('status_msg', '')})"
            )
        return {name: cls.from_stats(result, name) for name in result.get("strategy") or {}}

    # ------------------------------------------------------------------ tables

    def _table(self, attr: str) -> pd.DataFrame:
        key, schema = _TABLES[attr]
        return cv.key_table(self.stats.get(key) or [], schema)

    @cached_property
    def pairs(self) -> pd.DataFrame:
        """Per pair (``results_per_pair``); the TOTAL row is ``attrs['total']``."""
        return self._table("pairs")

    @cached_property
    def enter_tags(self) -> pd.DataFrame:
        """Per entry tag (``results_per_enter_tag``)."""
        return self._table("enter_tags")

    @cached_property
    def exit_reasons(self) -> pd.DataFrame:
        """Per exit reason (``exit_reason_summary``)."""
        return self._table("exit_reasons")

    @cached_property
    def mix_tags(self) -> pd.DataFrame:
        """Per entry tag and exit reason (``mix_tag_stats``)."""
        return self._table("mix_tags")

    @cached_property
    def left_open(self) -> pd.DataFrame:
        """Trades still open at the end of the run, per pair (``left_open_trades``)."""
        return self._table("left_open")

    def periodic(self, period: str = "month") -> pd.DataFrame:
        """freqtrade's periodic breakdown for ``period``: day, week, month, year or weekday.

        >>> result.periodic("weekday").loc["Monday", "profit_abs"]
        """
        if period not in cv.PERIODS:
            raise ValueError(f"period must be one of {list(cv.PERIODS)}, got {period!r}")
        cache: dict[str, pd.DataFrame] = self.__dict__.setdefault("_periods", {})
        if period not in cache:
            rows = (self.stats.get("periodic_breakdown") or {}).get(period) or []
            cache[period] = cv.period_frame(rows, period)
        return cache[period]

    @cached_property
    def daily_profit(self) -> pd.DataFrame:
        """Profit per UTC day (``daily_profit``), every day of the run."""
        return cv.daily_frame(self.stats.get("daily_profit") or [])

    @cached_property
    def locks(self) -> pd.DataFrame:
        """Locks the protections set during the run."""
        return cv.locks_frame(self.stats.get("locks") or [])

    # ----------------------------------------------------------------- summary

    @cached_property
    def summary(self) -> pd.Series:
        """Every scalar outcome of the run (settings apart), one typed value per name.

        Ratios and money are floats, counts ints, ``*_ts`` epochs become ``Timestamp``
        (named without ``_ts``, replacing freqtrade's formatted string), ``*_s`` durations
        ``Timedelta`` (named without ``_s``); the wallet stats are prefixed ``wallet_``.
        """
        return pd.Series(
            _scalars(self.stats, skip=frozenset(SETTINGS)), dtype=object, name=self.strategy
        )

    @cached_property
    def settings(self) -> pd.Series:
        """What the run was asked to do: strategy, timeframe, timerange, stake, ROI, ..."""
        values = {k: self.stats.get(k) for k in SETTINGS if k in self.stats}
        return pd.Series(values, dtype=object, name=self.strategy)

    @property
    def filename(self) -> str | None:
        """The bot's stored result file (the key for history calls), if it was stored."""
        value = self.metadata.get("filename")
        return str(value) if value else None

    @property
    def starting_balance(self) -> float:
        """The run's starting balance (``dry_run_wallet``), quote currency."""
        return float(self.stats.get("starting_balance") or 0.0)

    @property
    def start(self) -> pd.Timestamp:
        """Start of the backtested range (UTC)."""
        start: pd.Timestamp = cv.to_timestamp(self.stats.get("backtest_start_ts"))
        return start

    @property
    def end(self) -> pd.Timestamp:
        """End of the backtested range (UTC)."""
        end: pd.Timestamp = cv.to_timestamp(self.stats.get("backtest_end_ts"))
        return end

    @property
    def label(self) -> str:
        """A short name for tables and legends: strategy, timerange and stake."""
        stake = self.stats.get("stake_amount")
        return f"{self.strategy} {self.stats.get('timerange', '')} stake {stake}".strip()

    # ---------------------------------------------------------------- display

    def card(self) -> dict[str, Any]:
        """The figures the notebook card shows, by label."""
        s = self.stats
        cur = s.get("stake_currency", "")
        return {
            "Strategy": self.strategy,
            "Timerange": f"{_day(self.start)} → {_day(self.end)} ({s.get('backtest_days')} days)",
            "Timeframe": s.get("timeframe", ""),
            "Trades": f"{s.get('total_trades', 0)} ({s.get('trades_per_day', 0)}/day)",
            "Profit": f"{s.get('profit_total_abs', 0.0):,.3f} {cur} "
            f"({s.get('profit_total', 0.0):.2%})",
            "Max drawdown": f"{s.get('max_drawdown_abs', 0.0):,.3f} {cur} "
            f"({s.get('max_drawdown_account', 0.0):.2%})",
            "Win rate": f"{s.get('winrate', 0.0):.1%} "
            f"({s.get('wins', 0)}/{s.get('draws', 0)}/{s.get('losses', 0)})",
            "Profit factor": _num(s.get("profit_factor")),
            "Sharpe / Sortino / Calmar": " / ".join(
                _num(s.get(k)) for k in ("sharpe", "sortino", "calmar")
            ),
            "SQN / Expectancy": f"{_num(s.get('sqn'))} / {_num(s.get('expectancy'))} {cur}",
            "Market change": f"{s.get('market_change', 0.0):.2%}",
        }

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>"
            for k, v in self.card().items()
        )
        profit = float(self.stats.get("profit_total_abs") or 0.0)
        colour = "#2ca02c" if profit > 0 else "#d62728" if profit < 0 else "#888"
        return (
            f"<div class='ftnb-backtest-card' style='border-left:4px solid {colour};"
            "padding:4px 10px;display:inline-block'>"
            f"<b>Backtest {html.escape(self.strategy)}</b>"
            f"<table style='margin-top:4px'>{rows}</table></div>"
        )

    def __repr__(self) -> str:
        s = self.stats
        return (
            f"BacktestResult({self.strategy!r}, {s.get('timerange', '')!r}, "
            f"trades={s.get('total_trades', len(self.trades))}, "
            f"profit={s.get('profit_total_abs', 0.0):.4f} {s.get('stake_currency', '')})"
        )

    # ------------------------------------------------------------- round trip

    def to_parquet(self, path: str | os.PathLike[str]) -> Path:
        """Write the result to directory ``path`` (created): trades, orders, wallet and
        market change as parquet, everything else as ``result.json``. Returns the path.

        :meth:`read_parquet` gives back a result equal to this one (``==``).
        """
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        self.trades.to_parquet(out / "trades.parquet")
        self.orders.to_parquet(out / "orders.parquet")
        for name in ("wallet", "market_change"):
            frame = getattr(self, name)
            target = out / f"{name}.parquet"
            if frame is not None:
                frame.to_parquet(target)
            else:
                target.unlink(missing_ok=True)
        stats = {k: v for k, v in self.stats.items() if k != "trades"}
        doc = {"format": 1, "strategy": self.strategy, "stats": stats, "metadata": self.metadata}
        (out / "result.json").write_text(json.dumps(doc, default=str), encoding="utf-8")
        return out

    @classmethod
    def read_parquet(cls, path: str | os.PathLike[str]) -> BacktestResult:
        """Read a result written by :meth:`to_parquet`.

        Raises:
            FileNotFoundError: ``path`` holds no ``result.json``.
        """
        src = Path(path)
        doc = json.loads((src / "result.json").read_text(encoding="utf-8"))
        extra = {
            name: pd.read_parquet(src / f"{name}.parquet")
            if (src / f"{name}.parquet").exists()
            else None
            for name in ("wallet", "market_change")
        }
        return cls(
            doc["strategy"],
            doc["stats"],
            doc["metadata"],
            trades=_restore(pd.read_parquet(src / "trades.parquet"), "backtest_trades"),
            orders=_restore(pd.read_parquet(src / "orders.parquet"), "backtest_orders"),
            **extra,
        )

    def equals(self, other: object) -> bool:
        """Same strategy, stats (trades aside), metadata and equal frames."""
        if not isinstance(other, BacktestResult):
            return False
        mine = {k: v for k, v in self.stats.items() if k != "trades"}
        theirs = {k: v for k, v in other.stats.items() if k != "trades"}
        if (self.strategy, _jsonable(mine), self.metadata) != (
            other.strategy,
            _jsonable(theirs),
            other.metadata,
        ):
            return False
        for name in ("trades", "orders", "wallet", "market_change"):
            a, b = getattr(self, name), getattr(other, name)
            if (a is None) != (b is None):
                return False
            if a is not None and not a.equals(b):
                return False
        return True

    def __eq__(self, other: object) -> bool:
        return self.equals(other)

    __hash__ = None  # type: ignore[assignment]


def strategy_comparison(source: Mapping[str, Any] | Sequence[BacktestResult]) -> pd.DataFrame:
    """One row per strategy, as freqtrade's ``strategy_comparison`` table.

    ``source`` is a ``/backtest`` answer (its own table), or results (e.g. the values
    of :func:`~ftnotebook.backtest.load_all`), whose table is built the way freqtrade
    builds it: each result's TOTAL pairs row, keyed by strategy, with its drawdown.
    """
    if isinstance(source, Mapping) and (
        "backtest_result" in source or "strategy_comparison" in source
    ):
        result = source.get("backtest_result") or source
        return cv.key_table(result.get("strategy_comparison") or [], "backtest_strategies")
    results = list(source.values()) if isinstance(source, Mapping) else list(source)
    rows = []
    for r in results:
        if not isinstance(r, BacktestResult):
            raise ValueError(f"expected BacktestResult objects, got {type(r).__name__}")
        row = dict((r.stats.get("results_per_pair") or [{}])[-1])
        row["key"] = r.strategy
        row["max_drawdown_account"] = r.stats.get("max_drawdown_account", 0.0)
        row["max_drawdown_abs"] = r.stats.get("max_drawdown_abs", 0.0)
        rows.append(row)
    return cv.key_table(rows, "backtest_strategies")


def _restore(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Parquet turns an all-null categorical into another dtype: give it back."""
    for col in SCHEMAS[name].columns:
        if (
            col.name in df.columns
            and col.dtype == "category"
            and not isinstance(df[col.name].dtype, pd.CategoricalDtype)
        ):
            values = [None if pd.isna(v) else v for v in df[col.name].astype(object)]
            df[col.name] = pd.Categorical(values)
    return df


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _scalars(stats: Mapping[str, Any], *, skip: frozenset[str], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in stats.items():
        if key in skip or key in _BULKY or isinstance(value, list):
            continue
        if isinstance(value, Mapping):
            if key == "wallet_stats":
                out.update(_scalars(value, skip=frozenset(), prefix="wallet_"))
            continue  # best_pair/worst_pair: rows of the pairs table
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if key in _EPOCH_SECONDS and number:
            out[prefix + key[:-3]] = pd.Timestamp(int(value), unit="s", tz="UTC").as_unit("ms")
        elif key.endswith("_ts") and (number or value is None):
            out[prefix + key[:-3]] = cv.to_timestamp(value) if value else pd.NaT
        elif key.endswith("_s") and number:
            out[prefix + key[:-2]] = cv.to_timedelta(value)
        elif f"{key}_ts" in stats or f"{key}_s" in stats or f"{key[:-5]}_ts" in stats:
            continue  # freqtrade's formatted twin of a typed value
        else:
            out[prefix + key] = value
    return out


_EPOCH_SECONDS = frozenset({"backtest_run_start_ts", "backtest_run_end_ts"})


def _day(ts: Any) -> str:
    return "?" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%d")


def _num(value: Any) -> str:
    if value is None:
        return "-"
    number = float(value)
    return "∞" if math.isinf(number) else f"{number:.2f}"
