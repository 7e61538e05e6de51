"""Fleet charts over the real fleet's frames: a row per currency, or one axis with rates;
rendered to PNG for a look (tests/fleet/_render is where they land)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from ftnotebook.fleet import Fleet, Rates
from ftnotebook.plots import fleet_drawdown_chart, fleet_equity_chart, fleet_profit_chart

RENDER_DIR = os.environ.get("FTNOTEBOOK_RENDER_DIR")


def _maybe_render(fig: object, name: str) -> None:
    if RENDER_DIR:  # set by hand to look at the charts; the browser test renders them too
        Path(RENDER_DIR).mkdir(parents=True, exist_ok=True)
        fig.write_html(str(Path(RENDER_DIR) / f"{name}.html"))  # type: ignore[attr-defined]


def test_equity_per_bot_in_own_currency_gets_a_row_per_currency(fleet: Fleet) -> None:
    trades = fleet.trades()
    fig = fleet_equity_chart(trades)
    _maybe_render(fig, "equity_own")
    names = [t.name for t in fig.data]
    assert names == fleet.names
    axes = {t.name: t.yaxis for t in fig.data}
    assert axes["usdt-main"] == axes["usdt-swing"] != axes["btc-cross"]
    titles = [fig.layout[a].title.text for a in ("yaxis", "yaxis2")]
    assert titles == ["cumulative profit (BTC)", "cumulative profit (USDT)"]
    for trace in fig.data:
        mine = trades[trades["bot"] == trace.name].sort_values("close_date", kind="stable")
        assert trace.y[-1] == pytest.approx(mine["profit_abs"].sum())
        assert len(trace.y) == len(mine)


def test_equity_and_drawdown_all_in_usdt_with_rates(fleet: Fleet) -> None:
    trades = fleet.trades()
    rates = Rates.from_dict("USDT", {"BTC": 80_000.0})
    fig = fleet_equity_chart(trades, rates=rates)
    _maybe_render(fig, "equity_usdt")
    assert {t.yaxis for t in fig.data} <= {None, "y"}  # one axis
    assert fig.layout.yaxis.title.text == "cumulative profit (USDT)"
    assert "1 BTC = 80,000 USDT" in fig.layout.title.text
    btc = next(t for t in fig.data if t.name == "btc-cross")
    own = trades[trades["bot"] == "btc-cross"]["profit_abs"].sum()
    assert btc.y[-1] == pytest.approx(own * 80_000.0)
    same = fleet_equity_chart(trades, rates={"BTC": 80_000.0}, reporting="USDT")
    assert [list(t.y) for t in same.data] == [list(t.y) for t in fig.data]
    dd = fleet_drawdown_chart(trades, rates=rates)
    _maybe_render(dd, "drawdown_usdt")
    assert [t.name for t in dd.data] == fleet.names
    for trace in dd.data:
        assert max(trace.y) <= 0
        assert trace.hovertemplate.endswith("USDT<extra></extra>")
    with pytest.raises(ValueError, match="no rate for BTC"):
        fleet_equity_chart(trades, rates={"ETH": 1.0}, reporting="USDT")
    with pytest.raises(ValueError, match="need reporting"):
        fleet_equity_chart(trades, rates={"BTC": 1.0})


def test_drawdown_matches_freqtrade_underwater_per_bot(fleet: Fleet) -> None:
    from ftnotebook import metrics

    trades = fleet.trades()
    fig = fleet_drawdown_chart(trades)
    for trace in fig.data:
        mine = trades[(trades["bot"] == trace.name)].sort_values("close_date", kind="stable")
        water = metrics.underwater(mine, date_col="close_date", value_col="profit_abs")
        assert list(trace.y) == pytest.approx(water["drawdown"].tolist()[1:])  # after its zero row


def test_profit_per_bot_bars(fleet: Fleet) -> None:
    profit = fleet.profit()
    fig = fleet_profit_chart(profit)
    _maybe_render(fig, "profit_own")
    bars = {t.name: t.y[0] for t in fig.data}
    assert bars == dict(zip(profit["bot"], profit["profit_all_coin"], strict=True))
    assert fig.layout.yaxis2.title.text == "profit (USDT)"
    converted = fleet_profit_chart(profit, rates=fleet.rates("USDT"))
    assert converted.layout.yaxis.title.text == "profit (USDT)"
    with pytest.raises(ValueError, match="lacks the column"):
        fleet_profit_chart(pd.DataFrame({"bot": ["a"]}))
