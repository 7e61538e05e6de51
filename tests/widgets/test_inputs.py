"""The input parsers on their own (pure functions, no bot)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ftnotebook.widgets._inputs import (
    parse_duration,
    parse_optional_positive,
    parse_pair,
    parse_pairs,
    parse_until,
)

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("45min", timedelta(minutes=45)),
        ("2h", timedelta(hours=2)),
        (" 3d ", timedelta(days=3)),
        ("1.5h", timedelta(minutes=90)),
        ("1w", timedelta(weeks=1)),
        ("2H", timedelta(hours=2)),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


def test_until_from_duration_and_time() -> None:
    assert parse_until("2h", now=NOW) == NOW + timedelta(hours=2)
    assert parse_until("2030-01-02T00:00:00Z", now=NOW) == datetime(2030, 1, 2, tzinfo=UTC)
    local = parse_until("2030-01-01T15:00:00+02:00", now=NOW)
    assert local == datetime(2030, 1, 1, 13, 0, tzinfo=UTC)
    assert parse_until("2030-01-05", now=NOW).tzinfo is not None


def test_until_past_names_field_and_now() -> None:
    with pytest.raises(ValueError, match=r"until: 2029-12-31 00:00 UTC is in the past"):
        parse_until("2029-12-31", now=NOW)


def test_pairs() -> None:
    assert parse_pair(" sol/usdt ") == "SOL/USDT"
    assert parse_pair("BTC/USDT:USDT") == "BTC/USDT:USDT"
    with pytest.raises(ValueError, match=r"unknown pair 'DOGE/USDT'; the bot knows BTC/USDT"):
        parse_pair("DOGE/USDT", known={"BTC/USDT"})
    assert parse_pairs("DOGE/.*  shib/usdt,XRP/USDT") == ["DOGE/.*", "SHIB/USDT", "XRP/USDT"]


def test_optional_positive() -> None:
    assert parse_optional_positive("", field="stake") is None
    assert parse_optional_positive(" 12.5 ", field="stake") == 12.5
    with pytest.raises(ValueError, match=r"stake: expected a number > 0 or nothing, got 'nan'"):
        parse_optional_positive("nan", field="stake")
