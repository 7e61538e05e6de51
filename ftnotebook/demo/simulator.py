"""A local Binance exchange (spot and USDⓈ-M futures), so real freqtrade bots run offline.

Why: the demo and the test suite drive a real ``freqtrade trade --dry-run`` bot. Its ccxt
binance driver needs an exchange that answers; this module is that exchange. The bot's config
points ccxt at it through ``exchange.ccxt_config.urls.api`` (``public``/``private`` =
``<url>/api/v3``), with ``options.fetchMarkets.types = ["spot"]`` and ``enable_ws: false``.

What:

- :class:`PriceWalk` makes the prices: a seeded, deterministic 1-minute random walk per
  symbol, anchored at :data:`ANCHOR`. The same seed and time always give the same candle,
  so trades written elsewhere with the same seed line up with the charts.
- :class:`ExchangeSimulator` serves the public spot endpoints ccxt calls
  (``exchangeInfo``, ``klines``, ``ticker/24hr``, ``depth`` ...) in Binance's JSON format,
  plus a small control API under ``/_ctl/`` for tests: shift a symbol's price, read the
  request counts, check health.
- :mod:`ftnotebook.demo.futures` adds the ``/fapi/v1`` perpetual-futures routes (mark
  prices, funding rates ...) that a ``trading_mode: futures`` bot needs; the simulator
  mounts them beside the spot routes, so one process serves both kinds of bot.
- ``python -m ftnotebook.demo.simulator --port N --seed S`` runs it until SIGTERM/SIGINT.

Every response is written in one buffered write with TCP_NODELAY on a keep-alive
connection. Without that, Nagle's algorithm and delayed ACKs cost about 44 ms per ccxt call.
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import threading
import time
import zlib
from collections import Counter, OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np
import numpy.typing as npt

__all__ = [
    "ANCHOR",
    "CROSSES",
    "DEFAULT_SEED",
    "INTERVALS",
    "SYMBOLS",
    "ExchangeSimulator",
    "PriceWalk",
    "main",
]

DEFAULT_SEED = 42
ANCHOR = datetime(2026, 1, 1, tzinfo=UTC)
SYMBOLS: dict[str, tuple[str, str, float]] = {
    "BTCUSDT": ("BTC", "USDT", 77_000.0),
    "ETHUSDT": ("ETH", "USDT", 2_900.0),
    "SOLUSDT": ("SOL", "USDT", 95.0),
    "XRPUSDT": ("XRP", "USDT", 0.6),
    "ADAUSDT": ("ADA", "USDT", 0.45),
    "ETHBTC": ("ETH", "BTC", 2_900.0 / 77_000.0),
    "SOLBTC": ("SOL", "BTC", 95.0 / 77_000.0),
    "XRPBTC": ("XRP", "BTC", 0.6 / 77_000.0),
}
CROSSES: dict[str, tuple[str, str]] = {
    "ETHBTC": ("ETHUSDT", "BTCUSDT"),
    "SOLBTC": ("SOLUSDT", "BTCUSDT"),
    "XRPBTC": ("XRPUSDT", "BTCUSDT"),
}
"""BTC-quoted markets and the two USDT legs their prices are derived from.

A cross candle is the ratio of its legs' candles minute by minute (shifts of the legs
included), so ``ETHBTC == ETHUSDT / BTCUSDT`` up to the cross's tick size at any time:
a bot staking BTC and a bot staking USDT see consistent prices, and a BTC/USDT rate
converts one's profit into the other's currency. A cross can be shifted on its own too.
"""
INTERVALS: dict[str, int] = {  # kline interval -> minutes
    "1m": 1, "3m": 3, "5m": 5, "15m": 15, "30m": 30, "1h": 60,
    "2h": 120, "4h": 240, "6h": 360, "8h": 480, "12h": 720, "1d": 1440,
}  # fmt: skip

# Decimals of Binance's PRICE_FILTER tickSize and LOT_SIZE stepSize per symbol.
_DECIMALS: dict[str, tuple[int, int]] = {
    "BTCUSDT": (2, 5),
    "ETHUSDT": (2, 4),
    "SOLUSDT": (2, 3),
    "XRPUSDT": (4, 1),
    "ADAUSDT": (4, 1),
    "ETHBTC": (5, 4),
    "SOLBTC": (7, 3),
    "XRPBTC": (8, 0),
}
_MIN_NOTIONAL = {"USDT": 5.0, "BTC": 0.0001}
"""Binance's NOTIONAL filter per quote currency."""
_CROSS_VOLUME_SHARE = 0.05
"""A cross market's base volume as a share of its USDT leg's."""
_MINUTE_MS = 60_000
_DAY = 1440  # minutes
_ANCHOR_MINUTE = int(ANCHOR.timestamp()) // 60
_SIGMA = 0.0008  # per-minute log-return volatility, about 3 % a day
_REVERSION = 0.05  # share of the log distance to the base price pulled back per day
_MINUTE_NOTIONAL = 150_000.0  # typical quote volume per minute
_LEVEL_NOTIONAL = 25_000.0  # quote size of one order book level
_DEPTH_LEVELS = 5
_CACHE_BLOCKS = 512  # day blocks kept, 57 kB each

_Floats = npt.NDArray[np.float64]


def _to_ms(ts: datetime | int) -> int:
    return int(ts.timestamp() * 1000) if isinstance(ts, datetime) else int(ts)


def _check_symbol(symbol: str) -> None:
    if symbol not in SYMBOLS:
        raise ValueError(f"unknown symbol {symbol!r}; expected one of {sorted(SYMBOLS)}")


def _base_usdt(symbol: str) -> float:
    """The base asset's base price in USDT (sizes book levels and volumes the same way
    in every quote currency)."""
    base, quote, price = SYMBOLS[symbol]
    return price if quote == "USDT" else SYMBOLS[f"{base}USDT"][2]


class PriceWalk:
    """Deterministic, seeded 1-minute prices for every symbol in :data:`SYMBOLS`.

    The walk is built in day blocks of 1440 minutes. Each block is drawn from
    ``numpy.random.default_rng((seed, crc32(symbol), day))`` and starts at the previous
    day's close, so any candle can be recomputed in any process. A weak pull back to the
    base price keeps prices realistic for months. Before :data:`ANCHOR` the price is flat
    at the base price. Within a minute the price does not move: the current price is the
    current minute's close. Prices are rounded to the symbol's tick size.

    :meth:`shift` multiplies a symbol's prices from the current minute on, so a test can
    make a trade win or lose on demand. All methods are thread-safe.
    """

    def __init__(self, seed: int = DEFAULT_SEED, *, clock: Callable[[], float] = time.time) -> None:
        if seed < 0:
            raise ValueError(f"seed must be >= 0, got {seed}")
        self.seed = seed
        self._clock = clock
        self._lock = threading.RLock()
        self._day_opens: dict[str, list[float]] = {s: [v[2]] for s, v in SYMBOLS.items()}
        self._blocks: OrderedDict[tuple[str, int], _Floats] = OrderedDict()
        self._shifts: dict[str, list[tuple[int, float]]] = {s: [] for s in SYMBOLS}

    def now_ms(self) -> int:
        """The walk's clock in epoch milliseconds."""
        return int(self._clock() * 1000)

    def close_at(self, symbol: str, ts: datetime | int) -> float:
        """Close of the 1m candle containing ``ts`` (a datetime or epoch ms), shifts included."""
        minute = _to_ms(ts) // _MINUTE_MS
        return float(self._minutes(symbol, minute, minute)[3, 0])

    def price(self, symbol: str) -> float:
        """The current price: this minute's close."""
        return self.close_at(symbol, self.now_ms())

    def window(self, symbol: str, minutes: int) -> tuple[float, float, float, float, float, float]:
        """Open, high, low, close, volume and quote volume of the last ``minutes`` minutes."""
        now = self.now_ms() // _MINUTE_MS
        o, h, lo, c, v = self._minutes(symbol, now - minutes + 1, now)
        high, low, volume, quote_volume = (
            float(h.max()),
            float(lo.min()),
            float(v.sum()),
            float(v @ c),
        )
        return float(o[0]), high, low, float(c[-1]), volume, quote_volume

    def candles(
        self, symbol: str, interval: str, start_ms: int | None, end_ms: int | None, limit: int
    ) -> list[list[float | int]]:
        """Binance-style candles ``[open_ms, o, h, l, c, v, close_ms]``, oldest first.

        Open times are aligned to the interval. ``start_ms`` keeps candles that open at or
        after it, ``end_ms`` those that open at or before it; without ``start_ms`` the last
        ``limit`` candles are returned. The last candle may be the current, partial one;
        nothing lies beyond now.
        """
        if interval not in INTERVALS:
            raise ValueError(f"unknown interval {interval!r}; expected one of {list(INTERVALS)}")
        if limit < 1:
            raise ValueError(f"limit must be >= 1, got {limit}")
        step = INTERVALS[interval]
        span = step * _MINUTE_MS
        now = self.now_ms() // _MINUTE_MS
        last = now // step
        if end_ms is not None:
            last = min(last, end_ms // span)
        if start_ms is not None:
            first = -(-start_ms // span)
            last = min(last, first + limit - 1)
        else:
            first = last - limit + 1
        if first > last:
            return []
        o, h, lo, c, v = self._minutes(symbol, first * step, min((last + 1) * step - 1, now))
        starts = np.arange(0, len(o), step)
        ends = np.minimum(starts + step, len(o)) - 1
        volumes = np.round(np.add.reduceat(v, starts), _DECIMALS[symbol][1])
        times = ((first + np.arange(len(starts))) * span).tolist()
        columns = zip(
            times,
            o[starts].tolist(),
            np.maximum.reduceat(h, starts).tolist(),
            np.minimum.reduceat(lo, starts).tolist(),
            c[ends].tolist(),
            volumes.tolist(),
            strict=True,
        )
        return [[t, op, hi, low, cl, vol, t + span - 1] for t, op, hi, low, cl, vol in columns]

    def shift(self, symbol: str, pct: float) -> None:
        """From the current minute on, multiply ``symbol``'s prices by ``1 + pct/100``.

        The factor replaces any earlier one (it does not compound); ``pct=0`` resets it.
        History before the current minute is unchanged.
        """
        _check_symbol(symbol)
        factor = 1.0 + pct / 100.0
        if not math.isfinite(factor) or factor <= 0:
            raise ValueError(f"pct must be finite and > -100, got {pct}")
        minute = self.now_ms() // _MINUTE_MS
        with self._lock:
            kept = [(m, f) for m, f in self._shifts[symbol] if m < minute]
            self._shifts[symbol] = [*kept, (minute, factor)]

    def _minutes(self, symbol: str, first: int, last: int) -> _Floats:
        """Rows open, high, low, close, volume for epoch minutes ``first..last``, rounded."""
        _check_symbol(symbol)
        if symbol in CROSSES:
            return self._finish(symbol, self._cross(symbol, first, last), first, last)
        count = last - first + 1
        out = np.empty((5, count))
        flat = min(count, max(0, _ANCHOR_MINUTE - first))
        out[:4, :flat] = SYMBOLS[symbol][2]
        out[4, :flat] = 0.0
        with self._lock:
            pos = flat
            while pos < count:
                day, offset = divmod(first + pos - _ANCHOR_MINUTE, _DAY)
                take = min(_DAY - offset, count - pos)
                out[:, pos : pos + take] = self._block(symbol, day)[:, offset : offset + take]
                pos += take
        return self._finish(symbol, out, first, last)

    def _cross(self, symbol: str, first: int, last: int) -> _Floats:
        """A cross's raw rows: its legs' (shifted, rounded) rows divided minute by minute."""
        leg, quote_leg = CROSSES[symbol]
        a, b = self._minutes(leg, first, last), self._minutes(quote_leg, first, last)
        out = np.empty_like(a)
        out[0], out[3] = a[0] / b[0], a[3] / b[3]
        out[1] = np.maximum(a[1] / b[1], np.maximum(out[0], out[3]))
        out[2] = np.minimum(a[2] / b[2], np.minimum(out[0], out[3]))
        out[4] = a[4] * _CROSS_VOLUME_SHARE
        return out

    def _finish(self, symbol: str, out: _Floats, first: int, last: int) -> _Floats:
        """Apply ``symbol``'s own shifts to raw rows and round them to its tick and step."""
        with self._lock:
            shifts = list(self._shifts[symbol])
        if shifts and shifts[0][0] <= last:
            starts = np.array([m for m, _ in shifts])
            factors = np.array([1.0] + [f for _, f in shifts])
            out[:4] *= factors[np.searchsorted(starts, np.arange(first, last + 1), side="right")]
        price_decimals, qty_decimals = _DECIMALS[symbol]
        out[:4] = np.round(out[:4], price_decimals)
        out[4] = np.round(out[4], qty_decimals)
        return out

    def _block(self, symbol: str, day: int) -> _Floats:
        """The raw 5x1440 block of one day, from the LRU cache. Caller holds the lock."""
        key = (symbol, day)
        block = self._blocks.get(key)
        if block is not None:
            self._blocks.move_to_end(key)
            return block
        rng, closes = self._walk_day(symbol, day)
        opens = np.concatenate(([self._day_open(symbol, day)], closes[:-1]))
        wicks = np.abs(rng.normal(0.0, _SIGMA / 2, (2, _DAY)))
        highs = np.maximum(opens, closes) * (1.0 + wicks[0])
        lows = np.minimum(opens, closes) * (1.0 - wicks[1])
        volumes = rng.lognormal(0.0, 0.6, _DAY) * (_MINUTE_NOTIONAL / SYMBOLS[symbol][2])
        block = np.stack([opens, highs, lows, closes, volumes])
        self._blocks[key] = block
        if len(self._blocks) > _CACHE_BLOCKS:
            self._blocks.popitem(last=False)
        return block

    def _walk_day(self, symbol: str, day: int) -> tuple[np.random.Generator, _Floats]:
        """The seeded generator of one day and that day's 1440 closes (the first draw)."""
        start = self._day_open(symbol, day)
        rng = np.random.default_rng((self.seed, zlib.crc32(symbol.encode()), day))
        drift = -_REVERSION * math.log(start / SYMBOLS[symbol][2]) / _DAY
        closes: _Floats = start * np.exp(np.cumsum(rng.normal(drift, _SIGMA, _DAY)))
        return rng, closes

    def _day_open(self, symbol: str, day: int) -> float:
        """Day ``day``'s opening price: the previous day's close, computed day by day."""
        opens = self._day_opens[symbol]
        while len(opens) <= day:
            opens.append(float(self._walk_day(symbol, len(opens) - 1)[1][-1]))
        return opens[day]


class ApiError(Exception):
    """A Binance-style error reply: HTTP status plus ``{"code": ..., "msg": ...}``."""

    def __init__(self, status: int, code: int, msg: str) -> None:
        super().__init__(msg)
        self.status, self.code, self.msg = status, code, msg


def fmt(value: float) -> str:
    """Binance sends decimals as strings with 8 places."""
    return f"{value:.8f}"


def _symbol_info(symbol: str) -> dict[str, Any]:
    """One ``exchangeInfo`` entry: the fields and filters ccxt's ``parse_market`` reads."""
    base, quote, _ = SYMBOLS[symbol]
    tick, step = (fmt(10.0**-decimals) for decimals in _DECIMALS[symbol])
    filters = [
        {"filterType": "PRICE_FILTER", "minPrice": tick, "maxPrice": fmt(1e6), "tickSize": tick},
        {"filterType": "LOT_SIZE", "minQty": step, "maxQty": fmt(9e6), "stepSize": step},
        {"filterType": "MARKET_LOT_SIZE", "minQty": fmt(0), "maxQty": fmt(9e6),
         "stepSize": fmt(0)},
        {"filterType": "NOTIONAL", "minNotional": fmt(_MIN_NOTIONAL[quote]),
         "applyMinToMarket": True,
         "maxNotional": fmt(9e6), "applyMaxToMarket": False, "avgPriceMins": 5},
        {"filterType": "MAX_NUM_ORDERS", "maxNumOrders": 200},
    ]  # fmt: skip
    return {
        "symbol": symbol,
        "status": "TRADING",
        "baseAsset": base,
        "baseAssetPrecision": 8,
        "quoteAsset": quote,
        "quotePrecision": 8,
        "quoteAssetPrecision": 8,
        "orderTypes": ["LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"],
        "icebergAllowed": True,
        "ocoAllowed": True,
        "quoteOrderQtyMarketAllowed": True,
        "isSpotTradingAllowed": True,
        "isMarginTradingAllowed": False,
        "filters": filters,
        "permissions": ["SPOT"],
        "permissionSets": [["SPOT"]],
    }


def kline_rows(rows: list[list[float | int]]) -> list[list[Any]]:
    """:meth:`PriceWalk.candles` rows in Binance's 12-field kline format (decimals as text)."""
    return [
        [t, fmt(o), fmt(h), fmt(lo), fmt(c), fmt(v), ct,
         fmt(v * c), int(v * c / 100) + 1, fmt(v / 2), fmt(v * c / 2), "0"]
        for t, o, h, lo, c, v, ct in rows
    ]  # fmt: skip


def int_param(query: dict[str, str], name: str, default: int | None) -> int | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiError(400, -1100, f"Illegal characters found in parameter '{name}'.") from None


def _symbol_param(query: dict[str, str]) -> str:
    symbol = query.get("symbol", "")
    if not symbol:
        raise ApiError(400, -1102, "Mandatory parameter 'symbol' was not sent or was empty.")
    if symbol not in SYMBOLS:
        raise ApiError(400, -1121, "Invalid symbol.")
    return symbol


def _symbols_param(query: dict[str, str]) -> list[str]:
    """``symbol=X`` gives ``[X]``, ``symbols=["X","Y"]`` those, neither gives every symbol."""
    if "symbol" in query:
        return [_symbol_param(query)]
    if "symbols" not in query:
        return list(SYMBOLS)
    try:
        names = json.loads(query["symbols"])
    except json.JSONDecodeError:
        raise ApiError(400, -1100, "Illegal characters found in parameter 'symbols'.") from None
    if not isinstance(names, list) or any(name not in SYMBOLS for name in names):
        raise ApiError(400, -1121, "Invalid symbol.")
    return [str(name) for name in names]


class ExchangeSimulator:
    """An HTTP server answering Binance's public spot API from a :class:`PriceWalk`.

    Start it, point ccxt (or freqtrade's ``ccxt_config.urls.api``) at ``url + "/api/v3"``
    (spot) and ``url + "/fapi/v1"`` (futures), and stop it. ``/_ctl/shift`` (``symbol``,
    ``pct``, ``market=spot|futures``), ``/_ctl/requests`` and ``/_ctl/health`` let a test
    move prices and see what the bot asked for. Requests to ``/_ctl/`` are not counted.

    >>> import requests
    >>> with ExchangeSimulator(seed=7) as sim:
    ...     requests.get(f"{sim.url}/_ctl/health", timeout=5).json()
    {'ok': True, 'seed': 7}
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, seed: int = DEFAULT_SEED) -> None:
        from ftnotebook.demo.futures import FuturesApi  # it builds on this module

        self.host = host
        self.seed = seed
        self.walk = PriceWalk(seed)
        self.futures_walk = PriceWalk(seed)
        """The futures market's prices: the spot walk's, with shifts of their own."""
        self._port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._counts: Counter[str] = Counter()
        self._counts_lock = threading.Lock()
        self._routes: dict[tuple[str, str], Callable[[dict[str, str]], Any]] = {
            ("GET", "/api/v3/ping"): lambda q: {},
            ("GET", "/api/v3/time"): lambda q: {"serverTime": self.walk.now_ms()},
            ("GET", "/api/v3/exchangeInfo"): self._exchange_info,
            ("GET", "/api/v3/klines"): self._klines,
            ("GET", "/api/v3/ticker/24hr"): self._each_symbol(self._ticker_24hr),
            ("GET", "/api/v3/ticker/price"): self._each_symbol(self._ticker_price),
            ("GET", "/api/v3/ticker/bookTicker"): self._each_symbol(self._book_ticker),
            ("GET", "/api/v3/avgPrice"): self._avg_price,
            ("GET", "/api/v3/depth"): self._depth,
            ("GET", "/api/v3/trades"): self._trades,
            **FuturesApi(self.futures_walk).routes(),
            ("POST", "/_ctl/shift"): self._ctl_shift,
            ("GET", "/_ctl/requests"): lambda q: self.request_counts(),
            ("GET", "/_ctl/health"): lambda q: {"ok": True, "seed": self.seed},
        }

    @property
    def port(self) -> int:
        """The listening port (the picked one once started with port 0)."""
        return self._port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self._port}"

    def start(self) -> ExchangeSimulator:
        """Bind and serve in a daemon thread; returns ``self``."""
        if self._server is not None:
            raise RuntimeError("the simulator is already running")
        self._server = _Server((self.host, self._port), self)
        self._port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"simulator:{self._port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket. Safe to call twice."""
        server, thread, self._server, self._thread = self._server, self._thread, None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> ExchangeSimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def served_paths(self) -> set[str]:
        """Every path this simulator answers (``/_ctl/`` included)."""
        return {path for _, path in self._routes}

    def request_counts(self) -> dict[str, int]:
        """Requests served per path, ``/_ctl/`` excluded."""
        with self._counts_lock:
            return dict(self._counts)

    def handle(self, method: str, path: str, query: dict[str, str]) -> tuple[int, Any]:
        """Answer one request: ``(HTTP status, JSON-ready payload)``. Never raises."""
        if not path.startswith("/_ctl/"):
            with self._counts_lock:
                self._counts[path] += 1
        route = self._routes.get((method, path))
        if route is None:
            return 404, {"code": -1, "msg": f"Unknown endpoint {method} {path}."}
        try:
            return 200, route(query)
        except ApiError as exc:
            return exc.status, {"code": exc.code, "msg": exc.msg}
        except Exception as exc:
            return 500, {"code": -1000, "msg": f"{type(exc).__name__}: {exc}"}

    def _each_symbol(self, one: Callable[[str], dict[str, Any]]) -> Callable[[dict[str, str]], Any]:
        """An endpoint that answers one object for ``symbol=`` and a list otherwise."""

        def endpoint(query: dict[str, str]) -> Any:
            if "symbol" in query:
                return one(_symbol_param(query))
            return [one(name) for name in _symbols_param(query)]

        return endpoint

    def _exchange_info(self, query: dict[str, str]) -> dict[str, Any]:
        return {
            "timezone": "UTC",
            "serverTime": self.walk.now_ms(),
            "rateLimits": [],
            "exchangeFilters": [],
            "symbols": [_symbol_info(name) for name in _symbols_param(query)],
        }

    def _klines(self, query: dict[str, str]) -> list[list[Any]]:
        symbol = _symbol_param(query)
        interval = query.get("interval", "")
        if interval not in INTERVALS:
            raise ApiError(400, -1120, "Invalid interval.")
        limit = int_param(query, "limit", 500) or 500
        start, end = int_param(query, "startTime", None), int_param(query, "endTime", None)
        return kline_rows(self.walk.candles(symbol, interval, start, end, max(1, min(limit, 1000))))

    def _quote(self, symbol: str) -> tuple[float, float, float, float]:
        """Last price, bid, ask (±1 tick) and the quantity of one book level."""
        price = self.walk.price(symbol)
        price_decimals, qty_decimals = _DECIMALS[symbol]
        tick = 10.0**-price_decimals
        level = round(_LEVEL_NOTIONAL / _base_usdt(symbol), qty_decimals)
        return (
            price,
            round(price - tick, price_decimals),
            round(price + tick, price_decimals),
            level,
        )

    def _ticker_24hr(self, symbol: str) -> dict[str, Any]:
        now = self.walk.now_ms()
        o, h, lo, c, volume, quote_volume = self.walk.window(symbol, _DAY)
        last, bid, ask, level = self._quote(symbol)
        trades = int(quote_volume / 100)
        prices = {
            "priceChange": c - o,
            "weightedAvgPrice": quote_volume / volume if volume else c,
            "prevClosePrice": o,
            "lastPrice": last,
            "bidPrice": bid,
            "askPrice": ask,
            "openPrice": o,
            "highPrice": h,
            "lowPrice": lo,
        }
        quantities = {"lastQty": level / 10, "bidQty": level, "askQty": level, "volume": volume}
        return {
            "symbol": symbol,
            "priceChangePercent": f"{(c - o) / o * 100:.3f}",
            **{key: fmt(value) for key, value in (prices | quantities).items()},
            "quoteVolume": fmt(quote_volume),
            "openTime": now - _DAY * _MINUTE_MS,
            "closeTime": now,
            "firstId": 1,
            "lastId": trades,
            "count": trades,
        }

    def _ticker_price(self, symbol: str) -> dict[str, Any]:
        return {"symbol": symbol, "price": fmt(self.walk.price(symbol))}

    def _book_ticker(self, symbol: str) -> dict[str, Any]:
        _, bid, ask, level = self._quote(symbol)
        return {"symbol": symbol, "bidPrice": fmt(bid), "bidQty": fmt(level),
                "askPrice": fmt(ask), "askQty": fmt(level)}  # fmt: skip

    def _avg_price(self, query: dict[str, str]) -> dict[str, Any]:
        symbol = _symbol_param(query)
        closes = [row[4] for row in self.walk.candles(symbol, "1m", None, None, 5)]
        average = round(sum(closes) / len(closes), _DECIMALS[symbol][0])
        return {"mins": 5, "price": fmt(average), "closeTime": self.walk.now_ms()}

    def _depth(self, query: dict[str, str]) -> dict[str, Any]:
        symbol = _symbol_param(query)
        levels = max(1, min(int_param(query, "limit", 100) or 100, _DEPTH_LEVELS))
        price, _, _, level = self._quote(symbol)
        decimals = _DECIMALS[symbol][0]

        def side(sign: int) -> list[list[str]]:
            return [
                [fmt(round(price + sign * i * 10.0**-decimals, decimals)), fmt(level * i)]
                for i in range(1, levels + 1)
            ]

        return {"lastUpdateId": self.walk.now_ms(), "bids": side(-1), "asks": side(1)}

    def _trades(self, query: dict[str, str]) -> list[Any]:
        _symbol_param(query)
        return []

    def _ctl_shift(self, query: dict[str, str]) -> dict[str, Any]:
        symbol = _symbol_param(query)
        market = query.get("market", "spot")
        walks = {"spot": self.walk, "futures": self.futures_walk}
        if market not in walks:
            raise ApiError(400, -1100, f"Bad parameter 'market': {market!r}; use spot or futures")
        try:
            pct = float(query.get("pct", ""))
            walks[market].shift(symbol, pct)
        except ValueError as exc:
            raise ApiError(400, -1100, f"Bad parameter 'pct': {exc}") from None
        return {"symbol": symbol, "market": market, "factor": 1.0 + pct / 100.0}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], simulator: ExchangeSimulator) -> None:
        super().__init__(address, _Handler)
        self.simulator = simulator


class _Handler(BaseHTTPRequestHandler):
    """Keep-alive HTTP/1.1; each response goes out as one write with TCP_NODELAY."""

    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request line on stderr."""

    def _answer(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)  # drain the body so the connection stays usable
        url = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        status, payload = self.server.simulator.handle(method, url.path, query)
        body = json.dumps(payload, separators=(",", ":")).encode()
        head = (
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
            f"Date: {self.date_time_string()}\r\n"
            "Content-Type: application/json;charset=UTF-8\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        self.wfile.write(head.encode("latin-1") + body)


def main(argv: list[str] | None = None) -> int:
    """Run the simulator until SIGTERM or SIGINT."""
    parser = argparse.ArgumentParser(
        prog="python -m ftnotebook.demo.simulator",
        description="Serve Binance's public spot and USD-M futures API from a seeded random walk.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)

    stopping = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        simulator = ExchangeSimulator(args.host, args.port, args.seed).start()
    except OSError as exc:
        print(f"simulator: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    try:
        print(f"simulator listening on {simulator.url}", flush=True)
        while not stopping.wait(0.5):
            pass
    finally:
        simulator.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
