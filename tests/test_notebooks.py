"""Every example notebook in ``notebooks/`` runs top to bottom against the real demo bots.

One test per ``notebooks/NN_name.ipynb`` (parametrized, so a new notebook is picked up
without touching this file). Each notebook is executed with nbclient in a fresh kernel
whose environment points at the session's bots, exactly as a reader's would after
``make demo``:

* ``FTNOTEBOOK_URL`` / ``_USERNAME`` / ``_PASSWORD`` / ``_WS_TOKEN`` / ``_CONFIG``: the
  trade bot (``trade_bot.env()``);
* ``FTNOTEBOOK_WEBSERVER_URL`` / ``FTNOTEBOOK_WEBSERVER_PASSWORD``: the webserver bot
  (same username);
* ``FTNOTEBOOK_FLEET_FILE``: the fleet file (for ``08_fleet``, which starts the fleet's
  two extra bots through the ``fleet_bots`` fixture).

Each notebook also runs against a throwaway trade bot (fresh database, same simulator) in
two states a new user meets: **0 trades**, and **only open trades** (two force-entered,
none closed). Between runs the fixture puts that bot back into the state (trades the
notebooks made are deleted through the API).

The notebooks assert what they claim (notebook 02: every ``/profit`` figure equal), and
their optional clean-up cells, off under Run All, run here too (``clean_up = True``).

The working directory is ``notebooks/``. A notebook fails the run when a cell raises,
when any cell has an ``error`` output (even one a notebook tagged ``raises-exception``),
or when the notebook produced no output at all (a notebook that shows nothing proves
nothing). Outputs are never written back: the files in git stay output-free.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from ftnotebook.demo.launcher import RunningBot, RunningSimulator, start_bot
from tests.conftest import BotApi

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
CELL_TIMEOUT_S = 180
"""Per-cell limit: generous, since several pytest runs may share two cores."""


def notebook_env(trade_bot: RunningBot, webserver_bot: RunningBot) -> dict[str, str]:
    """The environment a notebook kernel gets: both bots, no secrets in the notebook."""
    env = dict(trade_bot.env())
    env["FTNOTEBOOK_WEBSERVER_URL"] = webserver_bot.api_url
    env["FTNOTEBOOK_WEBSERVER_PASSWORD"] = webserver_bot.password
    return env


def error_outputs(nb: nbformat.NotebookNode) -> list[str]:
    """``"cell N: EName: evalue"`` for every error output in an executed notebook."""
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"cell {index}: {output.get('ename')}: {output.get('evalue')}")
    return found


def count_outputs(nb: nbformat.NotebookNode) -> int:
    """How many outputs (streams, displays, results) the code cells produced."""
    return sum(len(cell.get("outputs", [])) for cell in nb.cells if cell.cell_type == "code")


def test_notebooks_are_stored_without_outputs() -> None:
    """Notebooks in git carry no outputs or execution counts (nothing stale, no secrets)."""
    dirty = []
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
                dirty.append(f"{path.name} cell {index}")
    assert not dirty, f"clear the outputs before committing: {dirty}"


CLEAN_UP_OFF = "clean_up = False"
FIRST_STEPS = [p for p in NOTEBOOKS if p.name[:2] in {"01", "02", "03", "04", "05"}]
"""The notebooks of one bot (01-05) that also run on a fresh bot and in the browser test."""


def run_notebook(
    path: Path,
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest | None = None,
) -> Any:
    """Execute ``path`` with ``env`` (clean-up cells switched on); fail on any error."""
    # The kernel is a child process: it inherits this process's environment.
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    if path.name.startswith("08_") and request is not None:  # the fleet's bots and file
        request.getfixturevalue("fleet_bots")
        monkeypatch.setenv(
            "FTNOTEBOOK_FLEET_FILE", str(request.getfixturevalue("demo_stack").fleet_file)
        )
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:  # the clean-up Run All skips (widgets stay on screen) runs here
        if cell.cell_type == "code" and cell.source.startswith(CLEAN_UP_OFF):
            cell.source = "clean_up = True" + cell.source[len(CLEAN_UP_OFF) :]
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    failure = None
    try:
        client.execute()
    except CellExecutionError as exc:
        failure = str(exc)
    if failure is not None:
        pytest.fail(f"{path.name} failed:\n{failure}", pytrace=False)

    errors = error_outputs(nb)
    assert not errors, f"{path.name} has error outputs: {errors}"
    produced = count_outputs(nb)
    assert produced >= 1, f"{path.name} ran but produced no output at all"
    return nb


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_against_the_demo_bots(
    path: Path,
    trade_bot: RunningBot,
    webserver_bot: RunningBot,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    nb = run_notebook(path, notebook_env(trade_bot, webserver_bot), monkeypatch, request)
    text = "".join(
        o.get("text", "") for cell in nb.cells for o in cell.get("outputs", []) if "text" in o
    )
    if path.name.startswith("02_"):
        assert "figures equal" in text and "no closed trade" not in text


class FreshBot:
    """A throwaway trade bot (fresh database) that a test puts into a given state."""

    OPEN_PAIRS = ("ETH/USDT", "XRP/USDT")

    def __init__(self, bot: RunningBot) -> None:
        self.bot = bot
        self.api = BotApi(bot)

    def _all_trades(self) -> list[dict[str, Any]]:
        closed = self.api.get("trades", limit=500)["trades"]
        return [*closed, *self.api.get("status")]

    def set_state(self, state: str) -> None:
        """``"empty"``: no trade at all; ``"open_only"``: two open trades, none closed."""
        for trade in self._all_trades():
            self.api("DELETE", f"trades/{trade['trade_id']}")
        for lock in self.api.get("locks")["locks"]:
            self.api("DELETE", f"locks/{lock['id']}")
        if state == "open_only":
            for pair in self.OPEN_PAIRS:
                self.api("POST", "forceenter", json={"pair": pair, "entry_tag": "nb_state"})
        deadline = time.monotonic() + 60
        want = 2 if state == "open_only" else 0
        while True:  # entries filled (dry-run limit orders) and nothing closed
            status = self.api.get("status")
            filled = [t for t in status if not t.get("has_open_orders")]
            if len(filled) == want == len(status) and not self.api.get("trades")["trades"]:
                return
            assert time.monotonic() < deadline, f"fresh bot never reached {state}: {status}"
            time.sleep(0.5)


@pytest.fixture(scope="module")
def fresh_bot(
    simulator: RunningSimulator, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FreshBot]:
    bot = start_bot(tmp_path_factory.mktemp("fresh-bot"), simulator_url=simulator.url)
    try:
        fresh = FreshBot(bot)
        deadline = time.monotonic() + 120  # notebooks chart the analysed candles
        while not fresh.api.get("pair_candles", pair="BTC/USDT", timeframe="5m")["data"]:
            assert time.monotonic() < deadline, "the fresh bot never analysed BTC/USDT"
            time.sleep(1)
        yield fresh
    finally:
        bot.stop()


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("state", ["empty", "open_only"])
@pytest.mark.parametrize("path", FIRST_STEPS, ids=[p.name for p in FIRST_STEPS])
def test_notebook_runs_on_a_bot_without_closed_trades(
    path: Path,
    state: str,
    fresh_bot: FreshBot,
    webserver_bot: RunningBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A fresh bot (0 trades) and one with only open trades: every notebook still runs."""
    fresh_bot.set_state(state)
    nb = run_notebook(path, notebook_env(fresh_bot.bot, webserver_bot), monkeypatch)
    if path.name.startswith("02_"):
        text = "".join(
            o.get("text", "") for cell in nb.cells for o in cell.get("outputs", []) if "text" in o
        )
        assert "no closed trade yet: no drawdown" in text
        assert f"0 closed and {2 if state == 'open_only' else 0} open trades" in text
