"""The simulator's USDⓈ-M futures side: routes, funding rates, shifts, and ccxt's driver on it."""

from __future__ import annotations

import json
import math
import subprocess
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from ftnotebook.demo.futures import (
    DELIVERY_DATE_MS,
    FUNDING_BASE_RATE,
    FUNDING_CAP,
    FUTURES_SYMBOLS,
    FuturesApi,
    funding_rate,
    funding_times,
)
from ftnotebook.demo.launcher import bot_python
from ftnotebook.demo.simulator import ApiError, ExchangeSimulator, PriceWalk
from tests.conftest import freqtrade_or_skip

NOW = datetime(2026, 11, 25, 8, 17, 31, tzinfo=UTC)
NOW_MS = int(NOW.timestamp() * 1000)
EIGHT_H = 8 * 3_600_000


def _api(when: datetime = NOW) -> tuple[FuturesApi, dict[str, Callable[[dict[str, str]], Any]]]:
    walk = PriceWalk(42, clock=lambda: when.timestamp())
    api = FuturesApi(walk)
    return api, {path.removeprefix("/fapi/v1/"): fn for (_, path), fn in api.routes().items()}


@pytest.fixture(scope="module")
def sim() -> Iterator[ExchangeSimulator]:
    with ExchangeSimulator() as simulator:
        yield simulator


def test_exchange_info_lists_perpetuals_ccxt_reads_as_linear_swaps() -> None:
    _, route = _api()
    info = route["exchangeInfo"]({})
    symbols = {s["symbol"]: s for s in info["symbols"]}
    assert sorted(symbols) == sorted(FUTURES_SYMBOLS)
    for name, entry in symbols.items():
        assert entry["contractType"] == "PERPETUAL" and entry["status"] == "TRADING"
        assert entry["marginAsset"] == entry["quoteAsset"] == "USDT"
        # freqtrade treats a pair whose deliveryDate differs from BTC's as being delisted
        assert entry["deliveryDate"] == DELIVERY_DATE_MS
        filters = {f["filterType"]: f for f in entry["filters"]}
        price_decimals, qty_decimals = FUTURES_SYMBOLS[name]
        assert float(filters["PRICE_FILTER"]["tickSize"]) == pytest.approx(10.0**-price_decimals)
        assert float(filters["LOT_SIZE"]["stepSize"]) == pytest.approx(10.0**-qty_decimals)
        assert float(filters["MIN_NOTIONAL"]["notional"]) > 0
    assert info["serverTime"] == NOW_MS


def test_candles_are_the_walks_and_mark_equals_last() -> None:
    api, route = _api()
    query = {"symbol": "BTCUSDT", "interval": "1h", "limit": "48"}
    klines = route["klines"](query)
    assert len(klines) == 48 and all(len(row) == 12 for row in klines)
    assert route["markPriceKlines"](query) == klines
    assert route["indexPriceKlines"]({"pair": "BTCUSDT", "interval": "1h", "limit": "48"}) == klines
    walk = api.walk.candles("BTCUSDT", "1h", None, None, 48)
    assert [row[0] for row in klines] == [row[0] for row in walk]
    assert [float(row[4]) for row in klines] == [row[4] for row in walk]
    assert klines[-1][0] <= NOW_MS < klines[-1][6] + 1  # the current, partial candle
    premium = route["premiumIndexKlines"](query)
    assert [row[0] for row in premium] == [row[0] for row in klines]
    assert {float(row[4]) for row in premium} == {0.0}
    since = route["klines"]({"symbol": "ETHUSDT", "interval": "5m", "startTime": "0", "limit": "3"})
    assert [row[0] for row in since] == [0, 300_000, 600_000]  # download-data's listing probe


def test_funding_history_every_8h_deterministic_and_following_the_price() -> None:
    api, route = _api()
    start = NOW - timedelta(days=20)
    rows = route["fundingRate"](
        {"symbol": "SOLUSDT", "startTime": str(int(start.timestamp() * 1000)), "limit": "1000"}
    )
    times = [row["fundingTime"] for row in rows]
    assert times == funding_times(int(start.timestamp() * 1000), NOW_MS)
    assert len(rows) == 60 and all(t % EIGHT_H == 0 for t in times)
    assert all(datetime.fromtimestamp(t / 1000, UTC).hour in (0, 8, 16) for t in times)
    again = _api()[1]["fundingRate"](
        {"symbol": "SOLUSDT", "startTime": str(int(start.timestamp() * 1000)), "limit": "1000"}
    )
    assert again == rows
    rates = [float(row["fundingRate"]) for row in rows]
    assert all(-FUNDING_CAP <= r <= FUNDING_CAP for r in rates)
    assert min(rates) < 0 < max(rates), "longs pay after rallies, shorts after slides"
    for row in rows:
        t = row["fundingTime"]
        move = math.log(api.walk.close_at("SOLUSDT", t) / api.walk.close_at("SOLUSDT", t - EIGHT_H))
        expected = max(-FUNDING_CAP, min(FUNDING_CAP, FUNDING_BASE_RATE + 0.05 * move))
        assert float(row["fundingRate"]) == pytest.approx(expected, abs=1e-8)
        assert float(row["markPrice"]) == api.walk.close_at("SOLUSDT", t)
    latest = route["fundingRate"]({"symbol": "SOLUSDT", "limit": "5"})
    assert [row["fundingTime"] for row in latest] == times[-5:]
    windowed = route["fundingRate"](
        {"symbol": "SOLUSDT", "startTime": str(times[0]), "endTime": str(times[2])}
    )
    assert [row["fundingTime"] for row in windowed] == times[:3]
    before_anchor = int(datetime(2025, 6, 1, tzinfo=UTC).timestamp() * 1000)
    assert funding_rate(api.walk, "BTCUSDT", before_anchor) == FUNDING_BASE_RATE  # flat walk


def test_premium_index_tickers_and_depth() -> None:
    api, route = _api()
    premium = route["premiumIndex"]({"symbol": "ETHUSDT"})
    price = api.walk.price("ETHUSDT")
    assert float(premium["markPrice"]) == float(premium["indexPrice"]) == price
    assert premium["nextFundingTime"] == funding_times(NOW_MS, NOW_MS + EIGHT_H)[0] > NOW_MS
    assert float(premium["lastFundingRate"]) == funding_rate(api.walk, "ETHUSDT", NOW_MS)
    assert len(route["premiumIndex"]({})) == len(FUTURES_SYMBOLS)
    ticker = route["ticker/24hr"]({"symbol": "ETHUSDT"})
    assert float(ticker["lastPrice"]) == price
    assert "bidPrice" not in ticker and "askPrice" not in ticker  # as on Binance futures
    book_ticker = route["ticker/bookTicker"]({"symbol": "ETHUSDT"})
    book = route["depth"]({"symbol": "ETHUSDT", "limit": "20"})
    assert float(book["bids"][0][0]) == float(book_ticker["bidPrice"]) == round(price - 0.01, 2)
    assert float(book["asks"][0][0]) == float(book_ticker["askPrice"]) == round(price + 0.01, 2)
    assert len(book["bids"]) == len(book["asks"]) == 5
    assert [float(b[0]) for b in book["bids"]] == sorted(float(b[0]) for b in book["bids"])[::-1]
    assert route["fundingInfo"]({})[0]["fundingIntervalHours"] == 8


def test_bad_futures_requests_get_binance_errors() -> None:
    _, route = _api()
    for name, query, code in [
        ("klines", {"symbol": "DOGEUSDT", "interval": "1h"}, -1121),
        ("klines", {"symbol": "BTCUSDT", "interval": "7m"}, -1120),
        ("fundingRate", {}, -1102),
        ("depth", {"symbol": "BTCUSDT", "limit": "x"}, -1100),
    ]:
        with pytest.raises(ApiError) as caught:
            route[name](query)
        assert caught.value.code == code, (name, query)


def test_futures_shifts_are_their_own(sim: ExchangeSimulator) -> None:
    """A futures shift moves only futures prices, a spot shift only spot prices."""
    spot = f"{sim.url}/api/v3/ticker/price"
    futures = f"{sim.url}/fapi/v1/ticker/price"
    with requests.Session() as http:

        def both() -> tuple[float, float]:
            s = float(http.get(spot, params={"symbol": "XRPUSDT"}, timeout=5).json()["price"])
            f = float(http.get(futures, params={"symbol": "XRPUSDT"}, timeout=5).json()["price"])
            return s, f

        for _ in range(3):  # retry across a minute boundary (the walk moves per minute)
            base_spot, base_fut = both()
            shifted = http.post(
                f"{sim.url}/_ctl/shift",
                params={"symbol": "XRPUSDT", "pct": "10", "market": "futures"},
                timeout=5,
            ).json()
            moved_spot, moved_fut = both()
            http.post(
                f"{sim.url}/_ctl/shift",
                params={"symbol": "XRPUSDT", "pct": "0", "market": "futures"},
                timeout=5,
            )
            if moved_spot == base_spot:
                break
        assert base_spot == base_fut, "same seed: futures trade at the spot price"
        assert shifted == {"symbol": "XRPUSDT", "market": "futures", "factor": pytest.approx(1.1)}
        assert moved_spot == base_spot
        assert moved_fut == pytest.approx(base_fut * 1.1, abs=1e-4)
        bad = http.post(
            f"{sim.url}/_ctl/shift",
            params={"symbol": "XRPUSDT", "pct": "1", "market": "margin"},
            timeout=5,
        )
        assert bad.status_code == 400 and "market" in bad.json()["msg"]


CCXT_FUTURES = textwrap.dedent(
    """
    import json, sys
    import ccxt
    url = sys.argv[1]
    keys = ccxt.binance().urls["api"]
    api = {key: f"{url}/unserved/{key}" for key in keys}
    api |= {"fapiPublic": f"{url}/fapi/v1", "public": f"{url}/api/v3"}
    exchange = ccxt.binance({
        "enableRateLimit": False,
        "options": {"defaultType": "swap", "fetchMarkets": {"types": ["linear"]},
                    "adjustForTimeDifference": False},
        "urls": {"api": api},
    })
    markets = exchange.load_markets()
    btc = markets["BTC/USDT:USDT"]
    since = exchange.milliseconds() - 3 * 86_400_000
    funding = exchange.fetch_funding_rate_history("BTC/USDT:USDT", since=since, limit=1000)
    rates = exchange.fetch_funding_rates(["BTC/USDT:USDT", "ETH/USDT:USDT"])
    mark = exchange.fetch_ohlcv("BTC/USDT:USDT", "1h", limit=5, params={"price": "mark"})
    last = exchange.fetch_ohlcv("BTC/USDT:USDT", "1h", limit=5)
    book = exchange.fetch_order_book("BTC/USDT:USDT", 5)
    tickers = exchange.fetch_tickers()
    bidasks = exchange.fetch_bids_asks()
    print(json.dumps({
        "symbols": sorted(markets), "linear": btc["linear"], "swap": btc["swap"],
        "settle": btc["settle"], "contract_size": btc["contractSize"],
        "tick": btc["precision"]["price"], "step": btc["precision"]["amount"],
        "funding": [[f["timestamp"], f["fundingRate"]] for f in funding],
        "mark_rate": rates["BTC/USDT:USDT"]["markPrice"],
        "next_funding": rates["BTC/USDT:USDT"]["fundingTimestamp"],
        "mark": mark, "last": last,
        "best_bid": book["bids"][0][0], "best_ask": book["asks"][0][0],
        "ticker_last": tickers["BTC/USDT:USDT"]["last"],
        "bid": bidasks["BTC/USDT:USDT"]["bid"], "ask": bidasks["BTC/USDT:USDT"]["ask"],
        "time": exchange.fetch_time(),
    }))
    """
)


def test_ccxt_binance_driver_trades_the_simulators_futures(sim: ExchangeSimulator) -> None:
    """ccxt (freqtrade's, in the bot venv) in swap mode: markets, funding, mark candles, books."""
    python = bot_python(freqtrade_or_skip())
    done = subprocess.run(
        [str(python), "-c", CCXT_FUTURES, sim.url], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["symbols"] == sorted(f"{s[:-4]}/USDT:USDT" for s in FUTURES_SYMBOLS)
    assert (result["linear"], result["swap"], result["settle"]) == (True, True, "USDT")
    assert (result["contract_size"], result["tick"], result["step"]) == (1, 0.01, 0.001)
    times = [t for t, _ in result["funding"]]
    assert len(times) == 9 and all(t % EIGHT_H == 0 for t in times)
    assert all(-FUNDING_CAP <= rate <= FUNDING_CAP for _, rate in result["funding"])
    assert result["next_funding"] % EIGHT_H == 0 and result["next_funding"] > times[-1]
    assert result["mark"] == result["last"] and len(result["mark"]) == 5
    assert result["best_bid"] < result["ticker_last"] < result["best_ask"]
    assert (result["bid"], result["ask"]) == (result["best_bid"], result["best_ask"])
    assert result["mark_rate"] == pytest.approx(result["ticker_last"], rel=1e-3)
