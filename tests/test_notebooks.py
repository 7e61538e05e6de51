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

The working directory is ``notebooks/``. A notebook fails the run when a cell raises,
when any cell has an ``error`` output (even one a notebook tagged ``raises-exception``),
or when the notebook produced no output at all (a notebook that shows nothing proves
nothing). Outputs are never written back: the files in git stay output-free.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from ftnotebook.demo.launcher import RunningBot

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
    # The kernel is a child process: it inherits this process's environment.
    for key, value in notebook_env(trade_bot, webserver_bot).items():
        monkeypatch.setenv(key, value)
    if path.name.startswith("08_"):  # the fleet notebook: the fleet's bots and fleet file
        request.getfixturevalue("fleet_bots")
        monkeypatch.setenv(
            "FTNOTEBOOK_FLEET_FILE", str(request.getfixturevalue("demo_stack").fleet_file)
        )
    nb = nbformat.read(path, as_version=4)
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
