"""The commands of the ``ftnotebook`` CLI: freqtrade-client's names, then FtClient's.

Every public :class:`~ftnotebook.FtClient` method is a command under its own name.
freqtrade-client's commands whose name or arguments differ (``lock_add``,
``forceenter``, ``blacklist``, ``ping``...) are small adapters in
:data:`COMPAT_COMMANDS`, each with freqtrade-client's signature, so a
freqtrade-client command line works unchanged.

Arguments arrive as strings. :func:`split_arguments` separates positional and
``key=value`` forms; :func:`convert_arguments` then reads JSON, or a ``a,b`` list,
only for parameters that take a list or a dict (``columns``, ``pairlists``); every
other value stays the string the user typed (``"[XY]YZ/USDT"``, ``"reason=[manual]"``)
and the client's own checks turn ``"5"`` into 5 and ``"false"`` into False.
"""

from __future__ import annotations

import inspect
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from ftnotebook.client import FtClient
from ftnotebook.exceptions import ConnectionFailed, RequestTimeout

__all__ = [
    "COMPAT_COMMANDS",
    "Command",
    "commands",
    "convert_arguments",
    "render_command_help",
    "render_help",
    "split_arguments",
]

Adapter = Callable[..., Any]


# --------------------------------------------------------------- compat layer
# freqtrade-client commands whose name or arguments differ from FtClient's. Each takes
# the client first, then exactly freqtrade-client's parameters.


def _ping(c: FtClient) -> Any:
    """Is the bot trading? {"status": "pong"} if show_config says running, else not_running.

    freqtrade-client's ping, answer for answer: it reads ``show_config`` (so it needs
    the credentials), and says ``not_running`` when the bot is stopped or paused, when
    it is a webserver-mode bot, and when nothing answers at all (exit code 0).
    ``FtClient.ping()`` instead calls the raw ``GET /ping`` (no login; ``pong``
    whenever the API is up); ``ftnotebook api_ping`` runs that one.
    """
    try:
        state = c.show_config().get("state")
    except RequestTimeout:
        raise  # freqtrade-client fails on a read timeout too (exit 1)
    except ConnectionFailed as exc:
        # freqtrade-client logs a warning and prints not_running; so do we (stdout is
        # the same, the reason goes to stderr).
        print(f"ftnotebook: ping: {exc}", file=sys.stderr)
        return {"status": "not_running"}
    return {"status": "pong" if state == "running" else "not_running"}


def _api_ping(c: FtClient) -> Any:
    """``GET /ping`` as is: {"status": "pong"} whenever the API answers (no login needed).

    This is ``FtClient.ping()``. freqtrade-client has no such command: its ``ping``
    (ours too) reads the bot's state instead.
    """
    return c.ping()


def _lock_add(c: FtClient, pair: str, until: str, side: str = "*", reason: str = "") -> Any:
    """Lock a pair until a time ("2030-01-01 16:00:00Z"); side long|short|*.

    FtClient: ``add_lock(pair, until, side=, reason=)``. Without a reason the lock
    stores "" (as freqtrade-client's does).
    """
    return c.add_lock(pair, until, side=side, reason=reason)  # type: ignore[arg-type]


def _blacklist(c: FtClient, *pairs: str) -> Any:
    """Show the blacklist; with pairs (or regex patterns), add them to it.

    FtClient: ``blacklist()`` and ``add_to_blacklist(*pairs)``.
    """
    return c.add_to_blacklist(*pairs) if pairs else c.blacklist()


def _forcebuy(c: FtClient, pair: str, price: float | None = None) -> Any:
    """Buy an asset (deprecated by freqtrade: use forceenter).

    FtClient: ``force_enter(pair, "long", price=)``; this command calls the bot's own
    ``/forcebuy`` route, as freqtrade-client does.
    """
    return c.forcebuy(pair, price)


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
    """Open a trade: pair, side (long|short), optional price and keyword options.

    FtClient: ``force_enter(pair, side, price=, order_type=, stake_amount=, entry_tag=,
    leverage=)`` (``enter_tag`` is called ``entry_tag``, like the bot's field).
    """
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
    """Exit a trade (id or "all"), optionally with order type and partial amount.

    FtClient: ``force_exit(trade_id, order_type=, amount=, price=)``.
    """
    # "all" or a digit string; the client's own check turns the latter into an int.
    return c.force_exit(tradeid, order_type=ordertype, amount=amount)  # type: ignore[arg-type]


def _forcesell(c: FtClient, tradeid: str, ordertype: str | None = None) -> Any:
    """Exit a trade (deprecated by freqtrade: use forceexit).

    FtClient: ``force_exit(trade_id, order_type=)``.
    """
    return _forceexit(c, tradeid, ordertype)


def _list_open_trades_custom_data(
    c: FtClient, key: str | None = None, limit: int = 100, offset: int = 0
) -> Any:
    """Custom data of all open trades.

    FtClient: ``open_trades_custom_data(key=, limit=, offset=)``.
    """
    return c.open_trades_custom_data(key=key, limit=limit, offset=offset)


def _list_custom_data(c: FtClient, trade_id: int, key: str | None = None) -> Any:
    """Custom data of one trade.

    FtClient: ``trade_custom_data(trade_id, key=)``.
    """
    return c.trade_custom_data(trade_id, key=key)


def _pair_candles(
    c: FtClient,
    pair: str,
    timeframe: str,
    limit: int | None = None,
    columns: list[str] | None = None,
) -> Any:
    """Live analysed candles; with columns (JSON list or a,b), only those.

    FtClient: ``pair_candles(pair, timeframe, limit=)`` and, with columns,
    ``pair_candles_filtered(pair, timeframe, columns, limit=)``.
    """
    if columns is not None:
        return c.pair_candles_filtered(pair, timeframe, columns, limit=limit)
    return c.pair_candles(pair, timeframe, limit=limit)


def _pair_history(
    c: FtClient,
    pair: str,
    timeframe: str,
    strategy: str,
    timerange: str | None = None,
    freqaimodel: str | None = None,
) -> Any:
    """Historic analysed candles (webserver mode); no timerange: every candle.

    FtClient: ``pair_history(pair, timeframe, timerange, strategy, freqaimodel=)``
    (timerange before strategy).
    """
    return c.pair_history(pair, timeframe, timerange, strategy, freqaimodel=freqaimodel)


def _stopbuy(c: FtClient) -> Any:
    """Stop buying (but handle exits gracefully). Use start to resume.

    FtClient: ``pause()``.
    """
    return c.pause()


#: freqtrade-client command name -> adapter (names that map 1:1 need no entry).
COMPAT_COMMANDS: dict[str, Adapter] = {
    "api_ping": _api_ping,
    "blacklist": _blacklist,
    "forcebuy": _forcebuy,
    "forceenter": _forceenter,
    "forceexit": _forceexit,
    "forcesell": _forcesell,
    "list_custom_data": _list_custom_data,
    "list_open_trades_custom_data": _list_open_trades_custom_data,
    "lock_add": _lock_add,
    "pair_candles": _pair_candles,
    "pair_history": _pair_history,
    "ping": _ping,
    "stopbuy": _stopbuy,
    "stopentry": _stopbuy,
}

#: FtClient members that are not commands (construction, plumbing, Python-only helpers).
_HIDDEN = {"request", "close", "from_config", "from_env", "url", "auth", "settings"}


# ------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Command:
    """One CLI command: how to call it, and the parameters the user gives."""

    name: str
    adapter: Adapter
    """Called as ``adapter(client, *args, **kwargs)``."""
    signature: inspect.Signature
    """The user's parameters (the client excluded), for binding and help."""
    doc: str

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""

    def usage(self) -> str:
        """``trade <trade_id>``-style one-liner."""
        shown = " ".join(_describe_param(p) for p in self.signature.parameters.values())
        return f"{self.name} {shown}".rstrip()

    def bind(self, args: Sequence[Any], kwargs: dict[str, Any]) -> None:
        """Refuse missing, extra or unknown arguments with a message naming the command."""
        try:
            self.signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise UsageError(f"{exc}. Usage: ftnotebook {self.usage()}") from None


class UsageError(ValueError):
    """The command line does not fit the command's parameters (nothing was sent)."""


@cache
def commands() -> dict[str, Command]:
    """Every command: FtClient's public methods, then the freqtrade-client names."""
    table: dict[str, Command] = {}
    for name, member in inspect.getmembers(FtClient):
        if name.startswith("_") or name in _HIDDEN or not callable(member):
            continue
        table[name] = Command(
            name,
            _method_caller(name),
            _without_first(inspect.signature(member)),
            inspect.getdoc(member) or "",
        )
    for name, adapter in COMPAT_COMMANDS.items():
        table[name] = Command(
            name, adapter, _without_first(inspect.signature(adapter)), inspect.getdoc(adapter) or ""
        )
    return dict(sorted(table.items()))


def _method_caller(name: str) -> Adapter:
    def call(client: FtClient, *args: Any, **kwargs: Any) -> Any:
        return getattr(client, name)(*args, **kwargs)

    return call


def _without_first(sig: inspect.Signature) -> inspect.Signature:
    return sig.replace(parameters=list(sig.parameters.values())[1:])


# ---------------------------------------------------------------- arguments


def split_arguments(raw: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """``["BTC/USDT", "limit=5"]`` -> ``(["BTC/USDT"], {"limit": "5"})``.

    Only the first ``=`` splits, so ``until=2030-01-01T00:00:00+00:00`` and
    ``reason=a=b`` keep the rest; an argument is ``key=value`` only when ``key`` is a
    valid identifier. Values stay strings: see :func:`convert_arguments`.
    """
    args: list[str] = []
    kwargs: dict[str, str] = {}
    for item in raw:
        key, sep, value = item.partition("=")
        if sep and key.isidentifier():
            kwargs[key] = value
        else:
            args.append(item)
    return args, kwargs


Kind = Literal["text", "list", "json"]


def parameter_kind(param: inspect.Parameter) -> Kind:
    """``json`` for dicts (and lists of dicts), ``list`` for other lists, else ``text``."""
    if param.kind is param.VAR_POSITIONAL:
        return "text"
    annotation = param.annotation
    text = annotation if isinstance(annotation, str) else repr(annotation)
    if "dict[" in text or "Mapping[" in text:
        return "json"
    if "list[" in text or "Sequence[" in text:
        return "list"
    return "text"


def convert_arguments(
    command: Command, args: list[str], kwargs: dict[str, str]
) -> tuple[list[Any], dict[str, Any]]:
    """Read JSON or ``a,b`` lists for the parameters that take them; leave the rest.

    Raises :class:`UsageError` for a malformed JSON value of a dict parameter, and
    for arguments that do not fit the command's parameters.
    """
    command.bind(args, kwargs)
    params = list(command.signature.parameters.values())
    out_args: list[Any] = list(args)
    for index, param in enumerate(params[: len(args)]):
        if param.kind is param.VAR_POSITIONAL:
            break
        out_args[index] = _convert(param, args[index])
    by_name = {p.name: p for p in params}
    out_kwargs: dict[str, Any] = {}
    for key, value in kwargs.items():
        named = by_name.get(key)
        out_kwargs[key] = value if named is None else _convert(named, value)
    return out_args, out_kwargs


def _convert(param: inspect.Parameter, value: str) -> Any:
    kind = parameter_kind(param)
    if kind == "text":
        return value
    stripped = value.strip()
    if stripped[:1] in ("[", "{"):
        try:
            return json.loads(stripped)
        except json.JSONDecodeError as exc:
            if kind == "json":
                raise UsageError(
                    f'{param.name} takes JSON, e.g. \'[{{"method": "StaticPairList"}}]\'; '
                    f"got {value!r} ({exc})"
                ) from None
    if kind == "json":
        raise UsageError(f"{param.name} takes JSON (a list or an object), got {value!r}")
    return [part.strip() for part in value.split(",") if part.strip()]


# --------------------------------------------------------------------- help


def render_help(table: dict[str, Command]) -> str:
    """The list of commands, like freqtrade-client's ``help``, with parameters."""
    lines = [
        "Possible commands (freqtrade-client's names and FtClient's methods):",
        "'ftnotebook help <command>' shows one command in full.",
        "",
    ]
    for command in table.values():
        lines.append(command.usage())
        if command.summary:
            lines.append(f"\t{command.summary}")
        lines.append("")
    return "\n".join(lines)


def render_command_help(command: Command) -> str:
    """One command: its usage line, each parameter, and its whole docstring."""
    lines = [f"usage: ftnotebook [options] {command.usage()}", ""]
    params = list(command.signature.parameters.values())
    if params:
        lines.append("parameters:")
        for param in params:
            kind = parameter_kind(param)
            how = {"text": "", "list": " (JSON list or a,b)", "json": " (JSON)"}[kind]
            annotation = param.annotation if param.annotation is not param.empty else ""
            typed = f": {annotation}" if annotation else ""
            if param.kind is param.VAR_POSITIONAL:
                form = f"  {param.name}...{typed}"
            elif param.kind is param.KEYWORD_ONLY:
                form = f"  {param.name}=...{typed}"
            else:
                form = f"  {param.name}{typed}"
            if param.default is not param.empty:
                form += f" = {param.default!r}"
            lines.append(form + how)
        lines.append("")
    lines.append(command.doc.strip() or "(no description)")
    return "\n".join(lines)


def _describe_param(param: inspect.Parameter) -> str:
    if param.kind is param.VAR_POSITIONAL:
        return f"[{param.name}...]"
    if param.default is param.empty:
        return f"<{param.name}>" if param.kind is not param.KEYWORD_ONLY else f"{param.name}=..."
    return f"[{param.name}={param.default!r}]"
