"""Write routes against the real trade bot. Every test undoes what it did.

The shared bot must keep ≥ 60 closed and ≥ 2 open trades, the XRP/USDT lock and
the ADA/USDT blacklist entry, so trades opened here are closed or deleted again,
locks are ended and blacklist entries removed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from ftnotebook import FtClient, RpcError
from ftnotebook.demo.launcher import RunningBot, RunningSimulator
from tests.client.conftest import PAIRS


@pytest.fixture
def restore_open_trades(client: FtClient) -> Iterator[None]:
    """Force-exit any trade a test opened and left open."""
    before = {t["trade_id"] for t in client.status()}
    yield
    for trade in client.status():
        if trade["trade_id"] not in before:
            client.force_exit(trade["trade_id"])


@pytest.fixture
def undo_locks_and_blacklist(client: FtClient) -> Iterator[None]:
    """End the locks and drop the blacklist entries a test added, even when it failed
    (its own locks by id; freqtrade's one-candle "Auto lock" after an exit stays)."""
    locks = {x["id"] for x in client.locks()["locks"]}
    blacklist = set(client.blacklist()["blacklist"])
    yield
    for lock in client.locks()["locks"]:
        if lock["id"] not in locks and lock["reason"] != "Auto lock":
            client.delete_lock(lock["id"])
    if added := sorted(set(client.blacklist()["blacklist"]) - blacklist):
        client.remove_from_blacklist(*added)


def free_pair(client: FtClient) -> str:
    """A whitelisted pair without an open trade (force entries need one)."""
    held = {t["pair"] for t in client.status()}
    free = [p for p in PAIRS if p not in held]
    assert free, "every pair has an open trade; a test did not clean up"
    return free[-1]


def wait_closed(client: FtClient, trade_id: int, timeout: float = 10.0) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while True:
        trade = client.trade(trade_id)
        if not trade["is_open"] or time.monotonic() > deadline:
            return dict(trade)
        time.sleep(0.2)


def wait_state(client: FtClient, state: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while client.show_config()["state"] != state:
        assert time.monotonic() < deadline, f"bot never reached state {state!r}"
        time.sleep(0.3)


@pytest.mark.usefixtures("restore_open_trades")
def test_force_enter_then_force_exit_with_profit(
    client: FtClient, simulator: RunningSimulator
) -> None:
    closed_before = client.profit()["closed_trade_count"]
    pair = free_pair(client)
    trade = client.force_enter(
        pair, "long", stake_amount=50, entry_tag="ftnb_test", order_type="market"
    )
    assert trade["pair"] == pair and trade["is_open"] is True
    assert trade.get("enter_tag") == "ftnb_test"
    assert trade["stake_amount"] == pytest.approx(50, rel=0.05)
    try:
        simulator.shift(pair.replace("/", ""), 3)
        result = client.force_exit(trade["trade_id"], order_type="market")
    finally:
        simulator.shift(pair.replace("/", ""), 0)
    assert result == {"result": f"Created exit order for trade {trade['trade_id']}."}
    done = wait_closed(client, trade["trade_id"])
    assert done["is_open"] is False
    assert isinstance(done["profit_ratio"], float) and done["profit_ratio"] > 0.02
    assert done["exit_reason"] == "force_exit"
    assert client.profit()["closed_trade_count"] == closed_before + 1


@pytest.mark.usefixtures("restore_open_trades")
def test_partial_force_exit_by_amount(client: FtClient) -> None:
    trade = client.force_enter(free_pair(client), stake_amount=60)
    half = trade["amount"] / 2
    client.force_exit(trade["trade_id"], amount=half)
    deadline = time.monotonic() + 10
    while (t := client.trade(trade["trade_id"]))["nr_of_successful_exits"] < 1:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert t["is_open"] is True
    assert t["amount"] == pytest.approx(trade["amount"] - half, rel=0.05)
    client.force_exit(trade["trade_id"])
    assert wait_closed(client, trade["trade_id"])["is_open"] is False


@pytest.mark.usefixtures("restore_open_trades")
def test_deprecated_forcebuy_forcesell_routes(client: FtClient) -> None:
    with pytest.warns(DeprecationWarning, match="force_enter"):
        trade = client.forcebuy(pair := free_pair(client))
    assert trade["pair"] == pair and trade["is_open"]
    with pytest.warns(DeprecationWarning, match="force_exit"):
        result = client.forcesell(trade["trade_id"])
    assert result["result"] == f"Created exit order for trade {trade['trade_id']}."
    assert wait_closed(client, trade["trade_id"])["is_open"] is False


def test_force_enter_refused_by_bot_is_rpc_error(client: FtClient) -> None:
    """A pair with an open trade, or a stake below the minimum: the bot refuses (502)."""
    open_before = client.count()["current"]
    held = client.status()[0]["pair"]
    with pytest.raises(RpcError) as err:
        client.force_enter(held, stake_amount=20)
    assert err.value.status == 502
    assert f"position for {held} already open" in err.value.detail
    assert str(err.value).startswith("force_enter(): POST /forceenter -> 502")
    pair = free_pair(client)
    with pytest.raises(RpcError, match=f"Failed to enter position for {pair}"):
        client.force_enter(pair, stake_amount=0.5)  # below the market's minimum
    assert client.count()["current"] == open_before


def test_limit_entry_reload_then_delete_trade(client: FtClient) -> None:
    """A limit entry at half the market price stays unfilled; delete_trade cancels it."""
    open_before = client.count()["current"]
    pair = free_pair(client)
    candles = client.pair_candles_filtered(pair, "5m", [], limit=1)
    last_close = candles["data"][-1][candles["columns"].index("close")]
    trade = client.force_enter(
        pair, order_type="limit", price=last_close * 0.5, stake_amount=30, allow_far_price=True
    )
    try:
        assert trade["has_open_orders"] is True
        reloaded = client.reload_trade(trade["trade_id"])
        assert reloaded["trade_id"] == trade["trade_id"]
        assert reloaded["has_open_orders"] is True
    finally:
        deleted = client.delete_trade(trade["trade_id"])
    assert deleted["trade_id"] == trade["trade_id"]
    assert deleted["cancel_order_count"] == 1
    assert "Deleted trade" in deleted["result_msg"]
    assert client.count()["current"] == open_before


def test_cancel_open_order_of_partial_exit(client: FtClient) -> None:
    """A limit exit far above the market stays open; cancel_open_order removes it."""
    trade = client.force_enter(free_pair(client), stake_amount=40)
    try:
        client.force_exit(trade["trade_id"], order_type="limit", price=trade["open_rate"] * 3)
        assert client.trade(trade["trade_id"])["has_open_orders"] is True
        after = client.cancel_open_order(trade["trade_id"])
        assert after["trade_id"] == trade["trade_id"]
        assert after["has_open_orders"] is False and after["is_open"] is True
    finally:
        client.force_exit(trade["trade_id"])
        wait_closed(client, trade["trade_id"])


@pytest.mark.usefixtures("undo_locks_and_blacklist")
def test_add_lock_then_delete_it(client: FtClient) -> None:
    """Counts only this test's lock, by id: every force-exit elsewhere adds an "Auto lock"
    that ends at the next candle, so the bot's lock_count moves on its own."""
    until = datetime.now(timezone(timedelta(hours=2))) + timedelta(hours=1)
    before = {x["id"] for x in client.locks()["locks"]}
    locks = client.add_lock("SOL/USDT", until, side="long", reason="ftnb lock test")
    mine = [x for x in locks["locks"] if x["id"] not in before]
    assert [x["reason"] for x in mine] == ["ftnb lock test"]
    lock = mine[0]
    assert lock["side"] == "long" and lock["active"] is True
    # The +02:00 time arrived as the same instant (freqtrade rounds up to the next 5m candle):
    end_s = lock["lock_end_timestamp"] / 1000
    assert until.timestamp() <= end_s <= until.timestamp() + 300
    after = client.delete_lock(lock["id"])
    assert all(x["id"] != lock["id"] for x in after["locks"])
    assert after["lock_count"] == len(after["locks"])


@pytest.mark.usefixtures("undo_locks_and_blacklist")
def test_add_lock_with_iso_string_then_delete_by_pair(client: FtClient) -> None:
    until = (datetime.now(UTC) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    locks = client.add_lock("BTC/USDT", until, reason="ftnb iso")
    assert any(x["pair"] == "BTC/USDT" for x in locks["locks"])
    after = client.delete_locks(pair="BTC/USDT")
    assert not any(x["pair"] == "BTC/USDT" and x["active"] for x in after["locks"])
    assert any(x["pair"] == "XRP/USDT" for x in after["locks"]), "seeded lock must survive"


@pytest.mark.usefixtures("undo_locks_and_blacklist")
def test_delete_locks_by_lock_id(client: FtClient) -> None:
    until = datetime.now(UTC) + timedelta(hours=1)
    locks = client.add_lock("ETH/USDT", until, reason="ftnb by id")
    lock_id = next(x["id"] for x in locks["locks"] if x.get("reason") == "ftnb by id")
    after = client.delete_locks(lock_id=lock_id)
    assert all(x["id"] != lock_id for x in after["locks"])


@pytest.mark.usefixtures("undo_locks_and_blacklist")
def test_blacklist_add_then_remove_with_repeated_params(client: FtClient) -> None:
    added = client.add_to_blacklist("DOGE/USDT", "BNB/.*")
    assert {"DOGE/USDT", "BNB/.*"} <= set(added["blacklist"])
    assert added["errors"] == {}
    again = client.add_to_blacklist("DOGE/USDT")
    assert "DOGE/USDT" in again["errors"]
    removed = client.remove_from_blacklist("DOGE/USDT", "BNB/.*")
    assert "DOGE/USDT" not in removed["blacklist"] and "BNB/.*" not in removed["blacklist"]
    assert "ADA/USDT" in removed["blacklist"]
    missing = client.remove_from_blacklist("NOPE/USDT")
    assert "NOPE/USDT" in missing["errors"]


def test_pause_stopentry_stopbuy_then_start(client: FtClient) -> None:
    try:
        assert "paused" in client.pause()["status"]
        assert client.show_config()["state"] == "paused"
        with pytest.warns(DeprecationWarning):
            assert "paused" in client.stopentry()["status"]
        with pytest.warns(DeprecationWarning):
            assert "paused" in client.stopbuy()["status"]
    finally:
        client.start()
    wait_state(client, "running")


def test_stop_then_force_exit_is_rpc_error_then_start(client: FtClient) -> None:
    trade_id = client.status()[0]["trade_id"]
    try:
        assert client.stop()["status"] == "stopping trader ..."
        wait_state(client, "stopped")
        with pytest.raises(RpcError) as err:
            client.force_exit(trade_id)
        assert err.value.status == 502
        assert "trader is not running" in err.value.detail
        assert err.value.route == "/forceexit" and err.value.call == "force_exit"
    finally:
        started = client.start()
    assert started["status"] == "starting trader ..."
    wait_state(client, "running")
    assert client.trade(trade_id)["is_open"] is True


def test_reload_config_restores_running_state(client: FtClient, trade_bot: RunningBot) -> None:
    """reload_config rebuilds the pairlists from the file: re-add the seeded blacklist."""
    blacklist = client.blacklist()["blacklist"]
    try:
        assert "reload" in client.reload_config()["status"].lower()
        wait_state(client, "running", timeout=60)
        assert client.show_config()["bot_name"] == trade_bot.bot_name
    finally:
        missing = [p for p in blacklist if p not in client.blacklist()["blacklist"]]
        if missing:
            client.add_to_blacklist(*missing)
    assert set(blacklist) <= set(client.blacklist()["blacklist"])
