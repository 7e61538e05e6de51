"""freqtrade's own metric functions, run in the bot's virtualenv on our frames.

ftnotebook never imports freqtrade: a test hands the trades (dates as epoch ms) to
``.venv-bot/bin/python`` on stdin, freqtrade's ``freqtrade.data.metrics`` and
``generate_pair_metrics`` compute on a DataFrame built from them *in the same row
order*, and the figures come back as JSON. The row order matters: freqtrade sorts by
date with an unstable sort, so ties on a date are summed in an order that depends on it.
"""

from __future__ import annotations

import json
import math
import subprocess
from typing import Any

import pandas as pd

from ftnotebook.demo.launcher import bot_python, find_freqtrade

SCRIPT = r"""
import json, math, sys
from datetime import timedelta
import pandas as pd
from freqtrade.data import metrics as m
from freqtrade.optimize.optimize_reports.optimize_reports import generate_pair_metrics

job = json.load(sys.stdin)
df = pd.DataFrame(job["trades"])
for col in ("open_date", "close_date"):
    if col in df:
        df[col] = pd.to_datetime(df[col], unit="ms", utc=True)
sb = job["starting_balance"]
lo = pd.Timestamp(job["min_date"], unit="ms", tz="UTC") if job.get("min_date") else None
hi = pd.Timestamp(job["max_date"], unit="ms", tz="UTC") if job.get("max_date") else None


def ms(ts):
    return None if ts is None or pd.isna(ts) else int(pd.Timestamp(ts).value // 10**6)


def num(x):
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


out = {}
for rel in (False, True):
    for bal in (sb, 0):
        dd = m.calculate_max_drawdown(df, starting_balance=bal, relative=rel)
        out[f"max_drawdown rel={rel} sb={bool(bal)}"] = {
            "abs": num(dd.drawdown_abs), "relative": num(dd.relative_account_drawdown),
            "high_value": num(dd.high_value), "low_value": num(dd.low_value),
            "high_date": ms(dd.high_date), "low_date": ms(dd.low_date),
            "current_high_date": ms(dd.current_high_date),
            "current_high_value": num(dd.current_high_value),
            "current_abs": num(dd.current_drawdown_abs),
            "current_relative": num(dd.current_relative_account_drawdown),
        }
for col in job["underwater_cols"]:
    uw = m.calculate_underwater(df, value_col=col, starting_balance=sb)
    out[f"underwater {col}"] = {
        c: [num(v) for v in uw[c]] for c in ("cumulative", "high_value", "drawdown",
                                             "drawdown_relative")
    }
out["sharpe"] = m.calculate_sharpe(df, lo, hi, sb)
out["sortino"] = m.calculate_sortino(df, lo, hi, sb)
out["calmar"] = m.calculate_calmar(df, lo, hi, sb)
out["sqn"] = m.calculate_sqn(df, sb)
out["expectancy"] = list(m.calculate_expectancy(df))
days = max(1, (hi - lo).days) if lo is not None and hi is not None else 1
out["cagr"] = m.calculate_cagr(days, sb, sb + df["profit_abs"].sum())
if "pair" in df and "trade_duration" in df and lo is not None and hi is not None:
    lines = generate_pair_metrics(sorted(set(df["pair"])), "USDT", sb, df, lo, hi)
    out["pairs"] = {
        r["key"]: {k: r[k] for k in ("trades", "profit_total_abs", "profit_mean", "wins",
                                     "draws", "losses", "winrate")}
        for r in lines if r["key"] != "TOTAL"
    }
print(json.dumps(out))
"""


def _ms(ts: Any) -> int | None:
    return None if ts is None or pd.isna(ts) else int(pd.Timestamp(ts).value // 10**6)


def freqtrade_metrics(
    trades: pd.DataFrame,
    *,
    starting_balance: float,
    min_date: Any = None,
    max_date: Any = None,
    underwater_cols: tuple[str, ...] = ("profit_abs", "profit_ratio"),
) -> dict[str, Any]:
    """freqtrade's figures over ``trades`` (closed trades, in this row order)."""
    cols = [
        c
        for c in ("open_date", "close_date", "profit_abs", "profit_ratio", "pair")
        if c in trades.columns
    ]
    frame = trades[cols].copy()
    for col in ("open_date", "close_date"):
        if col in frame:
            frame[col] = [_ms(v) for v in frame[col]]
    if "pair" in frame:
        frame["pair"] = frame["pair"].astype(str)
    if "open_date" in trades and "close_date" in trades:
        minutes = (trades["close_date"] - trades["open_date"]).dt.total_seconds() / 60
        frame["trade_duration"] = minutes.to_numpy()
    job = {
        "trades": frame.to_dict(orient="records"),
        "starting_balance": starting_balance,
        "min_date": _ms(min_date),
        "max_date": _ms(max_date),
        "underwater_cols": list(underwater_cols),
    }
    result = subprocess.run(
        [str(bot_python(find_freqtrade())), "-c", SCRIPT],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out: dict[str, Any] = json.loads(result.stdout)
    return out


def number(x: Any) -> float | None:
    """Our float as freqtrade's JSON carries it (NaN and inf as None)."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x
