"""Routes of a trading bot (``freqtrade trade``; freqtrade's ``api_trading`` router).

A webserver-mode bot answers all of these with
:class:`~ftnotebook.exceptions.WrongMode` (503).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Literal, cast

from ftnotebook._base import (
    _ClientBase,
    aware_datetime,
    choice,
    drop_none,
    int_arg,
    opt_bool,
    opt_choice,
    opt_float,
    opt_int,
    opt_str,
    str_arg,
    str_list,
)
from ftnotebook._validate import (
    MAX_PRICE_DISTANCE,
    check_blacklist_entry,
    check_lock_until,
    check_pair,
    check_price_distance,
    check_stake,
)
from ftnotebook.exceptions import RpcError
from ftnotebook.models import (
    Balances,
    BlacklistResponse,
    Count,
    DeleteTrade,
    Entry,
    Exit,
    Locks,
    MixTag,
    OpenTrade,
    PairHistory,
    PerformanceEntry,
    PeriodicProfit,
    Profit,
    ProfitAll,
    ResultMsg,
    Stats,
    StatusMsg,
    Trade,
    TradeCustomData,
    Trades,
    WalletHistory,
    Whitelist,
)

Side = Literal["long", "short"]
LockSide = Literal["long", "short", "*"]
OrderType = Literal["limit", "market"]

_SIDES = ("long", "short")
_LOCK_SIDES = ("long", "short", "*")
_ORDER_TYPES = ("limit", "market")
_TRADE: Literal["trade"] = "trade"


class TradingRoutes(_ClientBase):
    """Trades, profit, locks, black/whitelist, bot control and live candles."""

    # ----------------------------------------------------------- trading info

    def balance(self) -> Balances:
        """``GET /balance``: balances per currency and the total in stake currency."""
        return cast(Balances, self._call("balance", "GET", "/balance", model=Balances, mode=_TRADE))

    def count(self) -> Count:
        """``GET /count``: open trades, ``max_open_trades`` and the stake in use.

        >>> client.count()["current"] >= 0
        True
        """
        return cast(Count, self._call("count", "GET", "/count", model=Count, mode=_TRADE))

    def entries(self, pair: str | None = None) -> list[Entry]:
        """``GET /entries``: closed-trade performance per entry tag (optionally one pair)."""
        params = {"pair": _opt_pair(pair)}
        data = self._call(
            "entries", "GET", "/entries", params=params, model=Entry, many=True, mode=_TRADE
        )
        return cast(list[Entry], data)

    def exits(self, pair: str | None = None) -> list[Exit]:
        """``GET /exits``: closed-trade performance per exit reason (optionally one pair)."""
        params = {"pair": _opt_pair(pair)}
        data = self._call(
            "exits", "GET", "/exits", params=params, model=Exit, many=True, mode=_TRADE
        )
        return cast(list[Exit], data)

    def mix_tags(self, pair: str | None = None) -> list[MixTag]:
        """``GET /mix_tags``: performance per entry tag + exit reason combination."""
        params = {"pair": _opt_pair(pair)}
        data = self._call(
            "mix_tags", "GET", "/mix_tags", params=params, model=MixTag, many=True, mode=_TRADE
        )
        return cast(list[MixTag], data)

    def performance(self) -> list[PerformanceEntry]:
        """``GET /performance``: closed-trade profit per pair, best first."""
        data = self._call(
            "performance", "GET", "/performance", model=PerformanceEntry, many=True, mode=_TRADE
        )
        return cast(list[PerformanceEntry], data)

    def profit(self) -> Profit:
        """``GET /profit``: the profit summary (win rate, drawdown, Sharpe, ...).

        Slow on large databases, hence its long default timeout.
        """
        return cast(Profit, self._call("profit", "GET", "/profit", model=Profit, mode=_TRADE))

    def profit_all(self) -> ProfitAll:
        """``GET /profit_all``: :meth:`profit` for all trades, plus long/short in futures."""
        data = self._call("profit_all", "GET", "/profit_all", model=ProfitAll, mode=_TRADE)
        return cast(ProfitAll, data)

    def stats(self) -> Stats:
        """``GET /stats``: wins/losses/draws per exit reason and mean trade durations."""
        return cast(Stats, self._call("stats", "GET", "/stats", model=Stats, mode=_TRADE))

    def historic_balance(self) -> WalletHistory:
        """``GET /historic_balance``: the wallet over time, as ``columns`` + ``data`` rows."""
        data = self._call(
            "historic_balance", "GET", "/historic_balance", model=WalletHistory, mode=_TRADE
        )
        return cast(WalletHistory, data)

    def daily(self, timescale: int | None = None, *, days: int | None = None) -> PeriodicProfit:
        """``GET /daily``: profit per day for the last ``timescale`` days (server default 7).

        ``days=`` is freqtrade-client's name for ``timescale`` and works too.

        >>> len(client.daily(days=3)["data"])
        3
        """
        return self._periodic("daily", _timescale(timescale, "days", days))

    def weekly(self, timescale: int | None = None, *, weeks: int | None = None) -> PeriodicProfit:
        """``GET /weekly``: profit per week (Monday start); server default 4 weeks.

        ``weeks=`` is freqtrade-client's name for ``timescale`` and works too.
        """
        return self._periodic("weekly", _timescale(timescale, "weeks", weeks))

    def monthly(self, timescale: int | None = None, *, months: int | None = None) -> PeriodicProfit:
        """``GET /monthly``: profit per calendar month; server default 3 months.

        ``months=`` is freqtrade-client's name for ``timescale`` and works too.
        """
        return self._periodic("monthly", _timescale(timescale, "months", months))

    def _periodic(self, name: str, timescale: int | None) -> PeriodicProfit:
        params = {"timescale": opt_int("timescale", timescale, minimum=1)}
        data = self._call(name, "GET", f"/{name}", params=params, model=PeriodicProfit, mode=_TRADE)
        return cast(PeriodicProfit, data)

    # ------------------------------------------------------------------ trades

    def status(self) -> list[OpenTrade]:
        """``GET /status``: the open trades with live rate and profit."""
        data = self._call("status", "GET", "/status", model=OpenTrade, many=True, mode=_TRADE)
        return cast(list[OpenTrade], data)

    def trades(
        self,
        limit: int | None = None,
        offset: int | None = None,
        order_by_id: bool | None = None,
    ) -> Trades:
        """``GET /trades``: one page of trades (open and closed) and the total count.

        Args:
            limit: page size (server default 500).
            offset: trades to skip.
            order_by_id: ``False`` sorts by latest timestamp instead of id.

        Use :meth:`iter_trades` to walk every page.
        """
        params = {
            "limit": opt_int("limit", limit, minimum=1),
            "offset": opt_int("offset", offset, minimum=0),
            "order_by_id": opt_bool("order_by_id", order_by_id),
        }
        data = self._call("trades", "GET", "/trades", params=params, model=Trades, mode=_TRADE)
        return cast(Trades, data)

    def iter_trades(self, page_size: int = 500) -> Iterator[Trade]:
        """Every trade, oldest first, fetched ``page_size`` at a time from ``/trades``.

        >>> all_trades = list(client.iter_trades(page_size=100))
        """
        page_size = int_arg("page_size", page_size, minimum=1)
        offset = 0
        while True:
            page = self.trades(limit=page_size, offset=offset)
            yield from page["trades"]
            offset += len(page["trades"])
            if not page["trades"] or offset >= page["total_trades"]:
                return

    def trade(self, trade_id: int) -> OpenTrade:
        """``GET /trade/{trade_id}``: one trade, open or closed (:class:`NotFound` if none)."""
        route = f"/trade/{int_arg('trade_id', trade_id, minimum=0)}"
        return cast(OpenTrade, self._call("trade", "GET", route, model=OpenTrade, mode=_TRADE))

    def delete_trade(self, trade_id: int) -> DeleteTrade:
        """``DELETE /trades/{trade_id}``: remove a trade from the database.

        Open orders are cancelled; the asset itself stays on the exchange.
        """
        route = f"/trades/{int_arg('trade_id', trade_id, minimum=0)}"
        data = self._call("delete_trade", "DELETE", route, model=DeleteTrade, mode=_TRADE)
        return cast(DeleteTrade, data)

    def cancel_open_order(self, trade_id: int) -> OpenTrade:
        """``DELETE /trades/{trade_id}/open-order``: cancel the trade's open order.

        Cancelling the entry order of a trade that never filled makes freqtrade delete
        the trade; its route then fails to show it and answers 502 "no active trade"
        (an :class:`RpcError`) although the cancel happened. The feed gets an
        ``entry_cancel`` message either way.
        """
        route = f"/trades/{int_arg('trade_id', trade_id, minimum=0)}/open-order"
        data = self._call("cancel_open_order", "DELETE", route, model=OpenTrade, mode=_TRADE)
        return cast(OpenTrade, data)

    def reload_trade(self, trade_id: int) -> OpenTrade:
        """``POST /trades/{trade_id}/reload``: re-read the trade's orders from the exchange."""
        route = f"/trades/{int_arg('trade_id', trade_id, minimum=0)}/reload"
        data = self._call("reload_trade", "POST", route, model=OpenTrade, mode=_TRADE)
        return cast(OpenTrade, data)

    def open_trades_custom_data(
        self, key: str | None = None, limit: int | None = None, offset: int | None = None
    ) -> list[TradeCustomData]:
        """``GET /trades/open/custom-data``: strategy custom data of all open trades.

        The bot answers :class:`NotFound` when no open trade has custom data.
        """
        params = {
            "key": opt_str("key", key),
            "limit": opt_int("limit", limit, minimum=1),
            "offset": opt_int("offset", offset, minimum=0),
        }
        data = self._call(
            "open_trades_custom_data",
            "GET",
            "/trades/open/custom-data",
            params=params,
            model=TradeCustomData,
            many=True,
            mode=_TRADE,
        )
        return cast(list[TradeCustomData], data)

    def trade_custom_data(self, trade_id: int, key: str | None = None) -> list[TradeCustomData]:
        """``GET /trades/{trade_id}/custom-data``: custom data of one trade.

        The bot answers :class:`NotFound` when the trade has none (or ``key`` is absent).
        """
        route = f"/trades/{int_arg('trade_id', trade_id, minimum=0)}/custom-data"
        data = self._call(
            "trade_custom_data",
            "GET",
            route,
            params={"key": opt_str("key", key)},
            model=TradeCustomData,
            many=True,
            mode=_TRADE,
        )
        return cast(list[TradeCustomData], data)

    # ------------------------------------------------------------ force entry/exit

    def force_enter(
        self,
        pair: str,
        side: Side = "long",
        *,
        price: float | None = None,
        order_type: OrderType | None = None,
        stake_amount: float | None = None,
        entry_tag: str | None = None,
        leverage: float | None = None,
        allow_far_price: bool = False,
        max_price_distance: float = MAX_PRICE_DISTANCE,
    ) -> Trade:
        """``POST /forceenter``: open a trade now (needs ``force_entry_enable`` in config).

        Returns the new trade. When the bot declines (pair locked, no stake left,
        max_open_trades reached) it answers 200 with a status text; that is raised
        as :class:`RpcError` instead of being returned as if it were a trade.

        Two checks run before anything is sent, each with one read from the bot:

        * ``stake_amount`` above the free balance of the stake currency (``/balance``)
          is refused: freqtrade would quietly stake everything it has instead.
        * a limit ``price`` more than ``max_price_distance`` (default 10 %) from the
          pair's last close (``/pair_candles``) is refused, unless
          ``allow_far_price=True``: a BTC entry at 3 USDT is a typo, not a plan.

        Raises:
            ValueError: a malformed pair, a stake above the balance, a far price.

        >>> t = client.force_enter("BTC/USDT", stake_amount=50, entry_tag="manual")
        >>> client.force_exit(t["trade_id"])
        {'result': 'Created exit order for trade ...'}
        """
        body = drop_none(
            {
                "pair": check_pair("pair", pair),
                "side": choice("side", side, _SIDES),
                "price": opt_float("price", price, positive=True),
                "ordertype": opt_choice("order_type", order_type, _ORDER_TYPES),
                "stakeamount": opt_float("stake_amount", stake_amount, positive=True),
                "entry_tag": opt_str("entry_tag", entry_tag),
                "leverage": opt_float("leverage", leverage, positive=True),
            }
        )
        far_ok = opt_bool("allow_far_price", allow_far_price)
        distance = opt_float("max_price_distance", max_price_distance, positive=True)
        if "stakeamount" in body:
            stake, currency = self.available_stake()
            check_stake("stake_amount", float(body["stakeamount"]), stake, currency)
        if "price" in body and not far_ok:
            last = self.last_price(pair)
            if last is None:
                raise ValueError(
                    f"price: cannot check {body['price']:g} against the last price of "
                    f"{pair}: the bot has no candles for it yet. Pass allow_far_price=True "
                    "to send it unchecked"
                )
            check_price_distance(
                "price", float(body["price"]), last, pair, max_distance=distance or 0.0
            )
        return self._force_enter("force_enter", "/forceenter", body)

    def available_stake(self) -> tuple[float, str]:
        """``(free, currency)``: what the bot has free in its stake currency (``/balance``)."""
        balances = self.balance()
        currency = balances["stake"]
        free = sum(
            float(row.get("free") or 0.0)
            for row in balances["currencies"]
            if row.get("currency") == currency and not row.get("is_position")
        )
        return free, currency

    def last_price(self, pair: str) -> float | None:
        """The last close of ``pair`` in the bot's analysed candles, ``None`` without any."""
        config = self._call("show_config", "GET", "/show_config")
        timeframe = config.get("timeframe") if isinstance(config, dict) else None
        if not isinstance(timeframe, str):
            return None
        candles = self.pair_candles(pair, timeframe, limit=1)
        columns, rows = candles.get("columns") or [], candles.get("data") or []
        if "close" not in columns or not rows:
            return None
        close = rows[-1][columns.index("close")]
        return float(close) if isinstance(close, int | float) and close > 0 else None

    def forcebuy(self, pair: str, price: float | None = None) -> Trade:
        """``POST /forcebuy`` (deprecated upstream): a long :meth:`force_enter`."""
        warnings.warn(
            "forcebuy() is deprecated; use force_enter(pair, 'long')",
            DeprecationWarning,
            stacklevel=2,
        )
        body = drop_none(
            {
                "pair": check_pair("pair", pair),
                "side": "long",
                "price": opt_float("price", price, positive=True),
            }
        )
        return self._force_enter("forcebuy", "/forcebuy", body)

    def _force_enter(self, call: str, route: str, body: dict[str, object]) -> Trade:
        data = self._call(call, "POST", route, body=body, mode=_TRADE)
        if (
            isinstance(data, dict)
            and "trade_id" not in data
            and isinstance(data.get("status"), str)
        ):
            # freqtrade's ForceEnterResponse: a 200 whose status text says it failed.
            raise RpcError(200, data["status"], method="POST", route=route, call=call, body=data)
        return cast(Trade, self._check_shape(call, "POST", route, data, Trade))

    def force_exit(
        self,
        trade_id: int | Literal["all"],
        *,
        order_type: OrderType | None = None,
        amount: float | None = None,
        price: float | None = None,
    ) -> ResultMsg:
        """``POST /forceexit``: close a trade (or every open trade with ``"all"``).

        Args:
            trade_id: the trade's id, or ``"all"``.
            order_type: ``"market"`` or ``"limit"`` (default: the config's force_exit type).
            amount: partial exit of this amount (default: the whole position).
            price: limit price for a limit exit.
        """
        body = drop_none(
            {
                "tradeid": self._trade_ref(trade_id),
                "ordertype": opt_choice("order_type", order_type, _ORDER_TYPES),
                "amount": opt_float("amount", amount, positive=True),
                "price": opt_float("price", price, positive=True),
            }
        )
        data = self._call(
            "force_exit", "POST", "/forceexit", body=body, model=ResultMsg, mode=_TRADE
        )
        return cast(ResultMsg, data)

    def forcesell(
        self, trade_id: int | Literal["all"], order_type: OrderType | None = None
    ) -> ResultMsg:
        """``POST /forcesell`` (deprecated upstream): :meth:`force_exit`."""
        warnings.warn(
            "forcesell() is deprecated; use force_exit(trade_id)",
            DeprecationWarning,
            stacklevel=2,
        )
        body = drop_none(
            {
                "tradeid": self._trade_ref(trade_id),
                "ordertype": opt_choice("order_type", order_type, _ORDER_TYPES),
            }
        )
        data = self._call(
            "forcesell", "POST", "/forcesell", body=body, model=ResultMsg, mode=_TRADE
        )
        return cast(ResultMsg, data)

    @staticmethod
    def _trade_ref(trade_id: object) -> str | int:
        if trade_id == "all":
            return "all"
        return int_arg("trade_id", trade_id, minimum=0)

    # --------------------------------------------------------- black/whitelist

    def whitelist(self) -> Whitelist:
        """``GET /whitelist``: the pairs the bot trades and the pairlist handlers."""
        data = self._call("whitelist", "GET", "/whitelist", model=Whitelist, mode=_TRADE)
        return cast(Whitelist, data)

    def blacklist(self) -> BlacklistResponse:
        """``GET /blacklist``: blacklist entries (wildcards kept) and what they match."""
        data = self._call("blacklist", "GET", "/blacklist", model=BlacklistResponse, mode=_TRADE)
        return cast(BlacklistResponse, data)

    def add_to_blacklist(self, *pairs: str) -> BlacklistResponse:
        """``POST /blacklist``: add pairs or regex wildcards (``"DOGE/.*"``).

        Pairs already present or invalid wildcards are reported per pair in
        ``errors`` (the others are still added).

        >>> client.add_to_blacklist("DOGE/USDT")["errors"]
        {}
        """
        body = {"blacklist": [check_blacklist_entry("pairs", p) for p in str_list("pairs", pairs)]}
        data = self._call(
            "add_to_blacklist",
            "POST",
            "/blacklist",
            body=body,
            model=BlacklistResponse,
            mode=_TRADE,
        )
        return cast(BlacklistResponse, data)

    def remove_from_blacklist(self, *pairs: str) -> BlacklistResponse:
        """``DELETE /blacklist?pairs_to_delete=...``: remove entries (exact text).

        Entries not on the blacklist are reported per pair in ``errors``.
        """
        params = {"pairs_to_delete": str_list("pairs", pairs)}
        data = self._call(
            "remove_from_blacklist",
            "DELETE",
            "/blacklist",
            params=params,
            model=BlacklistResponse,
            mode=_TRADE,
        )
        return cast(BlacklistResponse, data)

    # ------------------------------------------------------------------- locks

    def locks(self) -> Locks:
        """``GET /locks``: current pair locks."""
        return cast(Locks, self._call("locks", "GET", "/locks", model=Locks, mode=_TRADE))

    def add_lock(
        self,
        pair: str,
        until: datetime | timedelta | str,
        *,
        side: LockSide = "*",
        reason: str | None = None,
    ) -> Locks:
        """``POST /locks``: lock a pair until a time (no new entries while locked).

        Args:
            pair: e.g. ``"XRP/USDT"`` (``BASE/QUOTE`` or ``BASE/QUOTE:SETTLE``).
            until: a timezone-aware datetime, an ISO string with offset
                (``"2030-01-01T00:00:00Z"``), a ``timedelta`` or a duration as the
                widget takes it (``"1h"``, ``"3d"``). A naive time is refused: the bot
                works in UTC and a local-time guess would lock for the wrong hours. It
                must be in the future and at most 3650 days ahead (freqtrade answers
                both normally and creates nothing).
            side: ``"long"``, ``"short"`` or ``"*"`` (both).
            reason: shown in ``/locks`` and the UI. ``None`` stores no reason (null);
                ``""`` stores an empty one, as freqtrade-client's ``lock_add`` does.

        Returns all locks after the addition.

        >>> from datetime import datetime, timedelta, timezone
        >>> until = datetime.now(timezone.utc) + timedelta(hours=1)
        >>> locks = client.add_lock("XRP/USDT", until, reason="news")
        """
        body = [
            drop_none(
                {
                    "pair": check_pair("pair", pair),
                    "until": aware_datetime("until", check_lock_until("until", until)),
                    "side": choice("side", side, _LOCK_SIDES),
                    "reason": _opt_text("reason", reason),
                }
            )
        ]
        return cast(
            Locks, self._call("add_lock", "POST", "/locks", body=body, model=Locks, mode=_TRADE)
        )

    def delete_lock(self, lock_id: int) -> Locks:
        """``DELETE /locks/{lock_id}``: end one lock. Returns the remaining locks."""
        route = f"/locks/{int_arg('lock_id', lock_id, minimum=0)}"
        return cast(Locks, self._call("delete_lock", "DELETE", route, model=Locks, mode=_TRADE))

    def delete_locks(self, *, pair: str | None = None, lock_id: int | None = None) -> Locks:
        """``POST /locks/delete``: end every lock of ``pair``, or the lock ``lock_id``."""
        if pair is None and lock_id is None:
            raise ValueError("delete_locks() needs pair= or lock_id=")
        body = drop_none(
            {"pair": _opt_pair(pair), "lockid": opt_int("lock_id", lock_id, minimum=0)}
        )
        data = self._call(
            "delete_locks", "POST", "/locks/delete", body=body, model=Locks, mode=_TRADE
        )
        return cast(Locks, data)

    # ------------------------------------------------------------- bot control

    def start(self) -> StatusMsg:
        """``POST /start``: start trading if the bot is stopped."""
        return self._control("start")

    def stop(self) -> StatusMsg:
        """``POST /stop``: stop trading (open trades stay; the API keeps running)."""
        return self._control("stop")

    def pause(self) -> StatusMsg:
        """``POST /pause``: no new entries; exits are still handled. Undo with :meth:`start`."""
        return self._control("pause")

    def stopentry(self) -> StatusMsg:
        """``POST /stopentry`` (deprecated upstream): same as :meth:`pause`."""
        warnings.warn("stopentry() is deprecated; use pause()", DeprecationWarning, stacklevel=2)
        return self._control("stopentry")

    def stopbuy(self) -> StatusMsg:
        """``POST /stopbuy`` (deprecated upstream): same as :meth:`pause`."""
        warnings.warn("stopbuy() is deprecated; use pause()", DeprecationWarning, stacklevel=2)
        return self._control("stopbuy")

    def reload_config(self) -> StatusMsg:
        """``POST /reload_config``: re-read the config file and restart the bot's worker."""
        return self._control("reload_config")

    def _control(self, name: str) -> StatusMsg:
        return cast(StatusMsg, self._call(name, "POST", f"/{name}", model=StatusMsg, mode=_TRADE))

    # ------------------------------------------------------------------ candles

    def pair_candles(self, pair: str, timeframe: str, limit: int | None = None) -> PairHistory:
        """``GET /pair_candles``: the live analysed dataframe, every column.

        Args:
            pair: a whitelisted pair, e.g. ``"BTC/USDT"``.
            timeframe: e.g. ``"5m"``.
            limit: only the last ``limit`` candles.

        Use :meth:`pair_candles_filtered` to ask for chosen columns only.
        """
        params = {
            "pair": check_pair("pair", pair),
            "timeframe": str_arg("timeframe", timeframe),
            "limit": opt_int("limit", limit, minimum=1),
        }
        data = self._call(
            "pair_candles", "GET", "/pair_candles", params=params, model=PairHistory, mode=_TRADE
        )
        return cast(PairHistory, data)

    def pair_candles_filtered(
        self,
        pair: str,
        timeframe: str,
        columns: list[str],
        limit: int | None = None,
    ) -> PairHistory:
        """``POST /pair_candles``: the live analysed dataframe, OHLCV plus ``columns``.

        An empty ``columns`` list returns only the OHLCV (and signal) columns.
        """
        body = drop_none(
            {
                "pair": check_pair("pair", pair),
                "timeframe": str_arg("timeframe", timeframe),
                "columns": str_list("columns", columns, allow_empty=True),
                "limit": opt_int("limit", limit, minimum=1),
            }
        )
        data = self._call(
            "pair_candles_filtered",
            "POST",
            "/pair_candles",
            body=body,
            model=PairHistory,
            mode=_TRADE,
        )
        return cast(PairHistory, data)


def _timescale(timescale: int | None, alias: str, value: int | None) -> int | None:
    """``timescale``, or freqtrade-client's name for it (``days``/``weeks``/``months``)."""
    if value is None:
        return timescale
    if timescale is not None:
        raise ValueError(f"give timescale= or {alias}= (the same thing), not both")
    return int_arg(alias, value, minimum=1)


def _opt_pair(value: object) -> str | None:
    return None if value is None else check_pair("pair", value)


def _opt_text(name: str, value: object) -> str | None:
    """``None`` or any string, the empty one included."""
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{name} must be a string, got {value!r}")
    return value
