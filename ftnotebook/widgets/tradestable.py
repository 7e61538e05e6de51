"""``TradesTable``: the bot's open trades, refreshed on a timer until the widget closes.

::

    table = TradesTable(FtClient.from_env(), interval=10)
    table                       # refreshes every 10 s in a background thread
    table.close()               # stops the timer (closing the widget does too)

A failed refresh is shown in the message area and the timer keeps going, so a bot that
restarts comes back by itself.

CSS classes: ``ftnb-trades`` (root), ``ftnb-trades-table``, ``ftnb-trades-refresh``,
``ftnb-trades-auto`` (toggle), ``ftnb-message``.
"""

from __future__ import annotations

import html
import threading
from datetime import UTC, datetime
from typing import Any

import ipywidgets as widgets

from ftnotebook.client import FtClient
from ftnotebook.models import OpenTrade
from ftnotebook.widgets._base import Control, button

__all__ = ["TradesTable"]

_HEAD = (
    "id",
    "pair",
    "side",
    "amount",
    "open rate",
    "current",
    "profit %",
    "profit",
    "opened (UTC)",
    "tag",
)


def _row(t: OpenTrade) -> tuple[str, ...]:
    ratio = t.get("profit_ratio")
    return (
        str(t["trade_id"]),
        t["pair"],
        "short" if t["is_short"] else "long",
        f"{t['amount']:.6g}",
        f"{t.get('open_rate', 0):.6g}",
        f"{t['current_rate']:.6g}",
        "" if ratio is None else f"{ratio * 100:+.2f}",
        f"{t.get('profit_abs', 0) or 0:+.4f}",
        str(t.get("open_date", ""))[:16],
        str(t.get("enter_tag") or ""),
    )


class TradesTable(Control):
    """Open trades as a table; ``interval`` seconds between refreshes (``None``: manual only).

    Attributes:
        trades: the open trades of the last successful refresh.
        refresh_count: how many refreshes succeeded.
        refreshed_at: when the last one did.
    """

    css_class = "ftnb-trades"

    def __init__(self, client: FtClient, *, interval: float | None = 10.0) -> None:
        if interval is not None and (
            isinstance(interval, bool) or not isinstance(interval, int | float) or interval < 0.1
        ):
            raise ValueError(f"interval: expected seconds >= 0.1 or None, got {interval!r}")
        super().__init__(client)
        self.interval = interval
        self.trades: list[OpenTrade] = []
        self.refresh_count = 0
        self.refreshed_at: datetime | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.table = widgets.HTML()
        self.table.add_class("ftnb-trades-table")
        self.refresh_button = button("Refresh", "ftnb-trades-refresh", self.refresh, icon="refresh")
        self.auto = widgets.ToggleButton(
            value=interval is not None, description="auto-refresh", disabled=interval is None
        )
        self.auto.add_class("ftnb-trades-auto")
        self.auto.observe(self._on_auto, names="value")
        self.widget.children = [
            widgets.HBox([widgets.HTML("<b>Open trades</b>"), self.refresh_button, self.auto]),
            self.table,
            self.message,
        ]
        self.widget.observe(self._on_widget_closed, names="comm")
        self.refresh()
        if interval is not None:
            self.start()

    @property
    def running(self) -> bool:
        """True while the refresh timer runs."""
        return self._thread is not None and self._thread.is_alive()

    def refresh(self) -> None:
        """Read the open trades now (``GET /status``)."""
        self._act("refresh", self._refresh)

    def start(self) -> None:
        """Start the refresh timer (no-op when it runs or ``interval`` is ``None``)."""
        if self.interval is None or self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="ftnb-trades-table", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the refresh timer and wait for its thread."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def close(self) -> None:
        """Stop the timer and close the widgets."""
        self.stop()
        super().close()

    def _loop(self) -> None:
        assert self.interval is not None
        while not self._stop.wait(self.interval):
            self.refresh()

    def _on_auto(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.start()
        else:
            self.stop()

    def _on_widget_closed(self, change: dict[str, Any]) -> None:
        if change["new"] is None:
            self._stop.set()

    def _refresh(self) -> str:
        with self._lock:
            trades = self.client.status()
            self.trades = list(trades)
            self.refresh_count += 1
            self.refreshed_at = datetime.now(UTC)
            self.table.value = self._html()
        return f"{len(trades)} open trade(s) at {self.refreshed_at:%H:%M:%S} UTC"

    def _html(self) -> str:
        if not self.trades:
            return "<i>no open trades</i>"
        head = "".join(f"<th>{h}</th>" for h in _HEAD)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in _row(t)) + "</tr>"
            for t in self.trades
        )
        return (
            '<table class="ftnb-trades-grid" style="border-collapse:collapse">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )
