"""The tear sheet's figures: series and frames in, a plotly figure out, in the plots style.

Each builder takes plain pandas objects (never a client) and returns a ``go.Figure``
that reads :data:`ftnotebook.plots.defaults` (template, colours). Every axis names its
quantity and unit. Data are kept small (daily resolution, pre-binned histograms) so that
the exported HTML stays light next to the 4.8 MB of plotly.js.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ftnotebook.plots._style import defaults
from ftnotebook.report._analysis import PERIODS
from ftnotebook.report._montecarlo import MonteCarlo

__all__ = [
    "distribution_chart",
    "equity_chart",
    "monte_carlo_chart",
    "monthly_returns_chart",
    "rolling_chart",
    "underwater_chart",
]

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_BENCH = "#7f7f7f"
_DATE = "Date (UTC)"


def _apply_template(fig: Any, template: Any) -> None:
    """Set a registered template without re-validating it (~100 ms per figure saved).

    plotly does the same for its default template (``_initialize_layout_template``):
    a registered template is already validated. Anything else goes the normal way.
    """
    import plotly.io as pio

    layout = getattr(fig, "_layout_obj", None)
    if isinstance(template, str) and template in pio.templates and layout is not None:
        validate = layout._validate
        layout._validate = False
        try:
            layout.template = pio.templates[template]
            return
        finally:
            layout._validate = validate
    fig.update_layout(template=template)


def _layout(fig: Any, title: str, height: int) -> Any:
    style = defaults.layout(height=height)
    if "template" in style:
        _apply_template(fig, style.pop("template"))
    fig.update_layout(
        **style,
        title=title,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.08, "x": 0},
        margin={"l": 70, "r": 30, "t": 110, "b": 50},
        bargap=0.05,
    )
    return fig


def _unit(currency: str) -> str:
    return f" ({currency})" if currency else ""


def equity_chart(
    equity: pd.Series,
    benchmark: pd.Series | None = None,
    *,
    currency: str = "",
    label: str = "Strategy",
    title: str = "Equity vs buy & hold",
    height: int = 420,
) -> Any:
    """End-of-day balance and, when given, buy-and-hold of the pairlist.

    ``benchmark`` is the buy-and-hold index (1.0 at its start); it is drawn as the
    balance one would hold by buying the pairs, equal weight, with the strategy's balance
    on the benchmark's first day.
    """
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=equity.index,
            y=equity.to_numpy(),
            mode="lines",
            name=label,
            line={"color": defaults.color("profit"), "width": 2},
        )
    )
    if benchmark is not None and len(benchmark):
        base = float(equity.reindex(benchmark.index[:1]).fillna(equity.iloc[0]).iloc[0])
        fig.add_trace(
            go.Scatter(
                x=benchmark.index,
                y=(benchmark * base / benchmark.iloc[0]).to_numpy(),
                mode="lines",
                name=f"Buy & hold (pairlist, from {benchmark.index[0]:%Y-%m-%d})",
                line={"color": _BENCH, "width": 1.5, "dash": "dash"},
            )
        )
    fig.update_xaxes(title_text=_DATE)
    fig.update_yaxes(title_text=f"Balance{_unit(currency)}")
    return _layout(fig, title, height)


def underwater_chart(
    underwater: pd.DataFrame,
    periods: pd.DataFrame,
    *,
    currency: str = "",
    top: int = 5,
    title: str = "Underwater (drawdown from the running peak)",
    height: int = 560,
) -> Any:
    """freqtrade's relative drawdown over the closed trades, the ``top`` deepest
    drawdown periods shaded and listed in a table below.

    ``underwater`` is :func:`ftnotebook.metrics.underwater`'s frame; ``periods`` is
    :attr:`Analysis.drawdown_periods`. More than 2,000 points are reduced to each day's
    deepest one, which keeps every drawdown's depth.
    """
    fig = make_subplots(
        rows=2,
        cols=1,
        row_heights=[0.62, 0.38],
        vertical_spacing=0.14,
        specs=[[{"type": "xy"}], [{"type": "table"}]],
    )
    dd = pd.Series(
        -underwater["drawdown_relative"].to_numpy(dtype="float64") * 100,
        index=pd.DatetimeIndex(underwater["date"]),
    )
    if len(dd) > 2000:
        dd = dd.groupby(pd.DatetimeIndex(dd.index).floor("D")).min()
    fig.add_trace(
        go.Scatter(
            x=dd.index,
            y=dd.to_numpy(),
            mode="lines",
            line={"color": defaults.color("drawdown"), "width": 1},
            fill="tozeroy",
            name="Drawdown",
        ),
        row=1,
        col=1,
    )
    shown = periods.head(top)
    last = dd.index[-1] if len(dd) else None
    shapes, notes = [], []
    for i, (start, end) in enumerate(zip(shown["start"], shown["end"], strict=True), start=1):
        end = last if pd.isna(end) else end
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "y domain",
                "x0": start,
                "x1": end,
                "y0": 0,
                "y1": 1,
                "fillcolor": defaults.color("drawdown_span"),
                "line": {"width": 0},
                "layer": "below",
            }
        )
        notes.append(
            {
                "xref": "x",
                "yref": "y domain",
                "x": start,
                "y": 1,
                "text": f"#{i}",
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "top",
            }
        )
    # one layout update instead of add_vrect per period (which re-scans the subplots)
    fig.update_layout(shapes=shapes, annotations=notes)
    fig.add_trace(
        go.Table(
            header={
                "values": [
                    "#",
                    "Start (peak)",
                    "Valley",
                    "Recovered",
                    "Depth (%)",
                    f"Depth{_unit(currency)}",
                    "Duration (days)",
                    "Trades",
                ],
                "align": "left",
            },
            cells={
                "values": [
                    list(range(1, len(shown) + 1)),
                    [f"{t:%Y-%m-%d %H:%M}" for t in shown["start"]],
                    [f"{t:%Y-%m-%d %H:%M}" for t in shown["valley"]],
                    ["ongoing" if pd.isna(t) else f"{t:%Y-%m-%d %H:%M}" for t in shown["end"]],
                    [f"{v * 100:.2f}" for v in shown["depth"]],
                    [f"{v:,.2f}" for v in shown["depth_abs"]],
                    [f"{d / pd.Timedelta(days=1):.1f}" for d in shown["duration"]],
                    [int(v) for v in shown["trades"]],
                ],
                "align": "left",
            },
            name="Top drawdowns",
        ),
        row=2,
        col=1,
    )
    fig.update_xaxes(title_text=_DATE, row=1, col=1)
    fig.update_yaxes(title_text="Drawdown (% of peak balance)", row=1, col=1)
    return _layout(fig, title, height)


def monthly_returns_chart(
    monthly: pd.Series,
    yearly: pd.Series,
    *,
    title: str = "Monthly and yearly returns",
    height: int = 480,
) -> Any:
    """A year × month heatmap of compounded monthly returns and a bar per year.

    ``monthly`` is indexed by ``(year, month)``, ``yearly`` by year (ratios).
    """
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.66, 0.34],
        horizontal_spacing=0.14,
        subplot_titles=("Monthly return (%)", "Yearly return (%)"),
    )
    keys: list[tuple[Any, Any]] = list(monthly.index)
    years = sorted({int(y) for y, _ in keys})
    z = np.full((len(years), 12), np.nan)
    for (year, month), value in zip(keys, monthly.to_numpy(dtype="float64"), strict=True):
        z[years.index(int(year)), int(month) - 1] = value * 100
    text = [["" if np.isnan(v) else f"{v:.2f}" for v in row] for row in z]
    bound = float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 1.0
    fig.add_trace(
        go.Heatmap(
            z=z,
            x=_MONTHS,
            y=[str(y) for y in years],
            text=text,
            texttemplate="%{text}",
            colorscale=[
                [0.0, defaults.color("decreasing")],
                [0.5, "#ffffff"],
                [1.0, defaults.color("increasing")],
            ],
            zmid=0,
            zmin=-bound,
            zmax=bound,
            colorbar={
                "title": {"text": "Monthly return (%)", "side": "top"},
                "orientation": "h",
                "x": 0.33,
                "xanchor": "center",
                "y": -0.32,
                "yanchor": "top",
                "len": 0.5,
                "thickness": 10,
            },
            name="Monthly return",
            hovertemplate="%{y} %{x}: %{z:.2f} %<extra></extra>",
        ),
        row=1,
        col=1,
    )
    values = yearly.to_numpy(dtype="float64") * 100
    fig.add_trace(
        go.Bar(
            x=[str(int(y)) for y in yearly.index],
            y=values,
            marker_color=[
                defaults.color("trade_win") if v >= 0 else defaults.color("trade_loss")
                for v in values
            ],
            name="Yearly return",
            text=[f"{v:.2f}" for v in values],
        ),
        row=1,
        col=2,
    )
    fig.update_xaxes(title_text="Month (UTC calendar)", row=1, col=1)
    fig.update_yaxes(title_text="Year (UTC calendar)", type="category", row=1, col=1)
    fig.update_xaxes(title_text="Year (UTC calendar)", type="category", row=1, col=2)
    fig.update_yaxes(title_text="Return (%)", row=1, col=2)
    fig = _layout(fig, title, height)
    fig.update_layout(showlegend=False, margin={"b": 130})
    return fig


def rolling_stats(returns: pd.Series, window: int = 30) -> pd.DataFrame:
    """Rolling ``window``-day Sharpe, Sortino (QuantStats' rolling formulas) and
    volatility, annualised with 365 days."""
    mean = returns.rolling(window).mean()
    std = returns.rolling(window).std()
    down = np.sqrt((returns.clip(upper=0) ** 2).rolling(window).sum() / window)
    root = np.sqrt(PERIODS)
    return pd.DataFrame(
        {
            "sharpe": (mean / std.replace(0, np.nan)) * root,
            "sortino": (mean / down.replace(0, np.nan)) * root,
            "volatility": std * root,
        }
    )


def rolling_chart(
    returns: pd.Series,
    *,
    window: int = 30,
    title: str | None = None,
    height: int = 560,
) -> Any:
    """Rolling Sharpe, Sortino and volatility of the daily returns (365-day annualised)."""
    stats = rolling_stats(returns, window)
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.06)
    rows = [
        (
            "sharpe",
            f"Sharpe ({window} d, ann.)",
            "Sharpe (ratio, ann.)",
            defaults.color("profit"),
            1.0,
        ),
        ("sortino", f"Sortino ({window} d, ann.)", "Sortino (ratio, ann.)", "#9467bd", 1.0),
        ("volatility", f"Volatility ({window} d, ann.)", "Volatility (%, ann.)", "#ff7f0e", 100.0),
    ]
    for i, (col, name, axis, color, scale) in enumerate(rows, start=1):
        fig.add_trace(
            go.Scatter(
                x=stats.index,
                y=stats[col].to_numpy() * scale,
                mode="lines",
                name=name,
                line={"color": color, "width": 1.5},
                connectgaps=False,
            ),
            row=i,
            col=1,
        )
        fig.update_yaxes(title_text=axis, row=i, col=1)
    fig.update_xaxes(title_text=_DATE, row=3, col=1)
    return _layout(fig, title or f"Rolling {window}-day ratios", height)


def _bars(values: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Counts, centres and widths of ``bins`` bins with an edge at 0."""
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return np.zeros(0), np.zeros(0), np.zeros(0)
    lo, hi = min(values.min(), 0.0), max(values.max(), 0.0)
    if lo == hi:
        hi = lo + 1e-9
    width = (hi - lo) / bins
    start = np.floor(lo / width) * width
    edges = start + width * np.arange(int(np.ceil((hi - start) / width)) + 2)
    counts, edges = np.histogram(values, bins=edges)
    return counts, (edges[:-1] + edges[1:]) / 2, np.diff(edges)


def distribution_chart(
    daily_returns: pd.Series,
    trade_profit: pd.Series,
    *,
    bins: int = 50,
    title: str = "Return distributions",
    height: int = 400,
) -> Any:
    """Histograms of the daily returns (days) and of each trade's profit ratio (trades),
    winners and losers in their colours."""
    fig = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.1,
        subplot_titles=("Daily returns", "Trade profit"),
    )
    for col, (values, unit) in enumerate(
        [
            (daily_returns.to_numpy(dtype="float64"), "Days"),
            (trade_profit.to_numpy(dtype="float64"), "Trades"),
        ],
        start=1,
    ):
        zero = int((values == 0).sum())
        counts, centres, widths = _bars(values[values != 0] * 100, bins)
        if zero:
            fig.add_trace(
                go.Bar(
                    x=[0.0],
                    y=[zero],
                    width=[float(widths.min()) if len(widths) else 1e-3],
                    marker_color=_BENCH,
                    name=f"{unit}: = 0",
                    hovertemplate="exactly 0: %{y}<extra></extra>",
                ),
                row=1,
                col=col,
            )
        win = centres > 0
        for mask, role, name in ((~win, "trade_loss", "< 0"), (win, "trade_win", "> 0")):
            fig.add_trace(
                go.Bar(
                    x=centres[mask],
                    y=counts[mask],
                    width=widths[mask],
                    marker_color=defaults.color(role),
                    name=f"{unit}: {name}",
                    hovertemplate="%{x:.3f} %: %{y}<extra></extra>",
                ),
                row=1,
                col=col,
            )
        fig.update_yaxes(title_text=f"{unit} (count)", row=1, col=col)
    fig.update_xaxes(title_text="Daily return (%)", row=1, col=1)
    fig.update_xaxes(title_text="Trade profit (% of stake)", row=1, col=2)
    return _layout(fig, title, height)


def monte_carlo_chart(
    mc: MonteCarlo,
    *,
    currency: str = "",
    bins: int = 40,
    title: str | None = None,
    height: int = 420,
) -> Any:
    """Balance percentile bands (5/50/95) per trade number with the original path, and the
    distribution of the paths' maximum drawdowns."""
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.62, 0.38],
        horizontal_spacing=0.1,
        subplot_titles=("Balance bands (5 / 50 / 95 %)", "Max drawdown per path"),
    )
    bands = mc.bands
    x = bands.index.to_numpy()
    fill = "rgba(31, 119, 180, 0.18)"
    fig.add_trace(
        go.Scatter(
            x=x, y=bands["p95"], mode="lines", line={"width": 0}, name="95th pct", showlegend=False
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=bands["p5"],
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor=fill,
            name="5-95th percentile",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=bands["p50"],
            mode="lines",
            line={"color": defaults.color("profit"), "dash": "dot"},
            name="Median",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=bands["original"],
            mode="lines",
            line={"color": "#000000", "width": 1.5},
            name="Actual order",
        ),
        row=1,
        col=1,
    )
    counts, centres, widths = _bars(mc.max_drawdown * 100, bins)
    fig.add_trace(
        go.Bar(
            x=centres,
            y=counts,
            width=widths,
            marker_color=defaults.color("drawdown"),
            name="Max drawdown",
            showlegend=False,
            hovertemplate="%{x:.2f} %: %{y} paths<extra></extra>",
        ),
        row=1,
        col=2,
    )
    fig.update_xaxes(title_text="Trade number (closed trades)", row=1, col=1)
    fig.update_yaxes(title_text=f"Balance{_unit(currency)}", row=1, col=1)
    fig.update_xaxes(title_text="Max drawdown (% of peak balance)", row=1, col=2)
    fig.update_yaxes(title_text="Paths (count)", row=1, col=2)
    default = (
        f"Monte Carlo: {mc.paths:,} paths, {mc.method} of {mc.blocks:,} blocks"
        f" ({mc.block_rule}), seed {mc.seed}"
    )
    return _layout(fig, title or default, height)
