"""The final-balance helper: freqtrade's wallet arithmetic from one cached ``/balance``.

Against the real trade bot: every ``/profit`` figure (``cagr`` included, which needs the
final balance) equals ``profit_summary(trades, **capital(client, trades).balances(trades))``,
and the second call for the same bot asks the bot nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from ftnotebook import TradeHistory, metrics
from ftnotebook.capital import Capital, capital, clear_capital_cache
from ftnotebook.client import FtClient


class CountingClient:
    """The real client, counting the calls the helper makes to it."""

    def __init__(self, client: FtClient) -> None:
        self.client = client
        self.calls: list[str] = []
        self.url = client.url
        self.settings = client.settings

    def balance(self) -> Any:
        self.calls.append("balance")
        return self.client.balance()

    def show_config(self) -> Any:
        self.calls.append("show_config")
        return self.client.show_config()


def test_profit_summary_with_the_cached_capital_equals_profit(trade_client: FtClient) -> None:
    clear_capital_cache()
    history = TradeHistory(trade_client, progress=False)
    for _ in range(3):  # open trades' live profit must not move between our call and /profit
        trades = history.frame(include_open=True)
        bot = dict(trade_client.profit())
        if history.frame(include_open=True).profit_abs.equals(trades.profit_abs):
            break
    counting = CountingClient(trade_client)
    cap = capital(counting, trades)  # type: ignore[arg-type]
    assert counting.calls == ["balance", "show_config"]
    ours = metrics.profit_summary(trades, **cap.balances(trades))
    compared = 0
    for key, value in ours.items():
        if key in bot and not isinstance(value, str):
            assert value == pytest.approx(bot[key], rel=1e-9, abs=1e-12), key
            compared += 1
    assert compared >= 30 and ours["cagr"] != 0
    assert cap.starting_balance(trades) == trade_client.balance()["starting_capital"]
    again = capital(counting, trades)  # type: ignore[arg-type]
    assert again is cap and counting.calls == ["balance", "show_config"], "cached per bot"
    capital(counting, trades, refresh=True)  # type: ignore[arg-type]
    assert counting.calls.count("balance") == 2
    clear_capital_cache()


def test_final_balance_follows_the_trades_frame(trade_client: FtClient) -> None:
    trades = TradeHistory(trade_client, progress=False).frame(include_open=True)
    cap = capital(trade_client, trades, refresh=True)
    done = trades.loc[~trades.is_open]
    assert cap.final_balance(trades) == pytest.approx(
        cap.starting_balance(trades) + cap.ratio * done["close_profit_abs"].sum(), rel=1e-12
    )
    last = done.sort_values("trade_id").iloc[-1]
    fewer = trades.loc[trades.trade_id != last.trade_id]
    assert cap.final_balance(fewer) == pytest.approx(
        cap.final_balance(trades) - cap.ratio * last.close_profit_abs, rel=1e-12
    )


def test_available_capital_and_bad_input(trade_client: FtClient) -> None:
    """A config with ``available_capital`` (the bot's own payloads, that key set)."""
    trades = TradeHistory(trade_client, progress=False).frame(include_open=True)
    config = {**trade_client.show_config(), "available_capital": 500.0}
    fixed = Capital.from_payloads(trade_client.balance(), config, trades)
    closed = trades.loc[~trades.is_open, "close_profit_abs"].sum()
    assert fixed.starting_balance(trades) == 500.0
    assert fixed.final_balance(trades) == pytest.approx(500.0 + closed)
    with pytest.raises(ValueError, match="is_open"):
        fixed.final_balance(trades.drop(columns=["is_open"]))
    with pytest.raises(ValueError, match="DataFrame"):
        fixed.final_balance([1, 2])  # type: ignore[arg-type]
