"""A griffe extension: the reST bits of ftnotebook's docstrings, as the site's Markdown.

The docstrings are written for ``help()`` and Sphinx-style roles. Before mkdocstrings
renders them, this turns

* ``:class:`~ftnotebook.FtClient``` (and ``:func:``, ``:meth:``, ``:mod:``, ``:data:``,
  ``:attr:``, ``:exc:``, ``:obj:``) into a cross-reference that links when the target is
  documented in the site and stays plain code otherwise (autorefs' ``optional``);
* ``>>>`` doctest blocks into ``pycon`` code blocks;
* ````SCHEMAS["daily"]```` into a link to that frame's section of the schema table;
* a paragraph ending in ``::`` (a reST literal block follows) into one ending in ``:``.

The docstrings themselves are not changed.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_DOCTEST_DIRECTIVE = re.compile(r"\s*# doctest:.*$")
_SCHEMA = re.compile(r'``SCHEMAS\["(\w+)"\]``')
_ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|exc|obj|const):`(~?)([^`<>]+?)`")


def _role(match: re.Match[str], context: str) -> str:
    tilde, target = match.group(1), match.group(2).strip()
    shown = target.rsplit(".", 1)[-1] if tilde else target
    if not target.startswith("ftnotebook"):
        target = f"{context}.{target}"
    return f'<autoref identifier="{target}" optional><code>{shown}</code></autoref>'


def _schema_link(match: re.Match[str]) -> str:
    """``SCHEMAS["daily"]`` links to its section of the schema table (``#schema-daily``)."""
    from ftnotebook.schemas import SCHEMAS

    name = match.group(1)
    if name not in SCHEMAS:
        return match.group(0)
    return f'[`SCHEMAS["{name}"]`][schema-{name}]'


def convert(text: str, context: str) -> str:
    """The docstring ``text`` of an object in module or class ``context``, as Markdown."""
    text = _ROLE.sub(lambda m: _role(m, context), text)
    text = _SCHEMA.sub(_schema_link, text)
    out: list[str] = []
    in_doctest = False
    fence_indent = ""
    for line in text.splitlines():
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if stripped.startswith(">>>") and not in_doctest:
            if out and out[-1].strip() and not indent:  # not inside a section: "Example:"
                out.append("")
            out.append(f"{indent}```pycon")
            fence_indent = indent
            in_doctest = True
        elif in_doctest and not stripped:
            out.append(f"{fence_indent}```")
            in_doctest = False
        if in_doctest:
            line = _DOCTEST_DIRECTIVE.sub("", line)  # "# doctest: +SKIP" is for the runner
        elif line.rstrip().endswith("::"):
            line = line.rstrip()[:-1]
        out.append(line)
    if in_doctest:
        out.append(f"{fence_indent}```")
    return "\n".join(out)


_MODELS = "ftnotebook.models"


def returns_note(obj: griffe.Object, text: str) -> str:
    """A ``Returns:`` section for a function whose docstring has none, from its annotation.

    The site then shows the return type (linked to its reference entry, e.g. the
    ``TypedDict`` of ``ftnotebook.models`` a client method returns) with one line on it.
    """
    if not obj.is_function or re.search(r"^\s*(Returns|Yields):", text, re.M):
        return text
    annotation = getattr(obj, "returns", None)
    shown = str(annotation) if annotation is not None else ""
    if not shown or shown in ("None", "Any", "NoReturn") or obj.name.startswith("__"):
        return text
    try:
        canonical = str(getattr(annotation, "canonical_path", "") or "")
    except Exception:  # an annotation griffe cannot resolve: say nothing
        return text
    if not canonical.startswith(_MODELS):
        return text
    what = "The bot's answer, decoded and typed (the keys are those of freqtrade's API)."
    return f"{text.rstrip()}\n\nReturns:\n    {what}"


class RstToMarkdown(griffe.Extension):
    """Apply :func:`convert` to every docstring griffe loads, and add the ``Returns:``
    section a function's docstring lacks (:func:`returns_note`)."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is None:
            return
        context = obj.path if obj.is_class or obj.is_module else obj.parent.path  # type: ignore[union-attr]
        text = returns_note(obj, obj.docstring.value)
        obj.docstring.value = convert(text, context)
