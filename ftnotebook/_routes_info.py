"""Routes every bot serves, in trade and webserver mode (freqtrade ``api_v1`` + auth)."""

from __future__ import annotations

from typing import cast

from ftnotebook._base import _ClientBase, bool_arg, opt_choice, opt_int, opt_str, seg, str_arg
from ftnotebook.models import (
    AccessToken,
    Health,
    Logs,
    Markets,
    Ping,
    PlotConfig,
    ShowConfig,
    StrategyDetail,
    SysInfo,
    TokenPair,
    Version,
)
from ftnotebook.settings import Secret, mask_tokens

_MODES = ("spot", "margin", "futures")
_MARGIN = ("cross", "isolated")


class InfoRoutes(_ClientBase):
    """Bot information, logs, strategies, markets and the JWT token routes."""

    def ping(self) -> Ping:
        """``GET /ping``: is the API answering? Needs no credentials.

        ``pong`` whenever the API is up, whatever the bot's state (stopped, webserver
        mode) and even with a wrong password. freqtrade-client's ``ping()`` is another
        question: it reads :meth:`show_config` and says ``pong`` only while the bot
        is running; ask ``client.show_config()["state"] == "running"`` for that (the
        ``ftnotebook ping`` command answers it, as freqtrade-client's does).

        >>> client.ping()
        {'status': 'pong'}
        """
        return cast(Ping, self._call("ping", "GET", "/ping", model=Ping, authenticated=False))

    def version(self) -> Version:
        """``GET /version``: the freqtrade version, e.g. ``{'version': '2026.9'}``."""
        return cast(Version, self._call("version", "GET", "/version", model=Version))

    def show_config(self) -> ShowConfig:
        """``GET /show_config``: the trading-relevant config, run mode and bot state.

        >>> cfg = client.show_config()
        >>> cfg["runmode"], cfg["state"]
        ('dry_run', 'running')
        """
        return cast(ShowConfig, self._call("show_config", "GET", "/show_config", model=ShowConfig))

    def logs(self, limit: int | None = None) -> Logs:
        """``GET /logs``: the bot's recent log lines, oldest first.

        Each line is ``[date, timestamp_ms, logger, level, message]``. Tokens in the
        messages are masked (``token=***``): freqtrade logs the query string of every
        WebSocket handshake, and with it the ``ws_token`` or JWT the client used.

        Args:
            limit: only the last ``limit`` lines (default: all the bot keeps).
        """
        params = {"limit": opt_int("limit", limit, minimum=1)}
        data = cast(Logs, self._call("logs", "GET", "/logs", params=params, model=Logs))
        for record in data["logs"]:
            if isinstance(record, list) and len(record) >= 5 and isinstance(record[4], str):
                record[4] = mask_tokens(record[4])
        return data

    def plot_config(self, strategy: str | None = None) -> PlotConfig:
        """``GET /plot_config``: a strategy's ``plot_config`` (``main_plot``, ``subplots``).

        In trade mode the running strategy is used when ``strategy`` is omitted; in
        webserver mode ``strategy`` is required (the bot answers 502 otherwise).
        """
        params = {"strategy": opt_str("strategy", strategy)}
        return cast(PlotConfig, self._call("plot_config", "GET", "/plot_config", params=params))

    def markets(
        self,
        base: str | None = None,
        quote: str | None = None,
        *,
        include_inactive: bool = False,
        exchange: str | None = None,
        trading_mode: str | None = None,
        margin_mode: str | None = None,
    ) -> Markets:
        """``GET /markets``: the exchange's markets, optionally by base/quote currency.

        ``exchange``/``trading_mode``/``margin_mode`` pick another exchange in
        webserver mode (which then loads that exchange's markets over the network).
        """
        params = {
            "base": opt_str("base", base),
            "quote": opt_str("quote", quote),
            "include_inactive": True if bool_arg("include_inactive", include_inactive) else None,
            "exchange": opt_str("exchange", exchange),
            "trading_mode": opt_choice("trading_mode", trading_mode, _MODES),
            "margin_mode": opt_choice("margin_mode", margin_mode, _MARGIN),
        }
        return cast(Markets, self._call("markets", "GET", "/markets", params=params, model=Markets))

    def strategy(self, strategy: str) -> StrategyDetail:
        """``GET /strategy/{strategy}``: source code, timeframe and hyperopt parameters.

        In trade mode only the running strategy is available (404 for others).
        """
        route = f"/strategy/{seg('strategy', str_arg('strategy', strategy))}"
        return cast(StrategyDetail, self._call("strategy", "GET", route, model=StrategyDetail))

    def sysinfo(self) -> SysInfo:
        """``GET /sysinfo``: CPU and RAM use of the machine running the bot."""
        return cast(SysInfo, self._call("sysinfo", "GET", "/sysinfo", model=SysInfo))

    def health(self) -> Health:
        """``GET /health``: when the bot last ran its loop. Trade mode only (502 otherwise)."""
        return cast(Health, self._call("health", "GET", "/health", model=Health, mode="trade"))

    # ------------------------------------------------------------------- auth

    def token_login(self) -> TokenPair:
        """``POST /token/login``: trade username/password for a JWT pair.

        You rarely need this: ``FtClient(..., auth="jwt")`` logs in, refreshes and
        logs in again by itself. The tokens come back as :class:`Secret`.
        """
        access, refresh = self._transport.login(self._timeouts.get("token_login"))
        return TokenPair(access_token=access, refresh_token=refresh)

    def token_refresh(self, refresh_token: Secret | str | None = None) -> AccessToken:
        """``POST /token/refresh``: a new access token from a refresh token.

        Args:
            refresh_token: defaults to the one the client holds (``auth="jwt"``).
        """
        if refresh_token is None:
            refresh_token = self._transport.tokens[1]
            if refresh_token is None:
                raise ValueError(
                    "token_refresh() needs a refresh token: pass one, or use "
                    "FtClient(..., auth='jwt') so the client holds one"
                )
        if isinstance(refresh_token, str):
            refresh_token = Secret(str_arg("refresh_token", refresh_token))
        if not isinstance(refresh_token, Secret):
            raise ValueError(f"refresh_token must be a str or Secret, got {refresh_token!r}")
        access = self._transport.refresh_access(refresh_token, self._timeouts.get("token_refresh"))
        return AccessToken(access_token=access)
