"""The strategy's ``plot_config``: its shape, its checks, and the trace each ``type`` draws.

plot_config, everything it can hold (freqtrade's and FreqUI's keys)::

    {"main_plot": {"ema": {"color": "#1f77b4"},
                   "bb_upper": {"fill_to": "bb_lower", "fill_color": "rgba(...)",
                                "fill_label": "Bollinger"}},
     "subplots": {"MACD": {"macdhist": {"type": "bar", "plotly": {"opacity": 0.6}},
                           "signal": {"type": "scatter", "scatterSymbolSize": 4}}}}

``type`` picks the trace from :data:`TRACE_TYPES`: no type or ``"line"`` draws a line
(what freqtrade's default ``"scatter"`` draws, and FreqUI's default); ``"scatter"`` draws
markers of ``scatterSymbolSize`` px (3 by default), as FreqUI does; ``"bar"`` draws bars.
The ``plotly`` dict is merged last into the trace, so it can override anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ftnotebook.plots._style import defaults

__all__ = ["TRACE_TYPES", "check_indicators", "missing_columns", "validate_plot_config"]

_INDICATOR_KEYS: dict[str, type | tuple[type, ...]] = {
    "type": str,
    "color": str,
    "fill_to": str,
    "fill_color": str,
    "fill_label": str,
    "scatterSymbolSize": (int, float),
    "plotly": Mapping,
}


def _line(name: str, conf: Mapping[str, Any], x: Any, y: Any) -> Any:
    kw: dict[str, Any] = {"x": x, "y": y, "name": name, "mode": "lines"}
    if conf.get("color"):
        kw["line"] = {"color": conf["color"]}
    return go.Scatter(**kw)


def _scatter(name: str, conf: Mapping[str, Any], x: Any, y: Any) -> Any:
    marker: dict[str, Any] = {"size": conf.get("scatterSymbolSize", 3)}
    if conf.get("color"):
        marker["color"] = conf["color"]
    return go.Scatter(x=x, y=y, name=name, mode="markers", marker=marker)


def _bar(name: str, conf: Mapping[str, Any], x: Any, y: Any) -> Any:
    color = conf.get("color") or defaults.color("indicator")
    return go.Bar(x=x, y=y, name=name, marker_color=color, marker_line_width=0)


TRACE_TYPES: dict[str, Callable[[str, Mapping[str, Any], Any, Any], Any]] = {
    "line": _line,
    "scatter": _scatter,
    "bar": _bar,
}
"""plot_config ``type`` → trace builder ``(name, conf, x, y) -> trace``; no type is ``line``."""


def validate_plot_config(plot_config: object) -> dict[str, Any]:
    """Check a plot_config's shape and types; return it with both sections present.

    Raises ``ValueError`` naming the offending key path, what was valid and what was
    received. Unknown keys inside an indicator are ignored (FreqUI adds its own).

    >>> validate_plot_config({"main_plot": {"ema": {"color": "red"}}})["subplots"]
    {}

    ``{"main_plot": {"ema": {"type": "area"}}}`` raises ``ValueError:
    plot_config['main_plot']['ema']['type'] must be one of ['bar', 'line', 'scatter'],
    got 'area'``.
    """
    if plot_config is None:
        return {"main_plot": {}, "subplots": {}}
    if not isinstance(plot_config, Mapping):
        raise ValueError(
            f"plot_config must be a dict with 'main_plot' and/or 'subplots', "
            f"got {type(plot_config).__name__}: {plot_config!r:.80}"
        )
    main = plot_config.get("main_plot") or {}
    subs = plot_config.get("subplots") or {}
    check_indicators("plot_config['main_plot']", main)
    if not isinstance(subs, Mapping):
        raise ValueError(
            f"plot_config['subplots'] must be a dict of {{row title: indicators}}, "
            f"got {type(subs).__name__}"
        )
    for title, indicators in subs.items():
        check_indicators(f"plot_config['subplots'][{title!r}]", indicators)
    return {"main_plot": dict(main), "subplots": {str(k): dict(v) for k, v in subs.items()}}


def check_indicators(where: str, indicators: object) -> None:
    if not isinstance(indicators, Mapping):
        raise ValueError(
            f"{where} must be a dict of {{column: settings}}, got {type(indicators).__name__}"
        )
    for name, conf in indicators.items():
        path = f"{where}[{name!r}]"
        if not isinstance(name, str):
            raise ValueError(f"{where} keys must be column names (str), got {name!r}")
        if not isinstance(conf, Mapping):
            raise ValueError(f"{path} must be a dict of settings, got {type(conf).__name__}")
        for key, kind in _INDICATOR_KEYS.items():
            if key in conf and conf[key] is not None and not isinstance(conf[key], kind):
                want = "a number" if isinstance(kind, tuple) else kind.__name__
                if kind is Mapping:
                    want = "dict"
                raise ValueError(
                    f"{path}[{key!r}] must be {want}, got {type(conf[key]).__name__}: {conf[key]!r}"
                )
        kind_name = conf.get("type") or "line"
        if kind_name not in TRACE_TYPES:
            raise ValueError(
                f"{path}['type'] must be one of {sorted(TRACE_TYPES)}, got {kind_name!r}"
            )
        size = conf.get("scatterSymbolSize")
        if size is not None and (isinstance(size, bool) or size <= 0):
            raise ValueError(f"{path}['scatterSymbolSize'] must be a number > 0, got {size!r}")


def missing_columns(df: pd.DataFrame, config: Mapping[str, Any]) -> list[str]:
    sections = [config["main_plot"], *config["subplots"].values()]
    missing: list[str] = []
    for indicators in sections:
        for name, conf in indicators.items():
            for col in (name, conf.get("fill_to")):
                if col and col not in df.columns and col not in missing:
                    missing.append(col)
    return missing
