"""The chart gallery: every chart function of ``ftnotebook.plots``, drawn on a real bot.

Each ``*_chart`` name in ``ftnotebook.plots.__all__`` is called on data fetched from the
bot the build runs against (``FtClient.from_env()``: the demo bot under ``make docs``, the
test session's bot under the test suite). What it is called with is chosen by the name of
its first parameter (``trades``, ``periods``, ``balance``, ``data``, ``client``), so a new
chart function that takes one of those appears without editing this file; one that takes
something else is listed at the end of the page as having no sample yet.

Figures are embedded interactive, with one local copy of plotly.js (the site works offline).
"""

from __future__ import annotations

import inspect
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.plugins.ftnotebook.gallery")

PLOTLY_JS = "assets/plotly.min.js"


@dataclass(frozen=True)
class Sample:
    """How to get a chart's first argument: the code shown and the value used."""

    setup: str
    call: str
    value: Callable[[], Any]


def _samples(client: Any) -> dict[str, Sample]:
    from ftnotebook import TradeHistory, frames

    cfg = client.show_config()
    pair = client.whitelist()["whitelist"][0]
    timeframe = cfg["timeframe"]
    cache: dict[str, Any] = {}

    def once(key: str, make: Callable[[], Any]) -> Callable[[], Any]:
        def get() -> Any:
            if key not in cache:
                cache[key] = make()
            return cache[key]

        return get

    trades = once("trades", lambda: TradeHistory(client).frame(include_open=True))
    return {
        "trades": Sample(
            "trades = TradeHistory(client).frame(include_open=True)", "{f}(trades)", trades
        ),
        "periods": Sample(
            "daily = frames.daily(client, 30)",
            "{f}(daily)",
            once("daily", lambda: frames.daily(client, 30)),
        ),
        "balance": Sample(
            "balance = frames.historic_balance(client)",
            "{f}(balance)",
            once("balance", lambda: frames.historic_balance(client)),
        ),
        "data": Sample(
            f'candles = frames.pair_candles(client, "{pair}", "{timeframe}", limit=300)\n'
            "trades = TradeHistory(client).frame(include_open=True)",
            "{f}(candles, trades=trades, client=client)",
            once("candles", lambda: frames.pair_candles(client, pair, timeframe, limit=300)),
        ),
        "client": Sample("", f'{{f}}(client, "{pair}", "{timeframe}", limit=300)', lambda: client),
    }


def _call(func: Callable[..., Any], first: str, value: Any, client: Any, trades: Any) -> Any:
    if first == "data":
        return func(value, trades=trades, client=client)
    if first == "client":
        pair = client.whitelist()["whitelist"][0]
        return func(client, pair, client.show_config()["timeframe"], limit=300)
    return func(value)


def chart_functions() -> list[str]:
    """The gallery's subjects: every ``*_chart`` function in ``ftnotebook.plots.__all__``."""
    from ftnotebook import plots

    return [n for n in plots.__all__ if n.endswith("_chart") and callable(getattr(plots, n))]


def gallery_files() -> dict[str, str | bytes]:
    """``{path: content}``: ``gallery.md`` and the local plotly.js it loads."""
    import plotly
    from plotly.basedatatypes import BaseFigure

    from ftnotebook import FtClient, plots

    lines = [
        "# Chart gallery\n\n",
        "Every chart function of [`ftnotebook.plots`][ftnotebook.plots], drawn on the demo "
        "bot when this site was built. Each is a plain plotly figure: hover, zoom, pan, "
        "double-click to reset. Above each chart, the code that drew it (with "
        "`client = FtClient.from_env()` and `from ftnotebook import TradeHistory, frames, "
        "plots`).\n\n",
    ]
    if not os.environ.get("FTNOTEBOOK_URL"):
        log.warning(
            "gallery: FTNOTEBOOK_URL is not set, so no chart was drawn (`make docs` "
            "starts the demo bot and sets it)"
        )
        lines.append("!!! warning\n    Built without a bot: no chart was drawn.\n")
        return {"gallery.md": "".join(lines)}
    client = FtClient.from_env()
    samples = _samples(client)
    trades = samples["trades"].value()
    missing = []
    figures = 0
    for name in chart_functions():
        func = getattr(plots, name)
        params = list(inspect.signature(func).parameters)
        first = params[0] if params else ""
        sample = samples.get(first)
        if sample is None:
            missing.append(name)
            continue
        try:
            fig = _call(func, first, sample.value(), client, trades)
        except ValueError as exc:  # wants another input, e.g. a fleet's trades with "bot"
            log.info("gallery: %s not drawn: %s", name, str(exc)[:120])
            missing.append(name)
            continue
        if not isinstance(fig, BaseFigure):
            missing.append(name)
            continue
        fig.update_layout(height=min(fig.layout.height or 450, 650))
        summary = (inspect.getdoc(func) or "").split("\n\n", 1)[0].replace("\n", " ")
        code = "\n".join(x for x in (sample.setup, sample.call.format(f=f"plots.{name}")) if x)
        html = fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"gallery-{name}")
        lines += [
            f"## `{name}`\n\n",
            f"[Reference][ftnotebook.plots.{name}]. {_markdown_summary(summary)}\n\n",
            f"```python\n{code}\n```\n\n",
            '<div class="ftnb-figure" markdown="0">\n',
            html.replace("\n\n", "\n"),
            "\n</div>\n\n",
        ]
        figures += 1
    if missing:
        lines.append("## Not drawn here\n\n")
        lines.append("These chart functions take an input the gallery has no sample for yet: ")
        lines.append(", ".join(f"[`{n}`][ftnotebook.plots.{n}]" for n in missing) + ".\n")
    log.info("gallery: %d figures, %d without a sample", figures, len(missing))
    js = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    script = f'<script src="../{PLOTLY_JS}"></script>\n\n'
    lines.insert(2, script)
    return {"gallery.md": "".join(lines), PLOTLY_JS: js}


def _markdown_summary(text: str) -> str:
    """The first paragraph of a docstring, its reST ``literals`` as Markdown code."""
    import re

    import griffe_rst  # type: ignore[import-not-found]

    return griffe_rst.convert(re.sub(r"``([^`]+)``", r"`\1`", text), "ftnotebook.plots")
