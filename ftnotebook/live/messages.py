"""Typed messages from freqtrade's WebSocket (``/api/v1/message/ws``).

freqtrade sends two shapes (see ``freqtrade/rpc/rpc_types.py``):

* RPC notifications (``entry``, ``entry_fill``, ``exit_fill``, ``status``, ...) carry
  their fields **at the top level** next to ``type``;
* data messages (``whitelist``, ``analyzed_df``, ``new_candle``) carry them under ``data``.

:func:`parse_message` turns one decoded JSON object into the matching frozen dataclass.
A type this module does not know, or a known type whose fields do not parse, becomes an
:class:`UnknownMessage` that still holds everything that was sent: nothing is dropped.
Every message keeps the decoded object in ``raw`` (left out of the repr) and the local
time it arrived in ``received_at``.

    >>> msg = parse_message({"type": "new_candle", "data": ["BTC/USDT", "5m", "spot"]})
    >>> msg
    NewCandleMessage(type='new_candle', pair='BTC/USDT', timeframe='5m', candle_type='spot')
    >>> parse_message({"type": "shiny_new_type", "x": 1}).type
    'shiny_new_type'

| type                                       | class                        |
| ------------------------------------------ | ---------------------------- |
| entry, entry_fill                          | :class:`EntryMessage`        |
| entry_cancel                               | :class:`EntryCancelMessage`  |
| exit, exit_fill                            | :class:`ExitMessage`         |
| exit_cancel                                | :class:`ExitCancelMessage`   |
| status, startup, warning                   | :class:`StatusMessage`       |
| strategy_msg                               | :class:`StrategyMessage`     |
| protection_trigger(_global)                | :class:`ProtectionMessage`   |
| liquidation_warning                        | :class:`LiquidationWarningMessage` |
| exception                                  | :class:`ExceptionMessage`    |
| whitelist                                  | :class:`WhitelistMessage`    |
| analyzed_df                                | :class:`AnalyzedDfMessage`   |
| new_candle                                 | :class:`NewCandleMessage`    |
| anything else                              | :class:`UnknownMessage`      |
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MESSAGE_TYPES",
    "AnalyzedDfMessage",
    "EntryCancelMessage",
    "EntryMessage",
    "ExceptionMessage",
    "ExitCancelMessage",
    "ExitMessage",
    "LiquidationWarningMessage",
    "LiveMessage",
    "NewCandleMessage",
    "ProtectionMessage",
    "StatusMessage",
    "StrategyMessage",
    "UnknownMessage",
    "WhitelistMessage",
    "parse_message",
]

logger = logging.getLogger(__name__)

MESSAGE_TYPES: tuple[str, ...] = (
    "status",
    "warning",
    "exception",
    "startup",
    "entry",
    "entry_fill",
    "entry_cancel",
    "exit",
    "exit_fill",
    "exit_cancel",
    "protection_trigger",
    "protection_trigger_global",
    "liquidation_warning",
    "strategy_msg",
    "whitelist",
    "analyzed_df",
    "new_candle",
)
"""Every message type freqtrade 2026.9 can send (``RPCMessageType``), for ``subscribe``."""


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class LiveMessage:
    """Base of every message: its ``type``, the decoded JSON and when it arrived."""

    type: str
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    received_at: datetime = field(default_factory=_now, repr=False, compare=False)

    TYPES: ClassVar[tuple[str, ...]] = ()


# ----------------------------------------------------------------------- orders


@dataclass(frozen=True, kw_only=True)
class _OrderMessage(LiveMessage):
    """Fields common to entry/exit notifications (``__RPCEntryExitMsgBase``)."""

    trade_id: int
    pair: str
    direction: str = "Long"
    enter_tag: str | None = None
    order_type: str | None = None
    amount: float | None = None
    open_rate: float | None = None
    order_rate: float | None = None
    current_rate: float | None = None
    stake_amount: float | None = None
    stake_currency: str | None = None
    base_currency: str | None = None
    quote_currency: str | None = None
    fiat_currency: str | None = None
    leverage: float | None = None
    exchange: str | None = None
    open_date: datetime | None = None
    sub_trade: bool = False
    is_short: bool = False
    """True for a short position (the bot's ``direction`` is ``"Short"``)."""

    @property
    def is_fill(self) -> bool:
        """True for ``*_fill`` messages: the order filled (not just placed)."""
        return self.type.endswith("_fill")

    @property
    def side(self) -> str:
        """``"long"`` or ``"short"``: the side of the position, as ``/forceenter`` names it."""
        return "short" if self.is_short else "long"


@dataclass(frozen=True, kw_only=True)
class EntryMessage(_OrderMessage):
    """``entry`` (order placed) or ``entry_fill`` (order filled) for a trade."""

    TYPES: ClassVar[tuple[str, ...]] = ("entry", "entry_fill")


@dataclass(frozen=True, kw_only=True)
class EntryCancelMessage(_OrderMessage):
    """``entry_cancel``: an entry order was cancelled; ``reason`` says why."""

    reason: str | None = None
    TYPES: ClassVar[tuple[str, ...]] = ("entry_cancel",)


@dataclass(frozen=True, kw_only=True)
class ExitMessage(_OrderMessage):
    """``exit`` (order placed) or ``exit_fill`` (filled): the result of (part of) a trade."""

    close_rate: float | None = None
    close_date: datetime | None = None
    profit_amount: float | None = None
    profit_ratio: float | None = None
    gain: str | None = None
    exit_reason: str | None = None
    cumulative_profit: float | None = None
    final_profit_ratio: float | None = None
    is_final_exit: bool = False
    TYPES: ClassVar[tuple[str, ...]] = ("exit", "exit_fill")


@dataclass(frozen=True, kw_only=True)
class ExitCancelMessage(_OrderMessage):
    """``exit_cancel``: an exit order was cancelled; ``reason`` says why."""

    reason: str | None = None
    close_date: datetime | None = None
    profit_amount: float | None = None
    profit_ratio: float | None = None
    gain: str | None = None
    exit_reason: str | None = None
    TYPES: ClassVar[tuple[str, ...]] = ("exit_cancel",)


# ----------------------------------------------------------------------- bot notices


@dataclass(frozen=True, kw_only=True)
class StatusMessage(LiveMessage):
    """``status``, ``startup`` or ``warning``: a line of text from the bot."""

    status: str
    TYPES: ClassVar[tuple[str, ...]] = ("status", "startup", "warning")


@dataclass(frozen=True, kw_only=True)
class StrategyMessage(LiveMessage):
    """``strategy_msg``: text the strategy sent with ``self.dp.send_msg(...)``."""

    msg: str
    TYPES: ClassVar[tuple[str, ...]] = ("strategy_msg",)


@dataclass(frozen=True, kw_only=True)
class ProtectionMessage(LiveMessage):
    """``protection_trigger`` (one pair) or ``protection_trigger_global`` (all pairs)."""

    id: int | None = None
    pair: str | None = None
    reason: str | None = None
    side: str | None = None
    active: bool = True
    lock_time: datetime | None = None
    lock_end_time: datetime | None = None
    TYPES: ClassVar[tuple[str, ...]] = ("protection_trigger", "protection_trigger_global")


@dataclass(frozen=True, kw_only=True)
class LiquidationWarningMessage(LiveMessage):
    """``liquidation_warning``: an open position approaches its liquidation price."""

    pair: str
    trade_id: int | None = None
    current_rate: float | None = None
    liquidation_price: float | None = None
    remaining_ratio: float | None = None
    warn_ratio: float | None = None
    TYPES: ClassVar[tuple[str, ...]] = ("liquidation_warning",)


@dataclass(frozen=True, kw_only=True)
class ExceptionMessage(LiveMessage):
    """``exception``: the bot could not handle a request sent over the socket."""

    error: str
    TYPES: ClassVar[tuple[str, ...]] = ("exception",)


# ----------------------------------------------------------------------- data messages


@dataclass(frozen=True, kw_only=True)
class WhitelistMessage(LiveMessage):
    """``whitelist``: the pairs the bot trades now (``data`` is the list)."""

    pairs: tuple[str, ...]
    TYPES: ClassVar[tuple[str, ...]] = ("whitelist",)


@dataclass(frozen=True, kw_only=True)
class NewCandleMessage(LiveMessage):
    """``new_candle``: a candle closed for ``pair``/``timeframe`` (``data`` is the key)."""

    pair: str
    timeframe: str
    candle_type: str = "spot"
    TYPES: ClassVar[tuple[str, ...]] = ("new_candle",)


@dataclass(frozen=True, kw_only=True)
class AnalyzedDfMessage(LiveMessage):
    """``analyzed_df``: the strategy's analysed dataframe for one pair.

    ``frame`` has the same schema as :func:`ftnotebook.frames.pair_candles` (UTC
    ``DatetimeIndex`` named ``date``, float OHLCV, bool signals, string tags, ``attrs``
    with ``pair``/``timeframe``/``last_analyzed``).

    The bot pushes one after every analysis with **only the newest candle**; the answer
    to a request (:meth:`LiveFeed.request_analyzed_df`) holds up to 1500.
    """

    pair: str
    timeframe: str
    candle_type: str
    last_analyzed: datetime | None
    frame: pd.DataFrame = field(repr=False, compare=False)
    TYPES: ClassVar[tuple[str, ...]] = ("analyzed_df",)

    def __repr__(self) -> str:
        return (
            f"AnalyzedDfMessage(type='analyzed_df', pair={self.pair!r}, "
            f"timeframe={self.timeframe!r}, candles={len(self.frame)}, "
            f"last_analyzed={self.last_analyzed!r})"
        )


@dataclass(frozen=True, kw_only=True)
class UnknownMessage(LiveMessage):
    """A type this version of ftnotebook does not model, or one whose fields did not parse.

    Nothing is lost: ``data`` is the ``data`` member if there is one, else every field
    except ``type``; ``raw`` is the whole object; ``error`` says why parsing fell back.
    """

    data: Any = None
    error: str | None = None


# ----------------------------------------------------------------------- parsing


def _dt(value: Any) -> datetime | None:
    """ISO 8601 text, epoch milliseconds or ``None`` → aware datetime (UTC if naive)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, UTC)
    elif isinstance(value, str):
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    else:
        raise ValueError(f"not a date: {value!r}")
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _order_fields(obj: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "trade_id": int(obj["trade_id"]),
        "pair": str(obj["pair"]),
        "direction": str(obj.get("direction") or "Long"),
        "enter_tag": _str(obj.get("enter_tag", obj.get("buy_tag"))),
        "order_type": _str(obj.get("order_type")),
        "amount": _float(obj.get("amount")),
        "open_rate": _float(obj.get("open_rate")),
        "order_rate": _float(obj.get("order_rate", obj.get("limit"))),
        "current_rate": _float(obj.get("current_rate")),
        "stake_amount": _float(obj.get("stake_amount")),
        "stake_currency": _str(obj.get("stake_currency")),
        "base_currency": _str(obj.get("base_currency")),
        "quote_currency": _str(obj.get("quote_currency")),
        "fiat_currency": _str(obj.get("fiat_currency")),
        "leverage": _float(obj.get("leverage")),
        "exchange": _str(obj.get("exchange")),
        "open_date": _dt(obj.get("open_date")),
        "sub_trade": bool(obj.get("sub_trade", False)),
        "is_short": str(obj.get("direction") or "Long").lower() == "short",
    }


def _exit_result(obj: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "close_date": _dt(obj.get("close_date")),
        "profit_amount": _float(obj.get("profit_amount")),
        "profit_ratio": _float(obj.get("profit_ratio")),
        "gain": _str(obj.get("gain")),
        "exit_reason": _str(obj.get("exit_reason")),
    }


def _entry(obj: Mapping[str, Any]) -> dict[str, Any]:
    return _order_fields(obj)


def _entry_cancel(obj: Mapping[str, Any]) -> dict[str, Any]:
    return {**_order_fields(obj), "reason": _str(obj.get("reason"))}


def _exit(obj: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **_order_fields(obj),
        **_exit_result(obj),
        "close_rate": _float(obj.get("close_rate")),
        "cumulative_profit": _float(obj.get("cumulative_profit")),
        "final_profit_ratio": _float(obj.get("final_profit_ratio")),
        "is_final_exit": bool(obj.get("is_final_exit", False)),
    }


def _exit_cancel(obj: Mapping[str, Any]) -> dict[str, Any]:
    return {**_order_fields(obj), **_exit_result(obj), "reason": _str(obj.get("reason"))}


def _status(obj: Mapping[str, Any]) -> dict[str, Any]:
    return {"status": str(obj["status"])}


def _strategy(obj: Mapping[str, Any]) -> dict[str, Any]:
    return {"msg": str(obj["msg"])}


def _protection(obj: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": None if obj.get("id") is None else int(obj["id"]),
        "pair": _str(obj.get("pair")),
        "reason": _str(obj.get("reason")),
        "side": _str(obj.get("side")),
        "active": bool(obj.get("active", True)),
        "lock_time": _dt(obj.get("lock_timestamp", obj.get("lock_time"))),
        "lock_end_time": _dt(obj.get("lock_end_timestamp", obj.get("lock_end_time"))),
    }


def _liquidation(obj: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "pair": str(obj["pair"]),
        "trade_id": None if obj.get("trade_id") is None else int(obj["trade_id"]),
        "current_rate": _float(obj.get("current_rate")),
        "liquidation_price": _float(obj.get("liquidation_price")),
        "remaining_ratio": _float(obj.get("remaining_ratio")),
        "warn_ratio": _float(obj.get("warn_ratio")),
    }


def _exception(obj: Mapping[str, Any]) -> dict[str, Any]:
    return {"error": str(obj.get("data"))}


def _whitelist(obj: Mapping[str, Any]) -> dict[str, Any]:
    data = obj["data"]
    if not isinstance(data, list):
        raise ValueError(f"whitelist data must be a list, got {type(data).__name__}")
    return {"pairs": tuple(str(pair) for pair in data)}


def _key(key: Any) -> tuple[str, str, str]:
    if not isinstance(key, list | tuple) or len(key) < 2:
        raise ValueError(f"expected [pair, timeframe, candle_type], got {key!r}")
    candle_type = str(key[2]) if len(key) > 2 and key[2] else "spot"
    return str(key[0]), str(key[1]), candle_type


def _new_candle(obj: Mapping[str, Any]) -> dict[str, Any]:
    pair, timeframe, candle_type = _key(obj["data"])
    return {"pair": pair, "timeframe": timeframe, "candle_type": candle_type}


def _analyzed_df(obj: Mapping[str, Any]) -> dict[str, Any]:
    data = obj["data"]
    pair, timeframe, candle_type = _key(data["key"])
    last_analyzed = _dt(data.get("la"))
    frame = analyzed_frame(data["df"], pair=pair, timeframe=timeframe, last_analyzed=last_analyzed)
    return {
        "pair": pair,
        "timeframe": timeframe,
        "candle_type": candle_type,
        "last_analyzed": last_analyzed,
        "frame": frame,
    }


def analyzed_frame(
    df: Any, *, pair: str, timeframe: str, last_analyzed: datetime | None = None
) -> pd.DataFrame:
    """The ``df`` member of an ``analyzed_df`` message → the ``pair_candles`` schema.

    freqtrade sends ``{"__type__": "dataframe", "__value__": "<pandas orient=split JSON>"}``
    with ``date`` in epoch milliseconds; a plain ``{"columns", "data"}`` dict is accepted too.
    """
    from ftnotebook.frames import candles_from_split  # pandas-heavy: import on first use

    if isinstance(df, Mapping) and df.get("__type__") == "dataframe":
        df = df.get("__value__")
    if isinstance(df, str):
        df = json.loads(df)
    if not isinstance(df, Mapping) or "columns" not in df or "data" not in df:
        raise ValueError("analyzed_df 'df' is not a dataframe in pandas split orientation")
    attrs: dict[str, Any] = {"pair": pair, "timeframe": timeframe}
    if last_analyzed is not None:
        attrs["last_analyzed"] = last_analyzed
    columns, rows = list(df["columns"]), df["data"]
    if not columns and not rows:  # a pair the bot has not analysed yet: empty, same schema
        columns = ["date", "open", "high", "low", "close", "volume"]
    return candles_from_split(columns, rows, attrs=attrs)


_PARSERS: dict[str, tuple[type[LiveMessage], Callable[[Mapping[str, Any]], dict[str, Any]]]] = {}
for _cls, _parse in (
    (EntryMessage, _entry),
    (EntryCancelMessage, _entry_cancel),
    (ExitMessage, _exit),
    (ExitCancelMessage, _exit_cancel),
    (StatusMessage, _status),
    (StrategyMessage, _strategy),
    (ProtectionMessage, _protection),
    (LiquidationWarningMessage, _liquidation),
    (ExceptionMessage, _exception),
    (WhitelistMessage, _whitelist),
    (NewCandleMessage, _new_candle),
    (AnalyzedDfMessage, _analyzed_df),
):
    for _type in _cls.TYPES:
        _PARSERS[_type] = (_cls, _parse)


def parse_message(obj: Any, *, received_at: datetime | None = None) -> LiveMessage:
    """One decoded WebSocket JSON object → its typed message (never raises, never drops).

    >>> parse_message({"type": "whitelist", "data": ["BTC/USDT", "ETH/USDT"]}).pairs
    ('BTC/USDT', 'ETH/USDT')
    >>> bad = parse_message({"type": "entry_fill"})   # no trade_id: kept, not dropped
    >>> type(bad).__name__, bad.error
    ('UnknownMessage', "entry_fill: missing field 'trade_id'")
    """
    when = received_at or _now()
    if not isinstance(obj, Mapping):
        return UnknownMessage(
            type="<not an object>",
            data=obj,
            raw={},
            received_at=when,
            error=f"expected a JSON object, got {type(obj).__name__}",
        )
    msg_type = str(obj.get("type", "<no type>"))
    entry = _PARSERS.get(msg_type)
    if entry is not None:
        cls, parse = entry
        try:
            return cls(type=msg_type, raw=obj, received_at=when, **parse(obj))
        except KeyError as exc:
            error = f"{msg_type}: missing field {exc}"
        except (TypeError, ValueError) as exc:
            error = f"{msg_type}: {exc}"
        except Exception as exc:  # a frame that does not fit the schema, ...
            error = f"{msg_type}: {type(exc).__name__}: {exc}"
        logger.warning("could not parse a %s message, kept as UnknownMessage: %s", msg_type, error)
    else:
        error = None
    data = obj["data"] if "data" in obj else {k: v for k, v in obj.items() if k != "type"}
    return UnknownMessage(type=msg_type, data=data, raw=obj, received_at=when, error=error)
