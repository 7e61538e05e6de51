"""The bot's WebSocket feed in a background thread: dependable, typed, notebook-safe.

freqtrade pushes trade notifications, whitelist changes, new candles and analysed
dataframes over ``/api/v1/message/ws?token=...``, but only for the types a client
**subscribes** to, and it never pings. :class:`LiveFeed` handles all of that:

* subscribes on every (re)connection, to every type by default;
* sends a ping every ``ping_interval`` seconds and treats a missing pong as a dead link;
* reconnects with exponential backoff plus jitter, fetching a fresh token each time
  (a new short-lived JWT from an :class:`~ftnotebook.FtClient` with credentials, or
  the ``ws_token``);
* stops for good, with :class:`~ftnotebook.exceptions.LiveFeedAuthError`, when the bot
  refuses the token: a wrong token is never retried in a loop;
* runs in a daemon thread on websocket-client, so it needs no asyncio and never blocks
  the notebook's own event loop;
* turns every frame into a typed message (:mod:`ftnotebook.live.messages`) and hands it
  to callbacks (:meth:`LiveFeed.on`), a queue (:meth:`LiveFeed.get`, iteration) and a
  short history that :meth:`LiveFeed.wait_for` searches.

Tokens never appear in our reprs, logs or error messages. The bot itself logs the
token of every handshake (it is in the URL); :meth:`LiveFeed.from_client` therefore
connects with short-lived JWTs rather than the never-expiring ``ws_token``, and its
docstring states the risk that remains.

Example::

    from ftnotebook import FtClient
    from ftnotebook.live import LiveFeed

    client = FtClient.from_env()
    with LiveFeed.from_client(client) as feed:          # connects, subscribes
        feed.on(print, types=["entry_fill", "exit_fill"])
        df = feed.request_analyzed_df("BTC/USDT", limit=100).frame
        for msg in feed.messages(timeout=60):           # stops after 60 s of silence
            print(msg)
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import random
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self
from urllib.parse import quote, urlsplit

import websocket

from ftnotebook.exceptions import (
    ApiError,
    ConnectionFailed,
    LiveFeedAuthError,
    LiveFeedError,
    Unauthorized,
)
from ftnotebook.live.messages import (
    MESSAGE_TYPES,
    AnalyzedDfMessage,
    LiveMessage,
    WhitelistMessage,
    parse_message,
)
from ftnotebook.settings import Secret, normalize_url

if TYPE_CHECKING:
    from ftnotebook.client import FtClient

__all__ = ["FeedStats", "LiveFeed", "TokenSource", "backoff_delay"]

logger = logging.getLogger(__name__)

ENV_WS_TOKEN = "FTNOTEBOOK_WS_TOKEN"

TokenSource = Callable[[], "str | Secret"]
"""A callable returning a token for the next connection (e.g. a fresh JWT)."""

FeedState = Literal["idle", "connecting", "connected", "reconnecting", "stopped", "failed"]
Callback = Callable[[LiveMessage], object]

_POLL_S = 0.5
"""How often the reader wakes up without traffic (to ping and notice stop())."""
_AUTH_STATUSES = (401, 403)
_STOP = object()


def backoff_delay(
    failures: int,
    *,
    initial: float,
    maximum: float,
    rng: random.Random | None = None,
    fast_retries: int = 0,
) -> float:
    """Seconds to wait before the next connection attempt after ``failures`` failed ones.

    The first ``fast_retries`` failures wait about ``initial`` each (a bot that restarts
    is back within seconds, and the feed should be there within a second of it); after
    them the wait doubles per failure (``initial * 2**k``, capped at ``maximum``). Every
    wait has "equal jitter": a random value between half and all of it, so many
    notebooks that lost the same bot do not reconnect in lockstep. ``failures == 0``
    (a healthy link that just dropped) waits at most ``initial / 2``.

    >>> 0.5 <= backoff_delay(1, initial=1.0, maximum=30.0) <= 1.0
    True
    >>> 15.0 <= backoff_delay(10, initial=1.0, maximum=30.0) <= 30.0
    True
    >>> 0.1 <= backoff_delay(20, initial=0.2, maximum=30.0, fast_retries=40) <= 0.2
    True
    """
    rng = rng or random.Random()
    if failures <= 0:
        return rng.uniform(0.0, initial / 2)
    slow = failures - max(0, fast_retries)  # failures past the fast phase
    if slow <= 0:
        base = min(maximum, initial)
    else:
        # without a fast phase the first failure waits ``initial``; after one, the
        # doubling starts from there (2x, 4x, ...)
        exponent = slow - 1 + (1 if fast_retries > 0 else 0)
        base = min(maximum, initial * 2 ** min(exponent, 30))
    return rng.uniform(base / 2, base)


@dataclass
class FeedStats:
    """Counters of one :class:`LiveFeed`, for monitoring and tests.

    ``reconnect_seconds`` holds, for every reconnection, the time from noticing the
    drop to being connected and subscribed again.
    """

    attempts: int = 0
    connects: int = 0
    connected_at: float | None = None
    """``time.monotonic()`` when the current (or last) connection was made."""
    retry_delays: list[float] = field(default_factory=list)
    """Every wait the feed chose between two attempts, in seconds."""
    disconnects: int = 0
    received: int = 0
    dropped: int = 0
    reconnect_seconds: list[float] = field(default_factory=list)
    last_error: str | None = None


class LiveFeed:
    """A WebSocket subscription to a freqtrade bot, kept alive in a background thread.

    Args:
        url: the bot's API URL, e.g. ``"http://127.0.0.1:8080"`` (``/api/v1`` optional;
            ``https`` becomes ``wss``).
        token: the bot's ``api_server.ws_token``, a JWT access token, or a callable
            returning one, called before every connection (for JWTs, which expire).
        subscribe: message types to receive (default: all of them). freqtrade ignores a
            subscription that names an unknown type, so unknown names are refused here.
        ping_interval: seconds between keepalive pings (the server sends none).
        ping_timeout: seconds to wait for the pong before the link counts as dead.
        connect_timeout: seconds for the TCP connect and WebSocket handshake.
        backoff_initial, backoff_max, fast_retries: reconnection backoff, see
            :func:`backoff_delay`: ``fast_retries`` attempts about ``backoff_initial``
            apart (about a minute by default), then doubling waits up to ``backoff_max``.
        healthy_after: a connection that lasted this many seconds resets the backoff;
            one that drops sooner (a flapping link) counts as a failure.
        reconnect: set False to stop at the first disconnection instead.
        queue_size: messages kept for :meth:`get` / iteration; the oldest are dropped
            (and counted in ``stats.dropped``) when nobody reads them.
        history_size: recent messages kept for :meth:`wait_for` and :attr:`history`.

    Prefer :meth:`from_client`, :meth:`from_env` or :meth:`from_config`, which find the
    URL and token for you.
    """

    def __init__(
        self,
        url: str,
        token: str | Secret | TokenSource,
        *,
        subscribe: Iterable[str] | None = None,
        ping_interval: float = 15.0,
        ping_timeout: float = 10.0,
        connect_timeout: float = 10.0,
        backoff_initial: float = 0.25,
        backoff_max: float = 30.0,
        fast_retries: int = 300,
        healthy_after: float = 10.0,
        reconnect: bool = True,
        queue_size: int = 1000,
        history_size: int = 500,
    ) -> None:
        self.url = normalize_url(url)
        parts = urlsplit(self.url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.ws_url = f"{scheme}://{parts.netloc}{parts.path}/api/v1/message/ws"
        if callable(token):
            self._token_source: TokenSource = token
            self._token_kind = "callable"
        elif isinstance(token, str | Secret) and token:
            secret = token if isinstance(token, Secret) else Secret(token)
            self._token_source = lambda: secret
            self._token_kind = "static"
        else:
            raise ValueError(
                "token must be a non-empty str or Secret (the bot's ws_token or a JWT), or "
                f"a callable returning one; got {type(token).__name__}"
            )
        for name, value in (
            ("ping_interval", ping_interval),
            ("ping_timeout", ping_timeout),
            ("connect_timeout", connect_timeout),
            ("backoff_initial", backoff_initial),
            ("backoff_max", backoff_max),
            ("healthy_after", healthy_after),
        ):
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ValueError(f"{name} must be a number > 0, got {value!r}")
        for name, size in (("queue_size", queue_size), ("history_size", history_size)):
            if isinstance(size, bool) or not isinstance(size, int) or size < 1:
                raise ValueError(f"{name} must be an int >= 1, got {size!r}")
        self._subscriptions = _types_arg("subscribe", subscribe) or MESSAGE_TYPES
        self.ping_interval = float(ping_interval)
        self.ping_timeout = float(ping_timeout)
        self.connect_timeout = float(connect_timeout)
        self.backoff_initial = float(backoff_initial)
        self.backoff_max = float(backoff_max)
        if isinstance(fast_retries, bool) or not isinstance(fast_retries, int) or fast_retries < 0:
            raise ValueError(f"fast_retries must be an int >= 0, got {fast_retries!r}")
        self.fast_retries = fast_retries
        self.healthy_after = float(healthy_after)
        self.reconnect = reconnect
        self.stats = FeedStats()

        self._queue: queue.Queue[object] = queue.Queue(maxsize=queue_size)
        self._history: deque[tuple[int, LiveMessage]] = deque(maxlen=history_size)
        self._seq = 0
        self._cond = threading.Condition()
        self._callbacks: list[tuple[frozenset[str] | None, Callback]] = []
        self._callbacks_lock = threading.Lock()
        self._stop_event = threading.Event()
        self._connected = threading.Event()
        self._settled = threading.Event()  # first connection made, or failed for good
        self._ws: websocket.WebSocket | None = None
        self._pending_ws: websocket.WebSocket | None = None  # an attempt in flight
        self._first_deadline: float | None = None  # start(timeout=) for the first connect
        self._ws_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._state: FeedState = "idle"
        self._fatal: LiveFeedError | None = None
        self._rng = random.Random()

    # ------------------------------------------------------------------ constructors

    @classmethod
    def from_client(
        cls, client: FtClient, *, use_ws_token: bool = False, **kwargs: Any
    ) -> LiveFeed:
        """A feed to the same bot as ``client``.

        With a username and password (the usual case) it logs in for a fresh,
        short-lived JWT before every connection (``POST /token/login``), and never
        sends the ``ws_token``. Without them it uses the client's ``ws_token``
        (``FtClient.from_config`` reads it). ``use_ws_token=True`` forces the
        ``ws_token``.

        Why: freqtrade logs the query string of every WebSocket handshake,
        ``"WebSocket /api/v1/message/ws?token=<token>" [accepted]``, into its log file
        and ``/api/v1/logs``. A ``ws_token`` never expires, so a log that shows it is a
        permanent key to the feed; a JWT in the log stops working when it expires.

        **Residual risk.** The JWT still reaches the bot's log. Until it expires
        (freqtrade's access tokens live 15 minutes) anyone who can read that log file,
        or call ``/api/v1/logs``, can use it, and an access token opens the whole REST
        API, not only the feed. ftnotebook masks ``token=...`` in what *it* reads
        (:meth:`FtClient.logs`, :func:`ftnotebook.frames.logs`), but not in the file on
        the bot's disk or in FreqUI. Keep the bot's log directory private, or put a
        proxy in front that strips the query string from its access log.
        """
        settings = client.settings
        if settings.username is not None and not use_ws_token:
            return cls(settings.url, lambda: client.token_login().access_token, **kwargs)
        if settings.ws_token:
            return cls(settings.url, settings.ws_token, **kwargs)
        raise ValueError(
            "LiveFeed.from_client needs a client with username/password (to log in for a "
            "JWT) or with a ws_token; this client has "
            + ("no ws_token" if use_ws_token else "neither")
        )

    @classmethod
    def from_env(cls, **kwargs: Any) -> LiveFeed:
        """``FTNOTEBOOK_URL`` with a JWT obtained with ``FTNOTEBOOK_USERNAME``/
        ``FTNOTEBOOK_PASSWORD``, or else ``FTNOTEBOOK_WS_TOKEN``.

        Credentials win over the ``ws_token``; see :meth:`from_client` for why.
        """
        from ftnotebook.client import FtClient

        ws_token = os.environ.get(ENV_WS_TOKEN)
        client = FtClient.from_env()
        if ws_token and client.settings.username is None:
            return cls(client.settings.url, Secret(ws_token), **kwargs)
        return cls.from_client(client, **kwargs)

    @classmethod
    def from_config(cls, path: str | os.PathLike[str], **kwargs: Any) -> LiveFeed:
        """The bot described by a freqtrade config file (its ``api_server`` section)."""
        from ftnotebook.client import FtClient

        return cls.from_client(FtClient.from_config(path), **kwargs)

    # ------------------------------------------------------------------ lifecycle

    def start(self, *, wait: bool = True, timeout: float = 15.0) -> Self:
        """Start the background thread; with ``wait``, return once connected.

        Raises:
            LiveFeedAuthError: the bot refused the token (nothing keeps running).
            LiveFeedError: not connected within ``timeout`` (the feed is stopped), or
                the feed was already stopped (make a new one).
        """
        if self._state in ("stopped", "failed"):
            raise LiveFeedError("this LiveFeed was stopped; create a new one to reconnect")
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise ValueError(f"timeout must be seconds > 0, got {timeout!r}")
        if self._thread is None:
            self._state = "connecting"
            if wait:
                self._first_deadline = time.monotonic() + float(timeout)
            self._thread = threading.Thread(
                target=self._run, name="ftnotebook-live-feed", daemon=True
            )
            self._thread.start()
        if wait:
            self._settled.wait(timeout)
            if self._fatal is not None:
                self.stop(timeout=1.0)
                raise self._fatal
            if not self._connected.is_set():
                last = self.stats.last_error or "no answer"
                self.stop(timeout=1.0)  # cuts an attempt in flight; does not wait for it
                raise LiveFeedError(
                    f"could not connect to {self.ws_url} within {timeout:g} s "
                    f"({self.stats.attempts} attempts; last error: {last})"
                )
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Close the connection and end the thread. Safe to call twice, from anywhere."""
        self._stop_event.set()
        self._close_ws(graceful=True)
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        if self._state != "failed":
            self._state = "stopped"
        self._connected.clear()
        self._settled.set()
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(_STOP)
        with self._cond:
            self._cond.notify_all()

    def __enter__(self) -> Self:
        if self._thread is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ status

    @property
    def state(self) -> FeedState:
        """``idle``, ``connecting``, ``connected``, ``reconnecting``, ``stopped`` or ``failed``."""
        return self._state

    @property
    def connected(self) -> bool:
        """True while a subscribed connection is open."""
        return self._connected.is_set()

    @property
    def error(self) -> LiveFeedError | None:
        """The error that stopped the feed for good, if any."""
        return self._fatal

    @property
    def subscriptions(self) -> tuple[str, ...]:
        """The message types this feed subscribes to."""
        return self._subscriptions

    @property
    def history(self) -> list[LiveMessage]:
        """The most recent messages, oldest first (up to ``history_size``)."""
        with self._cond:
            return [msg for _, msg in self._history]

    def wait_connected(self, timeout: float = 15.0) -> bool:
        """Block until connected (True) or ``timeout`` passed / the feed stopped (False)."""
        deadline = time.monotonic() + timeout
        while not self._connected.wait(min(0.2, max(0.0, deadline - time.monotonic()))):
            if self._stop_event.is_set() or time.monotonic() >= deadline:
                return self._connected.is_set()
        return True

    def __repr__(self) -> str:
        token = "JWT per connection" if self._token_kind == "callable" else "***"
        return (
            f"LiveFeed({self.ws_url!r}, token={token}, state={self._state!r}, "
            f"subscribed={len(self._subscriptions)} types, received={self.stats.received}, "
            f"reconnects={len(self.stats.reconnect_seconds)})"
        )

    def _repr_html_(self) -> str:
        colour = {"connected": "#2a9d3f", "failed": "#c0392b"}.get(self._state, "#b9770e")
        last = self.stats.last_error or ""
        return (
            f"<b>LiveFeed</b> <code>{self.ws_url}</code> "
            f"<span style='color:{colour}'>● {self._state}</span><br>"
            f"received {self.stats.received} · reconnects "
            f"{len(self.stats.reconnect_seconds)} · subscribed to "
            f"{', '.join(self._subscriptions)}"
            + (f"<br><small>last error: {_escape(last)}</small>" if last else "")
        )

    # ------------------------------------------------------------------ delivery

    def on(self, callback: Callback, *, types: Iterable[str] | None = None) -> Callable[[], None]:
        """Call ``callback(message)`` for every message (or only those of ``types``).

        Callbacks run in the feed's thread: keep them short. An exception in a callback
        is logged and does not stop the feed. Returns a function that removes it.
        """
        if not callable(callback):
            raise ValueError(f"callback must be callable, got {type(callback).__name__}")
        wanted = frozenset(_types_arg("types", types, known_only=False)) if types else None
        entry = (wanted, callback)
        with self._callbacks_lock:
            self._callbacks.append(entry)

        def remove() -> None:
            with self._callbacks_lock, contextlib.suppress(ValueError):
                self._callbacks.remove(entry)

        return remove

    def get(self, timeout: float | None = None) -> LiveMessage:
        """The next queued message; waits up to ``timeout`` seconds (``None``: forever).

        Raises:
            TimeoutError: nothing arrived in time.
            LiveFeedError: the feed has stopped (its cause, if it failed).
        """
        if self._stop_event.is_set() and self._queue.empty():
            raise self._stopped_error()
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"no message within {timeout:g} s (state {self._state!r})") from None
        if item is _STOP:
            with contextlib.suppress(queue.Full):
                self._queue.put_nowait(_STOP)  # let other readers see the end too
            raise self._stopped_error()
        assert isinstance(item, LiveMessage)
        return item

    def messages(self, timeout: float | None = None) -> Iterator[LiveMessage]:
        """Iterate over queued messages; ends when the feed stops or, with ``timeout``,
        after that many seconds without a message."""
        while True:
            try:
                yield self.get(timeout)
            except TimeoutError:
                return
            except LiveFeedError:
                if self._fatal is not None:
                    raise
                return

    def __iter__(self) -> Iterator[LiveMessage]:
        return self.messages()

    def wait_for(
        self,
        types: str | Iterable[str] | None = None,
        *,
        predicate: Callable[[LiveMessage], bool] | None = None,
        timeout: float = 10.0,
        since: datetime | None = None,
    ) -> LiveMessage:
        """The first message of ``types`` (and matching ``predicate``) to arrive.

        By default only messages arriving after the call count; pass ``since`` (an
        aware datetime taken *before* you acted, e.g. before a forceenter) to also
        accept messages already received since then. Does not consume from the queue.

        Raises:
            TimeoutError: none arrived within ``timeout`` seconds.
            LiveFeedError: the feed stopped while waiting.
        """
        if isinstance(types, str):
            types = [types]
        wanted = frozenset(_types_arg("types", types, known_only=False)) if types else None
        deadline = time.monotonic() + timeout
        with self._cond:
            next_seq = self._seq + 1
            if since is not None:
                for seq, msg in self._history:
                    if msg.received_at >= since:
                        next_seq = seq
                        break
            while True:
                for seq, msg in list(self._history):
                    if seq < next_seq:
                        continue
                    next_seq = seq + 1
                    if (wanted is None or msg.type in wanted) and (
                        predicate is None or predicate(msg)
                    ):
                        return msg
                if self._stop_event.is_set():
                    raise self._stopped_error()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    what = ", ".join(sorted(wanted)) if wanted else "any"
                    raise TimeoutError(
                        f"no {what} message within {timeout:g} s (state {self._state!r}, "
                        f"{self.stats.received} received so far)"
                    )
                self._cond.wait(remaining)

    # ------------------------------------------------------------------ requests

    def subscribe(self, types: Iterable[str]) -> None:
        """Replace the subscription (kept across reconnections) and send it now if connected."""
        subs = _types_arg("types", types)
        if not subs:
            raise ValueError(f"subscribe needs at least one type from {list(MESSAGE_TYPES)}")
        self._subscriptions = subs
        if self.connected:
            self._send({"type": "subscribe", "data": list(subs)})

    def request_whitelist(self, *, timeout: float = 10.0) -> WhitelistMessage:
        """Ask the bot for its current whitelist and return the answer."""
        since = self._send_request({"type": "whitelist", "data": None}, timeout)
        msg = self.wait_for("whitelist", timeout=timeout, since=since)
        assert isinstance(msg, WhitelistMessage)
        return msg

    def request_analyzed_df(
        self, pair: str, *, limit: int | None = None, timeout: float = 30.0
    ) -> AnalyzedDfMessage:
        """Ask for ``pair``'s analysed dataframe (last ``limit`` candles, max 1500).

        The answer's ``.frame`` has the :func:`ftnotebook.frames.pair_candles` schema.
        To request every whitelisted pair at once, use :meth:`send_analyzed_df_request`.
        """
        if not isinstance(pair, str) or "/" not in pair:
            raise ValueError(f"pair must look like 'BTC/USDT', got {pair!r}")
        since = self.send_analyzed_df_request(pair=pair, limit=limit, timeout=timeout)
        msg = self.wait_for(
            "analyzed_df",
            predicate=lambda m: _is_answer(m, pair, limit),
            timeout=timeout,
            since=since,
        )
        assert isinstance(msg, AnalyzedDfMessage)
        return msg

    def send_analyzed_df_request(
        self, *, pair: str | None = None, limit: int | None = None, timeout: float = 10.0
    ) -> datetime:
        """Send an ``analyzed_df`` request (all whitelisted pairs when ``pair`` is None).

        Answers arrive as ordinary messages (one per pair), whether or not
        ``analyzed_df`` is subscribed. Returns the send time, for ``wait_for(since=...)``.
        """
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 1500
        ):
            raise ValueError(f"limit must be an int between 1 and 1500 or None, got {limit!r}")
        data: dict[str, Any] = {"limit": limit or 1500}
        if pair is not None:
            data["pair"] = pair
        return self._send_request({"type": "analyzed_df", "data": data}, timeout)

    def drop_connection(self) -> None:
        """Cut the current socket abruptly, as a network failure would (no close frame).

        For trying out reconnection: the feed notices, reconnects and resubscribes.
        """
        self._connected.clear()
        self._close_ws(graceful=False)

    def _send_request(self, payload: dict[str, Any], timeout: float) -> datetime:
        """Send once connected (waiting up to ``timeout``); returns the send time."""
        deadline = time.monotonic() + timeout
        while True:
            if self._stop_event.is_set():
                raise self._stopped_error()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LiveFeedError(
                    f"not connected to {self.ws_url} after {timeout:g} s; "
                    f"last error: {self.stats.last_error}"
                )
            if self.wait_connected(remaining):
                since = _utcnow()
                try:
                    self._send(payload)
                    return since
                except LiveFeedError:
                    pass  # the link dropped under us; the feed is reconnecting
            time.sleep(0.02)

    def _send(self, payload: dict[str, Any]) -> None:
        ws = self._ws
        if ws is None:
            raise LiveFeedError(f"not connected to {self.ws_url}")
        try:
            ws.send(json.dumps(payload))
        except (OSError, websocket.WebSocketException) as exc:
            raise LiveFeedError(
                f"could not send {payload['type']!r} to {self.ws_url}: {exc}"
            ) from None

    # ------------------------------------------------------------------ thread

    def _run(self) -> None:
        failures = 0
        dropped_at: float | None = None
        try:
            while not self._stop_event.is_set():
                self._state = "connecting" if dropped_at is None else "reconnecting"
                try:
                    ws = self._connect()
                except LiveFeedAuthError as exc:
                    self._fail(exc)
                    return
                except _Transient as exc:
                    failures += 1
                    self.stats.last_error = str(exc)
                    delay = self._delay(failures)
                    logger.info("live feed: %s; next attempt in %.2f s", exc, delay)
                    if self._stop_event.wait(delay):
                        return
                    continue
                self.stats.connects += 1
                connected_at = self.stats.connected_at = time.monotonic()
                if dropped_at is not None:
                    self.stats.reconnect_seconds.append(time.monotonic() - dropped_at)
                self._state = "connected"
                self._connected.set()
                self._settled.set()
                logger.info("live feed connected to %s", self.ws_url)
                reason = self._read_loop(ws)
                self._connected.clear()
                self._close_ws(graceful=True)
                if self._stop_event.is_set():
                    return
                dropped_at = time.monotonic()
                self.stats.disconnects += 1
                self.stats.last_error = reason
                if not self.reconnect:
                    self._fail(LiveFeedError(f"disconnected from {self.ws_url}: {reason}"))
                    return
                # A healthy connection resets the backoff; a flapping one keeps counting.
                healthy = dropped_at - connected_at >= self.healthy_after
                failures = 0 if healthy else failures + 1
                logger.info("live feed disconnected (%s); reconnecting", reason)
                if self._stop_event.wait(self._delay(failures)):
                    return
        except Exception as exc:  # a bug must not vanish silently in a thread
            logger.exception("live feed thread crashed")
            self._fail(LiveFeedError(f"live feed thread crashed: {type(exc).__name__}: {exc}"))
        finally:
            self._connected.clear()
            if self._state not in ("failed",):
                self._state = "stopped"
            self._settled.set()

    def _delay(self, failures: int) -> float:
        delay = backoff_delay(
            failures,
            initial=self.backoff_initial,
            maximum=self.backoff_max,
            rng=self._rng,
            fast_retries=self.fast_retries,
        )
        self.stats.retry_delays.append(delay)
        return delay

    def _token(self) -> str:
        try:
            token = self._token_source()
        except Unauthorized as exc:
            raise LiveFeedAuthError(
                f"the bot refused the credentials used to obtain a token for the live feed: {exc}"
            ) from None
        except (ConnectionFailed, ApiError) as exc:
            raise _Transient(f"could not obtain a token: {exc}") from None
        value = token.reveal() if isinstance(token, Secret) else token
        if not isinstance(value, str) or not value:
            raise LiveFeedAuthError(
                f"the token source returned {type(value).__name__}, not a non-empty token"
            )
        return value

    def _connect(self) -> websocket.WebSocket:
        """One connection attempt, subscribed on success. Raises _Transient or auth errors."""
        refused = 0
        while True:
            token = self._token()
            self.stats.attempts += 1
            ws = websocket.WebSocket(enable_multithread=True)
            timeout = self.connect_timeout
            if self._first_deadline is not None:  # start(timeout=...) bounds the first one
                timeout = max(0.05, min(timeout, self._first_deadline - time.monotonic()))
            with self._ws_lock:
                self._pending_ws = ws
            try:
                if self._stop_event.is_set():
                    raise _Transient("stopped")
                ws.connect(  # type: ignore[no-untyped-call]
                    f"{self.ws_url}?token={quote(token, safe='')}",
                    timeout=timeout,
                    suppress_origin=True,
                )
                ws.settimeout(_POLL_S)
                ws.send(json.dumps({"type": "subscribe", "data": list(self._subscriptions)}))
            except websocket.WebSocketBadStatusException as exc:
                _quiet_close(ws)
                status = int(getattr(exc, "status_code", 0) or 0)
                if status in _AUTH_STATUSES:
                    refused += 1
                    # A fresh JWT may fix a token that expired in flight; ask only once more.
                    if self._token_kind == "callable" and refused == 1:
                        continue
                    raise LiveFeedAuthError(
                        f"the bot at {self.ws_url} refused the live feed's token (HTTP "
                        f"{status}). Use the bot's api_server.ws_token, or a JWT from "
                        "POST /token/login (LiveFeed.from_client does this for you)."
                    ) from None
                raise _Transient(f"handshake refused with HTTP {status}") from None
            except (OSError, websocket.WebSocketException) as exc:
                _quiet_close(ws)
                raise _Transient(f"cannot connect to {self.ws_url}: {_describe(exc)}") from None
            finally:
                with self._ws_lock:
                    self._pending_ws = None
            with self._ws_lock:
                self._ws = ws
            self._first_deadline = None
            if self._stop_event.is_set():
                self._close_ws(graceful=True)
                raise _Transient("stopped")
            return ws

    def _read_loop(self, ws: websocket.WebSocket) -> str:
        """Receive until the link breaks or stop(); returns why it ended."""
        last_traffic = time.monotonic()
        ping_sent: float | None = None
        while not self._stop_event.is_set():
            now = time.monotonic()
            if ping_sent is not None and now - ping_sent > self.ping_timeout:
                return f"no pong within {self.ping_timeout:g} s"
            if ping_sent is None and now - last_traffic >= self.ping_interval:
                try:
                    ws.ping()
                except (OSError, websocket.WebSocketException) as exc:
                    return f"ping failed: {_describe(exc)}"
                ping_sent = now
            try:
                opcode, data = ws.recv_data(control_frame=True)
            except websocket.WebSocketTimeoutException:
                continue
            except (OSError, websocket.WebSocketException) as exc:
                return f"connection lost: {_describe(exc)}"
            last_traffic = time.monotonic()
            ping_sent = None  # any traffic proves the link is alive
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                return "the bot closed the connection"
            if opcode in (websocket.ABNF.OPCODE_TEXT, websocket.ABNF.OPCODE_BINARY):
                self._handle(data)
        return "stopped"

    def _handle(self, data: bytes | str) -> None:
        try:
            obj = json.loads(data)
        except ValueError as exc:
            obj = {"type": "<invalid json>", "data": str(data[:200]), "error": str(exc)}
        msg = parse_message(obj)
        self.stats.received += 1
        with self._cond:
            self._seq += 1
            self._history.append((self._seq, msg))
            self._cond.notify_all()
        while True:
            try:
                self._queue.put_nowait(msg)
                break
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self._queue.get_nowait()
                    self.stats.dropped += 1
        with self._callbacks_lock:
            callbacks = list(self._callbacks)
        for wanted, callback in callbacks:
            if wanted is None or msg.type in wanted:
                try:
                    callback(msg)
                except Exception:
                    logger.exception("live feed callback %r failed on %s", callback, msg.type)

    def _fail(self, exc: LiveFeedError) -> None:
        self._fatal = exc
        self.stats.last_error = str(exc)
        self._state = "failed"
        self._stop_event.set()
        self._connected.clear()
        self._settled.set()
        logger.error("live feed stopped: %s", exc)
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(_STOP)
        with self._cond:
            self._cond.notify_all()

    def _close_ws(self, *, graceful: bool) -> None:
        """Close the current socket: with a close frame, or abruptly (RST, no goodbye)."""
        with self._ws_lock:
            ws, self._ws = self._ws, None
            pending = self._pending_ws
        if pending is not None and pending.sock is not None:
            with contextlib.suppress(OSError):
                pending.sock.shutdown(socket.SHUT_RDWR)  # ends a handshake in flight
        if ws is None:
            return
        sock = ws.sock
        if graceful:
            with contextlib.suppress(Exception):
                ws.send_close()
        elif sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RD)  # wakes a reader blocked in recv()
        _quiet_close(ws)

    def _stopped_error(self) -> LiveFeedError:
        return self._fatal or LiveFeedError("the live feed is stopped")


def _is_answer(msg: LiveMessage, pair: str, limit: int | None) -> bool:
    """Tell a requested ``analyzed_df`` from the bot's own push, which has one candle."""
    if not isinstance(msg, AnalyzedDfMessage) or msg.pair != pair:
        return False
    return len(msg.frame) != 1 or limit == 1


class _Transient(Exception):
    """A connection attempt failed in a way worth retrying."""


def _quiet_close(ws: websocket.WebSocket) -> None:
    with contextlib.suppress(Exception):
        ws.shutdown()  # type: ignore[no-untyped-call]


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.split("?token=")[0]  # belt and braces: never echo a URL's token


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _utcnow() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)


def _types_arg(
    name: str, types: Iterable[str] | None, *, known_only: bool = True
) -> tuple[str, ...]:
    if types is None:
        return ()
    if isinstance(types, str):
        types = [types]
    result = tuple(types)
    bad = [t for t in result if not isinstance(t, str)]
    if bad:
        raise ValueError(f"{name} must be message type names (str), got {bad!r}")
    unknown = [t for t in result if t not in MESSAGE_TYPES]
    if known_only and unknown:
        raise ValueError(
            f"{name}: unknown message type(s) {unknown}; freqtrade ignores a subscription "
            f"naming one. Valid types: {list(MESSAGE_TYPES)}"
        )
    return result
