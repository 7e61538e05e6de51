"""The house style of every ftnotebook chart, settable once, like ``plotly.express.defaults``.

Every builder in :mod:`ftnotebook.plots` reads :data:`defaults` when it creates a figure,
so a notebook sets its look in one place::

    >>> from ftnotebook.plots import defaults
    >>> defaults.template = "plotly_dark"
    >>> defaults.height = 900
    >>> defaults.colors["enter_long"] = "#00ff00"
    >>> defaults.reset()                       # back to the shipped style

A value passed to a builder (``height=...``) wins over the default for that one figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["DEFAULT_COLORS", "PlotDefaults", "defaults"]

DEFAULT_COLORS: dict[str, str] = {
    "increasing": "#26a69a",
    "decreasing": "#ef5350",
    "volume": "rgba(100, 110, 130, 0.55)",
    "indicator": "#7f7f7f",
    "fill": "rgba(0, 176, 246, 0.2)",
    "enter_long": "#2ca02c",
    "exit_long": "#d62728",
    "enter_short": "#1f77b4",
    "exit_short": "#9467bd",
    "trade_entry": "#17becf",
    "trade_win": "#2ca02c",
    "trade_loss": "#d62728",
    "stoploss": "#d62728",
    "liquidation": "#8c2d04",
    "trade_short": "#e377c2",
    "profit": "#1f77b4",
    "open_profit": "#ff7f0e",
    "drawdown": "#cc362b",
    "drawdown_span": "rgba(204, 54, 43, 0.15)",
    "trade_count": "#7f7f7f",
    "parallel": "#444444",
    "annotation": "rgba(255, 200, 0, 0.2)",
}
"""The shipped colour table; :attr:`PlotDefaults.colors` starts as a copy of it."""


@dataclass
class PlotDefaults:
    """Figure-wide defaults: plotly ``template``, ``height`` in px, ``colors`` by role.

    ``colors`` keys are roles (``"enter_long"``, ``"trade_win"``, ``"drawdown"`` ...; see
    :data:`DEFAULT_COLORS`); ``width=None`` lets the figure fill its container.
    ``max_candles`` is the point budget of one candle chart: longer histories are
    aggregated (min/max preserving) down to it; see :mod:`ftnotebook.plots._longhistory`.
    """

    template: str | None = "plotly_white"
    height: int = 800
    width: int | None = None
    colors: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_COLORS))
    max_candles: int = 4000

    def reset(self) -> None:
        """Restore the shipped style."""
        fresh = PlotDefaults()
        self.template, self.height, self.width = fresh.template, fresh.height, fresh.width
        self.colors = fresh.colors
        self.max_candles = fresh.max_candles

    def color(self, role: str) -> str:
        """The colour for ``role``, falling back to the shipped table."""
        return self.colors.get(role) or DEFAULT_COLORS[role]

    def layout(self, *, height: int | None = None, width: int | None = None) -> dict[str, Any]:
        """Layout keyword arguments for a new figure (explicit arguments win)."""
        out: dict[str, Any] = {"height": height or self.height}
        if width or self.width:
            out["width"] = width or self.width
        if self.template is not None:
            out["template"] = self.template
        return out


defaults = PlotDefaults()
"""The one shared :class:`PlotDefaults` every builder reads."""
