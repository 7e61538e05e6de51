"""The backtest workbench: run, follow and abort backtests on a ``freqtrade webserver``,
every result as typed frames, and the stored runs as a history.

>>> from ftnotebook import FtClient, backtest
>>> client = FtClient.from_env()                  # a webserver-mode bot
>>> run = backtest.start(client, "FtnbDemo", timerange="20261101-20261115", stake_amount=100)
>>> result = run.wait()                           # tqdm progress; Ctrl-C aborts on the bot
>>> result.trades.head(); result.pairs; result.periodic("week"); result.summary["sharpe"]
>>> backtest.history(client)                      # every stored run, as a frame
>>> old = backtest.load(client, "backtest-result-2026-12-02_16-44-05", "FtnbDemo")
>>> backtest.compare_metrics([result, old])       # one column per run, deltas vs the first

Layers: this package calls the client and builds frames; it never draws. The charts
comparing runs are :func:`ftnotebook.plots.compare_backtests`, the panel widget is
:class:`ftnotebook.widgets.BacktestPanel`.
"""

from __future__ import annotations

from ftnotebook.backtest._batch import (
    BatchEvent,
    BatchResult,
    RunConfig,
    grid,
    rolling_windows,
    run_batch,
)
from ftnotebook.backtest._compare import (
    METRICS,
    compare_metrics,
    compare_pairs,
    compare_settings,
    run_labels,
    trades_of,
)
from ftnotebook.backtest._errors import (
    BacktestAborted,
    BacktestAlreadyRunning,
    BacktestError,
    BacktestFailed,
)
from ftnotebook.backtest._history import (
    attach_extras,
    delete,
    history,
    history_frame,
    load,
    load_all,
    set_notes,
)
from ftnotebook.backtest._reconcile import reconcile_live
from ftnotebook.backtest._result import SETTINGS, BacktestResult, strategy_comparison
from ftnotebook.backtest._run import BacktestRun, running, start

__all__ = [
    "METRICS",
    "SETTINGS",
    "BacktestAborted",
    "BacktestAlreadyRunning",
    "BacktestError",
    "BacktestFailed",
    "BacktestResult",
    "BacktestRun",
    "BatchEvent",
    "BatchResult",
    "RunConfig",
    "attach_extras",
    "compare_metrics",
    "compare_pairs",
    "compare_settings",
    "delete",
    "grid",
    "history",
    "history_frame",
    "load",
    "load_all",
    "reconcile_live",
    "rolling_windows",
    "run_batch",
    "run_labels",
    "running",
    "set_notes",
    "start",
    "strategy_comparison",
    "trades_of",
]
