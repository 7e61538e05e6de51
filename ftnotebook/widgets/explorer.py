"""``CandleExplorer``: pair and timeframe pickers driving the candle chart.

::

    explorer = CandleExplorer(FtClient.from_env())
    explorer                          # pickers + chart of the first whitelisted pair
    explorer.pair.value = "SOL/USDT"  # redraws

Trade mode charts the bot's live analysed candles (``/pair_candles``, which serves the
strategy's timeframe) with the pair's trades (``/trades`` + ``/status``). Pass
``strategy=`` for a webserver-mode bot (``/pair_history`` over all its data; the
timeframe picker lists every timeframe ``/available_pairs`` has data for). The chart is
:func:`ftnotebook.plots.candle_widget` (plot_config, signals, trades of the pair, full
detail on zoom). The status line reads like "ETH/USDT 5m, 998 candles, 3 trades".

CSS classes: ``ftnb-explorer`` (root), ``ftnb-explorer-pair``, ``ftnb-explorer-timeframe``,
``ftnb-explorer-refresh``, ``ftnb-explorer-chart``, ``ftnb-message``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from ftnotebook.client import FtClient
from ftnotebook.widgets._base import Control, button

__all__ = ["CandleExplorer"]


class CandleExplorer(Control):
    """Pair + timeframe dropdowns and the candle chart they select.

    Args:
        client: the bot's client.
        pairs: pairs to offer (default: the bot's whitelist, or in webserver mode the
            pairs it has data for).
        timeframes: timeframes to offer (default: every timeframe the bot serves: the
            strategy's in trade mode, every one with data in webserver mode).
        limit: candles to fetch in trade mode.
        strategy: chart through ``/pair_history`` with this strategy (webserver mode).
        height: chart height in pixels.
    """

    css_class = "ftnb-explorer"

    def __init__(
        self,
        client: FtClient,
        *,
        pairs: Sequence[str] | None = None,
        timeframes: Sequence[str] | None = None,
        limit: int = 300,
        strategy: str | None = None,
        height: int = 650,
    ) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit: expected a number of candles >= 1, got {limit!r}")
        super().__init__(client)
        self.limit = limit
        self.strategy = strategy
        self.height = height
        self.figure: Any = None
        self.pair = widgets.Dropdown(options=tuple(pairs or ()), description="pair")
        self.pair.add_class("ftnb-explorer-pair")
        self.timeframe = widgets.Dropdown(options=tuple(timeframes or ()), description="timeframe")
        self.timeframe.add_class("ftnb-explorer-timeframe")
        self.refresh_button = button("Refresh", "ftnb-explorer-refresh", self.draw, icon="refresh")
        self.chart = widgets.VBox([])  # a column: the chart stretches to the full width
        self.chart.add_class("ftnb-explorer-chart")
        self.widget.children = [
            widgets.HBox([self.pair, self.timeframe, self.refresh_button]),
            self.message,
            self.chart,
        ]
        if self._act("loading", lambda: self._fill_pickers(pairs, timeframes)):
            self.draw()
        self.pair.observe(lambda _change: self.draw(), names="value")
        self.timeframe.observe(lambda _change: self.draw(), names="value")

    def draw(self) -> None:
        """Fetch the candles of the selected pair/timeframe and redraw the chart."""
        self._act("chart", self._draw)

    def _fill_pickers(
        self, pairs: Sequence[str] | None, timeframes: Sequence[str] | None
    ) -> str | None:
        if not timeframes:
            config = self.client.show_config()
            main = config.get("timeframe") or "5m"
            served = [main]
            if self.strategy is not None:
                listed = self.client.available_pairs().get("pair_interval") or []
                served += sorted(
                    {str(tf) for _pair, tf, *_ in listed} - {main}, key=_timeframe_minutes
                )
            self.timeframe.options = tuple(served)
        if not pairs:
            if self.strategy is None:
                self.pair.options = tuple(self.client.whitelist()["whitelist"])
            else:
                available = self.client.available_pairs(timeframe=self.timeframe.value)
                self.pair.options = tuple(available["pairs"])
        if not self.pair.options:
            raise ValueError("pair: the bot offers no pairs to chart")
        for picker in (self.pair, self.timeframe):
            if picker.value is None and picker.options:
                picker.value = picker.options[0]
        return None

    def _trades(self) -> Any:
        """The bot's trades (closed and open) in trade mode; None in webserver mode."""
        if self.strategy is not None:
            return None
        from ftnotebook.frames import trades_frame

        rows = [*self.client.trades(limit=500)["trades"], *self.client.status()]
        return trades_frame(rows, strict=False)

    def _draw(self) -> str:
        from ftnotebook import frames
        from ftnotebook.frames import NoCandlesWarning
        from ftnotebook.plots import candle_widget

        pair, timeframe = self.pair.value, self.timeframe.value
        if not pair or not timeframe:
            raise ValueError("pick a pair and a timeframe")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", NoCandlesWarning)
            if self.strategy is not None:
                df = frames.pair_history(
                    self.client, pair, timeframe, timerange="20000101-", strategy=self.strategy
                )
            else:
                df = frames.pair_candles(self.client, pair, timeframe, limit=self.limit)
        empty = [w for w in caught if issubclass(w.category, NoCandlesWarning)]
        if empty:  # the bot's answer was empty: say why in the widget, draw nothing
            raise ValueError(f"chart: {empty[0].message}")
        trades = self._trades()
        self.figure = candle_widget(df, trades=trades, client=self.client, height=self.height)
        old = self.chart.children
        self.chart.children = [self.figure]
        for child in old:
            child.close()
        n_trades = 0
        if trades is not None and len(df):
            mine = trades[trades["pair"].astype("string") == pair]
            n_trades = int((mine["open_date"] >= df.index[0]).sum())
        noun = "trade" if n_trades == 1 else "trades"
        return f"{pair} {timeframe}, {len(df):,} candles, {n_trades} {noun}"


def _timeframe_minutes(tf: str) -> float:
    units = {"s": 1 / 60, "m": 1, "h": 60, "d": 1440, "w": 10080, "M": 43200}
    try:
        return float(tf[:-1]) * units[tf[-1]]
    except (KeyError, ValueError):
        return float("inf")
