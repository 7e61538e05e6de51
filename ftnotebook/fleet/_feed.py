"""One merged live feed for a fleet: a :class:`~ftnotebook.LiveFeed` per bot, every message
tagged with its bot, one queue and one set of callbacks.

Each bot's feed runs its own thread and reconnects on its own (backoff, fresh token), so
a bot that drops or reconnects never stalls the others: their messages keep flowing
into the shared queue. Starting does not wait for slow bots either
(:meth:`FleetFeed.start` waits at most ``timeout`` seconds in all, then reports who is
connected).

::

    with FleetFeed(fleet) as feed:
        feed.on(lambda m: print(m.bot, m.type), types=["entry_fill", "exit_fill"])
        for tagged in feed.messages(timeout=60):
            print(tagged.bot, tagged.message)
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from ftnotebook.live import LiveFeed
from ftnotebook.live.messages import LiveMessage

if TYPE_CHECKING:
    from ftnotebook.fleet._fleet import Fleet

__all__ = ["FleetFeed", "FleetMessage"]

FleetCallback = Callable[["FleetMessage"], object]


@dataclass(frozen=True)
class FleetMessage:
    """A live message and the bot it came from."""

    bot: str
    message: LiveMessage

    @property
    def type(self) -> str:
        """The message's type (``entry_fill``, ``whitelist`` ...)."""
        return self.message.type


class FleetFeed:
    """Live feeds of every bot of a fleet, merged.

    Args:
        fleet: a :class:`~ftnotebook.fleet.Fleet` (or ``{name: LiveFeed}`` already made).
        queue_size: tagged messages kept for :meth:`get`; the oldest are dropped when
            nobody reads them (counted in :attr:`dropped`).
        feed_kwargs: passed to every :meth:`LiveFeed.from_client` (``subscribe=``,
            ``backoff_initial=`` ...).
    """

    def __init__(
        self,
        fleet: Fleet | Mapping[str, LiveFeed],
        *,
        queue_size: int = 5000,
        **feed_kwargs: Any,
    ) -> None:
        if isinstance(queue_size, bool) or not isinstance(queue_size, int) or queue_size < 1:
            raise ValueError(f"queue_size must be an int >= 1, got {queue_size!r}")
        if isinstance(fleet, Mapping):
            feeds = dict(fleet)
            for name, feed in feeds.items():
                if not isinstance(feed, LiveFeed):
                    raise ValueError(
                        f"feeds[{name!r}] must be a LiveFeed, got {type(feed).__name__}"
                    )
        else:
            feeds = {n: LiveFeed.from_client(c, **feed_kwargs) for n, c in fleet.clients.items()}
        if not feeds:
            raise ValueError("a fleet feed needs at least one bot")
        self.feeds: dict[str, LiveFeed] = feeds
        self.dropped = 0
        self._queue: queue.Queue[FleetMessage] = queue.Queue(maxsize=queue_size)
        self._callbacks: list[
            tuple[frozenset[str] | None, frozenset[str] | None, FleetCallback]
        ] = []
        self._lock = threading.Lock()
        self._removers = [
            feed.on(lambda msg, name=name: self._deliver(name, msg))  # type: ignore[misc]
            for name, feed in feeds.items()
        ]

    # ------------------------------------------------------------ lifecycle

    def start(self, *, timeout: float = 15.0) -> Self:
        """Start every bot's feed at once; wait up to ``timeout`` s in all for them to connect.

        Bots that are not connected by then keep trying in the background (see
        :meth:`states`); a bot that refused the token is ``failed``.
        """
        for feed in self.feeds.values():
            with contextlib.suppress(Exception):
                feed.start(wait=False)
        deadline = time.monotonic() + timeout
        for feed in self.feeds.values():
            feed.wait_connected(max(0.0, deadline - time.monotonic()))
        return self

    def stop(self) -> None:
        """Stop every feed. Safe to call twice."""
        for remove in self._removers:
            remove()
        for feed in self.feeds.values():
            feed.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def states(self) -> dict[str, str]:
        """Each bot's feed state (``connected``, ``reconnecting``, ``failed`` ...)."""
        return {name: feed.state for name, feed in self.feeds.items()}

    @property
    def connected(self) -> list[str]:
        """The bots whose feed is connected now."""
        return [name for name, feed in self.feeds.items() if feed.connected]

    def __repr__(self) -> str:
        states = ", ".join(f"{n}={s}" for n, s in self.states().items())
        return f"<FleetFeed {states}>"

    # ------------------------------------------------------------ messages

    def on(
        self,
        callback: FleetCallback,
        *,
        types: Iterable[str] | None = None,
        bots: Iterable[str] | None = None,
    ) -> Callable[[], None]:
        """Call ``callback(tagged)`` for every message (or those of ``types`` / ``bots``).

        Callbacks run in the sending bot's feed thread; keep them short. An exception in
        one is swallowed so it never stops a feed. Returns a function that removes it.
        """
        if not callable(callback):
            raise ValueError(f"callback must be callable, got {type(callback).__name__}")
        wanted = frozenset([types] if isinstance(types, str) else types) if types else None
        which = frozenset([bots] if isinstance(bots, str) else bots) if bots else None
        if which is not None and not which <= set(self.feeds):
            raise ValueError(f"unknown bot(s) {sorted(which - set(self.feeds))}")
        entry = (wanted, which, callback)
        with self._lock:
            self._callbacks.append(entry)

        def remove() -> None:
            with self._lock, contextlib.suppress(ValueError):
                self._callbacks.remove(entry)

        return remove

    def get(self, timeout: float | None = None) -> FleetMessage:
        """The next tagged message of any bot.

        Raises:
            TimeoutError: nothing arrived within ``timeout`` seconds.
        """
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"no fleet message within {timeout:g} s") from None

    def messages(self, timeout: float | None = None) -> Iterator[FleetMessage]:
        """Iterate over tagged messages; ends after ``timeout`` seconds of silence."""
        while True:
            try:
                yield self.get(timeout)
            except TimeoutError:
                return

    def _deliver(self, bot: str, msg: LiveMessage) -> None:
        tagged = FleetMessage(bot, msg)
        while True:
            try:
                self._queue.put_nowait(tagged)
                break
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self._queue.get_nowait()
                    self.dropped += 1
        with self._lock:
            callbacks = list(self._callbacks)
        for wanted, which, callback in callbacks:
            if (wanted is None or msg.type in wanted) and (which is None or bot in which):
                with contextlib.suppress(Exception):
                    callback(tagged)
