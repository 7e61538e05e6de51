"""Fixtures for the chart tests: real frames from the session's demo bots.

Every frame comes from the real bots through ftnotebook's own client and converters:
the webserver bot's ``/pair_history`` (FtnbDemo over its local 5m data, with
annotations), the trade bot's ``/pair_candles``, its trades (``/trades`` + ``/status``),
``/daily`` and ``/historic_balance``. Fixtures are module-scoped reads: no test here
changes the bots.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from ftnotebook import frames
from ftnotebook.client import FtClient
from ftnotebook.demo.launcher import RunningBot
from ftnotebook.plots import defaults

PAIR = "BTC/USDT"
STRATEGY = "FtnbDemo"


@pytest.fixture(scope="session")
def trade_client(trade_bot: RunningBot) -> Iterator[FtClient]:
    with FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password) as client:
        yield client


@pytest.fixture(scope="session")
def ws_client(webserver_bot: RunningBot) -> Iterator[FtClient]:
    with FtClient(webserver_bot.api_url, webserver_bot.username, webserver_bot.password) as c:
        yield c


@pytest.fixture(scope="session")
def history(ws_client: FtClient) -> pd.DataFrame:
    """FtnbDemo's analysed BTC/USDT 5m history from the webserver bot (with annotations)."""
    return frames.pair_history(ws_client, PAIR, "5m", timerange="20000101-", strategy=STRATEGY)


@pytest.fixture(scope="session")
def plot_config(ws_client: FtClient) -> dict[str, Any]:
    return dict(ws_client.plot_config(strategy=STRATEGY))


@pytest.fixture(scope="session")
def live_candles(trade_client: FtClient) -> pd.DataFrame:
    """The trade bot's analysed BTC/USDT 5m candles."""
    return frames.pair_candles(trade_client, PAIR, "5m")


@pytest.fixture(scope="session")
def trades(trade_client: FtClient) -> pd.DataFrame:
    """Every trade of the trade bot, closed and open (open ones with live profit)."""
    page = trade_client.trades(limit=500)
    rows: list[Any] = [*page["trades"], *trade_client.status()]
    return frames.trades_frame(rows)


@pytest.fixture(autouse=True)
def _fresh_style() -> Iterator[None]:
    """Each test starts and ends with the shipped house style."""
    defaults.reset()
    yield
    defaults.reset()


# ----------------------------------------------------------------------------- oracles
# freqtrade's own functions, run in the bot's virtualenv on the same data (ftnotebook
# never imports freqtrade): the charts are checked against them, not against our metrics.

_FREQTRADE_DRAWDOWN = """
import json, sys
import pandas as pd
from freqtrade.data.metrics import calculate_max_drawdown, calculate_underwater
args = json.load(sys.stdin)
trades = pd.DataFrame({
    "close_date": pd.to_datetime(args["close_ms"], unit="ms", utc=True),
    "profit_abs": args["profit_abs"],
})
dd = calculate_max_drawdown(trades, value_col="profit_abs",
                            starting_balance=args["starting_balance"], relative=False)
under = calculate_underwater(trades, value_col="profit_abs",
                             starting_balance=args["starting_balance"])
print(json.dumps({
    "abs": dd.drawdown_abs, "relative": dd.relative_account_drawdown,
    "high_ms": int(dd.high_date.value // 10**6), "low_ms": int(dd.low_date.value // 10**6),
    "high_value": dd.high_value, "low_value": dd.low_value,
    "drawdown": under["drawdown"].tolist(),
    "drawdown_relative": under["drawdown_relative"].tolist(),
}))
"""

_FREQTRADE_PARALLELISM = """
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
print(json.dumps({str(int(k.value // 10**6)): int(v) for k, v in out.items()}))
"""

_TECHNICAL_HEIKINASHI = """
import json, sys
import pandas as pd
from technical.qtpylib import heikinashi
bars = pd.DataFrame(json.load(sys.stdin))
ha = heikinashi(bars)
print(json.dumps({k: ha[k].tolist() for k in ("open", "high", "low", "close")}))
"""


def _bot_run(script: str, payload: Any, *args: str) -> Any:
    import json
    import subprocess

    from ftnotebook.demo.launcher import bot_python, find_freqtrade

    result = subprocess.run(
        [str(bot_python(find_freqtrade())), "-c", script, *args],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def ms(values: Any) -> list[int]:
    return [int(v) for v in pd.DatetimeIndex(pd.to_datetime(values, utc=True)).as_unit("ms").asi8]


def freqtrade_drawdown(closed: pd.DataFrame, starting_balance: float) -> dict[str, Any]:
    """freqtrade's calculate_max_drawdown + calculate_underwater on ``closed``."""
    payload = {
        "close_ms": ms(closed["close_date"]),
        "profit_abs": closed["profit_abs"].astype(float).tolist(),
        "starting_balance": starting_balance,
    }
    out: dict[str, Any] = _bot_run(_FREQTRADE_DRAWDOWN, payload)
    return out


def freqtrade_parallelism(closed: pd.DataFrame, timeframe: str) -> dict[pd.Timestamp, int]:
    """freqtrade's analyze_trade_parallelism on ``closed``, by candle start."""
    rows = [
        [p, o, c]
        for p, o, c in zip(
            closed["pair"].astype(str), ms(closed["open_date"]), ms(closed["close_date"]),
            strict=True,
        )
    ]  # fmt: skip
    out = _bot_run(_FREQTRADE_PARALLELISM, rows, timeframe)
    return {pd.Timestamp(int(k), unit="ms", tz="UTC"): int(v) for k, v in out.items()}


def technical_heikinashi(df: pd.DataFrame) -> pd.DataFrame:
    """technical's (freqtrade's) qtpylib.heikinashi on ``df``'s OHLC."""
    bars = {k: df[k].astype(float).tolist() for k in ("open", "high", "low", "close")}
    out = _bot_run(_TECHNICAL_HEIKINASHI, bars)
    return pd.DataFrame(out, index=df.index)
