"""The launcher's failure modes, each produced for real, and its clean stop.

Every launch error must say what went wrong and what to do, and leave nothing running.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ftnotebook.demo import processes
from ftnotebook.demo.botconfig import Credentials
from ftnotebook.demo.errors import (
    BotExitedEarly,
    FreqtradeNotFound,
    PortInUse,
    SimulatorUnreachable,
    WrongBotAnswering,
)
from ftnotebook.demo.launcher import (
    FREQTRADE_ENV,
    RunningBot,
    RunningSimulator,
    _wait_ready,
    find_freqtrade,
    start_bot,
)
from tests.conftest import freqtrade_or_skip


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0); treat it as gone
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def test_missing_freqtrade_says_how_to_install(tmp_path: Path) -> None:
    with pytest.raises(FreqtradeNotFound, match="make bot-venv") as info:
        start_bot(tmp_path, simulator_url="http://127.0.0.1:1", freqtrade=tmp_path / "nope")
    assert str(tmp_path / "nope") in str(info.value)
    assert not (tmp_path / "config.json").exists(), "nothing was written"


def test_missing_freqtrade_from_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(FREQTRADE_ENV, str(tmp_path / "bin" / "freqtrade"))
    with pytest.raises(FreqtradeNotFound, match=FREQTRADE_ENV):
        find_freqtrade()


def test_port_in_use_is_refused_before_starting(
    tmp_path: Path, busy_port: int, simulator: RunningSimulator
) -> None:
    with pytest.raises(PortInUse, match=f"port {busy_port}") as info:
        start_bot(tmp_path, simulator_url=simulator.url, api_port=busy_port)
    assert "pick another port" in str(info.value)
    assert not (tmp_path / "console.log").exists(), "no bot process was started"


def test_unreachable_simulator_is_named(tmp_path: Path) -> None:
    freqtrade_or_skip()
    url = f"http://127.0.0.1:{processes.free_port()}"
    with pytest.raises(SimulatorUnreachable, match=url) as info:
        start_bot(tmp_path, simulator_url=url)
    assert "start_simulator" in str(info.value)


def test_bot_exiting_early_shows_its_log(tmp_path: Path) -> None:
    """Skipping the simulator check lets freqtrade start and fail to load markets."""
    freqtrade_or_skip()
    url = f"http://127.0.0.1:{processes.free_port()}"
    with pytest.raises(BotExitedEarly) as info:
        start_bot(tmp_path, simulator_url=url, check_simulator=False, timeout=60)
    message = str(info.value)
    assert "exited with code" in message
    assert "last lines of the bot's log" in message
    assert "markets" in message.lower()


def test_another_bot_on_the_port_is_refused(trade_bot: RunningBot) -> None:
    """A live bot answering with another bot_name must never be taken for ours."""
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        with pytest.raises(WrongBotAnswering, match=trade_bot.bot_name):
            _wait_ready(
                sleeper,
                trade_bot.api_url,
                trade_bot.credentials,  # type: ignore[arg-type]
                "ftnb-someone-else",
                "trade",
                10,
                trade_bot.log_path,
                trade_bot.log_path,
            )
    finally:
        sleeper.kill()
        sleeper.wait()


def test_other_credentials_on_the_port_are_refused(trade_bot: RunningBot) -> None:
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        with pytest.raises(WrongBotAnswering, match="credentials were refused"):
            _wait_ready(
                sleeper,
                trade_bot.api_url,
                Credentials(password="wrong"),  # type: ignore[arg-type]
                "ftnb-x",
                "trade",
                10,
                trade_bot.log_path,
                trade_bot.log_path,
            )
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_picked_port_taken_meanwhile_starts_again_on_a_fresh_one(
    tmp_path: Path, simulator: RunningSimulator, busy_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The port the launcher picked is taken before freqtrade binds it (here, from the
    start): the launcher stops that bot and starts again on a fresh port."""
    freqtrade_or_skip()
    picks = iter([busy_port])
    real_free_port = processes.free_port
    monkeypatch.setattr(processes, "free_port", lambda: next(picks, None) or real_free_port())
    bot = start_bot(tmp_path, simulator_url=simulator.url, mode="webserver")
    try:
        assert bot.port != busy_port and bot.is_alive()
        assert bot.bot_name.endswith(f"-{bot.port}-{os.getpid()}")
    finally:
        bot.stop()


def test_start_and_stop_leave_no_process(tmp_path: Path, simulator: RunningSimulator) -> None:
    freqtrade_or_skip()
    bot = start_bot(tmp_path, simulator_url=simulator.url)
    assert bot.is_alive()
    assert bot.startup_seconds > 0
    assert oct(os.stat(bot.config_path).st_mode & 0o777) == "0o600"
    pid = bot.pid
    code = bot.stop()
    # SIGTERM, not SIGKILL, ended it: freqtrade's clean shutdown (exit 0, or 130 when its
    # KeyboardInterrupt surfaces), or on a busy machine a resent SIGTERM that landed after
    # freqtrade restored the default handler (-15)
    assert code is not None and code in (0, 130, -signal.SIGTERM), (
        f"freqtrade did not stop on SIGTERM (exit {code}): SIGKILL was needed"
    )
    assert not _pid_alive(pid)
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)  # the whole group is gone, children included
    assert "SIGINT received, aborting" in bot.log_tail(60)


def test_bot_secrets_stay_out_of_repr(trade_bot: RunningBot) -> None:
    text = repr(trade_bot)
    for secret in (trade_bot.password, trade_bot.jwt_secret_key, trade_bot.ws_token):
        assert secret not in text
