"""Parse what a user typed into a control, before anything is sent to the bot.

Every parser takes the raw text of one field and returns a clean value, or raises
:class:`ValueError` whose message names the field, says what is valid and echoes what
was received. The controls show that message in their message area.

>>> parse_duration("2h")
datetime.timedelta(seconds=7200)
>>> parse_pairs("DOGE/.*, shib/usdt", field="pairs")
['DOGE/.*', 'SHIB/USDT']
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from datetime import UTC, datetime, timedelta

__all__ = [
    "parse_duration",
    "parse_optional_positive",
    "parse_pair",
    "parse_pairs",
    "parse_until",
]

_UNITS = {"m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(min|m|h|d|w)", re.IGNORECASE)
_PAIR = re.compile(r"[A-Z0-9]+/[A-Z0-9]+(:[A-Z0-9]+)?")
MAX_LOCK = timedelta(days=3650)
DURATION_HELP = "a duration like '30m', '2h', '3d', '1w' or a UTC time like '2030-01-31 12:00'"


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
    duration = timedelta(seconds=seconds)
    if duration > MAX_LOCK:
        raise ValueError(f"{field}: at most {MAX_LOCK.days} days, got {text!r}")
    return duration


def parse_until(text: str, *, now: datetime | None = None, field: str = "until") -> datetime:
    """A duration from now (``'2h'``) or a time (ISO, naive means UTC) → an aware future datetime.

    >>> start = datetime(2030, 1, 1, tzinfo=UTC)
    >>> parse_until("3d", now=start)
    datetime.datetime(2030, 1, 4, 0, 0, tzinfo=datetime.timezone.utc)
    >>> parse_until("2030-01-02 06:00", now=start)
    datetime.datetime(2030, 1, 2, 6, 0, tzinfo=datetime.timezone.utc)
    """
    now = now or datetime.now(UTC)
    raw = text.strip()
    if not raw:
        raise ValueError(f"{field}: empty; enter {DURATION_HELP}")
    if raw[0].isdigit() and _DURATION.fullmatch(raw):
        return now + parse_duration(raw, field=field)
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{field}: expected {DURATION_HELP}, got {text!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if when <= now:
        raise ValueError(
            f"{field}: {when:%Y-%m-%d %H:%M} UTC is in the past (now {now:%Y-%m-%d %H:%M} UTC); "
            "a lock must end in the future"
        )
    if when - now > MAX_LOCK:
        raise ValueError(f"{field}: at most {MAX_LOCK.days} days ahead, got {text!r}")
    return when


def parse_pair(text: str, *, known: Collection[str] | None = None, field: str = "pair") -> str:
    """``'sol/usdt'`` → ``'SOL/USDT'``; checked against ``known`` pairs when given."""
    pair = text.strip().upper()
    if not pair:
        raise ValueError(f"{field}: empty; pick or type a pair such as 'SOL/USDT'")
    if not _PAIR.fullmatch(pair):
        raise ValueError(f"{field}: expected BASE/QUOTE such as 'SOL/USDT', got {text!r}")
    if known is not None and pair not in known:
        shown = ", ".join(sorted(known)[:12]) + (" ..." if len(known) > 12 else "")
        raise ValueError(f"{field}: unknown pair {pair!r}; the bot knows {shown}")
    return pair


def parse_pairs(text: str, *, field: str = "pairs") -> list[str]:
    """Comma/space separated pairs or regex wildcards (``'DOGE/.*'``) for the blacklist.

    Plain pairs are upper-cased; every entry must contain one ``/`` and compile as a
    regular expression (freqtrade matches blacklist entries as regexes).
    """
    entries = [part for part in re.split(r"[,\s]+", text.strip()) if part]
    if not entries:
        raise ValueError(f"{field}: empty; type one or more pairs such as 'DOGE/USDT' or 'DOGE/.*'")
    result: list[str] = []
    for entry in entries:
        if entry.count("/") != 1 or entry.startswith("/") or entry.endswith("/"):
            raise ValueError(
                f"{field}: {entry!r} is not BASE/QUOTE; expected e.g. 'DOGE/USDT' or 'DOGE/.*'"
            )
        try:
            re.compile(entry)
        except re.error as exc:
            raise ValueError(f"{field}: {entry!r} is not a valid wildcard ({exc})") from None
        plain = _PAIR.fullmatch(entry.upper())
        cleaned = entry.upper() if plain else entry
        if cleaned in result:
            raise ValueError(f"{field}: {cleaned!r} is listed twice")
        result.append(cleaned)
    return result


def parse_optional_positive(text: str, *, field: str) -> float | None:
    """Empty → ``None``; otherwise a finite number > 0."""
    raw = text.strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{field}: expected a number > 0 or nothing, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{field}: expected a number > 0 or nothing, got {text!r}")
    return value
