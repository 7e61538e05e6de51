"""``ftnotebook --format table|csv``: the library's frames, for people and for files.

CSV must be the typed frame ``ftnotebook.frames`` builds (every column, in order); the
table must show that frame's values formatted as freqtrade formats them: money with
the stake currency's decimals (checked against freqtrade's own ``round_value`` in the
bot's virtualenv), ratios as percentages, times in UTC without the offset.
"""

from __future__ import annotations

import io
import json
import subprocess

import pandas as pd
import pytest

from ftnotebook import FtClient, frames
from ftnotebook._cli_tables import render_table
from ftnotebook.cli import main
from ftnotebook.demo.launcher import RunningBot, bot_python, find_freqtrade
from tests.client.test_cli_parity import READS


def run(capsys: pytest.CaptureFixture[str], bot: RunningBot, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--config", str(bot.config_path), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def freqtrade_round_value(values: list[float], decimals: int) -> list[str]:
    """freqtrade's ``round_value(v, decimals, keep_trailing_zeros=True)``, run by freqtrade."""
    code = (
        "import json, sys\n"
        "from freqtrade.util.formatters import round_value\n"
        "values, decimals = json.load(sys.stdin)\n"
        "print(json.dumps([round_value(v, decimals, True) for v in values]))\n"
    )
    done = subprocess.run(
        [str(bot_python(find_freqtrade())), "-c", code],
        input=json.dumps([values, decimals]),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return list(json.loads(done.stdout))


def test_csv_is_the_typed_trades_frame(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    code, out, err = run(capsys, trade_bot, "--format", "csv", "trades", "limit=5")
    assert code == 0, err
    typed = frames.trades_frame(client.trades(limit=5)["trades"])
    read = pd.read_csv(io.StringIO(out))
    assert list(read.columns) == list(typed.columns)
    assert read["trade_id"].tolist() == typed["trade_id"].tolist() == [1, 2, 3, 4, 5]
    assert read["pair"].tolist() == typed["pair"].astype(str).tolist()
    assert read["profit_abs"].tolist() == typed["profit_abs"].tolist()
    opened = pd.to_datetime(read["open_date"], utc=True)
    assert (opened == typed["open_date"].astype("datetime64[ns, UTC]")).all()


def test_csv_writes_the_index_and_chosen_columns(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    code, out, err = run(capsys, trade_bot, "-f", "csv", "daily", "days=4")
    assert code == 0, err
    read = pd.read_csv(io.StringIO(out), index_col="date", parse_dates=["date"])
    typed = frames.daily(client, 4)
    assert list(read.columns) == list(typed.columns)
    assert read["abs_profit"].tolist() == typed["abs_profit"].tolist()
    assert len(read) == 4
    code, out, err = run(
        capsys, trade_bot, "-f", "csv", "--columns", "pair,profit_abs", "performance"
    )
    assert code == 0, err
    assert out.splitlines()[0] == "pair,profit_abs"


def test_table_of_trades_reads_like_freqtrade(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    code, out, err = run(capsys, trade_bot, "--format", "table", "trades", "limit=5")
    assert code == 0, err
    lines = out.splitlines()
    print(out)  # shown with -s: this is what a user sees
    header = lines[0].split()
    assert header[:4] == ["trade_id", "pair", "open_date", "close_date"]
    assert set(lines[1]) <= {"─", " "}
    rows = lines[2:-1]
    assert len(rows) == 5
    assert lines[-1] == (
        "5 rows · 59 more columns with --columns or --format csv · times in UTC · money in USDT"
    )
    trades = client.trades(limit=5)["trades"]
    decimals = client.show_config()["stake_currency_decimals"]
    money = freqtrade_round_value([t["profit_abs"] for t in trades], decimals)
    for row, trade, expected in zip(rows, trades, money, strict=True):
        assert row.split()[0] == str(trade["trade_id"])
        opened = pd.Timestamp(trade["open_timestamp"], unit="ms", tz="UTC")
        assert opened.strftime("%Y-%m-%d %H:%M:%S") in row and "+00:00" not in row
        assert f"{trade['profit_ratio'] * 100:+.2f}%" in row
        shown = "+" + expected if trade["profit_abs"] > 0 else expected
        assert f" {shown} " in row, (shown, row)


def test_table_columns_and_narrow_terminals(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    code, out, err = run(
        capsys, trade_bot, "-f", "table", "--columns", "trade_id,exit_reason", "trades", "3"
    )
    assert code == 0, err
    assert out.splitlines()[0].split() == ["trade_id", "exit_reason"]
    code, out, err = run(capsys, trade_bot, "-f", "table", "--columns", "nope", "trades")
    assert code == 1 and "--columns: no column 'nope'; this result has trade_id, pair" in err
    code, out, err = run(capsys, trade_bot, "--columns", "pair", "trades")
    assert code == 1 and "--columns needs --format table or --format csv" in err
    narrow = render_table("trades", client.trades(limit=3), width=60)
    assert all(len(line) <= 60 for line in narrow.splitlines()[:-1])
    assert narrow.splitlines()[0].split()[:2] == ["trade_id", "pair"]
    assert "more columns with --columns or --format csv (" in narrow.splitlines()[-1]


def test_key_value_tables(
    capsys: pytest.CaptureFixture[str], trade_bot: RunningBot, client: FtClient
) -> None:
    code, out, err = run(capsys, trade_bot, "-f", "table", "profit")
    assert code == 0, err
    profit = client.profit()
    rows = {line.split()[0]: line.split(None, 1)[1:] for line in out.splitlines()[2:-1]}
    assert rows["winrate"] == [f"{profit['winrate'] * 100:.2f}%"]
    assert rows["trade_count"] == [str(profit["trade_count"])]
    assert "first_trade_date" in rows and "first_trade_timestamp" not in rows
    assert out.splitlines()[-1].endswith("times in UTC · money in USDT")
    code, out, err = run(capsys, trade_bot, "-f", "table", "count")
    assert code == 0, err
    count = client.count()
    assert f"total_stake  {count['total_stake']:,.3f}" in out


@pytest.mark.parametrize("fmt", ["table", "csv"])
@pytest.mark.parametrize("command", sorted(READS))
def test_every_read_command_renders(
    command: str,
    fmt: str,
    capsys: pytest.CaptureFixture[str],
    trade_bot: RunningBot,
    webserver_bot: RunningBot,
) -> None:
    which, forms = READS[command]
    bot = trade_bot if which == "trade" else webserver_bot
    code, out, err = run(capsys, bot, "--format", fmt, command, *forms[-1])
    if code == 1:  # the bot refused (no custom data): the error, as with JSON
        assert "404 Not Found" in err and out == ""
        return
    assert code == 0, err
    assert out.strip(), command
    if fmt == "csv":
        assert len(pd.read_csv(io.StringIO(out))) >= 1
    else:
        assert out.splitlines()[-1].split(" · ")[0].split()[1] in ("row", "rows", "value", "values")


def test_a_lock_ending_at_midnight_utc_keeps_its_time(client: FtClient) -> None:
    """Only a period's date prints as a bare day: a lock (or trade) time that happens to
    fall on midnight UTC must not lose its time of day, whatever hour the suite runs."""
    midnight = (pd.Timestamp.now(tz="UTC") + pd.Timedelta(days=2)).normalize()
    until = (midnight - pd.Timedelta(seconds=1)).to_pydatetime()  # rounded up to midnight
    before = {x["id"] for x in client.locks()["locks"]}
    try:
        result = client.add_lock("SOL/USDT", until, reason="ftnb midnight")
        (lock,) = [x for x in result["locks"] if x["id"] not in before]
        assert lock["lock_end_timestamp"] == midnight.value // 1_000_000
        only_mine = dict(result) | {"locks": [lock], "lock_count": 1}
        table = render_table("locks", only_mine)
        assert midnight.strftime("%Y-%m-%d 00:00:00") in table, table
    finally:
        for x in client.locks()["locks"]:
            if x["id"] not in before and x["reason"] == "ftnb midnight":
                client.delete_lock(x["id"])
