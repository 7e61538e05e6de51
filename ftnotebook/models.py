"""Typed results of the freqtrade REST API (2026.9, API version 2.50).

Each ``TypedDict`` mirrors one pydantic schema in freqtrade's
``rpc/api_server/api_schemas.py`` field for field, so the names are the ones in
freqtrade's REST docs. A field with a default in freqtrade's schema is
``NotRequired`` here (read it with ``.get``); every other field is always there.

They are plain dicts at runtime: ``json.dumps`` them, hand them to pandas, or
index them like the raw API answer. The type checker knows the keys::

    count = client.count()
    count["current"] + 1                  # int
    trades = client.trades(limit=50)
    trades["trades"][0]["profit_ratio"]   # float | None

Tabular payloads (``pair_candles``, ``pair_history``, ``historic_balance``,
backtest market change and wallet) keep their ``columns`` + ``data`` form; the
frames module turns them into DataFrames.

The JWT routes return :class:`TokenPair` / :class:`AccessToken`, small
dataclasses whose tokens are :class:`~ftnotebook.settings.Secret`, so a printed
result never shows a token.

:func:`check_shape` is how the client refuses a body of the wrong shape: it
raises ``ShapeError`` naming the first missing key, which the client turns into
:class:`~ftnotebook.exceptions.UnexpectedResponse`.
"""

# No ``from __future__ import annotations`` here: Python 3.11 only sees
# ``NotRequired`` in a TypedDict when the annotation is evaluated.

from dataclasses import dataclass
from typing import Any, Literal, NotRequired, TypedDict, is_typeddict

from ftnotebook.settings import Secret

__all__ = [
    "AccessToken",
    "AvailablePairs",
    "BackgroundJob",
    "BacktestHistoryEntry",
    "BacktestMarketChange",
    "BacktestResponse",
    "Balance",
    "Balances",
    "BgJobStarted",
    "BlacklistResponse",
    "Count",
    "CpuInfo",
    "CustomDataEntry",
    "DeleteTrade",
    "Entry",
    "Exchange",
    "ExchangeList",
    "Exit",
    "FreqAIModelList",
    "Health",
    "HyperoptLoss",
    "HyperoptLossList",
    "Lock",
    "Locks",
    "LogRecord",
    "Logs",
    "LookaheadAnalysisResponse",
    "LookaheadAnalysisResult",
    "Market",
    "Markets",
    "MixTag",
    "OpenTrade",
    "Order",
    "PairHistory",
    "PairListDescription",
    "PairListsAvailable",
    "PairlistEvaluation",
    "PerformanceEntry",
    "Period",
    "PeriodicProfit",
    "Ping",
    "PlotConfig",
    "Profit",
    "ProfitAll",
    "ProgressTask",
    "RecursiveAnalysisResponse",
    "RecursiveAnalysisResult",
    "ResultMsg",
    "ShapeError",
    "ShowConfig",
    "Stats",
    "StatusMsg",
    "StrategyDetail",
    "StrategyList",
    "StrategyParameter",
    "SysInfo",
    "TokenPair",
    "Trade",
    "TradeCustomData",
    "Trades",
    "Version",
    "WalletHistory",
    "Whitelist",
    "check_shape",
]

# --------------------------------------------------------------------------- info


class Ping(TypedDict):
    """``GET /ping``: ``{"status": "pong"}``."""

    status: str


class Version(TypedDict):
    """``GET /version``."""

    version: str


class StatusMsg(TypedDict):
    """Answer of the bot-control routes, e.g. ``{"status": "starting trader ..."}``."""

    status: str


class ResultMsg(TypedDict):
    """Answer of ``/forceexit``: ``{"result": "Created exit order for trade 1."}``."""

    result: str


class UnfilledTimeout(TypedDict, total=False):
    entry: int | None
    exit: int | None
    unit: str | None
    exit_timeout_count: int | None


class OrderTypes(TypedDict):
    entry: str
    exit: str
    emergency_exit: NotRequired[str | None]
    force_exit: NotRequired[str | None]
    force_entry: NotRequired[str | None]
    stoploss: str
    stoploss_on_exchange: bool
    stoploss_on_exchange_interval: NotRequired[int | None]


class ShowConfig(TypedDict):
    """``GET /show_config``: the part of the config relevant for trading.

    ``state`` is ``"running"``/``"stopped"``/``"paused"`` in trade mode and ``""``
    in webserver mode; ``runmode`` is e.g. ``"dry_run"`` or ``"webserver"``.
    """

    version: str
    strategy_version: NotRequired[str | None]
    api_version: float
    dry_run: bool
    trading_mode: str
    margin_mode: str
    short_allowed: bool
    stake_currency: str
    proxy_coin: NotRequired[str | None]
    stake_amount: str
    available_capital: NotRequired[float | None]
    stake_currency_decimals: int
    max_open_trades: float
    minimal_roi: dict[str, Any]
    stoploss: NotRequired[float | None]
    stoploss_on_exchange: bool
    trailing_stop: NotRequired[bool | None]
    trailing_stop_positive: NotRequired[float | None]
    trailing_stop_positive_offset: NotRequired[float | None]
    trailing_only_offset_is_reached: NotRequired[bool | None]
    unfilledtimeout: NotRequired[UnfilledTimeout | None]
    order_types: NotRequired[OrderTypes | None]
    use_custom_stoploss: NotRequired[bool | None]
    timeframe: NotRequired[str | None]
    timeframe_ms: int
    timeframe_min: int
    exchange: str
    demo_trading: bool
    strategy: NotRequired[str | None]
    force_entry_enable: bool
    exit_pricing: dict[str, Any]
    entry_pricing: dict[str, Any]
    bot_name: str
    state: str
    runmode: str
    position_adjustment_enable: bool
    max_entry_position_adjustment: int


#: One log line: ``[date_str, timestamp_ms, logger_name, level, message]``.
LogRecord = list[Any]


class Logs(TypedDict):
    """``GET /logs``."""

    log_count: int
    logs: list[LogRecord]


class CpuInfo(TypedDict):
    cpu: int
    pct: float


class SysInfo(TypedDict):
    """``GET /sysinfo`` (psutil figures). ``cpu_pct`` is deprecated upstream."""

    cpu_pct: NotRequired[list[float]]
    cpu_load: list[CpuInfo]
    cpu_load_avg: dict[str, float]
    cpu_count: int
    cpu_avg: float
    ram_pct: float


class Health(TypedDict):
    """``GET /health``: when the bot last ran its loop (ISO dates plus ``_ts`` ms)."""

    last_process: NotRequired[str | None]
    last_process_ts: NotRequired[int | None]
    bot_start: NotRequired[str | None]
    bot_start_ts: NotRequired[int | None]
    bot_startup: NotRequired[str | None]
    bot_startup_ts: NotRequired[int | None]


class PlotConfig(TypedDict, total=False):
    """``GET /plot_config``: the strategy's ``plot_config`` (may be empty)."""

    main_plot: dict[str, Any]
    subplots: dict[str, Any]


class Market(TypedDict):
    symbol: str
    base: str
    quote: str
    spot: bool
    swap: bool
    active: NotRequired[bool]


class Markets(TypedDict):
    """``GET /markets``: markets keyed by symbol."""

    markets: dict[str, Market]
    exchange_id: str


class StrategyParameter(TypedDict):
    """One hyperoptable parameter; ``low``/``high``/``decimals``/``opt_range`` by type."""

    param_type: str
    name: str
    space: str
    load: bool
    optimize: bool
    value: Any
    low: NotRequired[float]
    high: NotRequired[float]
    decimals: NotRequired[int]
    opt_range: NotRequired[list[Any]]


class StrategyDetail(TypedDict):
    """``GET /strategy/{name}``: source code, timeframe and parameters."""

    strategy: str
    timeframe: str | None
    params: NotRequired[list[StrategyParameter]]
    code: str


# ----------------------------------------------------------------------- trading


class Balance(TypedDict):
    currency: str
    free: float
    balance: float
    used: float
    bot_owned: NotRequired[float | None]
    est_stake: float
    est_stake_bot: NotRequired[float | None]
    stake: str
    side: str
    is_position: bool
    position: float
    is_bot_managed: bool


class Balances(TypedDict):
    """``GET /balance``."""

    currencies: list[Balance]
    total: float
    total_bot: float
    symbol: str
    value: float
    value_bot: float
    stake: str
    note: str
    starting_capital: float
    starting_capital_ratio: float
    starting_capital_pct: float
    starting_capital_fiat: float
    starting_capital_fiat_ratio: float
    starting_capital_fiat_pct: float


class Count(TypedDict):
    """``GET /count``: open trades against ``max_open_trades``."""

    current: int
    max: int
    total_stake: float


class Entry(TypedDict):
    """One row of ``GET /entries`` (performance per entry tag)."""

    enter_tag: str
    profit_ratio: float
    profit_pct: float
    profit_abs: float
    count: int


class Exit(TypedDict):
    """One row of ``GET /exits`` (performance per exit reason)."""

    exit_reason: str
    profit_ratio: float
    profit_pct: float
    profit_abs: float
    count: int


class MixTag(TypedDict):
    """One row of ``GET /mix_tags`` (entry tag + exit reason)."""

    mix_tag: str
    profit_ratio: float
    profit_pct: float
    profit_abs: float
    count: int


class PerformanceEntry(TypedDict):
    """One row of ``GET /performance`` (per pair)."""

    pair: str
    profit: float
    profit_ratio: float
    profit_pct: float
    profit_abs: float
    count: int


class Profit(TypedDict):
    """``GET /profit``: the profit summary the Telegram ``/profit`` shows."""

    profit_closed_coin: float
    profit_closed_percent_mean: float
    profit_closed_ratio_mean: float
    profit_closed_percent_sum: float
    profit_closed_ratio_sum: float
    profit_closed_percent: float
    profit_closed_ratio: float
    profit_closed_fiat: float
    profit_all_coin: float
    profit_all_percent_mean: float
    profit_all_ratio_mean: float
    profit_all_percent_sum: float
    profit_all_ratio_sum: float
    profit_all_percent: float
    profit_all_ratio: float
    profit_all_fiat: float
    trade_count: int
    closed_trade_count: int
    first_trade_date: str
    first_trade_humanized: str
    first_trade_timestamp: int
    latest_trade_date: str
    latest_trade_humanized: str
    latest_trade_timestamp: int
    avg_duration: str
    best_pair: str
    best_rate: float
    best_pair_profit_ratio: float
    best_pair_profit_abs: float
    winning_trades: int
    losing_trades: int
    profit_factor: float
    winrate: float
    expectancy: float
    expectancy_ratio: float
    sharpe: float
    sortino: float
    sqn: float
    calmar: float
    cagr: float
    max_drawdown: float
    max_drawdown_abs: float
    max_drawdown_start: str
    max_drawdown_start_timestamp: int
    max_drawdown_end: str
    max_drawdown_end_timestamp: int
    current_drawdown: float
    current_drawdown_abs: float
    current_drawdown_high: float
    current_drawdown_start: str
    current_drawdown_start_timestamp: int
    trading_volume: NotRequired[float | None]
    bot_start_timestamp: int
    bot_start_date: str


class ProfitAll(TypedDict):
    """``GET /profit_all``: ``all``, plus ``long``/``short`` outside spot markets."""

    all: Profit
    long: NotRequired[Profit | None]
    short: NotRequired[Profit | None]


class ExitReasonStats(TypedDict):
    wins: int
    losses: int
    draws: int


class Stats(TypedDict):
    """``GET /stats``: wins/losses per exit reason and mean durations (seconds)."""

    exit_reasons: dict[str, ExitReasonStats]
    durations: dict[str, float | None]


class Period(TypedDict):
    """One day, week or month of ``/daily``, ``/weekly``, ``/monthly``."""

    date: str
    abs_profit: float
    rel_profit: float
    starting_balance: float
    fiat_value: float
    trade_count: int


class PeriodicProfit(TypedDict):
    """``GET /daily`` | ``/weekly`` | ``/monthly``: newest period first."""

    data: list[Period]
    fiat_display_currency: str
    stake_currency: str


class Order(TypedDict):
    """One order of a trade (``Trade["orders"]``)."""

    pair: str
    order_id: str
    status: str
    remaining: NotRequired[float | None]
    amount: float
    safe_price: float
    cost: float
    filled: NotRequired[float | None]
    ft_order_side: str
    order_type: str
    is_open: bool
    order_timestamp: NotRequired[int | None]
    order_filled_timestamp: NotRequired[int | None]
    ft_fee_base: NotRequired[float | None]
    ft_order_tag: NotRequired[str | None]


class Trade(TypedDict):
    """One trade, open or closed (freqtrade's ``TradeSchema``)."""

    trade_id: int
    pair: str
    base_currency: str
    quote_currency: str
    is_open: bool
    is_short: bool
    exchange: str
    amount: float
    amount_requested: float
    stake_amount: float
    max_stake_amount: NotRequired[float | None]
    strategy: str
    enter_tag: NotRequired[str | None]
    timeframe: int
    fee_open: NotRequired[float | None]
    fee_open_cost: NotRequired[float | None]
    fee_open_currency: NotRequired[str | None]
    fee_close: NotRequired[float | None]
    fee_close_cost: NotRequired[float | None]
    fee_close_currency: NotRequired[str | None]
    open_date: str
    open_timestamp: int
    open_fill_date: str | None
    open_fill_timestamp: int | None
    open_rate: float
    open_rate_requested: NotRequired[float | None]
    open_trade_value: float
    close_date: NotRequired[str | None]
    close_timestamp: NotRequired[int | None]
    close_rate: NotRequired[float | None]
    close_rate_requested: NotRequired[float | None]
    close_profit: NotRequired[float | None]
    close_profit_pct: NotRequired[float | None]
    close_profit_abs: NotRequired[float | None]
    profit_ratio: NotRequired[float | None]
    profit_pct: NotRequired[float | None]
    profit_abs: NotRequired[float | None]
    profit_fiat: NotRequired[float | None]
    realized_profit: float
    realized_profit_ratio: NotRequired[float | None]
    exit_reason: NotRequired[str | None]
    exit_order_status: NotRequired[str | None]
    stop_loss_abs: NotRequired[float | None]
    stop_loss_ratio: NotRequired[float | None]
    stop_loss_pct: NotRequired[float | None]
    stoploss_last_update: NotRequired[str | None]
    stoploss_last_update_timestamp: NotRequired[int | None]
    initial_stop_loss_abs: NotRequired[float | None]
    initial_stop_loss_ratio: NotRequired[float | None]
    initial_stop_loss_pct: NotRequired[float | None]
    min_rate: NotRequired[float | None]
    max_rate: NotRequired[float | None]
    nr_of_successful_entries: int
    nr_of_successful_exits: int
    has_open_orders: bool
    orders: list[Order]
    leverage: NotRequired[float | None]
    interest_rate: NotRequired[float | None]
    liquidation_price: NotRequired[float | None]
    funding_fees: NotRequired[float | None]
    trading_mode: NotRequired[str | None]
    amount_precision: NotRequired[float | None]
    price_precision: NotRequired[float | None]
    precision_mode: NotRequired[int | None]
    # Present in /trades (which has no response model upstream), absent in /status:
    trade_duration: NotRequired[int | None]
    trade_duration_s: NotRequired[int | None]


class OpenTrade(Trade):
    """An open trade as ``/status`` and ``/trade/{id}`` return it, with live figures."""

    stoploss_current_dist: NotRequired[float | None]
    stoploss_current_dist_pct: NotRequired[float | None]
    stoploss_current_dist_ratio: NotRequired[float | None]
    stoploss_entry_dist: NotRequired[float | None]
    stoploss_entry_dist_ratio: NotRequired[float | None]
    current_rate: float
    total_profit_abs: float
    total_profit_fiat: NotRequired[float | None]
    total_profit_ratio: NotRequired[float | None]


class Trades(TypedDict):
    """``GET /trades``: one page of trades, oldest first, and the total."""

    trades: list[Trade]
    trades_count: int
    offset: int
    total_trades: int


class DeleteTrade(TypedDict):
    """``DELETE /trades/{id}``."""

    cancel_order_count: int
    result: str
    result_msg: str
    trade_id: int


class CustomDataEntry(TypedDict):
    key: str
    type: str
    value: Any
    created_at: str
    updated_at: NotRequired[str | None]


class TradeCustomData(TypedDict):
    """Custom data stored by the strategy for one trade."""

    trade_id: int
    custom_data: list[CustomDataEntry]


class Lock(TypedDict):
    """One pair lock."""

    id: int
    active: bool
    lock_end_time: str
    lock_end_timestamp: int
    lock_time: str
    lock_timestamp: int
    pair: str
    side: str
    reason: NotRequired[str | None]


class Locks(TypedDict):
    """``GET /locks`` and the answer of every lock write."""

    lock_count: int
    locks: list[Lock]


class BlacklistResponse(TypedDict):
    """``/blacklist``: entries (wildcards kept), what they match, and per-pair errors."""

    blacklist: list[str]
    blacklist_expanded: list[str]
    errors: dict[str, Any]
    length: int
    method: list[str]


class Whitelist(TypedDict):
    """``GET /whitelist`` and the result of a pairlist evaluation."""

    whitelist: list[str]
    length: int
    method: list[str]


class WalletHistory(TypedDict):
    """``GET /historic_balance`` and backtest wallet: a table as columns + rows."""

    columns: list[str]
    length: int
    data: list[list[Any]]
    capture_start_ts: NotRequired[int | None]


class PairHistory(TypedDict):
    """``/pair_candles`` and ``/pair_history``: analysed candles as columns + rows.

    ``data`` rows follow ``columns``; dates are strings, ``__date_ts`` is in ms.
    """

    strategy: str
    pair: str
    timeframe: str
    timeframe_ms: int
    columns: list[str]
    all_columns: NotRequired[list[str]]
    data: list[list[Any]]
    annotations: NotRequired[list[dict[str, Any]] | None]
    length: int
    buy_signals: int
    sell_signals: int
    enter_long_signals: int
    exit_long_signals: int
    enter_short_signals: int
    exit_short_signals: int
    last_analyzed: str
    last_analyzed_ts: int
    data_start_ts: int
    data_start: str
    data_stop: str
    data_stop_ts: int


# --------------------------------------------------------------------- webserver


class StrategyList(TypedDict):
    """``GET /strategies``."""

    strategies: list[str]


class Exchange(TypedDict):
    name: str
    classname: str
    valid: bool
    supported: bool
    comment: str
    comment_futures: str
    dex: bool
    is_alias: bool
    alias_for: str | None
    trade_modes: list[dict[str, str]]


class ExchangeList(TypedDict):
    """``GET /exchanges``."""

    exchanges: list[Exchange]


class HyperoptLoss(TypedDict):
    name: str
    description: str


class HyperoptLossList(TypedDict):
    """``GET /hyperoptloss``."""

    loss_functions: list[HyperoptLoss]


class FreqAIModelList(TypedDict):
    """``GET /freqaimodels``."""

    freqaimodels: list[str]


class AvailablePairs(TypedDict):
    """``GET /available_pairs``: pairs with local data, and ``[pair, timeframe, candle_type]``."""

    length: int
    pairs: list[str]
    pair_interval: list[list[str]]


class PairListDescription(TypedDict):
    name: str
    description: str
    is_pairlist_generator: bool
    params: dict[str, Any]


class PairListsAvailable(TypedDict):
    """``GET /pairlists/available``."""

    pairlists: list[PairListDescription]


class BgJobStarted(TypedDict):
    """Answer of every route that starts a background job; poll ``job_id``."""

    status: str
    job_id: str


class ProgressTask(TypedDict):
    progress: float
    total: float
    description: str


class BackgroundJob(TypedDict):
    """``GET /background/{job_id}``: one background job."""

    job_id: str
    job_category: Literal[
        "pairlist", "download_data", "backtest", "lookahead_analysis", "recursive_analysis"
    ]
    status: str
    running: bool
    progress: NotRequired[float | None]
    progress_tasks: NotRequired[dict[str, ProgressTask] | None]
    error: NotRequired[str | None]


class PairlistEvaluation(TypedDict):
    """``GET /pairlists/evaluate/{job_id}``: ``status`` is ``success`` or ``failed``."""

    status: str
    error: NotRequired[str | None]
    result: NotRequired[Whitelist | None]


class BacktestResponse(TypedDict):
    """``/backtest`` and ``/backtest/history/result``.

    ``status`` is one of ``not_started``, ``running``, ``ended``, ``error``,
    ``reset``, ``stopping``, ``not_running``; ``backtest_result`` is freqtrade's
    full backtest result (``strategy``, ``strategy_comparison``, ``metadata``)
    once ended.
    """

    status: str
    running: bool
    status_msg: str
    step: str
    progress: float
    trade_count: NotRequired[float | None]
    backtest_result: NotRequired[dict[str, Any] | None]


class BacktestHistoryEntry(TypedDict):
    """One stored backtest result file (``GET /backtest/history``)."""

    filename: str
    strategy: str
    run_id: str
    backtest_start_time: int
    notes: NotRequired[str | None]
    backtest_start_ts: NotRequired[int | None]
    backtest_end_ts: NotRequired[int | None]
    timeframe: NotRequired[str | None]
    timeframe_detail: NotRequired[str | None]


class BacktestMarketChange(TypedDict):
    """``GET /backtest/history/{file}/market_change``: columns + rows."""

    columns: list[str]
    length: int
    data: list[list[Any]]


class LookaheadAnalysisResult(TypedDict):
    strategy: str
    has_bias: bool
    total_signals: int
    biased_entry_signals: int
    biased_exit_signals: int
    biased_indicators: list[str]


class LookaheadAnalysisResponse(TypedDict):
    """``GET /lookahead_analysis/{job_id}``; ``result`` once ``status == "ended"``."""

    status: str
    running: bool
    status_msg: str
    result: NotRequired[LookaheadAnalysisResult | None]


class RecursiveAnalysisResult(TypedDict):
    strategy: str
    startup_candles: list[int]
    strategy_scc: NotRequired[int | None]
    results: dict[str, dict[str, float]]


class RecursiveAnalysisResponse(TypedDict):
    """``GET /recursive_analysis/{job_id}``; ``result`` once ``status == "ended"``."""

    status: str
    running: bool
    status_msg: str
    result: NotRequired[RecursiveAnalysisResult | None]


# -------------------------------------------------------------------------- auth


@dataclass(frozen=True)
class TokenPair:
    """``POST /token/login``: a 15-minute access token and a 30-day refresh token."""

    access_token: Secret
    refresh_token: Secret


@dataclass(frozen=True)
class AccessToken:
    """``POST /token/refresh``: a fresh 15-minute access token."""

    access_token: Secret


# ------------------------------------------------------------------ shape checks


class ShapeError(Exception):
    """A decoded body does not have the shape of the expected model."""


def check_shape(payload: Any, model: Any, *, many: bool = False) -> None:
    """Raise :class:`ShapeError` unless ``payload`` looks like ``model`` (or a list of it).

    Only the top level is checked: the payload is a dict holding every required
    key of the ``TypedDict`` (``model=dict`` accepts any dict; ``model=list`` any list).

    >>> check_shape({"current": 1, "max": 3, "total_stake": 10.0}, Count)
    >>> check_shape({"detail": "nope"}, Count)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ftnotebook.models.ShapeError: expected Count, got a dict without 'current', ...
    """
    if many:
        if not isinstance(payload, list):
            raise ShapeError(f"expected a list of {_name(model)}, got {_describe(payload)}")
        for index, item in enumerate(payload):
            try:
                check_shape(item, model)
            except ShapeError as exc:
                raise ShapeError(f"item {index}: {exc}") from None
        return
    if model is list:
        if not isinstance(payload, list):
            raise ShapeError(f"expected a list, got {_describe(payload)}")
        return
    if not isinstance(payload, dict):
        raise ShapeError(f"expected {_name(model)}, got {_describe(payload)}")
    if is_typeddict(model):
        required: frozenset[str] = model.__required_keys__
        missing = sorted(required - payload.keys())
        if missing:
            shown = ", ".join(repr(k) for k in missing[:6]) + (", ..." if len(missing) > 6 else "")
            keys = ", ".join(repr(k) for k in list(payload)[:8])
            raise ShapeError(
                f"expected {_name(model)}, got a dict without {shown} (keys: {keys or 'none'})"
            )


def _name(model: Any) -> str:
    return str(getattr(model, "__name__", model))


def _describe(payload: Any) -> str:
    if isinstance(payload, list):
        return f"a list of {len(payload)}"
    text = repr(payload)
    return f"{type(payload).__name__} {text[:80]}"
