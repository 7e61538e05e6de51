"""BacktestResult over a real backtest: typed frames, tables, summary, card, parquet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ftnotebook import FtClient, TradeHistory, backtest
from ftnotebook.backtest import BacktestResult
from ftnotebook.demo.launcher import RunningBot
from ftnotebook.schemas import SCHEMAS, TRADE_CORE
from tests.backtest.conftest import RANGE, STRATEGY


def test_trades_share_the_live_schema(baseline: BacktestResult, trade_bot: RunningBot) -> None:
    trades = baseline.trades
    assert len(trades) == baseline.stats["total_trades"] > 20
    assert list(trades.columns[: len(TRADE_CORE)]) == list(TRADE_CORE)
    with FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password) as client:
        live = TradeHistory(client, progress=False).frame()
    for name in TRADE_CORE:  # the same dtype as a real bot's trades frame
        assert trades[name].dtype == live[name].dtype or (
            isinstance(live[name].dtype, pd.CategoricalDtype)
            and isinstance(trades[name].dtype, pd.CategoricalDtype)
        ), name
    assert str(trades["open_date"].dtype) == "datetime64[ms, UTC]"
    raw = baseline.stats["trades"]
    assert (
        trades["trade_duration"] == pd.to_timedelta([t["trade_duration"] for t in raw], "m")
    ).all()
    assert (trades["close_date"] - trades["open_date"] == trades["trade_duration"]).all()
    assert trades["trade_index"].tolist() == list(range(len(raw)))
    assert trades["weekday"].tolist() == trades["close_date"].dt.day_of_week.tolist()
    assert "trade_id" not in trades.columns
    assert set(trades["pair"].cat.categories) <= set(baseline.settings["pairlist"])


def test_orders_link_to_their_trades(baseline: BacktestResult) -> None:
    orders = baseline.orders
    assert list(orders.columns) == SCHEMAS["backtest_orders"].names
    assert len(orders) == sum(len(t["orders"]) for t in baseline.stats["trades"])
    entries = orders[orders["ft_is_entry"]].groupby("trade_index")["order_filled_date"].min()
    assert (entries.to_numpy() == baseline.trades.loc[entries.index, "open_date"].to_numpy()).all()


def test_per_key_tables_and_totals(baseline: BacktestResult) -> None:
    stats = baseline.stats
    pairs = baseline.pairs
    assert pairs["trades"].sum() == stats["total_trades"]
    assert pairs.attrs["total"]["profit_total_abs"] == pytest.approx(stats["profit_total_abs"])
    by_pair = baseline.trades.groupby("pair", observed=True)["profit_abs"].sum()
    for row in pairs.itertuples():
        if row.trades:
            assert row.profit_total_abs == pytest.approx(by_pair[row.pair], abs=1e-9)
    tags = baseline.enter_tags
    assert tags["trades"].sum() == stats["total_trades"]
    assert set(tags["enter_tag"]) == set(baseline.trades["enter_tag"].astype(str))
    reasons = baseline.exit_reasons
    counts = baseline.trades["exit_reason"].value_counts()
    assert dict(zip(reasons["exit_reason"], reasons["trades"], strict=True)) == {
        str(k): int(v) for k, v in counts.items() if v
    }
    mixes = baseline.mix_tags
    assert (
        all(" " in m for m in mixes["mix_tag"]) and mixes["trades"].sum() == stats["total_trades"]
    )
    left = baseline.left_open
    forced = baseline.trades[baseline.trades["exit_reason"] == "force_exit"]
    assert left["trades"].sum() == len(forced)
    assert pairs["duration_avg"].dtype == "timedelta64[ms]"


def test_periodic_breakdown_and_daily_profit(baseline: BacktestResult) -> None:
    total = baseline.stats["profit_total_abs"]
    for period in ("day", "week", "month", "year", "weekday"):
        table = baseline.periodic(period)
        assert list(table.columns) == SCHEMAS["backtest_periods"].names
        assert table["trades"].sum() == baseline.stats["total_trades"], period
        assert table["profit_abs"].sum() == pytest.approx(total, abs=1e-6), period
    days = baseline.periodic("day")
    assert str(days.index.dtype) == "datetime64[ms, UTC]"
    closed_on = baseline.trades["close_date"].dt.floor("D").value_counts()
    assert days["trades"].to_dict() == {k: int(v) for k, v in closed_on.items()}
    assert list(baseline.periodic("weekday").index) == [
        d
        for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        if d in set(baseline.trades["close_date"].dt.day_name())
    ]
    assert baseline.daily_profit["profit_abs"].sum() == pytest.approx(total, abs=1e-6)
    with pytest.raises(ValueError, match="period must be one of"):
        baseline.periodic("fortnight")


def test_wallet_and_market_change_routes(baseline: BacktestResult) -> None:
    wallet, market = baseline.wallet, baseline.market_change
    assert wallet is not None and market is not None
    assert str(wallet.index.dtype) == "datetime64[ms, UTC]" and wallet.index.is_monotonic_increasing
    assert wallet["total_quote"].iloc[0] == pytest.approx(baseline.starting_balance)
    assert wallet["total_quote"].iloc[-1] == pytest.approx(baseline.summary["wallet_end_balance"])
    assert (
        market["rel_mean"].iloc[0] == 0
        and (market["count"] == len(baseline.settings["pairlist"])).all()
    )
    assert baseline.start <= market.index[0] <= baseline.end


def test_summary_is_typed_and_settings_are_apart(baseline: BacktestResult) -> None:
    s = baseline.summary
    assert isinstance(s["profit_total_abs"], float) and isinstance(s["total_trades"], int)
    assert s["backtest_start"] == baseline.start == pd.Timestamp(RANGE[0], tz="UTC")
    assert isinstance(s["drawdown_duration"], pd.Timedelta)
    assert isinstance(s["holding_avg"], pd.Timedelta) and isinstance(
        s["drawdown_start"], pd.Timestamp
    )
    assert "wallet_end_balance" in s and "stake_amount" not in s and "trades" not in s
    assert not any(isinstance(v, list | dict) for v in s)
    st = baseline.settings
    assert st["strategy_name"] == STRATEGY and st["stake_amount"] == 100
    assert {"minimal_roi", "stoploss", "trailing_stop", "timeframe", "enable_protections"} <= set(
        st.index
    )
    assert baseline.metadata["run_id"] and baseline.filename


def test_card_shows_the_run(baseline: BacktestResult) -> None:
    html = baseline._repr_html_()
    for text in (
        STRATEGY,
        f"{RANGE[0]:%Y-%m-%d}",
        str(baseline.stats["total_trades"]),
        "Max drawdown",
        "Win rate",
        "Sharpe",
    ):
        assert text in html
    assert f"{baseline.stats['profit_total_abs']:,.3f}" in html
    assert STRATEGY in repr(baseline)


def test_parquet_round_trip_restores_an_equal_result(
    baseline: BacktestResult, tmp_path: Path
) -> None:
    path = baseline.to_parquet(tmp_path / "run")
    again = BacktestResult.read_parquet(path)
    assert again == baseline
    pd.testing.assert_frame_equal(again.trades, baseline.trades)
    pd.testing.assert_frame_equal(again.orders, baseline.orders)
    pd.testing.assert_frame_equal(again.pairs, baseline.pairs)
    pd.testing.assert_frame_equal(again.periodic("week"), baseline.periodic("week"))
    pd.testing.assert_series_equal(again.summary, baseline.summary)
    assert again.wallet is not None and again.wallet.equals(baseline.wallet)
    changed = BacktestResult.read_parquet(path)
    changed.trades.loc[0, "profit_abs"] += 1
    assert changed != baseline


def test_multi_strategy_file_gives_one_result_each(bt_client: FtClient) -> None:
    """The bot stores the strategies of consecutive runs over the same range in one file."""
    first = backtest.start(bt_client, STRATEGY, timerange=RANGE, stake_amount=40).wait(
        progress=False
    )
    second = backtest.start(bt_client, "FtnbDemoTight", timerange=RANGE, stake_amount=40).wait(
        progress=False
    )
    assert second.filename
    both = backtest.load_all(bt_client, second.filename)
    assert set(both) == {STRATEGY, "FtnbDemoTight"}, (first.filename, second.filename)
    pd.testing.assert_frame_equal(both["FtnbDemoTight"].trades, second.trades)
    table = backtest.strategy_comparison(both)
    assert set(table["strategy"]) == {STRATEGY, "FtnbDemoTight"}
    for name, result in both.items():
        row = table.set_index("strategy").loc[name]
        assert row["trades"] == result.stats["total_trades"]
        assert row["profit_total_abs"] == pytest.approx(result.stats["profit_total_abs"])
    answer = bt_client.backtest()  # the bot's own answer holds both strategies too
    bot_table = backtest.strategy_comparison(answer)
    assert set(bot_table["strategy"]) == {STRATEGY, "FtnbDemoTight"}
    per_strategy = BacktestResult.from_response(answer)
    assert set(per_strategy) == {STRATEGY, "FtnbDemoTight"}
    pd.testing.assert_frame_equal(per_strategy["FtnbDemoTight"].trades, second.trades)
    mine = table.set_index("strategy").sort_index()
    bots = bot_table.set_index("strategy").sort_index()
    for column in ("trades", "profit_total_abs", "winrate", "max_drawdown_account"):
        assert mine[column].tolist() == pytest.approx(bots[column].tolist()), column
    with pytest.raises(ValueError, match="pass strategy="):
        backtest.load(bt_client, second.filename)
