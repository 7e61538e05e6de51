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
from typing import Any

import pytest

from tests.browser.conftest import LabPage
from tests.docs.conftest import BuiltSite, build_site

# the first test to ask for the site builds it (notebooks included) in its setup
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

NOTEBOOK_PAGE = "notebooks/03_strategy_inspection/"
"""A notebook page with plotly figures (candles, indicators, trades) in its outputs."""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def docs_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> BuiltSite:
    """The site ``tests/docs`` builds (once per session, whichever asks first)."""
    return build_site(request, tmp_path_factory)


@pytest.fixture(scope="module")
def site_url(docs_site: BuiltSite) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(docs_site.path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_index_renders_with_its_navigation(
    site_url: str, lab_page: LabPage, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from playwright.sync_api import expect

    pg, errors = lab_page.page, lab_page.console_errors
    pg.goto(f"{site_url}/")
    expect(pg.locator("h1").first).to_have_text(re.compile(r"^ftnotebook"))  # then a ¶
    nav = pg.locator("nav.md-nav--primary")
    for label in ("Getting started", "Recipes", "Chart gallery", "Schema table", "Security"):
        expect(nav.get_by_text(label, exact=True).first).to_be_attached()
    pg.screenshot(path=str(tmp_path_factory.mktemp("shots") / "docs_index.png"))
    assert errors == []


def test_notebook_page_shows_the_executed_figures(
    site_url: str, lab_page: LabPage, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from playwright.sync_api import expect

    pg, errors = lab_page.page, lab_page.console_errors
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
