"""A canned-response HTTP server, for the faults a real bot cannot produce on demand.

Only tests named ``test_mocked_*`` use it: a proxy's HTML 503, a non-JSON 200, a
body of the wrong shape, a server that never answers. Everything a real freqtrade
can do is tested against the real bot.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Canned:
    status: int
    body: bytes
    content_type: str = "application/json"
    delay: float = 0.0


@dataclass
class FakeServer:
    url: str
    responses: list[Canned]
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)


@contextmanager
def fake_server(*responses: Canned) -> Iterator[FakeServer]:
    """Serve ``responses`` in order (the last one repeats); record every request."""
    state = FakeServer(url="", responses=list(responses))

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            state.requests.append((self.command, self.path, dict(self.headers), body))
            index = min(len(state.requests) - 1, len(state.responses) - 1)
            canned = state.responses[index]
            if canned.delay:
                time.sleep(canned.delay)
            self.send_response(canned.status)
            self.send_header("Content-Type", canned.content_type)
            self.send_header("Content-Length", str(len(canned.body)))
            self.end_headers()
            self.wfile.write(canned.body)

        do_GET = do_POST = do_DELETE = do_PATCH = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
