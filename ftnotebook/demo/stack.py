"""The whole offline demo in one call: simulator, seeded trade bot, webserver bot.

Used by ``python -m ftnotebook.demo`` (the README's demo command) and by the test
fixtures, so the demo a newcomer sees is exactly what the tests check.

The fleet's two extra bots are optional too: :meth:`DemoStack.start_fleet` starts a second
USDT bot with other settings and a BTC-stake bot on the simulator's BTC-quoted markets, both
seeded, and writes ``fleet.json`` (the trade bot is the fleet's third bot).

Futures bots are optional and can join a running stack later, on the same simulator:
:meth:`DemoStack.start_futures_bot` (a seeded isolated-margin dry-run bot, long and short
trades at several leverages) and :meth:`DemoStack.start_futures_webserver_bot` (webserver
mode over futures data downloaded from the simulator, for futures backtests). The test
suite starts them only when a test asks for them.

Example::

    from ftnotebook.demo.stack import start_stack
    with start_stack(Path(".demo")) as stack:
        print(stack.trade_bot.api_url, stack.timings)
        futures = stack.start_futures_bot()
"""

from __future__ import annotations

import contextlib
import functools
import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ftnotebook.demo.botconfig import BTC_PAIRS, Credentials, build_config
from ftnotebook.demo.launcher import (
    RunningBot,
    RunningSimulator,
    download_data,
    start_bot,
    start_simulator,
)
from ftnotebook.demo.processes import StopsOnExit
from ftnotebook.demo.seeding import (
    plan_open_futures_trades,
    plan_trades,
    seed_fleet_bot,
    seed_futures_live_state,
    seed_live_state,
    write_trades_db,
)
from ftnotebook.demo.simulator import PriceWalk

DEFAULT_CLOSED_TRADES = 80
"""Closed trades written to the trade bot's database before it starts."""
DEFAULT_FUTURES_CLOSED_TRADES = 40
"""Closed trades (half of them shorts) written to the futures bot's database."""
FLEET_TRADE_BOT = "usdt-main"
"""The trade bot's name in the fleet."""
FLEET_BOTS: dict[str, dict[str, Any]] = {
    "usdt-swing": {
        "pairs": ("BTC/USDT", "ETH/USDT", "SOL/USDT"),
        "stake_amount": 50.0,
        "dry_run_wallet": 5_000.0,
        "max_open_trades": 5,
        "n_closed": 30,
        "seed": 11,
    },
    "btc-cross": {
        "pairs": BTC_PAIRS,
        "stake_currency": "BTC",
        "stake_amount": 0.002,
        "dry_run_wallet": 0.5,
        "max_open_trades": 5,
        "n_closed": 30,
        "seed": 13,
    },
}
"""The fleet's extra bots: a USDT bot with smaller stakes, fewer pairs and slots, and a
BTC-stake bot on the BTC-quoted crosses. Each gets ``n_closed`` trades planned with
``seed`` before it starts."""
FLEET_FILE = "fleet.json"
"""Written into the stack's workdir by :meth:`DemoStack.start_fleet`: one name and config
path per bot (the configs, mode 0600, hold the credentials; the fleet file holds none)."""


@dataclass
class DemoStack(StopsOnExit):
    """Running demo components; :meth:`stop` (or leaving the ``with`` block) ends them all."""

    workdir: Path
    simulator: RunningSimulator
    trade_bot: RunningBot
    webserver_bot: RunningBot | None = None
    seeded: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    futures_bot: RunningBot | None = None
    """The futures dry-run bot, once :meth:`start_futures_bot` ran."""
    futures_webserver_bot: RunningBot | None = None
    """The futures webserver bot, once :meth:`start_futures_webserver_bot` ran."""
    futures_seeded: dict[str, Any] = field(default_factory=dict)
    """What :func:`~ftnotebook.demo.seeding.seed_futures_live_state` made."""
    freqtrade: str | None = None
    fleet_bots: dict[str, RunningBot] = field(default_factory=dict)
    """The fleet's bots by name, the trade bot included, once :meth:`start_fleet` ran."""
    fleet_seeded: dict[str, dict[str, Any]] = field(default_factory=dict)
    """What :func:`~ftnotebook.demo.seeding.seed_fleet_bot` made, per extra fleet bot."""

    def bots(self) -> list[RunningBot]:
        """Every running bot of the stack, newest first (the order they are stopped in)."""
        extra = [bot for bot in self.fleet_bots.values() if bot is not self.trade_bot]
        started = (self.futures_webserver_bot, self.futures_bot, *extra, self.webserver_bot)
        return [bot for bot in (*started, self.trade_bot) if bot is not None]

    @property
    def fleet_file(self) -> Path:
        """Where :meth:`start_fleet` writes the fleet file."""
        return self.workdir / FLEET_FILE

    def start_fleet(self) -> dict[str, RunningBot]:
        """Start (once) the fleet's two extra bots beside the trade bot; returns all three.

        Both extra bots (:data:`FLEET_BOTS`) are seeded and started at the same time, on
        this stack's simulator: closed trades written with freqtrade's models first, then
        a winner, a loser and one open trade through their own API
        (:func:`~ftnotebook.demo.seeding.seed_fleet_bot`). Then :data:`FLEET_FILE` is
        written. If one fails, the other is stopped and the error raised.
        """
        if self.fleet_bots:
            return self.fleet_bots
        from concurrent.futures import ThreadPoolExecutor

        t0 = time.monotonic()
        with ThreadPoolExecutor(len(FLEET_BOTS)) as pool:
            futures = {name: pool.submit(self._start_fleet_bot, name) for name in FLEET_BOTS}
        started: dict[str, RunningBot] = {}
        errors: list[BaseException] = []
        for name, future in futures.items():
            try:
                started[name] = future.result()
            except BaseException as exc:
                errors.append(exc)
        try:
            if errors:
                raise errors[0]
            # One after the other: a move of BTCUSDT also moves every BTC cross.
            for name, bot in started.items():
                self.fleet_seeded[name] = seed_fleet_bot(
                    bot.api_url, bot.username, bot.password, shift=self.simulator.shift,
                    pairs=FLEET_BOTS[name]["pairs"],
                )  # fmt: skip
        except BaseException:
            for bot in started.values():
                bot.stop()
            self.fleet_seeded.clear()
            raise
        self.fleet_bots = {FLEET_TRADE_BOT: self.trade_bot, **started}
        entries = [
            {"name": name, "config": str(bot.config_path)} for name, bot in self.fleet_bots.items()
        ]
        self.fleet_file.write_text(json.dumps({"bots": entries}, indent=2), encoding="utf-8")
        self.timings["fleet_start_s"] = time.monotonic() - t0
        return self.fleet_bots

    def _start_fleet_bot(self, name: str) -> RunningBot:
        spec = dict(FLEET_BOTS[name])
        n_closed, seed = spec.pop("n_closed"), spec.pop("seed")
        bot_dir = self.workdir / f"fleet-{name}"
        bot_dir.mkdir(parents=True, exist_ok=True)
        db_path = bot_dir / "tradesv3.dryrun.sqlite"
        db_path.unlink(missing_ok=True)
        plan = plan_trades(
            n_closed,
            pairs=spec["pairs"],
            stake_amount=spec["stake_amount"],
            seed=seed,
            walk=PriceWalk(self.simulator.seed),
        )
        write_trades_db(db_path, plan, freqtrade=self.freqtrade)
        return start_bot(
            bot_dir,
            simulator_url=self.simulator.url,
            db_url=f"sqlite:///{db_path}",
            freqtrade=self.freqtrade,
            kind=f"fleet-{name}",
            **spec,
        )

    def stop(self) -> None:
        """Stop every bot, then the simulator. Safe to call twice."""
        for bot in self.bots():
            bot.stop()
        self.simulator.stop()

    def start_futures_bot(
        self, *, n_closed: int = DEFAULT_FUTURES_CLOSED_TRADES, api_port: int | None = None
    ) -> RunningBot:
        """Start (once) a seeded isolated-margin futures dry-run bot on this stack's simulator.

        Before it starts, freqtrade's models write ``n_closed`` closed long and short
        trades at 1-5x and three positions opened 10-30 h ago (liquidation prices and
        funding fees computed by freqtrade's exchange class); once it runs, its own
        forceexit closes two of those, a short and a long round trip follow, and two
        positions stay open (see :func:`~ftnotebook.demo.seeding.seed_futures_live_state`).
        """
        if self.futures_bot is not None:
            return self.futures_bot
        t0 = time.monotonic()
        bot_dir = self.workdir / "futures"
        bot_dir.mkdir(parents=True, exist_ok=True)
        db_path = bot_dir / "tradesv3.dryrun.sqlite"
        db_path.unlink(missing_ok=True)
        plan = plan_trades(n_closed, trading_mode="futures") + plan_open_futures_trades()
        write_trades_db(db_path, plan, freqtrade=self.freqtrade, simulator_url=self.simulator.url)
        self.timings["futures_seed_db_s"] = time.monotonic() - t0
        t0 = time.monotonic()
        bot = start_bot(
            bot_dir,
            simulator_url=self.simulator.url,
            mode="trade",
            api_port=api_port,
            db_url=f"sqlite:///{db_path}",
            freqtrade=self.freqtrade,
            trading_mode="futures",
        )
        self.timings["futures_bot_start_s"] = time.monotonic() - t0
        try:
            t0 = time.monotonic()
            self.futures_seeded = seed_futures_live_state(
                bot.api_url,
                bot.username,
                bot.password,
                shift=functools.partial(self.simulator.shift, market="futures"),
            )
            self.timings["futures_seed_live_s"] = time.monotonic() - t0
        except BaseException:
            bot.stop()
            raise
        self.futures_bot = bot
        return bot

    def start_futures_webserver_bot(self, *, api_port: int | None = None) -> RunningBot:
        """Start (once) a futures webserver bot over data ``download-data`` fetched in
        futures mode (5m and 1h candles, 1h mark prices and funding rates, 10 days)."""
        if self.futures_webserver_bot is not None:
            return self.futures_webserver_bot
        t0 = time.monotonic()
        web_dir = self.workdir / "futures-webserver"
        config_dir = web_dir / "download"
        config_dir.mkdir(parents=True, exist_ok=True)
        config = build_config(
            bot_name="ftnb-futures-download",
            api_port=8080,  # not listened on: only the exchange section is used
            credentials=Credentials(),
            simulator_url=self.simulator.url,
            trading_mode="futures",
        )
        config_path = config_dir / "config.json"
        config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
        datadir = download_data(
            config_path, web_dir / "user_data", trading_mode="futures", freqtrade=self.freqtrade
        )
        self.timings["futures_download_data_s"] = time.monotonic() - t0
        t0 = time.monotonic()
        self.futures_webserver_bot = start_bot(
            web_dir,
            simulator_url=self.simulator.url,
            mode="webserver",
            api_port=api_port,
            datadir=datadir,
            freqtrade=self.freqtrade,
            trading_mode="futures",
        )
        self.timings["futures_webserver_bot_start_s"] = time.monotonic() - t0
        return self.futures_webserver_bot


def start_stack(
    workdir: Path,
    *,
    n_closed: int = DEFAULT_CLOSED_TRADES,
    webserver: bool = True,
    seed: int = 42,
    api_port: int | None = None,
    webserver_port: int | None = None,
    freqtrade: str | None = None,
    fresh: bool = True,
    futures: bool = False,
    fleet: bool = False,
) -> DemoStack:
    """Start the simulator, a seeded dry-run trade bot and (optionally) a webserver bot.

    ``futures=True`` also starts the seeded futures bot (:meth:`DemoStack.start_futures_bot`),
    ``fleet=True`` the fleet's two extra bots (:meth:`DemoStack.start_fleet`).
    ``fresh=True`` wipes ``workdir`` first, so every start gives the same seeded history.
    Whatever was started is stopped again if a later step fails.
    """
    workdir = Path(workdir).resolve()
    if fresh and workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    with contextlib.ExitStack() as cleanup:
        t0 = time.monotonic()
        simulator = start_simulator(workdir, seed=seed)
        cleanup.callback(simulator.stop)
        timings["simulator_start_s"] = time.monotonic() - t0

        t0 = time.monotonic()
        trade_dir = workdir / "trade"
        trade_dir.mkdir()
        db_path = trade_dir / "tradesv3.dryrun.sqlite"
        write_trades_db(db_path, plan_trades(n_closed), freqtrade=freqtrade)
        timings["seed_db_s"] = time.monotonic() - t0

        t0 = time.monotonic()
        trade_bot = start_bot(
            trade_dir,
            simulator_url=simulator.url,
            mode="trade",
            api_port=api_port,
            db_url=f"sqlite:///{db_path}",
            freqtrade=freqtrade,
        )
        cleanup.callback(trade_bot.stop)
        timings["trade_bot_start_s"] = time.monotonic() - t0

        t0 = time.monotonic()
        seeded = seed_live_state(
            trade_bot.api_url, trade_bot.username, trade_bot.password, shift=simulator.shift
        )
        timings["seed_live_s"] = time.monotonic() - t0

        webserver_bot = None
        if webserver:
            t0 = time.monotonic()
            web_dir = workdir / "webserver"
            datadir = download_data(
                trade_bot.config_path, web_dir / "user_data", freqtrade=freqtrade
            )
            timings["download_data_s"] = time.monotonic() - t0
            t0 = time.monotonic()
            webserver_bot = start_bot(
                web_dir,
                simulator_url=simulator.url,
                mode="webserver",
                api_port=webserver_port,
                datadir=datadir,
                freqtrade=freqtrade,
            )
            cleanup.callback(webserver_bot.stop)
            timings["webserver_bot_start_s"] = time.monotonic() - t0
        stack = DemoStack(
            workdir=workdir,
            simulator=simulator,
            trade_bot=trade_bot,
            webserver_bot=webserver_bot,
            seeded=seeded,
            timings=timings,
            freqtrade=freqtrade,
        )
        cleanup.callback(stack.stop)
        if futures:
            stack.start_futures_bot()
        if fleet:
            stack.start_fleet()
        cleanup.pop_all()
    return stack
