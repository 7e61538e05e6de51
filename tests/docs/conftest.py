"""The documentation site, built once per session against the session's real bots.

``built_site`` runs ``mkdocs build --strict`` (through ``docs/_scripts/sitebuild.py``, what
``make docs`` runs) with the environment the notebook tests give their kernels
(``tests.test_notebooks.notebook_env``), so every notebook of the site and the chart
gallery execute against the real trade and webserver bots. A broken link, an unresolved
reference, a failed notebook or a failed gallery chart fails the build, and so the test.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ftnotebook.demo.launcher import RunningBot
from tests.test_notebooks import notebook_env

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "docs" / "_scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

import sitebuild as build  # noqa: E402  (docs/_scripts/sitebuild.py)

_BUILD_SECONDS: list[float] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How long the strict docs build took (notebooks and gallery on the session bots)."""
    if _BUILD_SECONDS:
        seconds = _BUILD_SECONDS[0]
        terminalreporter.write_line(f"docs site: mkdocs build --strict in {seconds:.0f} s")


@dataclass(frozen=True)
class BuiltSite:
    path: Path
    log: str
    seconds: float

    def page(self, url_path: str) -> str:
        """The HTML of ``reference/frames.md`` (given as ``reference/frames``)."""
        return (self.path / url_path.strip("/") / "index.html").read_text("utf-8")


def kernel_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """The notebooks' environment, exactly as ``tests/test_notebooks.py`` builds it.

    ``notebook_env``'s parameters are fixture names (``trade_bot``, ``webserver_bot``, and
    whatever bots a later notebook needs), so the site's notebooks get the same bots.
    """
    names = inspect.signature(notebook_env).parameters
    env = dict(notebook_env(**{name: request.getfixturevalue(name) for name in names}))
    if build.needs_fleet() and "FTNOTEBOOK_FLEET_FILE" not in env:
        request.getfixturevalue("fleet_bots")
        env["FTNOTEBOOK_FLEET_FILE"] = str(request.getfixturevalue("demo_stack").fleet_file)
    if build.needs_futures() and "FTNOTEBOOK_FUTURES_URL" not in env:
        futures: RunningBot = request.getfixturevalue("futures_bot")
        env["FTNOTEBOOK_FUTURES_URL"] = futures.api_url
        env["FTNOTEBOOK_FUTURES_PASSWORD"] = futures.password
    return env


_SITES: list[BuiltSite] = []


def build_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> BuiltSite:
    """Build the site once per session (``tests/browser/test_docs_site.py`` reuses it)."""
    if _SITES:
        return _SITES[0]
    env = kernel_env(request)
    env["FTNOTEBOOK_DOCS_EXECUTE"] = "true"
    site = tmp_path_factory.mktemp("site")
    t0 = time.monotonic()
    done = subprocess.run(
        build.mkdocs_argv(site),
        cwd=ROOT,
        env=build.mkdocs_env(env),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - t0
    _BUILD_SECONDS.append(seconds)
    log = done.stdout + done.stderr
    if done.returncode != 0:
        tail = "\n".join(log.splitlines()[-60:])
        pytest.fail(f"mkdocs build --strict failed ({done.returncode}):\n{tail}", pytrace=False)
    _SITES.append(BuiltSite(site, log, seconds))
    return _SITES[0]


@pytest.fixture(scope="session")
def built_site(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> BuiltSite:
    return build_site(request, tmp_path_factory)
