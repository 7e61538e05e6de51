"""The entry/exit analysis groups and indicator tables equal freqtrade's own.

freqtrade's ``freqtrade/data/entryexitanalysis.py`` runs for real in the bot's virtualenv
as the oracle, on the same trades and the same analysed candles:

* a real backtest of FtnbDemo on the webserver bot, with the strategy's candles from
  ``pair_history``, through freqtrade's whole ``backtesting-analysis`` path
  (``generate_trade_signal_candles`` → ``_generate_dfs`` → ``print_results``);
* the live trade bot's trades, read by freqtrade's ``load_trades_from_db``, through
  the group tables (``_do_group_table_output``).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from ftnotebook import FtClient, TradeHistory, analysis
from ftnotebook.demo.launcher import RunningBot, bot_python, find_freqtrade
from tests.analysis.conftest import RANGE, STRATEGY, DemoBacktest

INDICATORS = ["rsi", "macd", "profit_abs"]

ORACLE = r"""
import json, sys
from pathlib import Path
import pandas as pd
import freqtrade.data.entryexitanalysis as eea
from freqtrade.configuration import TimeRange

captured = {}
def capture(df, sortcols=None, *, show_index=False, name=None, to_csv=False, csv_path=None):
    data = df.sort_values(sortcols) if sortcols is not None else df
    captured[name] = data.reset_index() if show_index else data
eea._print_table = capture

args = json.load(sys.stdin)
groups = [str(g) for g in range(6)]
if args["mode"] == "db":
    from freqtrade.data.btanalysis import load_trades_from_db
    trades = load_trades_from_db(f"sqlite:///{args['db']}")
    trades = trades.dropna(subset=["close_date"]).copy()
    trades["enter_reason"] = trades["enter_tag"]
    eea._do_group_table_output(trades, groups, csv_path=Path("."))
else:
    from freqtrade.data.btanalysis.bt_fileutils import _load_backtest_data_df_compatibility
    from freqtrade.optimize.optimize_reports import generate_trade_signal_candles
    trades = _load_backtest_data_df_compatibility(pd.DataFrame(args["trades"]))
    candles = {}
    for pair, payload in args["candles"].items():
        df = pd.DataFrame(payload["data"], columns=payload["columns"])
        df["date"] = pd.to_datetime(df["__date_ts"], unit="ms", utc=True)
        candles[pair] = df.drop(columns=["__date_ts"])
    results = {"results": trades}
    signals = {args["strategy"]: generate_trade_signal_candles(candles, results, "open_date")}
    exited = {args["strategy"]: generate_trade_signal_candles(candles, results, "close_date")}
    timerange = TimeRange.parse_timerange(args["timerange"])
    both = []
    for signal_dict, col in ((signals, "open_date"), (exited, "close_date")):
        both.append(eea._generate_dfs(
            list(candles), ["all"], ["all"], signal_dict, args["strategy"], timerange, trades, col
        ))
    eea.print_results(both[0], both[1], groups, args["indicators"], args["entry_only"],
                      args["exit_only"], csv_path=Path("."))
def plain(df):  # exact floats, inf kept (json writes Infinity), dates as epoch ms
    def cell(v):
        if isinstance(v, pd.Timestamp):
            return int(v.value // 10**6)
        if v is None or (isinstance(v, float) and v != v):
            return None
        return v.item() if hasattr(v, "item") else v
    return {"columns": [str(c) for c in df.columns],
            "data": [[cell(v) for v in row] for row in df.itertuples(index=False)]}
print(json.dumps({k: plain(v) for k, v in captured.items()}))
"""


def _oracle(args: dict[str, Any]) -> dict[str, pd.DataFrame]:
    done = subprocess.run(
        [str(bot_python(find_freqtrade())), "-c", ORACLE],
        input=json.dumps(args),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    raw = json.loads(done.stdout)
    return {name: pd.DataFrame(t["data"], columns=t["columns"]) for name, t in raw.items()}


@pytest.fixture(scope="module")
def backtest(
    demo_backtest: DemoBacktest,
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], dict[str, Any]]:
    """The trades frame, the candles and the oracle's input for that backtest."""
    payload = {
        "mode": "backtest",
        "trades": demo_backtest.raw_trades,
        "candles": {
            p: {"columns": c["columns"], "data": c["data"]}
            for p, c in demo_backtest.raw_candles.items()
        },
        "strategy": STRATEGY,
        "timerange": None,
        "indicators": INDICATORS,
        "entry_only": False,
        "exit_only": False,
    }
    return demo_backtest.trades, demo_backtest.candles, payload


def _assert_group_equal(ours: pd.DataFrame, theirs: pd.DataFrame, number: int) -> None:
    keys = list(analysis.GROUPS[number])
    ours = ours.reset_index() if number == 0 else ours
    assert list(ours.columns) == list(theirs.columns)
    assert len(ours) == len(theirs) > 0, (number, len(ours), len(theirs))
    a = ours.sort_values(keys).reset_index(drop=True)
    b = theirs.sort_values(keys).reset_index(drop=True)
    for col in ours.columns:
        if col in keys:
            assert a[col].astype(str).tolist() == b[col].astype(str).tolist(), (number, col)
        else:
            pd.testing.assert_series_equal(
                a[col].astype("float64"), b[col].astype("float64"), rtol=1e-9, atol=1e-12
            )
    # freqtrade's sort order, wherever the sort keys do not tie
    sort = (
        ["total_num_buys"]
        if number == 0
        else (["exit_reason"] if number == 5 else ["profit_abs_sum", "enter_reason"])
    )
    if not ours[sort].duplicated().any():
        assert ours[keys].astype(str).values.tolist() == theirs[keys].astype(str).values.tolist()


def test_backtest_groups_equal_freqtrades_backtesting_analysis(backtest: Any) -> None:
    trades, candles, payload = backtest
    assert len(trades) >= 20, "the backtest should trade enough to fill the groups"
    theirs = _oracle(payload)
    for number in range(6):
        ours = analysis.group(trades, number, candles=candles)
        _assert_group_equal(ours, theirs[f"Group {number}:"], number)
    ours_all = analysis.groups(trades, candles=candles)
    assert set(ours_all) == set(range(6))


@pytest.mark.parametrize(
    ("entry_only", "exit_only"), [(False, False), (True, False), (False, True)]
)
def test_indicators_at_entry_and_exit_equal_freqtrades(
    backtest: Any, entry_only: bool, exit_only: bool
) -> None:
    trades, candles, payload = backtest
    theirs = _oracle({**payload, "entry_only": entry_only, "exit_only": exit_only})["Indicators:"]
    ours = analysis.indicators(
        trades, candles, INDICATORS, entry_only=entry_only, exit_only=exit_only
    )
    # freqtrade orders the exit columns through a set (hash order); ours follow ``names``
    assert sorted(ours.columns) == sorted(theirs.columns)
    if not entry_only and not exit_only:
        assert {"rsi (entry)", "rsi (exit)", "macd (exit)", "profit_abs"} <= set(ours.columns)
    key = ["pair", "open_date"]
    a = ours.assign(open_date=ours["open_date"].map(lambda t: int(pd.Timestamp(t).value // 10**6)))
    a = a.sort_values(key).reset_index(drop=True)
    b = theirs.sort_values(key).reset_index(drop=True)
    assert len(a) == len(b) == len(trades)
    assert a["open_date"].tolist() == b["open_date"].tolist()
    for col in ours.columns:
        if col in ("pair", "enter_reason", "exit_reason"):
            assert a[col].astype(str).tolist() == b[col].astype(str).tolist(), col
        elif col != "open_date":
            pd.testing.assert_series_equal(a[col], b[col], rtol=1e-9, check_dtype=False)


def test_timerange_and_tag_filters_select_like_freqtrade(backtest: Any) -> None:
    trades, candles, payload = backtest
    start = RANGE[0] + timedelta(days=2)
    timerange = f"{start:%Y%m%d}-"
    theirs = _oracle({**payload, "timerange": timerange})["Group 1:"]
    ours = analysis.group(trades, 1, candles=candles, timerange=timerange)
    _assert_group_equal(ours, theirs, 1)
    assert ours["num_buys"].sum() < len(trades), "the filter must drop the first days"
    tag = str(trades["enter_tag"].dropna().iloc[0])
    only = analysis.group(trades, 1, enter_reasons=[tag])
    assert only["enter_reason"].tolist() == [tag]
    assert only["num_buys"].iloc[0] == (trades["enter_tag"] == tag).sum()


def test_live_trades_groups_equal_freqtrades_on_the_bots_database(
    trade_bot: RunningBot, tmp_path: Path
) -> None:
    with FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password) as client:
        live = TradeHistory(client, progress=False).frame(include_open=True)
    copy = tmp_path / "copy.sqlite"
    source = trade_bot.workdir / "tradesv3.dryrun.sqlite"
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as db, sqlite3.connect(copy) as out:
        db.backup(out)  # a consistent snapshot of the running bot's database
    theirs = _oracle({"mode": "db", "db": str(copy)})
    assert live["is_open"].any(), "the seeded bot has open trades: the groups must skip them"
    for number in range(6):
        _assert_group_equal(analysis.group(live, number), theirs[f"Group {number}:"], number)


def test_mistakes_get_clear_errors(backtest: Any) -> None:
    trades, candles, _ = backtest
    with pytest.raises(ValueError, match="0-5"):
        analysis.group(trades, 6)
    with pytest.raises(ValueError, match="profit_ratio"):
        analysis.group(trades.drop(columns=["profit_ratio"]), 1)
    with pytest.raises(ValueError, match=r"'nope'.*the candles have"):
        analysis.indicators(trades, candles, ["rsi", "nope"])
    with pytest.raises(ValueError, match="both"):
        analysis.indicators(trades, candles, ["rsi"], entry_only=True, exit_only=True)
    with pytest.raises(ValueError, match="YYYYMMDD"):
        analysis.group(trades, 1, timerange="last week")
