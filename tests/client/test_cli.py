"""The ``ftnotebook`` CLI runs every freqtrade-client command against the demo bots.

The list of commands is read from the installed ``freqtrade_client`` itself, so a
command added upstream fails ``test_every_freqtrade_client_command_is_covered``.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from freqtrade_client import FtRestClient

from ftnotebook import FtClient
from ftnotebook.cli import commands, main, split_arguments
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
) -> None:
    args, which, check = READS[command]
    bot = trade_bot if which == "trade" else webserver_bot
    code, result, err = run(capsys, bot, command, *args)
    assert code == 0, err
    assert check(result), result


def test_lock_add_then_delete_lock(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot
) -> None:
    until = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%SZ")
    code, locks, err = run(capsys, trade_bot, "lock_add", "SOL/USDT", until, "reason=cli test")
    assert code == 0, err
    lock_id = next(x["id"] for x in locks["locks"] if x.get("reason") == "cli test")
    code, after, err = run(capsys, trade_bot, "delete_lock", str(lock_id))
    assert code == 0, err
    assert all(x["id"] != lock_id for x in after["locks"])


def _free_pair(client: FtClient) -> str:
    held = {t["pair"] for t in client.status()}
    return next(p for p in reversed(PAIRS) if p not in held)


def test_forceenter_forceexit_forcebuy(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    pair = _free_pair(client)
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
    client.force_exit(bought["trade_id"])


def test_delete_trade_and_cancel_open_order(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    pair = _free_pair(client)
    trade = client.force_enter(pair, stake_amount=25)
    client.force_exit(trade["trade_id"], order_type="limit", price=trade["open_rate"] * 3)
    code, after, err = run(capsys, trade_bot, "cancel_open_order", str(trade["trade_id"]))
    assert code == 0, err
    assert after["has_open_orders"] is False and after["is_open"] is True
    code, deleted, err = run(capsys, trade_bot, "delete_trade", str(trade["trade_id"]))
    assert code == 0, err
    assert deleted["trade_id"] == trade["trade_id"]


def test_custom_data_commands_report_the_bots_404(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    """FtnbDemo keeps no custom data: the bot answers 404, printed with exit code 1."""
    code, out, err = run(capsys, trade_bot, "list_open_trades_custom_data")
    assert code == 1 and out is None
    assert err.startswith("ftnotebook: open_trades_custom_data(): GET /trades/open/custom-data")
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
        deadline = datetime.now(UTC) + timedelta(seconds=60)
        while client.show_config()["state"] != "running":
            assert datetime.now(UTC) < deadline
        missing = [p for p in blacklist if p not in client.blacklist()["blacklist"]]
        if missing:
            client.add_to_blacklist(*missing)


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
    assert (
        err.strip() == "ftnotebook: trade(): GET /trade/999999 -> 404 Not Found: Trade not found."
    )
    code, _, err = run(capsys, trade_bot, "strategies")
    assert code == 1 and "freqtrade webserver" in err
    code, _, err = run(capsys, trade_bot, "trades", "limit=-1")
    assert code == 1 and "limit must be >= 1, got -1" in err
    code, _, err = run(capsys, trade_bot, "trade")
    assert code == 1 and "missing 1 required positional argument" in err
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
    args, kwargs = split_arguments(["BTC/USDT", "until=2030-01-01T00:00:00+00:00", '["a"]'])
    assert args == ["BTC/USDT", ["a"]]
    assert kwargs == {"until": "2030-01-01T00:00:00+00:00"}


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
