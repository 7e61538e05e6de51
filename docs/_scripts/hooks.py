"""mkdocs hooks: fill the generated parts of the nav, keep every page offline.

* ``on_config``: the "Notebooks" section lists every ``notebooks/NN_*.ipynb`` and the
  "API reference" section every generated reference page, so a new notebook or a new
  public subpackage appears without editing ``mkdocs.yml``.
* ``on_post_page``: the notebook pages' loaders for MathJax, RequireJS, Mermaid and the
  widget manager point at CDNs; the site is read offline (and tested so), so those
  external scripts are dropped. Plotly figures carry their own plotly.js.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import docgen

_EXTERNAL_SCRIPT = re.compile(
    r"<script\b[^>]*\bsrc=[\"'](?:https?://[^\"']*)?[\"'][^>]*>\s*</script>", re.IGNORECASE
)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.IGNORECASE | re.DOTALL)
_WIDGET_VIEW = re.compile(
    r"(<script type=\"application/vnd\.jupyter\.widget-view\+json\">.*?</script>)", re.DOTALL
)
WIDGET_NOTE = (
    '<div class="admonition note ftnb-widget"><p>An interactive control: it needs a live '
    "kernel. Run this notebook in JupyterLab (<code>make demo</code>) to use it.</p></div>"
)
NOTEBOOKS = "Notebooks"
REFERENCE = "API reference"


def notebook_nav(docs_dir: Path) -> list[str]:
    """``notebooks/NN_name.ipynb`` for every numbered notebook, in order."""
    return [
        f"notebooks/{p.name}" for p in sorted((docs_dir / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    ]


def on_config(config: Any) -> Any:
    docs_dir = Path(config["docs_dir"])
    for item in config["nav"] or []:
        if isinstance(item, dict) and NOTEBOOKS in item:
            item[NOTEBOOKS] = notebook_nav(docs_dir)
        if isinstance(item, dict) and REFERENCE in item:
            item[REFERENCE] = docgen.reference_nav()
    return config


def _drop_cdn_loader(match: re.Match[str]) -> str:
    """Remove inline scripts that fetch code from a CDN (the widget manager's loader)."""
    script = match.group(0)
    return "" if "unpkg.com/" in script else script


def on_post_page(output: str, page: Any, config: Any) -> str:
    output = _EXTERNAL_SCRIPT.sub("", output)
    output = _SCRIPT.sub(_drop_cdn_loader, output)
    return _WIDGET_VIEW.sub(lambda m: m.group(1) + WIDGET_NOTE, output)
