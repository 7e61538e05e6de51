"""Start and stop the pieces of the offline demo: the exchange simulator and real freqtrade bots.

freqtrade runs from its own virtualenv (``.venv-bot`` beside the checkout, or
``$FTNOTEBOOK_FREQTRADE``), as a child process; ftnotebook never imports it.

A bot is "ready" only when ``/api/v1/show_config`` answers with *our* ``bot_name`` (a
unique name per launch) and, in trade mode, ``state == "running"``. That guards
against freqtrade's habit of trading on without an API when its port is taken, while
some other bot answers on that port.

Example::

    from ftnotebook.demo.launcher import start_simulator, start_bot
    with start_simulator(workdir) as sim, start_bot(workdir / "bot", simulator_url=sim.url) as bot:
        print(bot.api_url, bot.username)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from ftnotebook.demo import processes
from ftnotebook.demo.botconfig import (
    Credentials,
    Mode,
    TradingMode,
    build_config,
    default_pairs,
)
from ftnotebook.demo.errors import (
    BotExitedEarly,
    BotStartTimeout,
    FreqtradeNotFound,
    LaunchError,
    PortInUse,
    SimulatorUnreachable,
    WrongBotAnswering,
)
from ftnotebook.demo.processes import StopsOnExit

FREQTRADE_ENV = "FTNOTEBOOK_FREQTRADE"
"""Environment variable naming the freqtrade executable to run."""

REPO_ROOT = Path(__file__).resolve().parents[2]
STRATEGY_DIR = Path(__file__).resolve().parent / "strategies"
BOT_VENV = REPO_ROOT / ".venv-bot"
PORT_ATTEMPTS = 3
"""Starts on a fresh port when the port :func:`start_bot` picked was taken meanwhile."""


def find_freqtrade(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Locate the freqtrade executable.

    Order: ``explicit``, then ``$FTNOTEBOOK_FREQTRADE``, then ``.venv-bot/bin/freqtrade``
    beside this checkout, then ``freqtrade`` on ``PATH``.
    """
    candidates: list[tuple[str, Path]] = []
    if explicit is not None:
        candidates.append(("the freqtrade argument", Path(explicit)))
    elif os.environ.get(FREQTRADE_ENV):
        candidates.append((f"${FREQTRADE_ENV}", Path(os.environ[FREQTRADE_ENV])))
    else:
        candidates.append(("the project bot venv", BOT_VENV / "bin" / "freqtrade"))
        on_path = shutil.which("freqtrade")
        if on_path:
            candidates.append(("PATH", Path(on_path)))
    for _, path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    tried = ", ".join(f"{where}: {path}" for where, path in candidates)
    raise FreqtradeNotFound(
        f"freqtrade was not found (tried {tried}). Run `make bot-venv` to install "
        f"freqtrade 2026.9 into .venv-bot, or set {FREQTRADE_ENV}=/path/to/bin/freqtrade."
    )


def bot_python(freqtrade: Path) -> Path:
    """The Python interpreter of the virtualenv that holds ``freqtrade``."""
    python = freqtrade.parent / "python"
    if not python.exists():
        raise FreqtradeNotFound(
            f"{freqtrade} has no python beside it ({python}); point {FREQTRADE_ENV} "
            "at the freqtrade script inside a virtualenv's bin/ directory."
        )
    return python


# --------------------------------------------------------------------------- simulator


@dataclass
class RunningSimulator(StopsOnExit):
    """The exchange simulator, running as a child process."""

    url: str
    seed: int
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def shift(self, symbol: str, pct: float, *, market: TradingMode = "spot") -> float:
        """Move ``symbol``'s price (e.g. ``"SOLUSDT"``) by ``pct`` percent from now on.

        ``market`` picks the spot or the futures price (each keeps its own shifts).
        ``pct=0`` resets. Returns the factor now in force.
        """
        response = requests.post(
            f"{self.url}/_ctl/shift",
            params={"symbol": symbol, "pct": str(pct), "market": market},
            timeout=5,
        )
        if response.status_code != 200:
            raise ValueError(f"simulator refused shift({symbol!r}, {pct!r}): {response.text}")
        return float(response.json()["factor"])

    def price(self, symbol: str, *, market: TradingMode = "spot") -> float:
        """The simulator's current price for ``symbol`` (e.g. ``"BTCUSDT"``)."""
        path = "fapi/v1" if market == "futures" else "api/v3"
        response = requests.get(
            f"{self.url}/{path}/ticker/price", params={"symbol": symbol}, timeout=5
        )
        response.raise_for_status()
        return float(response.json()["price"])

    def stop(self) -> None:
        """Stop the simulator process."""
        processes.stop(self.process, grace=3.0)


def simulator_is_up(url: str) -> bool:
    """True when the simulator at ``url`` answers its ping endpoint."""
    try:
        return requests.get(f"{url}/api/v3/ping", timeout=1).status_code == 200
    except requests.RequestException:
        return False


def start_simulator(
    workdir: Path, *, port: int | None = None, seed: int = 42, timeout: float = 15.0
) -> RunningSimulator:
    """Start ``python -m ftnotebook.demo.simulator`` on 127.0.0.1 and wait until it answers."""
    port = _claim_port(port, what="simulator")
    log_path = Path(workdir) / "simulator.log"
    argv = [
        sys.executable,
        "-m",
        "ftnotebook.demo.simulator",
        "--port",
        str(port),
        "--seed",
        str(seed),
    ]
    proc = processes.spawn(argv, log_path=log_path)
    url = f"http://{processes.LOOPBACK}:{port}"
    ready = processes.wait_for(
        lambda: proc.poll() is not None or simulator_is_up(url), timeout=timeout
    )
    if proc.poll() is not None or not ready:
        processes.stop(proc, grace=2.0)
        raise SimulatorUnreachable(
            f"the exchange simulator did not come up at {url} within {timeout:.0f} s "
            f"(exit code {proc.poll()}).",
            log_tail=processes.tail(log_path),
        )
    return RunningSimulator(url=url, seed=seed, log_path=log_path, process=proc)


# --------------------------------------------------------------------------- bots


@dataclass
class RunningBot(StopsOnExit):
    """A real freqtrade process started by :func:`start_bot`.

    ``api_url`` has no ``/api/v1`` suffix. Secrets are reachable as attributes but never
    shown in ``repr``.
    """

    mode: Mode
    api_url: str
    bot_name: str
    credentials: Credentials
    config_path: Path
    workdir: Path
    log_path: Path
    simulator_url: str
    process: subprocess.Popen[bytes] = field(repr=False)
    startup_seconds: float = 0.0

    @property
    def username(self) -> str:
        return self.credentials.username

    @property
    def password(self) -> str:
        return self.credentials.password

    @property
    def ws_token(self) -> str:
        return self.credentials.ws_token

    @property
    def jwt_secret_key(self) -> str:
        return self.credentials.jwt_secret_key

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def port(self) -> int:
        return int(self.api_url.rsplit(":", 1)[1])

    def is_alive(self) -> bool:
        """True while the freqtrade process runs."""
        return self.process.poll() is None

    def env(self) -> dict[str, str]:
        """Environment variables that point ftnotebook (and notebooks) at this bot."""
        return {
            "FTNOTEBOOK_URL": self.api_url,
            "FTNOTEBOOK_USERNAME": self.username,
            "FTNOTEBOOK_PASSWORD": self.password,
            "FTNOTEBOOK_WS_TOKEN": self.ws_token,
            "FTNOTEBOOK_CONFIG": str(self.config_path),
        }

    def log_tail(self, lines: int = 25) -> str:
        """The last lines of the bot's log file."""
        return processes.tail(self.log_path, lines)

    def stop(self) -> int | None:
        """Stop the bot: SIGTERM (resent up to 3 times), then SIGKILL. Returns its exit code."""
        return processes.stop(self.process)


def _claim_port(port: int | None, *, what: str) -> int:
    if port is None:
        return processes.free_port()
    if not isinstance(port, int) or not 0 < port < 65536:
        raise ValueError(f"{what} port must be an int between 1 and 65535, got {port!r}")
    if not processes.port_is_free(port):
        raise PortInUse(
            f"port {port} on {processes.LOOPBACK} is already in use, so the {what} cannot "
            "listen there. Stop whatever uses it, pick another port, or pass no port to "
            "let the launcher choose a free one."
        )
    return port


def bot_environment() -> dict[str, str]:
    """Our environment, minus what would change freqtrade's behaviour.

    freqtrade skips its whole logging setup (no log file!) when it sees
    ``PYTEST_VERSION``, which pytest exports to every child process.
    """
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}


def _combined_tail(console: Path, log: Path) -> str:
    parts = [processes.tail(log, 20), processes.tail(console, 10)]
    return "\n".join(part for part in parts if part)


def _show_config(api_url: str, credentials: Credentials) -> dict[str, Any] | None:
    try:
        response = requests.get(
            f"{api_url}/api/v1/show_config",
            auth=(credentials.username, credentials.password),
            timeout=2,
        )
    except requests.RequestException:
        return None
    if response.status_code == 401:
        return {"bot_name": "<another bot: our credentials were refused>"}
    if response.status_code != 200:
        return None
    body: dict[str, Any] = response.json()
    return body


def start_bot(
    workdir: Path,
    *,
    simulator_url: str,
    mode: Mode = "trade",
    api_port: int | None = None,
    db_url: str | None = None,
    datadir: Path | None = None,
    credentials: Credentials | None = None,
    freqtrade: str | os.PathLike[str] | None = None,
    timeout: float = 90.0,
    pairs: tuple[str, ...] | None = None,
    timeframe: str = "5m",
    auto_entries: bool = False,
    check_simulator: bool = True,
    trading_mode: TradingMode = "spot",
    strategy: str | None = None,
    stake_currency: str = "USDT",
    stake_amount: float = 100.0,
    dry_run_wallet: float = 10_000.0,
    max_open_trades: int = 10,
    kind: str | None = None,
) -> RunningBot:
    """Start a real freqtrade bot (dry-run ``trade`` or ``webserver`` mode) and wait until ready.

    ``workdir`` receives ``config.json``, ``user_data/`` (with the FtnbDemo strategy),
    ``freqtrade.log`` (the bot's log) and ``console.log`` (its stdout/stderr).
    ``db_url`` defaults to an SQLite file in ``workdir``; ``datadir`` (webserver mode)
    defaults to ``user_data/data/binance``. ``trading_mode="futures"`` starts an
    isolated-margin futures bot on the FtnbDemoFutures strategy (see
    :func:`~ftnotebook.demo.botconfig.build_config`). ``stake_currency``,
    ``stake_amount``, ``dry_run_wallet`` and ``max_open_trades`` go into the config as
    they are (the fleet's bots differ in them); ``kind`` names the bot in its
    ``bot_name`` (``ftnb-<kind>-<port>-<pid>``).

    Raises a :class:`~ftnotebook.demo.errors.LaunchError` subclass that says what to do
    when freqtrade is missing, the port is taken, the simulator is down, the bot exits
    early or never becomes ready. Nothing is left running when it raises.
    """
    if mode not in ("trade", "webserver"):
        raise ValueError(f"mode must be 'trade' or 'webserver', got {mode!r}")
    executable = find_freqtrade(freqtrade)
    if check_simulator and mode == "trade" and not simulator_is_up(simulator_url):
        raise SimulatorUnreachable(
            f"the exchange simulator at {simulator_url} does not answer /api/v3/ping. "
            "A trade-mode bot cannot load markets without it: start it first with "
            "`python -m ftnotebook.demo.simulator` or ftnotebook.demo.launcher.start_simulator()."
        )
    credentials = credentials or Credentials()
    workdir = Path(workdir).resolve()
    userdir = workdir / "user_data"
    for sub in ("strategies", "logs", "data"):
        (userdir / sub).mkdir(parents=True, exist_ok=True)
    for source in STRATEGY_DIR.glob("*.py"):
        shutil.copy2(source, userdir / "strategies" / source.name)

    kind = kind or (mode if trading_mode == "spot" else f"{trading_mode}-{mode}")
    config_path = workdir / "config.json"
    log_path = workdir / "freqtrade.log"
    console_path = workdir / "console.log"
    # A port we picked is free when picked but released before freqtrade binds it, so
    # another process can take it in between: then pick another one and start again.
    attempts = PORT_ATTEMPTS if api_port is None else 1
    for attempt in range(1, attempts + 1):
        port = _claim_port(api_port, what="freqtrade API")
        bot_name = f"ftnb-{kind}-{port}-{os.getpid()}"
        config = build_config(
            bot_name=bot_name,
            api_port=port,
            credentials=credentials,
            simulator_url=simulator_url,
            pairs=pairs,
            timeframe=timeframe,
            auto_entries=auto_entries,
            trading_mode=trading_mode,
            strategy=strategy,
            stake_currency=stake_currency,
            stake_amount=stake_amount,
            dry_run_wallet=dry_run_wallet,
            max_open_trades=max_open_trades,
        )
        config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
        os.chmod(config_path, 0o600)  # it holds the API password and JWT secret

        for stale in (log_path, console_path):
            stale.unlink(missing_ok=True)
        argv = [
            str(executable),
            mode,
            "--config",
            str(config_path),
            "--userdir",
            str(userdir),
            "--logfile",
            str(log_path),
        ]
        if mode == "trade":
            argv += ["--db-url", db_url or f"sqlite:///{workdir / 'tradesv3.dryrun.sqlite'}"]
        else:
            argv += ["--datadir", str(datadir or userdir / "data" / "binance")]

        started = time.monotonic()
        proc = processes.spawn(argv, log_path=console_path, cwd=workdir, env=bot_environment())
        api_url = f"http://{processes.LOOPBACK}:{port}"
        try:
            _wait_ready(proc, api_url, credentials, bot_name, mode, timeout, console_path, log_path)
        except (PortInUse, WrongBotAnswering):
            processes.stop(proc)
            if attempt == attempts:
                raise
            continue
        except BaseException:
            processes.stop(proc)
            raise
        break
    return RunningBot(
        mode=mode,
        api_url=api_url,
        bot_name=bot_name,
        credentials=credentials,
        config_path=config_path,
        workdir=workdir,
        log_path=log_path,
        simulator_url=simulator_url,
        process=proc,
        startup_seconds=time.monotonic() - started,
    )


def _wait_ready(
    proc: subprocess.Popen[bytes],
    api_url: str,
    credentials: Credentials,
    bot_name: str,
    mode: Mode,
    timeout: float,
    console_path: Path,
    log_path: Path,
) -> None:
    deadline = time.monotonic() + timeout
    last: dict[str, Any] | None = None
    while time.monotonic() < deadline:
        code = proc.poll()
        logs = processes.tail(log_path, 50) + processes.tail(console_path, 20)
        if code is not None and "address already in use" not in logs:
            raise BotExitedEarly(
                f"freqtrade ({mode} mode) exited with code {code} before it was ready. "
                "The log below usually says why (bad config, markets not loaded, ...).",
                log_tail=_combined_tail(console_path, log_path),
            )
        if "address already in use" in logs:
            raise PortInUse(
                f"freqtrade could not bind its API port ({api_url}): address already in use. "
                "Another process took the port; start again to pick a fresh one.",
                log_tail=_combined_tail(console_path, log_path),
            )
        last = _show_config(api_url, credentials)
        if last is not None:
            if last.get("bot_name") != bot_name:
                raise WrongBotAnswering(
                    f"a bot answers on {api_url} but it is {last.get('bot_name')!r}, not the "
                    f"{bot_name!r} we started. Refusing to continue against another bot.",
                    log_tail=_combined_tail(console_path, log_path),
                )
            if mode == "webserver" or last.get("state") == "running":
                return
        time.sleep(0.1)
    state = last.get("state") if last else "no answer from the API"
    raise BotStartTimeout(
        f"freqtrade ({mode} mode) was not ready after {timeout:.0f} s (last state: {state}).",
        log_tail=_combined_tail(console_path, log_path),
    )


def download_data(
    config_path: Path,
    userdir: Path,
    *,
    timeframes: tuple[str, ...] = ("5m", "1h"),
    days: int = 10,
    pairs: tuple[str, ...] | None = None,
    trading_mode: TradingMode = "spot",
    freqtrade: str | os.PathLike[str] | None = None,
    timeout: float = 180.0,
) -> Path:
    """Let freqtrade itself download OHLCV data from the simulator (feather files).

    Returns the data directory (``userdir/data/binance``). The simulator named in the
    config must be running. ``trading_mode="futures"`` downloads futures candles (into
    ``futures/``, as ``BTC_USDT_USDT-5m-futures.feather``), and with them freqtrade's
    1h mark-price and funding-rate candles that a futures backtest needs.
    """
    executable = find_freqtrade(freqtrade)
    pairs = default_pairs(trading_mode) if pairs is None else pairs
    for sub in ("data", "logs", "strategies"):
        (userdir / sub).mkdir(parents=True, exist_ok=True)
    argv = [
        str(executable),
        "download-data",
        "--config",
        str(config_path),
        "--userdir",
        str(userdir),
        "--timeframes",
        *timeframes,
        "--days",
        str(days),
        "--pairs",
        *pairs,
        "--data-format-ohlcv",
        "feather",
        "--trading-mode",
        trading_mode,
    ]
    result = subprocess.run(
        argv, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False
    )
    datadir = userdir / "data" / "binance"
    missing = [
        f"{pair} {timeframe}"
        for pair in pairs
        for timeframe in timeframes
        if not _candle_file(datadir, pair, timeframe, trading_mode).exists()
    ]
    if trading_mode == "futures":
        missing += [
            f"{pair} 1h {kind}"
            for pair in pairs
            for kind in ("mark", "funding_rate")
            if not _candle_file(datadir, pair, "1h", trading_mode, kind).exists()
        ]
    if result.returncode != 0 or missing:
        output = "\n".join((result.stdout + result.stderr).strip().splitlines()[-20:])
        raise LaunchError(
            f"freqtrade download-data failed (exit {result.returncode}); missing files for "
            f"{missing or 'none'}. Is the simulator in {config_path} running?",
            log_tail=output,
        )
    return datadir


def _candle_file(
    datadir: Path, pair: str, timeframe: str, trading_mode: TradingMode, kind: str | None = None
) -> Path:
    """Where freqtrade stores one pair's candles (futures data lives in ``futures/``)."""
    stem = pair.replace("/", "_").replace(":", "_")
    if trading_mode == "spot":
        return datadir / f"{stem}-{timeframe}.feather"
    return datadir / "futures" / f"{stem}-{timeframe}-{kind or 'futures'}.feather"
