"""``make docs`` / ``make docs-serve``: build the site against a running bot, or serve it.

    python docs/_scripts/sitebuild.py build   # mkdocs build --strict into site/
    python docs/_scripts/sitebuild.py serve   # build, then serve site/ on 127.0.0.1

The notebooks and the chart gallery run against a real bot. When ``FTNOTEBOOK_URL`` is
set (your own bot, or ``source .demo/env.sh`` of a running ``make demo``), that bot is
used. Otherwise the offline demo stack is started for the build (simulator, seeded trade
bot, webserver bot; the futures bot too when a notebook reads ``FTNOTEBOOK_FUTURES_URL``)
in ``.docs-demo/`` and stopped when the build ends, so a fresh clone needs nothing else.
``FTNOTEBOOK_DOCS_EXECUTE=false`` skips running the notebooks (a quick look at the prose).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUIET = {"DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1"}
#: The notebooks' kernels draw plotly figures as HTML with plotly.js inlined once per
#: notebook: a kernel with no frontend would otherwise emit only plotly's JSON mime type,
#: which a static page cannot show.
KERNEL_ENV = {"PLOTLY_RENDERER": "plotly_mimetype+notebook"}


def needs_fleet(notebooks: Path = ROOT / "notebooks") -> bool:
    """Whether any notebook reads the fleet file (notebook 08)."""
    return any("FTNOTEBOOK_FLEET_FILE" in p.read_text("utf-8") for p in notebooks.glob("*.ipynb"))


def needs_futures(notebooks: Path = ROOT / "notebooks") -> bool:
    """Whether any notebook reads the futures bot's URL."""
    return any("FTNOTEBOOK_FUTURES_URL" in p.read_text("utf-8") for p in notebooks.glob("*.ipynb"))


@contextlib.contextmanager
def bot_env() -> Iterator[dict[str, str]]:
    """The ``FTNOTEBOOK_*`` environment of a bot to build against (see the module doc)."""
    if os.environ.get("FTNOTEBOOK_URL"):
        print(f"building against the bot at {os.environ['FTNOTEBOOK_URL']}", flush=True)
        yield {}
        return
    from ftnotebook.demo.stack import start_stack

    futures = needs_futures()
    print("starting the offline demo bots for the build ...", flush=True)
    t0 = time.monotonic()
    stack = start_stack(ROOT / ".docs-demo", futures=futures)
    try:
        env = dict(stack.trade_bot.env())
        if stack.webserver_bot is not None:
            env["FTNOTEBOOK_WEBSERVER_URL"] = stack.webserver_bot.api_url
            env["FTNOTEBOOK_WEBSERVER_PASSWORD"] = stack.webserver_bot.password
        if stack.futures_bot is not None:
            env["FTNOTEBOOK_FUTURES_URL"] = stack.futures_bot.api_url
            env["FTNOTEBOOK_FUTURES_PASSWORD"] = stack.futures_bot.password
        if needs_fleet():
            stack.start_fleet()
            env["FTNOTEBOOK_FLEET_FILE"] = str(stack.fleet_file)
        print(f"demo bots up in {time.monotonic() - t0:.0f} s", flush=True)
        yield env
    finally:
        stack.stop()


def mkdocs_argv(site_dir: Path | None = None) -> list[str]:
    """The ``mkdocs build --strict`` command line (into ``site_dir``, default ``site/``)."""
    argv = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml")]
    if site_dir is not None:
        argv += ["--site-dir", str(site_dir)]
    return argv


def mkdocs_env(env: dict[str, str]) -> dict[str, str]:
    """This process's environment plus ``env``, without mkdocs' plugin banner."""
    return {**os.environ, **QUIET, **KERNEL_ENV, **env}


def mkdocs_build(env: dict[str, str], site_dir: Path | None = None) -> int:
    """Run ``mkdocs build --strict`` with ``env`` added; return its exit code."""
    return subprocess.call(mkdocs_argv(site_dir), cwd=ROOT, env=mkdocs_env(env))


def serve(site_dir: Path, port: int) -> None:
    """Serve the built site on 127.0.0.1 until Ctrl-C."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site_dir))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(
            f"\nServing the docs at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["build", "serve"])
    parser.add_argument("--port", type=int, default=int(os.environ.get("DOCS_PORT", "8000")))
    args = parser.parse_args(argv)
    t0 = time.monotonic()
    with bot_env() as env:
        code = mkdocs_build(env)
    if code != 0:
        print("the docs build failed (see above)", file=sys.stderr)
        return code
    print(f"site built in {time.monotonic() - t0:.0f} s: {ROOT / 'site'}/index.html", flush=True)
    if args.command == "serve":
        serve(ROOT / "site", args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
