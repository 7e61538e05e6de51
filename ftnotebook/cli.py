"""``ftnotebook``: the REST API from the shell, compatible with ``freqtrade-client``.

Same command names, ``--config``, positional and ``key=value`` arguments as
``freqtrade-client``; every :class:`~ftnotebook.FtClient` method is a command too.
Results are printed as JSON; failures print the error to stderr and exit 1
(freqtrade-client prints ``null`` and exits 0 when the bot is down)::

    ftnotebook --config user_data/config.json count
    ftnotebook -c config.json trades limit=5
    ftnotebook -c config.json lock_add XRP/USDT 2030-01-01T00:00:00Z reason=news
    ftnotebook -c config.json forceenter BTC/USDT long stake_amount=50
    FTNOTEBOOK_URL=http://127.0.0.1:8080 ftnotebook --username ftnb version
    ftnotebook help                 # every command with its parameters

Arguments arrive as strings and are converted by the client's own checks (so
``limit=5`` is the int 5 and ``order_by_id=false`` a bool). A value starting with
``[`` or ``{`` is read as JSON (``columns='["rsi"]'``); a bare ``a,b`` list is
accepted where a list of strings is expected.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from ftnotebook import __version__
from ftnotebook.client import FtClient
from ftnotebook.exceptions import FtNotebookError
from ftnotebook.settings import ENV_PASSWORD, ENV_URL, ConnectionSettings, Secret

__all__ = ["COMPAT_COMMANDS", "main"]

Command = Callable[..., Any]


# --------------------------------------------------------------- compat layer
# freqtrade-client commands whose name or arguments differ from FtClient's.


def _lock_add(c: FtClient, pair: str, until: str, side: str = "*", reason: str = "") -> Any:
    """Lock pair until a time ("2030-01-01 16:00:00Z"); side long|short|*."""
    return c.add_lock(pair, until, side=side, reason=reason or None)  # type: ignore[arg-type]


def _blacklist(c: FtClient, *pairs: str) -> Any:
    """Show the blacklist; with pairs, add them to it."""
    return c.add_to_blacklist(*pairs) if pairs else c.blacklist()


def _forcebuy(c: FtClient, pair: str, price: float | None = None) -> Any:
    """Buy an asset (deprecated: forceenter)."""
    return c.force_enter(pair, "long", price=price)


def _forceenter(
    c: FtClient,
    pair: str,
    side: str,
    price: float | None = None,
    *,
    order_type: str | None = None,
    stake_amount: float | None = None,
    leverage: float | None = None,
    enter_tag: str | None = None,
) -> Any:
    """Open a trade: pair, side (long|short), optional price and keyword options."""
    return c.force_enter(
        pair,
        side,  # type: ignore[arg-type]
        price=price,
        order_type=order_type,  # type: ignore[arg-type]
        stake_amount=stake_amount,
        leverage=leverage,
        entry_tag=enter_tag,
    )


def _forceexit(
    c: FtClient, tradeid: str, ordertype: str | None = None, amount: float | None = None
) -> Any:
    """Exit a trade (id or "all"), optionally with order type and partial amount."""
    # "all" or a digit string; the client's own check turns the latter into an int.
    return c.force_exit(tradeid, order_type=ordertype, amount=amount)  # type: ignore[arg-type]


def _list_open_trades_custom_data(
    c: FtClient, key: str | None = None, limit: int = 100, offset: int = 0
) -> Any:
    """Custom data of all open trades."""
    return c.open_trades_custom_data(key=key, limit=limit, offset=offset)


def _list_custom_data(c: FtClient, trade_id: int, key: str | None = None) -> Any:
    """Custom data of one trade."""
    return c.trade_custom_data(trade_id, key=key)


def _pair_candles(
    c: FtClient, pair: str, timeframe: str, limit: int | None = None, columns: Any = None
) -> Any:
    """Live analysed candles; with columns, only those (POST variant)."""
    if columns is not None:
        return c.pair_candles_filtered(pair, timeframe, _as_list(columns), limit=limit)
    return c.pair_candles(pair, timeframe, limit=limit)


def _pair_history(
    c: FtClient,
    pair: str,
    timeframe: str,
    strategy: str,
    timerange: str | None = None,
    freqaimodel: str | None = None,
) -> Any:
    """Historic analysed candles (webserver mode); freqtrade-client argument order."""
    return c.pair_history(pair, timeframe, timerange or "-", strategy, freqaimodel=freqaimodel)


#: freqtrade-client command name -> adapter (names that map 1:1 need no entry).
COMPAT_COMMANDS: dict[str, Command] = {
    "lock_add": _lock_add,
    "blacklist": _blacklist,
    "forcebuy": _forcebuy,
    "forceenter": _forceenter,
    "forceexit": _forceexit,
    "forcesell": lambda c, tradeid, ordertype=None: _forceexit(c, tradeid, ordertype),
    "list_open_trades_custom_data": _list_open_trades_custom_data,
    "list_custom_data": _list_custom_data,
    "pair_candles": _pair_candles,
    "pair_history": _pair_history,
    "stopbuy": lambda c: c.pause(),
    "stopentry": lambda c: c.pause(),
}

_HIDDEN = {"request", "close", "from_config", "from_env", "url", "auth", "settings"}


def commands() -> dict[str, Command]:
    """Every command: FtClient's public methods, then the freqtrade-client names."""
    table: dict[str, Command] = {}
    for name, member in inspect.getmembers(FtClient):
        if name.startswith("_") or name in _HIDDEN or not callable(member):
            continue
        table[name] = _method_caller(name)
    table.update(COMPAT_COMMANDS)
    return table


def _method_caller(name: str) -> Command:
    def call(client: FtClient, *args: Any, **kwargs: Any) -> Any:
        return getattr(client, name)(*args, **kwargs)

    call.__signature__ = _signature_without_self(getattr(FtClient, name))  # type: ignore[attr-defined]
    call.__doc__ = getattr(FtClient, name).__doc__
    return call


def _signature_without_self(func: Callable[..., Any]) -> inspect.Signature:
    sig = inspect.signature(func)
    return sig.replace(parameters=list(sig.parameters.values())[1:])


# ---------------------------------------------------------------- arguments


def _parse_value(text: str) -> Any:
    stripped = text.strip()
    if stripped[:1] in ("[", "{"):
        try:
            return json.loads(stripped)
        except json.JSONDecodeError:
            raise ValueError(f"argument {text!r} looks like JSON but is not valid JSON") from None
    return text


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [str(v) for v in value]
    raise ValueError(f"expected a list, got {value!r}")


def split_arguments(raw: Sequence[str]) -> tuple[list[Any], dict[str, Any]]:
    """``["BTC/USDT", "limit=5"]`` -> ``(["BTC/USDT"], {"limit": "5"})``.

    Only the first ``=`` splits, so ``until=2030-01-01T00:00:00+00:00`` works; a
    positional argument may not contain ``=`` before a valid identifier.
    """
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for item in raw:
        key, sep, value = item.partition("=")
        if sep and key.isidentifier():
            kwargs[key] = _parse_value(value)
        else:
            args.append(_parse_value(item))
    return args, kwargs


def _coerce_lists(func: Command, args: list[Any], kwargs: dict[str, Any]) -> None:
    """Turn ``a,b`` into ``["a", "b"]`` for parameters annotated as lists/sequences."""
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return
    if params and params[0].name in ("c", "client", "self"):
        params = params[1:]
    listy = {
        p.name for p in params if "list" in str(p.annotation) or "Sequence" in str(p.annotation)
    }
    for index, param in enumerate(params[: len(args)]):
        if param.kind is param.VAR_POSITIONAL:
            break
        if param.name in listy and isinstance(args[index], str):
            args[index] = _as_list(args[index])
    for name in listy & kwargs.keys():
        if isinstance(kwargs[name], str):
            kwargs[name] = _as_list(kwargs[name])


# --------------------------------------------------------------------- help


def render_help(table: dict[str, Command]) -> str:
    lines = ["Possible commands (freqtrade-client names work too):", ""]
    for name in sorted(table):
        func = table[name]
        try:
            params = list(inspect.signature(func).parameters.values())
        except (TypeError, ValueError):
            params = []
        if params and params[0].name in ("c", "client"):
            params = params[1:]
        shown = " ".join(_describe_param(p) for p in params)
        doc = (inspect.getdoc(func) or "").strip().splitlines()
        summary = doc[0] if doc else ""
        lines.append(f"{name} {shown}".rstrip())
        if summary:
            lines.append(f"\t{summary}")
        lines.append("")
    return "\n".join(lines)


def _describe_param(param: inspect.Parameter) -> str:
    if param.kind is param.VAR_POSITIONAL:
        return f"[{param.name}...]"
    if param.default is param.empty:
        return f"<{param.name}>" if param.kind is not param.KEYWORD_ONLY else f"{param.name}=..."
    return f"[{param.name}={param.default!r}]"


# --------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ftnotebook",
        description="Client for the freqtrade REST API (freqtrade-client compatible).",
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
        "command_arguments", nargs="*", default=[], help="positional and key=value arguments"
    )
    return parser


def _settings(ns: argparse.Namespace) -> ConnectionSettings:
    if ns.url or (ns.config is None and os.environ.get(ENV_URL)):
        return ConnectionSettings.resolve(ns.url, ns.username, ns.password)
    return ConnectionSettings.from_config(ns.config or "config.json")


def _to_json(value: Any) -> Any:
    if isinstance(value, Secret):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise TypeError(f"cannot print a {type(value).__name__} as JSON")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ftnotebook`` console script; returns the exit code."""
    parser = build_parser()
    # Like freqtrade-client, allow options anywhere: parse_intermixed keeps key=value
    # arguments that follow the command together.
    ns = parser.parse_intermixed_args(argv)
    table = commands()
    if ns.show or ns.command in (None, "help", "show"):
        print(render_help(table))
        return 0 if ns.command in ("help", "show") or ns.show else 2
    func = table.get(ns.command)
    if func is None:
        close = [name for name in table if name.startswith(ns.command[:3])]
        hint = f" Did you mean: {', '.join(sorted(close))}?" if close else ""
        print(
            f"ftnotebook: unknown command {ns.command!r}.{hint} Run 'ftnotebook help'.",
            file=sys.stderr,
        )
        return 2
    try:
        args, kwargs = split_arguments(ns.command_arguments)
        _coerce_lists(func, args, kwargs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            with FtClient(settings=_settings(ns), auth="jwt" if ns.jwt else "basic") as client:
                result = func(client, *args, **kwargs)
    except FtNotebookError as exc:
        print(f"ftnotebook: {exc}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(
            f"ftnotebook: config file not found: {exc.filename}. Pass --config PATH, "
            f"or set {ENV_URL}.",
            file=sys.stderr,
        )
        return 1
    except (ValueError, TypeError) as exc:
        print(f"ftnotebook: {ns.command}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, default=_to_json))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
