"""What the generated pages of the documentation site hold, computed from the package.

The API reference, the schema table and the chart gallery are written at build time
(``gen_pages.py``, run by mkdocs-gen-files) from what ``ftnotebook`` exports, so a
name another branch adds to an ``__all__`` shows up in the site without anyone editing
a page. ``tests/docs/`` imports this module too, to check the built site against it.

* :func:`public_modules`: ``ftnotebook`` and every public subpackage with an ``__all__``.
* :func:`reference_plan`: for every ``(module, name)`` of those ``__all__`` lists, the
  reference page and the anchor (``id``) where the name is documented.
* :func:`reference_pages`: the Markdown of every reference page (mkdocstrings ``:::``).
* :func:`schema_page`: the table of every frame's columns, from ``ftnotebook.schemas``.
"""

from __future__ import annotations

import importlib
import pkgutil
import types
from dataclasses import dataclass
from typing import Any

import ftnotebook

PACKAGE = "ftnotebook"
REFERENCE_DIR = "reference"

#: Subpackages that are not part of the library's API (no ``__all__`` is expected).
NOT_API = {"ftnotebook.demo"}

#: Where the names of the top-level namespace are documented, by defining module.
TOP_LEVEL_PAGES = {
    "ftnotebook.client": ("client", "FtClient"),
    "ftnotebook.exceptions": ("exceptions", "Exceptions"),
    "ftnotebook.settings": ("settings", "Connection settings"),
}
TOP_LEVEL_OTHER = ("ftnotebook", "ftnotebook")
#: mkdocstrings options for a module's own docstring, without its members.
MODULE_DOC_ONLY = "    options:\n      members: false\n      show_root_heading: false\n"


@dataclass(frozen=True)
class Entry:
    """One public name: where it is exported, and where the site documents it."""

    module: str
    """The module whose ``__all__`` lists the name (``ftnotebook.frames``)."""
    name: str
    page: str
    """The reference page, relative to the docs directory (``reference/frames.md``)."""
    anchor: str
    """The ``id`` of the entry on that page: the identifier mkdocstrings renders."""
    documented_here: bool
    """False when the page only links to the entry's full documentation elsewhere."""


def public_modules() -> list[str]:
    """``ftnotebook`` plus every public submodule listed in its ``__all__`` and every
    public subpackage, when it has an ``__all__``; sorted, ``ftnotebook`` first."""
    found = {PACKAGE}
    for name in ftnotebook.__all__:
        if isinstance(getattr(ftnotebook, name), types.ModuleType):
            found.add(f"{PACKAGE}.{name}")
    for info in pkgutil.iter_modules(ftnotebook.__path__):
        if info.ispkg and not info.name.startswith("_"):
            found.add(f"{PACKAGE}.{info.name}")
    modules = []
    for module_name in sorted(found - NOT_API):
        module = importlib.import_module(module_name)
        if hasattr(module, "__all__"):
            modules.append(module_name)
    return sorted(modules, key=lambda m: (m != PACKAGE, m))


def page_of(module_name: str) -> str:
    """``reference/frames.md`` for ``ftnotebook.frames``."""
    short = module_name.removeprefix(f"{PACKAGE}.") if module_name != PACKAGE else PACKAGE
    return f"{REFERENCE_DIR}/{short}.md"


def _canonical(obj: Any) -> str | None:
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if isinstance(module, str) and isinstance(qualname, str) and "<" not in qualname:
        return f"{module}.{qualname}"
    return None


def reference_plan() -> list[Entry]:
    """Every ``(module, name)`` of the public ``__all__`` lists and where it is documented.

    A subpackage's names are documented on the subpackage's page. A top-level name that a
    documented subpackage also exports (``ftnotebook.TradeHistory`` is
    ``ftnotebook.frames.TradeHistory``) is documented there once and linked from the
    top-level index; the others are documented on the page of their defining module
    (``FtClient`` on ``reference/client.md``). A top-level name that is a module links to
    that module's page.
    """
    modules = public_modules()
    entries: list[Entry] = []
    exported_by: dict[int, Entry] = {}
    for module_name in modules[1:]:
        module = importlib.import_module(module_name)
        lazy = _lazy_names(module)  # before getattr: some modules cache what they serve
        for name in module.__all__:
            obj = getattr(module, name)
            anchor = f"{module_name}.{name}"
            if name in lazy and (canonical := _canonical(obj)):
                anchor = canonical
            entry = Entry(module_name, name, page_of(module_name), anchor, True)
            entries.append(entry)
            if not isinstance(obj, (int, float, str, tuple, dict, frozenset)):
                exported_by.setdefault(id(obj), entry)
    for name in ftnotebook.__all__:
        obj = getattr(ftnotebook, name)
        if isinstance(obj, types.ModuleType):
            if obj.__name__ in modules:
                page = page_of(obj.__name__)
                entries.append(Entry(PACKAGE, name, page, obj.__name__, False))
                continue
        elif id(obj) in exported_by:
            home = exported_by[id(obj)]
            entries.append(Entry(PACKAGE, name, home.page, home.anchor, False))
            continue
        defining = getattr(obj, "__module__", None)
        short, _title = TOP_LEVEL_PAGES.get(str(defining), TOP_LEVEL_OTHER)
        entries.append(
            Entry(PACKAGE, name, f"{REFERENCE_DIR}/{short}.md", f"{PACKAGE}.{name}", True)
        )
    return entries


def _lazy_names(module: types.ModuleType) -> set[str]:
    """Names in ``__all__`` the module serves only through a module ``__getattr__``.

    Griffe reads the source and cannot follow those, so they are documented at their
    defining module (``ftnotebook.live.FillFeed`` at ``ftnotebook.live.widgets.FillFeed``).
    """
    if "__getattr__" not in vars(module):
        return set()
    return {name for name in module.__all__ if name not in vars(module)}


def _has_private_bases(obj: Any) -> bool:
    """A class built from private mixins (``FtClient``): its methods live in the bases,
    so the reference shows inherited members for it."""
    if not isinstance(obj, type):
        return False
    return any("._" in base.__module__ for base in obj.__mro__[1:] if base is not object)


def _module_title(module_name: str) -> str:
    return f"`{module_name}`"


def reference_pages() -> dict[str, str]:
    """``{path: markdown}`` for every reference page, the index included."""
    plan = reference_plan()
    pages: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for module_name in public_modules()[1:]:
        page = page_of(module_name)
        titles[page] = _module_title(module_name)
        pages[page] = [
            f"# {_module_title(module_name)}\n",
            f"::: {module_name}\n{MODULE_DOC_ONLY}",
        ]
    for short, title in [*TOP_LEVEL_PAGES.values(), TOP_LEVEL_OTHER]:
        page = f"{REFERENCE_DIR}/{short}.md"
        titles[page] = title
        pages.setdefault(page, [f"# {title}\n"])
    pages[f"{REFERENCE_DIR}/ftnotebook.md"][1:1] = [f"::: ftnotebook\n{MODULE_DOC_ONLY}"]
    for entry in plan:
        if not entry.documented_here:
            continue
        options = "    options:\n      show_root_full_path: false\n      heading_level: 2\n"
        if _has_private_bases(getattr(importlib.import_module(entry.module), entry.name)):
            options += "      inherited_members: true\n"
        pages[entry.page].append(f"::: {entry.anchor}\n{options}")
    index = [
        "# API reference\n",
        "Every public name of `ftnotebook` and of its public subpackages, generated from "
        "their `__all__` at build time. Each entry is rendered from the docstring "
        "`help()` shows.\n",
    ]
    for module_name in public_modules():
        names = [e for e in plan if e.module == module_name]
        index.append(f"\n## {_module_title(module_name)}\n")
        if module_name != PACKAGE:
            index.append(f"[The `{module_name}` page]({page_of(module_name).split('/')[-1]})\n")
        index.append("\n| name | documented at |\n| --- | --- |\n")
        for e in names:
            link = f"{e.page.split('/')[-1]}#{e.anchor}"
            index.append(f"| `{e.name}` | [`{e.anchor}`]({link}) |\n")
    result = {path: "\n".join(lines) for path, lines in pages.items()}
    result[f"{REFERENCE_DIR}/index.md"] = "".join(index)
    return result


def reference_nav() -> list[dict[str, str] | str]:
    """The nav entries of the reference section, index first."""
    nav: list[dict[str, str] | str] = [{"Index": f"{REFERENCE_DIR}/index.md"}]
    for short, title in TOP_LEVEL_PAGES.values():
        nav.append({title: f"{REFERENCE_DIR}/{short}.md"})
    nav.append({"Top-level names": f"{REFERENCE_DIR}/ftnotebook.md"})
    for module_name in public_modules()[1:]:
        nav.append({module_name: page_of(module_name)})
    return nav


def schema_page() -> str:
    """The schema table: one section per frame of ``ftnotebook.schemas.SCHEMAS``.

    Each section has the anchor ``schema-<name>`` (``schemas.md#schema-trades``), which
    the frame functions' docstrings link to.
    """
    from ftnotebook.schemas import SCHEMAS

    lines = [
        "# Schema table\n",
        "The columns, dtypes and meanings of every DataFrame ftnotebook builds, generated "
        "from [`ftnotebook.schemas.SCHEMAS`][ftnotebook.schemas.SCHEMAS] when the site is "
        'built, so this page is the code. In a notebook, `SCHEMAS["trades"]` shows the '
        'same table and `SCHEMAS["trades"].empty()` an empty frame with these dtypes.\n',
        "Conventions: timestamps are tz-aware UTC, durations `timedelta64[ms]`, money and "
        "ratios `float64`, counts that may be missing `Int64`, labels `category`, free text "
        "`string`. A column a newer bot adds is kept after these, with the dtype pandas "
        "infers; a missing required column raises `SchemaError`.\n",
        "| frame | route | columns |\n| --- | --- | --- |\n",
    ]
    for name, schema in SCHEMAS.items():
        lines.append(
            f"| [`{name}`](#schema-{name}) | `/{schema.route}` | {len(schema.columns)} |\n"
        )
    for name, schema in SCHEMAS.items():
        lines.append(f"\n## `{name}` {{ #schema-{name} }}\n")
        lines.append(f"From `/{schema.route}`. {schema.doc}\n".rstrip() + "\n")
        lines.append("\n| column | dtype | meaning | JSON key | always present |\n")
        lines.append("| --- | --- | --- | --- | --- |\n")
        rows = []
        if schema.index is not None:
            rows.append((schema.index, True))
        rows.extend((c, False) for c in schema.columns)
        for col, is_index in rows:
            label = f"`{col.name}` (index)" if is_index else f"`{col.name}`"
            source = f"`{col.source}`" if col.source else ""
            meaning = col.meaning.replace("|", "\\|")
            present = "yes" if col.required else "no"
            lines.append(f"| {label} | `{col.dtype}` | {meaning} | {source} | {present} |\n")
    return "".join(lines)
