"""The simulator's BTC-quoted markets: prices consistent with the USDT markets, served to ccxt."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests

from ftnotebook.demo.simulator import CROSSES, SYMBOLS, ExchangeSimulator, PriceWalk


@pytest.fixture(scope="module")
def sim() -> Iterator[ExchangeSimulator]:
    with ExchangeSimulator(seed=5) as simulator:
        yield simulator


@pytest.mark.parametrize("cross", sorted(CROSSES))
def test_cross_close_is_the_ratio_of_its_legs(cross: str) -> None:
    walk = PriceWalk(3)
    leg, quote_leg = CROSSES[cross]
    tick = 10.0 ** -{"ETHBTC": 5, "SOLBTC": 7, "XRPBTC": 8}[cross]
    now = datetime.now(UTC)
    for minutes in (0, 17, 600, 3 * 1440):
        when = now - timedelta(minutes=minutes)
        ratio = walk.close_at(leg, when) / walk.close_at(quote_leg, when)
        assert abs(walk.close_at(cross, when) - ratio) <= tick / 2 + 1e-12
    for row in walk.candles(cross, "1h", None, None, 48):
        _, o, h, lo, c, v, _ = row
        assert lo <= min(o, c) <= max(o, c) <= h and v > 0


def test_a_shift_of_a_leg_moves_the_cross_and_a_cross_shifts_alone() -> None:
    walk = PriceWalk(3)
    before = walk.price("ETHBTC")
    walk.shift("BTCUSDT", 10)
    assert walk.price("ETHBTC") == pytest.approx(before / 1.1, rel=1e-3)
    walk.shift("BTCUSDT", 0)
    walk.shift("ETHBTC", 2)
    assert walk.price("ETHBTC") == pytest.approx(before * 1.02, rel=1e-3)
    assert walk.price("ETHUSDT") / walk.price("BTCUSDT") == pytest.approx(before, rel=1e-3)


def test_exchange_info_lists_btc_markets_with_btc_filters(sim: ExchangeSimulator) -> None:
    info = requests.get(f"{sim.url}/api/v3/exchangeInfo", timeout=5).json()
    markets = {m["symbol"]: m for m in info["symbols"]}
    assert set(CROSSES) <= set(markets)
    eth = markets["ETHBTC"]
    assert (eth["baseAsset"], eth["quoteAsset"]) == ("ETH", "BTC")
    filters = {f["filterType"]: f for f in eth["filters"]}
    assert filters["NOTIONAL"]["minNotional"] == "0.00010000"
    assert filters["PRICE_FILTER"]["tickSize"] == "0.00001000"
    ticker = requests.get(
        f"{sim.url}/api/v3/ticker/bookTicker", params={"symbol": "SOLBTC"}, timeout=5
    ).json()
    # A book level is worth the same in USDT whatever the quote currency.
    level_usdt = float(ticker["askQty"]) * SYMBOLS["SOLUSDT"][2]
    assert 20_000 < level_usdt < 30_000
    assert float(ticker["bidPrice"]) < float(ticker["askPrice"])
