"""Direct tests of public names that were reached only indirectly before.

``frames.default_cache_dir`` and ``cache=True``, ``frames.profit_series``,
``live.backoff_delay``, ``schemas.Column`` / ``FrameSchema``, and the ``plots.add_*``
builders with ``PlotDefaults`` (through the public ``ftnotebook.plots`` names only).
Real data comes from the session's bots; the pure functions run offline.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
from plotly.subplots import make_subplots

from ftnotebook import FtClient, TradeHistory, frames, plots, schemas
from ftnotebook.demo.launcher import RunningBot
from ftnotebook.live import backoff_delay

# ------------------------------------------------------------------ cache directory


def test_default_cache_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FTNOTEBOOK_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert frames.default_cache_dir() == tmp_path / "home" / ".cache" / "ftnotebook"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert frames.default_cache_dir() == tmp_path / "xdg" / "ftnotebook"
    monkeypatch.setenv("FTNOTEBOOK_CACHE_DIR", str(tmp_path / "mine"))
    assert frames.default_cache_dir() == tmp_path / "mine"


def test_cache_true_writes_to_the_default_dir_and_is_read_back(
    trade_bot: RunningBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FTNOTEBOOK_CACHE_DIR", str(tmp_path))
    with FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password) as client:
        first = TradeHistory(client, cache=True, progress=False)
        df = first.frame()
        assert first.last_refresh == "full"
        files = sorted(p.name for p in tmp_path.iterdir())
        assert files and all(f.startswith("trades-") and f.endswith(".parquet") for f in files)
        again = TradeHistory(client, cache=True, progress=False)
        pd.testing.assert_frame_equal(again.frame(), df)
        assert again.last_refresh == "incremental" and again.requests_made == 1


# ------------------------------------------------------------------ profit_series


def test_profit_series_keeps_every_figure_of_the_bots_profit(trade_bot: RunningBot) -> None:
    with FtClient(trade_bot.api_url, trade_bot.username, trade_bot.password) as client:
        payload = dict(client.profit())
    series = frames.profit_series(payload)
    assert series.name == "profit" and series.dtype == object
    assert list(series.index) == list(payload)
    assert series.to_dict() == payload
    assert series["closed_trade_count"] == payload["closed_trade_count"] >= 60


# ------------------------------------------------------------------ live.backoff_delay


def test_backoff_delay_doubles_up_to_the_cap_with_equal_jitter() -> None:
    rng = random.Random(7)
    for failures, base in ((1, 1.0), (2, 2.0), (3, 4.0), (5, 16.0), (6, 30.0), (60, 30.0)):
        delays = [backoff_delay(failures, initial=1.0, maximum=30.0, rng=rng) for _ in range(200)]
        assert all(base / 2 <= d <= base for d in delays), (failures, min(delays), max(delays))
        assert max(delays) - min(delays) > base / 4  # jittered, not one fixed value
    just_dropped = [backoff_delay(0, initial=0.2, maximum=30.0, rng=rng) for _ in range(200)]
    assert all(0 <= d <= 0.1 for d in just_dropped)
    same_seed = [backoff_delay(3, initial=1.0, maximum=30.0, rng=random.Random(1)) for _ in "ab"]
    assert same_seed[0] == same_seed[1]


# ------------------------------------------------------------------ Column / FrameSchema


def test_frame_schema_names_dtypes_empty_and_table_agree() -> None:
    col = schemas.Column("pair", "string", "the pair", source="symbol", required=False)
    assert (col.name, col.dtype, col.meaning, col.source, col.required) == (
        "pair",
        "string",
        "the pair",
        "symbol",
        False,
    )
    with pytest.raises(AttributeError):
        col.name = "other"  # type: ignore[misc]
    for schema in (schemas.TRADES, schemas.LOCKS, schemas.DAILY, schemas.CANDLES):
        assert [c.name for c in schema] == schema.names
        assert list(schema.dtypes()) == schema.names
        empty = schema.empty()
        assert list(empty.columns) == schema.names and len(empty) == 0
        assert {k: str(v) for k, v in empty.dtypes.items()} == {
            k: str(pd.Series([], dtype=v).dtype) if v != "datetime64[ns, UTC]" else v
            for k, v in schema.dtypes().items()
        }
        table = schema.to_frame()
        assert list(table.columns) == ["column", "dtype", "meaning"]
        assert len(table) == len(schema.names) + (schema.index is not None)
        assert f"/{schema.route}" in schema._repr_html_()
    assert schemas.DAILY.index is not None and schemas.DAILY.empty().index.name == "date"


# ------------------------------------------------------------------ plots builders


@pytest.fixture(scope="module")
def candles(webserver_bot: RunningBot) -> pd.DataFrame:
    with FtClient(webserver_bot.api_url, webserver_bot.username, webserver_bot.password) as c:
        return frames.pair_history(c, "BTC/USDT", "1h", timerange="20000101-", strategy="FtnbDemo")


def test_add_builders_take_a_figure_add_to_it_and_return_it(candles: pd.DataFrame) -> None:
    df = candles.tail(200)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True)
    assert plots.add_candles(fig, df) is fig
    (price,) = fig.data
    assert price.type == "candlestick" and list(price.close) == df["close"].tolist()
    assert plots.add_volume(fig, df) is fig
    assert fig.data[-1].type == "bar" and list(fig.data[-1].y) == df["volume"].tolist()
    spec = {"ema_fast": {"color": "#123456"}}
    assert plots.add_indicators(fig, df, spec) is fig
    ema = fig.data[-1]
    assert ema.name == "ema_fast" and ema.line.color == "#123456"
    assert list(ema.y) == pytest.approx(df["ema_fast"].tolist(), nan_ok=True)
    n = len(fig.data)
    fill = {"bb_upper": {"fill_to": "bb_lower", "fill_label": "band"}, "bb_lower": {}}
    assert plots.add_fills(fig, df, fill) is fig and len(fig.data) > n
    n = len(fig.data)
    assert plots.add_signals(fig, df) is fig
    entries = int(df["enter_long"].sum())
    added = {t.name: len(t.x) for t in fig.data[n:]}
    assert added.get("enter_long", 0) == entries
    assert plots.add_annotations(fig, df.attrs.get("annotations", [])) is fig


def test_plot_defaults_set_and_reset(candles: pd.DataFrame) -> None:
    assert isinstance(plots.defaults, plots.PlotDefaults)
    shipped = plots.defaults.color("enter_long")
    assert int(candles["enter_long"].sum()) > 0
    try:
        plots.defaults.colors["enter_long"] = "#abcdef"
        assert plots.defaults.color("enter_long") == "#abcdef"
        fig = plots.add_signals(make_subplots(rows=1, cols=1), candles)
        (entries,) = [t for t in fig.data if t.name == "enter_long"]
        assert entries.marker.color == "#abcdef"
    finally:
        plots.defaults.reset()
    assert plots.defaults.color("enter_long") == shipped
