"""The one module that talks to the network (and the only one importing requests).

It owns the pooled ``requests.Session``, authentication (HTTP Basic, or JWT with
refresh and re-login), timeouts, urllib3 retries, query-string encoding, and the
mapping from HTTP statuses and network failures to :mod:`ftnotebook.exceptions`.
Everything above it sees decoded JSON or one of our exceptions, never a
``requests`` type.

Retries (urllib3 ``Retry``) happen only for idempotent verbs (GET, DELETE, ...),
on connection failures and on 502/503/504 from something *other* than freqtrade.
A read timeout is not retried: the bot is up but slow, and asking again would
only multiply the wait. Nor is a connect *timeout* (a host that drops the SYN will
not answer the next one either); a refused connection (a bot restarting) is.

Every call has an overall **deadline** (``deadline=``; by default its connect plus
read timeout): requests' timeouts bound each socket operation, so a server that
drips one byte every few seconds could otherwise keep a call busy forever. When the
deadline passes, a watchdog shuts the call's socket and the call raises
:class:`~ftnotebook.exceptions.RequestTimeout`; no retry starts after it.
freqtrade's own 502 (an RPC refusal) and 503 (wrong run mode) are JSON answers
that would be the same on every attempt, so they are returned at once. A POST is
never resent: ``force_enter`` must not open two trades.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
import socket
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal, NoReturn, Self

import requests
from requests.adapters import HTTPAdapter
from requests.auth import HTTPBasicAuth
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ReadTimeoutError,
)
from urllib3.util.retry import Retry

from ftnotebook.exceptions import (
    ApiError,
    ConnectionFailed,
    InvalidRequest,
    NotFound,
    RequestTimeout,
    RpcError,
    Unauthorized,
    UnexpectedResponse,
    WrongMode,
)
from ftnotebook.settings import ConnectionSettings, Secret

__all__ = ["DEFAULT_TIMEOUT", "AuthMode", "Mode", "Timeout", "Transport"]

logger = logging.getLogger("ftnotebook.transport")

#: (connect, read) seconds, or one number for both.
Timeout = float | tuple[float, float]
AuthMode = Literal["basic", "jwt"]
#: The run mode a route needs: "trade", "webserver", or None for both.
Mode = Literal["trade", "webserver"] | None

DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 30.0)
#: Renew an access token this many seconds before its ``exp``.
TOKEN_LEEWAY_S = 30.0

_NO_BODY_METHODS = frozenset({"GET", "DELETE", "HEAD"})
_WRONG_STATE = "not in the correct state"


class _Watch:
    """The deadline of one call, and the connections it used (to cut them at the end)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._conns: list[HTTPConnection] = []
        self._lock = threading.Lock()

    def add(self, conn: HTTPConnection) -> None:
        with self._lock:
            self._conns.append(conn)
            late = self.expired
        if late:
            _cut(conn)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            conns = list(self._conns)
        for conn in conns:
            _cut(conn)

    def remaining(self) -> float:
        return self.ends - time.monotonic()


def _cut(conn: HTTPConnection) -> None:
    sock = getattr(conn, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)  # wakes the reader blocked in recv()


_current = threading.local()


def _current_watch() -> _Watch | None:
    watch = getattr(_current, "watch", None)
    return watch if isinstance(watch, _Watch) else None


class _WatchedHTTPConnection(HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        watch = _current_watch()
        if watch is not None:
            watch.add(self)
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        watch = _current_watch()
        if watch is not None:
            watch.add(self)
        super().request(*args, **kwargs)


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _DeadlineAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections report to the calling thread's :class:`_Watch`."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }


class _IdempotentRetry(Retry):
    """urllib3 Retry that never resends a POST and never retries freqtrade's own errors."""

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> Self:
        connect_timeout = isinstance(error, ConnectTimeoutError) and not isinstance(
            error,
            NewConnectionError,  # urllib3 derives "refused" from ConnectTimeoutError
        )
        if isinstance(error, ReadTimeoutError) or connect_timeout:
            # The bot is up but slow (read), or the host drops our SYN (connect):
            # asking again would only multiply the wait. Surface it at once.
            raise MaxRetryError(_pool, url or "", error)
        watch = _current_watch()
        if watch is not None and (watch.expired or watch.remaining() <= 0):
            raise MaxRetryError(_pool, url or "", error)  # the call's deadline is spent
        not_idempotent = method is None or not self._is_method_retryable(method)
        if error is not None and not_idempotent and self._is_connection_error(error):
            # Even a refused connection is not retried for POST/PATCH: be conservative
            # with writes. (Read errors keep urllib3's own non-retry path below.)
            raise MaxRetryError(_pool, url or "", error)
        if response is not None:
            content_type = str(response.headers.get("content-type", ""))
            if content_type.startswith("application/json"):
                # freqtrade answered: the same question gets the same answer.
                raise MaxRetryError(_pool, url or "", None)
        return super().increment(method, url, response, error, _pool, _stacktrace)


class Transport:
    """HTTP to one bot: ``request(method, route, ...)`` returns decoded JSON or raises.

    Args:
        settings: where the bot is and the credentials.
        auth: ``"basic"`` sends the password with every request; ``"jwt"`` logs in
            once (``POST /token/login``) and sends a Bearer token, refreshed before
            it expires and re-obtained by a new login when the refresh token died.
        timeout: default (connect, read) timeout in seconds.
        retries: how often an idempotent request is retried (0 disables).
        backoff_factor: urllib3 backoff: sleeps 0, 2*f, 4*f, ... between retries.
        pool_maxsize: connections kept open per host.
        verify: TLS verification: True, False, or a CA bundle path.
        deadline: the most seconds one call may take in all (connect, retries, every
            byte of the answer). Default: the call's connect + read timeout.
    """

    def __init__(
        self,
        settings: ConnectionSettings,
        *,
        auth: AuthMode = "basic",
        timeout: Timeout = DEFAULT_TIMEOUT,
        retries: int = 3,
        backoff_factor: float = 0.3,
        pool_maxsize: int = 10,
        verify: bool | str = True,
        deadline: float | None = None,
    ) -> None:
        if auth not in ("basic", "jwt"):
            raise ValueError(f"auth must be 'basic' or 'jwt', got {auth!r}")
        if auth == "jwt" and settings.username is None:
            raise ValueError("auth='jwt' logs in with username and password; none were given")
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise ValueError(f"retries must be an int >= 0, got {retries!r}")
        _check_timeout(timeout)
        if deadline is not None:
            _check_timeout(deadline)
        self.deadline = deadline
        self.settings = settings
        self.auth_mode: AuthMode = auth
        self.timeout = timeout
        self._lock = threading.RLock()
        self._access: Secret | None = None
        self._refresh: Secret | None = None
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies from env: they would see the credentials
        self.session.verify = verify
        self.session.headers.update({"Accept": "application/json"})
        retry = _IdempotentRetry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            other=0,
            backoff_factor=backoff_factor,
            status_forcelist=(502, 503, 504),
            raise_on_status=False,
            respect_retry_after_header=True,
        )
        adapter = _DeadlineAdapter(pool_connections=2, pool_maxsize=pool_maxsize, max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        settings.warn_if_insecure()

    # ------------------------------------------------------------------ public

    def request(
        self,
        method: str,
        route: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        timeout: Timeout | None = None,
        call: str | None = None,
        mode: Mode = None,
        authenticated: bool = True,
    ) -> Any:
        """Send one request to ``/api/v1<route>`` and return the decoded JSON body.

        ``None`` values in ``params`` are dropped, lists become repeated keys, bools
        ``true``/``false``, datetimes ISO 8601 (naive ones are refused). GET and
        DELETE never carry a body.
        """
        method = method.upper()
        if not route.startswith("/"):
            raise ValueError(f"route must start with '/', got {route!r}")
        if body is not None and method in _NO_BODY_METHODS:
            raise ValueError(f"{method} requests carry no body; pass query params instead")
        query = encode_params(params)
        tmo = self.timeout if timeout is None else timeout
        _check_timeout(tmo)
        ctx = _Ctx(method=method, route=route, call=call, mode=mode)

        if not authenticated:
            return self._decode(self._send(ctx, query, body, tmo, auth=None), ctx)
        if self.auth_mode == "basic":
            return self._decode(self._send(ctx, query, body, tmo, auth=self._basic()), ctx)

        bearer = self._bearer(tmo)
        response = self._send(ctx, query, body, tmo, auth=_Bearer(bearer))
        if response.status_code == 401:
            # The server refused the token (expired early, secret rotated, clock skew):
            # get a new one and ask once more. 401 is decided before the route runs,
            # so resending a POST here cannot repeat its effect.
            logger.info("%s %s: access token refused, renewing it", method, route)
            with self._lock:
                if self._access is not None and self._access.reveal() == bearer.reveal():
                    self._access = None
            response = self._send(ctx, query, body, tmo, auth=_Bearer(self._bearer(tmo)))
        return self._decode(response, ctx)

    def login(self, timeout: Timeout | None = None) -> tuple[Secret, Secret]:
        """``POST /token/login`` with Basic auth; returns (access, refresh) tokens."""
        ctx = _Ctx("POST", "/token/login", "token_login", None)
        tmo = self.timeout if timeout is None else timeout
        data = self._decode(self._send(ctx, [], None, tmo, auth=self._basic()), ctx)
        access, refresh = data.get("access_token"), data.get("refresh_token")
        if not isinstance(access, str) or not isinstance(refresh, str):
            self._raise_shape(ctx, 200, "expected access_token and refresh_token")
        return Secret(access), Secret(refresh)

    def refresh_access(self, refresh_token: Secret, timeout: Timeout | None = None) -> Secret:
        """``POST /token/refresh`` with the refresh token as Bearer; returns an access token."""
        ctx = _Ctx("POST", "/token/refresh", "token_refresh", None)
        tmo = self.timeout if timeout is None else timeout
        data = self._decode(self._send(ctx, [], None, tmo, auth=_Bearer(refresh_token)), ctx)
        access = data.get("access_token")
        if not isinstance(access, str):
            self._raise_shape(ctx, 200, "expected access_token")
        return Secret(access)

    def set_tokens(self, access: Secret | None, refresh: Secret | None) -> None:
        """Replace the JWTs in use (e.g. tokens obtained elsewhere). ``None`` forgets one."""
        with self._lock:
            self._access, self._refresh = access, refresh

    @property
    def tokens(self) -> tuple[Secret | None, Secret | None]:
        """The (access, refresh) tokens in use, as :class:`Secret` (``None`` before login)."""
        with self._lock:
            return self._access, self._refresh

    def close(self) -> None:
        """Close pooled connections."""
        self.session.close()

    # --------------------------------------------------------------- internals

    def _basic(self) -> HTTPBasicAuth | None:
        s = self.settings
        if s.username is None or s.password is None:
            return None
        return HTTPBasicAuth(s.username, s.password.reveal())

    def _bearer(self, timeout: Timeout) -> Secret:
        with self._lock:
            if self._access is None or _expires_within(self._access, TOKEN_LEEWAY_S):
                self._renew(timeout)
            assert self._access is not None
            return self._access

    def _renew(self, timeout: Timeout) -> None:
        if self._refresh is not None and not _expires_within(self._refresh, TOKEN_LEEWAY_S):
            try:
                self._access = self.refresh_access(self._refresh, timeout)
                logger.debug("access token refreshed")
                return
            except Unauthorized:
                logger.info("refresh token refused; logging in again")
        self._access, self._refresh = self.login(timeout)
        logger.debug("logged in, new token pair")

    def _send(
        self,
        ctx: _Ctx,
        query: list[tuple[str, str]],
        body: Any,
        timeout: Timeout,
        *,
        auth: requests.auth.AuthBase | None,
    ) -> requests.Response:
        url = self.settings.api_url + ctx.route
        kwargs: dict[str, Any] = {"params": query, "timeout": timeout, "auth": auth}
        if body is not None:
            kwargs["data"] = json.dumps(body, default=_json_default).encode()
            kwargs["headers"] = {"Content-Type": "application/json"}
        started = time.monotonic()
        watch = _Watch(self._deadline_for(timeout))
        timer = threading.Timer(watch.seconds, watch.expire)
        timer.daemon = True
        outer, _current.watch = _current_watch(), watch
        timer.start()
        try:
            try:
                response = self.session.request(ctx.method, url, **kwargs)
            except Exception as exc:
                if watch.expired:
                    raise RequestTimeout(
                        self._redact(
                            f"{ctx.prefix}{ctx.method} {ctx.route}: {self.settings.url} did "
                            f"not finish answering within the call's deadline of "
                            f"{watch.seconds:g} s (pass deadline= for a longer one)"
                        )
                    ) from exc
                raise
            finally:
                timer.cancel()
                _current.watch = outer
        except RequestTimeout:
            raise
        except requests.exceptions.ConnectionError as exc:
            # After exhausted retries, requests reports a read timeout as a
            # ConnectionError wrapping urllib3's ReadTimeoutError.
            if not _caused_by(exc, ReadTimeoutError):
                return self._connection_failed(ctx, exc)
            return self._read_timed_out(ctx, timeout, exc)
        except requests.exceptions.ReadTimeout as exc:
            return self._read_timed_out(ctx, timeout, exc)
        except requests.exceptions.RequestException as exc:
            return self._connection_failed(ctx, exc)
        logger.debug(
            "%s %s -> %s in %.3fs",
            ctx.method,
            ctx.route,
            response.status_code,
            time.monotonic() - started,
        )
        return response

    def _deadline_for(self, timeout: Timeout) -> float:
        if self.deadline is not None:
            return self.deadline
        if isinstance(timeout, tuple):
            return float(timeout[0] + timeout[1])
        return float(2 * timeout)

    def _read_timed_out(self, ctx: _Ctx, timeout: Timeout, exc: BaseException) -> NoReturn:
        raise RequestTimeout(
            self._redact(
                f"{ctx.prefix}{ctx.method} {ctx.route}: {self.settings.url} did not answer "
                f"within {_read_timeout(timeout)} s (pass a longer timeout for slow routes)"
            )
        ) from exc

    def _connection_failed(self, ctx: _Ctx, exc: BaseException) -> NoReturn:
        if isinstance(exc, requests.exceptions.SSLError):
            raise ConnectionFailed(
                self._redact(
                    f"{ctx.prefix}{ctx.method} {ctx.route}: TLS to {self.settings.url} failed: "
                    f"{_root_cause(exc)}"
                )
            ) from exc
        raise ConnectionFailed(
            self._redact(
                f"{ctx.prefix}{ctx.method} {ctx.route}: cannot reach the bot at "
                f"{self.settings.url}: {_root_cause(exc)}. Is it running, and is the "
                "URL/port right?"
            )
        ) from exc

    def _decode(self, response: requests.Response, ctx: _Ctx) -> Any:
        status = response.status_code
        try:
            data = response.json()
            decoded = True
        except ValueError:
            data, decoded = None, False
        if 200 <= status < 300:
            if not decoded:
                raise UnexpectedResponse(
                    status,
                    self._redact(f"the body is not JSON: {_snippet(response)}"),
                    method=ctx.method,
                    route=ctx.route,
                    call=ctx.call,
                )
            return data
        self._raise_for_status(status, data if decoded else None, response, ctx)

    def _raise_for_status(
        self, status: int, data: Any, response: requests.Response, ctx: _Ctx
    ) -> NoReturn:
        detail = self._redact(render_error_detail(data) if data is not None else _snippet(response))
        body = _redact_obj(data, self._secrets())
        kw: dict[str, Any] = {"method": ctx.method, "route": ctx.route, "call": ctx.call}
        if data is not None and _WRONG_STATE in detail.lower() and status in (502, 503):
            raise WrongMode(status, detail, body=body, required_mode=ctx.mode, **kw)
        exc_type: type[ApiError]
        if data is None:
            exc_type = UnexpectedResponse
        elif status == 401:
            exc_type = Unauthorized
        elif status == 404:
            exc_type = NotFound
        elif status in (400, 422):
            exc_type = InvalidRequest
        elif status == 502:
            exc_type = RpcError
        else:
            exc_type = UnexpectedResponse
        raise exc_type(status, detail, body=body, **kw)

    def _raise_shape(self, ctx: _Ctx, status: int, detail: str) -> NoReturn:
        raise UnexpectedResponse(status, detail, method=ctx.method, route=ctx.route, call=ctx.call)

    def _secrets(self) -> list[str]:
        found: list[str] = []
        for secret in (self.settings.password, self.settings.ws_token, *self.tokens):
            if secret is not None and len(secret.reveal()) >= 3:
                found.append(secret.reveal())
        return found

    def _redact(self, text: str) -> str:
        for value in self._secrets():
            text = text.replace(value, "***")
        return text


class _Ctx:
    __slots__ = ("call", "method", "mode", "route")

    def __init__(self, method: str, route: str, call: str | None, mode: Mode) -> None:
        self.method, self.route, self.call, self.mode = method, route, call, mode

    @property
    def prefix(self) -> str:
        return f"{self.call}(): " if self.call else ""


class _Bearer(requests.auth.AuthBase):
    def __init__(self, token: Secret) -> None:
        self._token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self._token.reveal()}"
        return r

    def __repr__(self) -> str:
        return "_Bearer(***)"


# ------------------------------------------------------------------- helpers


def encode_params(params: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Turn query parameters into ``(key, value)`` pairs as freqtrade (FastAPI) reads them.

    >>> encode_params({"pairs_to_delete": ["A/B", "C/D"], "limit": None, "order_by_id": False})
    [('pairs_to_delete', 'A/B'), ('pairs_to_delete', 'C/D'), ('order_by_id', 'false')]
    """
    pairs: list[tuple[str, str]] = []
    for key, value in (params or {}).items():
        if value is None:
            continue
        values: Iterable[Any] = (
            value if isinstance(value, list | tuple | set | frozenset) else [value]
        )
        for item in values:
            if item is None:
                continue
            pairs.append((key, _scalar(key, item)))
    return pairs


def _scalar(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return aware_isoformat(value, key)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str | int | float | date):
        return str(value) if not isinstance(value, date) else value.isoformat()
    raise ValueError(f"query parameter {key!r}: cannot send a {type(value).__name__}")


def aware_isoformat(value: datetime, name: str) -> str:
    """ISO 8601 with offset; a naive datetime is refused (the bot's clock is UTC)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name}: naive datetime {value.isoformat()} is ambiguous; give it a timezone, "
            "e.g. datetime(..., tzinfo=timezone.utc)"
        )
    return value.isoformat()


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return aware_isoformat(value, "datetime in request body")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Secret):
        raise ValueError("refusing to put a Secret into a request body")
    raise TypeError(f"cannot send a {type(value).__name__} as JSON")


def render_error_detail(data: Any) -> str:
    """The server's words from an error body, readable.

    FastAPI's 422 list becomes one line per problem::

        >>> render_error_detail({"detail": [{"loc": ["body", 0, "until"],
        ...     "msg": "Input should have timezone info", "input": "2030-01-01T00:00:00"}]})
        "body.0.until: Input should have timezone info (got '2030-01-01T00:00:00')"
    """
    if isinstance(data, dict):
        if "detail" in data:
            detail = data["detail"]
            if isinstance(detail, list):
                return "; ".join(_render_validation_item(item) for item in detail) or "[]"
            return str(detail)
        if "error" in data:
            return str(data["error"])
    text = json.dumps(data)
    return text if len(text) <= 300 else text[:300] + "..."


def _render_validation_item(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    loc = ".".join(str(part) for part in item.get("loc", ()))
    msg = str(item.get("msg", item))
    text = f"{loc}: {msg}" if loc else msg
    if "input" in item and not isinstance(item["input"], dict | list):
        text += f" (got {item['input']!r})"
    return text


def _redact_obj(data: Any, secrets: Sequence[str]) -> Any:
    if not secrets or data is None:
        return data
    text = json.dumps(data)
    if not any(s in text for s in secrets):
        return data
    for s in secrets:
        text = text.replace(s, "***")
    return json.loads(text)


def _snippet(response: requests.Response) -> str:
    content_type = response.headers.get("content-type", "?")
    text = response.text.strip().replace("\n", " ")
    if len(text) > 200:
        text = text[:200] + "..."
    return f"{content_type} body {text!r}" if text else f"empty {content_type} body"


def _root_cause(exc: BaseException) -> str:
    seen: set[int] = set()
    cur: BaseException | None = exc
    last = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        last = cur
        nxt = getattr(cur, "reason", None)
        cur = nxt if isinstance(nxt, BaseException) else (cur.__cause__ or cur.__context__)
    text = str(last) or type(last).__name__
    # urllib3 prefixes messages with the connection object's repr; keep the useful tail.
    if "): " in text and text.startswith("<"):
        text = text.split("): ", 1)[1]
    return text


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: set[int] = set()
    stack: list[object] = [exc]
    while stack:
        cur = stack.pop()
        if not isinstance(cur, BaseException) or id(cur) in seen:
            continue
        if isinstance(cur, kind):
            return True
        seen.add(id(cur))
        stack.extend([getattr(cur, "reason", None), cur.__cause__, cur.__context__, *cur.args])
    return False


def _expires_within(token: Secret, seconds: float) -> bool:
    """Read the JWT ``exp`` claim (without verifying: the server does that)."""
    exp = jwt_expiry(token)
    return exp is not None and exp - time.time() <= seconds


def jwt_expiry(token: Secret) -> float | None:
    """The ``exp`` claim of a JWT as a Unix time, or ``None`` if unreadable."""
    parts = token.reveal().split(".")
    if len(parts) != 3:
        return None
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, binascii.Error):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None


def _check_timeout(timeout: Any) -> None:
    values = timeout if isinstance(timeout, tuple) else (timeout,)
    if len(values) not in (1, 2) or any(
        isinstance(v, bool) or not isinstance(v, int | float) or v <= 0 for v in values
    ):
        raise ValueError(f"timeout must be seconds > 0 or a (connect, read) pair, got {timeout!r}")


def _read_timeout(timeout: Timeout) -> float:
    return timeout[1] if isinstance(timeout, tuple) else timeout
