"""Route coverage: every one of freqtrade 2026.9's 82 routes has exactly one method.

``api-routes-2026.9.tsv`` is the list read from freqtrade's own routers (copied from
the shared notes). The wire test is mocked on purpose: it only checks which verb and
path each method sends, for all 81 HTTP routes at once; the behaviour of every
route is tested against the real bots in the other modules.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ftnotebook import FtClient, FtNotebookError
from ftnotebook.client import EXCLUDED_ROUTES, ROUTES
from tests.client.fakeserver import Canned, fake_server

TSV = Path(__file__).with_name("api-routes-2026.9.tsv")

#: Sample arguments per method; path placeholders below match them.
ARGS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "logs": ((), {"limit": 2}),
    "plot_config": (("Strat",), {}),
    "markets": (("BTC",), {}),
    "strategy": (("Strat",), {}),
    "token_refresh": (("refresh-tok",), {}),
    "entries": (("BTC/USDT",), {}),
    "exits": (("BTC/USDT",), {}),
    "mix_tags": (("BTC/USDT",), {}),
    "daily": ((2,), {}),
    "weekly": ((2,), {}),
    "monthly": ((2,), {}),
    "trades": ((5,), {}),
    "trade": ((7,), {}),
    "delete_trade": ((7,), {}),
    "cancel_open_order": ((7,), {}),
    "reload_trade": ((7,), {}),
    "trade_custom_data": ((7,), {}),
    "force_enter": (("BTC/USDT",), {}),
    "forcebuy": (("BTC/USDT",), {}),
    "force_exit": ((7,), {}),
    "forcesell": ((7,), {}),
    "add_to_blacklist": (("A/USDT",), {}),
    "remove_from_blacklist": (("A/USDT",), {}),
    "add_lock": (("A/USDT", "2030-01-01T00:00:00Z"), {}),
    "delete_lock": ((3,), {}),
    "delete_locks": ((), {"pair": "A/USDT"}),
    "pair_candles": (("BTC/USDT", "5m"), {}),
    "pair_candles_filtered": (("BTC/USDT", "5m", ["rsi"]), {}),
    "pair_history": (("BTC/USDT", "5m", "20260101-", "Strat"), {}),
    "pair_history_filtered": (("BTC/USDT", "5m", "20260101-", "Strat"), {}),
    "start_backtest": (("Strat",), {}),
    "backtest_history_result": (("bt-file", "Strat"), {}),
    "delete_backtest_history": (("bt-file",), {}),
    "update_backtest_history": (("bt-file", "Strat", "note"), {}),
    "backtest_market_change": (("bt-file",), {}),
    "backtest_wallet": (("bt-file", "Strat"), {}),
    "background_job": (("job-1",), {}),
    "delete_background_job": (("job-1",), {}),
    "evaluate_pairlists": (([{"method": "StaticPairList"}], "USDT"), {}),
    "pairlists_evaluate_result": (("job-1",), {}),
    "download_data": ((["BTC/USDT"],), {}),
    "start_lookahead_analysis": (("Strat",), {}),
    "lookahead_analysis": (("job-1",), {}),
    "start_recursive_analysis": (("Strat",), {}),
    "recursive_analysis": (("job-1",), {}),
}
PLACEHOLDERS = {
    "tradeid": "7",
    "trade_id": "7",
    "lockid": "3",
    "file": "bt-file",
    "strategy": "Strat",
    "jobid": "job-1",
}


def tsv_routes() -> set[tuple[str, str]]:
    lines = TSV.read_text(encoding="utf-8").splitlines()[1:]
    return {(line.split("\t")[0], line.split("\t")[1]) for line in lines if line.strip()}


def test_all_82_routes_are_covered_or_excluded_with_reason() -> None:
    upstream = tsv_routes()
    assert len(upstream) == 82
    mapped = {(verb, path) for verb, path, _ in ROUTES}
    assert mapped | set(EXCLUDED_ROUTES) == upstream
    assert not mapped & set(EXCLUDED_ROUTES)
    assert all(len(reason) > 20 for reason in EXCLUDED_ROUTES.values())


def test_one_method_per_route_and_one_verb_per_name() -> None:
    names = Counter(name for _, _, name in ROUTES)
    assert [n for n, c in names.items() if c > 1] == []
    for _, _, name in ROUTES:
        assert callable(getattr(FtClient, name)), name


@pytest.mark.filterwarnings("ignore:.*is deprecated:DeprecationWarning")
@pytest.mark.parametrize(("verb", "template", "name"), ROUTES, ids=[r[2] for r in ROUTES])
def test_mocked_method_sends_its_route(verb: str, template: str, name: str) -> None:
    args, kwargs = ARGS.get(name, ((), {}))
    expected = re.sub(r"\{(\w+)\}", lambda m: PLACEHOLDERS[m.group(1)], template)
    with fake_server(Canned(200, b"{}")) as srv:
        client = FtClient(srv.url, "u", "p", retries=0)
        # "{}" is the wrong shape for most routes; only the request matters here.
        with contextlib.suppress(FtNotebookError):
            getattr(client, name)(*args, **kwargs)
        assert srv.requests, f"{name} sent nothing"
        method, raw_path, _headers, body = srv.requests[0]
    assert method == verb
    assert urlsplit(raw_path).path == f"/api/v1{expected}"
    if verb in ("GET", "DELETE"):
        assert body == b""
