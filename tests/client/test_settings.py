"""Connection settings: config files, environment, URL rules, secrets, https, bad input."""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path

import pytest

from ftnotebook import (
    ConnectionFailed,
    ConnectionSettings,
    FtClient,
    InsecureConnectionWarning,
    Secret,
)
from ftnotebook.demo.launcher import RunningBot
from ftnotebook.settings import load_config_file

COMMENTED_CONFIG = """
{
    // freqtrade accepts comments ...
    "bot_name": "x", /* ... of both kinds, "even // inside" text */
    "api_server": {
        "enabled": true,
        "listen_ip_address": "0.0.0.0",
        "listen_port": 8081,
        "username": "me",
        "password": "pa//ss/*word*/",   // a password with comment-like text
        "ws_token": ["tok-1", "tok-2"],
    },
}
"""


def test_from_config_reads_api_server_with_comments(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(COMMENTED_CONFIG, encoding="utf-8")
    s = ConnectionSettings.from_config(path)
    assert s.url == "http://127.0.0.1:8081"  # 0.0.0.0 means "all interfaces": use loopback
    assert s.username == "me"
    assert s.password is not None and s.password.reveal() == "pa//ss/*word*/"
    assert s.ws_token is not None and s.ws_token.reveal() == "tok-1"
    assert "pa//ss" not in repr(s) and "tok-1" not in repr(s)


def test_from_config_ipv6_wildcard(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"api_server": {"listen_ip_address": "::", "listen_port": 9}}))
    assert ConnectionSettings.from_config(path).url == "http://[::1]:9"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"api_server": {"listen_port": 8080,}', "not valid JSON at line 1"),
        ('{"bot_name": "x"}', "no 'api_server' section"),
        ('{"api_server": {"listen_port": "http"}}', "listen_port must be a port number"),
        ("[1, 2]", "a freqtrade config is a JSON object"),
    ],
)
def test_from_config_errors_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        ConnectionSettings.from_config(path)


def test_from_config_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        FtClient.from_config(tmp_path / "absent.json")


def test_load_config_keeps_strings_intact(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text('{"a": "http://x//y", "b": "/* no */", "c": [1, 2, ], }')
    assert load_config_file(path) == {"a": "http://x//y", "b": "/* no */", "c": [1, 2]}


def test_client_from_the_bots_own_config(trade_bot: RunningBot) -> None:
    client = FtClient.from_config(trade_bot.config_path)
    assert client.url == trade_bot.api_url
    assert client.show_config()["bot_name"] == trade_bot.bot_name
    assert client.settings.ws_token == Secret(trade_bot.ws_token)
    jwt = FtClient.from_config(trade_bot.config_path, auth="jwt")
    assert jwt.count()["max"] == 10


def test_environment_variables(trade_bot: RunningBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FTNOTEBOOK_URL", trade_bot.api_url + "/api/v1/")
    monkeypatch.setenv("FTNOTEBOOK_USERNAME", trade_bot.username)
    monkeypatch.setenv("FTNOTEBOOK_PASSWORD", trade_bot.password)
    client = FtClient()
    assert client.url == trade_bot.api_url
    assert client.version()["version"].startswith("2026.")
    assert FtClient.from_env().count()["max"] == 10
    # Arguments win over the environment:
    other = FtClient("http://127.0.0.1:1", "someone", "else")
    assert other.url == "http://127.0.0.1:1" and other.settings.username == "someone"


def test_no_url_anywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FTNOTEBOOK_URL", raising=False)
    with pytest.raises(ValueError, match="FTNOTEBOOK_URL"):
        FtClient()
    with pytest.raises(ValueError, match="FTNOTEBOOK_URL"):
        FtClient.from_env()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("127.0.0.1:8080", "must start with http:// or https://"),
        ("ftp://host", "must start with http:// or https://"),
        ("http://user:pw@host:8080", "not in the URL"),
        ("http://host:8080/?x=1", "query or fragment"),
    ],
)
def test_bad_urls(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FtClient(url, "u", "p")


def test_username_without_password() -> None:
    with pytest.raises(ValueError, match="password is missing"):
        ConnectionSettings("http://127.0.0.1:8080", "u", None)


def test_secrets_never_shown() -> None:
    client = FtClient("http://127.0.0.1:8080", "ftnb", "s3cr3t-pass")
    for text in (repr(client), str(client), repr(client.settings), str(client.settings)):
        assert "s3cr3t-pass" not in text
    assert f"{client.settings.password}" == "***"
    assert repr(Secret("x")) == "Secret('***')"


def test_plain_http_to_remote_host_warns_and_loopback_does_not() -> None:
    with pytest.warns(InsecureConnectionWarning, match="plain http to http://192.0.2.10:8080"):
        FtClient("http://192.0.2.10:8080", "u", "p")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FtClient("http://127.0.0.1:8080", "u", "p")
        FtClient("http://localhost:8080", "u", "p")
        FtClient("http://[::1]:8080", "u", "p")
        FtClient("https://192.0.2.10:8080", "u", "p")
        FtClient("http://192.0.2.10:8080")  # no credentials to leak


# ------------------------------------------------------------------- https


@contextmanager
def tls_proxy(target_port: int, certdir: Path) -> Iterator[tuple[str, Path]]:
    """Terminate TLS on a local port and forward the bytes to the bot's plain port."""
    cert, key = certdir / "cert.pem", certdir / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def serve() -> None:
        while not stop.is_set():
            try:
                raw, _ = listener.accept()
                tls = ctx.wrap_socket(raw, server_side=True)
            except (OSError, ssl.SSLError):
                continue
            upstream = socket.create_connection(("127.0.0.1", target_port))
            threading.Thread(target=pump, args=(tls, upstream), daemon=True).start()
            threading.Thread(target=pump, args=(upstream, tls), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}", cert
    finally:
        stop.set()
        listener.close()


def test_https_with_pooled_connections(trade_bot: RunningBot, tmp_path: Path) -> None:
    with tls_proxy(trade_bot.port, tmp_path) as (url, cert):
        client = FtClient(url, trade_bot.username, trade_bot.password, verify=str(cert))
        assert client.show_config()["bot_name"] == trade_bot.bot_name
        assert client.count()["max"] == 10
        jwt = FtClient(url, trade_bot.username, trade_bot.password, auth="jwt", verify=str(cert))
        assert jwt.whitelist()["length"] == 4
        untrusted = FtClient(url, trade_bot.username, trade_bot.password, retries=0)
        with pytest.raises(ConnectionFailed, match=r"TLS to https://127\.0\.0\.1"):
            untrusted.version()


# --------------------------------------------------- bad input: nothing is sent


@pytest.fixture
def unreachable() -> FtClient:
    """A client whose every request would fail with ConnectionFailed.

    A ValueError from it therefore proves the check ran before anything was sent.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return FtClient(f"http://127.0.0.1:{port}", "u", "p", retries=0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.add_lock("XRP/USDT", datetime(2030, 1, 1)), "until: naive datetime"),
        (lambda c: c.add_lock("XRP/USDT", "2030-01-01T00:00:00"), "until: naive datetime"),
        (lambda c: c.add_lock("XRP/USDT", "tomorrow"), "until: expected a duration like"),
        (lambda c: c.add_lock("XRP/USDT", "2030-01-01T00:00Z", side="up"), "side must be one"),
        (lambda c: c.force_enter("BTC/USDT", "sideways"), "side must be one of 'long', 'short'"),
        (lambda c: c.force_enter("BTC/USDT", order_type="stop"), "order_type must be one of"),
        (lambda c: c.force_enter("BTC/USDT", stake_amount=-5), "stake_amount must be > 0"),
        (lambda c: c.force_enter(""), "pair: empty"),
        (lambda c: c.force_exit(True), "trade_id must be an int"),
        (lambda c: c.trades(limit=0), "limit must be >= 1, got 0"),
        (lambda c: c.trades(offset=-1), "offset must be >= 0"),
        (lambda c: c.daily(0), "timescale must be >= 1"),
        (lambda c: c.trade("abc"), "trade_id must be an int \\(ASCII digits\\), got 'abc'"),
        (lambda c: c.add_to_blacklist(), "pairs must not be empty"),
        (lambda c: c.add_to_blacklist(["A/B"]), "pairs must hold non-empty strings"),
        (lambda c: c.remove_from_blacklist(""), "pairs must hold non-empty strings"),
        (lambda c: c.delete_locks(), "needs pair= or lock_id="),
        (lambda c: c.pair_candles_filtered("BTC/USDT", "5m", "rsi"), "columns must be a list"),
        (lambda c: c.pair_history("BTC/USDT", "5m", "last week", "S"), "timerange must look"),
        (lambda c: c.pair_history("BTC/USDT", "5m", (datetime(2030, 1, 1), None), "S"),
         "naive datetime"),
        (lambda c: c.download_data(["BTC/USDT"], days=2, timerange="20240101-"),
         "days= or timerange=, not both"),
        (lambda c: c.evaluate_pairlists([], "USDT"), "pairlists must be a non-empty list"),
        (lambda c: c.evaluate_pairlists([{"x": 1}], "USDT"), "needs a 'method' name"),
        (lambda c: c.available_pairs(candletype="weird"), "candletype must be one of"),
        (lambda c: c.strategy(".."), "strategy must not be empty"),
        (lambda c: c.request("GET", "trades"), "path must start with '/'"),
        (lambda c: c.request("FETCH", "/trades"), "method must be an HTTP verb"),
        (lambda c: c.request("GET", "/trades", json={"a": 1}), "GET requests carry no body"),
        (lambda c: c.request("GET", "/x", params={"t": datetime(2030, 1, 1)}), "t: naive"),
        (lambda c: c.wait_for_job("j", timeout=0), "timeout must be > 0"),
    ],
)  # fmt: skip
def test_bad_input_is_value_error_before_sending(
    unreachable: FtClient, call: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        call(unreachable)  # type: ignore[operator]


def test_client_option_errors() -> None:
    with pytest.raises(ValueError, match="auth must be 'basic' or 'jwt'"):
        FtClient("http://127.0.0.1:1", "u", "p", auth="oauth")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="auth='jwt' logs in with username and password"):
        FtClient("http://127.0.0.1:1", auth="jwt")
    with pytest.raises(ValueError, match="timeout must be seconds > 0"):
        FtClient("http://127.0.0.1:1", timeout=0)
    with pytest.raises(ValueError, match="'no_such' is not an FtClient route method"):
        FtClient("http://127.0.0.1:1", timeouts={"no_such": 5})
    with pytest.raises(ValueError, match="retries must be an int >= 0"):
        FtClient("http://127.0.0.1:1", retries=-1)


def test_env_password_without_username_is_refused() -> None:
    env = {"FTNOTEBOOK_URL": "http://127.0.0.1:8080", "FTNOTEBOOK_PASSWORD": "p"}
    with pytest.raises(ValueError, match="username is missing"):
        ConnectionSettings.from_env(env)
    settings = ConnectionSettings.from_env({**env, "FTNOTEBOOK_USERNAME": "u"})
    assert settings.username == "u" and settings.password == Secret("p")


def test_pickling_settings_with_secrets_is_refused_unless_asked() -> None:
    import copy
    import dataclasses
    import pickle

    settings = ConnectionSettings("http://127.0.0.1:8080", "u", Secret("hunter2-pw"))
    with pytest.raises(TypeError, match="clear text; make the settings with picklable=True"):
        pickle.dumps(settings)
    client = FtClient(settings=settings)
    with pytest.raises(TypeError, match="picklable=True"):
        pickle.dumps(client)
    trusted = dataclasses.replace(settings, picklable=True)
    data = pickle.dumps(trusted)
    assert b"hunter2-pw" in data  # what the docstring warns about
    clone = pickle.loads(data)
    assert clone == settings and clone.password is not None
    assert clone.password.reveal() == "hunter2-pw" and clone.picklable
    assert copy.deepcopy(settings) == settings and copy.copy(settings) is settings
    anonymous = ConnectionSettings("http://127.0.0.1:8080")
    assert pickle.loads(pickle.dumps(anonymous)) == anonymous  # nothing secret in it
