"""Metrics on the futures bot: /profit, the long/short split of /profit_all, and the
per-pair and per-tag tables (which freqtrade does not split by side; ours can)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from ftnotebook import FtClient, TradeHistory, metrics


def _final_balance(trades: pd.DataFrame, bal: dict[str, Any]) -> float:
    """wallets.get_total_stake_amount() from /balance (dry-run, no available_capital)."""
    free = next(c["free"] for c in bal["currencies"] if c["currency"] == bal["stake"])
    open_stakes = trades.loc[trades.is_open, "stake_amount"].sum()
    closed = trades.loc[~trades.is_open, "close_profit_abs"].sum()
    ratio = bal["starting_capital"] / (free - closed + open_stakes)
    return float((open_stakes + free) * ratio)


def _snapshot(client: FtClient, futures_api: Any, route: str) -> tuple[pd.DataFrame, Any, Any]:
    """Our frame and the bot's answer at one moment: open trades' live profit moves."""
    history = TradeHistory(client, progress=False)
    for _ in range(5):
        trades = history.frame(include_open=True)
        bot = futures_api.get(route)
        bal = futures_api.get("balance")
        if history.frame(include_open=True).profit_abs.equals(trades.profit_abs):
            break
    return trades, bot, bal


def _assert_same(ours: dict[str, Any], bot: dict[str, Any], *, minimum: int) -> None:
    compared = 0
    for key, value in ours.items():
        if key not in bot:
            continue
        if isinstance(value, str):
            assert value == bot[key], key
        else:
            assert value == pytest.approx(bot[key], rel=1e-9, abs=1e-12), key
        compared += 1
    assert compared >= minimum


def test_profit_summary_equals_the_futures_bots_profit(
    futures_client: FtClient, futures_api: Any
) -> None:
    trades, bot, bal = _snapshot(futures_client, futures_api, "profit")
    ours = metrics.profit_summary(
        trades, starting_balance=bal["starting_capital"], final_balance=_final_balance(trades, bal)
    )
    _assert_same(ours, bot, minimum=43)
    assert bot["closed_trade_count"] >= 40 and bot["trade_count"] == len(trades)


def test_long_short_split_equals_profit_all(futures_client: FtClient, futures_api: Any) -> None:
    trades, bot, bal = _snapshot(futures_client, futures_api, "profit_all")
    parts = metrics.profit_summary_by_side(
        trades, starting_balance=bal["starting_capital"], final_balance=_final_balance(trades, bal)
    )
    assert set(parts) == set(bot) == {"all", "long", "short"}
    for side in ("all", "long", "short"):
        _assert_same(parts[side], bot[side], minimum=43)
    assert parts["long"]["trade_count"] + parts["short"]["trade_count"] == len(trades)
    assert parts["short"]["trade_count"] == int(trades.is_short.sum()) > 0
    whole = parts["long"]["profit_all_coin"] + parts["short"]["profit_all_coin"]
    assert whole == pytest.approx(parts["all"]["profit_all_coin"], abs=1e-6)


def test_pair_and_tag_tables_match_the_bot_and_split_by_side(
    futures_client: FtClient, futures_api: Any
) -> None:
    closed = TradeHistory(futures_client, progress=False).frame()
    for route, column in (
        ("performance", "pair"),
        ("entries", "enter_tag"),
        ("exits", "exit_reason"),
    ):
        table = metrics.tag_summary(closed, tag_col=column)
        rows = futures_api.get(route)
        assert len(rows) == len(table), route
        for row in rows:  # freqtrade's tables: longs and shorts in one row
            assert table.loc[row[column], "count"] == row["count"], (route, row[column])
            assert table.loc[row[column], "profit_abs"] == pytest.approx(
                row["profit_abs"], rel=1e-9
            )
    split = metrics.pair_summary(closed, by_side=True)
    assert split.index.names == ["pair", "side"]
    assert set(split.index.get_level_values("side")) == {"long", "short"}
    shorts = closed[closed.is_short]
    assert split.xs("short", level="side")["count"].sum() == len(shorts)
    whole = metrics.pair_summary(closed)
    summed = split.groupby(level="pair", observed=True)[["count", "profit_abs"]].sum()
    pd.testing.assert_frame_equal(summed.loc[whole.index], whole[["count", "profit_abs"]])
    assert split.profit_abs.is_monotonic_decreasing
    tags = metrics.tag_summary(closed, by_side=True)
    # every short entry tag is only ever short
    short_tags = set(shorts.enter_tag.astype(str))
    assert {tag for tag, side in tags.index if side == "short"} == short_tags
    spot_like = closed.assign(is_short=False)
    assert set(metrics.pair_summary(spot_like, by_side=True).index.get_level_values(1)) == {"long"}
