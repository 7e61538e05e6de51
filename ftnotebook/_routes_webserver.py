"""Routes of a webserver-mode bot (``freqtrade webserver``): backtests, data, analyses.

A trading bot answers all of these with :class:`~ftnotebook.exceptions.WrongMode`
(503). Long-running work (backtest, download, pairlist evaluation, lookahead and
recursive analysis) starts a background job; poll it, or use :meth:`wait_for_job`
/ :meth:`wait_for_backtest`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal, cast

from ftnotebook._base import (
    _ClientBase,
    bool_arg,
    drop_none,
    float_arg,
    int_arg,
    opt_choice,
    opt_float,
    opt_int,
    opt_str,
    opt_str_list,
    opt_timerange,
    seg,
    str_arg,
    str_list,
    timerange_arg,
)
from ftnotebook.models import (
    AvailablePairs,
    BackgroundJob,
    BacktestHistoryEntry,
    BacktestMarketChange,
    BacktestResponse,
    BgJobStarted,
    ExchangeList,
    FreqAIModelList,
    HyperoptLossList,
    LookaheadAnalysisResponse,
    PairHistory,
    PairlistEvaluation,
    PairListsAvailable,
    RecursiveAnalysisResponse,
    StrategyList,
    WalletHistory,
)

_WS: Literal["webserver"] = "webserver"
_TRADING_MODES = ("spot", "margin", "futures")
_MARGIN_MODES = ("cross", "isolated")
_CANDLE_TYPES = ("spot", "futures", "mark", "index", "premiumIndex", "funding_rate")

#: A freqtrade timerange: ``"20240101-20240201"`` or ``(start, end)`` dates/aware datetimes.
TimeRange = str | tuple[date | datetime | None, date | datetime | None]


class WebserverRoutes(_ClientBase):
    """Strategy/exchange listings, backtesting, data download, analyses, pair history."""

    # ---------------------------------------------------------------- listings

    def strategies(self) -> StrategyList:
        """``GET /strategies``: strategy class names found in the strategy path."""
        return cast(
            StrategyList,
            self._call("strategies", "GET", "/strategies", model=StrategyList, mode=_WS),
        )

    def exchanges(self) -> ExchangeList:
        """``GET /exchanges``: every exchange ccxt knows, and freqtrade's support for it."""
        return cast(
            ExchangeList, self._call("exchanges", "GET", "/exchanges", model=ExchangeList, mode=_WS)
        )

    def hyperoptloss(self) -> HyperoptLossList:
        """``GET /hyperoptloss``: the hyperopt loss functions, with descriptions."""
        data = self._call("hyperoptloss", "GET", "/hyperoptloss", model=HyperoptLossList, mode=_WS)
        return cast(HyperoptLossList, data)

    def freqaimodels(self) -> FreqAIModelList:
        """``GET /freqaimodels``: FreqAI model class names available to the bot."""
        data = self._call("freqaimodels", "GET", "/freqaimodels", model=FreqAIModelList, mode=_WS)
        return cast(FreqAIModelList, data)

    def available_pairs(
        self,
        timeframe: str | None = None,
        stake_currency: str | None = None,
        candletype: str | None = None,
    ) -> AvailablePairs:
        """``GET /available_pairs``: pairs with local OHLCV data, optionally filtered.

        >>> client.available_pairs(timeframe="5m")["pairs"]
        ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'XRP/USDT']
        """
        params = {
            "timeframe": opt_str("timeframe", timeframe),
            "stake_currency": opt_str("stake_currency", stake_currency),
            "candletype": opt_choice("candletype", candletype, _CANDLE_TYPES),
        }
        data = self._call(
            "available_pairs",
            "GET",
            "/available_pairs",
            params=params,
            model=AvailablePairs,
            mode=_WS,
        )
        return cast(AvailablePairs, data)

    # ------------------------------------------------------------ pair history

    def pair_history(
        self,
        pair: str,
        timeframe: str,
        timerange: TimeRange | None = None,
        strategy: str | None = None,
        freqaimodel: str | None = None,
    ) -> PairHistory:
        """``GET /pair_history``: historic candles from local data, analysed by ``strategy``.

        ``timerange=None`` returns every candle the bot has. ``strategy`` is required
        (it has a default only so that ``timerange`` can be left out). Mind the order:
        freqtrade-client's is ``(pair, timeframe, strategy, timerange)``.
        Can take long for big timeranges; the default read timeout is 180 s.

        >>> h = client.pair_history("BTC/USDT", "5m", "20260101-", "FtnbDemo")
        >>> h["columns"][:3]
        ['date', 'open', 'high']
        >>> everything = client.pair_history("BTC/USDT", "5m", strategy="FtnbDemo")
        """
        if strategy is None:
            hint = ""
            if isinstance(timerange, str) and not _looks_like_timerange(timerange):
                hint = (
                    f"; {timerange!r} was given as the timerange: freqtrade-client's order is "
                    "(pair, timeframe, strategy, timerange), FtClient's is "
                    f"(pair, timeframe, timerange, strategy), so pass strategy={timerange!r}"
                )
            raise ValueError(f"pair_history() needs strategy=, the strategy to analyse{hint}")
        params = {
            "pair": str_arg("pair", pair),
            "timeframe": str_arg("timeframe", timeframe),
            # An empty timerange is freqtrade's "all the data" (what freqtrade-client sends).
            "timerange": "" if timerange is None else timerange_arg("timerange", timerange),
            "strategy": str_arg("strategy", strategy),
            "freqaimodel": opt_str("freqaimodel", freqaimodel),
        }
        data = self._call(
            "pair_history", "GET", "/pair_history", params=params, model=PairHistory, mode=_WS
        )
        return cast(PairHistory, data)

    def pair_history_filtered(
        self,
        pair: str,
        timeframe: str,
        timerange: TimeRange,
        strategy: str | None = None,
        *,
        columns: Sequence[str] | None = None,
        limit: int | None = None,
        freqaimodel: str | None = None,
        live_mode: bool = False,
        exchange: str | None = None,
        trading_mode: str | None = None,
        margin_mode: str | None = None,
    ) -> PairHistory:
        """``POST /pair_history``: like :meth:`pair_history`, with only ``columns``.

        ``live_mode=True`` fetches the candles from the exchange instead of local data.
        """
        body = drop_none(
            {
                "pair": str_arg("pair", pair),
                "timeframe": str_arg("timeframe", timeframe),
                "timerange": timerange_arg("timerange", timerange),
                "strategy": opt_str("strategy", strategy),
                "columns": opt_str_list("columns", columns),
                "limit": opt_int("limit", limit, minimum=1),
                "freqaimodel": opt_str("freqaimodel", freqaimodel),
                "live_mode": bool_arg("live_mode", live_mode) or None,
                **_exchange_fields(exchange, trading_mode, margin_mode),
            }
        )
        data = self._call(
            "pair_history_filtered",
            "POST",
            "/pair_history",
            body=body,
            model=PairHistory,
            mode=_WS,
        )
        return cast(PairHistory, data)

    # ---------------------------------------------------------------- backtest

    def start_backtest(
        self,
        strategy: str,
        *,
        timeframe: str | None = None,
        timeframe_detail: str | None = None,
        timerange: TimeRange | None = None,
        max_open_trades: int | None = None,
        stake_amount: float | Literal["unlimited"] | None = None,
        enable_protections: bool = False,
        dry_run_wallet: float | None = None,
        backtest_cache: str | None = None,
        freqaimodel: str | None = None,
        freqai_identifier: str | None = None,
    ) -> BacktestResponse:
        """``POST /backtest``: start a backtest in the background (one at a time).

        Unset settings come from the bot's config. Follow it with :meth:`backtest`
        or :meth:`wait_for_backtest`.

        >>> client.start_backtest("FtnbDemo", timerange="20260101-20260105")["status"]
        'running'
        """
        stake: float | str | None
        if stake_amount == "unlimited":
            stake = "unlimited"
        else:
            stake = opt_float("stake_amount", stake_amount, positive=True)
        body = drop_none(
            {
                "strategy": str_arg("strategy", strategy),
                "timeframe": opt_str("timeframe", timeframe),
                "timeframe_detail": opt_str("timeframe_detail", timeframe_detail),
                "timerange": opt_timerange("timerange", timerange),
                "max_open_trades": opt_int("max_open_trades", max_open_trades, minimum=-1),
                "stake_amount": stake,
                "enable_protections": bool_arg("enable_protections", enable_protections),
                "dry_run_wallet": opt_float("dry_run_wallet", dry_run_wallet, positive=True),
                "backtest_cache": opt_str("backtest_cache", backtest_cache),
                "freqaimodel": opt_str("freqaimodel", freqaimodel),
                "freqai": (
                    {"identifier": str_arg("freqai_identifier", freqai_identifier)}
                    if freqai_identifier is not None
                    else None
                ),
            }
        )
        data = self._call(
            "start_backtest", "POST", "/backtest", body=body, model=BacktestResponse, mode=_WS
        )
        return cast(BacktestResponse, data)

    def backtest(self) -> BacktestResponse:
        """``GET /backtest``: progress of the running backtest, or its full result.

        ``status`` is ``running``, ``ended`` (``backtest_result`` set), ``error``
        or ``not_started``.
        """
        data = self._call("backtest", "GET", "/backtest", model=BacktestResponse, mode=_WS)
        return cast(BacktestResponse, data)

    def reset_backtest(self) -> BacktestResponse:
        """``DELETE /backtest``: drop the cached backtest and its data (not while running)."""
        data = self._call("reset_backtest", "DELETE", "/backtest", model=BacktestResponse, mode=_WS)
        return cast(BacktestResponse, data)

    def abort_backtest(self) -> BacktestResponse:
        """``GET /backtest/abort``: ask the running backtest to stop."""
        data = self._call(
            "abort_backtest", "GET", "/backtest/abort", model=BacktestResponse, mode=_WS
        )
        return cast(BacktestResponse, data)

    def wait_for_backtest(self, timeout: float = 300.0, poll: float = 0.5) -> BacktestResponse:
        """Poll :meth:`backtest` until it is no longer running; return the last answer.

        Raises:
            TimeoutError: still running after ``timeout`` seconds.
        """
        timeout = float_arg("timeout", timeout, positive=True)
        poll = float_arg("poll", poll, positive=True)
        deadline = time.monotonic() + timeout
        while True:
            result = self.backtest()
            if not result["running"]:
                return result
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"backtest still running after {timeout:g} s: {result['status_msg']}"
                )
            time.sleep(poll)

    def backtest_history(self) -> list[BacktestHistoryEntry]:
        """``GET /backtest/history``: stored backtest results, one entry per strategy."""
        data = self._call(
            "backtest_history",
            "GET",
            "/backtest/history",
            model=BacktestHistoryEntry,
            many=True,
            mode=_WS,
        )
        return cast(list[BacktestHistoryEntry], data)

    def backtest_history_result(self, filename: str, strategy: str) -> BacktestResponse:
        """``GET /backtest/history/result``: load one stored result (``backtest_result``)."""
        params = {
            "filename": str_arg("filename", filename),
            "strategy": str_arg("strategy", strategy),
        }
        data = self._call(
            "backtest_history_result",
            "GET",
            "/backtest/history/result",
            params=params,
            model=BacktestResponse,
            mode=_WS,
        )
        return cast(BacktestResponse, data)

    def delete_backtest_history(self, filename: str) -> list[BacktestHistoryEntry]:
        """``DELETE /backtest/history/{filename}``: delete a stored result; returns the rest."""
        route = f"/backtest/history/{seg('filename', str_arg('filename', filename))}"
        data = self._call(
            "delete_backtest_history",
            "DELETE",
            route,
            model=BacktestHistoryEntry,
            many=True,
            mode=_WS,
        )
        return cast(list[BacktestHistoryEntry], data)

    def update_backtest_history(
        self, filename: str, strategy: str, notes: str = ""
    ) -> list[BacktestHistoryEntry]:
        """``PATCH /backtest/history/{filename}``: set the notes of a stored result."""
        if not isinstance(notes, str):
            raise ValueError(f"notes must be a string, got {notes!r}")
        route = f"/backtest/history/{seg('filename', str_arg('filename', filename))}"
        body = {"strategy": str_arg("strategy", strategy), "notes": notes}
        data = self._call(
            "update_backtest_history",
            "PATCH",
            route,
            body=body,
            model=BacktestHistoryEntry,
            many=True,
            mode=_WS,
        )
        return cast(list[BacktestHistoryEntry], data)

    def backtest_market_change(self, filename: str) -> BacktestMarketChange:
        """``GET /backtest/history/{filename}/market_change``: market change over the run."""
        route = f"/backtest/history/{seg('filename', str_arg('filename', filename))}/market_change"
        data = self._call(
            "backtest_market_change", "GET", route, model=BacktestMarketChange, mode=_WS
        )
        return cast(BacktestMarketChange, data)

    def backtest_wallet(self, filename: str, strategy: str) -> WalletHistory:
        """``GET /backtest/history/{filename}/{strategy}/wallet``: wallet value over the run."""
        route = (
            f"/backtest/history/{seg('filename', str_arg('filename', filename))}"
            f"/{seg('strategy', str_arg('strategy', strategy))}/wallet"
        )
        data = self._call("backtest_wallet", "GET", route, model=WalletHistory, mode=_WS)
        return cast(WalletHistory, data)

    # --------------------------------------------------------- background jobs

    def background_jobs(self) -> list[BackgroundJob]:
        """``GET /background``: every background job the bot remembers."""
        data = self._call(
            "background_jobs", "GET", "/background", model=BackgroundJob, many=True, mode=_WS
        )
        return cast(list[BackgroundJob], data)

    def background_job(self, job_id: str) -> BackgroundJob:
        """``GET /background/{job_id}``: one job's status, progress and error."""
        route = f"/background/{seg('job_id', str_arg('job_id', job_id))}"
        data = self._call("background_job", "GET", route, model=BackgroundJob, mode=_WS)
        return cast(BackgroundJob, data)

    def delete_background_job(self, job_id: str) -> BackgroundJob:
        """``DELETE /background/{job_id}``: forget a finished job (400 while it runs)."""
        route = f"/background/{seg('job_id', str_arg('job_id', job_id))}"
        data = self._call("delete_background_job", "DELETE", route, model=BackgroundJob, mode=_WS)
        return cast(BackgroundJob, data)

    def clear_background_jobs(self) -> list[BackgroundJob]:
        """``DELETE /background/clear``: forget every finished job; returns those still running."""
        data = self._call(
            "clear_background_jobs",
            "DELETE",
            "/background/clear",
            model=BackgroundJob,
            many=True,
            mode=_WS,
        )
        return cast(list[BackgroundJob], data)

    def wait_for_job(self, job_id: str, timeout: float = 300.0, poll: float = 0.5) -> BackgroundJob:
        """Poll :meth:`background_job` until the job stops running; return its last state.

        The job's own outcome is in ``status`` (``success``/``failed``) and ``error``.

        Raises:
            TimeoutError: still running after ``timeout`` seconds.
        """
        timeout = float_arg("timeout", timeout, positive=True)
        poll = float_arg("poll", poll, positive=True)
        deadline = time.monotonic() + timeout
        while True:
            job = self.background_job(job_id)
            if not job["running"] and job["status"] != "pending":
                return job
            if time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id} still {job['status']} after {timeout:g} s")
            time.sleep(poll)

    # --------------------------------------------------------------- pairlists

    def pairlists_available(self) -> PairListsAvailable:
        """``GET /pairlists/available``: pairlist handlers and their parameters."""
        data = self._call(
            "pairlists_available",
            "GET",
            "/pairlists/available",
            model=PairListsAvailable,
            mode=_WS,
        )
        return cast(PairListsAvailable, data)

    def evaluate_pairlists(
        self,
        pairlists: Sequence[dict[str, Any]],
        stake_currency: str,
        blacklist: Sequence[str] = (),
        *,
        exchange: str | None = None,
        trading_mode: str | None = None,
        margin_mode: str | None = None,
    ) -> BgJobStarted:
        """``POST /pairlists/evaluate``: run a pairlist chain in the background.

        Fetch the outcome with :meth:`pairlists_evaluate_result` once
        :meth:`wait_for_job` returns.

        >>> job = client.evaluate_pairlists(
        ...     [{"method": "StaticPairList", "pairs": ["BTC/USDT"]}], "USDT")
        """
        if isinstance(pairlists, dict) or not isinstance(pairlists, Sequence) or not pairlists:
            raise ValueError("pairlists must be a non-empty list of handler dicts")
        for handler in pairlists:
            if not isinstance(handler, dict) or not isinstance(handler.get("method"), str):
                raise ValueError(f"each pairlist needs a 'method' name, got {handler!r}")
        body = drop_none(
            {
                "pairlists": list(pairlists),
                "stake_currency": str_arg("stake_currency", stake_currency),
                "blacklist": str_list("blacklist", blacklist, allow_empty=True),
                **_exchange_fields(exchange, trading_mode, margin_mode),
            }
        )
        data = self._call(
            "evaluate_pairlists",
            "POST",
            "/pairlists/evaluate",
            body=body,
            model=BgJobStarted,
            mode=_WS,
        )
        return cast(BgJobStarted, data)

    def pairlists_evaluate_result(self, job_id: str) -> PairlistEvaluation:
        """``GET /pairlists/evaluate/{job_id}``: the whitelist a finished evaluation produced.

        The bot answers 400 (:class:`InvalidRequest`) while the job still runs.
        """
        route = f"/pairlists/evaluate/{seg('job_id', str_arg('job_id', job_id))}"
        data = self._call(
            "pairlists_evaluate_result", "GET", route, model=PairlistEvaluation, mode=_WS
        )
        return cast(PairlistEvaluation, data)

    # ----------------------------------------------------------- download data

    def download_data(
        self,
        pairs: Sequence[str],
        *,
        timeframes: Sequence[str] | None = None,
        days: int | None = None,
        timerange: TimeRange | None = None,
        erase: bool = False,
        download_trades: bool = False,
        candle_types: Sequence[str] | None = None,
        prepend_data: bool = False,
        exchange: str | None = None,
        trading_mode: str | None = None,
        margin_mode: str | None = None,
    ) -> BgJobStarted:
        """``POST /download_data``: download OHLCV from the exchange in the background.

        Give ``days`` or ``timerange``, not both.
        """
        if days is not None and timerange is not None:
            raise ValueError("download_data(): give days= or timerange=, not both")
        body = drop_none(
            {
                "pairs": str_list("pairs", pairs),
                "timeframes": opt_str_list("timeframes", timeframes),
                "days": opt_int("days", days, minimum=1),
                "timerange": opt_timerange("timerange", timerange),
                "erase": bool_arg("erase", erase),
                "download_trades": bool_arg("download_trades", download_trades),
                "candle_types": opt_str_list("candle_types", candle_types),
                "prepend_data": bool_arg("prepend_data", prepend_data),
                **_exchange_fields(exchange, trading_mode, margin_mode),
            }
        )
        data = self._call(
            "download_data", "POST", "/download_data", body=body, model=BgJobStarted, mode=_WS
        )
        return cast(BgJobStarted, data)

    # ---------------------------------------------------------------- analyses

    def start_lookahead_analysis(
        self,
        strategy: str,
        *,
        timeframe: str | None = None,
        timerange: TimeRange | None = None,
        minimum_trade_amount: int | None = None,
        targeted_trade_amount: int | None = None,
        lookahead_allow_limit_orders: bool | None = None,
    ) -> BgJobStarted:
        """``POST /lookahead_analysis``: check a strategy for lookahead bias (background)."""
        body = drop_none(
            {
                "strategy": str_arg("strategy", strategy),
                "timeframe": opt_str("timeframe", timeframe),
                "timerange": opt_timerange("timerange", timerange),
                "minimum_trade_amount": opt_int(
                    "minimum_trade_amount", minimum_trade_amount, minimum=1
                ),
                "targeted_trade_amount": opt_int(
                    "targeted_trade_amount", targeted_trade_amount, minimum=1
                ),
                "lookahead_allow_limit_orders": (
                    None
                    if lookahead_allow_limit_orders is None
                    else bool_arg("lookahead_allow_limit_orders", lookahead_allow_limit_orders)
                ),
            }
        )
        data = self._call(
            "start_lookahead_analysis",
            "POST",
            "/lookahead_analysis",
            body=body,
            model=BgJobStarted,
            mode=_WS,
        )
        return cast(BgJobStarted, data)

    def lookahead_analysis(self, job_id: str) -> LookaheadAnalysisResponse:
        """``GET /lookahead_analysis/{job_id}``: status, and the bias report once ended."""
        route = f"/lookahead_analysis/{seg('job_id', str_arg('job_id', job_id))}"
        data = self._call(
            "lookahead_analysis", "GET", route, model=LookaheadAnalysisResponse, mode=_WS
        )
        return cast(LookaheadAnalysisResponse, data)

    def start_recursive_analysis(
        self,
        strategy: str,
        *,
        timeframe: str | None = None,
        timerange: TimeRange | None = None,
        startup_candle: Sequence[int] | None = None,
    ) -> BgJobStarted:
        """``POST /recursive_analysis``: check indicators for startup-candle dependence."""
        candles = (
            None
            if startup_candle is None
            else [int_arg("startup_candle", c, minimum=1) for c in startup_candle]
        )
        body = drop_none(
            {
                "strategy": str_arg("strategy", strategy),
                "timeframe": opt_str("timeframe", timeframe),
                "timerange": opt_timerange("timerange", timerange),
                "startup_candle": candles,
            }
        )
        data = self._call(
            "start_recursive_analysis",
            "POST",
            "/recursive_analysis",
            body=body,
            model=BgJobStarted,
            mode=_WS,
        )
        return cast(BgJobStarted, data)

    def recursive_analysis(self, job_id: str) -> RecursiveAnalysisResponse:
        """``GET /recursive_analysis/{job_id}``: status, and per-indicator variance once ended."""
        route = f"/recursive_analysis/{seg('job_id', str_arg('job_id', job_id))}"
        data = self._call(
            "recursive_analysis", "GET", route, model=RecursiveAnalysisResponse, mode=_WS
        )
        return cast(RecursiveAnalysisResponse, data)


def _looks_like_timerange(text: str) -> bool:
    try:
        timerange_arg("timerange", text)
    except ValueError:
        return False
    return True


def _exchange_fields(
    exchange: str | None, trading_mode: str | None, margin_mode: str | None
) -> dict[str, Any]:
    return {
        "exchange": opt_str("exchange", exchange),
        "trading_mode": opt_choice("trading_mode", trading_mode, _TRADING_MODES),
        "margin_mode": opt_choice("margin_mode", margin_mode, _MARGIN_MODES),
    }
