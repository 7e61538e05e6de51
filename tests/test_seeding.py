"""The seeding plan: deterministic, spread in time, winners and losers, on the walk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ftnotebook.demo.seeding import plan_trades, symbol_of
from ftnotebook.demo.simulator import PriceWalk

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_plan_is_deterministic() -> None:
    assert plan_trades(20, now=NOW) == plan_trades(20, now=NOW)
    assert plan_trades(20, now=NOW) != plan_trades(20, now=NOW, seed=8)


def test_plan_spreads_trades_over_days_months_pairs_and_outcomes() -> None:
    plan = plan_trades(80, now=NOW)
    assert len(plan) == 80
    closes = [datetime.fromisoformat(t["close_date"]) for t in plan]
    assert len({c.date() for c in closes}) >= 10
    assert len({(c.year, c.month) for c in closes}) >= 2
    assert all(NOW - timedelta(days=46) <= c < NOW for c in closes)
    assert len({t["pair"] for t in plan}) >= 3
    changes = [t["close_rate"] / t["open_rate"] - 1 for t in plan]
    assert any(c > 0.001 for c in changes) and any(c < -0.001 for c in changes)
    assert len({t["exit_reason"] for t in plan}) >= 3
    assert len({t["enter_tag"] for t in plan}) >= 3


def test_plan_prices_come_from_the_walk() -> None:
    walk = PriceWalk()
    plan = plan_trades(5, now=NOW, walk=walk)
    assert len(plan) == 5
    for trade in plan:
        opened = datetime.fromisoformat(trade["open_date"])
        assert trade["open_rate"] == walk.close_at(symbol_of(trade["pair"]), opened)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_closed": -1}, "n_closed must be >= 0"),
        ({"n_closed": 1, "days": 0}, "days must be >= 1"),
    ],
)
def test_plan_rejects_bad_arguments(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plan_trades(**kwargs)
