"""Start, follow, wait for and abort one backtest on a webserver-mode bot.

A bot runs one backtest at a time (``POST /backtest`` starts it in the background,
``GET /backtest`` reports ``step`` and ``progress``, ``GET /backtest/abort`` stops it).
:func:`start` checks what it can before sending anything (the strategy exists, the
bot has candles for the timeframe, the timerange is well formed) and refuses a second
start while one runs, naming the running one. :meth:`BacktestRun.wait` shows a tqdm
bar and returns the :class:`~ftnotebook.backtest.BacktestResult`; Ctrl-C while it
waits aborts the backtest on the bot and says so.

>>> run = start(client, "FtnbDemo", timerange="20261120-20261125", stake_amount=100)
>>> result = run.wait()
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from ftnotebook._base import opt_float, opt_int, timerange_arg
from ftnotebook.backtest._errors import BacktestAborted, BacktestAlreadyRunning, BacktestFailed
from ftnotebook.exceptions import RpcError

if TYPE_CHECKING:
    from ftnotebook.backtest._result import BacktestResult
    from ftnotebook.client import FtClient
    from ftnotebook.models import BacktestResponse

__all__ = ["BacktestRun", "running", "start"]

_STOP_REQUESTED = "Stop requested"
_BUSY = "Background task already running"
#: Steps before the bot's Backtesting object exists: an abort sent then is lost.
_TOO_EARLY = frozenset({"startup", ""})

#: The run each bot (by URL) was last asked to start from this Python process.
_RUNS: dict[str, BacktestRun] = {}


@dataclass
class BacktestRun:
    """One backtest started on a bot: poll it, wait for it, abort it.

    Attributes:
        client: the webserver-mode bot's client.
        strategy: the strategy under test.
        request: the fields sent to ``POST /backtest`` (None ones dropped).
        started_at: ``time.monotonic()`` at the start.
        last: the bot's last ``GET /backtest`` answer (without the result body).
        polls: ``GET /backtest`` requests made so far (for tests).
    """

    client: FtClient
    strategy: str
    request: dict[str, Any]
    started_at: float = field(default_factory=time.monotonic)
    last: dict[str, Any] = field(default_factory=dict)
    polls: int = 0
    _result: BacktestResult | None = field(default=None, repr=False)

    def describe(self) -> str:
        """``FtnbDemo 20261120-20261125 (stake 100)``: what this run is."""
        parts = [self.strategy]
        for key in ("timerange", "timeframe"):
            if self.request.get(key):
                parts.append(str(self.request[key]))
        if self.request.get("stake_amount") is not None:
            parts.append(f"(stake {self.request['stake_amount']})")
        return " ".join(parts)

    # ------------------------------------------------------------------ polling

    def poll(self) -> BacktestResponse:
        """``GET /backtest`` once; keeps the answer (minus the result) in :attr:`last`."""
        answer = self.client.backtest()
        self.polls += 1
        self.last = {k: v for k, v in answer.items() if k != "backtest_result"}
        return answer

    @property
    def running(self) -> bool:
        """The bot still ran the backtest at the last :meth:`poll`."""
        return bool(self.last.get("running", True))

    def wait(
        self,
        *,
        progress: bool = True,
        timeout: float | None = None,
        poll: float = 0.25,
        on_progress: Callable[[dict[str, Any]], None] | None = None,
        extras: bool = True,
    ) -> BacktestResult:
        """Poll until the backtest ends; return its :class:`BacktestResult`.

        Args:
            progress: show a tqdm bar from the bot's ``step`` and ``progress``.
            timeout: give up after this many seconds (``TimeoutError``; the backtest
                keeps running on the bot). None waits for as long as it takes.
            poll: seconds between two ``GET /backtest``.
            on_progress: called with each poll's answer (step, progress, trade_count).
            extras: also load the stored run's wallet and market change.

        Raises:
            BacktestFailed: the bot's backtest failed (the bot's message).
            BacktestAborted: it was aborted (:meth:`abort`, or from elsewhere).
            KeyboardInterrupt: after Ctrl-C, once the backtest is aborted on the bot.
        """
        if self._result is not None:
            return self._result
        bar = _Bar(progress, self.strategy)
        deadline = None if timeout is None else time.monotonic() + float(timeout)
        try:
            while True:
                answer = self.poll()
                bar.update(self.last)
                if on_progress is not None:
                    on_progress(dict(self.last))
                if not answer["running"]:
                    break
                if deadline is not None and time.monotonic() > deadline:
                    raise TimeoutError(
                        f"backtest {self.describe()} still running after {timeout:g} s "
                        f"({self.last.get('step')}, {self.last.get('progress', 0):.0%}); "
                        "it goes on on the bot: wait() again, or abort()"
                    )
                time.sleep(poll)
        except KeyboardInterrupt:
            bar.close()
            final = self.abort()
            message = f"backtest {self.describe()} aborted on the bot ({final.get('status_msg')})"
            print(message, file=sys.stderr)
            raise KeyboardInterrupt(message) from None
        finally:
            bar.close()
        self._result = self._finish(answer, extras=extras)
        return self._result

    def _finish(self, answer: BacktestResponse, *, extras: bool) -> BacktestResult:
        from ftnotebook.backtest._history import attach_extras
        from ftnotebook.backtest._result import BacktestResult

        status, message = answer["status"], answer.get("status_msg", "")
        if status == "error":
            detail = message.removeprefix("Backtest failed with ").strip()
            if detail == _STOP_REQUESTED:
                raise BacktestAborted(f"backtest {self.describe()} was aborted on the bot")
            raise BacktestFailed(f"backtest {self.describe()} failed on the bot: {detail}", detail)
        if status != "ended" or not answer.get("backtest_result"):
            raise BacktestFailed(
                f"backtest {self.describe()} gave no result: {status} ({message})", message
            )
        result = BacktestResult.from_stats(answer["backtest_result"] or {}, self.strategy)
        if extras:
            attach_extras(self.client, result)
        return result

    # ------------------------------------------------------------------- abort

    def abort(self, *, poll: float = 0.2, max_polls: int = 3000) -> dict[str, Any]:
        """Stop the backtest on the bot and wait until it has stopped.

        An abort sent while the bot still sets the backtest up (step ``startup``) would
        be lost, so it is (re)sent on each poll until the bot has stopped. An aborted
        backtest stores nothing on the bot. Returns the bot's last answer.
        """
        for _ in range(max_polls):
            answer = self.poll()
            if not answer["running"]:
                return dict(self.last)
            if self.last.get("step") not in _TOO_EARLY:
                self.client.abort_backtest()
            time.sleep(poll)
        raise TimeoutError(f"backtest {self.describe()} still running after {max_polls} polls")


def running(client: FtClient) -> BacktestRun | None:
    """The backtest this process started on ``client``'s bot, if it still runs there."""
    run = _RUNS.get(client.url)
    if run is None:
        return None
    run.poll()
    return run if run.running else None


def start(
    client: FtClient,
    strategy: str,
    *,
    timeframe: str | None = None,
    timeframe_detail: str | None = None,
    timerange: str | tuple[date | datetime | None, date | datetime | None] | None = None,
    max_open_trades: int | None = None,
    stake_amount: float | Literal["unlimited"] | None = None,
    dry_run_wallet: float | None = None,
    enable_protections: bool = False,
    backtest_cache: str | None = "none",
    freqaimodel: str | None = None,
    freqai_identifier: str | None = None,
    check: bool = True,
) -> BacktestRun:
    """Start a backtest on a webserver-mode bot; returns the :class:`BacktestRun`.

    Every field of freqtrade's ``POST /backtest`` is an argument; unset ones come from
    the bot's config. ``check=True`` first asks the bot whether it knows ``strategy``
    (``/strategies``) and has candles for ``timeframe`` (``/available_pairs``), so a
    typo fails at once with a ``ValueError`` and nothing is started.

    ``backtest_cache`` defaults to ``"none"`` (always a fresh run): when freqtrade
    2026.9 reuses a stored result of the same settings (``"day"``, its own default) the
    API answers with an empty result (no trades, zero profit).

    Raises:
        ValueError: a bad argument (nothing sent), an unknown strategy or timeframe.
        BacktestAlreadyRunning: the bot runs another backtest (named when known).
        WrongMode: a trade-mode bot (backtests need ``freqtrade webserver``).
    """
    if not isinstance(strategy, str) or not strategy.strip():
        raise ValueError(f"strategy must be a strategy class name, got {strategy!r}")
    if timerange is None or (isinstance(timerange, str) and not timerange.strip()):
        raise ValueError(
            "timerange is empty: give 'YYYYMMDD-YYYYMMDD' (or e.g. '20200101-' for all the "
            "bot's data); freqtrade's webserver fails a backtest without one"
        )
    _check_order(timerange_arg("timerange", timerange))
    opt_float("stake_amount", None if stake_amount == "unlimited" else stake_amount, positive=True)
    opt_float("dry_run_wallet", dry_run_wallet, positive=True)
    opt_int("max_open_trades", max_open_trades, minimum=-1)
    if check:
        known = client.strategies()["strategies"]
        if strategy not in known:
            raise ValueError(f"the bot has no strategy {strategy!r}; it has {sorted(known)}")
        for name, tf in (("timeframe", timeframe), ("timeframe_detail", timeframe_detail)):
            if tf is not None:
                found = client.available_pairs(timeframe=tf)
                if not found["length"]:
                    have = sorted({str(p[1]) for p in client.available_pairs()["pair_interval"]})
                    raise ValueError(
                        f"the bot has no {tf} candles for {name}={tf!r}; it has {have}"
                    )
    busy = client.backtest()
    if busy["running"]:
        raise _already_running(client, busy)
    request: dict[str, Any] = {
        "timeframe": timeframe,
        "timeframe_detail": timeframe_detail,
        "timerange": timerange,
        "max_open_trades": max_open_trades,
        "stake_amount": stake_amount,
        "dry_run_wallet": dry_run_wallet,
        "enable_protections": enable_protections,
        "backtest_cache": backtest_cache,
        "freqaimodel": freqaimodel,
        "freqai_identifier": freqai_identifier,
    }
    try:
        client.start_backtest(strategy, **request)
    except RpcError as exc:
        if _BUSY in str(exc.detail):
            raise _already_running(client, client.backtest()) from exc
        raise
    sent = {k: v for k, v in request.items() if v is not None}
    sent["timerange"] = timerange_arg("timerange", timerange)
    run = BacktestRun(client, strategy, sent)
    _RUNS[client.url] = run
    return run


def _check_order(text: str) -> None:
    start, _, end = text.partition("-")
    digits = start[:8], end[:8]
    if all(len(d) == 8 and d.isdigit() for d in digits) and digits[0] > digits[1]:
        raise ValueError(f"timerange {text!r} starts after it ends")


def _already_running(client: FtClient, busy: BacktestResponse) -> BacktestAlreadyRunning:
    mine = _RUNS.get(client.url)
    where = f"step {busy.get('step') or '?'}, {float(busy.get('progress') or 0):.0%}"
    if mine is not None:
        age = time.monotonic() - mine.started_at
        what = f"{mine.describe()}, started from here {age:.0f} s ago"
    else:
        what = "started elsewhere (another notebook, FreqUI or a script)"
    return BacktestAlreadyRunning(
        f"the bot already runs a backtest: {what} ({where}); a bot runs one backtest at a "
        "time: wait for it (backtest.running(client).wait()) or abort it"
    )


class _Bar:
    """A tqdm bar over the bot's progress (0..1 per step), or nothing."""

    def __init__(self, enabled: bool, strategy: str) -> None:
        self._bar: Any = None
        self._step = ""
        if enabled:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=100, desc=f"{strategy}: startup", unit="%", leave=True)

    def update(self, answer: dict[str, Any]) -> None:
        if self._bar is None:
            return
        step = str(answer.get("step") or self._step)
        if step != self._step:
            self._step = step
            self._bar.set_description_str(f"{self._bar.desc.split(':')[0]}: {step}")
        self._bar.n = round(float(answer.get("progress") or 0.0) * 100, 1)
        count = answer.get("trade_count")
        if count is not None:
            self._bar.set_postfix_str(f"{int(count)} trades", refresh=False)
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
