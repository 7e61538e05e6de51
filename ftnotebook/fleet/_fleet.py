"""``Fleet``: many bots in one notebook, called concurrently, combined without mixing money.

::

    from ftnotebook.fleet import Fleet

    fleet = Fleet.from_file("fleet.json")        # or Fleet({"a": client_a, "b": client_b})
    fleet.profit()                               # one row per bot, with its stake_currency
    fleet.totals()                               # per stake currency, never summed across
    fleet.total(rates=fleet.rates("USDT"))       # one figure, with the rates it used
    fleet.trades()                               # every closed trade, a categorical `bot`
    fleet.pause(bots=["btc"])                    # a per-bot result, partial failures named

Every call goes to all bots (or ``bots=[...]``) at once, one thread each, and waits at
most ``timeout`` seconds per bot (:func:`~ftnotebook.fleet.run_each`). A bot that is down,
refuses, or is too slow never fails the call: frames hold the rows of the bots that
answered, and ``df.attrs["fleet"]`` is the :class:`~ftnotebook.fleet.FleetResult` that says
which did (``.summary()``, ``.errors``). :attr:`Fleet.last` is the last call's result.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import pandas as pd

from ftnotebook.client import FtClient
from ftnotebook.fleet._errors import FleetError
from ftnotebook.fleet._money import Rate, Rates, Total, per_currency, total
from ftnotebook.fleet._pool import FleetResult, run_each
from ftnotebook.fleet._spec import BotSpec, read_fleet_file
from ftnotebook.frames import (
    TradeHistory,
    balance_frame,
    concat_frames,
    concat_trades,
    locks_frame,
    periodic_frame,
    trades_frame,
    whitelist_frame,
)
from ftnotebook.settings import ConnectionSettings, load_config_file

__all__ = ["DEFAULT_TIMEOUT", "Fleet"]

T = TypeVar("T")
DEFAULT_TIMEOUT = 10.0
"""Seconds a fleet call waits for each bot."""
PROFIT_MONEY = ("profit_all_coin", "profit_closed_coin", "profit_all_fiat", "profit_closed_fiat")


def _name_of(client: FtClient) -> str:
    return client.url.split("://", 1)[-1]


class Fleet:
    """Several bots by name, each an :class:`~ftnotebook.FtClient`.

    Args:
        clients: ``{name: client}``, or a list of clients (named by ``host:port``).
        timeout: seconds each call waits for each bot (see :func:`run_each`).

    Raises:
        ValueError: no bots, two bots with the same name or the same URL, or something
            that is not an ``FtClient``.
    """

    def __init__(
        self,
        clients: Mapping[str, FtClient] | Sequence[FtClient],
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        if isinstance(clients, Mapping):
            pairs = list(clients.items())
        else:
            pairs = [(_name_of(c) if isinstance(c, FtClient) else "?", c) for c in clients]
        if not pairs:
            raise ValueError("a fleet needs at least one bot")
        names = [n for n, _ in pairs]
        for name, client in pairs:
            if not isinstance(name, str) or not name.strip():
                raise ValueError(f"bot names must be non-empty strings, got {name!r}")
            if not isinstance(client, FtClient):
                raise ValueError(f"bot {name!r}: expected an FtClient, got {type(client).__name__}")
        urls: dict[str, str] = {}
        for name, client in pairs:
            if client.url in urls:
                raise ValueError(
                    f"bots {urls[client.url]!r} and {name!r} have the same URL {client.url}; "
                    "each bot may be in the fleet once"
                )
            urls[client.url] = name
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"two bots share the name(s) {duplicates}; names must be unique")
        run_each({}, timeout=timeout)  # validates timeout
        self.clients: dict[str, FtClient] = dict(pairs)
        self.timeout = float(timeout)
        self.last: FleetResult[Any] | None = None
        """The result of the last fleet call (which bots answered)."""
        self._stake: dict[str, str] = {}
        self._config: dict[str, Mapping[str, Any]] = {}
        self._histories: dict[str, TradeHistory] = {}

    # ------------------------------------------------------------ constructors

    @classmethod
    def from_configs(
        cls,
        configs: Mapping[str, str | os.PathLike[str]] | Sequence[str | os.PathLike[str]],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        **client_kwargs: Any,
    ) -> Fleet:
        """A fleet of the bots these freqtrade config files describe (their ``api_server``).

        A list names each bot by its config's ``bot_name`` (else the file's folder).
        ``client_kwargs`` go to every :class:`~ftnotebook.FtClient`.
        """
        if isinstance(configs, Mapping):
            named = {name: Path(path) for name, path in configs.items()}
            if len(named) != len(configs):
                raise ValueError("two bots share a name")
        else:
            named = {}
            for path in map(Path, configs):
                raw = load_config_file(path)
                name = str(raw.get("bot_name") or path.resolve().parent.name)
                if name in named:
                    raise ValueError(f"two bots share the name {name!r} ({named[name]}, {path})")
                named[name] = path
        clients = {
            name: FtClient(settings=ConnectionSettings.from_config(path), **client_kwargs)
            for name, path in named.items()
        }
        return cls(clients, timeout=timeout)

    @classmethod
    def from_specs(
        cls,
        specs: Sequence[BotSpec],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        environ: Mapping[str, str] | None = None,
        **client_kwargs: Any,
    ) -> Fleet:
        """A fleet from :class:`BotSpec` entries (what a fleet file holds)."""
        names = [s.name for s in specs]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"two bots share the name(s) {duplicates}; names must be unique")
        clients = {s.name: FtClient(settings=s.settings(environ), **client_kwargs) for s in specs}
        return cls(clients, timeout=timeout)

    @classmethod
    def from_file(
        cls,
        path: str | os.PathLike[str],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        environ: Mapping[str, str] | None = None,
        **client_kwargs: Any,
    ) -> Fleet:
        """A fleet from a fleet file (see :mod:`ftnotebook.fleet._spec`): names plus where
        each bot's credentials are (a config path or environment variable names)."""
        return cls.from_specs(
            read_fleet_file(path), timeout=timeout, environ=environ, **client_kwargs
        )

    # ------------------------------------------------------------ basics

    @property
    def names(self) -> list[str]:
        """Bot names, in the fleet's order."""
        return list(self.clients)

    def __len__(self) -> int:
        return len(self.clients)

    def __iter__(self) -> Iterator[str]:
        return iter(self.clients)

    def __getitem__(self, name: str) -> FtClient:
        return self.clients[name]

    def __repr__(self) -> str:
        return f"Fleet({', '.join(f'{n}={c.url}' for n, c in self.clients.items())})"

    def close(self) -> None:
        """Close every client's connections."""
        for client in self.clients.values():
            client.close()

    def __enter__(self) -> Fleet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _select(self, bots: Sequence[str] | None) -> list[str]:
        if bots is None:
            return self.names
        if isinstance(bots, str):
            bots = [bots]
        unknown = [b for b in bots if b not in self.clients]
        if unknown:
            raise ValueError(f"unknown bot(s) {unknown}; the fleet has {self.names}")
        if not bots:
            raise ValueError("bots must name at least one bot (or be None for all)")
        return list(dict.fromkeys(bots))

    def call(
        self,
        fn: Callable[[str, FtClient], T],
        *,
        what: str = "call",
        bots: Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> FleetResult[T]:
        """Run ``fn(name, client)`` on every bot (or ``bots``) at once; one outcome per bot.

        Example::

            fleet.call(lambda name, c: c.count()["current"], what="count").values_by_bot
            # {'usdt-main': 2, 'usdt-swing': 1, 'btc-cross': 1}
        """
        names = self._select(bots)
        tasks = {n: functools.partial(fn, n, self.clients[n]) for n in names}
        result = run_each(tasks, timeout=self.timeout if timeout is None else timeout, what=what)
        self.last = result
        return result

    # ------------------------------------------------------------ per-bot facts

    def stake_currency(self, name: str) -> str:
        """The bot's stake currency (``show_config``, read once and kept)."""
        if name not in self._stake:
            self._remember(name, self.clients[name].show_config())
        return self._stake[name]

    def _remember(self, name: str, config: Mapping[str, Any]) -> None:
        self._config[name] = config
        self._stake[name] = str(config["stake_currency"])

    def show_config(self, *, bots: Sequence[str] | None = None) -> FleetResult[Any]:
        """``show_config`` of every bot (and the stake currencies remembered)."""

        def one(name: str, client: FtClient) -> Any:
            config = client.show_config()
            self._remember(name, config)
            return config

        return self.call(one, what="show_config", bots=bots)

    # ------------------------------------------------------------ frames

    def _frame(
        self,
        what: str,
        one: Callable[[str, FtClient], pd.DataFrame],
        *,
        bots: Sequence[str] | None,
        empty: pd.DataFrame | None = None,
        trades: bool = False,
    ) -> pd.DataFrame:
        def task(name: str, client: FtClient) -> pd.DataFrame:
            df = one(name, client)
            stake = self.stake_currency(name)
            return df.assign(stake_currency=stake)

        result = self.call(task, what=what, bots=bots)
        frames = result.values_by_bot
        combined = concat_trades(frames) if trades else concat_frames(frames, empty=empty)
        if "stake_currency" not in combined.columns:
            combined["stake_currency"] = pd.Series(dtype=object)
        combined["stake_currency"] = combined["stake_currency"].astype("category")
        combined.attrs = {"fleet": result}
        return combined

    def status(self, *, bots: Sequence[str] | None = None) -> pd.DataFrame:
        """Open trades of every bot (``/status``): the ``trades`` frame plus ``bot`` and
        ``stake_currency``."""
        return self._frame(
            "status",
            lambda n, c: trades_frame(list(c.status()), strict=False),
            bots=bots,
            trades=True,
        )

    def trades(
        self, *, include_open: bool = False, bots: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Every closed trade (plus open ones with ``include_open``) of every bot.

        Each bot keeps one :class:`~ftnotebook.TradeHistory`, so a second call asks only
        for what changed.
        """

        def one(name: str, client: FtClient) -> pd.DataFrame:
            history = self._histories.get(name)
            if history is None:
                history = self._histories[name] = TradeHistory(client, progress=False)
            return history.frame(include_open=include_open)

        return self._frame("trades", one, bots=bots, trades=True)

    def history(self, name: str) -> TradeHistory | None:
        """The bot's :class:`~ftnotebook.TradeHistory` once :meth:`trades` ran."""
        return self._histories.get(name)

    def profit(self, *, bots: Sequence[str] | None = None) -> pd.DataFrame:
        """``/profit`` of every bot: one row per bot, money in its ``stake_currency``."""

        def one(name: str, client: FtClient) -> pd.DataFrame:
            return pd.DataFrame([dict(client.profit())])

        return self._frame("profit", one, bots=bots)

    def _periodic(self, kind: str, n: int | None, bots: Sequence[str] | None) -> pd.DataFrame:
        def one(name: str, client: FtClient) -> pd.DataFrame:
            payload = getattr(client, kind)(n)
            return periodic_frame(payload, kind).reset_index()

        return self._frame(kind, one, bots=bots)

    def daily(self, days: int | None = None, *, bots: Sequence[str] | None = None) -> pd.DataFrame:
        """``/daily`` of every bot, one row per bot and day (``date`` column)."""
        return self._periodic("daily", days, bots)

    def weekly(
        self, weeks: int | None = None, *, bots: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """``/weekly`` of every bot, one row per bot and week."""
        return self._periodic("weekly", weeks, bots)

    def monthly(
        self, months: int | None = None, *, bots: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """``/monthly`` of every bot, one row per bot and month."""
        return self._periodic("monthly", months, bots)

    def balances(self, *, bots: Sequence[str] | None = None) -> pd.DataFrame:
        """``/balance`` of every bot: one row per bot and currency (``est_stake`` in the
        bot's ``stake_currency``)."""
        return self._frame("balance", lambda n, c: balance_frame(c.balance()), bots=bots)

    def locks(self, *, bots: Sequence[str] | None = None) -> pd.DataFrame:
        """``/locks`` of every bot."""
        return self._frame("locks", lambda n, c: locks_frame(c.locks()), bots=bots)

    def whitelists(self, *, bots: Sequence[str] | None = None) -> pd.DataFrame:
        """``/whitelist`` of every bot: one row per bot and pair."""
        return self._frame("whitelist", lambda n, c: whitelist_frame(c.whitelist()), bots=bots)

    def overview(self, *, bots: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per bot for a dashboard, in one concurrent call per bot: ``state``,
        ``open_trades``, ``profit_today``, ``profit_total`` (closed + open, stake currency),
        ``profit_closed``,
        ``last_seen`` and ``error``. Bots that did not answer keep a row with the error."""

        def one(name: str, client: FtClient) -> dict[str, Any]:
            config = client.show_config()
            self._remember(name, config)
            daily = client.daily(1)
            today = daily["data"][0]["abs_profit"] if daily["data"] else 0.0
            profit = client.profit()
            return {
                "state": config.get("state"),
                "stake_currency": config["stake_currency"],
                "open_trades": len(client.status()),
                "profit_today": float(today),
                "profit_total": float(profit["profit_all_coin"]),
                "profit_closed": float(profit["profit_closed_coin"]),
                "last_seen": datetime.now(UTC),
            }

        result = self.call(one, what="overview", bots=bots)
        rows = []
        for name, outcome in result.items():
            row: dict[str, Any] = {"bot": name, "state": None, "open_trades": None}
            row |= {"stake_currency": self._stake.get(name)}
            if outcome.ok:
                row |= outcome.unwrap()
            row["error"] = outcome.error_text
            rows.append(row)
        df = pd.DataFrame(rows)
        df["bot"] = pd.Categorical(df["bot"], categories=list(result))
        df.attrs = {"fleet": result}
        return df

    # ------------------------------------------------------------ money

    def totals(
        self, frame: pd.DataFrame | None = None, columns: Sequence[str] = PROFIT_MONEY[:2]
    ) -> pd.DataFrame:
        """Money columns summed per stake currency (of ``frame``, default :meth:`profit`)."""
        frame = self.profit() if frame is None else frame
        return per_currency(frame, columns)

    def total(
        self,
        frame: pd.DataFrame | None = None,
        column: str = "profit_all_coin",
        *,
        rates: Rates | None = None,
    ) -> Total:
        """One total of ``column``; across stake currencies only with ``rates``.

        Raises:
            MixedCurrencies: the bots stake several currencies and ``rates`` is None.
        """
        frame = self.profit() if frame is None else frame
        return total(frame, column, rates=rates)

    def rates(self, reporting: str, *, prefer: Sequence[str] | None = None) -> Rates:
        """Rates into ``reporting`` for every stake currency of the fleet, read from a bot
        that trades the cross pair (``BTC/USDT`` for BTC into USDT, or ``USDT/BTC``).

        The rate is the close of the pair's newest analysed candle on that bot; ``as_of``
        is when that candle closed and ``source`` names the bot, pair and timeframe.

        Raises:
            FleetError: no bot that answered trades a pair that prices a currency.
        """
        configs = self.show_config(bots=prefer)
        whitelists = self.call(
            lambda n, c: list(c.whitelist()["whitelist"]), what="whitelist", bots=prefer
        ).values_by_bot
        currencies = sorted(set(self._stake.values()) - {reporting})
        made: dict[str, Rate] = {}
        for currency in currencies:
            for name, pairs in whitelists.items():
                direct, inverse = f"{currency}/{reporting}", f"{reporting}/{currency}"
                pair = direct if direct in pairs else inverse if inverse in pairs else None
                if pair is None:
                    continue
                timeframe = str(configs[name].unwrap()["timeframe"])
                close, when = _last_close(self.clients[name], pair, timeframe)
                value = close if pair == direct else 1.0 / close
                source = f"{name}: {pair} {timeframe} close"
                made[currency] = Rate(currency, reporting, value, when, source)
                break
            else:
                raise FleetError(
                    f"no bot of the fleet trades {currency}/{reporting} or {reporting}/"
                    f"{currency}, so there is no rate for {currency}; pass one with "
                    f"Rates.from_dict({reporting!r}, {{{currency!r}: ...}})"
                )
        return Rates(reporting, made)

    # ------------------------------------------------------------ actions

    def _action(
        self, what: str, fn: Callable[[str, FtClient], T], bots: Sequence[str] | None
    ) -> FleetResult[T]:
        return self.call(fn, what=what, bots=bots)

    def pause(self, *, bots: Sequence[str] | None = None) -> FleetResult[Any]:
        """``POST /pause`` on every bot (or ``bots``): no new entries; undo with :meth:`start`."""
        return self._action("pause", lambda n, c: c.pause(), bots)

    def start(self, *, bots: Sequence[str] | None = None) -> FleetResult[Any]:
        """``POST /start`` on every bot (or ``bots``)."""
        return self._action("start", lambda n, c: c.start(), bots)

    def stop(self, *, bots: Sequence[str] | None = None) -> FleetResult[Any]:
        """``POST /stop`` on every bot (or ``bots``): open trades stay, no longer managed."""
        return self._action("stop", lambda n, c: c.stop(), bots)

    def _pair_for(self, name: str, pair: str) -> str:
        return pair if "/" in pair else f"{pair}/{self.stake_currency(name)}"

    def lock_pair(
        self,
        pair: str,
        until: datetime,
        *,
        reason: str = "fleet lock",
        side: Literal["long", "short", "*"] = "*",
        bots: Sequence[str] | None = None,
    ) -> FleetResult[dict[str, Any]]:
        """Lock ``pair`` on every bot (or ``bots``) until ``until``.

        ``pair`` is a pair (``"ETH/USDT"``) or a base currency (``"ETH"``): then each bot
        locks ETH against its own stake currency (``ETH/USDT``, ``ETH/BTC``). Each bot's
        value is ``{"pair": ..., "lock_ids": [...]}``, the locks it made (for
        :meth:`unlock`).

        Raises:
            ValueError: an empty pair, a naive or past ``until``, an unknown bot; nothing
                is sent then.
        """
        pair = _pair_arg(pair)
        if not isinstance(until, datetime) or until.tzinfo is None:
            raise ValueError(f"until must be a timezone-aware datetime, got {until!r}")
        if until <= datetime.now(UTC):
            raise ValueError(f"until must lie in the future, got {until.isoformat()}")
        if not isinstance(reason, str):
            raise ValueError(f"reason must be a string, got {reason!r}")
        names = self._select(bots)

        def one(name: str, client: FtClient) -> dict[str, Any]:
            target = self._pair_for(name, pair)
            before = {lock["id"] for lock in client.locks()["locks"]}
            locks = client.add_lock(target, until, side=side, reason=reason)["locks"]
            made = [lk["id"] for lk in locks if lk["id"] not in before and lk["pair"] == target]
            return {"pair": target, "lock_ids": made}

        return self._action("lock_pair", one, names)

    def unlock(self, result: FleetResult[dict[str, Any]]) -> FleetResult[Any]:
        """Delete the locks a :meth:`lock_pair` result made (on the bots where it made any)."""
        made = {b: v["lock_ids"] for b, v in result.values_by_bot.items() if v["lock_ids"]}
        if not made:
            return FleetResult("unlock", {})

        def one(name: str, client: FtClient) -> list[int]:
            ids: list[int] = list(made[name])
            for lock_id in ids:
                client.delete_lock(lock_id)
            return ids

        return self._action("unlock", one, list(made))

    def blacklist_pair(
        self, pair: str, *, bots: Sequence[str] | None = None
    ) -> FleetResult[dict[str, Any]]:
        """Blacklist ``pair`` (or a base currency, as in :meth:`lock_pair`) on every bot.

        Each bot's value is ``{"pair": ..., "added": bool}``: ``added`` is False where the
        pair was blacklisted already, so :meth:`unblacklist` leaves those entries alone.
        """
        pair = _pair_arg(pair)
        names = self._select(bots)

        def one(name: str, client: FtClient) -> dict[str, Any]:
            target = self._pair_for(name, pair)
            before = set(client.blacklist()["blacklist"])
            after = set(client.add_to_blacklist(target)["blacklist"])
            if target not in after:
                raise FleetError(f"{name}: the bot did not blacklist {target}")
            return {"pair": target, "added": target not in before}

        return self._action("blacklist_pair", one, names)

    def unblacklist(self, result: FleetResult[dict[str, Any]]) -> FleetResult[Any]:
        """Undo a :meth:`blacklist_pair` result where it added the pair."""
        added = {b: v["pair"] for b, v in result.values_by_bot.items() if v["added"]}
        if not added:
            return FleetResult("unblacklist", {})
        return self._action(
            "unblacklist", lambda n, c: c.remove_from_blacklist(added[n]), list(added)
        )


def _pair_arg(pair: object) -> str:
    if not isinstance(pair, str) or not pair.strip() or pair.strip() != pair:
        raise ValueError(
            f"pair must be a pair like 'ETH/USDT' or a currency like 'ETH', got {pair!r}"
        )
    if pair.count("/") > 1 or pair.startswith("/") or pair.endswith("/"):
        raise ValueError(f"pair must look like 'ETH/USDT' (or 'ETH'), got {pair!r}")
    return pair


def _last_close(client: FtClient, pair: str, timeframe: str) -> tuple[float, datetime]:
    payload: Any = client.pair_candles(pair, timeframe, limit=2)
    columns = list(payload["columns"])
    data = payload["data"]
    if not data:
        raise FleetError(f"{client.url}: no candles for {pair} {timeframe} to read a rate from")
    row = data[-1]
    close = float(row[columns.index("close")])
    stamp = pd.Timestamp(row[columns.index("date")])
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return close, (stamp + _timeframe(timeframe)).to_pydatetime()  # the candle's close


def _timeframe(timeframe: str) -> pd.Timedelta:
    """``"5m"`` → 5 minutes (freqtrade's units: s, m, h, d, w)."""
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
    number, unit = timeframe[:-1], timeframe[-1:]
    if unit not in seconds or not number.isdigit():
        raise FleetError(f"cannot read the timeframe {timeframe!r}")
    return pd.Timedelta(seconds=int(number) * seconds[unit])
