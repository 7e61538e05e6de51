"""Candle frames: /pair_candles and /pair_history of the real bots, and the WS split form."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from ftnotebook.client import FtClient
from ftnotebook.frames import (
    NoCandlesWarning,
    candles_frame,
    candles_from_split,
    pair_candles,
    pair_history,
)
from ftnotebook.schemas import SCHEMAS, SchemaError

SIGNALS = ["enter_long", "exit_long", "enter_short", "exit_short"]


def _check_against_payload(df: pd.DataFrame, payload: dict[str, Any]) -> None:
    cols = payload["columns"]
    assert len(df) == payload["length"] == len(payload["data"])
    assert isinstance(df.index, pd.DatetimeIndex)
    assert df.index.name == "date"
    assert str(df.index.tz) == "UTC"
    assert df.index.is_monotonic_increasing
    ts = [row[cols.index("__date_ts")] for row in payload["data"]]
    assert df.index.as_unit("ms").asi8.tolist() == ts
    for name, dtype in SCHEMAS["candles"].dtypes().items():
        assert str(df[name].dtype) == dtype, name
    for name in cols:
        if name in ("date", "__date_ts"):
            continue
        raw = [row[cols.index(name)] for row in payload["data"]]
        got = df[name]
        if name in SIGNALS:
            assert got.tolist() == [v == 1 for v in raw], name
            assert int(got.sum()) == payload[f"{name}_signals"]
        elif name in ("enter_tag", "exit_tag"):
            assert got.dtype == "string"
            assert [None if pd.isna(v) else v for v in got] == [v or None for v in raw], name
        else:
            assert got.dtype == np.float64, name
            expected = np.array([np.nan if v is None else v for v in raw], dtype=float)
            np.testing.assert_array_equal(got.to_numpy(), expected, err_msg=name)
    assert df.attrs["pair"] == payload["pair"]
    assert df.attrs["timeframe"] == payload["timeframe"]
    assert df.attrs["strategy"] == payload["strategy"]
    assert df.attrs["annotations"] == (payload.get("annotations") or [])
    assert df.attrs["data_start"] == df.index[0]
    assert df.attrs["data_stop"] == df.index[-1]


def test_pair_candles_matches_raw_json(client: FtClient) -> None:
    payload = client.request("GET", "/pair_candles", params={"pair": "BTC/USDT", "timeframe": "5m"})
    df = candles_frame(payload)
    _check_against_payload(df, payload)
    # every column the bot sent is kept, plus the missing short signals
    kept = [c for c in payload["columns"] if c not in ("date", "__date_ts")]
    assert list(df.columns[: len(kept)]) == kept
    assert "_enter_long_signal_close" in df.columns
    assert not df.enter_short.any() and not df.exit_short.any()
    assert df.attrs["annotations"], "FtnbDemo draws annotations"
    # a signal close column holds the close exactly where the signal is set
    mask = df.enter_long
    np.testing.assert_array_equal(df.loc[mask, "_enter_long_signal_close"], df.loc[mask, "close"])
    assert df.loc[~mask, "_enter_long_signal_close"].isna().all()


def test_pair_candles_limit_columns_and_plot_config(client: FtClient) -> None:
    plot_config = client.plot_config()
    df = pair_candles(client, "ETH/USDT", "5m", limit=50, columns=["rsi"], plot_config=plot_config)
    assert len(df) == 50
    assert "rsi" in df.columns and "macd" not in df.columns
    assert set(SCHEMAS["candles"].names) <= set(df.columns)
    assert df.attrs["plot_config"] == dict(plot_config)
    assert df.attrs["pair"] == "ETH/USDT"
    full = pair_candles(client, "ETH/USDT", "5m", limit=50)
    assert "macd" in full.columns and "plot_config" not in full.attrs


def test_pair_candles_rejects_a_bare_string_as_columns(client: FtClient) -> None:
    with pytest.raises(ValueError, match="columns"):
        pair_candles(client, "BTC/USDT", "5m", columns="rsi")


def test_pair_history_get_and_post_forms(web_client: FtClient) -> None:
    tr = (pd.Timestamp.now(tz="UTC") - pd.Timedelta(days=3)).strftime("%Y%m%d-")
    payload = web_client.request(
        "GET",
        "/pair_history",
        params={"pair": "SOL/USDT", "timeframe": "5m", "timerange": tr, "strategy": "FtnbDemo"},
    )
    _check_against_payload(candles_frame(payload), payload)
    df = pair_history(web_client, "SOL/USDT", "5m", timerange=tr, strategy="FtnbDemo")
    assert len(df) == payload["length"] > 500
    narrow = pair_history(
        web_client, "SOL/USDT", "5m", timerange=tr, strategy="FtnbDemo", columns=["macd"]
    )
    assert "macd" in narrow.columns and "rsi" not in narrow.columns
    assert len(narrow) == len(df)
    np.testing.assert_array_equal(narrow.macd.to_numpy(), df.macd.to_numpy())


def test_split_form_gives_the_same_schema(client: FtClient) -> None:
    payload = client.request("GET", "/pair_candles", params={"pair": "BTC/USDT", "timeframe": "5m"})
    rest = candles_frame(payload)
    cols = payload["columns"]
    keep = [i for i, c in enumerate(cols) if c != "__date_ts" and not c.startswith("_")]
    ts = cols.index("__date_ts")
    rows = [[row[ts] if cols[i] == "date" else row[i] for i in keep] for row in payload["data"]]
    ws = candles_from_split([cols[i] for i in keep], rows, attrs={"pair": "BTC/USDT"})
    pd.testing.assert_frame_equal(ws, rest[ws.columns], check_like=False)
    assert ws.attrs["pair"] == "BTC/USDT"
    assert ws.attrs["data_start"] == ws.index[0] and ws.attrs["annotations"] == []


def test_empty_payload_gives_empty_typed_frame() -> None:
    payload = {
        "pair": "BTC/USDT",
        "timeframe": "5m",
        "strategy": "S",
        "columns": ["date", "open", "high", "low", "close", "volume", "rsi", "enter_long"],
        "data": [],
        "data_start": "",
        "data_stop": "",
        "data_start_ts": 0,
        "data_stop_ts": 0,
    }
    df = candles_frame(payload)
    assert len(df) == 0
    assert str(df.index.dtype) == SCHEMAS["candles"].index.dtype  # type: ignore[union-attr]
    for name, dtype in SCHEMAS["candles"].dtypes().items():
        assert str(df[name].dtype) == dtype, name
    assert df.attrs["data_start"] is pd.NaT


def test_missing_ohlcv_column_is_a_schema_error() -> None:
    with pytest.raises(SchemaError, match="'close'"):
        candles_from_split(["date", "open", "high", "low", "volume"], [[0, 1, 1, 1, 1]])
    with pytest.raises(SchemaError, match="__date_ts"):
        candles_frame({"columns": ["open"], "data": [[1.0]]})


def test_nan_signals_and_bool_signals_convert() -> None:
    df = candles_from_split(
        ["date", "open", "high", "low", "close", "volume", "enter_long", "exit_long", "enter_tag"],
        [
            [0, 1, 1, 1, 1, 1, None, True, ""],
            [300_000, 1, 1, 1, 1, 1, 1, False, "x"],
        ],
    )
    assert df.enter_long.tolist() == [False, True]
    assert df.exit_long.tolist() == [True, False]
    assert df.enter_tag.isna().tolist() == [True, False]
    assert df.index[1] == pd.Timestamp("1970-01-01 00:05", tz="UTC")


def test_empty_payload_is_an_empty_typed_frame_offline() -> None:
    """``{"columns": [], "data": []}`` is what the bot sends for a pair it has no candles for."""
    for payload in (
        {"columns": [], "data": []},
        {"columns": ["date", "open", "high", "low", "close", "volume", "rsi"], "data": []},
    ):
        df = candles_frame(payload)
        assert len(df) == 0 and str(df.index.dtype) == "datetime64[ms, UTC]"
        assert df.index.name == "date"
        for name, dtype in SCHEMAS["candles"].dtypes().items():
            assert str(df[name].dtype) == dtype, name
        assert df.attrs["data_start"] is pd.NaT and df.attrs["annotations"] == []
    assert str(df["rsi"].dtype) == "float64"
    with pytest.raises(SchemaError, match="__date_ts"):
        candles_frame({"columns": ["open"], "data": [[1.0]]})  # rows without a date column


@pytest.mark.parametrize(
    ("pair", "timeframe", "why"),
    [("BTC/USDTT", "5m", "typo"), ("XRP/EUR", "5m", "not whitelisted"), ("BTC/USDT", "1d", "tf")],
)
def test_pair_candles_without_candles_warns_and_is_empty(
    client: FtClient, pair: str, timeframe: str, why: str
) -> None:
    raw = client.pair_candles(pair, timeframe)
    assert raw["data"] == [] and raw["columns"] == []  # the bot answers normally, empty
    with pytest.warns(NoCandlesWarning) as caught:
        df = pair_candles(client, pair, timeframe)
    message = str(caught[0].message)
    assert repr(pair) in message and repr(timeframe) in message
    whitelist = client.whitelist()["whitelist"]
    assert str(whitelist) in message and repr(client.show_config()["timeframe"]) in message
    assert df.empty and str(df.close.dtype) == "float64" and df.attrs["pair"] == pair
    assert df.attrs["timeframe"] == timeframe
