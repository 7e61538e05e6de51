"""One concurrency helper for fleet calls: run a function per bot in threads, with a
per-bot timeout, and get back one :class:`Outcome` per bot, a result *or* a typed error.

Why threads: every call is network I/O through requests, which releases the GIL; one
thread per bot means the slowest bot sets the wall time, not the sum of all bots.
Why outcomes instead of exceptions: one bot that is down must never fail the call for
the others. Its outcome carries the error it raised (the client's typed error:
``ConnectionFailed``, ``Unauthorized`` ...) or :class:`~ftnotebook.fleet.BotTimeout`.

>>> from ftnotebook.fleet import run_each
>>> result = run_each({"a": lambda: 1, "b": lambda: 1 / 0}, timeout=5)
>>> result["a"].value, type(result["b"].error).__name__
(1, 'ZeroDivisionError')
>>> result.answered, result.failed, result.status
(['a'], ['b'], 'partial')
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar

from ftnotebook.fleet._errors import BotTimeout

__all__ = ["FleetResult", "Outcome", "run_each"]

T = TypeVar("T")
Status = Literal["ok", "partial", "failed", "empty"]


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What one bot gave: ``value`` when it answered, else ``error`` (never both).

    ``seconds`` is how long its call took (the timeout, when it timed out); ``at`` when
    the outcome was known (UTC).
    """

    bot: str
    value: T | None
    error: BaseException | None
    seconds: float
    at: datetime

    @property
    def ok(self) -> bool:
        """True when the bot answered."""
        return self.error is None

    def unwrap(self) -> T:
        """The value, or the bot's error raised."""
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]

    @property
    def error_text(self) -> str:
        """``"ErrorType: message"`` or ``""``."""
        if self.error is None:
            return ""
        return f"{type(self.error).__name__}: {self.error}"


class FleetResult(Mapping[str, Outcome[T]]):
    """The outcomes of one fleet call, by bot name, in the fleet's order.

    A mapping (``result["btc"]``), plus :attr:`values` (the answers), :attr:`errors`,
    :attr:`answered`, :attr:`failed`, :attr:`status` and :meth:`summary`.
    """

    def __init__(self, what: str, outcomes: Mapping[str, Outcome[T]]) -> None:
        self.what = what
        self._outcomes = dict(outcomes)

    def __getitem__(self, bot: str) -> Outcome[T]:
        return self._outcomes[bot]

    def __iter__(self) -> Iterator[str]:
        return iter(self._outcomes)

    def __len__(self) -> int:
        return len(self._outcomes)

    @property
    def values_by_bot(self) -> dict[str, T]:
        """The answers of the bots that answered."""
        return {b: o.value for b, o in self._outcomes.items() if o.error is None}  # type: ignore[misc]

    @property
    def errors(self) -> dict[str, BaseException]:
        """The error of every bot that did not answer."""
        return {b: o.error for b, o in self._outcomes.items() if o.error is not None}

    @property
    def answered(self) -> list[str]:
        return [b for b, o in self._outcomes.items() if o.ok]

    @property
    def failed(self) -> list[str]:
        return [b for b, o in self._outcomes.items() if not o.ok]

    @property
    def status(self) -> Status:
        """``ok`` (every bot answered), ``partial``, ``failed`` (none did) or ``empty``."""
        if not self._outcomes:
            return "empty"
        if not self.failed:
            return "ok"
        return "failed" if not self.answered else "partial"

    def summary(self) -> str:
        """One line: which bots answered and which did not, and why.

        >>> run_each({"a": lambda: 1}, what="ping").summary()
        'ping: 1/1 bots answered (a)'
        """
        line = f"{self.what}: {len(self.answered)}/{len(self)} bots answered"
        if self.answered:
            line += f" ({', '.join(self.answered)})"
        if self.failed:
            line += "; failed: " + "; ".join(
                f"{b} ({self._outcomes[b].error_text})" for b in self.failed
            )
        return line

    def table(self) -> list[dict[str, Any]]:
        """One dict per bot: ``bot``, ``ok``, ``error``, ``seconds`` (for a frame or a widget)."""
        return [
            {"bot": b, "ok": o.ok, "error": o.error_text, "seconds": round(o.seconds, 3)}
            for b, o in self._outcomes.items()
        ]

    def __repr__(self) -> str:
        return f"<FleetResult {self.summary()}>"


def run_each(
    tasks: Mapping[str, Callable[[], T]],
    *,
    timeout: float = 10.0,
    what: str = "call",
    max_workers: int | None = None,
) -> FleetResult[T]:
    """Run every task in its own thread; wait at most ``timeout`` seconds for each.

    The timeout is counted from the moment each task starts, so a bot that hangs costs
    the call ``timeout`` seconds at most, whatever the others do; its outcome is a
    :class:`BotTimeout` and its thread is left to finish in the background (its answer
    is dropped). Every exception a task raises becomes its outcome's ``error``.

    ``max_workers`` defaults to one thread per task.

    Raises:
        ValueError: ``timeout`` is not a positive number.
    """
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise ValueError(f"timeout must be a number of seconds > 0, got {timeout!r}")
    if not tasks:
        return FleetResult(what, {})
    started: dict[str, float] = {}
    lock = threading.Lock()

    def runner(name: str, task: Callable[[], T]) -> T:
        with lock:
            started[name] = time.monotonic()
        return task()

    pool = ThreadPoolExecutor(max_workers or len(tasks), thread_name_prefix="ftnb-fleet")
    futures: dict[Future[T], str] = {pool.submit(runner, n, t): n for n, t in tasks.items()}
    outcomes: dict[str, Outcome[T]] = {}
    pending = set(futures)
    try:
        while pending:
            now = time.monotonic()
            with lock:
                deadlines = {
                    f: started[futures[f]] + timeout for f in pending if futures[f] in started
                }
            for future, deadline in deadlines.items():
                if deadline <= now and not future.done():
                    name = futures[future]
                    error = BotTimeout(
                        f"{name}: no answer within the fleet's {timeout:g} s timeout"
                    )
                    outcomes[name] = Outcome(name, None, error, timeout, datetime.now(UTC))
                    pending.discard(future)
            if not pending:
                break
            soonest = min(deadlines.values(), default=now + 0.05)
            done, _ = wait(
                pending, timeout=max(0.0, soonest - now) + 0.001, return_when=FIRST_COMPLETED
            )
            for future in done:
                name = futures[future]
                seconds = time.monotonic() - started.get(name, now)
                exc = future.exception()
                value = None if exc is not None else future.result()
                outcomes[name] = Outcome(name, value, exc, seconds, datetime.now(UTC))
                pending.discard(future)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return FleetResult(what, {name: outcomes[name] for name in tasks})
