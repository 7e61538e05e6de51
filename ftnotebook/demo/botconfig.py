"""The freqtrade config the demo and test bots run with.

One function builds it, :func:`build_config`; everything a bot needs to run offline is
here and explained once:

* ``exchange.ccxt_config.urls`` points every API URL of ccxt's binance driver at the
  local exchange simulator (:mod:`ftnotebook.demo.simulator`); ``fetchMarkets.types``
  keeps ccxt to one kind of market (``spot``, or ``linear`` for a futures bot),
  ``enable_ws: false`` stops it dialling Binance's websocket streams and
  ``only_from_ccxt`` keeps ``download-data`` on the REST API.
* ``trading_mode="futures"`` gives an isolated-margin futures bot (see :func:`build_config`).
* Market orders with ``price_side: other`` make forceenter/forceexit fill at once in
  dry-run.
* The API server listens on 127.0.0.1 only, with Basic auth, a JWT secret and a
  ``ws_token``; all three are random per bot unless given.
* ``bot_name`` is unique per bot so the launcher can tell its own bot from any other
  that happens to answer on the same port.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, Literal

Mode = Literal["trade", "webserver"]
TradingMode = Literal["spot", "futures"]

DEFAULT_PAIRS: tuple[str, ...] = ("BTC/USDT", "ETH/USDT", "SOL/USDT", "XRP/USDT")
"""Pairs the demo bot trades; ADA/USDT is also listed by the simulator (for the blacklist)."""

FUTURES_PAIRS: tuple[str, ...] = (
    "BTC/USDT:USDT",
    "ETH/USDT:USDT",
    "SOL/USDT:USDT",
    "XRP/USDT:USDT",
    "ADA/USDT:USDT",
)
"""Perpetuals the futures bot trades (real Binance names: freqtrade's leverage tiers know them)."""

BTC_PAIRS: tuple[str, ...] = ("ETH/BTC", "SOL/BTC", "XRP/BTC")
"""Pairs the fleet's BTC-stake bot trades (the simulator's cross markets)."""

STRATEGY_NAME = "FtnbDemo"
FUTURES_STRATEGY_NAME = "FtnbDemoFutures"
"""FtnbDemo with ``can_short = True``: short signals and a ``leverage()`` (futures bots)."""


def default_pairs(trading_mode: TradingMode) -> tuple[str, ...]:
    """The pairs a demo bot of ``trading_mode`` trades."""
    return FUTURES_PAIRS if trading_mode == "futures" else DEFAULT_PAIRS


def default_strategy(trading_mode: TradingMode) -> str:
    """The demo strategy for ``trading_mode`` (a spot bot refuses ``can_short``)."""
    return FUTURES_STRATEGY_NAME if trading_mode == "futures" else STRATEGY_NAME


@dataclass(frozen=True)
class Credentials:
    """API credentials for one bot. Secrets are hidden from ``repr``."""

    username: str = "ftnb"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12), repr=False)
    jwt_secret_key: str = field(default_factory=lambda: secrets.token_hex(32), repr=False)
    ws_token: str = field(default_factory=lambda: secrets.token_urlsafe(16), repr=False)


def _ccxt_urls(simulator_url: str) -> dict[str, str]:
    """Every API URL key of ccxt's binance driver, pointed at the simulator.

    Spot routes live under ``/api/v3``, USDⓈ-M futures under ``/fapi/v1``; the rest point
    at paths the simulator does not serve, so nothing can ever reach the real exchange.
    """
    base = simulator_url.rstrip("/")
    return {
        "public": f"{base}/api/v3",
        "private": f"{base}/api/v3",
        "v1": f"{base}/api/v1",
        "sapi": f"{base}/sapi/v1",
        "sapiV2": f"{base}/sapi/v2",
        "sapiV3": f"{base}/sapi/v3",
        "sapiV4": f"{base}/sapi/v4",
        "fapiPublic": f"{base}/fapi/v1",
        "fapiPublicV2": f"{base}/fapi/v2",
        "fapiPublicV3": f"{base}/fapi/v3",
        "fapiPrivate": f"{base}/fapi/v1",
        "fapiPrivateV2": f"{base}/fapi/v2",
        "fapiPrivateV3": f"{base}/fapi/v3",
        "fapiData": f"{base}/futures/data",
        "dapiPublic": f"{base}/dapi/v1",
        "dapiPrivate": f"{base}/dapi/v1",
        "dapiPrivateV2": f"{base}/dapi/v2",
        "dapiData": f"{base}/futures/data",
        "eapiPublic": f"{base}/eapi/v1",
        "eapiPrivate": f"{base}/eapi/v1",
        "papi": f"{base}/papi/v1",
        "papiV2": f"{base}/papi/v2",
    }


def build_config(
    *,
    bot_name: str,
    api_port: int,
    credentials: Credentials,
    simulator_url: str,
    pairs: tuple[str, ...] | None = None,
    timeframe: str = "5m",
    auto_entries: bool = False,
    dry_run_wallet: float = 10_000.0,
    stake_amount: float = 100.0,
    max_open_trades: int = 10,
    trading_mode: TradingMode = "spot",
    strategy: str | None = None,
    stake_currency: str = "USDT",
) -> dict[str, Any]:
    """Return a complete freqtrade config (as a dict) for an offline dry-run bot.

    The same config serves trade mode and webserver mode; webserver mode never
    contacts the exchange but still wants a full config.

    ``trading_mode="futures"`` makes an isolated-margin USDⓈ-M futures bot: pairs like
    ``BTC/USDT:USDT``, the FtnbDemoFutures strategy, ccxt's linear markets only
    (``fetchMarkets.types = ["linear"]``; with spot and inverse markets too the bot cannot
    load markets), and order-book pricing (``use_order_book: true``, top 1): Binance
    futures tickers carry no bid/ask, so freqtrade refuses ticker pricing there.

    >>> cfg = build_config(bot_name="demo", api_port=8080, credentials=Credentials(),
    ...                    simulator_url="http://127.0.0.1:9000")
    >>> cfg["api_server"]["listen_ip_address"], cfg["dry_run"]
    ('127.0.0.1', True)
    >>> fut = build_config(bot_name="demo", api_port=8080, credentials=Credentials(),
    ...                    simulator_url="http://127.0.0.1:9000", trading_mode="futures")
    >>> fut["trading_mode"], fut["margin_mode"], fut["exchange"]["pair_whitelist"][0]
    ('futures', 'isolated', 'BTC/USDT:USDT')

    ``stake_currency`` (default ``USDT``) must be the quote of every pair: the fleet's
    BTC bot runs with ``stake_currency="BTC"`` on :data:`BTC_PAIRS`.
    """
    if not 0 < api_port < 65536:
        raise ValueError(f"api_port must be between 1 and 65535, got {api_port!r}")
    if trading_mode not in ("spot", "futures"):
        raise ValueError(f"trading_mode must be 'spot' or 'futures', got {trading_mode!r}")
    futures = trading_mode == "futures"
    pairs = default_pairs(trading_mode) if pairs is None else pairs
    if not pairs:
        raise ValueError("pairs must name at least one pair, e.g. ('BTC/USDT',)")
    if futures and any(not pair.endswith(":USDT") for pair in pairs):
        raise ValueError(f"futures pairs are written like 'BTC/USDT:USDT', got {list(pairs)}")
    if any(pair.split(":")[0].split("/")[-1] != stake_currency for pair in pairs):
        raise ValueError(f"every pair must be quoted in {stake_currency!r}, got {list(pairs)}")
    market_order = "market"
    book = {"use_order_book": True, "order_book_top": 1} if futures else {"use_order_book": False}
    margin = {"margin_mode": "isolated"} if futures else {}
    return {
        "bot_name": bot_name,
        "max_open_trades": max_open_trades,
        "stake_currency": stake_currency,
        "stake_amount": stake_amount,
        "tradable_balance_ratio": 0.99,
        "fiat_display_currency": "",
        "dry_run": True,
        "dry_run_wallet": dry_run_wallet,
        "cancel_open_orders_on_exit": False,
        "trading_mode": trading_mode,
        **margin,
        "timeframe": timeframe,
        "strategy": strategy or default_strategy(trading_mode),
        "force_entry_enable": True,
        "initial_state": "running",
        "ftnb_auto_entries": auto_entries,
        "unfilledtimeout": {"entry": 10, "exit": 10, "exit_timeout_count": 0, "unit": "minutes"},
        "entry_pricing": {
            "price_side": "other",
            **book,
            "price_last_balance": 0.0,
            "check_depth_of_market": {"enabled": False, "bids_to_ask_delta": 1},
        },
        "exit_pricing": {"price_side": "other", **book},
        "order_types": {
            "entry": market_order,
            "exit": market_order,
            "emergency_exit": market_order,
            "force_entry": market_order,
            "force_exit": market_order,
            "stoploss": market_order,
            "stoploss_on_exchange": False,
        },
        "exchange": {
            "name": "binance",
            "key": "",
            "secret": "",
            "enable_ws": False,
            "only_from_ccxt": True,  # download-data: never data.binance.vision
            "ccxt_config": {
                "enableRateLimit": False,
                "options": {
                    "fetchMarkets": {"types": ["linear" if futures else "spot"]},
                    "adjustForTimeDifference": False,
                },
                "urls": {"api": _ccxt_urls(simulator_url)},
            },
            "ccxt_async_config": {"enableRateLimit": False},
            "pair_whitelist": list(pairs),
            "pair_blacklist": [],
        },
        "pairlists": [{"method": "StaticPairList"}],
        "telegram": {"enabled": False, "token": "", "chat_id": ""},
        "api_server": {
            "enabled": True,
            "listen_ip_address": "127.0.0.1",
            "listen_port": api_port,
            "verbosity": "error",
            "enable_openapi": False,
            "jwt_secret_key": credentials.jwt_secret_key,
            "ws_token": credentials.ws_token,
            "CORS_origins": [],
            "username": credentials.username,
            "password": credentials.password,
        },
        "internals": {"process_throttle_secs": 1, "heartbeat_interval": 0},
        "dataformat_ohlcv": "feather",
    }
