"""The ``ftnotebook`` CLI runs every freqtrade-client command against the demo bots.

The list of commands is read from the installed ``freqtrade_client`` itself, so a
command added upstream fails ``test_every_freqtrade_client_command_is_covered``.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from freqtrade_client import FtRestClient

from ftnotebook import FtClient, FtNotebookError
from ftnotebook._cli_commands import UsageError, convert_arguments
from ftnotebook.cli import EXIT_BROKEN_PIPE, commands, main, split_arguments
from ftnotebook.demo.launcher import RunningBot
from tests.client.conftest import PAIRS, STRATEGY

FREQTRADE_CLIENT_COMMANDS = sorted(
    name for name, _ in inspect.getmembers(FtRestClient) if not name.startswith("_")
)

#: Read-only commands: (command, arguments, bot, a check on the printed JSON).
READS: dict[str, tuple[list[str], str, Any]] = {
    "available_pairs": (["5m"], "webserver", lambda r: r["pairs"] == PAIRS),
    "balance": ([], "trade", lambda r: r["stake"] == "USDT"),
    "blacklist": ([], "trade", lambda r: "ADA/USDT" in r["blacklist"]),
    "count": ([], "trade", lambda r: r["current"] >= 2),
    "daily": (["3"], "trade", lambda r: len(r["data"]) == 3),
    "entries": ([], "trade", lambda r: sum(e["count"] for e in r) >= 60),
    "exits": (["pair=BTC/USDT"], "trade", lambda r: isinstance(r, list) and r),
    "health": ([], "trade", lambda r: r["last_process_ts"] > 0),
    "locks": ([], "trade", lambda r: r["lock_count"] >= 1),
    "logs": (["limit=2"], "trade", lambda r: r["log_count"] == 2),
    "mix_tags": ([], "trade", lambda r: isinstance(r, list) and r),
    "monthly": ([], "trade", lambda r: len(r["data"]) == 3),
    "pair_candles": (["BTC/USDT", "5m", "limit=3"], "trade", lambda r: r["length"] == 3),
    "pair_history": (
        [
            "BTC/USDT",
            "5m",
            STRATEGY,
            "timerange=" + (datetime.now(UTC) - timedelta(days=2)).strftime("%Y%m%d") + "-",
        ],
        "webserver",
        lambda r: r["length"] > 200 and r["strategy"] == STRATEGY,
    ),
    "pairlists_available": ([], "webserver", lambda r: len(r["pairlists"]) > 5),
    "performance": ([], "trade", lambda r: {x["pair"] for x in r} <= set(PAIRS)),
    "ping": ([], "trade", lambda r: r == {"status": "pong"}),
    "plot_config": ([], "trade", lambda r: "main_plot" in r),
    "profit": ([], "trade", lambda r: r["closed_trade_count"] >= 60),
    "show_config": ([], "trade", lambda r: r["runmode"] == "dry_run"),
    "stats": ([], "trade", lambda r: r["exit_reasons"]),
    "status": ([], "trade", lambda r: len(r) >= 2),
    "strategies": ([], "webserver", lambda r: STRATEGY in r["strategies"]),
    "strategy": ([STRATEGY], "trade", lambda r: r["strategy"] == STRATEGY),
    "sysinfo": ([], "trade", lambda r: r["cpu_count"] >= 1),
    "trade": (["1"], "trade", lambda r: r["trade_id"] == 1),
    "trades": (["limit=3", "offset=2"], "trade", lambda r: r["trades_count"] == 3),
    "version": ([], "trade", lambda r: r["version"].startswith("2026.")),
    "weekly": (["2"], "trade", lambda r: len(r["data"]) == 2),
    "whitelist": ([], "trade", lambda r: r["whitelist"] == PAIRS),
}


def _closed(client: FtClient, pair: str | None = None) -> list[dict[str, Any]]:
    trades = client.trades(limit=500)["trades"]
    return [t for t in trades if not t["is_open"] and pair in (None, t["pair"])]


#: Read commands whose printed JSON is checked value by value against the bot's trades
#: (read through FtClient, not through the CLI under test).
DEEP_CHECKS: dict[str, Any] = {
    "exits": lambda r, c: (
        sorted((x["exit_reason"], x["count"]) for x in r)
        == sorted(Counter(t["exit_reason"] for t in _closed(c, "BTC/USDT")).items())
    ),
    "mix_tags": lambda r, c: (
        sorted((x["mix_tag"], x["count"]) for x in r)
        == sorted(Counter(f"{t['enter_tag']} {t['exit_reason']}" for t in _closed(c)).items())
    ),
    "stats": lambda r, c: (
        {k: sum(v.values()) for k, v in r["exit_reasons"].items()}
        == dict(Counter(t["exit_reason"] for t in _closed(c)))
    ),
    "locks": lambda r, c: (
        r["lock_count"] == len(r["locks"]) == len(c.locks()["locks"])
        and any(x["pair"] == "XRP/USDT" and x["reason"] == "ftnb seed lock" for x in r["locks"])
    ),
}

#: Commands exercised by dedicated tests below (they write, or need a setup).
WRITES = {
    "cancel_open_order",
    "delete_lock",
    "delete_trade",
    "forcebuy",
    "forceenter",
    "forceexit",
    "list_custom_data",
    "list_open_trades_custom_data",
    "lock_add",
    "reload_config",
    "start",
    "stop",
    "stopbuy",
}


def run(capsys: pytest.CaptureFixture[str], bot: RunningBot, *argv: str) -> tuple[int, Any, str]:
    code = main(["--config", str(bot.config_path), *argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_every_freqtrade_client_command_is_covered() -> None:
    assert set(FREQTRADE_CLIENT_COMMANDS) == set(READS) | WRITES
    assert set(FREQTRADE_CLIENT_COMMANDS) <= set(commands())


@pytest.mark.parametrize("command", sorted(READS))
def test_read_command(
    command: str,
    capsys: pytest.CaptureFixture[str],
    trade_bot: RunningBot,
    webserver_bot: RunningBot,
    client: FtClient,
) -> None:
    args, which, check = READS[command]
    bot = trade_bot if which == "trade" else webserver_bot
    code, result, err = run(capsys, bot, command, *args)
    assert code == 0, err
    assert check(result), result
    if command in DEEP_CHECKS:
        assert DEEP_CHECKS[command](result, client), result


def test_lock_add_then_delete_lock(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    until = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%SZ")
    before = {x["id"] for x in client.locks()["locks"]}
    try:
        code, locks, err = run(capsys, trade_bot, "lock_add", "SOL/USDT", until, "reason=cli test")
        assert code == 0, err
        (lock,) = [x for x in locks["locks"] if x["id"] not in before]
        assert (lock["pair"], lock["reason"]) == ("SOL/USDT", "cli test")
        code, after, err = run(capsys, trade_bot, "delete_lock", str(lock["id"]))
        assert code == 0, err
        assert all(x["id"] != lock["id"] for x in after["locks"])
    finally:
        for x in client.locks()["locks"]:
            if x["id"] not in before and x["reason"] == "cli test":
                client.delete_lock(x["id"])


def _free_pair(client: FtClient) -> str:
    held = {t["pair"] for t in client.status()}
    return next(p for p in reversed(PAIRS) if p not in held)


def test_forceenter_forceexit_forcebuy(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    pair = _free_pair(client)
    before = {t["trade_id"] for t in client.status()}
    try:
        code, trade, err = run(
            capsys, trade_bot, "forceenter", pair, "long", "stake_amount=25", "enter_tag=cli"
        )
        assert code == 0, err
        assert trade["pair"] == pair and trade["enter_tag"] == "cli"
        code, res, err = run(capsys, trade_bot, "forceexit", str(trade["trade_id"]), "market")
        assert code == 0, err
        assert res["result"] == f"Created exit order for trade {trade['trade_id']}."

        code, bought, err = run(capsys, trade_bot, "forcebuy", pair)
        assert code == 0, err
        assert bought["pair"] == pair and bought["is_open"] is True
    finally:
        _exit_new_trades(client, before)


def _exit_new_trades(client: FtClient, before: set[int]) -> None:
    """Close whatever the test opened (identified by id), even when an assert failed."""
    for t in client.status():
        if t["trade_id"] not in before:
            client.force_exit(t["trade_id"])


def test_delete_trade_and_cancel_open_order(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    pair = _free_pair(client)
    before = {t["trade_id"] for t in client.status()}
    try:
        trade = client.force_enter(pair, stake_amount=25)
        client.force_exit(trade["trade_id"], order_type="limit", price=trade["open_rate"] * 3)
        code, after, err = run(capsys, trade_bot, "cancel_open_order", str(trade["trade_id"]))
        assert code == 0, err
        assert after["has_open_orders"] is False and after["is_open"] is True
        code, deleted, err = run(capsys, trade_bot, "delete_trade", str(trade["trade_id"]))
        assert code == 0, err
        assert deleted["trade_id"] == trade["trade_id"]
    finally:
        _exit_new_trades(client, before)


def test_custom_data_commands_report_the_bots_404(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    """FtnbDemo keeps no custom data: the bot answers 404, printed with exit code 1."""
    code, out, err = run(capsys, trade_bot, "list_open_trades_custom_data")
    assert code == 1 and out is None
    assert err.startswith(
        "ftnotebook: list_open_trades_custom_data: GET /trades/open/custom-data -> 404"
    )
    trade_id = client.status()[0]["trade_id"]
    code, out, err = run(capsys, trade_bot, "list_custom_data", str(trade_id))
    assert code == 1 and "404 Not Found" in err


def test_stopbuy_stop_start_reload_config(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    blacklist = client.blacklist()["blacklist"]
    try:
        code, res, err = run(capsys, trade_bot, "stopbuy")
        assert code == 0 and "paused" in res["status"], err
        code, res, err = run(capsys, trade_bot, "stop")
        assert code == 0 and res["status"] == "stopping trader ...", err
    finally:
        code, res, err = run(capsys, trade_bot, "start")
    assert code == 0 and res["status"] == "starting trader ...", err
    try:
        code, res, err = run(capsys, trade_bot, "reload_config")
        assert code == 0 and "reload" in res["status"].lower(), err
    finally:
        _wait_until_trading_again(client)
        missing = [p for p in blacklist if p not in client.blacklist()["blacklist"]]
        if missing:
            client.add_to_blacklist(*missing)


def _wait_until_trading_again(client: FtClient, attempts: int = 240) -> None:
    """After reload_config: running again, and every pair analysed again.

    The bot is "running" before its new worker has analysed the candles; until then
    /pair_candles answers an empty frame, which later tests would read as a failure.
    """
    for _ in range(attempts):
        try:
            if client.show_config()["state"] == "running" and all(
                client.pair_candles(pair, "5m", limit=1)["length"] for pair in PAIRS
            ):
                return
        except FtNotebookError:  # the API restarts with the worker
            pass
        time.sleep(0.5)
    raise AssertionError("the trade bot did not come back after reload_config")


def test_native_commands_with_lists_and_json(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, webserver_bot: RunningBot
) -> None:
    code, res, err = run(
        capsys, trade_bot, "pair_candles_filtered", "BTC/USDT", "5m", "rsi,macd", "limit=2"
    )
    assert code == 0, err
    assert {"rsi", "macd"} <= set(res["columns"]) and "ema_fast" not in res["columns"]
    code, res, err = run(
        capsys, webserver_bot, "evaluate_pairlists", '[{"method": "StaticPairList"}]', "USDT"
    )
    assert code == 0, err
    assert res["job_id"]


def test_errors_exit_non_zero_with_message(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot
) -> None:
    code, out, err = run(capsys, trade_bot, "trade", "999999")
    assert code == 1 and out is None
    assert err.strip() == "ftnotebook: trade: GET /trade/999999 -> 404 Not Found: Trade not found."
    code, _, err = run(capsys, trade_bot, "strategies")
    assert code == 1 and "freqtrade webserver" in err
    code, _, err = run(capsys, trade_bot, "trades", "limit=-1")
    assert code == 1 and "limit must be >= 1, got -1" in err
    code, _, err = run(capsys, trade_bot, "trade")
    assert code == 1
    assert err.strip() == (
        "ftnotebook: trade: missing a required argument: 'trade_id'. "
        "Usage: ftnotebook trade <trade_id>"
    )
    code, _, err = run(capsys, trade_bot, "no_such_command")
    assert code == 2 and "unknown command 'no_such_command'" in err


def test_wrong_password_from_env(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FTNOTEBOOK_URL", trade_bot.api_url)
    monkeypatch.setenv("FTNOTEBOOK_USERNAME", trade_bot.username)
    monkeypatch.setenv("FTNOTEBOOK_PASSWORD", "wrong-cli-pass")
    assert main(["count"]) == 1
    out, err = capsys.readouterr()
    assert "401 Unauthorized" in err and "wrong-cli-pass" not in err + out
    monkeypatch.setenv("FTNOTEBOOK_PASSWORD", trade_bot.password)
    assert main(["--jwt", "count"]) == 0
    assert json.loads(capsys.readouterr().out)["max"] == 10


def test_missing_config_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["--config", str(tmp_path / "nope.json"), "count"]) == 1
    assert "config file not found" in capsys.readouterr().err


def test_help_lists_commands_with_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["help"]) == 0
    text = capsys.readouterr().out
    for name in FREQTRADE_CLIENT_COMMANDS:
        assert f"\n{name}" in text
    assert "lock_add <pair> <until> [side='*'] [reason='']" in text
    assert "add_lock <pair> <until> [side='*'] [reason=None]" in text


def test_split_arguments() -> None:
    args, kwargs = split_arguments(
        ["BTC/USDT", "until=2030-01-01T00:00:00+00:00", '["a"]', "reason=a=b", "a b=c"]
    )
    assert args == ["BTC/USDT", '["a"]', "a b=c"]
    assert kwargs == {"until": "2030-01-01T00:00:00+00:00", "reason": "a=b"}


def test_console_script_runs(trade_bot: RunningBot) -> None:
    exe = Path(sys.executable).with_name("ftnotebook")
    done = subprocess.run(
        [str(exe), "-c", str(trade_bot.config_path), "count"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["max"] == 10


# ------------------------------------------------------- arguments and messages


def _converted(command: str, *raw: str) -> tuple[list[Any], dict[str, Any]]:
    return convert_arguments(commands()[command], *split_arguments(list(raw)))


def test_json_is_read_only_where_a_list_or_dict_is_taken() -> None:
    # Text parameters keep what the user typed, brackets and braces included.
    assert _converted("blacklist", "[XY]YZ/USDT", "{A}B/USDT") == (
        ["[XY]YZ/USDT", "{A}B/USDT"],
        {},
    )
    assert _converted("remove_from_blacklist", "[XY]YZ/USDT")[0] == ["[XY]YZ/USDT"]
    assert _converted("lock_add", "XRP/USDT", "2030-01-01", "reason=[manual] news halt")[1] == {
        "reason": "[manual] news halt"
    }
    assert _converted("forceenter", "BTC/USDT", "long", "enter_tag={tag}")[1] == {
        "enter_tag": "{tag}"
    }
    assert _converted("add_lock", "XRP/USDT", "2030-01-01", 'reason=["x"]')[1] == {
        "reason": '["x"]'
    }
    # List parameters take JSON or a,b; dict parameters take JSON only.
    assert _converted("pair_candles", "BTC/USDT", "5m", 'columns=["rsi", "macd"]')[1] == {
        "columns": ["rsi", "macd"]
    }
    assert _converted("pair_candles_filtered", "BTC/USDT", "5m", "rsi,macd")[0][2] == [
        "rsi",
        "macd",
    ]
    assert _converted("download_data", "[XY]YZ/USDT")[0] == [["[XY]YZ/USDT"]]
    pairlists = _converted("evaluate_pairlists", '[{"method": "StaticPairList"}]', "USDT")[0]
    assert pairlists == [[{"method": "StaticPairList"}], "USDT"]
    with pytest.raises(UsageError, match="pairlists takes JSON"):
        _converted("evaluate_pairlists", "[{method: StaticPairList}]", "USDT")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["pair_candles"], "ftnotebook: pair_candles: missing a required argument: 'pair'."),
        (["lock_add", "XRP/USDT"], "ftnotebook: lock_add: missing a required argument: 'until'"),
        (["trades", "nope=1"], "ftnotebook: trades: got an unexpected keyword argument 'nope'"),
        (["count", "1"], "ftnotebook: count: too many positional arguments. Usage: "),
        (["pair_history", "BTC/USDT"], "Usage: ftnotebook pair_history <pair> <timeframe>"),
    ],
)
def test_argument_errors_name_the_command_and_send_nothing(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Checked before any connection: the config does not even need to exist."""
    assert main(["--config", str(tmp_path / "absent.json"), *argv]) == 1
    assert message in capsys.readouterr().err


def test_client_checks_name_the_command_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The client's own checks run before a request: port 9 (discard) is never asked."""
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps({"api_server": {"listen_ip_address": "127.0.0.1", "listen_port": 9}})
    )
    assert main(["--config", str(config), "daily", "3", "days=3"]) == 1
    assert capsys.readouterr().err.strip() == (
        "ftnotebook: daily: give timescale= or days= (the same thing), not both"
    )


def test_forcebuy_errors_say_forcebuy(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot
) -> None:
    code, out, err = run(capsys, trade_bot, "forcebuy", "NOPE/USDT")
    assert code == 1 and out is None
    assert err.startswith("ftnotebook: forcebuy: POST /forcebuy -> 502"), err
    code, _, err = run(capsys, trade_bot, "forcebuy", "BTC/USDT", "price=-1")
    assert code == 1 and err.strip() == "ftnotebook: forcebuy: price must be > 0, got -1.0"


def test_help_for_one_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["help", "forceenter"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(
        "usage: ftnotebook [options] forceenter <pair> <side> [price=None] "
        "[order_type=None] [stake_amount=None] [leverage=None] [enter_tag=None]\n"
    )
    assert "  enter_tag=...: str | None = None" in text
    assert "FtClient: ``force_enter(pair, side, price=" in text  # the whole docstring
    assert "Open a trade" in text and "Possible commands" not in text
    assert main(["help", "pair_candles_filtered"]) == 0
    assert "  columns: list[str] (JSON list or a,b)" in capsys.readouterr().out
    assert main(["help", "forceentr"]) == 2
    assert "unknown command 'forceentr'. Did you mean: forceenter" in capsys.readouterr().err


def test_lock_add_without_reason_stores_an_empty_reason(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    until = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%SZ")
    before = {x["id"] for x in client.locks()["locks"]}
    code, locks, err = run(capsys, trade_bot, "lock_add", "ETH/USDT", until, "side=long")
    assert code == 0, err
    (lock,) = [x for x in locks["locks"] if x["id"] not in before]
    try:
        assert lock["reason"] == "" and lock["side"] == "long"
        code, locks, err = run(capsys, trade_bot, "lock_add", "ETH/USDT", until, "reason=x=y")
        (second,) = [x for x in locks["locks"] if x["id"] not in before | {lock["id"]}]
        assert second["reason"] == "x=y"  # only the first = splits
        client.delete_lock(second["id"])
        # The Python API stores null unless asked for "".
        third = client.add_lock("ETH/USDT", until)
        (added,) = [x for x in third["locks"] if x["id"] not in before | {lock["id"]}]
        assert added["reason"] is None
        client.delete_lock(added["id"])
    finally:
        client.delete_lock(lock["id"])


def test_freqtrade_client_period_keywords_in_python(client: FtClient) -> None:
    for _ in range(3):  # three reads; read again if midnight UTC fell between them
        first, second, third = client.daily(days=3), client.daily(3), client.daily(timescale=3)
        if first["data"][0]["date"] == third["data"][0]["date"]:
            break
    assert first == second == third
    assert len(client.weekly(weeks=2)["data"]) == 2
    assert len(client.monthly(months=2)["data"]) == 2
    with pytest.raises(ValueError, match="give timescale= or weeks="):
        client.weekly(2, weeks=2)
    with pytest.raises(ValueError, match="months must be >= 1"):
        client.monthly(months=0)


def test_pair_history_timerange_is_optional_in_python(ws_client: FtClient) -> None:
    everything = ws_client.pair_history("BTC/USDT", "5m", strategy=STRATEGY)
    assert (
        everything["length"]
        == ws_client.pair_history("BTC/USDT", "5m", "20000101-", STRATEGY)["length"]
    )
    assert everything["length"] > 200
    with pytest.raises(ValueError, match="pass strategy='FtnbDemo'"):
        ws_client.pair_history("BTC/USDT", "5m", STRATEGY)  # freqtrade-client's order
    with pytest.raises(ValueError, match="needs strategy="):
        ws_client.pair_history("BTC/USDT", "5m", "20260101-")


def test_iter_trades_prints_every_trade_as_one_json_list(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    code, listed, err = run(capsys, trade_bot, "iter_trades", "page_size=25")
    assert code == 0, err
    total = client.trades(limit=1)["total_trades"]
    assert [t["trade_id"] for t in listed] == [t["trade_id"] for t in client.iter_trades()]
    assert len(listed) == total > 25


def test_closed_pipe_ends_quietly(trade_bot: RunningBot) -> None:
    """``ftnotebook trades | head -c 20``: the reader is gone before anything is written."""
    exe = Path(sys.executable).with_name("ftnotebook")
    proc = subprocess.Popen(
        [str(exe), "-c", str(trade_bot.config_path), "trades"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == EXIT_BROKEN_PIPE
    assert err == ""


def test_timeout_option_is_checked(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--timeout", "0", "count"])
    assert exc.value.code == 2
    assert "--timeout: must be a number of seconds > 0, got '0'" in capsys.readouterr().err
