"""ftnotebook against freqtrade-client 2026.9, command line for command line, on real bots.

For every command ``freqtrade-client help`` lists, both tools run with the same
positional and keyword forms against the same bot, and must print the same JSON.
Fields that move between calls (a price tick, CPU load, ``last_analyzed``) are found,
not listed: ftnotebook runs before *and* after freqtrade-client, and a field that
differs between those two runs is left out of the comparison; everything else must
be equal. Where the bot answers an error, freqtrade-client prints the error body and
exits 0; ftnotebook exits 1 with the bot's words on stderr (its documented difference).

Writes (locks, blacklist, force entries/exits) run on the shared trade bot and are
undone; start/stop/stopbuy/reload_config and the ``ping`` states that need a stopped
or dead bot run on a throwaway bot of this module (``spare_bot``).

freqtrade-client runs as its real console script; ftnotebook runs in-process through
``ftnotebook.cli.main`` (the console script's entry point) to keep the run short.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ftnotebook import FtClient
from ftnotebook.cli import main
from ftnotebook.demo.launcher import RunningBot, RunningSimulator, start_bot
from tests.client.conftest import STRATEGY

FREQTRADE_CLIENT = Path(sys.executable).with_name("freqtrade-client")
_MISSING = object()


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out) if self.out.strip() else None


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("FTNOTEBOOK_")}


def theirs(bot: RunningBot, *argv: str) -> Run:
    """freqtrade-client's console script, as a user runs it."""
    done = subprocess.run(
        [str(FREQTRADE_CLIENT), "--config", str(bot.config_path), *argv],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=_env(),
    )
    return Run(done.returncode, done.stdout, done.stderr)


def ours(capsys: pytest.CaptureFixture[str], bot: RunningBot, *argv: str) -> Run:
    capsys.readouterr()
    code = main(["--config", str(bot.config_path), *argv])
    out, err = capsys.readouterr()
    return Run(code, out, err)


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    """``{"a": [{"b": 1}]}`` -> ``{"/a[0]/b": 1}``; empty containers are leaves."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{path}/{key}"))
        return out
    if isinstance(value, list) and value:
        out = {}
        for index, item in enumerate(value):
            out.update(flatten(item, f"{path}[{index}]"))
        return out
    return {path: value}


#: Fields that sample the machine at the instant of the call (``/sysinfo``'s CPU and
#: RAM load). Two calls a few milliseconds apart can differ even when the two calls
#: around freqtrade-client's agree, so only their presence and type are compared.
SAMPLED = ("/cpu_pct", "/cpu_load", "/cpu_avg", "/ram_pct")


def assert_same_json(before: Any, reference: Any, after: Any) -> int:
    """``reference`` equals ``before`` on every field that did not move before -> after.

    Fields under :data:`SAMPLED` are compared by type only.
    Returns how many fields were compared (the caller can require some).
    """
    a, b, c = flatten(before), flatten(reference), flatten(after)
    sampled = {p for p in a.keys() | b.keys() if p.startswith(SAMPLED)}
    for p in sampled:
        assert type(a.get(p)) is type(b.get(p)), f"{p}: {a.get(p)!r} vs {b.get(p)!r}"
    moving = {p for p in a.keys() | c.keys() if a.get(p, _MISSING) != c.get(p, _MISSING)}
    moving |= sampled
    steady_ours = {p: v for p, v in a.items() if p not in moving}
    steady_theirs = {p: v for p, v in b.items() if p not in moving}
    extra = sorted(steady_theirs.keys() - steady_ours.keys())
    missing = sorted(steady_ours.keys() - steady_theirs.keys())
    assert not extra and not missing, f"only freqtrade-client: {extra}; only ours: {missing}"
    diff = {p: (v, steady_theirs[p]) for p, v in steady_ours.items() if steady_theirs[p] != v}
    assert not diff, f"(ours, freqtrade-client) differ: {dict(list(diff.items())[:10])}"
    return len(steady_ours)


def assert_same_error(mine: Run, reference: Run) -> None:
    """The bot refused: freqtrade-client prints its body, ftnotebook its words (exit 1)."""
    detail = reference.json["detail"]
    assert reference.code == 0 and mine.code == 1 and mine.out == "", (mine, reference)
    assert str(detail) in mine.err, (detail, mine.err)


def wait_for_state(client: FtClient, state: str, attempts: int = 240) -> None:
    for _ in range(attempts):
        try:
            if client.show_config()["state"] == state:
                return
        except Exception:  # the worker restarts on reload_config
            pass
        time.sleep(0.5)
    raise AssertionError(f"the bot never reached state {state!r}")


def freqtrade_client_commands() -> list[str]:
    """The commands ``freqtrade-client help`` prints (names at the start of a line)."""
    done = subprocess.run(
        [str(FREQTRADE_CLIENT), "help"], capture_output=True, text=True, check=True, timeout=60
    )
    return [
        line.strip()
        for line in done.stdout.splitlines()
        if line.strip() and not line[0].isspace() and not line.startswith("Possible commands")
    ]


_SINCE = (datetime.now(UTC) - timedelta(days=2)).strftime("%Y%m%d") + "-"

#: Read commands: (bot, the argument forms to run with both tools).
READS: dict[str, tuple[str, list[list[str]]]] = {
    "available_pairs": (
        "webserver",
        [[], ["5m"], ["timeframe=5m"], ["5m", "USDT"], ["timeframe=5m", "stake_currency=USDT"]],
    ),
    "balance": ("trade", [[]]),
    "blacklist": ("trade", [[]]),
    "count": ("trade", [[]]),
    "daily": ("trade", [[], ["3"], ["days=3"]]),
    "entries": ("trade", [[], ["BTC/USDT"], ["pair=BTC/USDT"]]),
    "exits": ("trade", [[], ["ETH/USDT"], ["pair=ETH/USDT"]]),
    "health": ("trade", [[]]),
    "list_custom_data": ("trade", [["1"], ["trade_id=1"], ["1", "key=nope"]]),
    "list_open_trades_custom_data": ("trade", [[], ["key=nope"], ["nope", "5", "0"]]),
    "locks": ("trade", [[]]),
    "logs": ("trade", [["2"], ["limit=2"]]),
    "mix_tags": ("trade", [[], ["SOL/USDT"], ["pair=SOL/USDT"]]),
    "monthly": ("trade", [[], ["2"], ["months=2"]]),
    "pair_candles": (
        "trade",
        [["BTC/USDT", "5m", "3"], ["pair=BTC/USDT", "timeframe=5m", "limit=3"]],
    ),
    "pair_history": (
        "webserver",
        [
            ["BTC/USDT", "5m", STRATEGY],
            ["BTC/USDT", "5m", STRATEGY, _SINCE],
            ["pair=BTC/USDT", "timeframe=5m", f"strategy={STRATEGY}", f"timerange={_SINCE}"],
        ],
    ),
    "pairlists_available": ("webserver", [[]]),
    "performance": ("trade", [[]]),
    "ping": ("trade", [[]]),
    "plot_config": ("trade", [[]]),
    "profit": ("trade", [[]]),
    "show_config": ("trade", [[]]),
    "stats": ("trade", [[]]),
    "status": ("trade", [[]]),
    "strategies": ("webserver", [[]]),
    "strategy": ("trade", [[STRATEGY], [f"strategy={STRATEGY}"]]),
    "sysinfo": ("trade", [[]]),
    "trade": ("trade", [["1"], ["trade_id=1"]]),
    "trades": ("trade", [[], ["3"], ["3", "2"], ["limit=3", "offset=2"]]),
    "version": ("trade", [[]]),
    "weekly": ("trade", [[], ["2"], ["weeks=2"]]),
    "whitelist": ("trade", [[]]),
}

#: Commands compared by the write tests below.
WRITES = {
    "blacklist",
    "cancel_open_order",
    "delete_lock",
    "delete_trade",
    "forcebuy",
    "forceenter",
    "forceexit",
    "lock_add",
    "reload_config",
    "start",
    "stop",
    "stopbuy",
}


def test_every_command_of_freqtrade_client_help_is_compared() -> None:
    listed = freqtrade_client_commands()
    assert len(listed) >= 40, listed
    assert set(listed) == set(READS) | WRITES


@pytest.mark.parametrize("command", sorted(READS))
def test_read_command_prints_the_same_json(
    command: str,
    capsys: pytest.CaptureFixture[str],
    trade_bot: RunningBot,
    webserver_bot: RunningBot,
) -> None:
    which, forms = READS[command]
    bot = trade_bot if which == "trade" else webserver_bot
    for form in forms:
        before = ours(capsys, bot, command, *form)
        reference = theirs(bot, command, *form)
        if isinstance(reference.json, dict) and set(reference.json) == {"detail"}:
            assert_same_error(before, reference)
            continue
        after = ours(capsys, bot, command, *form)
        assert before.code == after.code == reference.code == 0, (before.err, reference.err)
        compared = assert_same_json(before.json, reference.json, after.json)
        assert compared >= 1, f"{command} {form}: nothing steady to compare"


@pytest.mark.parametrize(
    ("which", "argv"),
    [
        ("trade", ["strategies"]),
        ("trade", ["trade", "999999"]),
        ("webserver", ["count"]),
        ("webserver", ["pair_history", "BTC/USDT", "5m", "NoSuchStrategy"]),
    ],
)
def test_bot_errors_carry_the_same_words(
    which: str,
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    trade_bot: RunningBot,
    webserver_bot: RunningBot,
) -> None:
    bot = trade_bot if which == "trade" else webserver_bot
    assert_same_error(ours(capsys, bot, *argv), theirs(bot, *argv))


def test_pair_history_without_timerange_returns_every_candle(
    capsys: pytest.CaptureFixture[str], webserver_bot: RunningBot
) -> None:
    full = ours(capsys, webserver_bot, "pair_history", "BTC/USDT", "5m", STRATEGY).json
    since = ours(capsys, webserver_bot, "pair_history", "BTC/USDT", "5m", STRATEGY, _SINCE).json
    assert full["length"] > since["length"] > 0
    assert full["data_start"] < since["data_start"] and full["data_stop"] == since["data_stop"]


# ----------------------------------------------------------------- writes


def _new_lock(before: Any, after: Any) -> dict[str, Any]:
    known = {lock["id"] for lock in before["locks"]}
    (lock,) = [x for x in after["locks"] if x["id"] not in known]
    return dict(lock)


def _steady_lock(lock: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in lock.items() if k not in ("id", "lock_time", "lock_timestamp")}


@pytest.mark.parametrize(
    ("form", "reason", "side"),
    [
        (["{pair}", "{until}"], "", "*"),
        (["{pair}", "{until}", "long", "reason=[manual] news halt"], "[manual] news halt", "long"),
        (["pair={pair}", "until={until}", "side=*", "reason={tag} & more"], "{tag} & more", "*"),
    ],
    ids=["no-reason", "brackets", "keywords"],
)
def test_lock_add_and_delete_lock_match(
    form: list[str],
    reason: str,
    side: str,
    capsys: pytest.CaptureFixture[str],
    trade_bot: RunningBot,
    client: FtClient,
) -> None:
    """The same lock from the same line; without a reason both store ""."""
    until = (datetime.now(UTC) + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%SZ")
    argv = [a.replace("{pair}", "SOL/USDT").replace("{until}", until) for a in form]
    locks: dict[str, dict[str, Any]] = {}
    remaining: dict[str, set[int]] = {}
    for who in ("theirs", "ours"):
        before = client.locks()
        lock = _new_lock(before, _either(capsys, who, trade_bot, "lock_add", *argv).json)
        locks[who] = lock
        after = _either(capsys, who, trade_bot, "delete_lock", str(lock["id"])).json
        remaining[who] = {x["id"] for x in after["locks"]}
        assert lock["id"] not in remaining[who]
    assert locks["ours"]["reason"] == locks["theirs"]["reason"] == reason
    assert locks["ours"]["side"] == side and locks["ours"]["pair"] == "SOL/USDT"
    assert _steady_lock(locks["ours"]) == _steady_lock(locks["theirs"])
    assert remaining["ours"] == remaining["theirs"]


@pytest.mark.parametrize("entries", [["[XY]YZ/USDT"], ["DOGE/.*", "{AB}C/USDT"]])
def test_blacklist_adds_regex_entries_like_freqtrade_client(
    entries: list[str],
    capsys: pytest.CaptureFixture[str],
    trade_bot: RunningBot,
    client: FtClient,
) -> None:
    results = {}
    try:
        for name in ("theirs", "ours"):
            run = (
                theirs(trade_bot, "blacklist", *entries)
                if name == "theirs"
                else ours(capsys, trade_bot, "blacklist", *entries)
            )
            assert run.code == 0, run.err
            results[name] = run.json
            assert set(entries) <= set(run.json["blacklist"]), run.json
            client.remove_from_blacklist(*entries)
        assert results["ours"] == results["theirs"]
        # ... and the removal takes the same text back (ftnotebook only).
        client.add_to_blacklist(*entries)
        removed = ours(capsys, trade_bot, "remove_from_blacklist", *entries)
        assert removed.code == 0, removed.err
        assert not set(entries) & set(removed.json["blacklist"])
    finally:
        left = [e for e in entries if e in client.blacklist()["blacklist"]]
        if left:
            client.remove_from_blacklist(*left)


#: Trade fields that must be equal between two fresh force entries of the same pair.
_STEADY_TRADE = (
    "pair",
    "base_currency",
    "quote_currency",
    "is_open",
    "is_short",
    "exchange",
    "strategy",
    "enter_tag",
    "timeframe",
    "leverage",
    "trading_mode",
    "nr_of_successful_entries",
    "has_open_orders",
)


def _free_pair(client: FtClient) -> str:
    held = {t["pair"] for t in client.status()}
    return next(p for p in ("XRP/USDT", "SOL/USDT", "ETH/USDT") if p not in held)


def _same_trade(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert set(a) == set(b), set(a) ^ set(b)
    assert {k: a[k] for k in _STEADY_TRADE} == {k: b[k] for k in _STEADY_TRADE}
    # the stake is amount x price with the amount rounded to the market's step, so two
    # entries a moment apart (the price walks every minute) differ in the last digits
    assert a["stake_amount"] == pytest.approx(b["stake_amount"], rel=0.01)


def _either(capsys: pytest.CaptureFixture[str], who: str, bot: RunningBot, *argv: str) -> Run:
    run = theirs(bot, *argv) if who == "theirs" else ours(capsys, bot, *argv)
    assert run.code == 0, (who, argv, run.err, run.out)
    return run


@pytest.mark.parametrize(
    ("enter", "exit_"),
    [
        (["long", "stake_amount=25", "enter_tag={tag}"], ["{id}", "market"]),
        (
            ["side=long", "stake_amount=25", "order_type=market", "enter_tag=[cli]"],
            ["tradeid={id}", "ordertype=market"],
        ),
    ],
    ids=["positional", "keywords"],
)
def test_forceenter_and_forceexit_match(
    enter: list[str],
    exit_: list[str],
    capsys: pytest.CaptureFixture[str],
    trade_bot: RunningBot,
    client: FtClient,
) -> None:
    pair = _free_pair(client)
    first = [f"pair={pair}"] if enter[0].startswith("side=") else [pair]
    trades, exits = {}, {}
    for who in ("theirs", "ours"):
        trade = _either(capsys, who, trade_bot, "forceenter", *first, *enter).json
        trades[who] = trade
        argv = [a.replace("{id}", str(trade["trade_id"])) for a in exit_]
        exits[who] = _either(capsys, who, trade_bot, "forceexit", *argv).json
        assert exits[who] == {"result": f"Created exit order for trade {trade['trade_id']}."}
    _same_trade(trades["ours"], trades["theirs"])
    tag = enter[-1].split("=", 1)[1]
    assert trades["ours"]["enter_tag"] == tag


def test_forcebuy_matches(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    pair = _free_pair(client)
    trades = {}
    for who in ("theirs", "ours"):
        trades[who] = _either(capsys, who, trade_bot, "forcebuy", pair).json
        client.force_exit(trades[who]["trade_id"])
    _same_trade(trades["ours"], trades["theirs"])
    assert trades["ours"]["enter_tag"] == "force_entry"


def test_cancel_open_order_and_delete_trade_match(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    pair = _free_pair(client)
    cancelled, deleted = {}, {}
    for who in ("theirs", "ours"):
        trade = client.force_enter(pair, stake_amount=25)
        client.force_exit(trade["trade_id"], order_type="limit", price=trade["open_rate"] * 3)
        tid = str(trade["trade_id"])
        cancelled[who] = _either(capsys, who, trade_bot, "cancel_open_order", tid).json
        deleted[who] = _either(capsys, who, trade_bot, "delete_trade", f"trade_id={tid}").json
        assert cancelled[who]["has_open_orders"] is False and cancelled[who]["is_open"] is True
        assert deleted[who]["trade_id"] == trade["trade_id"]
    _same_trade(cancelled["ours"], cancelled["theirs"])
    strip = {"trade_id", "result_msg"}
    assert {k: v for k, v in deleted["ours"].items() if k not in strip} == {
        k: v for k, v in deleted["theirs"].items() if k not in strip
    }


# ------------------------------------------------------- a bot of our own


@pytest.fixture(scope="module")
def spare_bot(
    tmp_path_factory: pytest.TempPathFactory, simulator: RunningSimulator
) -> Iterator[RunningBot]:
    """A throwaway trade bot: stopped, paused, frozen and finally killed by the tests."""
    bot = start_bot(tmp_path_factory.mktemp("spare"), simulator_url=simulator.url)
    try:
        yield bot
    finally:
        bot.stop()


@pytest.fixture
def spare_client(spare_bot: RunningBot) -> Iterator[FtClient]:
    assert spare_bot.is_alive(), "the spare bot was killed by an earlier test"
    with FtClient(spare_bot.api_url, spare_bot.username, spare_bot.password) as c:
        yield c


def test_start_stop_stopbuy_reload_config_match(
    capsys: pytest.CaptureFixture[str], spare_bot: RunningBot, spare_client: FtClient
) -> None:
    """Each tool runs each command from the same bot state; the answers are the same."""
    steps = [  # (command, how to get the bot into the state it runs from, that state)
        ("stop", spare_client.start, "running"),
        ("start", spare_client.stop, "stopped"),
        ("start", spare_client.start, "running"),  # "already running"
        ("reload_config", None, "running"),
        ("stopbuy", spare_client.start, "running"),
    ]
    try:
        for command, reset, state in steps:
            answers = {}
            for who in ("theirs", "ours"):
                if reset is not None:
                    reset()
                wait_for_state(spare_client, state)
                answers[who] = _either(capsys, who, spare_bot, command).json
            assert answers["ours"] == answers["theirs"], command
            assert isinstance(answers["ours"]["status"], str) and answers["ours"]["status"]
    finally:
        _back_to_running(spare_client)


def _back_to_running(client: FtClient, attempts: int = 240) -> None:
    for _ in range(attempts):
        try:
            state = client.show_config()["state"]
            if state == "running":
                return
            if state in ("stopped", "paused"):
                client.start()
        except Exception:  # reloading: the API may refuse for a moment
            pass
        time.sleep(0.5)
    raise AssertionError("the spare bot did not get back to running")


def test_timeout_option_bounds_the_wait_for_a_frozen_bot(
    capsys: pytest.CaptureFixture[str], spare_bot: RunningBot, spare_client: FtClient
) -> None:
    """A bot that never answers (SIGSTOP: the port accepts, nothing replies)."""
    os.kill(spare_bot.pid, signal.SIGSTOP)
    try:
        run = ours(capsys, spare_bot, "--timeout", "1.5", "count")
    finally:
        os.kill(spare_bot.pid, signal.SIGCONT)
    assert run.code == 1 and run.out == ""
    assert "ftnotebook: count: GET /count:" in run.err
    assert "did not answer within 1.5 s" in run.err and "--timeout SECONDS" in run.err
    assert spare_client.count()["current"] == 0  # thawed, and answering again


def test_ping_prints_what_freqtrade_client_prints_in_every_state(
    capsys: pytest.CaptureFixture[str],
    trade_bot: RunningBot,
    webserver_bot: RunningBot,
    spare_bot: RunningBot,
    spare_client: FtClient,
) -> None:
    """running, paused, stopped, webserver mode, down: same stdout, same exit code 0.

    This test kills the spare bot at the end: keep it the last one using it.
    """

    def both(bot: RunningBot) -> tuple[Run, Run]:
        mine, reference = ours(capsys, bot, "ping"), theirs(bot, "ping")
        assert (mine.code, mine.out) == (reference.code, reference.out), (mine, reference)
        return mine, reference

    assert both(trade_bot)[0].json == {"status": "pong"}
    assert both(webserver_bot)[0].json == {"status": "not_running"}
    assert both(spare_bot)[0].json == {"status": "pong"}
    spare_client.pause()
    assert both(spare_bot)[0].json == {"status": "not_running"}
    spare_client.stop()
    wait_for_state(spare_client, "stopped")
    assert both(spare_bot)[0].json == {"status": "not_running"}
    spare_bot.stop()
    mine, _ = both(spare_bot)
    assert mine.json == {"status": "not_running"} and mine.code == 0
    assert "ftnotebook: ping:" in mine.err and "cannot reach the bot" in mine.err
    # The Python API keeps the raw route: /ping answers pong without a login.
    with FtClient(trade_bot.api_url, trade_bot.username, "wrong-password") as wrong:
        assert wrong.ping() == {"status": "pong"}
