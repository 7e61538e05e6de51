"""Read routes against the real seeded trade bot: shapes, types and seeded values."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from ftnotebook import FtClient, NotFound
from ftnotebook.demo.launcher import RunningBot
from ftnotebook.models import OpenTrade, Profit, check_shape
from tests.client.conftest import PAIRS, STRATEGY


def test_ping_needs_no_credentials(trade_bot: RunningBot) -> None:
    anonymous = FtClient(trade_bot.api_url)
    assert anonymous.ping() == {"status": "pong"}


def test_version_and_show_config(client: FtClient, trade_bot: RunningBot) -> None:
    assert client.version()["version"].startswith("2026.")
    cfg = client.show_config()
    assert cfg["bot_name"] == trade_bot.bot_name
    assert cfg["api_version"] >= 2.5
    assert cfg["runmode"] == "dry_run" and cfg["dry_run"] is True
    assert cfg["state"] == "running"
    assert cfg["strategy"] == STRATEGY
    assert cfg["timeframe"] == "5m"


def test_health_and_sysinfo(client: FtClient) -> None:
    health = client.health()
    assert isinstance(health.get("last_process_ts"), int)
    assert isinstance(health.get("bot_start_ts"), int)
    info = client.sysinfo()
    assert 0 <= info["ram_pct"] <= 100
    assert info["cpu_count"] >= 1 and len(info["cpu_load"]) >= 1


def test_logs_limit(client: FtClient) -> None:
    logs = client.logs(limit=3)
    assert logs["log_count"] == 3 == len(logs["logs"])
    date_str, ts, logger_name, level, message = logs["logs"][-1]
    assert isinstance(ts, float) and level in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
    assert isinstance(message, str) and isinstance(logger_name, str) and date_str[:2] == "20"


def test_count_matches_status(client: FtClient) -> None:
    count = client.count()
    status = client.status()
    assert count["current"] == len(status) >= 2
    assert count["max"] == 10
    assert count["total_stake"] == pytest.approx(sum(t["stake_amount"] for t in status), rel=1e-6)


def test_status_rows_are_open_trades_with_live_rate(client: FtClient) -> None:
    status = client.status()
    assert len(status) >= 2, "the seeded open trades"  # the loop below proves nothing on []
    for trade in status:
        check_shape(trade, OpenTrade)
        assert trade["is_open"] is True
        assert trade["pair"] in PAIRS
        assert trade["current_rate"] > 0
        assert isinstance(trade["orders"], list) and trade["orders"]


def test_trades_page_and_total(client: FtClient) -> None:
    page = client.trades(limit=10, offset=5)
    assert page["trades_count"] == len(page["trades"]) == 10
    assert page["offset"] == 5
    assert page["total_trades"] >= 62
    ids = [t["trade_id"] for t in page["trades"]]
    assert ids == sorted(ids)


def test_iter_trades_walks_every_page(client: FtClient) -> None:
    total = client.trades(limit=1)["total_trades"]
    trades = list(client.iter_trades(page_size=25))
    assert len(trades) == total
    assert len({t["trade_id"] for t in trades}) == total
    closed = [t for t in trades if not t["is_open"]]
    assert len(closed) >= 60
    assert all(t.get("close_rate") is not None and t.get("exit_reason") for t in closed)


def test_trades_order_by_latest_timestamp(client: FtClient) -> None:
    by_id = client.trades(limit=500)["trades"]
    by_time = client.trades(limit=500, order_by_id=False)["trades"]
    assert {t["trade_id"] for t in by_id} == {t["trade_id"] for t in by_time}
    assert [t["trade_id"] for t in by_id] != [t["trade_id"] for t in by_time]


def test_trade_by_id_open_and_closed(client: FtClient) -> None:
    open_trade = client.status()[0]
    got = client.trade(open_trade["trade_id"])
    assert got["trade_id"] == open_trade["trade_id"] and got["is_open"]
    closed = next(t for t in client.iter_trades() if not t["is_open"])
    got_closed = client.trade(closed["trade_id"])
    assert got_closed["is_open"] is False
    assert got_closed.get("close_rate") == closed.get("close_rate")


def test_trade_unknown_id_is_not_found(client: FtClient) -> None:
    with pytest.raises(NotFound) as err:
        client.trade(999_999)
    assert err.value.status == 404
    assert "Trade not found" in str(err.value) and "/trade/999999" in str(err.value)


def test_profit_summary(client: FtClient) -> None:
    profit = client.profit()
    check_shape(profit, Profit)
    assert profit["closed_trade_count"] >= 60
    assert profit["trade_count"] == profit["closed_trade_count"] + client.count()["current"]
    assert profit["winning_trades"] + profit["losing_trades"] <= profit["closed_trade_count"]
    assert 0 <= profit["winrate"] <= 1
    assert profit["best_pair"] in PAIRS


def test_profit_all_spot_has_only_all(client: FtClient) -> None:
    result = client.profit_all()
    assert result["all"]["closed_trade_count"] == client.profit()["closed_trade_count"]
    assert result.get("long") is None and result.get("short") is None


def test_performance_per_pair(client: FtClient) -> None:
    rows = client.performance()
    assert {r["pair"] for r in rows} <= set(PAIRS)
    assert sum(r["count"] for r in rows) >= 60
    profits = [r["profit_abs"] for r in rows]
    assert profits == sorted(profits, reverse=True)


def test_entries_exits_mix_tags(client: FtClient) -> None:
    entries = client.entries()
    assert sum(e["count"] for e in entries) >= 60
    assert all(isinstance(e["enter_tag"], str) for e in entries)
    exits = client.exits()
    assert {"roi", "stop_loss"} & {e["exit_reason"] for e in exits}
    mix = client.mix_tags()
    assert sum(m["count"] for m in mix) == sum(e["count"] for e in entries)
    only_btc = client.entries(pair="BTC/USDT")
    assert 0 < sum(e["count"] for e in only_btc) < sum(e["count"] for e in entries)
    assert sum(e["count"] for e in client.exits(pair="BTC/USDT")) == sum(
        e["count"] for e in only_btc
    )
    assert sum(m["count"] for m in client.mix_tags(pair="BTC/USDT")) == sum(
        e["count"] for e in only_btc
    )


def test_stats(client: FtClient) -> None:
    stats = client.stats()
    assert stats["exit_reasons"]
    for reason in stats["exit_reasons"].values():
        assert reason["wins"] + reason["losses"] + reason["draws"] >= 1
    assert set(stats["durations"]) >= {"wins", "losses"}


@pytest.mark.parametrize(("name", "default_rows"), [("daily", 7), ("weekly", 4), ("monthly", 3)])
def test_periodic_profit(client: FtClient, name: str, default_rows: int) -> None:
    method = getattr(client, name)
    default = method()
    assert len(default["data"]) == default_rows
    assert default["stake_currency"] == "USDT"
    two = method(2)
    assert len(two["data"]) == 2
    first = date.fromisoformat(two["data"][0]["date"])
    assert first <= datetime.now(UTC).date()  # the bot counts days in UTC
    assert all(isinstance(p["trade_count"], int) for p in two["data"])


def test_daily_covers_seeded_trades(client: FtClient) -> None:
    days = client.daily(60)["data"]
    assert sum(d["trade_count"] for d in days) >= 60


def test_balance(client: FtClient) -> None:
    balance = client.balance()
    assert balance["stake"] == "USDT" and balance["note"] == "Simulated balances"
    usdt = next(c for c in balance["currencies"] if c["currency"] == "USDT")
    assert usdt["free"] > 0
    assert balance["starting_capital"] > 0
    positions = [c for c in balance["currencies"] if c["currency"] != "USDT"]
    assert positions, "the open trades should show up as balances"


def test_historic_balance(client: FtClient) -> None:
    hist = client.historic_balance()
    assert hist["length"] == len(hist["data"]) > 0
    assert all(len(row) == len(hist["columns"]) for row in hist["data"])


def test_whitelist_blacklist_locks_seeded(client: FtClient) -> None:
    white = client.whitelist()
    assert white["whitelist"] == PAIRS and white["length"] == 4
    assert white["method"] == ["StaticPairList"]
    black = client.blacklist()
    assert "ADA/USDT" in black["blacklist"]
    locks = client.locks()
    assert locks["lock_count"] >= 1
    assert any(lock["pair"] == "XRP/USDT" and lock["active"] for lock in locks["locks"])


def test_pair_candles_all_columns(client: FtClient) -> None:
    candles = client.pair_candles("BTC/USDT", "5m", limit=20)
    assert candles["pair"] == "BTC/USDT" and candles["timeframe"] == "5m"
    assert candles["length"] == len(candles["data"]) == 20
    assert {"date", "open", "close", "ema_fast", "rsi", "__date_ts"} <= set(candles["columns"])
    assert candles["strategy"] == STRATEGY
    assert candles["data_stop_ts"] >= candles["data_start_ts"]


def test_pair_candles_filtered_columns(client: FtClient) -> None:
    candles = client.pair_candles_filtered("ETH/USDT", "5m", ["rsi"], limit=5)
    assert "rsi" in candles["columns"] and "ema_fast" not in candles["columns"]
    assert candles["length"] == 5
    ohlcv_only = client.pair_candles_filtered("ETH/USDT", "5m", [], limit=5)
    assert "rsi" not in ohlcv_only["columns"] and "close" in ohlcv_only["columns"]


def test_plot_config_of_running_strategy(client: FtClient) -> None:
    plot = client.plot_config()
    assert "ema_fast" in plot.get("main_plot", {})
    assert "RSI" in plot.get("subplots", {})
    assert client.plot_config(STRATEGY) == plot


def test_strategy_detail_of_running_strategy(client: FtClient) -> None:
    detail = client.strategy(STRATEGY)
    assert detail["strategy"] == STRATEGY and detail["timeframe"] == "5m"
    assert f"class {STRATEGY}" in detail["code"]
    with pytest.raises(NotFound, match="Only the currently active strategy"):
        client.strategy("SomethingElse")


def test_markets_from_simulator(client: FtClient) -> None:
    markets = client.markets(quote="USDT")
    assert markets["exchange_id"] == "binance"
    assert {"BTC/USDT", "ETH/USDT"} <= set(markets["markets"])
    btc = client.markets(base="BTC")["markets"]
    assert set(btc) == {p for p in btc if p.startswith("BTC/")}
    assert markets["markets"]["BTC/USDT"]["spot"] is True


def test_custom_data_routes_answer_not_found_without_data(client: FtClient) -> None:
    """FtnbDemo stores no custom data: both routes answer 404 with the bot's reason."""
    with pytest.raises(NotFound, match="No custom-data found for any open trades"):
        client.open_trades_custom_data(limit=10)
    trade_id = client.status()[0]["trade_id"]
    with pytest.raises(NotFound) as err:
        client.trade_custom_data(trade_id, key="nothing")
    assert err.value.route == f"/trades/{trade_id}/custom-data"
    assert "with key 'nothing'" in err.value.detail


@pytest.fixture
def custom_data_row(client: FtClient, trade_bot: RunningBot) -> Iterator[int]:
    """One custom-data entry on an open trade, written as a strategy's set_custom_data would.

    FtnbDemo never stores custom data, so the row goes straight into the bot's
    SQLite database (freqtrade reads it from there on every request), and is removed
    again afterwards.
    """
    trade_id = client.status()[0]["trade_id"]
    db = sqlite3.connect(trade_bot.workdir / "tradesv3.dryrun.sqlite", timeout=30)
    try:
        with db:
            db.execute(
                "INSERT INTO trade_custom_data (ft_trade_id, cd_key, cd_type, cd_value, "
                "created_at) VALUES (?, 'ftnb_note', 'dict', ?, ?)",
                (trade_id, json.dumps({"level": 3}), "2026-01-01 00:00:00.000000"),
            )
        yield trade_id
    finally:
        with db:
            db.execute("DELETE FROM trade_custom_data WHERE cd_key = 'ftnb_note'")
        db.close()


def test_custom_data_of_open_trades_and_one_trade(client: FtClient, custom_data_row: int) -> None:
    everything = client.open_trades_custom_data()
    mine = next(x for x in everything if x["trade_id"] == custom_data_row)
    entry = mine["custom_data"][0]
    assert entry["key"] == "ftnb_note" and entry["type"] == "dict"
    assert entry["value"] == {"level": 3}
    assert entry["created_at"].startswith("2026-01-01")
    one = client.trade_custom_data(custom_data_row, key="ftnb_note")
    assert one == [mine]
    assert client.open_trades_custom_data(key="ftnb_note", limit=100, offset=0) == [mine]
