"""Batches of backtests spread over several webserver bots.

A ``freqtrade webserver`` runs one backtest at a time. Research needs many: sweeps over
stake, ``max_open_trades`` or timeframe, rolling or walk-forward windows over a long
timerange. :func:`run_batch` takes a list of :class:`RunConfig` (make them with
:func:`grid` and :func:`rolling_windows`) and one or more webserver-mode clients, and
keeps every bot busy with one run at a time behind one progress bar.

**This is how you outgrow one machine**: start ``freqtrade webserver`` on several
machines (each with the same strategy and data), pass one :class:`~ftnotebook.FtClient`
per bot, and they are the engine. ftnotebook only dispatches the runs and collects the
results; nothing is computed in the notebook.

What happens when something goes wrong:

* a bot that dies or stops answering mid-run: the run goes back in the queue and is
  retried on another bot (the dead bot gets no more runs);
* a run whose config is bad (unknown strategy, a timeframe the data lacks, a timerange
  with no data...): reported in the table with the bot's words, and skipped;
* Ctrl-C (KeyboardInterrupt): every running backtest is aborted on its bot, then the
  KeyboardInterrupt goes on, saying so.

Example::

    >>> from ftnotebook import backtest
    >>> runs = backtest.rolling_windows("FtnbDemo", "20261101", "20261201",
    ...                                 window=timedelta(days=7), step=timedelta(days=3),
    ...                                 stake_amount=100)
    >>> batch = backtest.run_batch(runs, [client_a, client_b])       # doctest: +SKIP
    >>> batch.table[["label", "bot", "profit_total_abs", "max_drawdown_abs"]]  # doctest: +SKIP
    >>> batch.results["FtnbDemo 20261101-20261108"].trades           # doctest: +SKIP
"""

from __future__ import annotations

import itertools
import queue
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from ftnotebook.backtest._compare import METRICS
from ftnotebook.backtest._errors import BacktestAlreadyRunning, BacktestError
from ftnotebook.backtest._run import BacktestRun, start
from ftnotebook.exceptions import ApiError, ConnectionFailed

if TYPE_CHECKING:
    from ftnotebook.backtest._result import BacktestResult
    from ftnotebook.client import FtClient

__all__ = ["BatchEvent", "BatchResult", "RunConfig", "grid", "rolling_windows", "run_batch"]

Timerange = str | tuple[date | datetime | None, date | datetime | None]

#: The settings columns of :attr:`BatchResult.table`, in order.
SETTING_COLUMNS = (
    "strategy",
    "timerange",
    "timeframe",
    "timeframe_detail",
    "stake_amount",
    "max_open_trades",
    "dry_run_wallet",
    "enable_protections",
)


@dataclass(frozen=True)
class RunConfig:
    """One backtest of a batch: the fields of :func:`ftnotebook.backtest.start`.

    ``label`` names the run in the results (default: the strategy, the timerange and
    the settings that are set, e.g. ``"FtnbDemo 20261101-20261108 stake_amount=100"``).
    """

    strategy: str
    timerange: Timerange
    timeframe: str | None = None
    timeframe_detail: str | None = None
    stake_amount: float | Literal["unlimited"] | None = None
    max_open_trades: int | None = None
    dry_run_wallet: float | None = None
    enable_protections: bool = False
    label: str | None = None

    @property
    def name(self) -> str:
        """The label, or one made from the settings."""
        if self.label:
            return self.label
        parts = [self.strategy, _timerange_text(self.timerange)]
        for f in fields(self):
            if f.name in ("strategy", "timerange", "label"):
                continue
            value = getattr(self, f.name)
            if value is not None and value is not False:
                parts.append(f"{f.name}={value}")
        return " ".join(parts)

    def start_kwargs(self) -> dict[str, Any]:
        """The keyword arguments for :func:`ftnotebook.backtest.start`."""
        out = asdict(self)
        out.pop("label")
        out.pop("strategy")
        return out


def grid(strategy: str, timerange: Timerange, **axes: Any) -> list[RunConfig]:
    """Every combination of the given settings: a parameter sweep.

    Each keyword is a :class:`RunConfig` field with one value or a list of values.

    >>> [c.name for c in grid("FtnbDemo", "20261101-20261108", stake_amount=[50, 100],
    ...                       max_open_trades=[2, 4])]              # doctest: +NORMALIZE_WHITESPACE
    ['FtnbDemo 20261101-20261108 stake_amount=50 max_open_trades=2',
     'FtnbDemo 20261101-20261108 stake_amount=50 max_open_trades=4',
     'FtnbDemo 20261101-20261108 stake_amount=100 max_open_trades=2',
     'FtnbDemo 20261101-20261108 stake_amount=100 max_open_trades=4']
    """
    known = {f.name for f in fields(RunConfig)} - {"strategy", "timerange", "label"}
    unknown = sorted(set(axes) - known)
    if unknown:
        raise ValueError(f"grid: unknown setting(s) {unknown}; the settings are {sorted(known)}")
    names = list(axes)
    values = [_as_list(name, axes[name]) for name in names]
    base = RunConfig(strategy, timerange)
    return [
        replace(base, **dict(zip(names, combo, strict=True)))
        for combo in itertools.product(*values)
    ]


def rolling_windows(
    strategy: str,
    start: date | datetime | str,
    end: date | datetime | str,
    *,
    window: timedelta,
    step: timedelta | None = None,
    anchored: bool = False,
    **settings: Any,
) -> list[RunConfig]:
    """Backtests over moving windows of ``[start, end)``: rolling or walk-forward.

    Each window is ``window`` long and starts ``step`` (default: ``window``, so the
    windows touch) after the previous one; the last ends at or before ``end``.
    ``anchored=True`` keeps every window's start at ``start`` and grows its end by
    ``step`` (an expanding, anchored walk-forward). ``settings`` are :class:`RunConfig`
    fields shared by every run. Dates (or ``"YYYYMMDD"`` strings) give day windows.

    >>> [c.name for c in rolling_windows("FtnbDemo", "20261101", "20261110",
    ...                                  window=timedelta(days=4), step=timedelta(days=2))]
    ['FtnbDemo 20261101-20261105', 'FtnbDemo 20261103-20261107', 'FtnbDemo 20261105-20261109']
    """
    first, last = _moment("start", start), _moment("end", end)
    if not isinstance(window, timedelta) or window <= timedelta(0):
        raise ValueError(f"window must be a positive timedelta, got {window!r}")
    step = window if step is None else step
    if not isinstance(step, timedelta) or step <= timedelta(0):
        raise ValueError(f"step must be a positive timedelta, got {step!r}")
    if first + window > last:
        raise ValueError(f"the window ({window}) does not fit between {first} and {last}")
    configs: list[RunConfig] = []
    offset = timedelta(0)
    while first + offset + window <= last:
        lo = first if anchored else first + offset
        hi = first + offset + window
        configs.append(RunConfig(strategy, (_day_or_time(lo), _day_or_time(hi)), **settings))
        offset += step
    return configs


@dataclass(frozen=True)
class BatchEvent:
    """What happened to one run, for :func:`run_batch`'s ``on_event`` callback.

    ``kind`` is ``"started"``, ``"finished"``, ``"failed"`` (bad config, skipped),
    ``"retry"`` (its bot went down; the run goes back in the queue) or ``"bot_down"``.
    """

    kind: str
    run: str
    bot: str
    detail: str = ""


@dataclass
class BatchResult:
    """What :func:`run_batch` returns.

    Attributes:
        table: one row per run, in the order given: ``label``, the settings
            (:data:`SETTING_COLUMNS`), ``bot`` (URL of the bot that ran it), ``attempts``,
            ``status`` (``finished``, ``failed`` or ``aborted``), ``error`` (the bot's
            words), then the key metrics (:data:`ftnotebook.backtest.METRICS`).
        results: label -> :class:`~ftnotebook.backtest.BacktestResult` of each
            finished run.
        bots: bot URL -> ``"up"`` or the error that took it out of the batch.
        events: every :class:`BatchEvent`, in order.
    """

    table: pd.DataFrame
    results: dict[str, BacktestResult]
    bots: dict[str, str]
    events: list[BatchEvent] = field(default_factory=list)

    @property
    def failed(self) -> pd.DataFrame:
        """The rows of runs that did not finish."""
        return self.table.loc[self.table["status"] != "finished"]

    def _repr_html_(self) -> str:
        done = int((self.table["status"] == "finished").sum())
        head = (
            f"<b>Backtest batch</b>: {done} of {len(self.table)} runs finished on "
            f"{sum(v == 'up' for v in self.bots.values())} of {len(self.bots)} bots<br>"
        )
        cols = ["label", "bot", "status", "profit_total_abs", "max_drawdown_abs", "winrate"]
        shown = self.table[[c for c in cols if c in self.table.columns]]
        return head + shown.to_html(index=False, na_rep="")


def run_batch(
    configs: Sequence[RunConfig],
    clients: Sequence[FtClient],
    *,
    progress: bool = True,
    poll: float = 0.25,
    on_event: Callable[[BatchEvent], None] | None = None,
) -> BatchResult:
    """Run every config once, one backtest per bot at a time, and collect the results.

    Args:
        configs: the runs (:class:`RunConfig`; labels must be unique).
        clients: one client per webserver-mode bot. Two clients of one URL are refused.
        progress: one tqdm bar over the runs.
        poll: seconds between two status polls of a running backtest.
        on_event: called (from the worker threads) with each :class:`BatchEvent`.

    Returns a :class:`BatchResult`. Raises KeyboardInterrupt after aborting every running
    backtest when interrupted; ``ValueError`` for bad arguments (nothing started).
    """
    configs = list(configs)
    clients = list(clients)
    if not configs:
        raise ValueError("configs is empty: give at least one RunConfig")
    bad = [c for c in configs if not isinstance(c, RunConfig)]
    if bad:
        raise ValueError(f"configs must be RunConfig objects, got {type(bad[0]).__name__}")
    names = [c.name for c in configs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"two runs share a label: {dupes}; give each a distinct label=")
    if not clients:
        raise ValueError("clients is empty: give at least one webserver-mode FtClient")
    urls = [c.url for c in clients]
    if len(set(urls)) != len(urls):
        raise ValueError(f"two clients point at the same bot: {urls}")
    state = _Batch(configs, clients, poll=poll, on_event=on_event, progress=progress)
    return state.run()


# -- internals ------------------------------------------------------------------------------


@dataclass
class _Job:
    index: int
    config: RunConfig
    attempts: int = 0
    tried: set[str] = field(default_factory=set)


_BOT_DOWN = (ConnectionFailed, BacktestAlreadyRunning)


class _Batch:
    """The shared state of one batch: a queue of jobs and one worker thread per bot."""

    def __init__(
        self,
        configs: list[RunConfig],
        clients: list[FtClient],
        *,
        poll: float,
        on_event: Callable[[BatchEvent], None] | None,
        progress: bool,
    ) -> None:
        self.configs, self.clients, self.poll = configs, clients, poll
        self.on_event = on_event
        self.pending: queue.Queue[_Job] = queue.Queue()
        for i, config in enumerate(configs):
            self.pending.put(_Job(i, config))
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.remaining = len(configs)
        self.rows: dict[int, dict[str, Any]] = {}
        self.results: dict[str, BacktestResult] = {}
        self.bots: dict[str, str] = {c.url: "up" for c in clients}
        self.active: dict[str, BacktestRun] = {}
        self.events: list[BatchEvent] = []
        self.bar = _bar(progress, len(configs))

    def run(self) -> BatchResult:
        threads = [
            threading.Thread(target=self._worker, args=(c,), name=f"ftnb-batch-{c.url}")
            for c in self.clients
        ]
        for thread in threads:
            thread.daemon = True
            thread.start()
        try:
            while any(t.is_alive() for t in threads):
                for thread in threads:
                    thread.join(timeout=0.2)
        except KeyboardInterrupt:
            self.stop.set()
            aborted = self._abort_all()
            for thread in threads:
                thread.join(timeout=30)
            message = f"batch interrupted: aborted {aborted} running backtest(s) on their bots"
            print(message, file=sys.stderr)
            raise KeyboardInterrupt(message) from None
        finally:
            if self.bar is not None:
                self.bar.close()
        self._leftovers()
        return BatchResult(self._table(), dict(self.results), dict(self.bots), list(self.events))

    # ---------------------------------------------------------------- workers

    def _worker(self, client: FtClient) -> None:
        bot = client.url
        while not self.stop.is_set():
            with self.lock:
                if self.remaining == 0:
                    return
            try:
                job = self.pending.get(timeout=0.2)
            except queue.Empty:
                continue  # a run may still come back from a bot that goes down
            if self.stop.is_set():
                return
            job.attempts += 1
            job.tried.add(bot)
            try:
                run = start(client, job.config.strategy, **job.config.start_kwargs())
                with self.lock:
                    self.active[bot] = run
                self._emit("started", job, bot)
                result = run.wait(progress=False, poll=self.poll)
            except _BOT_DOWN as exc:
                self._bot_down(bot, job, exc)
                return
            except (BacktestError, ApiError, ValueError) as exc:
                if self.stop.is_set():
                    self._done(job, bot, "aborted", str(exc))
                    return
                self._done(job, bot, "failed", str(exc))
                self._emit("failed", job, bot, str(exc))
                continue
            finally:
                with self.lock:
                    self.active.pop(bot, None)
            with self.lock:
                self.results[job.config.name] = result
            self._done(job, bot, "finished", "", result)
            self._emit("finished", job, bot)

    def _bot_down(self, bot: str, job: _Job, exc: Exception) -> None:
        with self.lock:
            self.bots[bot] = f"{type(exc).__name__}: {exc}"
            alive = [url for url, s in self.bots.items() if s == "up"]
        self._emit("bot_down", job, bot, str(exc))
        if any(url not in job.tried for url in alive):
            self._emit("retry", job, bot, str(exc))
            self.pending.put(job)
        else:
            self._done(job, bot, "failed", f"no bot left to run it (last: {exc})")

    def _done(
        self,
        job: _Job,
        bot: str,
        status: str,
        error: str,
        result: BacktestResult | None = None,
    ) -> None:
        row: dict[str, Any] = {"label": job.config.name}
        config = asdict(job.config)
        for column in SETTING_COLUMNS:
            value = config[column]
            row[column] = _timerange_text(value) if column == "timerange" else value
        row |= {"bot": bot, "attempts": job.attempts, "status": status, "error": error}
        if result is not None:
            row |= {m: result.summary.get(m) for m in METRICS}
        with self.lock:
            self.rows[job.index] = row
            self.remaining -= 1
        if self.bar is not None:
            self.bar.update(1)

    def _leftovers(self) -> None:
        """Runs no bot could take (every bot down before they started)."""
        while True:
            try:
                job = self.pending.get_nowait()
            except queue.Empty:
                return
            self._done(job, "", "failed", "every bot was down")

    def _abort_all(self) -> int:
        with self.lock:
            running = list(self.active.values())
        for run in running:
            try:
                run.abort()
            except (ConnectionFailed, ApiError, TimeoutError):
                continue
        return len(running)

    def _emit(self, kind: str, job: _Job, bot: str, detail: str = "") -> None:
        event = BatchEvent(kind, job.config.name, bot, detail)
        with self.lock:
            self.events.append(event)
        if self.bar is not None and kind in ("started", "retry", "bot_down"):
            self.bar.set_postfix_str(f"{kind}: {job.config.name} on {bot}", refresh=True)
        if self.on_event is not None:
            self.on_event(event)

    def _table(self) -> pd.DataFrame:
        rows = [self.rows[i] for i in sorted(self.rows)]
        columns = ["label", *SETTING_COLUMNS, "bot", "attempts", "status", "error", *METRICS]
        table = pd.DataFrame(rows).reindex(columns=columns)
        table["status"] = table["status"].astype("category")
        table["attempts"] = table["attempts"].astype("int64")
        return table


def _bar(enabled: bool, total: int) -> Any:
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="backtests", unit="run")


def _as_list(name: str, value: Any) -> list[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return [value]
    values = list(value)
    if not values:
        raise ValueError(f"grid: {name} has no values")
    return values


def _moment(name: str, value: date | datetime | str) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"{name}: datetimes must be timezone-aware, got {value!r}")
        return value
    if isinstance(value, date):
        return datetime.combine(value, dtime(0), tzinfo=UTC)
    if isinstance(value, str):
        try:
            return datetime.strptime(value, "%Y%m%d").replace(tzinfo=UTC)
        except ValueError:
            raise ValueError(f"{name} must be a date or 'YYYYMMDD', got {value!r}") from None
    raise ValueError(f"{name} must be a date, a datetime or 'YYYYMMDD', got {value!r}")


def _timerange_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, tuple) and len(value) == 2:
        return "-".join(_part(v) for v in value)
    return str(value)


def _day_or_time(moment: datetime) -> date | datetime:
    """A UTC midnight as a date (freqtrade's day timerange), other moments as they are."""
    utc = moment.astimezone(UTC)
    return utc.date() if utc.time() == dtime(0) else utc


def _part(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%S")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    return str(value)
