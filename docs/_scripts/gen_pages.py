"""Write the generated pages (mkdocs-gen-files runs this at every build).

The API reference and the schema table come from the package (docgen.py); the chart
gallery draws every chart function on the bot the build runs against (gallery.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import mkdocs_gen_files

sys.path.insert(0, str(Path(__file__).parent))

import docgen
import gallery

for path, text in docgen.reference_pages().items():
    with mkdocs_gen_files.open(path, "w") as f:
        f.write(text)

with mkdocs_gen_files.open("schemas.md", "w") as f:
    f.write(docgen.schema_page())

for path, content in gallery.gallery_files().items():
    with mkdocs_gen_files.open(path, "wb" if isinstance(content, bytes) else "w") as f:
        f.write(content)
