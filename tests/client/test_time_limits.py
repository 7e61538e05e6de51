"""Time limits: an overall deadline per call, a bounded connect, ``LiveFeed.start(timeout=)``.

These are faults a real bot cannot produce (a server that drips its answer one byte at
a time, a host that never answers the TCP handshake, a WebSocket that never completes
its handshake), so the tests use local fake socket servers, named as such. They count
bytes, connections and attempts; the only clock checks are generous bounds on a
deliberately hanging server ("returns within the limit + 2 s").
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

import pytest
import urllib3.connection

from ftnotebook import FtClient
from ftnotebook.exceptions import ConnectionFailed, LiveFeedError, RequestTimeout
from ftnotebook.live import LiveFeed

DRIP_EVERY_S = 0.25


@dataclass
class HangingServer:
    """A fake socket server: accepts, reads the request, then drips or stays silent."""

    url: str
    connections: int = 0
    bytes_sent: list[int] = field(default_factory=list)


@contextmanager
def mocked_hanging_server(*, drip: bool) -> Iterator[HangingServer]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    state = HangingServer(url=f"http://127.0.0.1:{listener.getsockname()[1]}")
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        sent = 0
        with conn:
            conn.settimeout(5)
            try:
                conn.recv(65536)  # the request
                payload = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" * 1000
                while not stop.is_set():
                    if drip:
                        conn.sendall(payload[sent : sent + 1])
                        sent += 1
                    if stop.wait(DRIP_EVERY_S):
                        break
            except OSError:
                pass  # the client cut the connection
        state.bytes_sent.append(sent)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            state.connections += 1
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        stop.set()
        listener.close()
        thread.join(2)


def test_mocked_drip_feeding_server_is_cut_at_the_call_deadline() -> None:
    """One byte every 0.25 s never trips the 1 s read timeout; the 2 s deadline ends it."""
    with mocked_hanging_server(drip=True) as srv:
        client = FtClient(srv.url, "u", "p", timeout=(1.0, 1.0), retries=3)
        started = time.monotonic()
        with pytest.raises(RequestTimeout, match=r"within the call's deadline of 2 s") as info:
            client.ping()
        elapsed = time.monotonic() - started
        assert elapsed < 2 + 2, elapsed  # generous bound on a server that would drip forever
        assert "ping(): GET /ping" in str(info.value)
        _wait(lambda: len(srv.bytes_sent) == 1)
    assert srv.connections == 1  # cut, and not retried after the deadline
    # it dripped for a while (the per-read timeout never fired) and then stopped
    assert 2 <= srv.bytes_sent[0] <= 2 / DRIP_EVERY_S + 4


def test_mocked_drip_feeding_server_honours_an_explicit_deadline() -> None:
    with mocked_hanging_server(drip=True) as srv:
        client = FtClient(srv.url, "u", "p", timeout=(5.0, 30.0), deadline=1.0)
        started = time.monotonic()
        with pytest.raises(RequestTimeout, match=r"deadline of 1 s"):
            client.version()
        assert time.monotonic() - started < 1 + 2
    assert srv.connections == 1


def test_mocked_unanswered_connect_is_tried_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A host that drops the SYN: one connect timeout, not four plus backoff.

    The listener's accept queue is full (backlog 0, two connections never accepted), so
    the kernel drops further SYNs, as a firewall would. Attempts are counted at
    urllib3's connect.
    """
    attempts: list[object] = []
    real = urllib3.connection.connection.create_connection

    def counting(*args: object, **kwargs: object) -> socket.socket:
        attempts.append(args[0])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(urllib3.connection.connection, "create_connection", counting)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = []
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            with suppress(BlockingIOError):
                filler.connect(("127.0.0.1", port))
            fillers.append(filler)
        try:
            client = FtClient(f"http://127.0.0.1:{port}", "u", "p", timeout=(0.5, 5), retries=3)
            with pytest.raises(ConnectionFailed, match="cannot reach the bot"):
                client.count()
        finally:
            for filler in fillers:
                filler.close()
    assert len(attempts) == 1, attempts


def test_mocked_websocket_that_never_handshakes_honours_start_timeout() -> None:
    """``start(timeout=1.5)`` with a 10 s connect timeout raises after ~1.5 s, not 15."""
    with mocked_hanging_server(drip=False) as srv:
        feed = LiveFeed(srv.url, "token", connect_timeout=10)
        started = time.monotonic()
        with pytest.raises(LiveFeedError, match=r"within 1\.5 s"):
            feed.start(timeout=1.5)
        assert time.monotonic() - started < 1.5 + 2
        assert feed.state == "stopped" and not feed.connected
        assert feed.stats.attempts >= 1 and feed.stats.connects == 0
    with pytest.raises(ValueError, match="timeout must be seconds > 0"):
        LiveFeed(srv.url, "token").start(timeout=0)


def _wait(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.02)
