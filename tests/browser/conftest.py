"""Real-browser fixtures: JupyterLab in headless Debian Chromium, driven by Playwright.

Every test under ``tests/browser/`` gets the ``browser`` marker automatically, so
``pytest -m "not browser"`` runs everything else. The recipe behind these fixtures is
``/work/shared/notebook-testing.md`` (JupyterLab 4 + Playwright + ``/usr/bin/chromium``,
offline, no ``playwright install``).

Missing browser pieces: without Chromium (``$CHROMIUM_PATH``, default ``/usr/bin/chromium``)
or the ``playwright`` Python package the tests skip with a reason that says what is missing
and how to install it. ``make test`` installs both and sets ``FTNOTEBOOK_REQUIRE_BROWSER=1``,
which turns that skip into a failure.

Fixtures
--------
``lab`` (session): one JupyterLab server for the whole run, an instance of :class:`Lab`.

* ``lab.url`` (``http://127.0.0.1:<port>``), ``lab.token``, ``lab.root`` (a tmp copy of
  ``notebooks/``; the server's root directory).
* ``lab.write_notebook(name, cells)`` drops a notebook of your own into the root; each cell
  is a source string, markdown cells start with ``"%% md\\n"``. Returns the path.
* ``lab.notebook_url(name)``: the ``/lab/tree/<name>?reset&token=…`` address.
* The kernels inherit the server's environment: the trade bot's ``env()``
  (``FTNOTEBOOK_URL/USERNAME/PASSWORD/WS_TOKEN/CONFIG``) plus ``FTNOTEBOOK_WEBSERVER_URL`` and
  ``FTNOTEBOOK_WEBSERVER_PASSWORD``, so ``FtClient.from_env()`` works in a notebook cell.

``lab_page`` (function): a :class:`LabPage` with ``.page`` (a Playwright ``Page`` in a fresh
persistent Chromium context, viewport 1400x1000) and ``.console_errors`` (console messages of
type ``error`` and uncaught page errors, collected while the test runs: assert it is empty).

``open_and_run(page, lab, notebook_name, timeout_s=120)`` (plain function, import it with
``from tests.browser.conftest import open_and_run``): opens the notebook, waits for the Python
kernel to be idle, clicks **Run → Run All Cells**, waits until every code cell has an
execution count and the kernel is idle again, and fails with the cell's text if a cell left a
traceback. ``page`` may be the :class:`LabPage` or its ``.page``.

Example::

    from playwright.sync_api import expect
    from tests.browser.conftest import open_and_run

    def test_my_plot(lab, lab_page):
        lab.write_notebook("my_plot.ipynb", ["import plotly.express as px",
                                             "px.line(y=[1, 2, 3])"])
        open_and_run(lab_page, lab, "my_plot.ipynb")
        expect(lab_page.page.locator(".js-plotly-plot .main-svg").first).to_be_attached()
        assert lab_page.console_errors == []
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from ftnotebook.demo.launcher import RunningBot

REQUIRE_BROWSER = os.environ.get("FTNOTEBOOK_REQUIRE_BROWSER") == "1"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
INSTALL_HINT = (
    "`make test` installs it (Debian: `apt-get install chromium`; Python: "
    "`.venv/bin/pip install playwright`, no `playwright install` needed)"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this directory ``browser``."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def browser_or_skip() -> None:
    """Skip (or fail under ``FTNOTEBOOK_REQUIRE_BROWSER=1``) without Chromium or playwright."""
    missing = []
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"no chromium at {CHROMIUM} (set $CHROMIUM_PATH to use another)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package `playwright` is not installed")
    if not missing:
        return
    reason = "; ".join(missing) + f": {INSTALL_HINT}"
    if REQUIRE_BROWSER:
        pytest.fail(f"FTNOTEBOOK_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(f"browser test needs Chromium + playwright: {reason}")


LAB_PORT_ATTEMPTS = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cell(source: str) -> dict[str, Any]:
    if source.startswith("%% md\n"):
        return {"cell_type": "markdown", "metadata": {}, "source": source[6:]}
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "source": source,
    }


@dataclass
class Lab:
    """A running JupyterLab server (see the module docstring)."""

    url: str
    token: str
    root: Path
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def notebook_url(self, name: str) -> str:
        return f"{self.url}/lab/tree/{name}?reset&token={self.token}"

    def write_notebook(self, name: str, cells: Sequence[str]) -> Path:
        """Write ``name`` (relative to the root) with one cell per source string."""
        notebook = {
            "cells": [_cell(source) for source in cells],
            "metadata": {
                "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                "language_info": {"name": "python"},
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
        return path

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


@pytest.fixture(scope="session")
def lab(
    tmp_path_factory: pytest.TempPathFactory, trade_bot: RunningBot, webserver_bot: RunningBot
) -> Iterator[Lab]:
    browser_or_skip()
    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "root"
    if NOTEBOOKS.is_dir():
        shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    else:
        root.mkdir()
    settings = base / "settings"
    news = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}), "utf-8")

    env = dict(os.environ)
    env.update(trade_bot.env())
    env["FTNOTEBOOK_WEBSERVER_URL"] = webserver_bot.api_url
    env["FTNOTEBOOK_WEBSERVER_PASSWORD"] = webserver_bot.password
    env["JUPYTER_CONFIG_DIR"] = str(base / "config")
    env["JUPYTER_RUNTIME_DIR"] = str(base / "runtime")
    env["JUPYTER_DATA_DIR"] = str(base / "data")
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    token = secrets.token_hex(16)
    log_path = base / "jupyterlab.log"
    server = None
    # The port is free when picked but released before JupyterLab binds it: on a clash
    # (another process took it meanwhile) start again on a fresh port.
    for attempt in range(1, LAB_PORT_ATTEMPTS + 1):
        port = _free_port()
        cmd = [
            sys.executable, "-m", "jupyter", "lab", "--no-browser",
            "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.workspaces_dir={base / 'workspaces'}",
            f"--LabApp.user_settings_dir={settings}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
        ]  # fmt: skip
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        server = Lab(f"http://127.0.0.1:{port}", token, root, log_path, proc)
        if _lab_ready(server):
            break
        clash = "already in use" in server.log_tail(80)
        _stop_lab(proc)
        if not clash or attempt == LAB_PORT_ATTEMPTS:
            pytest.fail(f"JupyterLab did not start ({proc.returncode}):\n{server.log_tail()}")
    assert server is not None
    try:
        yield server
    finally:
        _stop_lab(server.process)


def _lab_ready(server: Lab, timeout: float = 90.0) -> bool:
    """Wait until JupyterLab answers /api/status; False if it exited or never answered."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        try:
            status = requests.get(
                f"{server.url}/api/status", params={"token": server.token}, timeout=2
            )
            if status.status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.2)
    return False


def _stop_lab(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@dataclass
class LabPage:
    """A Playwright page plus the console/page errors seen while the test ran."""

    page: Any  # playwright.sync_api.Page (kept Any: playwright may be absent at import time)
    console_errors: list[str]


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Any]:
    browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture
def lab_page(_playwright: Any, tmp_path: Path) -> Iterator[LabPage]:
    context = _playwright.chromium.launch_persistent_context(
        str(tmp_path / "chromium-profile"),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1400, "height": 1000},
    )
    errors: list[str] = []
    page = context.pages[0] if context.pages else context.new_page()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.set_default_timeout(30_000)
    try:
        yield LabPage(page, errors)
    finally:
        context.close()


_ALL_RUN_JS = """() => {
  const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
  const busy = status && status.getAttribute('data-status') !== 'idle';
  const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .map(p => p.textContent.trim());
  return !busy && prompts.length > 0 && prompts.every(t => /^\\[\\d+\\]:$/.test(t));
}"""

_ERROR_CELLS_JS = """() => [...document.querySelectorAll('.jp-CodeCell')]
  .filter(c => /Traceback \\(most recent call last\\)/.test(
      [...c.querySelectorAll('.jp-OutputArea-output')].map(o => o.textContent).join('\\n')))
  .map(c => c.innerText.slice(0, 3000))"""


def open_and_run(page: Any, lab: Lab, notebook_name: str, timeout_s: float = 120) -> None:
    """Open ``notebook_name`` in JupyterLab, Run All Cells, wait until every cell ran.

    Fails (``pytest.fail``) with the cell text when a cell shows a traceback or when the
    run does not finish within ``timeout_s``.
    """
    from playwright.sync_api import expect

    page = getattr(page, "page", page)
    page.goto(lab.notebook_url(notebook_name))
    expect(page.locator(".jp-NotebookPanel").first).to_be_visible(timeout=60_000)
    expect(page.locator(".jp-NotebookPanel-toolbar .jp-KernelName").first).to_contain_text(
        "Python", timeout=60_000
    )
    expect(
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first
    ).to_be_attached(timeout=60_000)
    page.locator("#jp-MainMenu").get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        errors = page.evaluate(_ERROR_CELLS_JS)
        if errors:
            pytest.fail(f"{notebook_name}: a cell raised:\n" + "\n---\n".join(errors))
        if page.evaluate(_ALL_RUN_JS):
            return
        page.wait_for_timeout(250)
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
    pytest.fail(f"{notebook_name}: cells did not all run within {timeout_s} s; prompts {prompts}")
