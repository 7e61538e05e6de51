"""Webserver-mode routes against the real webserver bot, with its local OHLCV data.

Backtests and background jobs run for real, on three days of 5m candles for the
four demo pairs (about a second each).
"""

from __future__ import annotations

import itertools
import json
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from ftnotebook import FtClient, NotFound, RpcError
from ftnotebook.demo.launcher import RunningBot, bot_python, find_freqtrade
from ftnotebook.models import BacktestResponse
from tests.client.conftest import PAIRS, STRATEGY

pytestmark = pytest.mark.webserver

#: Three complete days inside the ~10 days of data the webserver bot holds.
TODAY_UTC = datetime.now(UTC).date()  # the bot's candles and timeranges are in UTC
RANGE = (TODAY_UTC - timedelta(days=4), TODAY_UTC - timedelta(days=1))


def test_show_config_reports_webserver_mode(ws_client: FtClient, webserver_bot: RunningBot) -> None:
    cfg = ws_client.show_config()
    assert cfg["runmode"] == "webserver" and cfg["state"] == ""
    assert cfg["bot_name"] == webserver_bot.bot_name


def test_strategies_and_strategy_detail(ws_client: FtClient) -> None:
    assert STRATEGY in ws_client.strategies()["strategies"]
    detail = ws_client.strategy(STRATEGY)
    assert detail["strategy"] == STRATEGY and f"class {STRATEGY}" in detail["code"]
    assert detail["timeframe"] == "5m"
    assert detail["params"] == []  # FtnbDemo declares no hyperopt parameters
    with pytest.raises(NotFound, match="Strategy not found"):
        ws_client.strategy("NoSuchStrategy")


def test_exchanges_lists_binance(ws_client: FtClient) -> None:
    exchanges = ws_client.exchanges()["exchanges"]
    binance = next(e for e in exchanges if e["classname"] == "binance")
    assert binance["valid"] is True and binance["supported"] is True
    assert len(exchanges) > 50


def freqtrade_lists(resolver: str, webserver_bot: RunningBot) -> list[str]:
    """The names freqtrade's own resolver finds in the bot's virtualenv (the oracle)."""
    module, cls = {
        "hyperoptloss": ("hyperopt_resolver", "HyperOptLossResolver"),
        "freqaimodels": ("freqaimodel_resolver", "FreqaiModelResolver"),
    }[resolver]
    code = (
        "import json, logging, sys\n"
        "from pathlib import Path\n"
        "logging.disable(logging.CRITICAL)\n"
        f"from freqtrade.resolvers.{module} import {cls}\n"
        "config = {'user_data_dir': Path(sys.argv[1])}\n"
        f"found = {cls}.search_all_objects(config, False)\n"
        "print(json.dumps(sorted(x['name'] for x in found)))\n"
    )
    userdir = webserver_bot.workdir / "user_data"
    done = subprocess.run(
        [str(bot_python(find_freqtrade())), "-c", code, str(userdir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    names: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return names


def test_hyperoptloss_lists_loss_functions(ws_client: FtClient, webserver_bot: RunningBot) -> None:
    """The bot venv has freqtrade's hyperopt extra (``make bot-venv``): every loss class
    freqtrade's own resolver finds, each with its docstring."""
    losses = ws_client.hyperoptloss()["loss_functions"]
    names = [x["name"] for x in losses]
    assert names == freqtrade_lists("hyperoptloss", webserver_bot)
    assert {"SharpeHyperOptLoss", "SortinoHyperOptLossDaily", "CalmarHyperOptLoss"} <= set(names)
    sharpe = next(x for x in losses if x["name"] == "SharpeHyperOptLoss")
    assert "Sharpe" in sharpe["description"]


def test_freqaimodels_lists_what_freqtrade_can_import(
    ws_client: FtClient, webserver_bot: RunningBot
) -> None:
    """With datasieve (and scikit-learn) in the bot venv the route answers the models
    freqtrade can import; those needing lightgbm, xgboost or torch are left out."""
    models = ws_client.freqaimodels()["freqaimodels"]
    assert models == freqtrade_lists("freqaimodels", webserver_bot)
    assert "SKLearnRandomForestClassifier" in models


def test_available_pairs_filters(ws_client: FtClient) -> None:
    every = ws_client.available_pairs()
    assert every["pairs"] == PAIRS
    assert {tuple(x) for x in every["pair_interval"]} >= {(p, "1h", "spot") for p in PAIRS}
    five = ws_client.available_pairs(timeframe="5m")
    assert {x[1] for x in five["pair_interval"]} == {"5m"} and five["length"] == 4
    assert ws_client.available_pairs(stake_currency="BTC")["length"] == 0
    assert ws_client.available_pairs(candletype="futures")["length"] == 0


def test_plot_config_needs_strategy_in_webserver_mode(ws_client: FtClient) -> None:
    plot = ws_client.plot_config(STRATEGY)
    assert "main_plot" in plot and "subplots" in plot
    with pytest.raises(RpcError, match="Strategy is mandatory in webserver mode"):
        ws_client.plot_config()


def test_markets_via_webserver_exchange(ws_client: FtClient) -> None:
    markets = ws_client.markets(quote="USDT")
    assert markets["exchange_id"] == "binance"
    assert set(PAIRS) <= set(markets["markets"])


def test_pair_history_get(ws_client: FtClient) -> None:
    history = ws_client.pair_history("BTC/USDT", "5m", RANGE, STRATEGY)
    assert history["pair"] == "BTC/USDT" and history["strategy"] == STRATEGY
    # Both ends are inclusive: three days of 5m candles plus the closing one.
    assert history["length"] == len(history["data"]) == 3 * 288 + 1
    assert {"date", "close", "ema_fast", "rsi", "enter_tag"} <= set(history["columns"])
    start = datetime.fromtimestamp(history["data_start_ts"] / 1000, tz=UTC)
    assert start.date() == RANGE[0]


def test_pair_history_post_with_columns(ws_client: FtClient) -> None:
    text_range = f"{RANGE[0]:%Y%m%d}-{RANGE[1]:%Y%m%d}"
    history = ws_client.pair_history_filtered(
        "ETH/USDT", "1h", text_range, STRATEGY, columns=["rsi"]
    )
    assert "rsi" in history["columns"] and "ema_fast" not in history["columns"]
    assert history["length"] == 3 * 24 + 1


def test_pair_history_without_data_is_rpc_error(ws_client: FtClient) -> None:
    with pytest.raises(RpcError, match="No data for ADA/USDT"):
        ws_client.pair_history("ADA/USDT", "5m", RANGE, STRATEGY)


# ----------------------------------------------------------------- backtest


@pytest.fixture(scope="module")
def finished_backtest(ws_client: FtClient) -> Iterator[BacktestResponse]:
    started = ws_client.start_backtest(STRATEGY, timerange=RANGE, stake_amount=100)
    assert started["status"] == "running" and started["running"] is True
    result = ws_client.wait_for_backtest(timeout=180)
    yield result
    ws_client.reset_backtest()


def test_backtest_runs_and_returns_result(
    ws_client: FtClient, finished_backtest: BacktestResponse
) -> None:
    assert finished_backtest["status"] == "ended", finished_backtest["status_msg"]
    assert finished_backtest["progress"] == 1
    result = finished_backtest.get("backtest_result")
    assert result is not None
    stats = result["strategy"][STRATEGY]
    assert stats["stake_amount"] == 100
    assert stats["total_trades"] == len(stats["trades"])
    assert ws_client.backtest()["status"] == "ended"
    jobs = ws_client.background_jobs()
    assert any(j["job_category"] == "backtest" and j["status"] == "success" for j in jobs)


def test_abort_backtest_when_idle(ws_client: FtClient, finished_backtest: BacktestResponse) -> None:
    aborted = ws_client.abort_backtest()
    assert aborted["status"] == "not_running" and aborted["running"] is False


def test_backtest_history_read_update_and_tables(
    ws_client: FtClient, finished_backtest: BacktestResponse
) -> None:
    meta = finished_backtest.get("backtest_result", {}) or {}
    filename = meta["metadata"][STRATEGY]["filename"]
    entries = ws_client.backtest_history()
    assert any(e["filename"] == filename and e["strategy"] == STRATEGY for e in entries)

    stored = ws_client.backtest_history_result(filename, STRATEGY)
    assert stored["status"] == "ended" and stored["status_msg"] == "Historic result"
    stored_result = stored.get("backtest_result") or {}
    assert (
        stored_result["strategy"][STRATEGY]["total_trades"]
        == (meta["strategy"][STRATEGY]["total_trades"])
    )

    updated = ws_client.update_backtest_history(filename, STRATEGY, notes="ftnb note")
    assert any(e.get("notes") == "ftnb note" for e in updated)

    change = ws_client.backtest_market_change(filename)
    assert change["length"] == len(change["data"]) > 0
    assert "date" in change["columns"]

    wallet = ws_client.backtest_wallet(filename, STRATEGY)
    assert wallet["length"] == len(wallet["data"]) > 0
    assert "total_quote" in wallet["columns"]


def test_backtest_history_unknown_file_is_not_found(ws_client: FtClient) -> None:
    with pytest.raises(NotFound, match="File not found"):
        ws_client.backtest_history_result("backtest-result-1999-01-01_00-00-00", STRATEGY)
    with pytest.raises(NotFound):
        ws_client.delete_backtest_history("backtest-result-1999-01-01_00-00-00")


def test_second_backtest_then_delete_its_history(ws_client: FtClient) -> None:
    ws_client.reset_backtest()
    ws_client.start_backtest(STRATEGY, timerange=RANGE, stake_amount=50, max_open_trades=2)
    result = ws_client.wait_for_backtest(timeout=180)
    assert result["status"] == "ended"
    filename = (result.get("backtest_result") or {})["metadata"][STRATEGY]["filename"]
    reset = ws_client.reset_backtest()
    assert reset["status"] == "reset"
    assert ws_client.backtest()["status"] == "not_started"
    remaining = ws_client.delete_backtest_history(filename)
    assert all(e["filename"] != filename for e in remaining)


# ---------------------------------------------------------- background jobs


def test_pairlist_evaluation_job(ws_client: FtClient) -> None:
    available = ws_client.pairlists_available()["pairlists"]
    assert {"StaticPairList", "VolumePairList"} <= {p["name"] for p in available}
    job = ws_client.evaluate_pairlists(
        [{"method": "StaticPairList"}], "USDT", blacklist=["XRP/USDT"]
    )
    assert job["status"].startswith("Pairlist evaluation started")
    done = ws_client.wait_for_job(job["job_id"], timeout=60)
    assert done["job_category"] == "pairlist" and done["status"] == "success"
    evaluated = ws_client.pairlists_evaluate_result(job["job_id"])
    assert evaluated["status"] == "success"
    assert evaluated.get("result") == {
        "whitelist": ["BTC/USDT", "ETH/USDT", "SOL/USDT"],
        "length": 3,
        "method": ["StaticPairList"],
    }
    deleted = ws_client.delete_background_job(job["job_id"])
    assert deleted["job_id"] == job["job_id"]
    with pytest.raises(NotFound, match="Job not found"):
        ws_client.background_job(job["job_id"])


def test_download_data_job(ws_client: FtClient) -> None:
    """Downloads a timeframe the bot did not have (15m) and checks what arrived: about
    two days of candles, the newest one just closed."""
    assert ws_client.available_pairs(timeframe="15m")["pairs"] == []
    job = ws_client.download_data(["BTC/USDT"], timeframes=["15m"], days=2)
    done = ws_client.wait_for_job(job["job_id"], timeout=120)
    assert done["job_category"] == "download_data"
    assert done["status"] == "success", done.get("error")
    assert ws_client.available_pairs(timeframe="15m")["pairs"] == ["BTC/USDT"]
    history = ws_client.pair_history("BTC/USDT", "15m", None, STRATEGY)
    stamps = [row[history["columns"].index("__date_ts")] for row in history["data"]]
    now_ms = datetime.now(UTC).timestamp() * 1000
    # days=2: freqtrade starts at midnight UTC of the bot's *local* date two days back
    # (so 1 to 3 days before now, depending on the bot's TZ and the hour), less at most
    # FtnbDemo's 30 startup candles; 96 candles a day, no gaps
    day_ms = 86_400_000
    assert now_ms - 3 * day_ms <= stamps[0] <= now_ms - day_ms + 31 * 15 * 60_000
    assert 96 - 32 <= history["length"] <= 3 * 96, history["length"]
    assert now_ms - 2 * 15 * 60_000 <= stamps[-1] <= now_ms
    assert all(b - a == 15 * 60_000 for a, b in itertools.pairwise(stamps))


def test_lookahead_analysis_job(ws_client: FtClient) -> None:
    job = ws_client.start_lookahead_analysis(
        STRATEGY, timerange=RANGE, minimum_trade_amount=1, targeted_trade_amount=2
    )
    ws_client.wait_for_job(job["job_id"], timeout=180)
    report = ws_client.lookahead_analysis(job["job_id"])
    assert report["status"] == "ended", report["status_msg"]
    result = report.get("result")
    assert result is not None and result["strategy"] == STRATEGY
    # FtnbDemo looks at closed candles only: signals found, none of them biased
    assert result["has_bias"] is False and result["total_signals"] >= 1
    assert result["biased_entry_signals"] == result["biased_exit_signals"] == 0
    assert result["biased_indicators"] == []


def test_recursive_analysis_job(ws_client: FtClient) -> None:
    job = ws_client.start_recursive_analysis(STRATEGY, timerange=RANGE, startup_candle=[50, 100])
    ws_client.wait_for_job(job["job_id"], timeout=180)
    report = ws_client.recursive_analysis(job["job_id"])
    assert report["status"] == "ended", report["status_msg"]
    result = report.get("result")
    assert result is not None and {50, 100} <= set(result["startup_candles"])
    assert "rsi" in result["results"]


def test_analysis_job_ids_are_per_category(ws_client: FtClient) -> None:
    job = ws_client.start_recursive_analysis(STRATEGY, timerange=RANGE, startup_candle=[40])
    ws_client.wait_for_job(job["job_id"], timeout=180)
    with pytest.raises(NotFound):
        ws_client.lookahead_analysis(job["job_id"])


def test_clear_background_jobs(ws_client: FtClient) -> None:
    job = ws_client.evaluate_pairlists([{"method": "StaticPairList"}], "USDT")
    ws_client.wait_for_job(job["job_id"], timeout=60)
    assert any(j["job_id"] == job["job_id"] for j in ws_client.background_jobs())
    still_running = ws_client.clear_background_jobs()
    assert still_running == []  # every job of this bot has finished (each test waits)
    assert ws_client.background_jobs() == []
