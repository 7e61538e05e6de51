"""Where a bot is and how to log in: from arguments, a freqtrade config or the environment.

Three ways to say which bot to talk to, in the order :class:`~ftnotebook.FtClient`
checks them:

1. arguments: ``FtClient("http://127.0.0.1:8080", "freqtrader", "secret")``;
2. environment: ``FTNOTEBOOK_URL``, ``FTNOTEBOOK_USERNAME``, ``FTNOTEBOOK_PASSWORD``
   fill whatever the arguments left out;
3. the bot's own config: ``FtClient.from_config("user_data/config.json")`` reads its
   ``api_server`` section. Like freqtrade, it accepts ``//`` and ``/* */`` comments
   and trailing commas. A bot listening on ``0.0.0.0`` (all interfaces) is reached
   on ``127.0.0.1``, and ``::`` on ``::1``.

Secrets (password, ws_token, JWTs) are wrapped in :class:`Secret`, whose ``repr``
and ``str`` are ``'***'``, so printing settings, a client or a traceback's locals
never shows them::

    >>> s = ConnectionSettings("http://127.0.0.1:8080", "ftnb", Secret("hunter2"))
    >>> s.password
    Secret('***')
    >>> "hunter2" in repr(s)
    False
    >>> s.password.reveal()
    'hunter2'

Pickling is where a ``Secret`` does show itself: the pickle holds the value in clear
(it has to, to be unpickled). :class:`ConnectionSettings` therefore refuses to be
pickled unless it was made with ``picklable=True``; see its docstring.

Log lines that carry a token in a URL (freqtrade logs every WebSocket handshake as
``"WebSocket /api/v1/message/ws?token=<token>" [accepted]``) are masked with
:func:`mask_tokens`::

    >>> mask_tokens('"WebSocket /api/v1/message/ws?token=eyJhbGc.x.y" [accepted]')
    '"WebSocket /api/v1/message/ws?token=***" [accepted]'
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "ENV_PASSWORD",
    "ENV_URL",
    "ENV_USERNAME",
    "ConnectionSettings",
    "InsecureConnectionWarning",
    "Secret",
    "load_config_file",
    "mask_tokens",
]

ENV_URL = "FTNOTEBOOK_URL"
ENV_USERNAME = "FTNOTEBOOK_USERNAME"
ENV_PASSWORD = "FTNOTEBOOK_PASSWORD"

_API_SUFFIX = re.compile(r"/api/v1/?$")
# ``token=<value>`` (also ``ws_token=``, ``access_token=``) up to a delimiter.
_TOKEN_IN_TEXT = re.compile(r"(token=)[^\s&\"'<>\]\[,;)]+", re.IGNORECASE)


def mask_tokens(text: str) -> str:
    """Replace every ``token=<value>`` in ``text`` by ``token=***``.

    Used on the bot's log lines (``/logs``), where freqtrade writes the query string of
    every WebSocket handshake, token included.

    >>> mask_tokens("GET /x?a=1&token=abc.def&b=2")
    'GET /x?a=1&token=***&b=2'
    >>> mask_tokens("no secret here")
    'no secret here'
    """
    if "token=" not in text.lower():
        return text
    return _TOKEN_IN_TEXT.sub(r"\1***", text)


class InsecureConnectionWarning(UserWarning):
    """Credentials are about to travel unencrypted (plain http to a non-loopback host)."""


class Secret:
    """A string that never shows itself in ``repr``, ``str``, f-strings or logs.

    Call :meth:`reveal` at the one place that must send it.

    >>> token = Secret("eyJhbGciOi...")
    >>> f"token={token}"
    'token=***'
    >>> token.reveal()[:3]
    'eyJ'
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise ValueError(f"Secret expects a str, got {type(value).__name__}")
        self._value = value

    def reveal(self) -> str:
        """The secret itself; use only to put it on the wire."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __format__(self, spec: str) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Secret, (self._value,))


@dataclass(frozen=True)
class ConnectionSettings:
    """Where the bot is (``url`` without ``/api/v1``) and the API credentials.

    Build it with :meth:`from_config` or :meth:`from_env`, or directly. The URL is
    normalised: a trailing ``/`` or ``/api/v1`` is dropped, and a wildcard host
    (``0.0.0.0``, ``::``) becomes the matching loopback address.

    >>> ConnectionSettings("http://0.0.0.0:8080/api/v1/", "u", Secret("p")).url
    'http://127.0.0.1:8080'

    **Pickling.** A pickle of the settings holds the password and ``ws_token`` in
    clear text: anyone who can read the file, the cache or the worker's memory can
    log in to the bot. So ``pickle.dumps(settings)`` raises :class:`TypeError` unless
    the settings were made with ``picklable=True`` (for instance to hand them to a
    worker process you trust)::

        >>> import pickle
        >>> pickle.dumps(ConnectionSettings("http://127.0.0.1:8080", "u", Secret("p")))
        Traceback (most recent call last):
        ...
        TypeError: ConnectionSettings holds the API password/ws_token, and a pickle ...
        >>> trusted = ConnectionSettings("http://127.0.0.1:8080", "u", Secret("p"), picklable=True)
        >>> pickle.loads(pickle.dumps(trusted)) == trusted
        True

    ``copy.copy``/``copy.deepcopy`` and :func:`dataclasses.replace` keep working.
    """

    url: str
    username: str | None = None
    password: Secret | None = None
    ws_token: Secret | None = None
    picklable: bool = field(default=False, kw_only=True, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", normalize_url(self.url))
        if isinstance(self.password, str):  # be forgiving: wrap a plain string
            object.__setattr__(self, "password", Secret(self.password))
        if isinstance(self.ws_token, str):
            object.__setattr__(self, "ws_token", Secret(self.ws_token))
        if (self.username is None) != (self.password is None):
            missing = "password" if self.password is None else "username"
            raise ValueError(
                f"API credentials need both username and password; {missing} is missing"
            )

    def __reduce__(self) -> Any:
        if not self.picklable and (self.password is not None or self.ws_token is not None):
            raise TypeError(
                "ConnectionSettings holds the API password/ws_token, and a pickle stores "
                "them in clear text; make the settings with picklable=True (e.g. "
                "dataclasses.replace(settings, picklable=True)) if the pickle stays "
                "somewhere you trust"
            )
        return (
            _rebuild_settings,
            (self.url, self.username, self.password, self.ws_token, self.picklable),
        )

    def __copy__(self) -> ConnectionSettings:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> ConnectionSettings:
        return self  # frozen, and its parts are immutable

    @property
    def api_url(self) -> str:
        """The base of every route, ``<url>/api/v1``."""
        return f"{self.url}/api/v1"

    @property
    def is_loopback(self) -> bool:
        """True when the host is this machine (127.0.0.0/8, ::1 or ``localhost``)."""
        return _is_loopback(urlsplit(self.url).hostname or "")

    def warn_if_insecure(self) -> None:
        """Warn when credentials would go over plain http to another machine."""
        scheme = urlsplit(self.url).scheme
        if self.username is not None and scheme == "http" and not self.is_loopback:
            warnings.warn(
                f"Sending API credentials over plain http to {self.url}; anyone on the "
                "network path can read them. Use https (e.g. a reverse proxy) or an "
                "SSH tunnel to 127.0.0.1.",
                InsecureConnectionWarning,
                stacklevel=3,
            )

    @classmethod
    def from_config(cls, path: str | os.PathLike[str]) -> ConnectionSettings:
        """Read the ``api_server`` section of a freqtrade config file.

        ``listen_ip_address`` and ``listen_port`` give the URL (``0.0.0.0`` means
        connect to ``127.0.0.1``); ``username``, ``password`` and ``ws_token`` are
        taken as they are. Comments and trailing commas are allowed, as in freqtrade.

        Raises:
            FileNotFoundError: the file does not exist.
            ValueError: the file is not valid JSON, or has no usable ``api_server``.
        """
        config = load_config_file(path)
        api = config.get("api_server")
        if not isinstance(api, Mapping):
            raise ValueError(f"{path}: no 'api_server' section; is this a freqtrade config?")
        host = str(api.get("listen_ip_address") or "127.0.0.1")
        port = api.get("listen_port", 8080)
        if isinstance(port, bool) or not isinstance(port, int | str) or not str(port).isdigit():
            raise ValueError(f"{path}: api_server.listen_port must be a port number, got {port!r}")
        host = _connectable_host(host)
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        username = api.get("username")
        password = api.get("password")
        ws_token = api.get("ws_token")
        if isinstance(ws_token, list):  # freqtrade allows a list of tokens; use the first
            ws_token = ws_token[0] if ws_token else None
        return cls(
            url=f"http://{host}:{int(port)}",
            username=str(username) if username is not None else None,
            password=Secret(str(password)) if password is not None else None,
            ws_token=Secret(str(ws_token)) if ws_token else None,
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ConnectionSettings:
        """Read ``FTNOTEBOOK_URL``, ``FTNOTEBOOK_USERNAME`` and ``FTNOTEBOOK_PASSWORD``.

        Raises:
            ValueError: ``FTNOTEBOOK_URL`` is not set.
        """
        return cls.resolve(environ=environ)

    @classmethod
    def resolve(
        cls,
        url: str | None = None,
        username: str | None = None,
        password: str | Secret | None = None,
        *,
        environ: Mapping[str, str] | None = None,
    ) -> ConnectionSettings:
        """Arguments first, then the ``FTNOTEBOOK_*`` environment for anything left out."""
        env = os.environ if environ is None else environ
        url = url or env.get(ENV_URL)
        if not url:
            raise ValueError(
                f"No bot URL: pass one (FtClient('http://127.0.0.1:8080', ...)), set "
                f"{ENV_URL}, or use FtClient.from_config(path)"
            )
        if username is None:
            username = env.get(ENV_USERNAME) or None
        if password is None and env.get(ENV_PASSWORD) is not None:
            password = env[ENV_PASSWORD]
        secret = Secret(password) if isinstance(password, str) else password
        return cls(url=url, username=username, password=secret)


def _rebuild_settings(
    url: str,
    username: str | None,
    password: Secret | None,
    ws_token: Secret | None,
    picklable: bool,
) -> ConnectionSettings:
    return ConnectionSettings(url, username, password, ws_token, picklable=picklable)


def normalize_url(url: str) -> str:
    """Validate a bot URL and drop a trailing ``/`` or ``/api/v1``.

    >>> normalize_url("127.0.0.1:8080")
    Traceback (most recent call last):
    ...
    ValueError: Bot URL must start with http:// or https://, got '127.0.0.1:8080'
    """
    if not isinstance(url, str):
        raise ValueError(f"Bot URL must be a string, got {type(url).__name__}")
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"Bot URL must start with http:// or https://, got {url!r}")
    if parts.username or parts.password:
        raise ValueError(
            "Put credentials in username/password, not in the URL (it would end up in logs)"
        )
    if parts.query or parts.fragment:
        raise ValueError(f"Bot URL must not have a query or fragment, got {url!r}")
    path = _API_SUFFIX.sub("", parts.path).rstrip("/")
    host = parts.hostname or ""
    connect_host = _connectable_host(host)
    netloc = parts.netloc
    if connect_host != host:
        shown = f"[{connect_host}]" if ":" in connect_host else connect_host
        netloc = shown + (f":{parts.port}" if parts.port else "")
    return f"{parts.scheme}://{netloc}{path}"


def load_config_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load a freqtrade config: JSON plus ``//``/``/* */`` comments and trailing commas."""
    file = Path(path)
    text = file.read_text(encoding="utf-8")
    try:
        data = json.loads(_strip_json_extensions(text))
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{file}: not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    if not isinstance(data, dict):
        raise ValueError(f"{file}: a freqtrade config is a JSON object, got {type(data).__name__}")
    return data


# One token at a time: a string literal (kept as is), a comment (dropped), or a
# comma followed only by whitespace/comments before } or ] (dropped).
_TOKEN = re.compile(
    r"""
    (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<line>//[^\n]*)
  | (?P<block>/\*.*?\*/)
  | (?P<comma>,(?=(?:\s|//[^\n]*|/\*.*?\*/)*[}\]]))
    """,
    re.VERBOSE | re.DOTALL,
)


def _strip_json_extensions(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        if match.group("string") is not None:
            return match.group("string")
        if match.group("block") is not None:
            return "\n" * match.group("block").count("\n")  # keep line numbers for errors
        return ""

    return _TOKEN.sub(repl, text)


def _connectable_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "::1"
    return host


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
