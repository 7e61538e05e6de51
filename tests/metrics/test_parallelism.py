"""Trade parallelism equals freqtrade's own ``analyze_trade_parallelism``.

freqtrade's function runs for real in the bot's virtualenv, on the bot's own closed
trades; ours runs on the trades frame. ftnotebook itself never imports freqtrade.
"""

from __future__ import annotations

import json
import subprocess

import pandas as pd
import pytest

from ftnotebook import FtClient, TradeHistory, metrics
from ftnotebook.demo.launcher import RunningBot, bot_python, find_freqtrade

FREQTRADE_SIDE = """
import json, sys
import pandas as pd
from freqtrade.data.btanalysis.trade_parallelism import analyze_trade_parallelism
rows = json.load(sys.stdin)
trades = pd.DataFrame({
    "pair": [r[0] for r in rows],
    "open_date": pd.to_datetime([r[1] for r in rows], unit="ms", utc=True),
    "close_date": pd.to_datetime([r[2] for r in rows], unit="ms", utc=True),
})
out = analyze_trade_parallelism(trades, sys.argv[1])["open_trades"]
print(json.dumps({str(int(k.value // 10**6)): int(v) for k, v in out.items() if v}))
"""


@pytest.mark.parametrize(("timeframe", "freq"), [("5m", "5min"), ("1h", "1h")])
def test_parallelism_equals_freqtrades(trade_bot: RunningBot, timeframe: str, freq: str) -> None:
    with FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password) as client:
        closed = metrics.closed(TradeHistory(client, progress=False).frame())
    rows = [
        [pair, int(o.value // 10**6), int(c.value // 10**6)]
        for pair, o, c in zip(
            closed["pair"].astype(str), closed["open_date"], closed["close_date"], strict=True
        )
    ]
    result = subprocess.run(
        [str(bot_python(find_freqtrade())), "-c", FREQTRADE_SIDE, timeframe],
        input=json.dumps(rows),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    theirs = {
        pd.Timestamp(int(k), unit="ms", tz="UTC"): v for k, v in json.loads(result.stdout).items()
    }
    ours = metrics.trade_parallelism(closed, freq=freq)
    assert {k: int(v) for k, v in ours.items() if v} == theirs
    assert max(theirs.values()) >= 1
