"""HTML of a tear sheet: KPI tables and figures, plotly.js embedded once."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.io as pio
from plotly.offline import get_plotlyjs

__all__ = ["page", "report_body"]

_CSS = """
.ftnb-report{font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;
  color:#222;max-width:1200px}
.ftnb-report h2{margin:0.2em 0}
.ftnb-report .ftnb-meta{color:#555;margin-bottom:0.8em}
.ftnb-report .ftnb-kpis{display:flex;flex-wrap:wrap;gap:18px;margin-bottom:1em;
  align-items:flex-start}
.ftnb-report table.ftnb-kpi{border-collapse:collapse;font-size:13px;min-width:300px}
.ftnb-report table.ftnb-kpi caption{text-align:left;font-weight:600;padding:4px 0}
.ftnb-report table.ftnb-kpi td{padding:2px 10px;border-bottom:1px solid #eee}
.ftnb-report table.ftnb-kpi td.v{text-align:right;font-variant-numeric:tabular-nums}
.ftnb-report .ftnb-fig{margin:8px 0 18px 0}
"""

_GROUP_TITLES = {
    "freqtrade": "freqtrade (same formulas as /profit and backtesting)",
    "returns": "Daily returns (365-day year)",
    "benchmark": "Against buy & hold of the pairlist",
}


def _kpi_tables(table: pd.DataFrame, notes: Mapping[str, str]) -> str:
    parts = []
    for group, rows in table.groupby("group", sort=False):
        body = "".join(
            f'<tr><td title="{html.escape(notes.get(str(name), ""))}">'
            f"{html.escape(str(row.title))}</td>"
            f'<td class="v" data-kpi="{html.escape(str(name))}">'
            f"{html.escape(str(row.value))}</td></tr>"
            for name, row in rows.iterrows()
        )
        caption = html.escape(_GROUP_TITLES.get(str(group), str(group)))
        parts.append(f'<table class="ftnb-kpi"><caption>{caption}</caption>{body}</table>')
    return f'<div class="ftnb-kpis">{"".join(parts)}</div>'


def report_body(
    *,
    title: str,
    meta: str,
    table: pd.DataFrame,
    notes: Mapping[str, str],
    figures: Mapping[str, Any],
    plotlyjs: bool,
) -> str:
    """One ``<div>`` holding the whole report; with ``plotlyjs`` it carries plotly.js
    inline first (once), so it renders without any network."""
    config = {"displaylogo": False, "responsive": True}
    figs = "".join(
        f'<div class="ftnb-fig" data-figure="{html.escape(name)}">'
        + pio.to_html(fig, full_html=False, include_plotlyjs=False, config=config)
        + "</div>"
        for name, fig in figures.items()
    )
    script = ""
    if plotlyjs:
        script = (
            '<script type="text/javascript">window.PlotlyConfig = {MathJaxConfig: "local"};'
            "</script>"
            f'<script type="text/javascript">{get_plotlyjs()}</script>'
        )
    return (
        f"<style>{_CSS}</style>{script}"
        f'<div class="ftnb-report"><h2>{html.escape(title)}</h2>'
        f'<div class="ftnb-meta">{html.escape(meta)}</div>'
        f"{_kpi_tables(table, notes)}{figs}</div>"
    )


def page(title: str, body: str) -> str:
    """A complete HTML document around ``body``."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body>{body}</body></html>"
    )
