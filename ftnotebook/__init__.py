"""ftnotebook: a running freqtrade bot inside a Jupyter notebook.

The public API is flat: import what you need from ``ftnotebook``.

>>> from ftnotebook import FtClient, NotFound
>>> client = FtClient("http://127.0.0.1:8080", "freqtrader", "secret")  # doctest: +SKIP
"""

from __future__ import annotations

from ftnotebook import frames, metrics, models, plots, schemas
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
from ftnotebook.frames import TradeHistory
from ftnotebook.live import LiveFeed
from ftnotebook.schemas import SchemaError
from ftnotebook.settings import ConnectionSettings, InsecureConnectionWarning, Secret

__version__ = "0.1.0"

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
    "TradeHistory",
    "Unauthorized",
    "UnexpectedResponse",
    "WrongMode",
    "__version__",
    "frames",
    "metrics",
    "models",
    "plots",
    "schemas",
]
