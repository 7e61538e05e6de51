"""Smoke tests: the seeded offline bots answer and hold the state the other tests rely on.

These talk to the bots with plain ``requests`` (the ``bot_api`` fixture) on purpose:
they check the foundation, not ftnotebook's client.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import websocket

from ftnotebook.demo.launcher import RunningBot
from ftnotebook.demo.stack import DemoStack
from tests.conftest import BotApi


def test_ping_answers_pong(bot_api: BotApi) -> None:
    assert bot_api.get("ping") == {"status": "pong"}


def test_show_config_is_our_dry_run_bot(bot_api: BotApi, trade_bot: RunningBot) -> None:
    config = bot_api.get("show_config")
    assert config["bot_name"] == trade_bot.bot_name
    assert config["state"] == "running"
    assert config["dry_run"] is True
    assert config["strategy"] == "FtnbDemo"
    assert config["version"] == "2026.9"
    assert config["api_version"] >= 2.5


def test_status_has_two_open_trades(bot_api: BotApi, demo_stack: DemoStack) -> None:
    """The seeded open trades by id: other tests may open (and close) their own, and the
    shared-bot guard makes sure none of them is still open when this test runs."""
    status = bot_api.get("status")
    assert len(demo_stack.seeded["open"]) == 2
    assert {t["trade_id"] for t in status} == set(demo_stack.seeded["open"])
    assert all(trade["is_open"] for trade in status)
    assert all(trade["current_rate"] > 0 for trade in status)


def test_trades_hold_the_seeded_history(bot_api: BotApi) -> None:
    page = bot_api.get("trades", limit=500)
    trades = page["trades"]
    assert page["total_trades"] >= 60
    closed = [t for t in trades if not t["is_open"]]
    assert len(closed) >= 60
    assert len({t["pair"] for t in closed}) >= 3
    close_days = {t["close_date"][:10] for t in closed}
    assert len(close_days) >= 10
    assert len({day[:7] for day in close_days}) >= 2
    profits = [t["profit_abs"] for t in closed]
    assert any(p > 0 for p in profits) and any(p < 0 for p in profits)
    assert len({t["enter_tag"] for t in closed}) >= 3
    assert len({t["exit_reason"] for t in closed}) >= 3
    assert all(t["orders"] for t in closed), "every seeded trade has its orders"


def test_daily_has_several_days_with_trades(bot_api: BotApi) -> None:
    days = bot_api.get("daily", timescale=60)["data"]
    active = [d for d in days if d["trade_count"] > 0]
    assert len(active) >= 5
    assert any(d["abs_profit"] != 0 for d in active)


def test_pair_candles_have_indicators_and_signals(bot_api: BotApi) -> None:
    candles = bot_api.get("pair_candles", pair="BTC/USDT", timeframe="5m", limit=500)
    columns = candles["columns"]
    for name in (
        "open",
        "close",
        "ema_fast",
        "bb_upper",
        "bb_lower",
        "rsi",
        "macdhist",
        "volume_sma",
        "enter_long",
        "exit_long",
        "__date_ts",
    ):
        assert name in columns, name
    assert candles["length"] >= 300
    assert candles["enter_long_signals"] + candles["exit_long_signals"] > 0
    newest = candles["data"][-1][columns.index("__date_ts")] / 1000
    assert time.time() - newest < 15 * 60, "candles reach the present"
    assert candles["annotations"], "the strategy's plot_annotations came through"


def test_plot_config_exercises_every_feature(bot_api: BotApi) -> None:
    config = bot_api.get("plot_config")
    main = config["main_plot"]
    assert any("fill_to" in spec for spec in main.values())
    assert len(config["subplots"]) >= 2
    indicators = [spec for sub in config["subplots"].values() for spec in sub.values()]
    assert any(spec.get("type") == "bar" for spec in indicators)
    assert any("plotly" in spec for spec in indicators)
    assert all("color" in spec for spec in main.values())


def test_locks_and_blacklist_read_back(bot_api: BotApi, demo_stack: DemoStack) -> None:
    """The seeded lock and blacklist, whatever ran before (the guard restores them; a
    restored lock has a new id, so the lock is matched by pair, reason and side)."""
    locks = [lk for lk in bot_api.get("locks")["locks"] if lk["reason"] != "Auto lock"]
    assert [(lk["pair"], lk["reason"], lk["side"]) for lk in locks] == [
        ("XRP/USDT", "ftnb seed lock", "*")
    ]
    blacklist = bot_api.get("blacklist")
    assert blacklist["blacklist"] == demo_stack.seeded["blacklist"] == ["ADA/USDT"]


def test_pair_history_on_webserver_bot(webserver_api: BotApi) -> None:
    start = datetime.now(UTC) - timedelta(days=5)  # date arithmetic: safe across month ends
    history = webserver_api.get(
        "pair_history",
        pair="ETH/USDT",
        timeframe="1h",
        timerange=f"{start:%Y%m%d}-",
        strategy="FtnbDemo",
    )
    assert history["length"] > 24
    assert "rsi" in history["columns"] and "enter_long" in history["columns"]
    assert history["pair"] == "ETH/USDT"


def test_webserver_bot_is_in_webserver_mode(webserver_api: BotApi) -> None:
    assert webserver_api.get("show_config")["runmode"] == "webserver"
    assert "FtnbDemo" in webserver_api.get("strategies")["strategies"]


def test_websocket_receives_entry_fill_after_forceenter(
    trade_bot: RunningBot, bot_api: BotApi
) -> None:
    ws_url = trade_bot.api_url.replace("http://", "ws://")
    ws = websocket.create_connection(
        f"{ws_url}/api/v1/message/ws?token={trade_bot.ws_token}", timeout=20
    )
    trade_id = None
    try:
        ws.send(json.dumps({"type": "subscribe", "data": ["entry_fill", "exit_fill"]}))
        trade_id = bot_api(
            "POST", "forceenter", json={"pair": "SOL/USDT", "side": "long", "entry_tag": "ws_smoke"}
        )["trade_id"]
        deadline = time.monotonic() + 20
        message = None
        while time.monotonic() < deadline:
            message = json.loads(ws.recv())
            if message.get("type") == "entry_fill":
                break
        assert message is not None and message["type"] == "entry_fill"
        assert message["pair"] == "SOL/USDT"
        assert message["trade_id"] == trade_id
        assert message["enter_tag"] == "ws_smoke"
    finally:
        ws.close()
        if trade_id is not None:
            bot_api("POST", "forceexit", json={"tradeid": str(trade_id)})
