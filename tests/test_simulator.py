"""Tests for the offline Binance simulator: the price walk, the HTTP API, the CLI, ccxt."""

from __future__ import annotations

import itertools
import json
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests

from ftnotebook.demo import simulator as simulator_module
from ftnotebook.demo.launcher import bot_python
from ftnotebook.demo.simulator import (
    ANCHOR,
    DEFAULT_SEED,
    INTERVALS,
    SYMBOLS,
    ExchangeSimulator,
    PriceWalk,
)
from tests.conftest import freqtrade_or_skip

# An arbitrary instant in the middle of a minute and of a 5m candle.
NOW = datetime(2026, 11, 25, 8, 17, 31, 500_000, tzinfo=ANCHOR.tzinfo)
NOW_MS = int(NOW.timestamp() * 1000)


class FakeClock:
    """A settable clock for PriceWalk, in epoch seconds."""

    def __init__(self, when: datetime = NOW) -> None:
        self.now = when.timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta).total_seconds()


def walk_at(when: datetime = NOW, seed: int = DEFAULT_SEED) -> tuple[PriceWalk, FakeClock]:
    clock = FakeClock(when)
    return PriceWalk(seed, clock=clock), clock


# --- PriceWalk ----------------------------------------------------------------------------


def test_same_seed_gives_same_candles_and_other_seed_differs() -> None:
    first, second, other = walk_at()[0], walk_at()[0], walk_at(seed=7)[0]
    for symbol in SYMBOLS:
        candles = first.candles(symbol, "1h", None, None, 300)
        assert candles == second.candles(symbol, "1h", None, None, 300)
        assert candles != other.candles(symbol, "1h", None, None, 300)
    assert first.close_at("BTCUSDT", NOW) == second.close_at("BTCUSDT", NOW_MS)


def test_walk_is_flat_before_anchor_and_moves_after() -> None:
    walk, _ = walk_at()
    before = ANCHOR - timedelta(days=3)
    assert walk.close_at("ETHUSDT", before) == SYMBOLS["ETHUSDT"][2]
    closes = [row[4] for row in walk.candles("ETHUSDT", "1h", None, None, 200)]
    assert len(set(closes)) > 150
    # The pull to the base price keeps months of walk within a realistic band.
    for symbol, (_, _, base) in SYMBOLS.items():
        assert 0.5 * base < walk.close_at(symbol, NOW) < 2 * base


def test_day_blocks_join_without_gaps() -> None:
    walk, _ = walk_at()
    midnight = int(datetime(2026, 6, 1, tzinfo=ANCHOR.tzinfo).timestamp() * 1000)
    before, after = walk.candles("SOLUSDT", "1m", midnight - 60_000, None, 2)
    assert after[0] == midnight
    assert after[1] == before[4]  # a day opens at the previous day's close


@pytest.mark.parametrize("interval", list(INTERVALS))
def test_candles_end_at_now(interval: str) -> None:
    walk, _ = walk_at()
    candles = walk.candles("BTCUSDT", interval, None, None, 50)
    span = INTERVALS[interval] * 60_000
    assert len(candles) == 50
    assert candles[-1][0] <= NOW_MS < candles[-1][6] + 1
    assert all(int(row[0]) % span == 0 and row[6] == row[0] + span - 1 for row in candles)
    assert [b[0] - a[0] for a, b in itertools.pairwise(candles)] == [span] * 49


def test_candles_end_at_real_now() -> None:
    before = time.time() * 1000
    last = PriceWalk().candles("ADAUSDT", "5m", None, None, 3)[-1]
    after = time.time() * 1000
    assert last[0] <= after and before < int(last[6]) + 1


def test_5m_candles_aggregate_their_1m_candles() -> None:
    walk, _ = walk_at()
    five = walk.candles("XRPUSDT", "5m", None, None, 40)
    ones = walk.candles("XRPUSDT", "1m", int(five[0][0]), None, 1000)
    assert ones[-1][0] == NOW_MS // 60_000 * 60_000
    for candle in five:
        group = [row for row in ones if candle[0] <= row[0] <= candle[6]]
        assert 1 <= len(group) <= 5
        assert candle[1] == group[0][1]
        assert candle[2] == max(row[2] for row in group)
        assert candle[3] == min(row[3] for row in group)
        assert candle[4] == group[-1][4]
        assert candle[5] == pytest.approx(sum(row[5] for row in group))
    assert len([row for row in ones if row[0] >= five[-1][0]]) == 3  # 08:15, 08:16, 08:17


def test_candles_honour_start_end_and_limit() -> None:
    walk, _ = walk_at()
    start = NOW_MS - 10 * 3_600_000 + 1  # not aligned: the first candle opens after it
    rows = walk.candles("ETHUSDT", "1h", start, None, 4)
    assert len(rows) == 4 and rows[0][0] == (start // 3_600_000 + 1) * 3_600_000
    end = int(rows[2][0])
    assert walk.candles("ETHUSDT", "1h", start, end, 100) == rows[:3]
    assert walk.candles("ETHUSDT", "1h", None, end, 2) == rows[1:3]
    assert walk.candles("ETHUSDT", "1h", NOW_MS + 3_600_000, None, 5) == []


def test_prices_are_on_the_tick() -> None:
    walk, _ = walk_at()
    for row in walk.candles("ADAUSDT", "1m", None, None, 100):
        assert all(round(float(p), 4) == p for p in row[1:5])
        assert row[3] <= min(row[1], row[4]) <= max(row[1], row[4]) <= row[2]


def test_shift_moves_current_price_but_not_history() -> None:
    walk, clock = walk_at()
    history = walk.candles("SOLUSDT", "1m", None, None, 30)[:-1]
    price = walk.close_at("SOLUSDT", NOW)
    btc = walk.close_at("BTCUSDT", NOW)
    walk.shift("SOLUSDT", 3)
    assert walk.close_at("SOLUSDT", NOW) == pytest.approx(price * 1.03, abs=0.01)
    assert walk.candles("SOLUSDT", "1m", None, None, 30)[:-1] == history
    assert walk.close_at("BTCUSDT", NOW) == btc
    clock.advance(minutes=2)
    unshifted = PriceWalk(clock=clock).close_at("SOLUSDT", int(clock.now * 1000))
    assert walk.price("SOLUSDT") == pytest.approx(unshifted * 1.03, abs=0.01)
    walk.shift("SOLUSDT", 0)
    assert walk.price("SOLUSDT") == unshifted
    assert walk.close_at("SOLUSDT", NOW) == pytest.approx(price * 1.03, abs=0.01)


def test_walk_rejects_bad_input() -> None:
    walk, _ = walk_at()
    with pytest.raises(ValueError, match="DOGEUSDT"):
        walk.close_at("DOGEUSDT", NOW)
    with pytest.raises(ValueError, match="7m"):
        walk.candles("BTCUSDT", "7m", None, None, 5)
    with pytest.raises(ValueError, match="-100"):
        walk.shift("BTCUSDT", -100)


# --- HTTP ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sim() -> Iterator[ExchangeSimulator]:
    with ExchangeSimulator(seed=DEFAULT_SEED) as simulator:
        yield simulator


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def test_exchange_info_lists_spot_markets_with_filters(
    sim: ExchangeSimulator, http: requests.Session
) -> None:
    info = http.get(f"{sim.url}/api/v3/exchangeInfo", timeout=5).json()
    markets = {entry["symbol"]: entry for entry in info["symbols"]}
    assert set(markets) == set(SYMBOLS)
    btc = markets["BTCUSDT"]
    assert (btc["status"], btc["baseAsset"], btc["quoteAsset"]) == ("TRADING", "BTC", "USDT")
    assert btc["permissionSets"] == [["SPOT"]] and btc["isSpotTradingAllowed"] is True
    assert {"LIMIT", "MARKET", "STOP_LOSS_LIMIT"} <= set(btc["orderTypes"])
    filters = {f["filterType"]: f for f in btc["filters"]}
    assert filters["PRICE_FILTER"]["tickSize"] == "0.01000000"
    assert filters["LOT_SIZE"]["stepSize"] == "0.00001000"
    assert "MARKET_LOT_SIZE" in filters
    assert float(filters["NOTIONAL"]["minNotional"]) == 5


def test_klines_limit_and_start_time(sim: ExchangeSimulator, http: requests.Session) -> None:
    url = f"{sim.url}/api/v3/klines"
    default = http.get(url, params={"symbol": "BTCUSDT", "interval": "5m"}, timeout=5).json()
    assert len(default) == 500
    assert len(default[0]) == 12 and isinstance(default[0][1], str)
    capped = http.get(url, params={"symbol": "BTCUSDT", "interval": "1m", "limit": "5000"}).json()
    assert len(capped) == 1000
    start = int(default[10][0])
    params: dict[str, str | int] = {
        "symbol": "BTCUSDT",
        "interval": "5m",
        "startTime": start,
        "limit": 3,
    }
    assert http.get(url, params=params, timeout=5).json() == default[10:13]


def test_ticker_is_the_current_minute_close(sim: ExchangeSimulator, http: requests.Session) -> None:
    def price() -> str:
        answer = http.get(f"{sim.url}/api/v3/ticker/price", params={"symbol": "BTCUSDT"}, timeout=5)
        return str(answer.json()["price"])

    params = {"symbol": "BTCUSDT", "interval": "1m", "limit": "1"}
    for _ in range(3):  # a minute may turn between the calls; then ask again
        before = price()
        close = http.get(f"{sim.url}/api/v3/klines", params=params, timeout=5).json()[-1][4]
        if before == price():
            break
    assert close == before


def test_tickers_book_and_depth(sim: ExchangeSimulator, http: requests.Session) -> None:
    all_tickers = http.get(f"{sim.url}/api/v3/ticker/24hr", timeout=5).json()
    assert [t["symbol"] for t in all_tickers] == list(SYMBOLS)
    one = http.get(f"{sim.url}/api/v3/ticker/24hr", params={"symbol": "SOLUSDT"}).json()
    assert float(one["askPrice"]) - float(one["bidPrice"]) == pytest.approx(0.02)
    assert float(one["lowPrice"]) <= float(one["lastPrice"]) <= float(one["highPrice"])
    book = http.get(f"{sim.url}/api/v3/ticker/bookTicker", params={"symbol": "SOLUSDT"}).json()
    depth = http.get(f"{sim.url}/api/v3/depth", params={"symbol": "SOLUSDT"}).json()
    assert depth["bids"][0][0] == book["bidPrice"] and depth["asks"][0][0] == book["askPrice"]
    assert 1 < len(depth["bids"]) <= 10
    avg = http.get(f"{sim.url}/api/v3/avgPrice", params={"symbol": "SOLUSDT"}).json()
    assert avg["mins"] == 5 and float(avg["price"]) > 0
    assert http.get(f"{sim.url}/api/v3/trades", params={"symbol": "SOLUSDT"}).json() == []
    assert http.get(f"{sim.url}/api/v3/time").json()["serverTime"] == pytest.approx(
        time.time() * 1000, abs=5000
    )


@pytest.mark.parametrize(
    ("path", "params", "code"),
    [
        ("/api/v3/klines", {"symbol": "DOGEUSDT", "interval": "5m"}, -1121),
        ("/api/v3/ticker/24hr", {"symbol": "NOPE"}, -1121),
        ("/api/v3/depth", {}, -1102),
        ("/api/v3/klines", {"symbol": "BTCUSDT", "interval": "7m"}, -1120),
        ("/api/v3/klines", {"symbol": "BTCUSDT", "interval": "5m", "limit": "x"}, -1100),
    ],
)
def test_bad_requests_get_binance_errors(
    sim: ExchangeSimulator, http: requests.Session, path: str, params: dict[str, str], code: int
) -> None:
    response = http.get(sim.url + path, params=params, timeout=5)
    assert response.status_code == 400
    assert response.json()["code"] == code
    if code == -1121:
        assert response.json()["msg"] == "Invalid symbol."


def test_request_counter_and_unknown_path(sim: ExchangeSimulator, http: requests.Session) -> None:
    before = http.get(f"{sim.url}/_ctl/requests", timeout=5).json()
    http.get(f"{sim.url}/api/v3/ping")
    http.get(f"{sim.url}/api/v3/ping")
    missing = http.get(f"{sim.url}/dapi/v1/exchangeInfo")  # coin-margined: not served
    assert missing.status_code == 404 and "msg" in missing.json()
    after = http.get(f"{sim.url}/_ctl/requests").json()
    assert after["/api/v3/ping"] == before.get("/api/v3/ping", 0) + 2
    assert after["/dapi/v1/exchangeInfo"] == before.get("/dapi/v1/exchangeInfo", 0) + 1
    assert not any(path.startswith("/_ctl/") for path in after)
    assert http.get(f"{sim.url}/_ctl/health").json() == {"ok": True, "seed": DEFAULT_SEED}


def test_ctl_shift_moves_the_ticker() -> None:
    with ExchangeSimulator() as sim, requests.Session() as http:
        url = f"{sim.url}/api/v3/ticker/price"
        # Retry across a minute boundary: the walk itself moves between minutes.
        for _ in range(3):
            before = float(http.get(url, params={"symbol": "SOLUSDT"}).json()["price"])
            shifted = http.post(f"{sim.url}/_ctl/shift", params={"symbol": "SOLUSDT", "pct": "3"})
            after = float(http.get(url, params={"symbol": "SOLUSDT"}).json()["price"])
            http.post(f"{sim.url}/_ctl/shift", params={"symbol": "SOLUSDT", "pct": "0"})
            if after == pytest.approx(before * 1.03, abs=0.01):
                break
        assert shifted.json() == {
            "symbol": "SOLUSDT",
            "market": "spot",
            "factor": pytest.approx(1.03),
        }
        assert after == pytest.approx(before * 1.03, abs=0.01)
        bad = http.post(f"{sim.url}/_ctl/shift", params={"symbol": "SOLUSDT", "pct": "x"})
        assert bad.status_code == 400


def test_keep_alive_one_connection_with_nodelay(
    sim: ExchangeSimulator, http: requests.Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the Nagle/delayed-ACK pitfall (it cost about 44 ms per request) by what causes
    it, not by a stopwatch: every request of a session rides one keep-alive connection, and
    that socket has TCP_NODELAY. The speed itself is measured in bench/bench_simulator.py."""
    accepted: list[int] = []
    real_setup = simulator_module._Handler.setup

    def recording_setup(handler: Any) -> None:
        real_setup(handler)
        accepted.append(handler.connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    monkeypatch.setattr(simulator_module._Handler, "setup", recording_setup)
    params = {"symbol": "ETHUSDT", "interval": "1h", "limit": "1000"}
    for _ in range(5):
        rows = http.get(f"{sim.url}/api/v3/klines", params=params, timeout=5).json()
        assert len(rows) == 1000
    for _ in range(50):
        ticker = http.get(f"{sim.url}/api/v3/ticker/24hr", params={"symbol": "ETHUSDT"}, timeout=5)
        assert ticker.json()["symbol"] == "ETHUSDT"
    assert len(accepted) == 1, f"{len(accepted)} connections for 55 keep-alive requests"
    assert accepted[0] != 0, "TCP_NODELAY is off on the simulator's socket"


# --- CLI and ccxt -------------------------------------------------------------------------


def test_cli_prints_url_serves_and_stops_on_sigterm() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "ftnotebook.demo.simulator", "--port", "0", "--seed", "7"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("simulator listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        assert requests.get(f"{url}/_ctl/health", timeout=5).json() == {"ok": True, "seed": 7}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


CCXT_CHECK = textwrap.dedent(
    """
    import json, sys
    import ccxt
    url = sys.argv[1]
    api = {name: f"{url}/api/v3" for name in ("public", "private")}
    api |= {"v1": f"{url}/api/v1", "sapi": f"{url}/sapi/v1", "sapiV2": f"{url}/sapi/v2",
            "sapiV3": f"{url}/sapi/v3", "fapiPublic": f"{url}/fapi/v1",
            "dapiPublic": f"{url}/dapi/v1"}
    exchange = ccxt.binance({
        "enableRateLimit": False,
        "options": {"fetchMarkets": {"types": ["spot"]}, "adjustForTimeDifference": False},
        "urls": {"api": api},
    })
    markets = exchange.load_markets()
    btc = markets["BTC/USDT"]
    candles = exchange.fetch_ohlcv("BTC/USDT", "5m", limit=5)
    ticker = exchange.fetch_ticker("BTC/USDT")
    book = exchange.fetch_order_book("BTC/USDT")
    print(json.dumps({
        "symbols": sorted(markets), "active": btc["active"], "spot": btc["spot"],
        "tick": btc["precision"]["price"], "step": btc["precision"]["amount"],
        "min_cost": btc["limits"]["cost"]["min"], "candles": candles,
        "last": ticker["last"], "bid": ticker["bid"], "ask": ticker["ask"],
        "best_bid": book["bids"][0][0], "best_ask": book["asks"][0][0],
        "time": exchange.fetch_time(),
    }))
    """
)


def test_ccxt_binance_driver_accepts_the_simulator(sim: ExchangeSimulator) -> None:
    """ccxt comes with freqtrade, so this runs in the bot's virtualenv (or skips like the bot)."""
    python = bot_python(freqtrade_or_skip())
    done = subprocess.run(
        [str(python), "-c", CCXT_CHECK, sim.url], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["symbols"] == sorted(f"{b}/{q}" for b, q, _ in SYMBOLS.values())
    assert result["active"] is True and result["spot"] is True
    assert (result["tick"], result["step"], result["min_cost"]) == (0.01, 0.00001, 5)
    assert len(result["candles"]) == 5 and all(len(row) == 6 for row in result["candles"])
    assert result["bid"] < result["last"] < result["ask"]
    assert (result["best_bid"], result["best_ask"]) == (result["bid"], result["ask"])
