"""Notebook widgets fed by a :class:`~ftnotebook.live.LiveFeed`.

* :class:`LiveCandleChart`: a plotly ``FigureWidget`` of one pair's candles (plus chosen
  indicator lines and entry/exit signal markers) that redraws itself whenever the bot
  pushes an ``analyzed_df`` or announces a ``new_candle`` for that pair;
* :class:`FillFeed`: a running table of entries and exits as they fill.

Both are ipywidgets ``VBox`` subclasses: display them as the last expression of a cell.
Closing the widget (``.close()``, or ``Widget.close_all()``) unsubscribes it from the
feed, so nothing keeps updating a widget nobody sees. The feed itself stays yours to
stop.

The chart is a deliberately small candlestick builder of its own, so it can redraw a
few hundred candles in place without rebuilding the figure; for the full plot_config
chart use :mod:`ftnotebook.plots`.

Example::

    feed = LiveFeed.from_client(client).start()
    LiveCandleChart(feed, "BTC/USDT", indicators=["ema_fast", "sma_slow"])
    FillFeed(feed)
"""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Iterable, Sequence

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from ftnotebook.exceptions import LiveFeedError
from ftnotebook.live.feed import LiveFeed
from ftnotebook.live.messages import (
    AnalyzedDfMessage,
    EntryMessage,
    ExitMessage,
    LiveMessage,
    NewCandleMessage,
)
from ftnotebook.plots._style import defaults
from ftnotebook.plots.candles import SIGNAL_STYLES

__all__ = ["FillFeed", "LiveCandleChart"]

logger = logging.getLogger(__name__)


def _check_feed(feed: object) -> LiveFeed:
    if not isinstance(feed, LiveFeed):
        raise ValueError(f"feed must be a LiveFeed, got {type(feed).__name__}")
    return feed


class LiveCandleChart(widgets.VBox):  # type: ignore[misc]
    """Candles of ``pair`` that follow the bot: redrawn on every ``analyzed_df``.

    Args:
        feed: a started :class:`LiveFeed` (subscribed to ``analyzed_df`` and/or
            ``new_candle`` for pushes; the initial candles are requested directly).
        pair: e.g. ``"BTC/USDT"``.
        candles: how many of the newest candles to show (1..1500).
        indicators: indicator columns to draw as lines on the price axis.
        height: figure height in pixels.

    Attributes:
        figure: the ``plotly.graph_objects.FigureWidget``.
        frame: the candles shown, in the ``pair_candles`` schema.
        redraws: how many times the figure was redrawn (for tests and curiosity).
    """

    def __init__(
        self,
        feed: LiveFeed,
        pair: str,
        *,
        candles: int = 200,
        indicators: Sequence[str] = (),
        height: int = 450,
        timeout: float = 30.0,
    ) -> None:
        self.feed = _check_feed(feed)
        if not isinstance(pair, str) or "/" not in pair:
            raise ValueError(f"pair must look like 'BTC/USDT', got {pair!r}")
        if isinstance(candles, bool) or not isinstance(candles, int) or not 1 <= candles <= 1500:
            raise ValueError(f"candles must be an int between 1 and 1500, got {candles!r}")
        if isinstance(indicators, str):
            indicators = [indicators]
        self.pair = pair
        self.candles = candles
        self.indicators = tuple(indicators)
        self.redraws = 0
        self._lock = threading.Lock()
        self._closed = False
        self.frame = pd.DataFrame()

        quote = pair.split("/", 1)[1].split(":", 1)[0]
        self.figure = go.FigureWidget(
            layout={
                "height": height,
                "autosize": True,
                # the title sits in the top margin, the legend between it and the plot
                "margin": {"l": 70, "r": 20, "t": 78, "b": 30},
                "title": {
                    "text": f"{pair} (live)",
                    "x": 0.01,
                    "xanchor": "left",
                    "yref": "container",
                    "y": 0.99,
                    "yanchor": "top",
                },
                "xaxis": {"rangeslider": {"visible": False}, "type": "date"},
                "yaxis": {"title": {"text": f"Price ({quote})"}, "tickformat": ",~f"},
                "legend": {
                    "orientation": "h",
                    "y": 1.0,
                    "yref": "paper",
                    "yanchor": "bottom",
                    "x": 0,
                    "xanchor": "left",
                },
            }
        )
        self.figure.add_trace(
            go.Candlestick(
                name=pair,
                increasing={"line": {"color": defaults.color("increasing")}},
                decreasing={"line": {"color": defaults.color("decreasing")}},
            )
        )
        for name in self.indicators:
            self.figure.add_trace(go.Scatter(name=name, mode="lines", line={"width": 1}))
        for signal in ("enter_long", "exit_long"):  # same markers as plots.candle_chart
            marker = {
                "symbol": SIGNAL_STYLES[signal][0],
                "size": 9,
                "color": defaults.color(signal),
            }
            self.figure.add_trace(go.Scatter(name=signal, mode="markers", marker=marker))
        self.status = widgets.HTML(value="loading…")
        super().__init__(children=[self.status, self.figure])

        self._remove = feed.on(self._on_message, types=["analyzed_df", "new_candle"])
        try:
            first = feed.request_analyzed_df(pair, limit=candles, timeout=timeout)
        except (LiveFeedError, TimeoutError) as exc:
            self.status.value = f"<span style='color:#c0392b'>{html.escape(str(exc))}</span>"
        else:
            self._merge(first.frame)

    # -------------------------------------------------------------- feed callbacks

    def _on_message(self, msg: LiveMessage) -> None:
        if self._closed:
            return
        if isinstance(msg, AnalyzedDfMessage) and msg.pair == self.pair:
            self._merge(msg.frame)
        elif isinstance(msg, NewCandleMessage) and msg.pair == self.pair:
            # The push that follows holds one candle; ask for the last few to be sure
            # the candle that just closed is drawn with its final values.
            try:
                self.feed.send_analyzed_df_request(pair=self.pair, limit=3, timeout=2)
            except LiveFeedError as exc:
                logger.info("live chart %s: could not request candles: %s", self.pair, exc)

    def _merge(self, new: pd.DataFrame) -> None:
        if new.empty:
            return
        with self._lock:
            if self.frame.empty:
                merged = new
            else:
                merged = pd.concat([self.frame, new])
                merged = merged[~merged.index.duplicated(keep="last")].sort_index()
            self.frame = merged.iloc[-self.candles :]
            self._redraw()

    def _redraw(self) -> None:
        df = self.frame
        x = df.index
        with self.figure.batch_update():
            candle = self.figure.data[0]
            candle.x, candle.open, candle.high = x, df["open"], df["high"]
            candle.low, candle.close = df["low"], df["close"]
            for trace, name in zip(self.figure.data[1:], self.indicators, strict=False):
                trace.x, trace.y = (x, df[name]) if name in df.columns else ([], [])
            enter, exit_ = self.figure.data[-2], self.figure.data[-1]
            entries = df[df["enter_long"]] if "enter_long" in df.columns else df.iloc[:0]
            exits = df[df["exit_long"]] if "exit_long" in df.columns else df.iloc[:0]
            enter.x, enter.y = entries.index, entries["low"] * 0.998
            exit_.x, exit_.y = exits.index, exits["high"] * 1.002
        self.redraws += 1
        last = df.index[-1]
        self.status.value = (
            f"<small>{html.escape(self.pair)} · {len(df)} candles · last "
            f"{last:%Y-%m-%d %H:%M} UTC · close {df['close'].iloc[-1]:g} · "
            f"redraws {self.redraws}</small>"
        )

    # -------------------------------------------------------------- lifecycle

    @property
    def closed(self) -> bool:
        """True once the widget was closed (it no longer listens to the feed)."""
        return self._closed

    def close(self) -> None:
        """Stop listening to the feed and close the widget (the feed keeps running)."""
        self._closed = True
        _close_parts(self, "_remove", "figure", "status")
        super().close()


_FILL_TYPES = ("entry_fill", "exit_fill")


class FillFeed(widgets.VBox):  # type: ignore[misc]
    """A table of fills, newest first, updated as the bot's orders fill.

    Args:
        feed: a started :class:`LiveFeed` subscribed to ``entry_fill``/``exit_fill``.
        types: message types to list (default the two fill types; add ``"entry"`` and
            ``"exit"`` to also see orders when they are placed).
        max_rows: how many rows to keep.

    Attributes:
        rows: the listed messages, newest first.
    """

    def __init__(
        self,
        feed: LiveFeed,
        *,
        types: Iterable[str] = _FILL_TYPES,
        max_rows: int = 20,
    ) -> None:
        self.feed = _check_feed(feed)
        if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 1:
            raise ValueError(f"max_rows must be an int >= 1, got {max_rows!r}")
        types = tuple([types] if isinstance(types, str) else types)
        allowed = ("entry", "entry_fill", "entry_cancel", "exit", "exit_fill", "exit_cancel")
        wrong = [t for t in types if t not in allowed]
        if wrong or not types:
            raise ValueError(f"types must be among {list(allowed)}, got {list(types)!r}")
        self.types = types
        self.max_rows = max_rows
        self.rows: list[EntryMessage | ExitMessage | LiveMessage] = []
        self._closed = False
        self._lock = threading.Lock()
        self.table = widgets.HTML(value=self._render())
        super().__init__(children=[widgets.HTML("<b>Fills</b>"), self.table])
        self._remove = feed.on(self._on_message, types=types)

    def _on_message(self, msg: LiveMessage) -> None:
        if self._closed:
            return
        with self._lock:
            self.rows.insert(0, msg)
            del self.rows[self.max_rows :]
            self.table.value = self._render()

    def _render(self) -> str:
        if not self.rows:
            return "<i>waiting for fills…</i>"
        head = "".join(
            f"<th style='text-align:left;padding:2px 8px'>{h}</th>"
            for h in (
                "time (UTC)",
                "event",
                "trade",
                "pair",
                "side",
                "rate",
                "amount",
                "profit",
                "tag",
            )
        )
        body = []
        for msg in self.rows:
            rate = amount = profit = tag = side = ""
            trade = pair = ""
            if isinstance(msg, EntryMessage | ExitMessage):
                trade, pair, side = str(msg.trade_id), msg.pair, msg.side
                if msg.leverage is not None and msg.leverage != 1:
                    side += f" {msg.leverage:g}x"
                amount = f"{msg.amount:g}" if msg.amount is not None else ""
                tag = msg.enter_tag or ""
            if isinstance(msg, ExitMessage):
                rate = f"{msg.close_rate:g}" if msg.close_rate is not None else ""
                if msg.profit_ratio is not None:
                    colour = "#1b9e3e" if msg.profit_ratio >= 0 else "#d62728"
                    profit = f"<span style='color:{colour}'>{msg.profit_ratio:+.2%}</span>"
                tag = msg.exit_reason or tag
            elif isinstance(msg, EntryMessage):
                rate = f"{msg.open_rate:g}" if msg.open_rate is not None else ""
            cells = (
                f"{msg.received_at:%H:%M:%S}",
                html.escape(msg.type),
                trade,
                html.escape(pair),
                side,
                rate,
                amount,
                profit,
                html.escape(tag),
            )
            body.append(
                "<tr>" + "".join(f"<td style='padding:2px 8px'>{c}</td>" for c in cells) + "</tr>"
            )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"

    @property
    def closed(self) -> bool:
        """True once the widget was closed (it no longer listens to the feed)."""
        return self._closed

    def close(self) -> None:
        """Stop listening to the feed and close the widget (the feed keeps running)."""
        self._closed = True
        _close_parts(self, "_remove", "table")
        super().close()


def _close_parts(owner: object, remover: str, *children: str) -> None:
    """Unsubscribe and close child widgets; tolerant of a half-built widget (``__del__``)."""
    remove = owner.__dict__.get(remover)
    if callable(remove):
        remove()
    for name in children:
        child = owner.__dict__.get(name)
        if child is not None:
            child.close()
