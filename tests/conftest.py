"""Session fixtures: a real offline freqtrade stack for the whole test run.

``make test`` installs freqtrade into ``.venv-bot`` and sets ``FTNOTEBOOK_REQUIRE_BOT=1``,
so a missing bot fails the run. Someone running ``pytest`` by hand without freqtrade
gets a skip that says how to install it.

Fixtures:

* ``demo_stack``: :class:`ftnotebook.demo.stack.DemoStack`: simulator, seeded trade bot,
  webserver bot (started once per session).
* ``trade_bot`` / ``webserver_bot``: :class:`ftnotebook.demo.launcher.RunningBot`.
* ``simulator``: :class:`ftnotebook.demo.launcher.RunningSimulator` (``.url``, ``.shift()``).
* ``bot_api``: a minimal authenticated ``requests`` helper for the trade bot, for tests
  that check the bot itself rather than ftnotebook's client.
* ``futures_bot`` / ``futures_api``: the seeded isolated-margin futures dry-run bot on the
  same simulator (long and short trades at 1-5x, funding fees, two open positions). It is
  started lazily, on the first test that asks for it, once per session;
  ``futures_seeded`` is what its live seeding made (trade and lock ids).
* ``futures_webserver_bot`` / ``futures_webserver_api``: a webserver bot in futures mode
  over data downloaded in futures mode, for futures backtests (also lazy).
* ``fleet_bots``: the fleet's three bots by name (the trade bot as ``usdt-main``, a second
  USDT bot ``usdt-swing`` and the BTC-stake bot ``btc-cross``); the two extra bots are
  started lazily, on the first test that asks, once per session.

The shared-bot guard (``_shared_bot_guard``, autouse): after every test that uses the
stack, the trade bot (and the futures bot, once started) must be as the guard first found
it: open trades, locks, blacklist, whitelist, state (see ``tests/_botguard.py``). A test
that leaves something behind fails at teardown with the list, and the guard restores it,
so the next test still sees the seeded bot.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from ftnotebook.demo.errors import FreqtradeNotFound
from ftnotebook.demo.launcher import RunningBot, RunningSimulator, find_freqtrade
from ftnotebook.demo.stack import DemoStack, start_stack
from tests._botguard import BotState, GuardedBot, diff, restore, snapshot

REQUIRE_BOT = os.environ.get("FTNOTEBOOK_REQUIRE_BOT") == "1"
TIMINGS_FILE = Path(os.environ.get("FTNOTEBOOK_TIMINGS_FILE", ".pytest_cache/ftnb-timings.json"))
_timings: dict[str, float] = {}


def freqtrade_or_skip() -> Path:
    """The freqtrade executable; skip (or fail under ``make test``) when it is missing."""
    try:
        return find_freqtrade()
    except FreqtradeNotFound as exc:
        if REQUIRE_BOT:
            pytest.fail(f"FTNOTEBOOK_REQUIRE_BOT=1 but {exc}", pytrace=False)
        pytest.skip(f"needs a real freqtrade bot and none is installed: {exc}")


@pytest.fixture(scope="session")
def demo_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoStack]:
    freqtrade_or_skip()
    stack = start_stack(tmp_path_factory.mktemp("stack"))
    _timings.update(stack.timings)
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def trade_bot(demo_stack: DemoStack) -> RunningBot:
    return demo_stack.trade_bot


@pytest.fixture(scope="session")
def webserver_bot(demo_stack: DemoStack) -> RunningBot:
    assert demo_stack.webserver_bot is not None
    return demo_stack.webserver_bot


@pytest.fixture(scope="session")
def simulator(demo_stack: DemoStack) -> RunningSimulator:
    return demo_stack.simulator


class BotApi:
    """Plain authenticated GET/POST/DELETE on a bot, returning parsed JSON (status checked)."""

    def __init__(self, bot: RunningBot) -> None:
        self.base = f"{bot.api_url}/api/v1"
        self.session = requests.Session()
        self.session.auth = (bot.username, bot.password)

    def __call__(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.session.request(
            method, f"{self.base}/{path.lstrip('/')}", timeout=60, **kwargs
        )
        assert response.status_code == 200, (method, path, response.status_code, response.text)
        return response.json()

    def get(self, path: str, **params: Any) -> Any:
        return self("GET", path, params=params or None)


@pytest.fixture(scope="session")
def bot_api(trade_bot: RunningBot) -> BotApi:
    return BotApi(trade_bot)


@pytest.fixture(scope="session")
def webserver_api(webserver_bot: RunningBot) -> BotApi:
    return BotApi(webserver_bot)


@pytest.fixture(scope="session")
def futures_bot(demo_stack: DemoStack) -> RunningBot:
    bot = demo_stack.start_futures_bot()
    _timings.update({k: v for k, v in demo_stack.timings.items() if k.startswith("futures")})
    return bot


@pytest.fixture(scope="session")
def futures_seeded(demo_stack: DemoStack, futures_bot: RunningBot) -> dict[str, Any]:
    return demo_stack.futures_seeded


@pytest.fixture(scope="session")
def futures_api(futures_bot: RunningBot) -> BotApi:
    return BotApi(futures_bot)


@pytest.fixture(scope="session")
def futures_webserver_bot(demo_stack: DemoStack) -> RunningBot:
    bot = demo_stack.start_futures_webserver_bot()
    _timings.update({k: v for k, v in demo_stack.timings.items() if k.startswith("futures")})
    return bot


@pytest.fixture(scope="session")
def futures_webserver_api(futures_webserver_bot: RunningBot) -> BotApi:
    return BotApi(futures_webserver_bot)


@pytest.fixture(scope="session")
def fleet_bots(demo_stack: DemoStack) -> dict[str, RunningBot]:
    bots = demo_stack.start_fleet()
    _timings.update({k: v for k, v in demo_stack.timings.items() if k.startswith("fleet")})
    return bots


_GUARDED: dict[str, tuple[GuardedBot, BotState]] = {}
"""Per shared bot: plain-HTTP access and the reference state, taken when first met."""


def _guard_new_bots(stack: DemoStack) -> None:
    shared = {"trade bot": stack.trade_bot, "futures bot": stack.futures_bot}
    for name, bot in shared.items():
        if bot is not None and name not in _GUARDED:
            guarded = GuardedBot(name, bot.api_url, bot.username, bot.password)
            _GUARDED[name] = (guarded, snapshot(guarded))


def check_and_restore_shared_bots() -> list[str]:
    """One line per shared bot that differs from its reference (and is now restored)."""
    leaks: list[str] = []
    for name, (guarded, reference) in _GUARDED.items():
        if found := diff(reference, snapshot(guarded)):
            lost = restore(guarded, reference)
            leaks.append(f"{name}: " + "; ".join(found + lost))
    return leaks


@pytest.fixture(autouse=True)
def _shared_bot_guard(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail (and undo) any test that leaves the shared bots changed; one snapshot per test."""
    if "demo_stack" not in request.fixturenames:
        yield
        return
    stack: DemoStack = request.getfixturevalue("demo_stack")
    if "futures_bot" in request.fixturenames:
        request.getfixturevalue("futures_bot")  # started before its reference is taken
    _guard_new_bots(stack)
    yield
    _guard_new_bots(stack)  # a futures bot started by the test itself
    if leaks := check_and_restore_shared_bots():
        pytest.fail(
            "the test left the shared bot changed (now restored where possible): "
            + " | ".join(leaks),
            pytrace=False,
        )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print how long the bots took to start and seed, for the closing notes."""
    if not _timings:
        return
    terminalreporter.section("ftnotebook bot timings")
    for key, value in _timings.items():
        terminalreporter.write_line(f"{key:>24}: {value:6.2f} s")
    TIMINGS_FILE.parent.mkdir(parents=True, exist_ok=True)
    TIMINGS_FILE.write_text(json.dumps(_timings, indent=2), encoding="utf-8")
