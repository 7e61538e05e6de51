"""Typed pandas DataFrames for every tabular response of the freqtrade REST API.

Pure conversions (payload → frame) live beside the fetching helpers; every frame's
columns are documented in :mod:`ftnotebook.schemas`.
"""

from __future__ import annotations

from ftnotebook.frames._candles import (
    candles_frame,
    candles_from_split,
    pair_candles,
    pair_history,
)

__all__ = ["candles_frame", "candles_from_split", "pair_candles", "pair_history"]
