"""The comparison figures, inspect_trade and the backtest panel, on real backtests."""

from __future__ import annotations

import pandas as pd
import pytest

from ftnotebook import FtClient, backtest, plots
from ftnotebook.backtest import BacktestResult
from ftnotebook.widgets import BacktestPanel, inspect_trade
from tests.backtest.conftest import LONG_RANGE, RANGE, STRATEGY


@pytest.fixture(scope="module")
def pair_of_runs(bt_client: FtClient, baseline: BacktestResult) -> list[BacktestResult]:
    other = backtest.start(bt_client, STRATEGY, timerange=RANGE, stake_amount=50).wait(
        progress=False
    )
    return [baseline, other]


def test_compare_backtests_figures(pair_of_runs: list[BacktestResult]) -> None:
    cmp = plots.compare_backtests(pair_of_runs)
    assert cmp.labels == backtest.run_labels(pair_of_runs)
    assert [t.name for t in cmp.equity.data] == cmp.labels
    assert cmp.equity.layout.meta["source"] == "wallet"
    first = cmp.equity.data[0]
    assert first.y[0] == pytest.approx(pair_of_runs[0].starting_balance)
    assert first.y[-1] == pytest.approx(pair_of_runs[0].wallet["total_quote"].iloc[-1])
    by_profit = plots.equity_chart(pair_of_runs, wallet=False)
    assert by_profit.data[1].y[-1] == pytest.approx(
        pair_of_runs[1].starting_balance + pair_of_runs[1].stats["profit_total_abs"]
    )
    worst = min(cmp.underwater.data[0].y)
    assert -worst == pytest.approx(pair_of_runs[0].stats["max_relative_drawdown"])
    assert {t.type for t in cmp.pairs_chart.data} == {
        "bar"
    } and cmp.pairs_chart.layout.barmode == "group"
    assert list(cmp.pairs_chart.data[1].x) == list(cmp.pairs.index)
    assert "Backtest comparison" in cmp._repr_html_()


def test_inspect_a_losing_trade_in_its_candles(
    bt_client: FtClient, baseline: BacktestResult
) -> None:
    losing = int(baseline.trades["profit_abs"].idxmin())
    row = baseline.trades.iloc[losing]
    fig = inspect_trade(bt_client, baseline, losing)
    names = [t.name for t in fig.data]
    assert "Trade entry" in names and "Exit - Loss" in names
    assert str(row["pair"]) in fig.layout.title.text and f"trade {losing}" in fig.layout.title.text
    candles = next(t for t in fig.data if t.type == "candlestick")
    lo, hi = (
        pd.Timestamp(min(candles.x), unit="ms", tz="UTC"),
        pd.Timestamp(max(candles.x), unit="ms", tz="UTC"),
    )
    assert lo <= row["open_date"] and row["close_date"] <= hi
    assert any(n and n.startswith("enter_long") for n in names), names  # the strategy's signals
    assert "ema_fast" in names, names  # the strategy's plot_config
    lo_x, hi_x = (pd.to_datetime(x, utc=True) for x in fig.layout.xaxis.range)
    assert lo_x <= row["open_date"] and row["close_date"] <= hi_x
    assert hi_x - lo_x <= row["close_date"] - row["open_date"] + pd.Timedelta(minutes=5 * 50)
    whole = inspect_trade(bt_client, baseline, pair="BTC/USDT")
    assert "BTC/USDT" in whole.layout.title.text
    with pytest.raises(ValueError, match="trade must be a row"):
        inspect_trade(bt_client, baseline, 10_000)


def test_panel_runs_loads_compares_notes_and_deletes(bt_client: FtClient) -> None:
    panel = BacktestPanel(bt_client)
    assert STRATEGY in panel.strategy.options
    panel.strategy.value = STRATEGY
    panel.timerange.value = f"{RANGE[0]:%Y%m%d}-{RANGE[1]:%Y%m%d}"
    panel.stake.value = "abc"
    panel.run_button.click()
    assert panel.last_error == "stake must be a number, got 'abc'" and panel.run is None
    panel.stake.value = "70"
    panel.max_open.value = "3"
    panel.run_button.click()
    assert panel.last_error is None and panel.run is not None
    panel.join()
    assert panel.last_error is None, panel.last_message
    result = panel.result
    assert result is not None and result.settings["stake_amount"] == 70
    assert result.settings["max_open_trades_setting"] == 3
    assert "Backtest FtnbDemo" in panel.card.value and panel.progress.value == 1
    mine = [
        i for i, r in enumerate(panel.runs.to_dict("records")) if r["filename"] == result.filename
    ]
    assert mine, "the new run is in the history list"
    panel.history.value = (mine[0],)
    panel.notes.value = "from the panel"
    panel.notes_button.click()
    assert (
        backtest.history(bt_client).set_index("filename").loc[result.filename, "notes"]
        == "from the panel"
    )
    panel.history.value = (mine[0],)
    panel.load_button.click()
    assert panel.result is not None and panel.result.filename == result.filename
    panel.history.value = (0, 1)
    panel.compare_button.click()
    assert panel.comparison is not None and len(panel.comparison.labels) == 2, panel.last_message
    row = next(
        i for i, r in enumerate(panel.runs.to_dict("records")) if r["filename"] == result.filename
    )
    panel.history.value = (row,)
    panel.delete_button.click()
    assert panel.confirm.pending and result.filename in set(backtest.history(bt_client)["filename"])
    panel.confirm.no.click()
    assert result.filename in set(backtest.history(bt_client)["filename"])
    panel.history.value = (row,)
    panel.delete_button.click()
    panel.confirm.yes.click()
    assert panel.last_error is None, panel.last_message
    assert result.filename not in set(backtest.history(bt_client)["filename"])
    panel.history.value = ()
    panel.load_button.click()
    assert panel.last_error == "select a run in the history list first"


def test_panel_abort_stops_the_backtest_on_the_bot(bt_client: FtClient) -> None:
    panel = BacktestPanel(bt_client)
    panel.strategy.value = STRATEGY
    panel.stake.value = "33"
    panel.run_button.click()
    assert panel.last_error is not None and "timerange is empty" in panel.last_error
    panel.timerange.value = f"{LONG_RANGE[0]:%Y%m%d}-{LONG_RANGE[1]:%Y%m%d}"
    panel.run_button.click()
    assert panel.run is not None and not panel.abort_button.disabled
    panel.abort_button.click()
    panel.join()
    answer = bt_client.backtest()
    assert answer["running"] is False and panel.abort_button.disabled
    assert answer["status"] == "error" and "Stop requested" in answer["status_msg"]
    assert "aborted on the bot" in panel.last_message, panel.last_message
