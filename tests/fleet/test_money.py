"""Money across the fleet: per stake currency, checked against each bot's own /profit;
one total only with rates (a user dict, or the BTC/USDT price a bot trades)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from ftnotebook.demo.launcher import RunningSimulator
from ftnotebook.fleet import Fleet, FleetError, MixedCurrencies, Rates, per_currency, total


def test_per_currency_totals_match_each_bots_own_profit(fleet: Fleet) -> None:
    profit = fleet.profit()
    totals = fleet.totals(profit, ["profit_all_coin", "profit_closed_coin"])
    assert totals.index.tolist() == ["BTC", "USDT"]
    own = {n: c.profit() for n, c in fleet.clients.items()}
    currency = {n: c.show_config()["stake_currency"] for n, c in fleet.clients.items()}
    for cur in ("BTC", "USDT"):
        names = [n for n in own if currency[n] == cur]
        expected = sum(own[n]["profit_closed_coin"] for n in names)
        assert totals.loc[cur, "profit_closed_coin"] == pytest.approx(expected, rel=1e-12)
    assert totals.loc["BTC", "profit_closed_coin"] == own["btc-cross"]["profit_closed_coin"]
    # The same figures from the trades themselves: closed profit_abs per stake currency.
    trades = fleet.trades()
    from_trades = per_currency(trades, ["profit_abs"])["profit_abs"]
    assert from_trades.to_dict() == pytest.approx(totals["profit_closed_coin"].to_dict())
    # A USDT-only total needs no rate.
    usdt = profit[profit["stake_currency"] == "USDT"]
    only = total(usdt, "profit_closed_coin")
    assert (only.currency, only.rates) == ("USDT", {})
    assert only.value == pytest.approx(totals.loc["USDT", "profit_closed_coin"])


def test_a_single_total_without_rates_names_the_currencies(fleet: Fleet) -> None:
    with pytest.raises(MixedCurrencies, match="BTC and USDT") as info:
        fleet.total()
    assert info.value.currencies == ["BTC", "USDT"]
    assert isinstance(info.value, ValueError)
    with pytest.raises(MixedCurrencies, match="needs a rate for BTC"):
        fleet.total(rates=Rates.from_dict("USDT", {"ETH": 3000.0}))


def test_total_with_user_rates_records_rate_and_time(fleet: Fleet) -> None:
    profit = fleet.profit()
    stamp = datetime.now(UTC) - timedelta(minutes=5)
    rates = Rates.from_dict("USDT", {"BTC": 80_000.0}, as_of=stamp)
    result = fleet.total(profit, "profit_all_coin", rates=rates)
    by = profit.groupby("stake_currency", observed=True)["profit_all_coin"].sum()
    assert result.value == pytest.approx(by["USDT"] + by["BTC"] * 80_000.0)
    assert result.currency == "USDT"
    assert result.rates["BTC"].value == 80_000.0 and result.rates["BTC"].as_of == stamp
    assert result.rates["BTC"].source == "user"
    # Into BTC instead: the USDT sum divided by the rate.
    into_btc = total(profit, "profit_all_coin", rates=Rates.from_dict("BTC", {"USDT": 1 / 80_000}))
    assert into_btc.value == pytest.approx(result.value / 80_000.0)
    for bad in (0.0, -1.0, float("nan"), "80000"):
        with pytest.raises(ValueError):
            Rates.from_dict("USDT", {"BTC": bad})  # type: ignore[dict-item]


def test_rates_read_from_the_bot_that_trades_btc_usdt(
    fleet: Fleet, simulator: RunningSimulator
) -> None:
    rates = fleet.rates("USDT")
    rate = rates.rates["BTC"]
    assert rate.source == "usdt-main: BTC/USDT 5m close"
    assert rate.as_of.tzinfo is not None
    assert rate.as_of <= datetime.now(UTC) + timedelta(minutes=5)
    candles = fleet["usdt-main"].pair_candles("BTC/USDT", "5m", limit=1)
    last = dict(zip(candles["columns"], candles["data"][-1], strict=True))
    assert rate.value == last["close"]
    assert rate.value == pytest.approx(simulator.price("BTCUSDT"), rel=0.05)
    frame = rates.frame()
    assert frame.columns.tolist() == ["currency", "reporting", "rate", "as_of", "source"]
    result = fleet.total(rates=rates)
    assert result.rates["BTC"] is rate
    # BTC as the reporting currency: USDT priced by the same pair, inverted.
    into_btc = fleet.rates("BTC")
    assert into_btc.rates["USDT"].value == pytest.approx(1 / rate.value)
    with pytest.raises(FleetError, match="no bot of the fleet trades BTC/EUR"):
        fleet.rates("EUR")


def test_per_currency_never_mixes_and_checks_columns() -> None:
    df = pd.DataFrame({"stake_currency": ["USDT", "BTC", "USDT"], "profit_abs": [1.0, 0.5, 2.0]})
    assert per_currency(df, ["profit_abs"])["profit_abs"].to_dict() == {"BTC": 0.5, "USDT": 3.0}
    with pytest.raises(ValueError, match="lacks the column"):
        per_currency(df, ["profit_all_coin"])
