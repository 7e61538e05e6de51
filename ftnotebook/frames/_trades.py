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

Full fetches page by id. ``/trades`` pages by offset, so a trade that closes or is
deleted while the pages are read shifts every later page by one. Each page after the
first therefore starts one row early, on the last trade of the page before:

* a trade that closed meanwhile (shift forward) shows that trade again (deduplicated by
  ``trade_id``), and the final newest-first pass picks up the one that closed;
* a trade deleted meanwhile (shift back) means the overlap row is missing: the pages
  skipped a trade and still hold the deleted one, so the fetch starts again.

Every fetch and every refresh ends with a consistency check: ``total_trades`` never
dropped during the fetch, the newest-first pass knows every trade it sees (the id set),
and the known trades add up to the bot's ``total_trades`` after it. On a mismatch the
history is fetched again (at most :data:`FULL_FETCH_ATTEMPTS` times, then
:class:`TradeHistoryChanged`); a refresh that finds fewer trades than it knew (a
deletion) fetches in full. The cache only ever stores a frame that passed the check.

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
import importlib
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ftnotebook.exceptions import FtNotebookError
from ftnotebook.frames._convert import orders_frame, trades_frame
from ftnotebook.schemas import SCHEMAS

if TYPE_CHECKING:
    from ftnotebook.client import FtClient

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "FULL_FETCH_ATTEMPTS",
    "MAX_PAGE_SIZE",
    "TradeHistory",
    "TradeHistoryChanged",
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
FULL_FETCH_ATTEMPTS = 3
"""Full fetches tried before :class:`TradeHistoryChanged` (each one failed the check)."""


class TradeHistoryChanged(FtNotebookError):
    """The bot's closed trades kept changing under every full fetch (trades deleted or
    closed while the pages were read, :data:`FULL_FETCH_ATTEMPTS` times in a row), so no
    consistent frame could be built. Nothing was cached; call ``frame()`` again."""


def _require_parquet() -> None:
    """The cache needs a parquet engine; say which extra installs it."""
    try:
        importlib.import_module("pyarrow")
    except ImportError as exc:
        raise ImportError(
            "TradeHistory(cache=...) keeps the trades in parquet files and needs pyarrow: "
            'pip install "ftnotebook[cache]"'
        ) from exc


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
            on every use, so a stale cache is never served. Needs pyarrow
            (``pip install "ftnotebook[cache]"``).
        progress: show a tqdm progress bar when a full fetch takes more than one page.

    Raises:
        ValueError: ``page_size`` outside 1..2,000, or ``cache`` of the wrong type.
        ImportError: ``cache`` asked for without pyarrow installed.
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
        if cache is not False:
            _require_parquet()
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
        self.full_fetches = 0
        """Full fetches the last :meth:`refresh` made (more than 1: a check failed)."""
        self._total: int | None = None

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
        """Bring the known closed trades up to date; returns ``"full"`` or ``"incremental"``.

        A refresh that finds trades gone (deleted, or another database) fetches in full.

        Raises:
            TradeHistoryChanged: every full fetch failed the consistency check.
        """
        self.requests_made = 0
        self.full_fetches = 0
        if not self._records:
            self._load_cache()
        if self._records:
            new = self._incremental()
            if new is not None:
                if new:
                    self._add(new)
                if self._consistent():
                    self.last_refresh = "incremental"
                    if new:
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
        """Fetch every closed trade until a fetch passes the consistency check."""
        for attempt in range(1, FULL_FETCH_ATTEMPTS + 1):
            self.full_fetches = attempt
            records = self._read_pages()
            if records is not None:
                self._records = records
                # trades that closed while we paged, and the check of the id set and
                # the total after the fetch: a newest-first pass until the count adds up
                missing = self._incremental()
                if missing is not None:
                    for t in missing:
                        self._records[t["trade_id"]] = t
                    self._frame = trades_frame(list(self._records.values()))
                    self._orders = None
                    if self._consistent():
                        return
            logger.info("closed trades changed during full fetch %d: fetching again", attempt)
        self._records, self._frame, self._orders = {}, None, None
        raise TradeHistoryChanged(
            f"the bot's closed trades changed under {FULL_FETCH_ATTEMPTS} full fetches in a "
            "row (trades deleted or closed while the pages were read); nothing was kept or "
            "cached: call frame() again"
        )

    def _read_pages(self) -> dict[int, dict[str, Any]] | None:
        """Every page by id, each overlapping the last by one trade; None when a page did
        not start on the trade the page before ended on (a trade before it was deleted)
        or the bot's total dropped (a deletion somewhere)."""
        records: dict[int, dict[str, Any]] = {}
        first, total = self._page(self.page_size, 0, True)
        before = total
        for t in first:
            records[t["trade_id"]] = t
        pages = -(-total // self.page_size)
        bar = _progress(pages, self.progress and pages > 1)
        try:
            bar.update(1)
            offset = len(first)
            last = first[-1]["trade_id"] if first else None
            while last is not None and offset < total:
                batch, total = self._page(self.page_size + 1, offset - 1, True)
                if total < before or last not in {t["trade_id"] for t in batch[:2]}:
                    return None
                fresh = [t for t in batch if t["trade_id"] not in records]
                if not fresh:
                    break
                for t in fresh:
                    records[t["trade_id"]] = t
                offset += len(fresh)
                last = batch[-1]["trade_id"]
                bar.update(1)
        finally:
            bar.close()
        return records

    def _consistent(self) -> bool:
        """The frame holds exactly the known trades, as many as the bot last counted."""
        frame = self._frame
        if frame is None or self._total is None:
            return False
        ids = set(frame["trade_id"].tolist())
        return len(frame) == len(self._records) == self._total and ids == set(self._records)

    def _incremental(self) -> list[dict[str, Any]] | None:
        """New closed trades since the last fetch, or None when the bot's history changed."""
        new: dict[int, dict[str, Any]] = {}
        offset, limit = 0, _REFRESH_FIRST_PAGE
        while True:
            batch, total = self._page(limit, offset, False)
            self._total = total
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
                self._total = total
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
        if path is None or self._frame is None or not self._consistent():
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
