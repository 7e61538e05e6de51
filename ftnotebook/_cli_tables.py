"""``ftnotebook --format table|csv``: a command's JSON as the frame the library builds.

:func:`to_frame` turns a command's result into the same typed DataFrame
:mod:`ftnotebook.frames` builds for it (``trades`` -> ``trades_frame``, ``daily`` ->
``periodic_frame``, ``locks`` -> ``locks_frame``...); results without a frame of
their own become a key/value table (a dict) or a record table (a list of dicts).

* :func:`render_csv` writes that typed frame as it is: every column, ISO 8601 times.
* :func:`render_table` shows it to a person: a readable choice of columns per command
  (``--columns`` picks others), times in UTC without the offset noise, money with
  the stake currency's decimals, ratios as percentages, prices with the digits they
  need, numbers right-aligned and text left-aligned.

This module imports pandas; the CLI imports it only for ``--format table|csv``, so
the default JSON output starts without pandas.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from ftnotebook.frames import _convert as cv
from ftnotebook.frames._candles import candles_frame
from ftnotebook.frames._fetch import profit_series

__all__ = ["TABLE_COLUMNS", "render_csv", "render_table", "to_frame"]

Framer = Callable[[Any], "pd.DataFrame | pd.Series"]


def _trades(result: Any) -> pd.DataFrame:
    return cv.trades_frame(list(result["trades"]))


def _open_trades(result: Any) -> pd.DataFrame:
    rows = result if isinstance(result, list) else [result]
    return cv.trades_frame(rows, strict=False)


def _perf(name: str) -> Framer:
    return lambda result: cv.performance_frame([dict(r) for r in result], name)


def _periodic(name: str) -> Framer:
    return lambda result: cv.periodic_frame(result, name)


def _profit_all(result: Any) -> pd.DataFrame:
    return pd.DataFrame({k: profit_series(v) for k, v in result.items() if isinstance(v, Mapping)})


#: Command -> the frames converter for its result.
FRAMERS: dict[str, Framer] = {
    "trades": _trades,
    "iter_trades": lambda result: cv.trades_frame(list(result)),
    "status": _open_trades,
    "trade": _open_trades,
    "cancel_open_order": _open_trades,
    "reload_trade": _open_trades,
    "force_enter": _open_trades,
    "forceenter": _open_trades,
    "forcebuy": _open_trades,
    "performance": _perf("performance"),
    "entries": _perf("entries"),
    "exits": _perf("exits"),
    "mix_tags": _perf("mix_tags"),
    "daily": _periodic("daily"),
    "weekly": _periodic("weekly"),
    "monthly": _periodic("monthly"),
    "locks": cv.locks_frame,
    "lock_add": cv.locks_frame,
    "add_lock": cv.locks_frame,
    "delete_lock": cv.locks_frame,
    "delete_locks": cv.locks_frame,
    "whitelist": cv.whitelist_frame,
    "blacklist": cv.blacklist_frame,
    "add_to_blacklist": cv.blacklist_frame,
    "remove_from_blacklist": cv.blacklist_frame,
    "balance": cv.balance_frame,
    "historic_balance": cv.historic_balance_frame,
    "logs": cv.logs_frame,
    "stats": cv.stats_frame,
    "profit": profit_series,
    "profit_all": _profit_all,
    "pair_candles": candles_frame,
    "pair_candles_filtered": candles_frame,
    "pair_history": candles_frame,
    "pair_history_filtered": candles_frame,
}

# Most telling first: a narrow terminal drops columns from the right.
_TRADE_TABLE = (
    "trade_id",
    "pair",
    "open_date",
    "close_date",
    "profit_abs",
    "profit_ratio",
    "open_rate",
    "close_rate",
    "stake_amount",
    "trade_duration",
    "enter_tag",
    "exit_reason",
)
_OPEN_TRADE_TABLE = (
    "trade_id",
    "pair",
    "open_date",
    "profit_abs",
    "profit_ratio",
    "open_rate",
    "current_rate",
    "stake_amount",
    "stop_loss_abs",
    "enter_tag",
)
_CANDLE_TABLE = (
    "open",
    "high",
    "low",
    "close",
    "volume",
    "enter_long",
    "exit_long",
    "enter_short",
    "exit_short",
    "enter_tag",
)
_LOCK_TABLE = ("id", "pair", "side", "reason", "active", "lock_time", "lock_end_time")
_PERF_TABLE = ("count", "profit_abs", "profit_ratio")

#: Command -> the columns a table shows by default (the frame has more; CSV has all).
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "trades": _TRADE_TABLE,
    "iter_trades": _TRADE_TABLE,
    "trade": _TRADE_TABLE,
    "status": _OPEN_TRADE_TABLE,
    "cancel_open_order": _OPEN_TRADE_TABLE,
    "reload_trade": _OPEN_TRADE_TABLE,
    "force_enter": _OPEN_TRADE_TABLE,
    "forceenter": _OPEN_TRADE_TABLE,
    "forcebuy": _OPEN_TRADE_TABLE,
    "performance": ("pair", *_PERF_TABLE),
    "entries": ("enter_tag", *_PERF_TABLE),
    "exits": ("exit_reason", *_PERF_TABLE),
    "mix_tags": ("mix_tag", *_PERF_TABLE),
    "daily": ("abs_profit", "rel_profit", "trade_count", "starting_balance"),
    "weekly": ("abs_profit", "rel_profit", "trade_count", "starting_balance"),
    "monthly": ("abs_profit", "rel_profit", "trade_count", "starting_balance"),
    "locks": _LOCK_TABLE,
    "lock_add": _LOCK_TABLE,
    "add_lock": _LOCK_TABLE,
    "delete_lock": _LOCK_TABLE,
    "delete_locks": _LOCK_TABLE,
    "balance": ("currency", "free", "used", "balance", "est_stake"),
    "logs": ("date", "level", "logger", "message"),
    "pair_candles": _CANDLE_TABLE,
    "pair_candles_filtered": _CANDLE_TABLE,
    "pair_history": _CANDLE_TABLE,
    "pair_history_filtered": _CANDLE_TABLE,
}


def to_frame(command: str, result: Any) -> pd.DataFrame | pd.Series:
    """The typed frame for ``command``'s result (a Series for key/value results)."""
    framer = FRAMERS.get(command)
    if framer is not None:
        return framer(result)
    if isinstance(result, Mapping):
        lists = [k for k, v in result.items() if isinstance(v, list)]
        if len(result) == 1 and lists and all(not isinstance(x, dict) for x in result[lists[0]]):
            return pd.DataFrame({lists[0]: result[lists[0]]})  # {"strategies": [...]}
        return pd.Series({k: _cell_json(v) for k, v in result.items()}, dtype=object, name="value")
    if isinstance(result, list):
        if all(isinstance(r, Mapping) for r in result):
            rows = [{k: _cell_json(v) for k, v in r.items()} for r in result]
            return pd.DataFrame.from_records(rows)
        return pd.DataFrame({"value": result})
    return pd.Series({"value": result}, dtype=object, name="value")


def _cell_json(value: Any) -> Any:
    """Nested lists/dicts as compact JSON text, so each cell is one value."""
    if isinstance(value, list | dict):
        return json.dumps(value, separators=(",", ":"), default=str)
    return value


def _select(frame: pd.DataFrame, columns: Sequence[str] | None) -> pd.DataFrame:
    if columns is None:
        return frame
    available = [str(c) for c in frame.columns]
    unknown = [c for c in columns if c not in available and c != frame.index.name]
    if unknown:
        raise ValueError(
            f"--columns: no column {', '.join(repr(c) for c in unknown)}; "
            f"this result has {', '.join(available)}"
        )
    return frame[[c for c in columns if c in available]]


# ------------------------------------------------------------------------ CSV


def render_csv(command: str, result: Any, columns: Sequence[str] | None = None) -> str:
    """The typed frame as CSV: every column (or ``columns``), the named index first."""
    data = to_frame(command, result)
    buffer = io.StringIO()
    if isinstance(data, pd.Series):
        data.rename_axis("key").to_csv(buffer, header=True)
    else:
        data = _select(data, columns)
        data.to_csv(buffer, index=data.index.name is not None)
    return buffer.getvalue()


# ---------------------------------------------------------------------- table

#: freqtrade's decimals for amounts of a coin (``freqtrade.constants.DECIMALS_PER_COIN``,
#: fallback 3): what its Telegram bot and UI show, so the table reads the same.
DECIMALS_PER_COIN = {"BTC": 8, "ETH": 5}
DECIMAL_PER_COIN_FALLBACK = 3
_MONEY = frozenset(
    {
        "stake_amount",
        "max_stake_amount",
        "open_trade_value",
        "fee_open_cost",
        "fee_close_cost",
        "starting_balance",
        "est_stake",
        "est_stake_bot",
        "total_quote",
        "funding_fees",
        "cost",
        "total_stake",
    }
)
_PRICE = frozenset(
    {
        "open",
        "high",
        "low",
        "close",
        "price",
        "average",
        "safe_price",
        "liquidation_price",
        "stop_loss_abs",
        "initial_stop_loss_abs",
    }
)
_AMOUNT = frozenset(
    {
        "amount",
        "amount_requested",
        "filled",
        "remaining",
        "volume",
        "free",
        "balance",
        "used",
        "bot_owned",
        "position",
    }
)
_TEXT_WIDTH = 60


def render_table(
    command: str,
    result: Any,
    columns: Sequence[str] | None = None,
    *,
    currency: str | None = None,
    decimals: int | None = None,
    width: int | None = None,
) -> str:
    """The frame as an aligned text table for a terminal, with a one-line caption.

    Args:
        command, result: the command and its decoded JSON result.
        columns: the frame's columns to show (default: the command's choice).
        currency: the stake currency (``show_config()["stake_currency"]``); guessed
            from the frame when not given. Money is shown with its decimals.
        decimals: money decimals (``show_config()["stake_currency_decimals"]``);
            default: freqtrade's rule for ``currency`` (BTC 8, ETH 5, else 3).
        width: the terminal's width: columns that do not fit are left out (and
            counted in the caption) instead of wrapping every line.
    """
    data = to_frame(command, result)
    currency = currency or _currency(data)
    if decimals is None:
        decimals = DECIMALS_PER_COIN.get(currency or "", DECIMAL_PER_COIN_FALLBACK)
    style = _Style(decimals)
    caption: list[str] = []
    if isinstance(data, pd.Series):
        series = _without_timestamp_twins(data)
        keys = [str(k) for k in series.index]
        values = [style.cell(k, v) for k, v in zip(keys, series, strict=True)]
        body = _grid(["key", "value"], [keys, values], right=[False, False])
        caption.append(_plural(len(keys), "value"))
    else:
        frame = _select(data, columns or _default_columns(command, data))
        names: list[str] = []
        cells: list[list[str]] = []
        right: list[bool] = []
        if frame.index.name is not None:
            names.append(str(frame.index.name))
            cells.append(style.column(str(frame.index.name), pd.Series(frame.index)))
            right.append(False)
        for name in frame.columns:
            names.append(str(name))
            cells.append(style.column(str(name), frame[name]))
            right.append(_is_numeric(frame[name]))
        shown = _fit(names, cells, width) if width else len(names)
        body = _grid(names[:shown], cells[:shown], right=right[:shown])
        hidden = len(data.columns) - (shown - (frame.index.name is not None))
        caption.append(_plural(len(frame), "row"))
        if hidden > 0:
            cut = f" ({len(names) - shown} did not fit)" if shown < len(names) else ""
            caption.append(f"{_plural(hidden, 'more column')} with --columns or --format csv{cut}")
    if _has_times(data):
        caption.append("times in UTC")
    if currency and _has_money(data):
        caption.append(f"money in {currency}")
    return body + "\n" + " · ".join(caption)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _default_columns(command: str, frame: pd.DataFrame) -> list[str] | None:
    preset = TABLE_COLUMNS.get(command)
    if preset is None:
        return None
    extra: list[str] = []
    if command in ("pair_candles_filtered", "pair_history_filtered"):
        extra = [c for c in frame.columns if c not in _CANDLE_TABLE and not str(c).startswith("_")]
    return [c for c in (*preset, *extra) if c in frame.columns]


def _without_timestamp_twins(series: pd.Series) -> pd.Series:
    """Drop ``x_timestamp`` keys whose ``x_date`` twin is shown already (``/profit``)."""
    keys = {str(k) for k in series.index}
    drop = [
        k
        for k in keys
        if k.endswith("_timestamp") and (k.removesuffix("_timestamp") + "_date") in keys
    ]
    return series.drop(index=drop)


def _currency(data: pd.DataFrame | pd.Series) -> str | None:
    attrs = data.attrs
    for key in ("stake_currency", "stake"):
        if isinstance(attrs.get(key), str) and attrs[key]:
            return str(attrs[key])
    if isinstance(data, pd.DataFrame):
        for key in ("quote_currency", "stake"):
            if key in data.columns:
                values = data[key].dropna().unique()
                if len(values) == 1:
                    return str(values[0])
    return None


def _has_times(data: pd.DataFrame | pd.Series) -> bool:
    if isinstance(data, pd.Series):
        return any(str(k).endswith("_date") for k in data.index)
    kinds = [data.index.dtype, *data.dtypes]
    return any(isinstance(d, pd.DatetimeTZDtype) for d in kinds)


def _has_money(data: pd.DataFrame | pd.Series) -> bool:
    names = data.index if isinstance(data, pd.Series) else data.columns
    return any(_is_money(str(n)) for n in names)


def _is_numeric(series: pd.Series) -> bool:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return False
    return bool(pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype))


def _is_money(name: str) -> bool:
    return (
        name in _MONEY
        or name.endswith(("_coin", "_fiat", "profit_abs", "_cost"))
        or name in ("abs_profit", "realized_profit", "fiat_value", "expectancy")
        or name.startswith(("max_drawdown_abs", "current_drawdown_abs", "current_drawdown_high"))
        or name == "trading_volume"
    )


def _is_ratio(name: str) -> bool:
    return "_ratio" in name or name in (
        "rel_profit",
        "close_profit",
        "winrate",
        "max_drawdown",
        "current_drawdown",
        "cagr",
    )


def _is_percent(name: str) -> bool:
    return "_percent" in name or name.endswith("_pct") or name == "best_rate"


class _Style:
    """How each kind of value is written: the column's name decides its role."""

    def __init__(self, money_decimals: int) -> None:
        self.money_decimals = money_decimals

    def column(self, name: str, series: pd.Series) -> list[str]:
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            stamps = series.dropna()
            # Only a period's date (/daily, /weekly, /monthly) is a whole day: a trade or
            # lock time that happens to fall on midnight UTC keeps its time of day.
            day_only = (
                name == "date"
                and bool(len(stamps))
                and bool((stamps == stamps.dt.normalize()).all())
            )
            pattern = "%Y-%m-%d" if day_only else "%Y-%m-%d %H:%M:%S"
            return ["" if pd.isna(v) else v.strftime(pattern) for v in series]
        return [self.cell(name, v) for v in series]

    def cell(self, name: str, value: Any) -> str:
        if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
            return ""
        if hasattr(value, "item") and not isinstance(value, pd.Timestamp | pd.Timedelta):
            value = value.item()  # numpy scalar -> Python
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, pd.Timestamp):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, pd.Timedelta):
            return _duration(value)
        if isinstance(value, int):
            return f"{value:,}" if _is_money(name) else str(value)
        if isinstance(value, float) and math.isfinite(value):
            return self.number(name, value)
        text = str(value)
        return text if len(text) <= _TEXT_WIDTH else text[: _TEXT_WIDTH - 1] + "…"

    def number(self, name: str, value: float) -> str:
        signed = "profit" in name
        sign = "+" if signed else ""
        if _is_ratio(name):
            return f"{value * 100:{sign},.2f}%"
        if _is_percent(name):
            return f"{value:{sign},.2f}%"
        if _is_money(name):
            return f"{value:{sign},.{self.money_decimals}f}"
        if name in _PRICE or name.endswith("_rate") or name in _AMOUNT:
            return _significant(value)
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:,.0f}"


def _significant(value: float, digits: int = 6) -> str:
    """Prices and amounts: ``digits`` significant digits, at least 2 decimals, at most 10,
    trailing zeros dropped (``79,381.77``, ``0.5724``, ``0.00125``)."""
    if value == 0:
        return "0.00"
    decimals = min(10, max(2, digits - 1 - math.floor(math.log10(abs(value)))))
    text = f"{value:,.{decimals}f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    return f"{whole}.{frac.ljust(2, '0')}"


def _duration(value: pd.Timedelta) -> str:
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    days, rest = divmod(abs(seconds), 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{sign}{days}d {clock}" if days else f"{sign}{clock}"


def _fit(names: list[str], cells: list[list[str]], width: int) -> int:
    """How many leading columns fit in ``width`` characters (at least one)."""
    used = 0
    for count, (name, col) in enumerate(zip(names, cells, strict=True), start=1):
        used += max([len(name), *(len(c) for c in col)]) + (2 if count > 1 else 0)
        if used > width:
            return max(1, count - 1)
    return len(names)


def _grid(names: list[str], cells: list[list[str]], *, right: list[bool]) -> str:
    widths = [
        max([len(name), *(len(c) for c in col)]) for name, col in zip(names, cells, strict=True)
    ]

    def line(values: Sequence[str]) -> str:
        parts = [
            value.rjust(width) if align else value.ljust(width)
            for value, width, align in zip(values, widths, right, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rows = [line(names), line(["─" * w for w in widths])]
    rows.extend(line(row) for row in zip(*cells, strict=True))
    return "\n".join(rows)
