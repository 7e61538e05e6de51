"""freqtrade's ``plot_annotations`` (``area``, ``line``, ``point``) on the price row.

Annotations are clipped to the chart: to the candles' time window (an area or a line
outside it is left out, one that overlaps is cut at the edge), and to the price range
(a line or point beyond it is drawn at the edge, its value in the label).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import plotly.graph_objects as go

from ftnotebook.plots._axes import PriceRange
from ftnotebook.plots._frame import add_to_row, date_str
from ftnotebook.plots._longhistory import to_epoch_ms
from ftnotebook.plots._style import defaults

__all__ = ["add_annotations"]

_DASH = {"solid": "solid", "dashed": "dash", "dotted": "dot"}


def _ms_str(ms: float) -> str:
    import pandas as pd

    return date_str(pd.Timestamp(int(ms), unit="ms", tz="UTC"))


def add_annotations(
    fig: Any,
    annotations: Iterable[Mapping[str, Any]],
    *,
    row: int = 1,
    x_range: tuple[float, float] | None = None,
    price_range: PriceRange | None = None,
    price_fmt: str = ",.2f",
) -> Any:
    """Draw freqtrade's ``plot_annotations`` (``area``, ``line``, ``point``) on ``row``.

    * ``area``: a rectangle from ``start`` to ``end``, across the row unless
      ``y_start``/``y_end`` are given; ``label`` is written in its top right corner.
    * ``line``: a line from (``start``, ``y_start``) to (``end``, ``y_end``) with
      ``width`` and ``line_style`` (solid/dashed/dotted); the label sits at its start.
    * ``point``: a marker at (``x``, ``y``) with its ``label``; all points go in one
      ``"Annotations"`` trace.

    ``x_range`` (epoch ms) and ``price_range`` clip as the module docstring says. An
    annotation of another type raises ``ValueError``.
    """
    where: dict[str, Any] = (
        {} if getattr(fig, "_grid_ref", None) is None else {"row": row, "col": 1}
    )
    px: list[float] = []
    py: list[float] = []
    labels: list[str] = []
    colors: list[str] = []

    def clip_x(a: Any, b: Any) -> tuple[float, float] | None:
        x0, x1 = to_epoch_ms(date_str(a)), to_epoch_ms(date_str(b))
        if x_range is None:
            return x0, x1
        if max(x0, x1) < x_range[0] or min(x0, x1) > x_range[1]:
            return None
        return max(min(x0, x1), x_range[0]), min(max(x0, x1), x_range[1])

    def clip_y(y: Any) -> tuple[Any, str]:
        if y is None or price_range is None:
            return y, ""
        drawn, arrow = price_range.clip(float(y))
        return drawn, (f" {arrow} {float(y):{price_fmt}}" if arrow else "")

    for i, ann in enumerate(annotations):
        kind = ann.get("type")
        color = ann.get("color") or defaults.color("annotation")
        label = ann.get("label") or ""
        if kind not in ("area", "line", "point"):
            raise ValueError(
                f"annotations[{i}]['type'] must be one of ['area', 'line', 'point'], got {kind!r}"
            )
        if kind == "area":
            span = clip_x(ann["start"], ann["end"])
            if span is None:
                continue
            shape: dict[str, Any] = {
                "x0": _ms_str(span[0]),
                "x1": _ms_str(span[1]),
                "fillcolor": color,
                "line_width": 0,
                "layer": "below",
            }
            text = {"text": label, "textposition": "top right", "font": {"size": 11}}
            if ann.get("y_start") is not None and ann.get("y_end") is not None:
                y0, _ = clip_y(ann["y_start"])
                y1, _ = clip_y(ann["y_end"])
                fig.add_shape(type="rect", **shape, y0=y0, y1=y1, label=text, **where)
            else:
                fig.add_vrect(**shape, label=text, **where)
        elif kind == "line":
            span = clip_x(ann["start"], ann["end"])
            if span is None:
                continue
            y0, note0 = clip_y(ann.get("y_start"))
            y1, note1 = clip_y(ann.get("y_end", ann.get("y_start")))
            fig.add_shape(
                type="line",
                x0=_ms_str(span[0]),
                x1=_ms_str(span[1]),
                y0=y0,
                y1=y1,
                line={
                    "color": color,
                    "width": ann.get("width") or 1,
                    "dash": _DASH.get(str(ann.get("line_style") or "solid"), "solid"),
                },
                label={
                    "text": label + (note0 or note1),
                    "textposition": "start",
                    "yanchor": "bottom",
                    "font": {"size": 11, "color": color},
                },
                **where,
            )
        else:
            x = to_epoch_ms(date_str(ann["x"]))
            if x_range is not None and not x_range[0] <= x <= x_range[1]:
                continue
            y, note = clip_y(ann["y"])
            px.append(x)
            py.append(float(y))
            labels.append(label + note)
            colors.append(color)
    if px:
        add_to_row(
            fig,
            go.Scatter(
                x=px,
                y=py,
                mode="markers+text",
                name="Annotations",
                text=labels,
                textposition="bottom center",
                hovertemplate=f"%{{text}}<br>%{{y:{price_fmt}}}<extra></extra>",
                marker={"symbol": "diamond", "size": 10, "color": colors},
            ),
            row,
        )
    return fig
