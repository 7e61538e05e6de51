"""The whole offline demo in one call: simulator, seeded trade bot, webserver bot.

Used by ``python -m ftnotebook.demo`` (the README's demo command) and by the test
fixtures, so the demo a newcomer sees is exactly what the tests check.

Example::

    from ftnotebook.demo.stack import start_stack
    with start_stack(Path(".demo")) as stack:
        print(stack.trade_bot.api_url, stack.timings)
"""

from __future__ import annotations

import contextlib
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ftnotebook.demo.launcher import (
    RunningBot,
    RunningSimulator,
    download_data,
    start_bot,
    start_simulator,
)
from ftnotebook.demo.processes import StopsOnExit
from ftnotebook.demo.seeding import plan_trades, seed_live_state, write_trades_db

DEFAULT_CLOSED_TRADES = 80
"""Closed trades written to the trade bot's database before it starts."""


@dataclass
class DemoStack(StopsOnExit):
    """Running demo components; :meth:`stop` (or leaving the ``with`` block) ends them all."""

    workdir: Path
    simulator: RunningSimulator
    trade_bot: RunningBot
    webserver_bot: RunningBot | None = None
    seeded: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop both bots, then the simulator. Safe to call twice."""
        for bot in (self.webserver_bot, self.trade_bot):
            if bot is not None:
                bot.stop()
        self.simulator.stop()


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
) -> DemoStack:
    """Start the simulator, a seeded dry-run trade bot and (optionally) a webserver bot.

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
        cleanup.pop_all()
    return DemoStack(
        workdir=workdir,
        simulator=simulator,
        trade_bot=trade_bot,
        webserver_bot=webserver_bot,
        seeded=seeded,
        timings=timings,
    )
