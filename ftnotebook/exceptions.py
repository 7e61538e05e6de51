"""Every error ftnotebook raises about a bot, in one tree.

::

    FtNotebookError                     base of everything below
    ├── ConnectionFailed                the bot could not be reached (refused, DNS, TLS, ...)
    │   └── RequestTimeout              connected, but no answer within the timeout
    ├── ApiError                        the bot answered, but not with the data asked for
    │   ├── Unauthorized                401: wrong username/password, or a dead token
    │   ├── NotFound                    404: no such trade, job, file or strategy
    │   ├── InvalidRequest              400/422: the bot rejected the request's content
    │   ├── WrongMode                   503 "Bot is not in the correct state": the route needs
    │   │                               the other run mode (trade vs webserver)
    │   ├── RpcError                    502: the bot's RPC layer refused (its ``error`` text),
    │   │                               or a 200 that carries an error status (/forceenter)
    │   └── UnexpectedResponse          a body that is not JSON or not of the expected shape,
    │                                   or a status code the client does not know
    └── LiveFeedError                   the WebSocket feed stopped for good (see ftnotebook.live)
        └── LiveFeedAuthError           the bot refused the feed's token (no retries)

Every :class:`ApiError` carries ``status``, ``detail`` (the server's own words),
``method`` (HTTP verb), ``route`` (path below ``/api/v1``) and ``call`` (the
:class:`~ftnotebook.FtClient` method), and its message names all of them::

    try:
        client.trade(999_999)
    except NotFound as exc:
        print(exc)          # trade(): GET /trade/999999 -> 404 Not Found: Trade not found.
        exc.status          # 404

Mistakes a caller can see before anything is sent (a naive datetime, an unknown
order type, a negative limit) are plain :class:`ValueError`, and nothing is sent.

No message here ever contains the password, a JWT or the ws_token: the transport
redacts known secrets before it builds an exception.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ApiError",
    "ConnectionFailed",
    "FtNotebookError",
    "InvalidRequest",
    "LiveFeedAuthError",
    "LiveFeedError",
    "NotFound",
    "RequestTimeout",
    "RpcError",
    "Unauthorized",
    "UnexpectedResponse",
    "WrongMode",
]


class FtNotebookError(Exception):
    """Base class of every error ftnotebook raises about a bot."""


class ConnectionFailed(FtNotebookError):
    """The bot could not be reached: connection refused, unknown host, TLS failure.

    The message names the URL (never credentials) and what the network layer said.
    """


class RequestTimeout(ConnectionFailed):
    """The bot accepted the connection but did not answer within the timeout.

    Raise the route's timeout (``FtClient(..., timeout=...)`` or ``timeouts={...}``)
    for slow routes such as ``pair_history`` on a long timerange.
    """


class ApiError(FtNotebookError):
    """The bot answered with an error status or an unusable body.

    Attributes:
        status: HTTP status code (200 when a success status carried an error).
        detail: the server's words, already rendered as readable text.
        method: HTTP verb, e.g. ``"POST"``.
        route: path below ``/api/v1``, e.g. ``"/locks"``.
        call: the client method that made the request, e.g. ``"add_lock"``.
    """

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        method: str,
        route: str,
        call: str | None = None,
        body: Any = None,
    ) -> None:
        self.status = status
        self.detail = detail
        self.method = method
        self.route = route
        self.call = call
        #: The decoded error body as sent by the server (secrets redacted), for inspection.
        self.body = body
        super().__init__(self._render())

    def _render(self) -> str:
        prefix = f"{self.call}(): " if self.call else ""
        reason = _REASONS.get(self.status, "")
        status = f"{self.status} {reason}".rstrip()
        return f"{prefix}{self.method} {self.route} -> {status}: {self.detail}{self._hint()}"

    def _hint(self) -> str:
        return ""

    def _state(self) -> dict[str, Any]:
        return {"method": self.method, "route": self.route, "call": self.call, "body": self.body}

    def __reduce__(self) -> tuple[Any, ...]:  # keep pickling (multiprocessing, joblib) working
        return (_rebuild, (type(self), self.status, self.detail, self._state()))


def _rebuild(cls: type[ApiError], status: int, detail: str, state: dict[str, Any]) -> ApiError:
    return cls(status, detail, **state)


class LiveFeedError(FtNotebookError):
    """The live WebSocket feed (:class:`ftnotebook.live.LiveFeed`) cannot go on.

    Raised by ``start()`` when the first connection fails, and by ``get()`` /
    ``wait_for()`` once the feed has stopped for good. Network drops are not errors:
    the feed reconnects by itself.
    """


class LiveFeedAuthError(LiveFeedError):
    """The bot refused the feed's token (``ws_token`` or JWT). The feed does not retry."""


class Unauthorized(ApiError):
    """401: the username/password is wrong, or a JWT could not be refreshed."""


class NotFound(ApiError):
    """404: the trade, lock, job, backtest file or strategy does not exist."""


class InvalidRequest(ApiError):
    """400 or 422: the bot rejected the request's content.

    For 422 the ``detail`` lists every validation problem as
    ``location: message (got value)``, one per line.
    """


class WrongMode(ApiError):
    """503 "Bot is not in the correct state": the route needs the other run mode.

    freqtrade serves trading routes only from a trading bot (``freqtrade trade``)
    and backtest/data routes only from ``freqtrade webserver``. ``required_mode``
    says which one this route needs (``"trade"`` or ``"webserver"``).
    """

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        method: str,
        route: str,
        call: str | None = None,
        body: Any = None,
        required_mode: str | None = None,
    ) -> None:
        self.required_mode = required_mode
        super().__init__(status, detail, method=method, route=route, call=call, body=body)

    def _hint(self) -> str:
        if self.required_mode in ("trade", "webserver"):
            return f" (this route needs a bot started with `freqtrade {self.required_mode}`)"
        return ""

    def _state(self) -> dict[str, Any]:
        return {**super()._state(), "required_mode": self.required_mode}


class RpcError(ApiError):
    """502: the bot's RPC layer refused the command; ``detail`` is its ``error`` text.

    Also raised for a 200 answer that only carries an error status, as
    ``/forceenter`` returns when no trade could be opened.
    """


class UnexpectedResponse(ApiError):
    """The body is not JSON, not of the documented shape, or the status is unknown.

    Seen when something other than freqtrade answers (a proxy's HTML error page)
    or when the bot's version does not match the API this client was written for.
    """


_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    422: "Unprocessable Content",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
