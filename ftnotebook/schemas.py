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
    "TRADE_CORE",
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
    source: str | None = None
    """The raw JSON key the values come from, when it differs from ``name``."""
    required: bool = True
    """False for columns only some rows or versions carry (filled with NA when absent)."""


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


def _cols(*spec: tuple[Any, ...]) -> tuple[Column, ...]:
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


# ------------------------------------------------------------------------------ trades

_TRADE = (
    ("trade_id", "int64", "the bot's trade id (unique)"),
    ("pair", C, "traded pair, e.g. BTC/USDT"),
    ("base_currency", C, "base currency of the pair"),
    ("quote_currency", C, "quote (stake) currency of the pair"),
    ("is_open", B, "the trade is still open"),
    ("exchange", C, "exchange name"),
    ("strategy", C, "strategy that opened the trade"),
    ("enter_tag", C, "entry tag of the signal (NA when none)"),
    ("exit_reason", C, "why the trade closed: roi, stop_loss, exit_signal, force_exit ..."),
    ("exit_order_status", C, "status of the last exit order"),
    ("timeframe", I, "strategy timeframe in minutes"),
    ("is_short", B, "short position"),
    ("trading_mode", C, "spot, margin or futures"),
    ("leverage", F, "leverage (1.0 for spot)"),
    ("amount", F, "position size in base currency"),
    ("amount_requested", F, "amount asked for at entry"),
    ("stake_amount", F, "stake in quote currency"),
    ("max_stake_amount", F, "largest stake the trade held (with DCA)"),
    ("open_date", TS, "entry time", "open_timestamp"),
    ("open_fill_date", TS, "first entry fill time", "open_fill_timestamp", False),
    ("close_date", TS, "exit time (NaT while open)", "close_timestamp"),
    (
        "trade_duration",
        TD,
        "close_date - open_date (NaT while open)",
        "trade_duration_s",
        False,
    ),
    ("open_rate", F, "average entry price"),
    ("open_rate_requested", F, "entry price asked for"),
    ("open_trade_value", F, "entry value including fees"),
    ("close_rate", F, "average exit price"),
    ("close_rate_requested", F, "exit price asked for"),
    ("profit_ratio", F, "profit as a ratio of the stake (0.01 = 1 %)"),
    ("profit_pct", F, "profit in percent (rounded by the bot)"),
    ("profit_abs", F, "profit in quote currency, fees included"),
    ("close_profit", F, "final profit ratio of a closed trade"),
    ("close_profit_pct", F, "final profit percent of a closed trade"),
    ("close_profit_abs", F, "final profit in quote currency of a closed trade"),
    ("realized_profit", F, "profit realised so far by partial exits"),
    ("realized_profit_ratio", F, "realised profit as a ratio"),
    ("fee_open", F, "entry fee rate"),
    ("fee_open_cost", F, "entry fee paid"),
    ("fee_open_currency", C, "currency of the entry fee"),
    ("fee_close", F, "exit fee rate"),
    ("fee_close_cost", F, "exit fee paid"),
    ("fee_close_currency", C, "currency of the exit fee"),
    ("stop_loss_abs", F, "current stoploss price"),
    ("stop_loss_ratio", F, "current stoploss as a ratio"),
    ("stop_loss_pct", F, "current stoploss in percent"),
    ("stoploss_last_update", TS, "last stoploss move", "stoploss_last_update_timestamp"),
    ("initial_stop_loss_abs", F, "initial stoploss price"),
    ("initial_stop_loss_ratio", F, "initial stoploss as a ratio"),
    ("initial_stop_loss_pct", F, "initial stoploss in percent"),
    ("min_rate", F, "lowest price seen while open"),
    ("max_rate", F, "highest price seen while open"),
    ("interest_rate", F, "margin interest rate"),
    ("liquidation_price", F, "liquidation price (futures/margin)"),
    ("funding_fees", F, "funding fees paid (futures)"),
    ("amount_precision", F, "amount precision of the market"),
    ("price_precision", F, "price precision of the market"),
    ("precision_mode", I, "ccxt precision mode of the amount"),
    ("precision_mode_price", I, "ccxt precision mode of the price"),
    ("contract_size", F, "contract size (1.0 for spot)"),
    ("nr_of_successful_entries", I, "filled entry orders"),
    ("nr_of_successful_exits", I, "filled exit orders"),
    ("has_open_orders", B, "an order is still open"),
    ("profit_fiat", F, "profit in the fiat display currency", None, False),
    # /status only (open trades): live values
    ("current_rate", F, "live exit price (open trades only)", None, False),
    ("total_profit_abs", F, "realised + unrealised profit (open trades only)", None, False),
    ("total_profit_ratio", F, "total profit as a ratio (open trades only)", None, False),
    ("total_profit_fiat", F, "total profit in fiat (open trades only)", None, False),
    ("stoploss_current_dist", F, "distance to the stoploss (open trades only)", None, False),
    ("stoploss_current_dist_pct", F, "same, percent (open trades only)", None, False),
    ("stoploss_current_dist_ratio", F, "same, ratio (open trades only)", None, False),
    ("stoploss_entry_dist", F, "stoploss distance at entry (open trades only)", None, False),
    ("stoploss_entry_dist_ratio", F, "same, ratio (open trades only)", None, False),
)

TRADES = FrameSchema(
    "trades",
    "trades",
    _cols(*_TRADE),
    doc="One row per trade, sorted by trade_id. The raw *_date strings, *_timestamp twins, "
    "trade_duration (minutes) and orders are replaced by the typed columns (orders: see "
    "the 'orders' frame).",
)

ORDERS = FrameSchema(
    "orders",
    "trades",
    _cols(
        ("trade_id", "int64", "trade the order belongs to"),
        ("order_id", S, "exchange order id"),
        ("pair", C, "traded pair"),
        ("ft_order_side", C, "buy or sell"),
        ("ft_is_entry", B, "the order opened or increased the position"),
        ("ft_order_tag", C, "tag given to the order (entry tag or exit reason)"),
        ("order_type", C, "market, limit, stoploss ..."),
        ("status", C, "open, closed, canceled ..."),
        ("is_open", B, "the order is still open"),
        ("order_date", TS, "order creation time", "order_timestamp"),
        ("order_filled_date", TS, "fill time (NaT if unfilled)", "order_filled_timestamp"),
        ("amount", F, "ordered amount"),
        ("filled", F, "filled amount"),
        ("remaining", F, "amount not filled"),
        ("price", F, "order price"),
        ("average", F, "average fill price"),
        ("safe_price", F, "average, else price: the price freqtrade uses"),
        ("cost", F, "filled cost in quote currency"),
        ("ft_fee_base", F, "fee taken in base currency", None, False),
        ("funding_fee", F, "funding fee (futures)", None, False),
    ),
)

# ---------------------------------------------------------------------- backtest trades

TRADE_CORE = (
    "pair",
    "is_open",
    "enter_tag",
    "exit_reason",
    "is_short",
    "leverage",
    "amount",
    "stake_amount",
    "max_stake_amount",
    "open_date",
    "close_date",
    "trade_duration",
    "open_rate",
    "close_rate",
    "profit_ratio",
    "profit_abs",
    "fee_open",
    "fee_close",
    "stop_loss_abs",
    "stop_loss_ratio",
    "initial_stop_loss_abs",
    "initial_stop_loss_ratio",
    "min_rate",
    "max_rate",
    "funding_fees",
)
"""The columns live trades (``trades``) and backtest trades (``backtest_trades``) share:
same name, dtype and meaning in both frames, so one chart or metric reads either."""

_LIVE = {c.name: c for c in TRADES.columns}
_CORE_OVERRIDES = {
    # the backtest gives the duration in whole minutes, under its own name
    "trade_duration": Column("trade_duration", TD, "close_date - open_date", "trade_duration"),
    "funding_fees": Column("funding_fees", F, "funding fees paid (futures)", None, False),
}

BACKTEST_TRADES = FrameSchema(
    "backtest_trades",
    "backtest",
    tuple(_CORE_OVERRIDES.get(name, _LIVE[name]) for name in TRADE_CORE)
    + _cols(
        ("trade_index", "int64", "position in the backtest's trade list (links to orders)"),
        ("weekday", I, "weekday of close_date, 0 = Monday (backtest only)", None, False),
    ),
    doc="One row per backtest trade, in the backtest's order (by close, then open time). "
    "The first columns are TRADE_CORE, exactly as in the live 'trades' frame; "
    "trade_index and weekday are backtest-only. A backtest trade has no "
    "trade_id (the bot never stored it), and its durations come in minutes. "
    "Futures backtests add the keys freqtrade adds (e.g. funding_fees), after these.",
)

BACKTEST_ORDERS = FrameSchema(
    "backtest_orders",
    "backtest",
    _cols(
        ("trade_index", "int64", "the trade's row in backtest_trades"),
        ("pair", C, "traded pair"),
        ("ft_order_side", C, "buy or sell"),
        ("ft_is_entry", B, "the order opened or increased the position"),
        ("ft_order_tag", C, "entry tag or exit reason"),
        ("order_filled_date", TS, "fill time", "order_filled_timestamp"),
        ("amount", F, "filled amount"),
        ("safe_price", F, "fill price"),
        ("cost", F, "cost in quote currency, fee included"),
    ),
    doc="One row per order of the backtest's trades (a backtest order always fills).",
)

_KEY_STATS = (
    ("trades", "int64", "trades"),
    ("profit_mean", F, "mean profit ratio"),
    ("profit_mean_pct", F, "mean profit percent (rounded by freqtrade)"),
    ("profit_total_abs", F, "summed profit, quote currency"),
    ("profit_total", F, "summed profit relative to the starting balance"),
    ("profit_total_pct", F, "profit_total in percent (rounded by freqtrade)"),
    ("duration_avg", TD, "mean trade duration"),
    ("wins", "int64", "trades with profit > 0"),
    ("draws", "int64", "trades with profit == 0"),
    ("losses", "int64", "trades with profit < 0"),
    ("winrate", F, "wins / trades"),
    ("cagr", F, "compound annual growth rate"),
    ("expectancy", F, "expected profit per trade, quote currency"),
    ("expectancy_ratio", F, "expectancy relative to the mean loss"),
    ("sortino", F, "Sortino ratio"),
    ("sharpe", F, "Sharpe ratio"),
    ("calmar", F, "Calmar ratio"),
    ("sqn", F, "system quality number"),
    ("p_value", F, "p-value of the mean profit", None, False),
    ("profit_factor", F, "gross profit / gross loss"),
    ("max_drawdown_account", F, "max drawdown relative to the account"),
    ("max_drawdown_abs", F, "max drawdown, quote currency"),
)


def _key_table(name: str, key: str, key_dtype: str, meaning: str) -> FrameSchema:
    return FrameSchema(
        name,
        "backtest",
        _cols((key, key_dtype, meaning), *_KEY_STATS),
        doc="freqtrade's per-key backtest table, in its order; the TOTAL row is in "
        "attrs['total'] (a Series), not in the frame.",
    )


BACKTEST_PAIRS = _key_table("backtest_pairs", "pair", S, "traded pair")
BACKTEST_ENTER_TAGS = _key_table("backtest_enter_tags", "enter_tag", S, "entry tag ('' = none)")
BACKTEST_EXIT_REASONS = _key_table("backtest_exit_reasons", "exit_reason", S, "exit reason")
BACKTEST_MIX_TAGS = _key_table(
    "backtest_mix_tags", "mix_tag", S, "entry tag and exit reason, space separated"
)
BACKTEST_LEFT_OPEN = _key_table(
    "backtest_left_open", "pair", S, "pair of trades still open at the end (force_exit)"
)
BACKTEST_STRATEGIES = _key_table(
    "backtest_strategies", "strategy", S, "strategy (the bot's strategy_comparison)"
)

BACKTEST_PERIODS = FrameSchema(
    "backtest_periods",
    "backtest",
    _cols(
        ("trades", "int64", "trades closed in the period"),
        ("profit_abs", F, "summed profit, quote currency (rounded to 1e-10 by freqtrade)"),
        ("wins", "int64", "trades with profit > 0"),
        ("draws", "int64", "trades with profit == 0"),
        ("losses", "int64", "trades with profit < 0"),
        ("profit_factor", F, "gross profit / gross loss (0 without losses)"),
    ),
    Column("date", TS, "period start (UTC); for 'weekday' a weekday name (string index)"),
    doc="freqtrade's periodic breakdown: one frame per period (day, week, month, year, weekday).",
)

BACKTEST_DAILY = FrameSchema(
    "backtest_daily",
    "backtest",
    _cols(("profit_abs", F, "summed profit of trades closed that day, quote currency")),
    Column("date", TS, "day (UTC)"),
)

BACKTEST_LOCKS = FrameSchema(
    "backtest_locks",
    "backtest",
    _cols(
        ("pair", C, "locked pair, or * for all"),
        ("side", C, "long, short or *"),
        ("reason", S, "why the pair was locked"),
        ("active", B, "the lock was in force at the end"),
        ("lock_time", TS, "when the lock was set", "lock_timestamp"),
        ("lock_end_time", TS, "when the lock ended", "lock_end_timestamp"),
    ),
    doc="Protections' locks during the backtest (enable_protections=True).",
)

BACKTEST_WALLET = FrameSchema(
    "backtest_wallet",
    "backtest/history/{file}/{strategy}/wallet",
    _cols(("total_quote", F, "wallet value in quote currency")),
    Column("date", TS, "time (UTC)", "__date_ts"),
)

BACKTEST_MARKET_CHANGE = FrameSchema(
    "backtest_market_change",
    "backtest/history/{file}/market_change",
    _cols(
        ("mean", F, "mean close over the pairs"),
        ("rel_mean", F, "mean relative change since the start (0.01 = 1 %)"),
        ("count", "int64", "pairs with a candle at this time"),
    ),
    Column("date", TS, "time (UTC)", "__date_ts"),
)

BACKTEST_HISTORY = FrameSchema(
    "backtest_history",
    "backtest/history",
    _cols(
        ("filename", S, "result file (without extension): the key to load/delete it"),
        ("strategy", S, "strategy"),
        ("run_id", S, "freqtrade's hash of the run's settings"),
        ("run_start", TS, "when the backtest was run", "backtest_start_time"),
        ("start", TS, "start of the backtested timerange", "backtest_start_ts"),
        ("end", TS, "end of the backtested timerange", "backtest_end_ts"),
        ("timerange", S, "the timerange as YYYYMMDD-YYYYMMDD"),
        ("timeframe", S, "timeframe"),
        ("timeframe_detail", S, "detail timeframe (NA when none)"),
        ("notes", S, "the notes set on the run"),
    ),
    doc="One row per stored result and strategy, newest run first.",
)

_PERIOD = _cols(
    ("abs_profit", F, "profit of trades closed in the period, quote currency"),
    ("rel_profit", F, "abs_profit relative to starting_balance"),
    ("starting_balance", F, "balance at the start of the period"),
    ("fiat_value", F, "abs_profit in the fiat display currency"),
    ("trade_count", "int64", "trades closed in the period"),
)
DAILY = FrameSchema("daily", "daily", _PERIOD, Column("date", TS, "day start (UTC)"))
WEEKLY = FrameSchema("weekly", "weekly", _PERIOD, Column("date", TS, "week start (Monday)"))
MONTHLY = FrameSchema("monthly", "monthly", _PERIOD, Column("date", TS, "month start"))


def _perf(name: str, key: str, meaning: str) -> FrameSchema:
    return FrameSchema(
        name,
        name,
        _cols(
            (key, C, meaning),
            ("count", "int64", "closed trades"),
            ("profit_abs", F, "summed profit, quote currency"),
            ("profit_ratio", F, "summed profit ratio"),
            ("profit_pct", F, "summed profit in percent (rounded by the bot)"),
        ),
    )


PERFORMANCE = _perf("performance", "pair", "traded pair")
ENTRIES = _perf("entries", "enter_tag", "entry tag")
EXITS = _perf("exits", "exit_reason", "exit reason")
MIX_TAGS = _perf("mix_tags", "mix_tag", "entry tag and exit reason, space separated")

LOCKS = FrameSchema(
    "locks",
    "locks",
    _cols(
        ("id", "int64", "lock id (for delete_lock)"),
        ("pair", C, "locked pair, or * for all"),
        ("side", C, "long, short or *"),
        ("reason", S, "why the pair is locked"),
        ("active", B, "the lock is in force"),
        ("lock_time", TS, "when the lock was set", "lock_timestamp"),
        ("lock_end_time", TS, "when the lock ends", "lock_end_timestamp"),
    ),
)

WHITELIST = FrameSchema("whitelist", "whitelist", _cols(("pair", S, "whitelisted pair")))
BLACKLIST = FrameSchema("blacklist", "blacklist", _cols(("pair", S, "blacklist entry")))

BALANCE = FrameSchema(
    "balance",
    "balance",
    _cols(
        ("currency", S, "currency"),
        ("free", F, "free amount"),
        ("balance", F, "total amount"),
        ("used", F, "amount in open orders"),
        ("bot_owned", F, "amount the bot owns", None, False),
        ("est_stake", F, "value in stake currency"),
        ("est_stake_bot", F, "bot-owned value in stake currency", None, False),
        ("stake", S, "stake currency"),
        ("side", C, "long or short"),
        ("is_position", B, "a futures position rather than a wallet balance"),
        ("position", F, "position size"),
        ("is_bot_managed", B, "the bot trades this currency", None, False),
    ),
)

HISTORIC_BALANCE = FrameSchema(
    "historic_balance",
    "historic_balance",
    _cols(("total_quote", F, "total wallet value in quote currency")),
    Column("date", TS, "snapshot time", "__date_ts"),
)

LOGS = FrameSchema(
    "logs",
    "logs",
    _cols(
        ("date", TS, "log record time"),
        ("logger", C, "logger name"),
        ("level", C, "INFO, WARNING, ERROR ..."),
        ("message", S, "log message"),
    ),
)

STATS = FrameSchema(
    "stats",
    "stats",
    _cols(
        ("wins", "int64", "winning closed trades with this exit reason"),
        ("losses", "int64", "losing closed trades with this exit reason"),
        ("draws", "int64", "break-even closed trades with this exit reason"),
    ),
    Column("exit_reason", S, "exit reason"),
    doc="attrs['durations']: mean duration of wins/draws/losses as Timedelta (NaT if none).",
)

SCHEMAS: dict[str, FrameSchema] = {
    s.name: s
    for s in (
        CANDLES,
        TRADES,
        ORDERS,
        DAILY,
        WEEKLY,
        MONTHLY,
        PERFORMANCE,
        ENTRIES,
        EXITS,
        MIX_TAGS,
        LOCKS,
        WHITELIST,
        BLACKLIST,
        BALANCE,
        HISTORIC_BALANCE,
        LOGS,
        STATS,
        BACKTEST_TRADES,
        BACKTEST_ORDERS,
        BACKTEST_PAIRS,
        BACKTEST_ENTER_TAGS,
        BACKTEST_EXIT_REASONS,
        BACKTEST_MIX_TAGS,
        BACKTEST_LEFT_OPEN,
        BACKTEST_STRATEGIES,
        BACKTEST_PERIODS,
        BACKTEST_DAILY,
        BACKTEST_LOCKS,
        BACKTEST_WALLET,
        BACKTEST_MARKET_CHANGE,
        BACKTEST_HISTORY,
    )
}
"""Every frame's schema, by frame name."""
