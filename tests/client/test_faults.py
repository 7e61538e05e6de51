"""Every exception class, from the real bot wherever it can produce the fault.

Real bot: stopped process (ConnectionFailed), wrong password (Unauthorized), unknown
trade/route (NotFound), bad payload (InvalidRequest), mode mismatch (WrongMode),
RPC refusal (RpcError), the bot's own 500 (UnexpectedResponse).
Mocked (``test_mocked_*``, see fakeserver.py): what only a proxy or a broken
server does: non-JSON 200, wrong shape, HTML 503 retried, no answer (timeout).
"""

from __future__ import annotations

import pickle
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import urllib3.connectionpool
import urllib3.util.connection

from ftnotebook import (
    ApiError,
    ConnectionFailed,
    FtClient,
    FtNotebookError,
    InvalidRequest,
    NotFound,
    RequestTimeout,
    RpcError,
    Unauthorized,
    UnexpectedResponse,
    WrongMode,
)
from ftnotebook.demo.launcher import RunningBot, RunningSimulator, start_bot
from tests.client.fakeserver import Canned, fake_server


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port that refuses connections: bound for the whole test but never listening, so
    no other process can take it in between (a released port could be reused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


def count_connects(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record every TCP connect urllib3 makes (one per attempt on a refused port)."""
    calls: list[Any] = []
    real = urllib3.util.connection.create_connection

    def counting(address: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", counting)
    return calls


def count_requests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every HTTP request urllib3 sends, retries included."""
    sent: list[str] = []
    real = urllib3.connectionpool.HTTPConnectionPool._make_request

    def counting(self: Any, conn: Any, method: str, url: str, *args: Any, **kw: Any) -> Any:
        sent.append(f"{method} {url}")
        return real(self, conn, method, url, *args, **kw)

    monkeypatch.setattr(urllib3.connectionpool.HTTPConnectionPool, "_make_request", counting)
    return sent


# ----------------------------------------------------------------- real bot


def test_stopped_bot_is_connection_failed(tmp_path: Path, simulator: RunningSimulator) -> None:
    bot = start_bot(tmp_path / "doomed", simulator_url=simulator.url, mode="webserver")
    try:
        client = FtClient(bot.api_url, bot.username, bot.password, retries=1)
        assert client.show_config()["runmode"] == "webserver"
    finally:
        bot.stop()
    with pytest.raises(ConnectionFailed) as err:
        client.show_config()
    message = str(err.value)
    assert bot.api_url in message and "show_config(): GET /show_config" in message
    assert bot.password not in message
    assert not isinstance(err.value, ApiError)


def test_nothing_listening_fails_fast_without_retries(
    closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    connects = count_connects(monkeypatch)
    client = FtClient(f"http://127.0.0.1:{closed_port}", "u", "p", retries=0)
    with pytest.raises(ConnectionFailed, match="cannot reach the bot"):
        client.count()
    assert connects == [("127.0.0.1", closed_port)]  # one attempt, no retry


def test_idempotent_requests_are_retried_with_backoff_but_posts_are_not(
    closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    connects = count_connects(monkeypatch)
    client = FtClient(f"http://127.0.0.1:{closed_port}", "u", "p", retries=2, backoff_factor=0.4)
    started = time.monotonic()
    with pytest.raises(ConnectionFailed):
        client.count()  # GET: 3 attempts, sleeps 0 + 0.8 s
    assert len(connects) == 3
    assert time.monotonic() - started >= 0.7  # a lower bound: the backoff slept
    connects.clear()
    with pytest.raises(ConnectionFailed):
        client.start()  # POST: one attempt only
    assert len(connects) == 1


def test_wrong_password_is_unauthorized(trade_bot: RunningBot) -> None:
    client = FtClient(trade_bot.api_url, trade_bot.username, "definitely-wrong")
    with pytest.raises(Unauthorized) as err:
        client.count()
    assert err.value.status == 401 and err.value.detail == "Unauthorized"
    assert str(err.value) == "count(): GET /count -> 401 Unauthorized: Unauthorized"
    assert "definitely-wrong" not in repr(err.value)


def test_unknown_route_and_trade_are_not_found(client: FtClient) -> None:
    with pytest.raises(NotFound) as err:
        client.request("GET", "/no_such_route")
    assert err.value.detail == "Not Found" and err.value.call == "request"
    with pytest.raises(NotFound, match="Only the currently active strategy"):
        client.strategy("NotRunning")


def test_bad_payload_is_invalid_request_with_readable_detail(client: FtClient) -> None:
    with pytest.raises(InvalidRequest) as err:
        client.request("POST", "/locks", json={"pair": "XRP/USDT", "until": "soon"})
    assert err.value.status == 422
    assert "Input should be a valid list" in err.value.detail
    with pytest.raises(InvalidRequest) as err2:
        client.request(
            "POST", "/locks", json=[{"pair": "XRP/USDT", "until": "2030-01-01T00:00:00"}]
        )
    # FastAPI's list rendered as "location: message (got value)":
    assert "body.0.until: Input should have timezone info (got '2030-01-01T00:00:00')" in (
        err2.value.detail
    )
    assert isinstance(err2.value.body, dict) and isinstance(err2.value.body["detail"], list)


def test_webserver_route_on_trade_bot_is_wrong_mode_at_once(
    trade_bot: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password, backoff_factor=3)
    sent = count_requests(monkeypatch)
    with pytest.raises(WrongMode) as err:
        client.strategies()
    assert sent == ["GET /api/v1/strategies"], "a JSON 503 from freqtrade must not be retried"
    assert err.value.status == 503 and err.value.required_mode == "webserver"
    assert "Bot is not in the correct state" in str(err.value)
    assert "freqtrade webserver" in str(err.value)


def test_trade_route_on_webserver_bot_is_wrong_mode(ws_client: FtClient) -> None:
    with pytest.raises(WrongMode) as err:
        ws_client.status()
    assert err.value.required_mode == "trade" and "freqtrade trade" in str(err.value)
    with pytest.raises(WrongMode) as err2:  # /health answers 502, not 503, in this case
        ws_client.health()
    assert err2.value.status == 502 and err2.value.required_mode == "trade"


def test_rpc_refusal_is_rpc_error(client: FtClient) -> None:
    with pytest.raises(RpcError) as err:
        client.force_exit(987_654)
    assert err.value.status == 502
    assert err.value.detail.startswith("Error querying /api/v1/forceexit:")


def test_exceptions_pickle_round_trip(trade_bot: RunningBot) -> None:
    client = FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password)
    with pytest.raises(WrongMode) as err:
        client.strategies()
    clone = pickle.loads(pickle.dumps(err.value))
    assert type(clone) is WrongMode and str(clone) == str(err.value)
    assert clone.required_mode == "webserver"


def test_tree_shape() -> None:
    for cls in (Unauthorized, NotFound, InvalidRequest, WrongMode, RpcError, UnexpectedResponse):
        assert issubclass(cls, ApiError) and issubclass(cls, FtNotebookError)
    assert issubclass(RequestTimeout, ConnectionFailed)
    assert not issubclass(ConnectionFailed, ApiError)


# ------------------------------------------------------------------- mocked


def test_mocked_non_json_200_is_unexpected_response() -> None:
    with (
        fake_server(Canned(200, b"<html>hello</html>", "text/html")) as srv,
        pytest.raises(UnexpectedResponse) as err,
    ):
        FtClient(srv.url, "u", "p").version()
    assert err.value.status == 200
    assert "not JSON" in err.value.detail and "<html>hello</html>" in err.value.detail


def test_mocked_wrong_shape_is_unexpected_response() -> None:
    with (
        fake_server(Canned(200, b'{"detail": "nope"}')) as srv,
        pytest.raises(UnexpectedResponse, match="expected Count, got a dict without"),
    ):
        FtClient(srv.url, "u", "p").count()


def test_mocked_list_route_getting_dict_is_unexpected_response() -> None:
    with (
        fake_server(Canned(200, b'{"error": "x"}')) as srv,
        pytest.raises(UnexpectedResponse, match="expected a list of OpenTrade"),
    ):
        FtClient(srv.url, "u", "p").status()


def test_mocked_force_enter_status_200_is_rpc_error() -> None:
    """freqtrade answers 200 {"status": "Error entering ..."} when no trade resulted."""
    body = b'{"status": "Error entering long trade for pair BTC/USDT."}'
    with fake_server(Canned(200, body)) as srv, pytest.raises(RpcError) as err:
        FtClient(srv.url, "u", "p").force_enter("BTC/USDT")
    assert err.value.status == 200 and "Error entering long trade" in err.value.detail


def test_mocked_gateway_503_is_retried_for_get() -> None:
    html_503 = Canned(503, b"<h1>503 Service Unavailable</h1>", "text/html")
    with fake_server(html_503, html_503, Canned(200, b'{"version": "2026.9"}')) as srv:
        client = FtClient(srv.url, "u", "p", retries=3, backoff_factor=0.01)
        assert client.version() == {"version": "2026.9"}
        assert len(srv.requests) == 3


def test_mocked_gateway_503_is_not_retried_for_post() -> None:
    html_503 = Canned(503, b"<h1>503 Service Unavailable</h1>", "text/html")
    with fake_server(html_503, Canned(200, b'{"status": "starting trader ..."}')) as srv:
        client = FtClient(srv.url, "u", "p", retries=3, backoff_factor=0.01)
        with pytest.raises(UnexpectedResponse) as err:
            client.start()
        assert len(srv.requests) == 1
    assert err.value.status == 503 and "503 Service Unavailable" in err.value.detail


def test_mocked_gateway_errors_exhaust_retries() -> None:
    with fake_server(Canned(502, b"bad gateway", "text/plain")) as srv:
        client = FtClient(srv.url, "u", "p", retries=2, backoff_factor=0.01)
        with pytest.raises(UnexpectedResponse) as err:
            client.count()
        assert len(srv.requests) == 3
    assert err.value.status == 502


def test_mocked_silent_server_is_request_timeout() -> None:
    with fake_server(Canned(200, b'{"version": "x"}', delay=2.0)) as srv:
        client = FtClient(srv.url, "u", "p", timeout=(1.0, 0.3), retries=0)
        with pytest.raises(RequestTimeout, match=r"did not answer within 0\.3 s"):
            client.version()


def test_mocked_read_timeout_is_not_retried() -> None:
    with fake_server(Canned(200, b'{"version": "x"}', delay=1.0)) as srv:
        client = FtClient(srv.url, "u", "p", timeout=(1.0, 0.3), retries=3)
        with pytest.raises(RequestTimeout):
            client.version()
        assert len(srv.requests) == 1


def test_mocked_wire_format() -> None:
    """What goes on the wire: no GET body, None dropped, lists repeated, JSON bodies."""
    with fake_server(
        Canned(
            200,
            b'{"blacklist": [], "blacklist_expanded": [], "errors": {}, "length": 0, "method": []}',
        )
    ) as srv:
        client = FtClient(srv.url, "u", "p")
        client.remove_from_blacklist("A/USDT", "B/USDT")
        method, path, headers, body = srv.requests[-1]
        assert method == "DELETE" and body == b""
        assert path == "/api/v1/blacklist?pairs_to_delete=A%2FUSDT&pairs_to_delete=B%2FUSDT"
        assert headers["Authorization"].startswith("Basic ")
        client.add_to_blacklist("C/USDT")
        method, path, headers, body = srv.requests[-1]
        assert method == "POST" and body == b'{"blacklist": ["C/USDT"]}'
        assert headers["Content-Type"] == "application/json"
    with fake_server(
        Canned(200, b'{"trades": [], "trades_count": 0, "offset": 0, "total_trades": 0}')
    ) as srv:
        FtClient(srv.url, "u", "p").trades(limit=5, order_by_id=False)
        method, path, headers, body = srv.requests[-1]
        assert path == "/api/v1/trades?limit=5&order_by_id=false"
        assert body == b"" and "Content-Type" not in headers
