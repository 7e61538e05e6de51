"""``python -m ftnotebook.demo`` (what ``make demo`` runs) brings up bots and JupyterLab.

Run for real as a subprocess, read its printed URLs, check the bot and JupyterLab answer,
then Ctrl-C it and check everything it started is gone.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.conftest import freqtrade_or_skip


def _read_until(proc: subprocess.Popen[str], marker: str, timeout: float) -> str:
    assert proc.stdout is not None
    seen = ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen += line
        if marker in line:
            return seen
    raise AssertionError(f"{marker!r} never printed; output so far:\n{seen}")


def _env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        values[key] = value.strip("'")
    return values


def test_demo_starts_bot_and_jupyterlab_then_stops_cleanly(tmp_path: Path) -> None:
    freqtrade_or_skip()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ftnotebook.demo",
            "--workdir",
            str(tmp_path / "demo"),
            "--no-webserver",
            "--futures",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    try:
        output = _read_until(proc, "Press Ctrl-C", timeout=180)
        lab_url = re.search(r"JupyterLab\s+(\S+)", output)
        assert lab_url, output
        assert "01_connect.ipynb" in lab_url.group(1)
        assert requests.get(lab_url.group(1), timeout=10).status_code == 200
        # JupyterLab's "notified about Jupyter news?" pop-up is off for the demo
        token = re.search(r"token=(\w+)", lab_url.group(1))
        assert token, lab_url.group(1)
        base = lab_url.group(1).split("/lab/")[0]
        notification = requests.get(
            f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification",
            params={"token": token.group(1)},
            timeout=10,
        ).json()
        assert notification["settings"]["fetchNews"] == "false", notification
        assert notification["settings"]["checkForUpdates"] is False

        creds = _env_file(tmp_path / "demo" / "env.sh")
        assert oct((tmp_path / "demo" / "env.sh").stat().st_mode & 0o777) == "0o600"
        auth = (creds["FTNOTEBOOK_USERNAME"], creds["FTNOTEBOOK_PASSWORD"])
        count = requests.get(f"{creds['FTNOTEBOOK_URL']}/api/v1/count", auth=auth, timeout=10)
        assert count.status_code == 200 and count.json()["current"] >= 2
        assert creds["FTNOTEBOOK_PASSWORD"] not in output, "the password is never printed"
        futures = requests.get(
            f"{creds['FTNOTEBOOK_FUTURES_URL']}/api/v1/show_config",
            auth=(creds["FTNOTEBOOK_USERNAME"], creds["FTNOTEBOOK_FUTURES_PASSWORD"]),
            timeout=10,
        ).json()
        assert (futures["trading_mode"], futures["short_allowed"]) == ("futures", True)
        assert "futures bot" in output
        from ftnotebook.fleet import Fleet  # the fleet file notebook 08 reads

        with Fleet.from_file(creds["FTNOTEBOOK_FLEET_FILE"]) as fleet:
            stakes = fleet.call(lambda n, c: c.show_config()["stake_currency"])
            assert stakes.values_by_bot == {
                "usdt-main": "USDT", "usdt-swing": "USDT", "btc-cross": "BTC"
            }  # fmt: skip
            fleet_pings = [f"{c.url}/api/v1/ping" for c in fleet.clients.values()]

        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, rest
        assert "Stopped." in rest
        for url in (
            lab_url.group(1),
            f"{creds['FTNOTEBOOK_URL']}/api/v1/ping",
            f"{creds['FTNOTEBOOK_FUTURES_URL']}/api/v1/ping",
            *fleet_pings,
        ):
            try:
                requests.get(url, timeout=2)
            except requests.ConnectionError:
                continue
            raise AssertionError(f"{url} still answers after the demo stopped")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
