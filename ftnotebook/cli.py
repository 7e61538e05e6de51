"""``ftnotebook``: the REST API from the shell, a drop-in for ``freqtrade-client``.

A freqtrade-client command line gives the same output with ``ftnotebook`` in its
place: the same command names, ``--config``, positional and ``key=value`` arguments,
and the same JSON on stdout. Every :class:`~ftnotebook.FtClient` method is a command
too, under its own name::

    ftnotebook --config user_data/config.json count
    ftnotebook -c config.json trades limit=5
    ftnotebook -c config.json daily days=3
    ftnotebook -c config.json lock_add XRP/USDT "2030-01-01 00:00:00Z" "reason=[manual] news"
    ftnotebook -c config.json blacklist "[XY]YZ/USDT"
    ftnotebook -c config.json forceenter BTC/USDT long stake_amount=50
    ftnotebook -c config.json --format table trades limit=20
    ftnotebook -c config.json --format csv trades > trades.csv
    FTNOTEBOOK_URL=http://127.0.0.1:8080 ftnotebook --username ftnb version
    ftnotebook help                 # every command with its parameters
    ftnotebook help forceenter      # one command in full

Where it differs from freqtrade-client, on purpose:

* a failure (bot down, 404, wrong password, a bad argument) prints the error to stderr
  and exits 1; freqtrade-client prints ``null`` and exits 0 when the bot is down.
  ``ping`` is the exception: like freqtrade-client's it prints ``not_running`` (exit 0)
  when nothing answers;
* values are strings unless the parameter takes a list or a dict: ``columns='["rsi"]'``
  or ``columns=rsi,macd`` is a list, ``pairlists='[{"method": "StaticPairList"}]'``
  JSON; ``"[XY]YZ/USDT"`` for ``blacklist`` stays the regex it is;
* ``--format table|csv`` shows the frame :mod:`ftnotebook.frames` builds for the result,
  ``--timeout`` bounds the wait for the bot, and a closed pipe (``| head``) ends
  quietly (exit 141).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import difflib
import json
import os
import re
import shutil
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import Any

from ftnotebook import __version__
from ftnotebook._base import SLOW_ROUTE_TIMEOUTS
from ftnotebook._cli_commands import (
    COMPAT_COMMANDS,
    Command,
    UsageError,
    commands,
    convert_arguments,
    render_command_help,
    render_help,
    split_arguments,
)
from ftnotebook._transport import AuthMode
from ftnotebook.client import FtClient
from ftnotebook.exceptions import FtNotebookError, RequestTimeout
from ftnotebook.settings import ENV_PASSWORD, ENV_URL, ConnectionSettings, Secret

__all__ = ["COMPAT_COMMANDS", "FORMATS", "commands", "main", "split_arguments"]

FORMATS = ("json", "table", "csv")
#: Exit code after the reader of stdout went away (``| head``): 128 + SIGPIPE, as a shell has.
EXIT_BROKEN_PIPE = 141
_CALL_PREFIX = re.compile(r"^[A-Za-z_]\w*\(\): ")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds > 0, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ftnotebook",
        description="Client for the freqtrade REST API (a drop-in for freqtrade-client).",
        epilog="'ftnotebook help' lists the commands; 'ftnotebook help <command>' shows one.",
    )
    parser.add_argument("command", nargs="?", help="command to run; 'help' lists them")
    parser.add_argument("-V", "--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--show", action="store_true", default=False, help="list the possible commands"
    )
    parser.add_argument(
        "-c",
        "--config",
        metavar="PATH",
        default=None,
        help="freqtrade config with an api_server section (default: config.json, or the "
        f"{ENV_URL} environment when that is set)",
    )
    parser.add_argument("--url", help=f"bot URL instead of a config (default ${ENV_URL})")
    parser.add_argument("--username", help="API username (with --url)")
    parser.add_argument(
        "--password", help=f"API password (with --url; prefer ${ENV_PASSWORD}: argv is visible)"
    )
    parser.add_argument("--jwt", action="store_true", help="authenticate with JWT tokens")
    parser.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help="wait at most this long for each answer of the bot (default: 30, and up to "
        "180 for slow routes such as pair_history)",
    )
    parser.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default="json",
        help="json (default, freqtrade-client's output), table (for people) or csv "
        "(the typed frame)",
    )
    parser.add_argument(
        "--columns",
        metavar="A,B",
        help="with --format table|csv: these columns of the frame instead of the default",
    )
    parser.add_argument(
        "command_arguments", nargs="*", default=[], help="positional and key=value arguments"
    )
    return parser


def _settings(ns: argparse.Namespace) -> ConnectionSettings:
    if ns.url or (ns.config is None and os.environ.get(ENV_URL)):
        return ConnectionSettings.resolve(ns.url, ns.username, ns.password)
    return ConnectionSettings.from_config(ns.config or "config.json")


def _client(ns: argparse.Namespace) -> FtClient:
    auth: AuthMode = "jwt" if ns.jwt else "basic"
    if ns.timeout is None:
        return FtClient(settings=_settings(ns), auth=auth)
    connect = min(ns.timeout, 5.0)
    return FtClient(
        settings=_settings(ns),
        auth=auth,
        timeout=(connect, ns.timeout),
        timeouts={name: (connect, ns.timeout) for name in SLOW_ROUTE_TIMEOUTS},
    )


def _to_json(value: Any) -> Any:
    if isinstance(value, Secret):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise TypeError(f"cannot print a {type(value).__name__} as JSON")


def _render(command: str, result: Any, ns: argparse.Namespace, money: dict[str, Any]) -> str:
    text = json.dumps(result, default=_to_json)
    if ns.format == "json":
        return text + "\n"
    # The table/CSV code imports pandas: only load it when asked for.
    from ftnotebook import _cli_tables

    plain = json.loads(text)
    columns = _column_list(ns.columns)
    if ns.format == "csv":
        return _cli_tables.render_csv(command, plain, columns)
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    return _cli_tables.render_table(command, plain, columns, width=width, **money) + "\n"


def _money(client: FtClient) -> dict[str, Any]:
    """The bot's stake currency and its display decimals, for ``--format table``."""
    try:
        config = client.show_config()
    except FtNotebookError:
        return {}  # the table guesses the currency from the result instead
    currency = config.get("stake_currency")
    decimals = config.get("stake_currency_decimals")
    return {
        "currency": currency if isinstance(currency, str) and currency else None,
        "decimals": decimals if isinstance(decimals, int) and decimals >= 0 else None,
    }


def _column_list(text: str | None) -> list[str] | None:
    if text is None:
        return None
    names = [c.strip() for c in text.split(",") if c.strip()]
    if not names:
        raise UsageError(f"--columns needs column names such as trade_id,pair; got {text!r}")
    return names


def _error(command: str, exc: BaseException) -> int:
    text = _CALL_PREFIX.sub("", str(exc))
    if isinstance(exc, RequestTimeout):
        text += " Use --timeout SECONDS to wait longer."
    _say(f"ftnotebook: {command}: {text}")
    return 1


def _say(text: str) -> None:
    with contextlib.suppress(OSError):  # stderr gone as well: nothing left to tell
        print(text, file=sys.stderr)


def _write(text: str) -> int:
    """Print ``text``; a reader that went away (``| head``) ends the run quietly."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's last flush finds nothing to
        # complain about (Python's documented recipe for SIGPIPE).
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return EXIT_BROKEN_PIPE
    return 0


def _help(ns: argparse.Namespace, table: dict[str, Command]) -> int:
    wanted = ns.command_arguments if ns.command in ("help", "show") else []
    if not wanted:
        code = _write(render_help(table) + "\n")
        asked = ns.command in ("help", "show") or ns.show
        return code if code or asked else 2
    name = wanted[0]
    command = table.get(name)
    if command is None:
        _say(f"ftnotebook: help: unknown command {name!r}.{_did_you_mean(name, table)}")
        return 2
    return _write(render_command_help(command) + "\n")


def _did_you_mean(name: str, table: dict[str, Command]) -> str:
    close = difflib.get_close_matches(name, table, n=4, cutoff=0.6)
    return f" Did you mean: {', '.join(close)}?" if close else " Run 'ftnotebook help'."


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ftnotebook`` console script; returns the exit code."""
    parser = build_parser()
    # Like freqtrade-client, allow options anywhere: parse_intermixed keeps key=value
    # arguments that follow the command together.
    ns = parser.parse_intermixed_args(argv)
    table = commands()
    if ns.show or ns.command in (None, "help", "show"):
        return _help(ns, table)
    command = table.get(ns.command)
    if command is None:
        _say(f"ftnotebook: unknown command {ns.command!r}.{_did_you_mean(ns.command, table)}")
        return 2
    try:
        if ns.columns is not None and ns.format == "json":
            raise UsageError("--columns needs --format table or --format csv")
        args, kwargs = convert_arguments(command, *split_arguments(ns.command_arguments))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            with _client(ns) as client:
                result = command.adapter(client, *args, **kwargs)
                if isinstance(result, Iterator):
                    result = list(result)  # iter_trades: every page, as one JSON list
                money = _money(client) if ns.format == "table" else {}
        output = _render(command.name, result, ns, money)
    except FileNotFoundError as exc:
        _say(
            f"ftnotebook: config file not found: {exc.filename}. Pass --config PATH, "
            f"or set {ENV_URL}."
        )
        return 1
    except (FtNotebookError, ValueError, TypeError) as exc:
        return _error(command.name, exc)
    except KeyboardInterrupt:
        return 130
    return _write(output)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
