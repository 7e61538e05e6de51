"""ftnotebook: a running freqtrade bot inside a Jupyter notebook.

The public API is flat: import what you need from ``ftnotebook``.

>>> from ftnotebook import FtClient, NotFound
>>> client = FtClient("http://127.0.0.1:8080", "freqtrader", "secret")  # doctest: +SKIP

The client and the exceptions are imported at once; the parts that need pandas,
numpy or plotly (``frames``, ``metrics``, ``plots``, ``schemas``, ``TradeHistory``,
``SchemaError``) and the live feed (``live``, ``LiveFeed``) are imported on first
use, through the module-level :func:`__getattr__` below. ``import ftnotebook`` (and
so the ``ftnotebook`` CLI) therefore starts as fast as a plain requests client,
while ``ftnotebook.frames`` and ``from ftnotebook import TradeHistory`` work as
before.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ftnotebook import models
from ftnotebook.client import FtClient
from ftnotebook.exceptions import (
    ApiError,
    ConnectionFailed,
    FtNotebookError,
    InvalidRequest,
    LiveFeedAuthError,
    LiveFeedError,
    NotFound,
    RequestTimeout,
    RpcError,
    Unauthorized,
    UnexpectedResponse,
    WrongMode,
)
from ftnotebook.settings import ConnectionSettings, InsecureConnectionWarning, Secret

if TYPE_CHECKING:  # what the lazy names below resolve to, for type checkers and IDEs
    from ftnotebook import analysis, backtest, frames, metrics, plots, reconcile, report, schemas
    from ftnotebook.frames import TradeHistory
    from ftnotebook.live import LiveFeed
    from ftnotebook.report import TearSheet
    from ftnotebook.schemas import SchemaError

__version__ = "0.1.0"

#: Public name -> (module, attribute or None for the module itself), imported on first use.
_LAZY: dict[str, tuple[str, str | None]] = {
    "analysis": ("ftnotebook.analysis", None),
    "backtest": ("ftnotebook.backtest", None),
    "frames": ("ftnotebook.frames", None),
    "live": ("ftnotebook.live", None),
    "metrics": ("ftnotebook.metrics", None),
    "plots": ("ftnotebook.plots", None),
    "reconcile": ("ftnotebook.reconcile", None),
    "report": ("ftnotebook.report", None),
    "schemas": ("ftnotebook.schemas", None),
    "LiveFeed": ("ftnotebook.live", "LiveFeed"),
    "SchemaError": ("ftnotebook.schemas", "SchemaError"),
    "TearSheet": ("ftnotebook.report", "TearSheet"),
    "TradeHistory": ("ftnotebook.frames", "TradeHistory"),
}

__all__ = [
    "ApiError",
    "ConnectionFailed",
    "ConnectionSettings",
    "FtClient",
    "FtNotebookError",
    "InsecureConnectionWarning",
    "InvalidRequest",
    "LiveFeed",
    "LiveFeedAuthError",
    "LiveFeedError",
    "NotFound",
    "RequestTimeout",
    "RpcError",
    "SchemaError",
    "Secret",
    "TearSheet",
    "TradeHistory",
    "Unauthorized",
    "UnexpectedResponse",
    "WrongMode",
    "__version__",
    "analysis",
    "backtest",
    "frames",
    "metrics",
    "models",
    "plots",
    "reconcile",
    "report",
    "schemas",
]


def __getattr__(name: str) -> Any:
    """Import the heavy parts (pandas, plotly, the WebSocket feed) on first access."""
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'ftnotebook' has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
