"""Stack frames of several sources (bots, runs) into one, with a categorical key column.

:func:`concat_frames` is what a fleet (``bot``) or a batch of backtests (``run``) needs:
every categorical column keeps its dtype (categories are the union, sorted as a fetch
sorts them), the key column is categorical in the sources' order, and empty frames
still contribute their columns. :func:`concat_trades` is the same for ``trades`` frames.

>>> import pandas as pd
>>> a = pd.DataFrame({"pair": pd.Categorical(["BTC/USDT"]), "profit_abs": [1.0]})
>>> b = pd.DataFrame({"pair": pd.Categorical(["ETH/BTC"]), "profit_abs": [0.001]})
>>> df = concat_frames({"usdt": a, "btc": b})
>>> df["bot"].tolist(), list(df["bot"].cat.categories), list(df["pair"].cat.categories)
(['usdt', 'btc'], ['usdt', 'btc'], ['BTC/USDT', 'ETH/BTC'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ftnotebook.schemas import SCHEMAS

__all__ = ["concat_frames", "concat_trades"]


def _sorted(values: Iterable[Any]) -> list[Any]:
    try:
        return sorted(values)
    except TypeError:  # mixed types: keep first-seen order
        return list(values)


def concat_frames(
    frames: Mapping[str, pd.DataFrame],
    *,
    key: str = "bot",
    empty: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One frame of ``frames`` (source name → frame), with a categorical ``key`` column first.

    The index is reset. ``empty`` is returned (with the key column added) when there are
    no frames at all.

    Raises:
        ValueError: a frame already has a ``key`` column, or is not a DataFrame.
    """
    for name, frame in frames.items():
        if not isinstance(frame, pd.DataFrame):
            raise ValueError(f"frames[{name!r}] must be a DataFrame, got {type(frame).__name__}")
        if key in frame.columns:
            raise ValueError(f"frames[{name!r}] already has a {key!r} column")
    names = list(frames)
    parts = [f.assign(**{key: name}) for name, f in frames.items()]
    if not parts:
        base = pd.DataFrame() if empty is None else empty.iloc[0:0]
        parts = [base.assign(**{key: pd.Series([], dtype=object)})]
    cats: dict[str, dict[Any, None]] = {}
    for f in parts:
        for col in f.columns:
            if isinstance(f[col].dtype, pd.CategoricalDtype):
                cats.setdefault(col, {}).update(dict.fromkeys(f[col].cat.categories))
    aligned = []
    for f in parts:
        f = f.copy(deep=False)
        for col, union in cats.items():
            if col in f.columns:
                f[col] = f[col].cat.set_categories(_sorted(union))
            else:
                f[col] = pd.Categorical([None] * len(f), categories=_sorted(union))
        aligned.append(f)
    nonempty = [f for f in aligned if len(f)] or aligned[:1]
    out = pd.concat(nonempty, ignore_index=True) if len(nonempty) > 1 else nonempty[0]
    out = out.reset_index(drop=True)
    for f in aligned:  # columns only the empty frames had
        for col in f.columns:
            if col not in out.columns:
                out[col] = pd.Series(index=out.index, dtype=f[col].dtype)
    out[key] = pd.Categorical(out[key].astype(object), categories=names)
    return out[[key, *[c for c in out.columns if c != key]]]


def concat_trades(frames: Mapping[str, pd.DataFrame], *, key: str = "bot") -> pd.DataFrame:
    """:func:`concat_frames` for ``trades`` frames (an empty result keeps the trades schema)."""
    return concat_frames(frames, key=key, empty=SCHEMAS["trades"].empty())
