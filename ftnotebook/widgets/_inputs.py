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
from datetime import datetime

from ftnotebook._validate import (
    DURATION_HELP,
    MAX_LOCK,
    check_blacklist_entry,
    check_lock_until,
    check_pair,
    is_plain_pair,
    parse_duration,
)

__all__ = [
    "DURATION_HELP",
    "MAX_LOCK",
    "parse_duration",
    "parse_optional_positive",
    "parse_pair",
    "parse_pairs",
    "parse_until",
]


def parse_until(text: str, *, now: datetime | None = None, field: str = "until") -> datetime:
    """A duration from now (``'2h'``) or a time (ISO, naive means UTC) → an aware future datetime.

    The rules (and messages) are FtClient's: :func:`ftnotebook._validate.check_lock_until`.

    >>> from datetime import UTC
    >>> start = datetime(2030, 1, 1, tzinfo=UTC)
    >>> parse_until("3d", now=start)
    datetime.datetime(2030, 1, 4, 0, 0, tzinfo=datetime.timezone.utc)
    >>> parse_until("2030-01-02 06:00", now=start)
    datetime.datetime(2030, 1, 2, 6, 0, tzinfo=datetime.timezone.utc)
    """
    return check_lock_until(field, text, now=now, naive_is_utc=True)


def parse_pair(text: str, *, known: Collection[str] | None = None, field: str = "pair") -> str:
    """``'sol/usdt'`` → ``'SOL/USDT'``; checked against ``known`` pairs when given.

    Surrounding spaces are trimmed (a form field); the rest is FtClient's pair rule
    (:func:`ftnotebook._validate.check_pair`).
    """
    pair = check_pair(field, text.strip().upper())
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
        check_blacklist_entry(field, entry)
        cleaned = entry.upper() if is_plain_pair(entry.upper()) else entry
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
