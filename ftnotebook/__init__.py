"""ftnotebook: a running freqtrade bot inside a Jupyter notebook.

The public API is flat: import what you need from ``ftnotebook``.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
