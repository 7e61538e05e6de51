"""``FtClient``: one typed method for every route of freqtrade's REST API (2026.9).

Reads are named after the endpoint (``trades``, ``daily``, ``pair_candles``),
writes are verb_noun (``add_lock``, ``force_enter``, ``remove_from_blacklist``),
and no name ever switches HTTP verb. Results are typed dicts from
:mod:`ftnotebook.models`; failures are exceptions from
:mod:`ftnotebook.exceptions`, never ``None`` and never an error dict.

::

    from ftnotebook import FtClient

    client = FtClient("http://127.0.0.1:8080", "freqtrader", "secret")
    client = FtClient.from_config("user_data/config.json", auth="jwt")
    client = FtClient()          # FTNOTEBOOK_URL / _USERNAME / _PASSWORD

    client.count()               # {'current': 2, 'max': 10, 'total_stake': 200.0}
    page = client.trades(limit=100)
    client.add_lock("XRP/USDT", datetime.now(timezone.utc) + timedelta(hours=1))

Anything this client does not wrap is one call away through the raw escape hatch,
with the same auth, retries and errors::

    client.request("GET", "/trades", params={"limit": 5})

The routes live in three mixins, one per freqtrade run mode:
:class:`~ftnotebook._routes_info.InfoRoutes` (both modes),
:class:`~ftnotebook._routes_trading.TradingRoutes` (``freqtrade trade``) and
:class:`~ftnotebook._routes_webserver.WebserverRoutes` (``freqtrade webserver``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from ftnotebook._base import SLOW_ROUTE_TIMEOUTS
from ftnotebook._routes_info import InfoRoutes
from ftnotebook._routes_trading import TradingRoutes
from ftnotebook._routes_webserver import WebserverRoutes
from ftnotebook._transport import DEFAULT_TIMEOUT, AuthMode, Timeout, Transport, _check_timeout
from ftnotebook.settings import ConnectionSettings, Secret

__all__ = ["EXCLUDED_ROUTES", "ROUTES", "FtClient"]

#: Every HTTP route of freqtrade 2026.9 (API 2.50) and the FtClient method that calls it:
#: ``(verb, path below /api/v1, method name)``. One method per route, one verb per name.
ROUTES: tuple[tuple[str, str, str], ...] = (
    # any mode (api_v1 + auth)
    ("GET", "/ping", "ping"),
    ("GET", "/version", "version"),
    ("GET", "/show_config", "show_config"),
    ("GET", "/logs", "logs"),
    ("GET", "/plot_config", "plot_config"),
    ("GET", "/markets", "markets"),
    ("GET", "/strategy/{strategy}", "strategy"),
    ("GET", "/sysinfo", "sysinfo"),
    ("GET", "/health", "health"),
    ("POST", "/token/login", "token_login"),
    ("POST", "/token/refresh", "token_refresh"),
    # trade mode (api_trading)
    ("GET", "/balance", "balance"),
    ("GET", "/count", "count"),
    ("GET", "/entries", "entries"),
    ("GET", "/exits", "exits"),
    ("GET", "/mix_tags", "mix_tags"),
    ("GET", "/performance", "performance"),
    ("GET", "/profit", "profit"),
    ("GET", "/profit_all", "profit_all"),
    ("GET", "/stats", "stats"),
    ("GET", "/historic_balance", "historic_balance"),
    ("GET", "/daily", "daily"),
    ("GET", "/weekly", "weekly"),
    ("GET", "/monthly", "monthly"),
    ("GET", "/status", "status"),
    ("GET", "/trades", "trades"),
    ("GET", "/trade/{tradeid}", "trade"),
    ("DELETE", "/trades/{tradeid}", "delete_trade"),
    ("DELETE", "/trades/{tradeid}/open-order", "cancel_open_order"),
    ("POST", "/trades/{tradeid}/reload", "reload_trade"),
    ("GET", "/trades/open/custom-data", "open_trades_custom_data"),
    ("GET", "/trades/{trade_id}/custom-data", "trade_custom_data"),
    ("POST", "/forceenter", "force_enter"),
    ("POST", "/forcebuy", "forcebuy"),
    ("POST", "/forceexit", "force_exit"),
    ("POST", "/forcesell", "forcesell"),
    ("GET", "/blacklist", "blacklist"),
    ("POST", "/blacklist", "add_to_blacklist"),
    ("DELETE", "/blacklist", "remove_from_blacklist"),
    ("GET", "/whitelist", "whitelist"),
    ("GET", "/locks", "locks"),
    ("POST", "/locks", "add_lock"),
    ("DELETE", "/locks/{lockid}", "delete_lock"),
    ("POST", "/locks/delete", "delete_locks"),
    ("POST", "/start", "start"),
    ("POST", "/stop", "stop"),
    ("POST", "/pause", "pause"),
    ("POST", "/stopentry", "stopentry"),
    ("POST", "/stopbuy", "stopbuy"),
    ("POST", "/reload_config", "reload_config"),
    ("GET", "/pair_candles", "pair_candles"),
    ("POST", "/pair_candles", "pair_candles_filtered"),
    # webserver mode
    ("GET", "/strategies", "strategies"),
    ("GET", "/exchanges", "exchanges"),
    ("GET", "/hyperoptloss", "hyperoptloss"),
    ("GET", "/freqaimodels", "freqaimodels"),
    ("GET", "/available_pairs", "available_pairs"),
    ("GET", "/pair_history", "pair_history"),
    ("POST", "/pair_history", "pair_history_filtered"),
    ("POST", "/backtest", "start_backtest"),
    ("GET", "/backtest", "backtest"),
    ("DELETE", "/backtest", "reset_backtest"),
    ("GET", "/backtest/abort", "abort_backtest"),
    ("GET", "/backtest/history", "backtest_history"),
    ("GET", "/backtest/history/result", "backtest_history_result"),
    ("DELETE", "/backtest/history/{file}", "delete_backtest_history"),
    ("PATCH", "/backtest/history/{file}", "update_backtest_history"),
    ("GET", "/backtest/history/{file}/market_change", "backtest_market_change"),
    ("GET", "/backtest/history/{file}/{strategy}/wallet", "backtest_wallet"),
    ("GET", "/background", "background_jobs"),
    ("GET", "/background/{jobid}", "background_job"),
    ("DELETE", "/background/{jobid}", "delete_background_job"),
    ("DELETE", "/background/clear", "clear_background_jobs"),
    ("GET", "/pairlists/available", "pairlists_available"),
    ("POST", "/pairlists/evaluate", "evaluate_pairlists"),
    ("GET", "/pairlists/evaluate/{jobid}", "pairlists_evaluate_result"),
    ("POST", "/download_data", "download_data"),
    ("POST", "/lookahead_analysis", "start_lookahead_analysis"),
    ("GET", "/lookahead_analysis/{jobid}", "lookahead_analysis"),
    ("POST", "/recursive_analysis", "start_recursive_analysis"),
    ("GET", "/recursive_analysis/{jobid}", "recursive_analysis"),
)

#: Routes FtClient leaves out, with the reason.
EXCLUDED_ROUTES: dict[tuple[str, str], str] = {
    ("WS", "/message/ws"): (
        "a WebSocket, not a request/response route; the live feed (ftnotebook.live) "
        "subscribes to it with the settings' ws_token"
    ),
}


class FtClient(InfoRoutes, TradingRoutes, WebserverRoutes):
    """A typed client for one freqtrade bot.

    Args:
        url: the bot's API address, e.g. ``"http://127.0.0.1:8080"`` (a trailing
            ``/api/v1`` is fine). Defaults to ``$FTNOTEBOOK_URL``.
        username: API username (``api_server.username``); ``$FTNOTEBOOK_USERNAME``.
        password: API password; ``$FTNOTEBOOK_PASSWORD``. Kept as a :class:`Secret`.
        auth: ``"basic"`` (password on every request) or ``"jwt"`` (log in once,
            then Bearer tokens, refreshed before they expire).
        timeout: default ``(connect, read)`` seconds for every route.
        timeouts: per-method overrides, e.g. ``{"pair_history": 600}``. Slow routes
            (``pair_history``, backtest results, ``profit``) already have long ones.
        retries: retries of idempotent requests on connection errors and
            gateway 502/503/504 (0 disables).
        verify: TLS certificate check for https: ``True``, ``False`` or a CA bundle path.
        deadline: the most seconds one call may take in all: connecting, retries and
            every byte of the answer (a server that drips its answer cannot hold a
            call longer). Default: that call's connect + read timeout.

    Raises:
        ValueError: no URL, a malformed URL, or username without password.
    """

    def __init__(
        self,
        url: str | None = None,
        username: str | None = None,
        password: str | Secret | None = None,
        *,
        auth: AuthMode = "basic",
        timeout: Timeout = DEFAULT_TIMEOUT,
        timeouts: Mapping[str, Timeout] | None = None,
        retries: int = 3,
        backoff_factor: float = 0.3,
        pool_maxsize: int = 10,
        verify: bool | str = True,
        settings: ConnectionSettings | None = None,
        deadline: float | None = None,
    ) -> None:
        if settings is None:
            settings = ConnectionSettings.resolve(url, username, password)
        elif url is not None or username is not None or password is not None:
            raise ValueError("pass either settings= or url/username/password, not both")
        _check_timeout(timeout)
        connect = timeout[0] if isinstance(timeout, tuple) else timeout
        merged: dict[str, Timeout] = {
            name: (connect, seconds) for name, seconds in SLOW_ROUTE_TIMEOUTS.items()
        }
        for name, value in (timeouts or {}).items():
            if not callable(getattr(type(self), name, None)) or name.startswith("_"):
                raise ValueError(f"timeouts: {name!r} is not an FtClient route method")
            _check_timeout(value)
            merged[name] = value
        self.settings = settings
        self._timeouts = merged
        self._transport = Transport(
            settings,
            auth=auth,
            timeout=timeout,
            retries=retries,
            backoff_factor=backoff_factor,
            pool_maxsize=pool_maxsize,
            verify=verify,
            deadline=deadline,
        )

    @classmethod
    def from_config(
        cls, path: str | os.PathLike[str], *, auth: AuthMode = "basic", **kwargs: Any
    ) -> FtClient:
        """A client for the bot a freqtrade config file describes (its ``api_server``).

        >>> client = FtClient.from_config("user_data/config.json")
        """
        return cls(settings=ConnectionSettings.from_config(path), auth=auth, **kwargs)

    @classmethod
    def from_env(cls, *, auth: AuthMode = "basic", **kwargs: Any) -> FtClient:
        """A client from ``FTNOTEBOOK_URL``, ``FTNOTEBOOK_USERNAME``, ``FTNOTEBOOK_PASSWORD``."""
        return cls(settings=ConnectionSettings.from_env(), auth=auth, **kwargs)

    # ------------------------------------------------------------ escape hatch

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        timeout: Timeout | None = None,
    ) -> Any:
        """Call any route and return its decoded JSON, untyped.

        ``path`` is below ``/api/v1`` (``"/trades"``). Auth, retries, query encoding
        and error mapping are those of the typed methods.

        >>> client.request("GET", "/count")
        {'current': 2, 'max': 10, 'total_stake': 200.0}
        """
        if not isinstance(method, str) or method.upper() not in (
            "GET",
            "POST",
            "PUT",
            "PATCH",
            "DELETE",
            "HEAD",
        ):
            raise ValueError(f"method must be an HTTP verb such as 'GET', got {method!r}")
        if not isinstance(path, str) or not path.startswith("/"):
            raise ValueError(f"path must start with '/', e.g. '/trades', got {path!r}")
        if path.startswith("/api/v1/"):
            path = path[len("/api/v1") :]
        return self._transport.request(
            method, path, params=params, body=json, timeout=timeout, call="request"
        )

    # --------------------------------------------------------------- lifecycle

    @property
    def url(self) -> str:
        """The bot's base URL (without ``/api/v1``)."""
        return self.settings.url

    @property
    def auth(self) -> AuthMode:
        """``"basic"`` or ``"jwt"``."""
        return self._transport.auth_mode

    def close(self) -> None:
        """Close the pooled connections. The client can still be used afterwards."""
        self._transport.close()

    def __enter__(self) -> FtClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        user = f", username={self.settings.username!r}" if self.settings.username else ""
        return f"FtClient({self.settings.url!r}{user}, auth={self.auth!r})"
