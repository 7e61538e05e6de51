"""FtnbDemo: the strategy the offline demo and test bots run.

It exists to exercise everything ftnotebook charts and reads, not to make money:

* ``plot_config`` uses every feature freqtrade's plotting knows: main-plot lines with
  colours, a ``fill_to`` band (Bollinger), three subplots, a ``bar`` indicator, a
  ``scatter`` indicator and a ``plotly`` kwargs dict passed straight to the trace.
* ``populate_entry_trend`` / ``populate_exit_trend`` raise signals on an EMA/SMA cross,
  with entry and exit tags, so the candle charts have markers to show.
* ``plot_annotations`` returns an area, a line and a point annotation.
* :class:`FtnbDemoFutures` (below) is the same strategy with ``can_short = True``, for the
  futures bots: it also raises ``enter_short`` on the downward cross (tags
  ``ema_cross_short`` / ``ema_cross_short_cold``) and ``exit_short`` on the upward one,
  and trades at 3x unless a forceenter names another leverage. FtnbDemo itself stays a
  long-only spot strategy (a spot bot refuses ``can_short``), its signals unchanged.
* :class:`FtnbDemoTight` (below) is FtnbDemo with a 1 % ROI and a 2 % stoploss: a second
  spot strategy for backtest comparisons (more exits by ``roi`` and ``stop_loss``).

Determinism: the signals are shown on the chart history, but the newest two candles
never carry a signal unless the config says ``"ftnb_auto_entries": true``. So by default
the bot never opens or closes a trade by itself; every trade comes from the test (or
the user) via forceenter/forceexit, and the seeded open trades stay open.

This file is loaded by freqtrade from the bot's user_data/strategies directory; it is
never imported by ftnotebook itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
from freqtrade.strategy import IStrategy
from pandas import DataFrame


def _rsi(close: Any, period: int = 14) -> Any:
    """Wilder's RSI with pandas only (no TA-Lib needed)."""
    delta = close.diff()
    gain = delta.clip(lower=0).ewm(alpha=1 / period, adjust=False).mean()
    loss = (-delta.clip(upper=0)).ewm(alpha=1 / period, adjust=False).mean()
    rs = gain / loss.replace(0, np.nan)
    return (100 - 100 / (1 + rs)).fillna(50)


class FtnbDemo(IStrategy):
    INTERFACE_VERSION = 3

    timeframe = "5m"
    can_short = False
    # Wide ROI and stoploss: the demo bot should not close force-entered trades by itself.
    minimal_roi = {"0": 0.5}
    stoploss = -0.5
    trailing_stop = False
    process_only_new_candles = True
    startup_candle_count = 30

    plot_config = {
        "main_plot": {
            "ema_fast": {"color": "#1f77b4"},
            "sma_slow": {"color": "#ff7f0e", "plotly": {"line": {"dash": "dot"}}},
            "bb_upper": {
                "color": "rgba(120,120,200,0.6)",
                "fill_to": "bb_lower",
                "fill_label": "Bollinger band",
                "fill_color": "rgba(120,120,200,0.15)",
            },
            "bb_lower": {"color": "rgba(120,120,200,0.6)"},
        },
        "subplots": {
            "RSI": {
                "rsi": {"color": "#9467bd", "plotly": {"line": {"width": 1.5}}},
            },
            "MACD": {
                "macd": {"color": "#2ca02c"},
                "macdsignal": {"color": "#d62728", "type": "line"},
                "macdhist": {"color": "#7f7f7f", "type": "bar", "plotly": {"opacity": 0.6}},
            },
            "Volume": {
                "volume_sma": {
                    "color": "#17becf",
                    "type": "scatter",
                    "plotly": {"mode": "markers"},
                },
            },
        },
    }

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        close = dataframe["close"]
        dataframe["ema_fast"] = close.ewm(span=9, adjust=False).mean()
        dataframe["sma_slow"] = close.rolling(21).mean()
        mid = close.rolling(20).mean()
        std = close.rolling(20).std()
        dataframe["bb_upper"] = mid + 2 * std
        dataframe["bb_lower"] = mid - 2 * std
        dataframe["rsi"] = _rsi(close)
        ema12 = close.ewm(span=12, adjust=False).mean()
        ema26 = close.ewm(span=26, adjust=False).mean()
        dataframe["macd"] = ema12 - ema26
        dataframe["macdsignal"] = dataframe["macd"].ewm(span=9, adjust=False).mean()
        dataframe["macdhist"] = dataframe["macd"] - dataframe["macdsignal"]
        dataframe["volume_sma"] = dataframe["volume"].rolling(20).mean()
        return dataframe

    def _cross(self, dataframe: DataFrame, up: bool) -> Any:
        fast, slow = dataframe["ema_fast"], dataframe["sma_slow"]
        if up:
            return (fast > slow) & (fast.shift(1) <= slow.shift(1))
        return (fast < slow) & (fast.shift(1) >= slow.shift(1))

    def _mask_newest(self, dataframe: DataFrame, column: str) -> None:
        """Keep the newest candles signal-free unless automatic trading is enabled."""
        if not self.config.get("ftnb_auto_entries", False) and len(dataframe) >= 2:
            dataframe.loc[dataframe.index[-2:], column] = 0

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        cross_up = self._cross(dataframe, up=True)
        dataframe.loc[cross_up & (dataframe["rsi"] < 60), ["enter_long", "enter_tag"]] = (
            1,
            "ema_cross",
        )
        dataframe.loc[cross_up & (dataframe["rsi"] >= 60), ["enter_long", "enter_tag"]] = (
            1,
            "ema_cross_hot",
        )
        if "enter_long" not in dataframe.columns:
            dataframe["enter_long"] = 0
        dataframe["enter_long"] = dataframe["enter_long"].fillna(0).astype("int64")
        self._mask_newest(dataframe, "enter_long")
        if self.can_short:
            cross_down = self._cross(dataframe, up=False)
            rsi = dataframe["rsi"]
            dataframe.loc[cross_down & (rsi > 40), ["enter_short", "enter_tag"]] = (
                1,
                "ema_cross_short",
            )
            dataframe.loc[cross_down & (rsi <= 40), ["enter_short", "enter_tag"]] = (
                1,
                "ema_cross_short_cold",
            )
            self._as_signal(dataframe, "enter_short")
        return dataframe

    def _as_signal(self, dataframe: DataFrame, column: str) -> None:
        """0/1 int64, newest candles masked (see ``_mask_newest``)."""
        if column not in dataframe.columns:
            dataframe[column] = 0
        dataframe[column] = dataframe[column].fillna(0).astype("int64")
        self._mask_newest(dataframe, column)

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        cross_down = self._cross(dataframe, up=False)
        dataframe.loc[cross_down, ["exit_long", "exit_tag"]] = (1, "ema_cross_down")
        if "exit_long" not in dataframe.columns:
            dataframe["exit_long"] = 0
        dataframe["exit_long"] = dataframe["exit_long"].fillna(0).astype("int64")
        self._mask_newest(dataframe, "exit_long")
        if self.can_short:
            cross_up = self._cross(dataframe, up=True)
            dataframe.loc[cross_up, ["exit_short", "exit_tag"]] = (1, "ema_cross_up")
            self._as_signal(dataframe, "exit_short")
        return dataframe

    def plot_annotations(
        self, pair: str, start_date: datetime, end_date: datetime, dataframe: DataFrame, **kwargs
    ) -> list[dict]:
        """An area over the last tenth of the chart, the high as a line, the low as a point."""
        if dataframe.empty:
            return []
        span = end_date - start_date
        high = float(dataframe["high"].max())
        low = float(dataframe["low"].min())
        low_at = dataframe.loc[dataframe["low"].idxmin(), "date"].to_pydatetime()
        return [
            {
                "type": "area",
                "label": "Latest stretch",
                "start": end_date - span / 10,
                "end": end_date,
                "color": "rgba(255, 200, 0, 0.15)",
            },
            {
                "type": "line",
                "label": "Range high",
                "start": start_date,
                "end": end_date,
                "y_start": high,
                "y_end": high,
                "color": "#d62728",
                "line_style": "dashed",
                "width": 1,
            },
            {"type": "point", "label": "Range low", "x": low_at, "y": low, "color": "#2ca02c"},
        ]


class FtnbDemoFutures(FtnbDemo):
    """FtnbDemo for futures bots: goes short too, at 3x leverage by default.

    A forceenter's ``leverage`` overrides :meth:`leverage` (freqtrade caps it at the
    pair's tier maximum).
    """

    can_short = True

    def leverage(
        self,
        pair: str,
        current_time: datetime,
        current_rate: float,
        proposed_leverage: float,
        max_leverage: float,
        entry_tag: str | None,
        side: str,
        **kwargs: Any,
    ) -> float:
        return min(3.0, max_leverage)


class FtnbDemoTight(FtnbDemo):
    """FtnbDemo with a tight exit: 1 % ROI, 2 % stoploss (a second strategy to compare)."""

    minimal_roi = {"0": 0.01}
    stoploss = -0.02
