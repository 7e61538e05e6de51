"""The chart of a backtest-vs-live :class:`~ftnotebook.reconcile.Reconciliation`.

:func:`reconciliation_chart` draws both equity curves (cumulative closed profit) with the
differences marked where they happen, and below them the profit difference of each
matched trade. It takes the reconciliation only: no client, no request.

Example::

    >>> rec = reconcile.reconcile(live_trades, backtest_trades)
    >>> reconciliation_chart(rec).show()                       # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ftnotebook.plots._style import defaults
from ftnotebook.reconcile import Reconciliation

__all__ = ["reconciliation_chart"]


def reconciliation_chart(
    rec: Reconciliation,
    *,
    stake_currency: str | None = None,
    title: str = "Backtest vs live",
    height: int | None = None,
) -> go.Figure:
    """Live and backtest equity, the trades only one side made, and per-trade differences.

    Top row: cumulative closed profit of the live trades and of the backtest, in the
    stake currency; triangles mark live-only trades, crosses backtest-only trades, and
    diamonds matched trades whose exit reason or price differs (hover: the slips and the
    reason). Bottom row: each matched trade's profit difference (live − backtest) at its
    close. ``stake_currency`` labels the axes; by default it is read from the live
    trades' ``quote_currency``, else left out.
    """
    if not isinstance(rec, Reconciliation):
        raise ValueError(f"rec must be a Reconciliation, got {type(rec).__name__}")
    unit = stake_currency or _currency(rec.live_trades)
    suffix = f" ({unit})" if unit else ""
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        row_heights=[0.7, 0.3],
        vertical_spacing=0.06,
        subplot_titles=("Cumulative closed profit", "Profit difference per matched trade"),
    )
    live = _equity(rec.live_trades)
    back = _equity(rec.backtest_trades)
    for name, eq, color in (
        ("Live", live, defaults.color("profit")),
        ("Backtest", back, defaults.color("trade_count")),
    ):
        fig.add_trace(
            go.Scatter(
                x=eq["close_date"],
                y=eq["equity"],
                name=name,
                mode="lines",
                line={"shape": "hv", "color": color, "width": 2},
                hovertemplate=f"{name}: %{{y:,.4f}}{suffix}<extra>%{{x}}</extra>",
            ),
            row=1,
            col=1,
        )
    _mark(fig, rec.live_only, live, "Live only", "triangle-up", defaults.color("enter_long"))
    _mark(fig, rec.backtest_only, back, "Backtest only", "x", defaults.color("exit_long"))
    m = rec.matched
    differs = m.loc[(~m["exit_reason_match"]) | (m["exit_price_slip"].abs() > 1e-12)]
    differs = differs.loc[differs["entry_slip"].notna()]
    if not differs.empty:
        at = _at(live, differs["close_date_live"])
        text = [
            f"{p}: exit {rl} (backtest {rb}), exit price {s:+.3%}, entry {e}"
            for p, rl, rb, s, e in zip(
                differs["pair"],
                differs["exit_reason_live"],
                differs["exit_reason_backtest"],
                differs["exit_price_slip"],
                differs["entry_slip"],
                strict=True,
            )
        ]
        fig.add_trace(
            go.Scatter(
                x=differs["close_date_live"],
                y=at,
                name="Exit differs",
                mode="markers",
                marker={"symbol": "diamond", "size": 9, "color": defaults.color("open_profit")},
                text=text,
                hovertemplate="%{text}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    colors = [
        defaults.color("trade_win") if v >= 0 else defaults.color("trade_loss")
        for v in m["profit_diff"]
    ]
    fig.add_trace(  # markers, not bars: a bar on a time axis is a hairline
        go.Scatter(
            x=m["close_date_live"],
            y=m["profit_diff"],
            name="Difference",
            mode="markers",
            marker={"color": colors, "size": 7},
            showlegend=False,
            customdata=m["pair"],
            hovertemplate=f"%{{customdata}}: %{{y:+,.6f}}{suffix}<extra>%{{x}}</extra>",
        ),
        row=2,
        col=1,
    )
    total = rec.total_difference
    fig.update_layout(
        title={
            "text": f"{title}<br><sup>live − backtest: {total:+,.4f}{suffix}; "
            f"{len(m)} matched, {len(rec.live_only)} live only, "
            f"{len(rec.backtest_only)} backtest only</sup>",
            "x": 0.01,
        },
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 1, "xanchor": "right"},
        margin={"t": 110},
        autosize=True,
        **defaults.layout(height=height or 650),
    )
    fig.update_yaxes(title_text=f"Profit{suffix}", row=1, col=1)
    fig.update_yaxes(title_text=f"Live − backtest{suffix}", zeroline=True, row=2, col=1)
    fig.update_xaxes(title_text="Close time (UTC)", row=2, col=1)
    return fig


def _currency(trades: pd.DataFrame) -> str | None:
    if "quote_currency" not in trades.columns:
        return None
    values = trades["quote_currency"].dropna().astype(str).unique()
    return str(values[0]) if len(values) == 1 else None


def _equity(trades: pd.DataFrame) -> pd.DataFrame:
    data = trades.sort_values("close_date", kind="stable")
    return pd.DataFrame(
        {"close_date": data["close_date"].to_numpy(), "equity": data["profit_abs"].cumsum()}
    )


def _at(equity: pd.DataFrame, when: pd.Series) -> list[float]:
    """The equity curve's value at each time (after the trades closed by then)."""
    pos = equity["close_date"].searchsorted(pd.to_datetime(when, utc=True), side="right") - 1
    values = equity["equity"].to_numpy()
    return [float(values[p]) if p >= 0 else 0.0 for p in pos]


def _mark(
    fig: Any, trades: pd.DataFrame, equity: pd.DataFrame, name: str, symbol: str, color: str
) -> None:
    if trades.empty:
        return
    reasons = trades["reason"].fillna("no reason in the data")
    text = [
        f"{p}, opened {o:%Y-%m-%d %H:%M}: {r}; profit {v:+,.4f}"
        for p, o, r, v in zip(
            trades["pair"], trades["open_date"], reasons, trades["profit_abs"], strict=True
        )
    ]
    fig.add_trace(
        go.Scatter(
            x=trades["close_date"],
            y=_at(equity, trades["close_date"]),
            name=name,
            mode="markers",
            marker={"symbol": symbol, "size": 11, "color": color, "line": {"width": 1}},
            text=text,
            hovertemplate="%{text}<extra>" + name + "</extra>",
        ),
        row=1,
        col=1,
    )
