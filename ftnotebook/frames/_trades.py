"""Every closed trade of a bot as one frame: paginated, deduplicated, refreshed incrementally.

:class:`TradeHistory` keeps the closed trades it has seen. The first :meth:`~TradeHistory.frame`
call fetches every page; later calls ask only for what changed:

* pages come newest close first (``order_by_id=false``), so a trade that closed since the
  last call, even an old one that closed late (a low id landing in the middle of the id
  order), is on the first page;
* paging stops as soon as a page reaches trades already known *and* the known plus new
  trades add up to the bot's ``total_trades``;
* a known trade whose close data changed, or a bot with fewer closed trades than we know,
  means the database was reset or replaced: the history is dropped and fetched in full;
* open trades are never cached: ``include_open=True`` always asks ``/status`` afresh.

Full fetches page by id (a unique key, so pages never overlap or skip). A trade that
closes while the pages are read shifts later pages by one: it shows up twice (deduplicated
by ``trade_id``), never zero times, and a final newest-first pass picks up anything that
closed after its position was read. The result is checked against ``total_trades``.

Page size: measured with ``bench/bench_trades.py`` (``make bench``) on a bot holding
20,000 closed trades, medians of 5 full fetches at 500 / 1,000 / 2,000 trades per page:
the raw floor (``requests`` + ``.json()``) took 6.69 / 6.06 / 5.82 s, this class 7.00 /
6.38 / 6.15 s; the bot's resident memory peaked 7 / 113 / 183 MB above its level before
the first fetch at each size.
The bot's own serialisation dominates whatever the size; 1,000 is 9 % faster than
FreqUI's 500 and only 4 % slower than 2,000, which costs the bot another ~70 MB.
:data:`DEFAULT_PAGE_SIZE` is therefore 1,000, and pages above 2,000 are refused.

Example::

    >>> history = TradeHistory(client)           # or TradeHistory(client, cache=True)
    >>> df = history.frame()                     # all pages, progress bar if > 1 page
    >>> df = history.frame(include_open=True)    # a second later: one small request + /status
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ftnotebook.frames._convert import orders_frame, trades_frame
from ftnotebook.schemas import SCHEMAS

if TYPE_CHECKING:
    from ftnotebook.client import FtClient

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "TradeHistory",
    "default_cache_dir",
    "trades",
]

logger = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 1000
"""Trades per ``/trades`` request for a full fetch (see the module docstring)."""
MAX_PAGE_SIZE = 2000
"""Largest page size accepted, to spare the bot's memory."""
_REFRESH_FIRST_PAGE = 50
_MAX_DELTAS = 32
"""Incremental cache writes kept as small delta files before one full rewrite."""
_CLOSE_KEYS = ("close_timestamp", "close_profit_abs", "close_rate", "pair")


def default_cache_dir() -> Path:
    """``$FTNOTEBOOK_CACHE_DIR``, else ``$XDG_CACHE_HOME/ftnotebook`` or ``~/.cache/ftnotebook``."""
    env = os.environ.get("FTNOTEBOOK_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ftnotebook"


class TradeHistory:
    """The closed trades of one bot, fetched once and then refreshed incrementally.

    Args:
        client: an :class:`~ftnotebook.FtClient` on a trade-mode bot.
        page_size: trades per request for full fetches, 1 to 2,000.
        cache: ``True`` (the user cache dir), a directory, or ``False``. The parquet file
            is keyed by the bot's URL and ``bot_name``; it is validated against the bot
            on every use, so a stale cache is never served.
        progress: show a tqdm progress bar when a full fetch takes more than one page.

    Raises:
        ValueError: ``page_size`` outside 1..2,000, or ``cache`` of the wrong type.
    """

    def __init__(
        self,
        client: FtClient,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        cache: bool | str | os.PathLike[str] = False,
        progress: bool = True,
    ) -> None:
        if isinstance(page_size, bool) or not isinstance(page_size, int):
            raise ValueError(
                f"page_size must be an int from 1 to {MAX_PAGE_SIZE}, got {page_size!r}"
            )
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be from 1 to {MAX_PAGE_SIZE}, got {page_size}")
        if not isinstance(cache, bool | str | os.PathLike):
            raise ValueError(f"cache must be True, False or a directory, got {cache!r}")
        self.client = client
        self.page_size = page_size
        self.progress = progress
        self._cache_dir: Path | None = (
            None if cache is False else default_cache_dir() if cache is True else Path(cache)
        )
        self._records: dict[int, dict[str, Any]] = {}
        self._frame: pd.DataFrame | None = None
        self._orders: pd.DataFrame | None = None
        self.requests_made = 0
        """Requests sent to ``/trades`` by the last :meth:`refresh` (for tests and benchmarks)."""
        self.last_refresh: str = "none"
        """``"full"``, ``"incremental"`` or ``"none"``: what the last :meth:`refresh` did."""

    # ----------------------------------------------------------------- public

    def frame(self, *, include_open: bool = False, refresh: bool = True) -> pd.DataFrame:
        """The ``trades`` frame (schema ``SCHEMAS["trades"]``), sorted by ``trade_id``.

        Args:
            include_open: add the open trades from ``/status`` (always fetched fresh).
            refresh: ask the bot for changes first (``False`` returns what is known).
        """
        if refresh or self._frame is None:
            self.refresh()
        assert self._frame is not None
        if not include_open:
            return self._frame.copy(deep=False)
        open_trades = self.client.status()
        if not open_trades:
            return self._frame.copy(deep=False)
        open_df = trades_frame(list(open_trades), strict=False)
        closed_ids = set(self._frame["trade_id"].tolist())
        open_df = open_df[~open_df["trade_id"].isin(closed_ids)]
        return _concat([self._frame, open_df]).sort_values("trade_id", ignore_index=True)

    def orders(self, *, refresh: bool = True) -> pd.DataFrame:
        """One row per order of the closed trades (schema ``SCHEMAS["orders"]``)."""
        if refresh or self._frame is None:
            self.refresh()
        if self._orders is None:
            self._orders = orders_frame(list(self._records.values()))
        return self._orders.copy(deep=False)

    def records(self) -> list[dict[str, Any]]:
        """The raw JSON of every known closed trade, by ``trade_id``."""
        return [self._records[k] for k in sorted(self._records)]

    def refresh(self) -> str:
        """Bring the known closed trades up to date; returns ``"full"`` or ``"incremental"``."""
        self.requests_made = 0
        if not self._records:
            self._load_cache()
        if self._records:
            new = self._incremental()
            if new is not None:
                self.last_refresh = "incremental"
                if new:
                    self._add(new)
                    self._save_cache(new)
                return self.last_refresh
            logger.info("trade history no longer matches the bot: fetching every trade again")
        self._full()
        self._save_cache()
        self.last_refresh = "full"
        return self.last_refresh

    def clear(self) -> None:
        """Forget every known trade (and delete the cache files)."""
        self._records.clear()
        self._frame = self._orders = None
        path = self._cache_path()
        if path is not None:
            for file in (*_deltas(path), path.with_suffix(".raw.parquet"), path):
                file.unlink(missing_ok=True)

    def __len__(self) -> int:
        return len(self._records)

    def __repr__(self) -> str:
        known, size = len(self._records), self.page_size
        return f"TradeHistory({self.client.url!r}, known={known}, page_size={size})"

    # ---------------------------------------------------------------- fetching

    def _page(self, limit: int, offset: int, by_id: bool) -> tuple[list[dict[str, Any]], int]:
        self.requests_made += 1
        page = self.client.trades(limit=limit, offset=offset, order_by_id=by_id)
        return [dict(t) for t in page["trades"]], int(page["total_trades"])

    def _full(self) -> None:
        records: dict[int, dict[str, Any]] = {}
        first, total = self._page(self.page_size, 0, True)
        for t in first:
            records[t["trade_id"]] = t
        pages = -(-total // self.page_size)
        bar = _progress(pages, self.progress and pages > 1)
        try:
            bar.update(1)
            offset = len(first)
            while first and offset < total:
                batch, total = self._page(self.page_size, offset, True)
                if not batch:
                    break
                for t in batch:
                    records[t["trade_id"]] = t
                offset += len(batch)
                bar.update(1)
        finally:
            bar.close()
        self._records = records
        # trades that closed while we paged: newest-first pass until the count adds up
        missing = self._catch_up(total)
        if missing is None:
            raise RuntimeError("the bot's closed trades changed under a full fetch; try again")
        for t in missing:
            self._records[t["trade_id"]] = t
        self._frame = trades_frame(list(self._records.values()))
        self._orders = None

    def _catch_up(self, total: int) -> list[dict[str, Any]] | None:
        if len(self._records) == total:
            return []
        return self._incremental()

    def _incremental(self) -> list[dict[str, Any]] | None:
        """New closed trades since the last fetch, or None when the bot's history changed."""
        new: dict[int, dict[str, Any]] = {}
        offset, limit = 0, _REFRESH_FIRST_PAGE
        while True:
            batch, total = self._page(limit, offset, False)
            if total < len(self._records):
                return None  # fewer closed trades than we know: reset or replaced DB
            reached_known = False
            for t in batch:
                known = self._records.get(t["trade_id"])
                if known is None:
                    new[t["trade_id"]] = t
                elif any(known.get(k) != t.get(k) for k in _CLOSE_KEYS):
                    return None  # a known trade's close data changed: another database
                else:
                    reached_known = True
            if len(self._records) + len(new) == total and (reached_known or not batch):
                return list(new.values())
            if not batch or offset + len(batch) >= total:
                return None  # walked every page and the count still does not add up
            offset += len(batch)
            limit = min(limit * 4, self.page_size)

    def _add(self, new: Iterable[dict[str, Any]]) -> None:
        new = list(new)
        for t in new:
            self._records[t["trade_id"]] = t
        assert self._frame is not None
        added = trades_frame(new)
        self._frame = _concat([self._frame, added]).sort_values("trade_id", ignore_index=True)
        self._orders = None

    # ------------------------------------------------------------------- cache

    def _cache_path(self) -> Path | None:
        if self._cache_dir is None:
            return None
        ident = f"{self.client.url}|{self.client.show_config().get('bot_name', '')}"
        digest = hashlib.sha256(ident.encode()).hexdigest()[:16]
        return self._cache_dir / f"trades-{digest}.parquet"

    def _load_cache(self) -> None:
        path = self._cache_path()
        if path is None or not path.exists():
            return
        try:
            df = pd.read_parquet(path)
            records = _read_raw(path.with_suffix(".raw.parquet"))
            newer: dict[int, dict[str, Any]] = {}
            for delta in _deltas(path):
                newer.update(_read_raw(delta))
        except Exception as exc:  # a corrupt or foreign file is just a cache miss
            logger.warning("ignoring unreadable trade cache %s: %s", path, exc)
            return
        records.update(newer)
        self._records = records
        df = _restore_categories(df)
        if newer:
            base = df[~df["trade_id"].isin(list(newer))]
            df = _concat([base, trades_frame(list(newer.values()))])
            df = df.sort_values("trade_id", ignore_index=True)
        if len(df) != len(records) or set(df["trade_id"].tolist()) != set(records):
            # the files disagree (e.g. a crash between their writes): trust the JSON
            df = trades_frame(list(records.values()))
        self._frame = df
        self._orders = None

    def _save_cache(self, new: list[dict[str, Any]] | None = None) -> None:
        """Write the cache: only ``new`` trades as a small delta file after an incremental
        refresh (rewriting 20,000 trades took ~1 s, see bench/), else everything."""
        path = self._cache_path()
        if path is None or self._frame is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        deltas = _deltas(path)
        if new is not None and path.exists() and len(deltas) < _MAX_DELTAS:
            number = int(deltas[-1].name.split(".delta-")[1].split(".")[0]) + 1 if deltas else 1
            tmp = path.with_suffix(".delta.tmp")
            _raw_frame({t["trade_id"]: t for t in new}).to_parquet(tmp)
            os.replace(tmp, path.with_name(f"{path.stem}.delta-{number:06d}.parquet"))
            return
        for delta in deltas:  # before the new base: an old delta never outlives it
            delta.unlink(missing_ok=True)
        tmp = path.with_suffix(".tmp")
        self._frame.to_parquet(tmp)
        _raw_frame(self._records).to_parquet(path.with_suffix(".raw.tmp"))
        os.replace(path.with_suffix(".raw.tmp"), path.with_suffix(".raw.parquet"))
        os.replace(tmp, path)


def _deltas(path: Path) -> list[Path]:
    """The delta files of the cache at ``path``, oldest first."""
    return sorted(path.parent.glob(f"{path.stem}.delta-*.parquet"))


def _raw_frame(records: dict[int, dict[str, Any]]) -> pd.DataFrame:
    ids = sorted(records)
    return pd.DataFrame({"trade_id": ids, "json": [json.dumps(records[i]) for i in ids]})


def _read_raw(path: Path) -> dict[int, dict[str, Any]]:
    raw = pd.read_parquet(path)
    return {int(k): json.loads(v) for k, v in zip(raw["trade_id"], raw["json"], strict=True)}


def trades(
    client: FtClient,
    *,
    include_open: bool = False,
    page_size: int = DEFAULT_PAGE_SIZE,
    progress: bool = True,
) -> pd.DataFrame:
    """Every closed trade (plus the open ones with ``include_open``) in one full fetch.

    Use :class:`TradeHistory` to refresh the same frame cheaply later.

    >>> df = trades(client, include_open=True)
    """
    return TradeHistory(client, page_size=page_size, progress=progress).frame(
        include_open=include_open
    )


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate trade frames keeping categoricals categorical (union of categories)."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return SCHEMAS["trades"].empty()
    if len(frames) == 1:
        return frames[0]
    cats = [c.name for c in SCHEMAS["trades"].columns if c.dtype == "category"]
    unions: dict[str, list[Any]] = {}
    for name in cats:
        seen: dict[Any, None] = {}
        for f in frames:
            if name in f.columns:
                seen.update(dict.fromkeys(f[name].cat.categories))
        unions[name] = _sorted(seen)  # as pd.Categorical orders them: refresh == full fetch
    aligned = []
    for f in frames:
        f = f.copy(deep=False)
        for name, union in unions.items():
            if name in f.columns:
                f[name] = f[name].cat.set_categories(union)
        aligned.append(f)
    return pd.concat(aligned, ignore_index=True)


def _restore_categories(df: pd.DataFrame) -> pd.DataFrame:
    """Parquet turns an all-null categorical into float64: rebuild it as a fetch would."""
    for col in SCHEMAS["trades"].columns:
        if col.dtype != "category" or col.name not in df.columns:
            continue
        series = df[col.name]
        if not isinstance(series.dtype, pd.CategoricalDtype) or not len(series.cat.categories):
            values = [None if pd.isna(v) else v for v in series.astype(object).tolist()]
            df[col.name] = pd.Categorical(values)
    return df


def _sorted(values: Iterable[Any]) -> list[Any]:
    try:
        return sorted(values)
    except TypeError:  # mixed types: keep first-seen order
        return list(values)


def _progress(total: int, enabled: bool) -> Any:
    if enabled:
        from tqdm.auto import tqdm

        return tqdm(total=total, desc="trades", unit="page")
    return _NoBar()


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass
