"""The bot's stored runs: history frame, load, notes, delete, unknown files; compare."""

from __future__ import annotations

import pandas as pd
import pytest

from ftnotebook import FtClient, NotFound, backtest
from ftnotebook.backtest import BacktestResult
from ftnotebook.schemas import SCHEMAS
from tests.backtest.conftest import RANGE, STRATEGY


def test_history_frame_lists_the_run(bt_client: FtClient, baseline: BacktestResult) -> None:
    runs = backtest.history(bt_client)
    assert list(runs.columns) == SCHEMAS["backtest_history"].names
    assert runs["run_start"].is_monotonic_decreasing
    row = runs[(runs["filename"] == baseline.filename) & (runs["strategy"] == STRATEGY)].iloc[0]
    assert row["run_id"] == baseline.metadata["run_id"]
    assert (
        row["timerange"] == f"{RANGE[0]:%Y%m%d}-{RANGE[1]:%Y%m%d}" == baseline.settings["timerange"]
    )
    assert row["timeframe"] == "5m" and pd.isna(row["timeframe_detail"])
    assert row["start"] == baseline.start and row["end"] == baseline.end
    assert str(runs["run_start"].dtype) == "datetime64[ms, UTC]"


def test_load_gives_the_same_result(bt_client: FtClient, baseline: BacktestResult) -> None:
    assert baseline.filename
    loaded = backtest.load(bt_client, baseline.filename)  # one strategy: no name needed
    pd.testing.assert_frame_equal(loaded.trades, baseline.trades)
    pd.testing.assert_frame_equal(loaded.orders, baseline.orders)
    pd.testing.assert_frame_equal(loaded.pairs, baseline.pairs)
    pd.testing.assert_series_equal(loaded.summary, baseline.summary)
    assert loaded.wallet is not None and loaded.wallet.equals(baseline.wallet)


def test_notes_then_delete(bt_client: FtClient) -> None:
    result = backtest.start(bt_client, STRATEGY, timerange=RANGE, stake_amount=60).wait(
        progress=False
    )
    assert result.filename
    rows = backtest.set_notes(bt_client, result.filename, STRATEGY, "stake 60 – try")
    assert rows["notes"].tolist() == ["stake 60 – try"]
    runs = backtest.history(bt_client)
    assert runs.set_index("filename").loc[result.filename, "notes"] == "stake 60 – try"
    remaining = backtest.delete(bt_client, result.filename)
    assert result.filename not in set(remaining["filename"])
    assert result.filename not in set(backtest.history(bt_client)["filename"])
    with pytest.raises(NotFound):
        backtest.load(bt_client, result.filename, STRATEGY)


def test_unknown_history_file_is_a_clear_error(bt_client: FtClient) -> None:
    before = backtest.history(bt_client)
    with pytest.raises(NotFound, match="no stored backtest 'backtest-result-1999"):
        backtest.load(bt_client, "backtest-result-1999-01-01_00-00-00")
    with pytest.raises(NotFound, match="File not found"):
        backtest.load(bt_client, "backtest-result-1999-01-01_00-00-00", STRATEGY)
    with pytest.raises(NotFound):
        backtest.delete(bt_client, "backtest-result-1999-01-01_00-00-00")
    with pytest.raises(NotFound):
        backtest.set_notes(bt_client, "backtest-result-1999-01-01_00-00-00", STRATEGY, "x")
    for bad in ("", None):
        with pytest.raises(ValueError, match="filename"):
            backtest.load(bt_client, bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="notes must be a string"):
        backtest.set_notes(bt_client, "x", STRATEGY, 5)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(backtest.history(bt_client), before)


@pytest.fixture(scope="module")
def three_runs(bt_client: FtClient, baseline: BacktestResult) -> list[BacktestResult]:
    small = backtest.start(
        bt_client, STRATEGY, timerange=RANGE, stake_amount=50, max_open_trades=2
    ).wait(progress=False)
    tight = backtest.start(bt_client, "FtnbDemoTight", timerange=RANGE, stake_amount=100)
    return [baseline, small, tight.wait(progress=False)]


def test_compare_three_runs(three_runs: list[BacktestResult]) -> None:
    base, small, tight = three_runs
    labels = backtest.run_labels(three_runs)
    assert len(set(labels)) == 3 and labels[2].startswith("FtnbDemoTight stake_amount=100")
    table = backtest.compare_metrics(three_runs)
    assert list(table.columns) == [*labels, f"{labels[1]} Δ", f"{labels[2]} Δ"]
    assert table.attrs["baseline"] == labels[0]
    assert table.loc["total_trades", labels[0]] == base.stats["total_trades"]
    delta = table.loc["profit_total_abs", f"{labels[1]} Δ"]
    assert delta == pytest.approx(small.stats["profit_total_abs"] - base.stats["profit_total_abs"])
    settings = backtest.compare_settings(three_runs)
    assert {"strategy_name", "stake_amount", "max_open_trades_setting"} <= set(settings.index)
    assert "timerange" not in settings.index and "timeframe" not in settings.index
    assert settings.loc["stake_amount"].tolist() == [100, 50, 100]
    pairs = backtest.compare_pairs(three_runs)
    assert list(pairs.columns) == labels
    assert pairs[labels[2]].sum() == pytest.approx(tight.stats["profit_total_abs"])
    with pytest.raises(ValueError, match="baseline must be"):
        backtest.compare_metrics(three_runs, baseline=3)
    with pytest.raises(ValueError, match="at least one"):
        backtest.compare_metrics([])


def test_trades_of_runs_in_one_frame(three_runs: list[BacktestResult]) -> None:
    both = backtest.trades_of(three_runs)
    labels = backtest.run_labels(three_runs)
    assert list(both.columns[:1]) == ["run"] and list(both["run"].cat.categories) == labels
    assert len(both) == sum(len(r.trades) for r in three_runs)
    for name in ("pair", "exit_reason", "enter_tag"):
        assert isinstance(both[name].dtype, pd.CategoricalDtype), name
        union = set().union(*(set(r.trades[name].cat.categories) for r in three_runs))
        assert set(both[name].cat.categories) == union
    assert str(both["open_date"].dtype) == "datetime64[ms, UTC]"
    sums = both.groupby("run", observed=True)["profit_abs"].sum()
    for label, result in zip(labels, three_runs, strict=True):
        assert sums[label] == pytest.approx(result.stats["profit_total_abs"])
    with pytest.raises(ValueError, match="unique"):
        backtest.trades_of(three_runs, labels=["a", "a", "b"])
