"""The input checks FtClient and the widgets share: one rule per kind of value.

Every check takes the argument's (or form field's) name and the raw value, and returns
a clean value or raises :class:`ValueError` whose message names the field, says what
is valid and echoes what was received. Nothing here talks to the network: the client
calls a check before it sends anything, and a control shows the message in its message
area.

>>> check_pair("pair", "BTC/USDT:USDT")
'BTC/USDT:USDT'
>>> check_pair("pair", "BTC/USDT\\n")
Traceback (most recent call last):
...
ValueError: pair: must not contain whitespace or control characters, got 'BTC/USDT\\n'
>>> check_id("lock_id", "\u0663")
Traceback (most recent call last):
...
ValueError: lock_id must be an int (ASCII digits), got '٣'
>>> parse_duration("3d")
datetime.timedelta(days=3)
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta

__all__ = [
    "DURATION_HELP",
    "INT64_MAX",
    "MAX_LOCK",
    "MAX_PRICE_DISTANCE",
    "check_blacklist_entry",
    "check_id",
    "check_lock_until",
    "check_pair",
    "check_price_distance",
    "check_stake",
    "parse_duration",
]

#: The largest integer freqtrade's database (SQLite/Postgres BIGINT) can hold.
INT64_MAX = 2**63 - 1
#: The longest lock FtClient and LocksControl accept.
MAX_LOCK = timedelta(days=3650)
#: How far (as a fraction) a limit price may be from the last price without opting in.
MAX_PRICE_DISTANCE = 0.10
DURATION_HELP = "a duration like '30m', '2h', '3d', '1w' or a UTC time like '2030-01-31 12:00'"

_UNITS = {"m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(min|m|h|d|w)", re.IGNORECASE)
_PART = r"[A-Za-z0-9][A-Za-z0-9._-]*"
_PAIR = re.compile(rf"{_PART}/{_PART}(?::{_PART})?")
_PAIR_HELP = "BASE/QUOTE or BASE/QUOTE:SETTLE such as 'SOL/USDT' or 'BTC/USDT:USDT'"


def _no_blanks(field: str, value: str) -> None:
    bad = [c for c in value if c.isspace() or unicodedata.category(c)[0] in "CZ"]
    if bad:
        raise ValueError(
            f"{field}: must not contain whitespace or control characters, got {value!r}"
        )


def check_pair(field: str, value: object) -> str:
    """A market symbol: ``BASE/QUOTE`` or ``BASE/QUOTE:SETTLE``, letters/digits/``.-_``.

    No whitespace or control characters anywhere (``"BTC/USDT\\n"`` is refused, not
    trimmed: it is not the pair the caller thinks it is), no path tricks
    (``"../../etc/passwd"``), one ``/``.
    """
    if not isinstance(value, str):
        raise ValueError(f"{field} must be a string like 'SOL/USDT', got {value!r}")
    if not value:
        raise ValueError(f"{field}: empty; pick or type a pair such as 'SOL/USDT'")
    _no_blanks(field, value)
    if not value.isascii() or not _PAIR.fullmatch(value):
        raise ValueError(f"{field}: expected {_PAIR_HELP}, got {value!r}")
    return value


def check_blacklist_entry(field: str, value: object) -> str:
    """A blacklist entry: a pair, or a regex wildcard such as ``"DOGE/.*"``.

    freqtrade matches entries as regular expressions against ``BASE/QUOTE`` symbols, so
    an entry must hold exactly one ``/`` with something on both sides, compile as a
    regex, and hold no whitespace or control characters.
    """
    if not isinstance(value, str):
        raise ValueError(f"{field} must be a string like 'DOGE/USDT', got {value!r}")
    if not value:
        raise ValueError(f"{field}: empty; type a pair such as 'DOGE/USDT' or 'DOGE/.*'")
    _no_blanks(field, value)
    if value.count("/") != 1 or value.startswith("/") or value.endswith("/"):
        raise ValueError(
            f"{field}: {value!r} is not BASE/QUOTE; expected e.g. 'DOGE/USDT' or 'DOGE/.*'"
        )
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"{field}: {value!r} is not a valid wildcard ({exc})") from None
    return value


def is_plain_pair(value: str) -> bool:
    """True when ``value`` is a pair symbol rather than a regex wildcard."""
    return bool(_PAIR.fullmatch(value)) and value.isascii()


def check_id(field: str, value: object, *, minimum: int = 0) -> int:
    """A database id or count: an int (not bool) in ``[minimum, 2**63 - 1]``.

    Digit strings are accepted (the CLI passes them) but only ASCII digits: Python's
    ``int("٣")`` is 3, and ``delete_lock("٣")`` must not delete lock 3.
    """
    if isinstance(value, str):
        text = value.strip()
        body = text[1:] if text.startswith("-") else text
        if not (body.isascii() and body.isdigit()):
            raise ValueError(f"{field} must be an int (ASCII digits), got {value!r}")
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{field} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{field} must be >= {minimum}, got {value}")
    if value > INT64_MAX:
        raise ValueError(f"{field}: {value} does not fit the bot's 64-bit ids (max 2**63 - 1)")
    if value < -INT64_MAX - 1:
        raise ValueError(f"{field}: {value} does not fit a 64-bit integer")
    return value


def parse_duration(text: str, *, field: str = "duration") -> timedelta:
    """``'30m'``, ``'2h'``, ``'1.5d'``, ``'1w'`` → a positive :class:`timedelta` (≤ 10 years)."""
    raw = text.strip()
    match = _DURATION.fullmatch(raw)
    if not match:
        raise ValueError(
            f"{field}: expected a number and a unit m/h/d/w such as '2h' or '3d', got {text!r}"
        )
    seconds = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if seconds <= 0:
        raise ValueError(f"{field}: the duration must be longer than zero, got {text!r}")
    if seconds > MAX_LOCK.total_seconds():
        raise ValueError(f"{field}: at most {MAX_LOCK.days} days, got {text!r}")
    return timedelta(seconds=seconds)


def check_lock_until(
    field: str,
    value: object,
    *,
    now: datetime | None = None,
    naive_is_utc: bool = False,
) -> datetime:
    """When a lock ends: an aware datetime, an ISO string, a ``timedelta`` or ``"2h"``.

    Durations count from ``now``. The end must be in the future and at most
    :data:`MAX_LOCK` ahead: freqtrade answers a lock in the past, or in year 9999,
    normally and creates nothing. A naive time is refused (the bot works in UTC)
    unless ``naive_is_utc`` (the widgets say their times are UTC).

    >>> start = datetime(2030, 1, 1, tzinfo=UTC)
    >>> check_lock_until("until", "3d", now=start)
    datetime.datetime(2030, 1, 4, 0, 0, tzinfo=datetime.timezone.utc)
    """
    now = now or datetime.now(UTC)
    text = value if isinstance(value, str) else None
    if isinstance(value, str):
        raw = value.strip()
        if not raw:
            raise ValueError(f"{field}: empty; enter {DURATION_HELP}")
        if raw[0].isdigit() and _DURATION.fullmatch(raw):
            return now + parse_duration(raw, field=field)
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{field}: expected {DURATION_HELP}, got {text!r}") from None
    if isinstance(value, timedelta):
        if value <= timedelta(0):
            raise ValueError(f"{field}: the duration must be longer than zero, got {value}")
        value = now + value
    if not isinstance(value, datetime):
        raise ValueError(f"{field}: expected a timezone-aware datetime or {DURATION_HELP}")
    if value.tzinfo is None or value.utcoffset() is None:
        if not naive_is_utc:
            raise ValueError(
                f"{field}: naive datetime {value.isoformat()} is ambiguous; give it a "
                "timezone, e.g. datetime(..., tzinfo=timezone.utc)"
            )
        value = value.replace(tzinfo=UTC)
    if value <= now:
        raise ValueError(
            f"{field}: {value.astimezone(UTC):%Y-%m-%d %H:%M} UTC is in the past (now "
            f"{now.astimezone(UTC):%Y-%m-%d %H:%M} UTC); a lock must end in the future"
        )
    if value - now > MAX_LOCK:
        shown = text if text is not None else value.isoformat()
        raise ValueError(f"{field}: at most {MAX_LOCK.days} days ahead, got {shown!r}")
    return value


def check_stake(field: str, stake: float, available: float, currency: str) -> float:
    """Refuse a stake above what the bot has free: freqtrade would go all-in instead."""
    if stake > available:
        raise ValueError(
            f"{field}: {stake:g} {currency} is more than the bot's available balance "
            f"({available:g} {currency}); the bot would stake everything it has"
        )
    return stake


def check_price_distance(
    field: str, price: float, last: float, pair: str, *, max_distance: float
) -> float:
    """Refuse a limit price more than ``max_distance`` (a fraction) from the last price.

    >>> check_price_distance("price", 3.0, 95000.0, "BTC/USDT", max_distance=0.1)
    Traceback (most recent call last):
    ...
    ValueError: price: 3 is 100% below the last price of BTC/USDT (95000); ...
    """
    if last <= 0:
        return price
    distance = price / last - 1
    if abs(distance) > max_distance:
        where = "above" if distance > 0 else "below"
        raise ValueError(
            f"{field}: {price:g} is {abs(distance):.0%} {where} the last price of {pair} "
            f"({last:g}); the limit is {max_distance:.0%}. Pass allow_far_price=True if "
            "you mean it"
        )
    return price
