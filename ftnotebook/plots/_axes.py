"""Axes and layout of a candle chart: the price range that fits the candles, clipping
to it, the candles' time window, titles with units, grouped legends, the subtitle that
says a chart is aggregated.

The price row's range is fitted to the candles and the plot_config's ``main_plot``
indicators with a little padding (:func:`fit_price`). Anything else drawn on the row
(stoploss, liquidation price, trade entries, annotations) never stretches it: beyond the
range it is drawn at the edge with its value in a label (:meth:`PriceRange.clip`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ftnotebook.plots._longhistory import CandleSource

__all__ = ["PriceRange", "aggregation_note", "fit_price", "layout_candle_chart"]

PADDING = 0.03
"""Share of the fitted range added above and below the price row."""

INDICATOR_REACH = 0.1
"""How far (share of the candle range) main_plot indicators may widen the price range."""

EDGE = 0.012
"""How far inside the edge a clipped line sits, as a share of the range."""


@dataclass(frozen=True)
class PriceRange:
    """The price row's y range ``[lo, hi]``."""

    lo: float
    hi: float

    @property
    def span(self) -> float:
        return self.hi - self.lo

    def inside(self, y: float) -> bool:
        return self.lo <= y <= self.hi

    def clip(self, y: float, depth: float = 1.0) -> tuple[float, str]:
        """``(y drawn, arrow)``: ``y`` itself and ``""`` inside, else just inside the edge
        (``depth`` times :data:`EDGE`, so two clipped lines stay apart) and ▲/▼."""
        if y > self.hi:
            return self.hi - depth * EDGE * self.span, "▲"
        if y < self.lo:
            return self.lo + depth * EDGE * self.span, "▼"
        return y, ""

    def clip_array(self, y: Any) -> tuple[Any, Any]:
        """Vectorised :meth:`clip`: ``(y drawn, off-chart mask)``."""
        arr = np.asarray(y, dtype="float64")
        off = (arr > self.hi) | (arr < self.lo)
        lo_edge, hi_edge = self.lo + EDGE * self.span, self.hi - EDGE * self.span
        return np.clip(arr, lo_edge, hi_edge) if off.any() else arr, off


def fit_price(
    src: CandleSource, ohlc: Sequence[str], indicators: Sequence[str] = ()
) -> PriceRange | None:
    """The range of the candles' lows/highs and ``indicators`` in ``src``, padded.

    Indicators widen the range by at most :data:`INDICATOR_REACH` of the candle range
    either side (a band far outside the candles is clipped, not followed). None when
    the window holds no price.
    """
    low_vals, high_vals = src.values(ohlc[2]), src.values(ohlc[1])
    if not (np.isfinite(low_vals).any() and np.isfinite(high_vals).any()):
        return None
    low, high = float(np.nanmin(low_vals)), float(np.nanmax(high_vals))
    span = high - low
    if span <= 0:
        span = abs(high) * 0.01 or 1.0
    lo, hi = low, high
    for col in indicators:
        if col in src.frame.columns:
            vals = src.values(col)
            if np.isfinite(vals).any():
                lo = min(lo, max(float(np.nanmin(vals)), low - INDICATOR_REACH * span))
                hi = max(hi, min(float(np.nanmax(vals)), high + INDICATOR_REACH * span))
    pad = PADDING * (hi - lo)
    return PriceRange(lo - pad, hi + pad)


def aggregation_note(src: CandleSource, candle_ms: float) -> str | None:
    """E.g. ``"500,000 candles shown as 4,000 buckets of 125 min — zoom for detail"``."""
    if not src.aggregated:
        return None
    minutes = src.step * candle_ms / 60_000
    if minutes >= 1440 and minutes % 1440 == 0:
        size = f"{minutes / 1440:g} d"
    elif minutes >= 60 and minutes % 60 == 0:
        size = f"{minutes / 60:g} h"
    else:
        size = f"{minutes:g} min"
    return f"{src.n:,} candles shown as {len(src.starts):,} buckets of {size} — zoom for detail"


def layout_candle_chart(
    fig: Any,
    *,
    rows: int,
    subplot_titles: Sequence[str],
    title: str | None,
    subtitle: str | None,
    price_title: str,
    volume_title: str,
    price_format: str,
    price_range: PriceRange | None,
    x_range: tuple[float, float] | None,
    legend_items: int = 12,
) -> None:
    """Titles, axes, legends and hover of a candle chart with ``rows`` rows.

    Legend ``legend`` (above the plot, under the title) holds the price and volume rows;
    each subplot row ``k`` gets its own ``legend{k}``, at the row's top left.
    """
    # title (and subtitle) first, then the legend rows, then the plot: the legend grows
    # down from under the title, never up into it or under the modebar (top right)
    head = 44 + (18 if subtitle else 0)
    rows_needed = max(1, -(-legend_items // 9))
    top = head + 24 * rows_needed + 6
    title_spec: dict[str, Any] = {
        "text": title or "",
        "x": 0.01,
        "xanchor": "left",
        "yref": "container",
        "y": 0.995,
        "yanchor": "top",
        "pad": {"t": 8},
    }
    if subtitle:
        title_spec["subtitle"] = {"text": subtitle, "font": {"size": 12, "color": "#666"}}
    legends: dict[str, Any] = {
        "legend": {
            "orientation": "h",
            "yanchor": "top",
            "y": 1 - head / float(fig.layout.height or 800),
            "yref": "container",
            "x": 0,
            "xanchor": "left",
            "bgcolor": "rgba(0,0,0,0)",
            "font": {"size": 11},
        }
    }
    for k in range(3, rows + 1):
        domain = fig.layout[f"yaxis{k}"].domain or (0, 1)
        legends[f"legend{k}"] = {
            "orientation": "h",
            "yanchor": "top",
            "y": domain[1],
            "yref": "paper",
            "x": 0.005,
            "xanchor": "left",
            "bgcolor": "rgba(255,255,255,0.85)",
            "font": {"size": 10},
        }
    fig.update_layout(
        title=title_spec,
        hovermode="closest",
        margin={"l": 70, "r": 20, "t": top, "b": 30},
        bargap=0,
        autosize=True,
        modebar_add=["v1hovermode", "toggleSpikeLines"],
        **legends,
    )
    fig.update_xaxes(
        type="date",
        rangeslider_visible=False,
        showspikes=True,
        spikemode="across",
        spikesnap="cursor",
        spikethickness=1,
        spikedash="dot",
        spikecolor="#999",
    )
    if x_range is not None:
        fig.update_xaxes(range=list(x_range), autorange=False)
    fig.update_yaxes(
        title_text=price_title, tickformat=price_format.replace("f", "~f"), row=1, col=1
    )
    if price_range is not None:
        fig.update_yaxes(range=[price_range.lo, price_range.hi], autorange=False, row=1, col=1)
    fig.update_yaxes(title_text=volume_title, tickformat="~s", row=2, col=1)
    for i, label in enumerate(subplot_titles):
        fig.update_yaxes(title_text=label, row=3 + i, col=1)
