"""The Fleet against the session's three real bots: construction, concurrent calls, frames."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from ftnotebook import ConnectionFailed, FtClient, Unauthorized
from ftnotebook.demo import processes
from ftnotebook.demo.launcher import RunningBot
from ftnotebook.fleet import Fleet, read_fleet_file


def clients(bots: dict[str, RunningBot]) -> dict[str, FtClient]:
    return {n: FtClient(b.api_url, b.username, b.password) for n, b in bots.items()}


# ------------------------------------------------------------------ construction


def test_fleet_from_clients_configs_and_file_name_the_same_bots(
    fleet_bots: dict[str, RunningBot], fleet: Fleet
) -> None:
    from_clients = Fleet(clients(fleet_bots))
    from_configs = Fleet.from_configs({n: b.config_path for n, b in fleet_bots.items()})
    by_bot_name = Fleet.from_configs([b.config_path for b in fleet_bots.values()])
    assert from_clients.names == from_configs.names == fleet.names == list(fleet_bots)
    assert by_bot_name.names == [b.bot_name for b in fleet_bots.values()]
    urls = [b.api_url for b in fleet_bots.values()]
    for made in (from_clients, from_configs, by_bot_name, fleet):
        assert [made[n].url for n in made] == urls
    answers = from_configs.call(lambda n, c: c.show_config()["bot_name"], what="names")
    assert answers.values_by_bot == {n: b.bot_name for n, b in fleet_bots.items()}


def test_fleet_file_with_environment_variable_credentials(
    fleet_bots: dict[str, RunningBot], tmp_path: Path
) -> None:
    bot = fleet_bots["btc-cross"]
    file = tmp_path / "fleet.toml"
    file.write_text(
        '[[bots]]\nname = "btc"\n'
        f'url = "{bot.api_url}"\nusername_env = "BTC_USER"\npassword_env = "BTC_PASS"\n',
        encoding="utf-8",
    )
    env = {"BTC_USER": bot.username, "BTC_PASS": bot.password}
    fleet = Fleet.from_file(file, environ=env)
    assert fleet.show_config().values_by_bot["btc"]["stake_currency"] == "BTC"
    with pytest.raises(ValueError, match="BTC_PASS"):
        Fleet.from_file(file, environ={"BTC_USER": "x"})


def test_fleet_file_refuses_secrets_bad_entries_and_duplicate_names(tmp_path: Path) -> None:
    def write(bots: object) -> Path:
        path = tmp_path / "f.json"
        path.write_text(json.dumps({"bots": bots}), encoding="utf-8")
        return path

    secret = write([{"name": "a", "url": "http://127.0.0.1:1", "password": "hunter2"}])
    with pytest.raises(ValueError, match="secrets never go in the fleet file") as info:
        read_fleet_file(secret)
    assert "hunter2" not in str(info.value)
    with pytest.raises(ValueError, match="more than once"):
        read_fleet_file(write([{"name": "a", "config": "x.json"}, {"name": "a", "config": "y"}]))
    with pytest.raises(ValueError, match="exactly one of 'config' or 'url'"):
        read_fleet_file(write([{"name": "a"}]))
    with pytest.raises(ValueError, match="unknown key"):
        read_fleet_file(write([{"name": "a", "config": "x", "colour": "red"}]))
    relative = read_fleet_file(write([{"name": "a", "config": "bots/a.json"}]))
    assert relative[0].config == tmp_path / "bots" / "a.json"


def test_duplicate_names_or_urls_are_refused(fleet_bots: dict[str, RunningBot]) -> None:
    made = clients(fleet_bots)
    main = made["usdt-main"]
    same_url = FtClient(main.url, "other", "creds")
    with pytest.raises(ValueError, match="same URL"):
        Fleet({"a": main, "b": same_url})
    with pytest.raises(ValueError, match="same URL"):
        Fleet([main, same_url])
    config = fleet_bots["usdt-main"].config_path
    with pytest.raises(ValueError, match="share the name"):
        Fleet.from_configs([config, config])
    with pytest.raises(ValueError, match="at least one bot"):
        Fleet({})
    with pytest.raises(ValueError, match="expected an FtClient"):
        Fleet({"a": "http://127.0.0.1:8080"})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="unknown bot"):
        Fleet(made).pause(bots=["nope"])


# ------------------------------------------------------------------ concurrent calls


def test_a_down_and_a_refusing_bot_never_fail_the_call(fleet_bots: dict[str, RunningBot]) -> None:
    made = clients(fleet_bots)
    down = FtClient(f"http://127.0.0.1:{processes.free_port()}", "u", "p", retries=0)
    refusing = FtClient(fleet_bots["usdt-swing"].api_url, "ftnb", "wrong-password", retries=0)
    fleet = Fleet({"usdt-main": made["usdt-main"], "down": down, "refusing": refusing}, timeout=10)
    result = fleet.call(lambda n, c: c.count(), what="count")
    assert result.status == "partial"
    assert result.answered == ["usdt-main"] and result.failed == ["down", "refusing"]
    assert isinstance(result["down"].error, ConnectionFailed)
    assert isinstance(result["refusing"].error, Unauthorized)
    assert result["usdt-main"].value is not None and result["usdt-main"].value["current"] >= 0
    summary = result.summary()
    assert summary.startswith("count: 1/3 bots answered (usdt-main); failed: down (")
    assert "refusing (Unauthorized" in summary and "wrong-password" not in summary
    # Frames keep the rows of the bots that answered and say who did not.
    status = fleet.status()
    assert set(status["bot"]) == {"usdt-main"}
    assert list(status["bot"].cat.categories) == ["usdt-main"]
    assert status.attrs["fleet"].failed == ["down", "refusing"]
    overview = fleet.overview()
    assert overview["bot"].tolist() == ["usdt-main", "down", "refusing"]
    assert overview["error"].str.startswith("ConnectionFailed").tolist() == [False, True, False]
    assert str(overview.loc[2, "error"]).startswith("Unauthorized")


# ------------------------------------------------------------------ frames


def test_status_trades_and_history_per_bot(fleet: Fleet) -> None:
    status = fleet.status()
    assert isinstance(status["bot"].dtype, pd.CategoricalDtype)
    assert list(status["bot"].cat.categories) == fleet.names
    for name, client in fleet.clients.items():
        mine = status[status["bot"] == name]
        assert sorted(mine["trade_id"]) == sorted(t["trade_id"] for t in client.status())
        assert set(mine["stake_currency"]) == {fleet.stake_currency(name)}
    trades = fleet.trades()
    assert trades.attrs["fleet"].status == "ok"
    for name, client in fleet.clients.items():
        mine = trades[trades["bot"] == name]
        page = client.trades(limit=1)
        assert len(mine) == page["total_trades"]
        assert mine["profit_abs"].sum() == pytest.approx(client.profit()["profit_closed_coin"])
    again = fleet.trades(include_open=True)
    for name in fleet.names:
        history = fleet.history(name)
        assert history is not None and history.last_refresh == "incremental"
    assert len(again) == len(trades) + len(status)
    assert again["is_open"].sum() == len(status)


def test_periodic_balances_locks_whitelists(fleet: Fleet) -> None:
    for kind, n in (("daily", 7), ("weekly", 4), ("monthly", 3)):
        df = getattr(fleet, kind)(n)
        assert df.columns[:2].tolist() == ["bot", "date"]
        for name, client in fleet.clients.items():
            own = getattr(client, kind)(n)["data"]
            mine = df[df["bot"] == name]
            assert len(mine) == n
            assert mine["abs_profit"].tolist() == pytest.approx(
                [d["abs_profit"] for d in own[::-1]]
            )
    balances = fleet.balances()
    for name, client in fleet.clients.items():
        mine = balances[balances["bot"] == name]
        own = client.balance()
        assert set(mine["currency"]) == {c["currency"] for c in own["currencies"]}
        assert set(mine["stake"]) == {own["stake"]} == {fleet.stake_currency(name)}
    locks, whitelists = fleet.locks(), fleet.whitelists()
    for name, client in fleet.clients.items():
        assert sorted(locks[locks["bot"] == name]["id"]) == sorted(
            lock["id"] for lock in client.locks()["locks"]
        )
        assert whitelists[whitelists["bot"] == name]["pair"].tolist() == list(
            client.whitelist()["whitelist"]
        )
    assert set(whitelists[whitelists["bot"] == "btc-cross"]["pair"]) == {
        "ETH/BTC", "SOL/BTC", "XRP/BTC"
    }  # fmt: skip
