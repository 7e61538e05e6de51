"""Binance USDⓈ-M futures for the exchange simulator: perpetuals, mark prices, funding.

Why: a freqtrade bot in ``trading_mode: futures`` talks to Binance's ``/fapi/v1`` API through
ccxt's binance driver (``defaultType: swap``). :class:`~ftnotebook.demo.simulator.ExchangeSimulator`
mounts :class:`FuturesApi` beside its spot routes, so one simulator process serves a spot bot
and a futures bot at once. The bot's config points ``urls.api.fapiPublic`` (and every other
``fapi*`` key) at ``<simulator>/fapi/v1`` and sets ``options.fetchMarkets.types = ["linear"]``.

What is served (every route public and unsigned, as a dry-run bot and
``download-data --trading-mode futures`` need them):

=============================  =====================================================
``/fapi/v1/ping``, ``time``     liveness and the clock
``exchangeInfo``                the perpetuals of :data:`FUTURES_SYMBOLS` (ccxt makes
                                ``BTC/USDT:USDT``); all share one ``deliveryDate``, as
                                freqtrade's delisting check wants
``klines``                      last-price candles (the walk)
``markPriceKlines``,            mark and index price candles: this market has no basis,
``indexPriceKlines``            so they equal the last-price candles
``premiumIndexKlines``          the premium, 0 throughout
``fundingRate``                 funding history, every 8 h at 00:00/08:00/16:00 UTC
``premiumIndex``                mark price, last and predicted funding rate
``fundingInfo``                 the funding interval (8 h) per symbol
``ticker/24hr``                 24 h statistics (no bid/ask, as on Binance futures)
``ticker/bookTicker``,          best bid/ask and last price
``ticker/price``
``depth``                       a five-level book one tick either side of the price
``trades``                      empty (the walk has no trade tape)
=============================  =====================================================

Prices come from a :class:`~ftnotebook.demo.simulator.PriceWalk` with the spot market's seed,
so a futures chart shows the same prices as the spot chart. The futures walk keeps its own
shifts (``/_ctl/shift?market=futures``), so a test that moves a spot price never moves a
futures position towards its liquidation, and the other way round.

The funding rate is deterministic and moves the way the price walk does
(:func:`funding_rate`): Binance's 0.01 % base rate plus a premium that follows the price's
move over the 8 h before the funding time, capped at ±0.3 %. A rally makes longs pay shorts,
a slide the other way round.

Never asked for by a dry-run bot, and so not served: signed (account, order, leverage,
margin-mode, position-mode) routes. freqtrade reads leverage tiers from its bundled
``binance_leverage_tiers.json`` in dry-run, so ``leverageBracket`` is not needed either.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ftnotebook.demo.simulator import (
    ANCHOR,
    INTERVALS,
    SYMBOLS,
    ApiError,
    PriceWalk,
    fmt,
    int_param,
    kline_rows,
)

__all__ = [
    "DELIVERY_DATE_MS",
    "FUNDING_BASE_RATE",
    "FUNDING_CAP",
    "FUNDING_INTERVAL_H",
    "FUTURES_SYMBOLS",
    "FuturesApi",
    "funding_rate",
    "funding_times",
]

FUTURES_SYMBOLS: dict[str, tuple[int, int]] = {
    "BTCUSDT": (2, 3),
    "ETHUSDT": (2, 3),
    "SOLUSDT": (2, 0),
    "XRPUSDT": (4, 1),
    "ADAUSDT": (4, 0),
}
"""Real Binance perpetual symbols (freqtrade's bundled leverage tiers know them) with the
decimals of their price tick and quantity step. Ticks are the price walk's; steps are
Binance's (BTC 0.001, SOL 1 ...), so a position is rounded down as on the exchange."""

DELIVERY_DATE_MS = 4_133_404_800_000
"""Binance's ``deliveryDate`` of every perpetual (2100-12-25)."""
FUNDING_INTERVAL_H = 8
FUNDING_BASE_RATE = 0.0001
"""Binance's interest component: 0.01 % per 8 h."""
FUNDING_CAP = 0.003
_FUNDING_GAIN = 0.05
"""Premium per unit of 8 h log return: a 2 % rally adds 0.1 % to the rate."""
_HOUR_MS = 3_600_000
_INTERVAL_MS = FUNDING_INTERVAL_H * _HOUR_MS
_MIN_NOTIONAL = 5.0
_LEVEL_NOTIONAL = 50_000.0
_DEPTH_LEVELS = 5


def funding_times(start_ms: int, end_ms: int) -> list[int]:
    """Funding times (epoch ms, on 00:00/08:00/16:00 UTC) from ``start_ms`` to ``end_ms``."""
    first = -(-start_ms // _INTERVAL_MS)
    last = end_ms // _INTERVAL_MS
    return [i * _INTERVAL_MS for i in range(first, last + 1)]


def funding_rate(walk: PriceWalk, symbol: str, funding_ms: int) -> float:
    """The funding rate settled at ``funding_ms``, from the walk's move over the 8 h before.

    ``0.0001 + 0.05 * ln(price(t) / price(t - 8h))``, capped at ±0.3 % and rounded to 8
    places. Before the walk's anchor (flat prices) it is the base rate.

    >>> from datetime import timedelta
    >>> from ftnotebook.demo.simulator import PriceWalk, ANCHOR
    >>> before_anchor = ANCHOR - timedelta(days=1)
    >>> funding_rate(PriceWalk(42), "BTCUSDT", int(before_anchor.timestamp() * 1000))
    0.0001
    """
    now = walk.close_at(symbol, funding_ms)
    before = walk.close_at(symbol, funding_ms - _INTERVAL_MS)
    rate = FUNDING_BASE_RATE + _FUNDING_GAIN * math.log(now / before)
    return round(max(-FUNDING_CAP, min(FUNDING_CAP, rate)), 8)


def _symbol_param(query: dict[str, str], *, required: bool = True) -> str | None:
    symbol = query.get("symbol", "")
    if not symbol:
        if required:
            raise ApiError(400, -1102, "Mandatory parameter 'symbol' was not sent or was empty.")
        return None
    if symbol not in FUTURES_SYMBOLS:
        raise ApiError(400, -1121, "Invalid symbol.")
    return symbol


def _symbol_info(symbol: str) -> dict[str, Any]:
    """One futures ``exchangeInfo`` entry: what ccxt's ``parse_market`` reads for a swap."""
    base, quote, _ = SYMBOLS[symbol]
    price_decimals, qty_decimals = FUTURES_SYMBOLS[symbol]
    tick, step = fmt(10.0**-price_decimals), fmt(10.0**-qty_decimals)
    filters = [
        {"filterType": "PRICE_FILTER", "minPrice": tick, "maxPrice": fmt(1e6), "tickSize": tick},
        {"filterType": "LOT_SIZE", "minQty": step, "maxQty": fmt(1e6), "stepSize": step},
        {"filterType": "MARKET_LOT_SIZE", "minQty": step, "maxQty": fmt(1e5), "stepSize": step},
        {"filterType": "MAX_NUM_ORDERS", "limit": 200},
        {"filterType": "MIN_NOTIONAL", "notional": fmt(_MIN_NOTIONAL)},
        {"filterType": "PERCENT_PRICE", "multiplierUp": "1.0500", "multiplierDown": "0.9500",
         "multiplierDecimal": "4"},
    ]  # fmt: skip
    return {
        "symbol": symbol,
        "pair": symbol,
        "contractType": "PERPETUAL",
        "deliveryDate": DELIVERY_DATE_MS,
        "onboardDate": int(ANCHOR.timestamp() * 1000),
        "status": "TRADING",
        "baseAsset": base,
        "quoteAsset": quote,
        "marginAsset": quote,
        "pricePrecision": price_decimals,
        "quantityPrecision": qty_decimals,
        "baseAssetPrecision": 8,
        "quotePrecision": 8,
        "underlyingType": "COIN",
        "underlyingSubType": [],
        "triggerProtect": "0.0500",
        "liquidationFee": "0.012500",
        "marketTakeBound": "0.05",
        "maxMoveOrderLimit": 10000,
        "filters": filters,
        "orderTypes": ["LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT",
                       "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"],
        "timeInForce": ["GTC", "IOC", "FOK", "GTX", "GTD"],
        "permissionSets": ["GRID", "COPY"],
    }  # fmt: skip


class FuturesApi:
    """The ``/fapi/v1`` routes, answered from a futures :class:`PriceWalk`.

    ``routes()`` gives ``{(method, path): handler}`` for the simulator's router; a handler
    takes the query dict and returns a JSON-ready value or raises :class:`ApiError`.

    >>> api = FuturesApi(PriceWalk(42))
    >>> sorted(path for _, path in api.routes())[:3]
    ['/fapi/v1/continuousKlines', '/fapi/v1/depth', '/fapi/v1/exchangeInfo']
    """

    def __init__(self, walk: PriceWalk) -> None:
        self.walk = walk

    def routes(self) -> dict[tuple[str, str], Callable[[dict[str, str]], Any]]:
        """Every futures route, keyed by ``(method, path)``."""
        base = "/fapi/v1"
        table: dict[str, Callable[[dict[str, str]], Any]] = {
            "ping": lambda q: {},
            "time": lambda q: {"serverTime": self.walk.now_ms()},
            "exchangeInfo": self._exchange_info,
            "klines": self._klines,
            "continuousKlines": self._klines,
            "markPriceKlines": self._klines,
            "indexPriceKlines": self._index_klines,
            "premiumIndexKlines": self._premium_klines,
            "fundingRate": self._funding_rate,
            "fundingInfo": self._funding_info,
            "premiumIndex": self._each(self._premium_index),
            "ticker/24hr": self._each(self._ticker_24hr),
            "ticker/bookTicker": self._each(self._book_ticker),
            "ticker/price": self._each(self._ticker_price),
            "depth": self._depth,
            "trades": self._trades,
        }
        return {("GET", f"{base}/{name}"): handler for name, handler in table.items()}

    # ------------------------------------------------------------------ helpers

    def _each(self, one: Callable[[str], dict[str, Any]]) -> Callable[[dict[str, str]], Any]:
        """An endpoint answering one object for ``symbol=`` and a list without it."""

        def endpoint(query: dict[str, str]) -> Any:
            symbol = _symbol_param(query, required=False)
            if symbol is not None:
                return one(symbol)
            return [one(name) for name in FUTURES_SYMBOLS]

        return endpoint

    def _candles(self, query: dict[str, str], symbol: str) -> list[list[float | int]]:
        interval = query.get("interval", "")
        if interval not in INTERVALS:
            raise ApiError(400, -1120, "Invalid interval.")
        limit = int_param(query, "limit", 500) or 500
        start, end = int_param(query, "startTime", None), int_param(query, "endTime", None)
        return self.walk.candles(symbol, interval, start, end, max(1, min(limit, 1500)))

    def _price(self, symbol: str) -> float:
        return self.walk.price(symbol)

    def _book(self, symbol: str) -> tuple[float, float, float, float]:
        """Last price, best bid and ask (±1 tick) and the quantity of one level."""
        price = self._price(symbol)
        price_decimals, qty_decimals = FUTURES_SYMBOLS[symbol]
        tick = 10.0**-price_decimals
        level = max(round(_LEVEL_NOTIONAL / price, qty_decimals), 10.0**-qty_decimals)
        bid, ask = round(price - tick, price_decimals), round(price + tick, price_decimals)
        return price, bid, ask, level

    # ------------------------------------------------------------------ routes

    def _exchange_info(self, query: dict[str, str]) -> dict[str, Any]:
        return {
            "timezone": "UTC",
            "serverTime": self.walk.now_ms(),
            "futuresType": "U_MARGINED",
            "rateLimits": [],
            "exchangeFilters": [],
            "assets": [{"asset": "USDT", "marginAvailable": True, "autoAssetExchange": "0"}],
            "symbols": [_symbol_info(name) for name in FUTURES_SYMBOLS],
        }

    def _klines(self, query: dict[str, str]) -> list[list[Any]]:
        symbol = _symbol_param(query, required=False) or query.get("pair", "")
        if symbol not in FUTURES_SYMBOLS:
            raise ApiError(400, -1121, "Invalid symbol.")
        return kline_rows(self._candles(query, symbol))

    def _index_klines(self, query: dict[str, str]) -> list[list[Any]]:
        """Index candles are asked for by ``pair`` (Binance's naming), not ``symbol``."""
        pair = query.get("pair", "")
        if pair not in FUTURES_SYMBOLS:
            raise ApiError(400, -1121, "Invalid symbol.")
        return kline_rows(self._candles(query, pair))

    def _premium_klines(self, query: dict[str, str]) -> list[list[Any]]:
        symbol = _symbol_param(query)
        assert symbol is not None
        zero = fmt(0.0)
        return [
            [t, zero, zero, zero, zero, "0", ct, "0", 0, "0", "0", "0"]
            for t, *_, ct in self._candles(query, symbol)
        ]

    def _funding_rate(self, query: dict[str, str]) -> list[dict[str, Any]]:
        """Binance's ``fundingRate``: ascending, from ``startTime`` or the latest ``limit``."""
        symbol = _symbol_param(query)
        assert symbol is not None
        limit = max(1, min(int_param(query, "limit", 100) or 100, 1000))
        start, end = int_param(query, "startTime", None), int_param(query, "endTime", None)
        last = self.walk.now_ms() if end is None else min(end, self.walk.now_ms())
        if start is None:
            times = funding_times(last - limit * _INTERVAL_MS, last)[-limit:]
        else:
            times = funding_times(start, min(last, start + limit * _INTERVAL_MS))[:limit]
        decimals = FUTURES_SYMBOLS[symbol][0]
        return [
            {
                "symbol": symbol,
                "fundingTime": t,
                "fundingRate": fmt(funding_rate(self.walk, symbol, t)),
                "markPrice": f"{self.walk.close_at(symbol, t):.{decimals}f}",
            }
            for t in times
        ]

    def _funding_info(self, query: dict[str, str]) -> list[dict[str, Any]]:
        return [
            {"symbol": name, "adjustedFundingRateCap": fmt(FUNDING_CAP),
             "adjustedFundingRateFloor": fmt(-FUNDING_CAP),
             "fundingIntervalHours": FUNDING_INTERVAL_H, "disclaimer": False}
            for name in FUTURES_SYMBOLS
        ]  # fmt: skip

    def _premium_index(self, symbol: str) -> dict[str, Any]:
        now = self.walk.now_ms()
        upcoming = funding_times(now + 1, now + _INTERVAL_MS)[0]
        price = fmt(self._price(symbol))
        return {
            "symbol": symbol,
            "markPrice": price,
            "indexPrice": price,
            "estimatedSettlePrice": price,
            # the rate of the coming settlement, from the move so far (Binance's estimate)
            "lastFundingRate": fmt(funding_rate(self.walk, symbol, now)),
            "interestRate": fmt(FUNDING_BASE_RATE),
            "nextFundingTime": upcoming,
            "time": now,
        }

    def _ticker_24hr(self, symbol: str) -> dict[str, Any]:
        now = self.walk.now_ms()
        o, h, lo, c, volume, quote_volume = self.walk.window(symbol, 1440)
        last, *_ = self._book(symbol)
        count = int(quote_volume / 100)
        return {
            "symbol": symbol,
            "priceChange": fmt(c - o),
            "priceChangePercent": f"{(c - o) / o * 100:.3f}",
            "weightedAvgPrice": fmt(quote_volume / volume if volume else c),
            "lastPrice": fmt(last),
            "lastQty": fmt(10.0 ** -FUTURES_SYMBOLS[symbol][1]),
            "openPrice": fmt(o),
            "highPrice": fmt(h),
            "lowPrice": fmt(lo),
            "volume": fmt(volume),
            "quoteVolume": fmt(quote_volume),
            "openTime": now - 1440 * 60_000,
            "closeTime": now,
            "firstId": 1,
            "lastId": count,
            "count": count,
        }

    def _book_ticker(self, symbol: str) -> dict[str, Any]:
        _, bid, ask, level = self._book(symbol)
        now = self.walk.now_ms()
        return {"symbol": symbol, "bidPrice": fmt(bid), "bidQty": fmt(level),
                "askPrice": fmt(ask), "askQty": fmt(level), "time": now,
                "lastUpdateId": now}  # fmt: skip

    def _ticker_price(self, symbol: str) -> dict[str, Any]:
        return {"symbol": symbol, "price": fmt(self._price(symbol)), "time": self.walk.now_ms()}

    def _depth(self, query: dict[str, str]) -> dict[str, Any]:
        symbol = _symbol_param(query)
        assert symbol is not None
        levels = max(1, min(int_param(query, "limit", 500) or 500, _DEPTH_LEVELS))
        price, _, _, level = self._book(symbol)
        decimals = FUTURES_SYMBOLS[symbol][0]
        tick = 10.0**-decimals

        def side(sign: int) -> list[list[str]]:
            return [
                [fmt(round(price + sign * i * tick, decimals)), fmt(level * i)]
                for i in range(1, levels + 1)
            ]

        now = self.walk.now_ms()
        return {"lastUpdateId": now, "E": now, "T": now, "bids": side(-1), "asks": side(1)}

    def _trades(self, query: dict[str, str]) -> list[Any]:
        _symbol_param(query)
        return []
