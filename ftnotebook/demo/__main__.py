"""``python -m ftnotebook.demo``: the offline demo bot, and JupyterLab on notebooks/.

Starts the exchange simulator, a seeded dry-run freqtrade bot and a webserver-mode bot,
then JupyterLab with ``FTNOTEBOOK_URL``/``FTNOTEBOOK_USERNAME``/``FTNOTEBOOK_PASSWORD``
set, so every notebook connects to the demo bot with ``FtClient.from_env()``.
``--futures`` adds a seeded futures bot (shorts, leverage, funding fees) at
``$FTNOTEBOOK_FUTURES_URL`` (user ``ftnb``, password ``$FTNOTEBOOK_FUTURES_PASSWORD``).
The fleet's two extra bots (a second USDT bot and a BTC-stake bot, see
:meth:`~ftnotebook.demo.stack.DemoStack.start_fleet`) start too, unless ``--no-fleet``;
their fleet file is ``$FTNOTEBOOK_FLEET_FILE`` (notebook 08).
Ctrl-C (or SIGTERM) stops everything it started.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

import requests

from ftnotebook.demo import processes
from ftnotebook.demo.errors import LaunchError
from ftnotebook.demo.launcher import REPO_ROOT
from ftnotebook.demo.stack import DemoStack, start_stack


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m ftnotebook.demo",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=REPO_ROOT / ".demo",
        help="where configs, databases and logs go (wiped at start)",
    )
    parser.add_argument(
        "--api-port", type=int, default=None, help="trade bot API port (default: a free one)"
    )
    parser.add_argument(
        "--jupyter-port", type=int, default=None, help="JupyterLab port (default: a free one)"
    )
    parser.add_argument("--notebooks", type=Path, default=REPO_ROOT / "notebooks")
    parser.add_argument(
        "--no-jupyter", action="store_true", help="only run the bots; print how to connect"
    )
    parser.add_argument("--no-webserver", action="store_true", help="skip the webserver-mode bot")
    parser.add_argument(
        "--futures",
        action="store_true",
        help="also start a seeded isolated-margin futures bot (long and short, 1-5x)",
    )
    parser.add_argument(
        "--no-fleet",
        action="store_true",
        help="skip the fleet's second USDT bot and BTC-stake bot (notebook 08 needs them)",
    )
    return parser.parse_args(argv)


def _bot_urls(stack: DemoStack) -> dict[str, str]:
    """The extra bots' URLs and passwords, for env.sh and the notebooks' environment."""
    env = {"FTNOTEBOOK_SIMULATOR_URL": stack.simulator.url}
    if stack.webserver_bot is not None:
        env["FTNOTEBOOK_WEBSERVER_URL"] = stack.webserver_bot.api_url
        env["FTNOTEBOOK_WEBSERVER_PASSWORD"] = stack.webserver_bot.password
    if stack.futures_bot is not None:
        env["FTNOTEBOOK_FUTURES_URL"] = stack.futures_bot.api_url
        env["FTNOTEBOOK_FUTURES_PASSWORD"] = stack.futures_bot.password
    if stack.fleet_bots:
        env["FTNOTEBOOK_FLEET_FILE"] = str(stack.fleet_file)
    return env


def _write_env(stack: DemoStack, path: Path) -> None:
    env = {**stack.trade_bot.env(), **_bot_urls(stack)}
    path.write_text(
        "".join(f"export {k}={shlex.quote(v)}\n" for k, v in env.items()), encoding="utf-8"
    )
    os.chmod(path, 0o600)


NEWS_SETTINGS = Path("@jupyterlab") / "apputils-extension" / "notification.jupyterlab-settings"
"""Where JupyterLab keeps the news/update-check switches, below its user settings dir."""


def _lab_settings(directory: Path) -> Path:
    """JupyterLab user settings for the demo: the "get notified about Jupyter news?"
    pop-up (and its update check) switched off, so it never covers the notebook."""
    path = directory / NEWS_SETTINGS
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}), "utf-8")
    return directory


def _start_jupyter(
    stack: DemoStack, notebooks: Path, port: int | None
) -> tuple[str, subprocess.Popen[bytes]]:
    port = port or processes.free_port()
    token = secrets.token_hex(16)
    env = {**os.environ, **stack.trade_bot.env(), **_bot_urls(stack)}
    settings = _lab_settings(stack.workdir / "lab-settings")
    argv = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={notebooks}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.user_settings_dir={settings}",
    ]
    if os.geteuid() == 0:
        argv.append("--allow-root")
    proc = processes.spawn(argv, log_path=stack.workdir / "jupyter.log", env=env)
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        if proc.poll() is not None:
            return True
        try:
            return (
                requests.get(f"{base}/api/status", params={"token": token}, timeout=1).status_code
                == 200
            )
        except requests.RequestException:
            return False

    processes.wait_for(up, timeout=60)
    if proc.poll() is not None:
        raise LaunchError(
            "JupyterLab exited at start.", log_tail=processes.tail(stack.workdir / "jupyter.log")
        )
    return f"{base}/lab/tree/01_connect.ipynb?token={token}", proc


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    stopping = False

    def on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    # A shell that starts us in the background makes us ignore SIGINT; Ctrl-C must work.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    print(
        "Starting the offline demo: exchange simulator, seeded freqtrade bot"
        + ("" if args.no_webserver else ", webserver bot")
        + (", futures bot" if args.futures else "")
        + ("" if args.no_fleet else ", the fleet's USDT and BTC bots")
        + " ...",
        flush=True,
    )
    try:
        stack = start_stack(
            args.workdir,
            webserver=not args.no_webserver,
            api_port=args.api_port,
            futures=args.futures,
            fleet=not args.no_fleet,
        )
    except (LaunchError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    jupyter = None
    try:
        env_file = stack.workdir / "env.sh"
        _write_env(stack, env_file)
        print(
            f"trade bot     {stack.trade_bot.api_url}  (user {stack.trade_bot.username}, "
            f"ready in {stack.trade_bot.startup_seconds:.1f} s)"
        )
        if stack.webserver_bot:
            print(f"webserver bot {stack.webserver_bot.api_url}")
        if stack.futures_bot:
            print(f"futures bot   {stack.futures_bot.api_url}  (isolated margin, shorts)")
        for name, bot in stack.fleet_bots.items():
            if bot is not stack.trade_bot:
                print(f"fleet bot     {bot.api_url}  ({name})")
        if stack.fleet_bots:
            print(f"fleet file    {stack.fleet_file}")
        print(f"simulator     {stack.simulator.url}")
        print(f"credentials   source {env_file}   (logs in {stack.workdir})")
        if not args.no_jupyter:
            url, jupyter = _start_jupyter(stack, args.notebooks.resolve(), args.jupyter_port)
            print(f"\nJupyterLab    {url}")
        print("\nPress Ctrl-C to stop everything.", flush=True)
        while not stopping:
            time.sleep(1)
            if not stack.trade_bot.is_alive():
                print(
                    "the trade bot stopped; see "
                    f"{stack.trade_bot.log_path}\n{stack.trade_bot.log_tail()}",
                    file=sys.stderr,
                )
                return 1
    except KeyboardInterrupt:
        pass
    finally:
        print("\nStopping ...", flush=True)
        if jupyter is not None:
            processes.stop(jupyter)
        stack.stop()
        print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
