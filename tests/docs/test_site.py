"""The built documentation site: strict, complete, and executed against the real bots."""

from __future__ import annotations

import html
import importlib
import re
from pathlib import Path

import docgen  # docs/_scripts/docgen.py (on sys.path through conftest.py)
import nbformat
import pytest

import ftnotebook
from ftnotebook.schemas import SCHEMAS
from tests.docs.conftest import ROOT, BuiltSite

# The first test to ask for ``built_site`` builds the site (notebooks included) in its setup.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

_ID = re.compile(r'\bid="([^"]+)"')


def ids_of(site: BuiltSite, page_md: str) -> set[str]:
    """Every ``id`` on the built page of ``reference/frames.md``."""
    return set(_ID.findall(site.page(page_md.removesuffix(".md"))))


def test_every_public_name_has_a_reference_entry(built_site: BuiltSite) -> None:
    """Each name of ``ftnotebook.__all__`` and of every public subpackage's ``__all__`` is
    an entry of the built API reference: an anchor rendered by mkdocstrings on its page."""
    plan = {(e.module, e.name): e for e in docgen.reference_plan()}
    expected = [("ftnotebook", name) for name in ftnotebook.__all__]
    for module_name in docgen.public_modules()[1:]:
        module = importlib.import_module(module_name)
        expected += [(module_name, name) for name in module.__all__]
    assert set(plan) == set(expected)

    missing = []
    pages: dict[str, set[str]] = {}
    for key in expected:
        entry = plan[key]
        ids = pages.setdefault(entry.page, ids_of(built_site, entry.page))
        if entry.anchor not in ids:
            missing.append(f"{key[0]}.{key[1]} (expected #{entry.anchor} on {entry.page})")
    assert not missing, f"names without a reference entry: {missing}"


def test_every_public_subpackage_has_a_page() -> None:
    """A new subpackage with an ``__all__`` (backtest, report, fleet ...) gets a page."""
    import pkgutil

    subpackages = {
        f"ftnotebook.{m.name}"
        for m in pkgutil.iter_modules(ftnotebook.__path__)
        if m.ispkg and not m.name.startswith("_")
    }
    with_all = {name for name in subpackages if hasattr(importlib.import_module(name), "__all__")}
    assert with_all, "no public subpackage found"
    assert with_all <= set(docgen.public_modules())


def test_schema_table_lists_every_frame_column(built_site: BuiltSite) -> None:
    """The schema page is generated from SCHEMAS: every frame, every column and dtype."""
    page = html.unescape(built_site.page("schemas"))
    for name, schema in SCHEMAS.items():
        assert f'id="schema-{name}"' in page, name
        section = page.split(f'id="schema-{name}"', 1)[1].split('<h2 id="schema-', 1)[0]
        for column in schema.columns:
            assert f"<code>{column.name}</code>" in section, (name, column.name)
            assert f"<code>{column.dtype}</code>" in section, (name, column.name)


def test_notebooks_appear_executed_in_the_site_only(built_site: BuiltSite) -> None:
    """Each notebook's page shows outputs the bot produced; the files in git have none."""
    from mkdocs.config import load_config

    ignored = load_config(str(ROOT / "mkdocs.yml"))["plugins"]["mkdocs-jupyter"].config[
        "execute_ignore"
    ]
    notebooks = [
        p
        for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        if not any(Path("docs/notebooks", p.name).match(pattern) for pattern in ignored)
    ]
    assert notebooks
    for path in [*notebooks, ROOT / "docs" / "recipes.ipynb"]:
        nb = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), path.name
        rel = (
            path.relative_to(ROOT / "docs")
            if path.parent.name == "docs"
            else Path("notebooks", path.name)
        )
        page = built_site.page(str(rel.with_suffix("")))
        assert "jp-OutputArea-output" in page, f"{path.name}: no outputs in the built page"
        assert "Traceback" not in page, f"{path.name}: a traceback in the built page"


def test_gallery_draws_every_chart_function(built_site: BuiltSite) -> None:
    """Every ``*_chart`` function of ftnotebook.plots has an interactive figure."""
    import gallery

    page = built_site.page("gallery")
    names = gallery.chart_functions()
    assert names
    drawn = [n for n in names if f'id="gallery-{n}"' in page]
    unnamed = [n for n in names if f"ftnotebook.plots.{n}" not in page]
    assert not unnamed, f"chart functions the gallery neither draws nor lists: {unnamed}"
    # the single-bot charts (trades, daily, wallet, candles) are drawn from the demo bot;
    # the others (a fleet's trades ...) are listed until the gallery has a sample for them
    assert len(drawn) >= 9, f"only {drawn} drawn of {names}"
    assert (built_site.path / gallery.PLOTLY_JS).stat().st_size > 1_000_000


def test_build_is_strict_and_offline(built_site: BuiltSite) -> None:
    """mkdocs.yml turns every warning into a failure, and no page loads a CDN script."""
    import logging

    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    assert config["strict"] is True
    links = config["validation"]["links"]
    assert links["not_found"] == links["anchors"] == logging.WARNING  # strict: fatal
    external = re.compile(r"<script[^>]+src=\"https?://")
    for page in built_site.path.rglob("index.html"):
        assert not external.search(page.read_text("utf-8")), page


def test_each_recipe_is_at_most_five_lines() -> None:
    """Every recipe of docs/recipes.ipynb (a code cell after the shared setup) is <= 5 lines,
    and the six tasks of the recipes page each have a section."""
    nb = nbformat.read(ROOT / "docs" / "recipes.ipynb", as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 5
    for source in code[1:]:
        lines = [line for line in source.splitlines() if line.strip()]
        assert len(lines) <= 5, source
    headings = " ".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    for task in (
        "best pair last week",
        "max drawdown",
        "lock a pair for an hour",
        "export trades to csv",
        "compare two backtests",
        "tear sheet as html",
    ):
        assert f"## {task}" in headings or task in headings, task


_LINK = re.compile(r'<(?:a|link|script|img)\b[^>]*?\b(?:href|src)="([^"#?]+)[^"]*"')


_INLINE_SCRIPT = re.compile(r"(<script\b[^>]*>).*?</script>", re.S | re.I)


def broken_links(site: Path) -> list[str]:
    """Relative links of every built page whose target is not in the site.

    mkdocs validates the links of Markdown pages; this also covers the HTML that
    mkdocs-jupyter renders from the notebooks' Markdown cells, which mkdocs never sees.
    """
    broken = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text("utf-8", errors="replace")
        text = _INLINE_SCRIPT.sub(r"\1</script>", text)  # plotly.js holds '<a href=' too
        for target in _LINK.findall(text):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("//"):
                continue  # external (https:, mailto:, data:)
            base = site if target.startswith("/") else page.parent  # 404.html: root-relative
            path = (base / html.unescape(target).lstrip("/")).resolve()
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                broken.append(f"{page.relative_to(site)} -> {target}")
    return broken


def test_no_page_links_to_a_missing_file(built_site: BuiltSite) -> None:
    assert broken_links(built_site.path) == []
