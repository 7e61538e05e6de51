"""CandleExplorer against the real bots: pickers drive the chart."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from ftnotebook.client import FtClient
from ftnotebook.demo.launcher import RunningBot
from ftnotebook.widgets import CandleExplorer


def _candles(explorer: CandleExplorer) -> Any:
    (trace,) = [t for t in explorer.figure.data if t.type == "candlestick"]
    return trace


def test_trade_bot_pair_switch_redraws(client: FtClient) -> None:
    explorer = CandleExplorer(client, limit=120)
    assert explorer.last_error is None, explorer.last_message
    assert explorer.timeframe.options == ("5m",)
    assert set(explorer.pair.options) >= {"BTC/USDT", "SOL/USDT"}
    first = explorer.figure
    assert len(_candles(explorer).x) == 120
    explorer.pair.value = "SOL/USDT"
    assert explorer.last_error is None, explorer.last_message
    assert explorer.figure is not first
    assert explorer.chart.children == (explorer.figure,)
    # a status line for a user: pair, timeframe, candles, trades
    trades = client.trades(limit=500)["trades"] + list(client.status())
    first = pd.Timestamp(_candles(explorer).x[0], unit="ms", tz="UTC")
    n = sum(
        1
        for t in trades
        if t["pair"] == "SOL/USDT"
        and pd.Timestamp(t["open_timestamp"], unit="ms", tz="UTC") >= first
    )
    assert explorer.last_message == f"SOL/USDT 5m, 120 candles, {n} trade{'' if n == 1 else 's'}"
    # the strategy's plot_config is drawn (FtnbDemo has an RSI subplot), and the trades
    names = {t.name for t in explorer.figure.data}
    assert "rsi" in names and "Trade entry" in names


def test_unavailable_timeframe_shows_bot_words(client: FtClient) -> None:
    explorer = CandleExplorer(client, timeframes=["5m", "1d"], limit=50)
    explorer.timeframe.value = "1d"
    assert explorer.last_error is not None
    assert explorer.last_error.startswith("chart: ")
    assert "Traceback" not in explorer.message.value


def test_webserver_mode_with_strategy(webserver_bot: RunningBot) -> None:
    with FtClient(webserver_bot.api_url, webserver_bot.username, webserver_bot.password) as c:
        explorer = CandleExplorer(c, strategy="FtnbDemo", timeframes=["1h", "5m"])
        assert explorer.last_error is None, explorer.last_message
        assert len(_candles(explorer).x) > 100
        explorer.timeframe.value = "5m"
        assert explorer.last_error is None, explorer.last_message
        assert (
            explorer.last_message.startswith("BTC/USDT 5m, ")
            and " candles, " in explorer.last_message
        )
        # without timeframes= it lists every timeframe the webserver bot has data for
        listed = {tf for _p, tf, *_ in c.available_pairs()["pair_interval"]}
        every = CandleExplorer(c, strategy="FtnbDemo")
        assert set(every.timeframe.options) == listed | {c.show_config()["timeframe"]}


@pytest.mark.parametrize("limit", [0, -5, 2.5, True])
def test_bad_limit(client: FtClient, limit: Any) -> None:
    with pytest.raises(ValueError, match="limit: expected a number of candles >= 1"):
        CandleExplorer(client, limit=limit)
