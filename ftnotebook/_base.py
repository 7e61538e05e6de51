"""Shared plumbing of the route mixins: one ``_call`` recipe and argument checks.

Every route method follows the same short recipe: check the arguments (a
``ValueError`` before anything is sent), build params/body without ``None``
values, call the transport, check the shape of the answer, return it typed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from ftnotebook._transport import Mode, Timeout, Transport, aware_isoformat
from ftnotebook._validate import INT64_MAX, check_id
from ftnotebook.exceptions import UnexpectedResponse
from ftnotebook.models import ShapeError, check_shape

#: Read timeouts (seconds) for routes that can legitimately take long; the
#: connect timeout stays short. Override per client with ``timeouts={...}``.
SLOW_ROUTE_TIMEOUTS: dict[str, float] = {
    "pair_history": 180.0,
    "pair_history_filtered": 180.0,
    "backtest": 120.0,
    "backtest_history_result": 120.0,
    "backtest_market_change": 120.0,
    "backtest_wallet": 120.0,
    "profit": 90.0,
    "profit_all": 90.0,
    "trades": 60.0,
    "exchanges": 60.0,
    "markets": 60.0,
    "strategy": 60.0,
    "reload_config": 60.0,
}


class _ClientBase:
    """State and helpers every route mixin relies on."""

    _transport: Transport
    _timeouts: dict[str, Timeout]

    def _call(
        self,
        call: str,
        method: str,
        route: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        mode: Mode = None,
        model: Any = dict,
        many: bool = False,
        authenticated: bool = True,
    ) -> Any:
        data = self._transport.request(
            method,
            route,
            params=params,
            body=body,
            timeout=self._timeouts.get(call),
            call=call,
            mode=mode,
            authenticated=authenticated,
        )
        return self._check_shape(call, method, route, data, model, many=many)

    @staticmethod
    def _check_shape(
        call: str, method: str, route: str, data: Any, model: Any, *, many: bool = False
    ) -> Any:
        """Return ``data`` if it has the model's shape, else raise UnexpectedResponse."""
        try:
            check_shape(data, model, many=many)
        except ShapeError as exc:
            raise UnexpectedResponse(
                200, str(exc), method=method.upper(), route=route, call=call, body=data
            ) from None
        return data


# -------------------------------------------------------------- argument checks


def seg(name: str, value: object) -> str:
    """One URL path segment, percent-encoded; empty or non-scalar values are refused."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"{name} must be a str or int, got {type(value).__name__}")
    text = str(value)
    if not text or text in (".", ".."):
        raise ValueError(f"{name} must not be empty, got {value!r}")
    return quote(text, safe="")


def int_arg(name: str, value: object, *, minimum: int | None = None) -> int:
    """An int (not bool) at least ``minimum`` and below 2**63; ASCII digit strings are
    accepted (CLI). See :func:`ftnotebook._validate.check_id`."""
    return check_id(name, value, minimum=-INT64_MAX - 1 if minimum is None else minimum)


def opt_int(name: str, value: object, *, minimum: int | None = None) -> int | None:
    return None if value is None else int_arg(name, value, minimum=minimum)


def float_arg(name: str, value: object, *, positive: bool = False) -> float:
    """A finite float; numeric strings are accepted (CLI)."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise ValueError(f"{name} must be a number, got {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return float(value)


def opt_float(name: str, value: object, *, positive: bool = False) -> float | None:
    return None if value is None else float_arg(name, value, positive=positive)


def str_arg(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


def opt_str(name: str, value: object) -> str | None:
    return None if value is None else str_arg(name, value)


def bool_arg(name: str, value: object) -> bool:
    """A bool; ``true``/``false``/``1``/``0`` strings are accepted (CLI)."""
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "1", "yes"):
            return True
        if lowered in ("false", "0", "no"):
            return False
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return value


def opt_bool(name: str, value: object) -> bool | None:
    return None if value is None else bool_arg(name, value)


def choice(name: str, value: object, allowed: Iterable[str]) -> str:
    options = tuple(allowed)
    if value not in options:
        shown = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {shown}; got {value!r}")
    return str(value)


def opt_choice(name: str, value: object, allowed: Iterable[str]) -> str | None:
    return None if value is None else choice(name, value, allowed)


def str_list(name: str, values: object, *, allow_empty: bool = False) -> list[str]:
    """A list of non-empty strings; one bare string is refused (it is not a list)."""
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValueError(f"{name} must be a list of strings, got {values!r}")
    items = list(values)
    if not items and not allow_empty:
        raise ValueError(f"{name} must not be empty")
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ValueError(f"{name} must hold non-empty strings, got {item!r}")
    return items


def opt_str_list(name: str, values: object) -> list[str] | None:
    return None if values is None else str_list(name, values, allow_empty=True)


def aware_datetime(name: str, value: object) -> str:
    """A tz-aware ``datetime`` (or ISO string with offset) as ISO 8601."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                f"{name} must be a datetime or an ISO 8601 string, got {value!r}"
            ) from None
    if not isinstance(value, datetime):
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")
    return aware_isoformat(value, name)


def drop_none(mapping: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v is not None}


_TIMERANGE_PART = r"(?:\d{8}(?:T\d{4}(?:\d{2})?)?|\d{10}|\d{13})?"
_TIMERANGE = re.compile(rf"^{_TIMERANGE_PART}-{_TIMERANGE_PART}$")


def timerange_arg(name: str, value: object) -> str:
    """A freqtrade timerange: ``"20240101-20240201"`` or a ``(start, end)`` pair.

    Each end of the pair is a ``date``, a timezone-aware ``datetime`` or ``None``
    (open). Datetimes are sent in UTC with second precision.

    >>> from datetime import date
    >>> timerange_arg("timerange", (date(2024, 1, 1), None))
    '20240101-'
    """
    if isinstance(value, str):
        text = value.strip()
        if not _TIMERANGE.match(text) or text == "-":
            raise ValueError(
                f"{name} must look like 'YYYYMMDD-YYYYMMDD' (either side may be empty, "
                f"or YYYYMMDDTHHMM / epoch seconds), got {value!r}"
            )
        return text
    if isinstance(value, tuple) and len(value) == 2:
        start, end = (_timerange_part(name, part) for part in value)
        if not start and not end:
            raise ValueError(f"{name}: at least one of start/end is needed")
        return f"{start}-{end}"
    raise ValueError(f"{name} must be a 'YYYYMMDD-YYYYMMDD' string or a (start, end) pair")


def opt_timerange(name: str, value: object) -> str | None:
    return None if value is None else timerange_arg(name, value)


def _timerange_part(name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        aware_isoformat(value, name)  # refuses naive datetimes
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%S")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    raise ValueError(f"{name}: start/end must be date, datetime or None, got {value!r}")
