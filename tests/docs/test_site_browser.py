"""The built site in a real Chromium: the index and a notebook page, no console errors.

The site is served from the ``built_site`` directory by a local static server (what
``make docs-serve`` does) and read offline: a page that loaded a script from a CDN, or
whose plotly figures failed to draw, would log console errors here.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, browser_or_skip
from tests.docs.conftest import BuiltSite

pytestmark = pytest.mark.browser

NOTEBOOK_PAGE = "notebooks/03_strategy_inspection/"
"""A notebook page with plotly figures (candles, indicators, trades) in its outputs."""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(built_site.path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page(tmp_path: Path) -> Iterator[tuple[Any, list[str]]]:
    browser_or_skip()
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1300, "height": 1000},
        )
        try:
            pg = context.new_page()
            pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            pg.on("pageerror", lambda exc: errors.append(str(exc)))
            yield pg, errors
        finally:
            context.close()


def test_index_renders_with_its_navigation(
    site_url: str, page: tuple[Any, list[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    from playwright.sync_api import expect

    pg, errors = page
    pg.goto(f"{site_url}/")
    expect(pg.locator("h1").first).to_have_text(re.compile(r"^ftnotebook"))  # then a ¶
    nav = pg.locator("nav.md-nav--primary")
    for label in ("Getting started", "Recipes", "Chart gallery", "Schema table", "Security"):
        expect(nav.get_by_text(label, exact=True).first).to_be_attached()
    pg.screenshot(path=str(tmp_path_factory.mktemp("shots") / "docs_index.png"))
    assert errors == []


def test_notebook_page_shows_the_executed_figures(
    site_url: str, page: tuple[Any, list[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    from playwright.sync_api import expect

    pg, errors = page
    pg.goto(f"{site_url}/{NOTEBOOK_PAGE}")
    plot = pg.locator(".js-plotly-plot .main-svg").first
    expect(plot).to_be_attached(timeout=30_000)
    expect(pg.locator(".jp-OutputArea-output").first).to_be_visible()
    candles = pg.locator(".js-plotly-plot .trace.ohlc, .js-plotly-plot g.boxlayer .trace")
    assert candles.count() >= 1, "the candle chart drew no candle trace"
    shots = tmp_path_factory.mktemp("shots")
    pg.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    pg.screenshot(path=str(shots / "docs_notebook.png"))
    assert errors == []
