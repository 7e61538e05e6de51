"""Fleet widgets: a dashboard of every bot, fleet-wide actions, and a fill feed across bots.

::

    from ftnotebook.fleet import Fleet, FleetFeed
    from ftnotebook.widgets.fleet import FleetActions, FleetDashboard, FleetFillFeed

    fleet = Fleet.from_file("fleet.json")
    FleetDashboard(fleet, rates="USDT")       # a row per bot, refreshed every 10 s
    FleetActions(fleet)                       # pause / stop / start / lock / blacklist

* :class:`FleetDashboard`: one row per bot: state, open trades, profit today and in total
  in the bot's own stake currency, and in the reporting currency when rates are known
  (``rates=`` a :class:`~ftnotebook.fleet.Rates`, or a currency name: then the rates are
  read from the fleet's bots on every refresh), when the bot last answered, and its
  error. A timer refreshes it; :meth:`FleetDashboard.close` stops the timer.
* :class:`FleetActions`: pick bots (all by default), then pause entries, stop, start,
  lock a pair or blacklist a pair on all of them. Every action asks for confirmation, then
  shows a per-bot result table; a partial failure is shown as *partial*, never as done.
* :class:`FleetFillFeed`: the fills of every bot from a :class:`~ftnotebook.fleet.FleetFeed`,
  newest first, with the bot's name.

CSS classes: ``ftnb-fleet-dashboard``, ``ftnb-fleet-actions`` (buttons ``ftnb-fleet-pause``,
``-stop``, ``-start``, ``-lock``, ``-blacklist``; ``ftnb-confirm-yes`` / ``ftnb-confirm-no``),
``ftnb-fleet-result``, ``ftnb-fleet-fills``.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ftnotebook.fleet import Fleet, FleetFeed, FleetMessage, FleetResult, Rates
from ftnotebook.live.messages import EntryMessage, ExitMessage
from ftnotebook.widgets._base import button

__all__ = ["FleetActions", "FleetDashboard", "FleetFillFeed"]

_OK, _BAD, _WARN, _MUTED = "#1a7f37", "#cf222e", "#9a6700", "#57606a"
_STATE_COLOURS = {"running": _OK, "paused": _WARN, "stopped": _BAD}
_CELL = "padding:2px 10px;text-align:{align}"


def _money(value: Any, currency: str | None) -> str:
    if value is None or pd.isna(value):
        return ""
    colour = _OK if value > 0 else _BAD if value < 0 else _MUTED
    digits = 8 if currency == "BTC" else 2
    return f"<span style='color:{colour}'>{value:+,.{digits}f} {html.escape(currency or '')}</span>"


def _table(
    head: Sequence[str], rows: Sequence[Sequence[str]], css: str, right: Sequence[int] = ()
) -> str:
    """An HTML table; columns in ``right`` (numbers) right-aligned, every cell on one line
    except the last column (errors and details wrap)."""
    last = len(head) - 1

    def cell(tag: str, text: str, i: int) -> str:
        style = _CELL.format(align="right" if i in right else "left")
        if i != last:
            style += ";white-space:nowrap"
        return f"<{tag} style='{style}'>{text}</{tag}>"

    thead = "".join(cell("th", html.escape(h), i) for i, h in enumerate(head))
    body = "".join(
        "<tr>" + "".join(cell("td", c, i) for i, c in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table class='{css}'><thead><tr>{thead}</tr></thead><tbody>{body}</tbody></table>"


class FleetDashboard(widgets.VBox):  # type: ignore[misc]
    """One row per bot, refreshed every ``interval`` seconds until closed.

    Args:
        fleet: the :class:`~ftnotebook.fleet.Fleet`.
        rates: a :class:`~ftnotebook.fleet.Rates`, a reporting currency (``"USDT"``: rates
            read from the fleet's bots at every refresh), or ``None`` (own currencies only).
        interval: seconds between refreshes; ``None`` refreshes only on :meth:`refresh`.

    Attributes:
        frame: the last :meth:`Fleet.overview` frame, with ``*_reporting`` columns when
            rates were known.
        last_seen: when each bot last answered (kept while it is down).
        refreshes: how many refreshes ran.
    """

    def __init__(
        self, fleet: Fleet, *, rates: Rates | str | None = None, interval: float | None = 10.0
    ) -> None:
        if not isinstance(fleet, Fleet):
            raise ValueError(f"fleet must be a Fleet, got {type(fleet).__name__}")
        if rates is not None and not isinstance(rates, Rates | str):
            raise ValueError(f"rates must be Rates, a currency name or None, got {rates!r}")
        if interval is not None and (
            isinstance(interval, bool) or not isinstance(interval, int | float) or interval <= 0
        ):
            raise ValueError(f"interval must be seconds > 0 or None, got {interval!r}")
        self.fleet = fleet
        self.rates_spec = rates
        self.rates: Rates | None = rates if isinstance(rates, Rates) else None
        self.interval = interval
        self.frame: pd.DataFrame = pd.DataFrame()
        self.last_seen: dict[str, datetime] = {}
        self.refreshes = 0
        self.rates_error = ""
        self.table = widgets.HTML()
        self.status = widgets.HTML()
        self.refresh_button = button("Refresh", "ftnb-fleet-refresh", self.refresh, icon="refresh")
        super().__init__(children=[widgets.HBox([self.refresh_button, self.status]), self.table])
        self.add_class("ftnb-fleet-dashboard")
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.refresh()
        if interval is not None:
            self._thread = threading.Thread(
                target=self._tick, name="ftnb-fleet-dashboard", daemon=True
            )
            self._thread.start()

    @property
    def timer_running(self) -> bool:
        """True while the refresh timer runs (False once closed)."""
        return self._thread is not None and self._thread.is_alive()

    def _tick(self) -> None:
        assert self.interval is not None
        while not self._stop.wait(self.interval):
            self.refresh()

    def refresh(self) -> None:
        """Ask every bot (one concurrent fleet call) and redraw."""
        with self._lock:
            if self._stop.is_set() and self.refreshes:
                return
            try:
                self._refresh()
            except Exception as exc:  # a widget must never die with a traceback
                self.status.value = f"<span style='color:{_BAD}'>{html.escape(repr(exc))}</span>"

    def _refresh(self) -> None:
        df = self.fleet.overview()
        if isinstance(self.rates_spec, str):
            try:
                self.rates = self.fleet.rates(self.rates_spec)
                self.rates_error = ""
            except Exception as exc:
                self.rates, self.rates_error = None, f"no rates: {exc}"
        rates = self.rates
        for name, ok in zip(df["bot"], df["error"] == "", strict=True):
            if ok:
                self.last_seen[str(name)] = df.loc[df["bot"] == name, "last_seen"].iloc[0]
        if rates is not None:
            for col in ("profit_today", "profit_total"):
                df[f"{col}_reporting"] = [
                    value * rates.rate(cur)
                    if cur is not None and rates.covers([cur]) and pd.notna(value)
                    else None
                    for value, cur in zip(df[col], df["stake_currency"], strict=True)
                ]
        self.frame = df
        self.refreshes += 1
        self.table.value = self._render(df, rates)
        result: FleetResult[Any] = df.attrs["fleet"]
        colour = _OK if result.status == "ok" else _WARN if result.status == "partial" else _BAD
        line = f"{len(result.answered)}/{len(result)} bots answered"
        line += f" · refreshed {datetime.now(UTC):%H:%M:%S} UTC"
        if rates is not None and rates.rates:
            line += " · rates " + ", ".join(
                f"1 {r.currency} = {r.value:,.6g} {r.reporting} ({r.as_of:%H:%M} UTC, {r.source})"
                for r in rates.rates.values()
            )
        if self.rates_error:
            line += f" · {self.rates_error}"
        self.status.value = f"<span style='color:{colour}'>{html.escape(line)}</span>"

    def _render(self, df: pd.DataFrame, rates: Rates | None) -> str:
        head = ["bot", "state", "open", "profit today", "profit total"]
        if rates is not None:
            head += [f"today ({rates.reporting})", f"total ({rates.reporting})"]
        head += ["last seen (UTC)", "error"]
        rows = []
        for row in df.to_dict("records"):
            name, cur = str(row["bot"]), row.get("stake_currency")
            state = row.get("state")
            state = state if isinstance(state, str) and state else "down"
            colour = _STATE_COLOURS.get(state, _BAD)
            seen = self.last_seen.get(name)
            cells = [
                f"<b>{html.escape(name)}</b>",
                f"<span style='color:{colour}'>{html.escape(state)}</span>",
                "" if pd.isna(row.get("open_trades")) else str(int(row["open_trades"])),
                _money(row.get("profit_today"), cur),
                _money(row.get("profit_total"), cur),
            ]
            if rates is not None:
                cells += [
                    _money(row.get("profit_today_reporting"), rates.reporting),
                    _money(row.get("profit_total_reporting"), rates.reporting),
                ]
            cells += [
                f"{seen:%H:%M:%S}" if seen is not None else "never",
                f"<span style='color:{_BAD}'>{html.escape(str(row['error']))}</span>",
            ]
            rows.append(cells)
        numbers = range(2, len(head) - 1)  # open trades, money, last seen
        return _table(head, rows, "ftnb-fleet-table", right=list(numbers))

    def close(self) -> None:
        """Stop the refresh timer and close the widget."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=30)
        super().close()


class FleetActions(widgets.VBox):  # type: ignore[misc]
    """Fleet-wide actions on the selected bots, each confirmed, each with a per-bot result.

    Attributes:
        bots: the bot picker (``SelectMultiple``, every bot selected at first).
        pair: a pair (``ETH/USDT``) or a currency (``ETH``: each bot's own quote).
        hours: lock duration. reason: the lock's reason.
        last_result: the :class:`~ftnotebook.fleet.FleetResult` of the last action.
        last_status: ``"ok"``, ``"partial"``, ``"failed"``, ``"cancelled"`` or ``"error"``.
    """

    def __init__(self, fleet: Fleet) -> None:
        if not isinstance(fleet, Fleet):
            raise ValueError(f"fleet must be a Fleet, got {type(fleet).__name__}")
        self.fleet = fleet
        self.last_result: FleetResult[Any] | None = None
        self.last_status = ""
        self.last_message = ""
        self.bots = widgets.SelectMultiple(
            options=fleet.names,
            value=tuple(fleet.names),
            description="bots",
            rows=min(6, len(fleet)),
        )
        self.pair = widgets.Text(placeholder="ETH/USDT or ETH", description="pair")
        self.hours = widgets.BoundedFloatText(
            value=1.0, min=0.01, max=24 * 365, description="hours"
        )
        self.reason = widgets.Text(value="fleet lock", description="reason")
        self.pause_button = button("Pause entries", "ftnb-fleet-pause", self.pause, style="warning")
        self.stop_button = button("Stop", "ftnb-fleet-stop", self.stop, style="danger")
        self.start_button = button("Start", "ftnb-fleet-start", self.start, style="success")
        self.lock_button = button("Lock pair", "ftnb-fleet-lock", self.lock)
        self.blacklist_button = button("Blacklist pair", "ftnb-fleet-blacklist", self.blacklist)
        self.prompt = widgets.HTML()
        self.yes = button("Confirm", "ftnb-confirm-yes", self._confirm, style="danger")
        self.no = button("Cancel", "ftnb-confirm-no", self.cancel)
        self.confirm_row = widgets.HBox([self.prompt, self.yes, self.no])
        self.confirm_row.layout.display = "none"
        self.message = widgets.HTML()
        self.result_table = widgets.HTML()
        self.result_table.add_class("ftnb-fleet-result")
        self._pending: Callable[[], FleetResult[Any]] | None = None
        self._pending_what = ""
        buttons = [self.pause_button, self.stop_button, self.start_button]
        super().__init__(
            children=[
                self.bots,
                widgets.HBox(buttons),
                widgets.HBox([self.pair, self.hours, self.reason]),
                widgets.HBox([self.lock_button, self.blacklist_button]),
                self.confirm_row,
                self.message,
                self.result_table,
            ]
        )
        self.add_class("ftnb-fleet-actions")

    @property
    def pending(self) -> bool:
        """True while an action waits for confirmation."""
        return self._pending is not None

    def _selected(self) -> list[str]:
        chosen = list(self.bots.value)
        if not chosen:
            raise ValueError("select at least one bot")
        return chosen

    def _say(self, text: str, colour: str = _MUTED) -> None:
        self.last_message = text
        self.message.value = f"<span style='color:{colour}'>{html.escape(text)}</span>"

    def _ask(
        self, what: str, question: str, action: Callable[[list[str]], FleetResult[Any]]
    ) -> None:
        try:
            bots = self._selected()
            run = self._prepare(action, bots)
        except ValueError as exc:
            self.last_status = "error"
            self._say(str(exc), _BAD)
            return
        self._pending, self._pending_what = run, what
        self.prompt.value = f"<b>{html.escape(question)} on {html.escape(', '.join(bots))}?</b>"
        self.confirm_row.layout.display = "flex"
        self._say(f"{question} on {len(bots)} bot(s)? Confirm or cancel.")

    @staticmethod
    def _prepare(
        action: Callable[[list[str]], FleetResult[Any]], bots: list[str]
    ) -> Callable[[], FleetResult[Any]]:
        return lambda: action(bots)

    def cancel(self) -> None:
        """Forget the pending action; nothing is sent."""
        self._pending = None
        self.confirm_row.layout.display = "none"
        self.last_status = "cancelled"
        self._say("cancelled, nothing was sent")

    def _confirm(self) -> None:
        run, self._pending = self._pending, None
        self.confirm_row.layout.display = "none"
        if run is None:
            self._say("nothing to confirm")
            return
        try:
            result = run()
        except ValueError as exc:
            self.last_status = "error"
            self._say(str(exc), _BAD)
            return
        self._show_result(self._pending_what, result)

    def _show_result(self, what: str, result: FleetResult[Any]) -> None:
        self.last_result = result
        self.last_status = result.status
        n, ok = len(result), len(result.answered)
        if result.status == "ok":
            self._say(f"{what}: done on all {n} bot(s)", _OK)
        elif result.status == "partial":
            self._say(f"{what}: PARTIAL, done on {ok} of {n} bots; failed on "
                      f"{', '.join(result.failed)}", _WARN)  # fmt: skip
        else:
            self._say(f"{what}: FAILED on every bot ({', '.join(result.failed)})", _BAD)
        rows = []
        for name, outcome in result.items():
            error = html.escape(outcome.error_text)
            mark = (f"<span style='color:{_OK}'>✓ done</span>" if outcome.ok
                    else f"<span style='color:{_BAD}'>✗ failed</span>")  # fmt: skip
            detail = (html.escape(_detail(outcome.value)) if outcome.ok
                      else f"<span style='color:{_BAD}'>{error}</span>")  # fmt: skip
            rows.append([html.escape(name), f"{outcome.seconds:.2f} s", mark, detail])
        self.result_table.value = _table(
            ["bot", "took", "result", "detail"], rows, "ftnb-fleet-result", right=[1]
        )

    # ---------------------------------------------------------------- actions

    def pause(self) -> None:
        """Ask, then pause entries (``POST /pause``) on the selected bots."""
        self._ask("pause", "Pause new entries", lambda bots: self.fleet.pause(bots=bots))

    def stop(self) -> None:
        """Ask, then stop (``POST /stop``) the selected bots."""
        self._ask("stop", "Stop trading", lambda bots: self.fleet.stop(bots=bots))

    def start(self) -> None:
        """Ask, then start (``POST /start``) the selected bots."""
        self._ask("start", "Start trading", lambda bots: self.fleet.start(bots=bots))

    def lock(self) -> None:
        """Ask, then lock the pair on the selected bots for ``hours``."""
        pair, hours, reason = self.pair.value.strip(), float(self.hours.value), self.reason.value

        def run(bots: list[str]) -> FleetResult[Any]:
            until = datetime.now(UTC) + timedelta(hours=hours)
            return self.fleet.lock_pair(pair, until, reason=reason, bots=bots)

        if not pair:
            self.last_status = "error"
            self._say("type a pair (ETH/USDT) or a currency (ETH) first", _BAD)
            return
        self._ask("lock", f"Lock {pair} for {hours:g} h", run)

    def blacklist(self) -> None:
        """Ask, then blacklist the pair on the selected bots."""
        pair = self.pair.value.strip()
        if not pair:
            self.last_status = "error"
            self._say("type a pair (ETH/USDT) or a currency (ETH) first", _BAD)
            return
        self._ask(
            "blacklist", f"Blacklist {pair}", lambda b: self.fleet.blacklist_pair(pair, bots=b)
        )


def _detail(value: Any) -> str:
    if isinstance(value, dict):
        if "lock_ids" in value:
            return f"{value['pair']} locked (ids {value['lock_ids']})"
        if "added" in value:
            return f"{value['pair']} " + (
                "blacklisted" if value["added"] else "was already blacklisted"
            )
        if "status" in value:
            return str(value["status"])
    return ""


class FleetFillFeed(widgets.VBox):  # type: ignore[misc]
    """Fills of every bot, newest first, each row naming its bot.

    Args:
        feed: a started :class:`~ftnotebook.fleet.FleetFeed`.
        max_rows: rows kept.
    """

    TYPES = ("entry_fill", "exit_fill")

    def __init__(self, feed: FleetFeed, *, max_rows: int = 20) -> None:
        if not isinstance(feed, FleetFeed):
            raise ValueError(f"feed must be a FleetFeed, got {type(feed).__name__}")
        if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 1:
            raise ValueError(f"max_rows must be an int >= 1, got {max_rows!r}")
        self.feed, self.max_rows = feed, max_rows
        self.rows: list[FleetMessage] = []
        self._lock = threading.Lock()
        self.table = widgets.HTML(value="<i>waiting for fills…</i>")
        super().__init__(children=[widgets.HTML("<b>Fills across the fleet</b>"), self.table])
        self.add_class("ftnb-fleet-fills")
        self._remove = feed.on(self._on_message, types=self.TYPES)

    def _on_message(self, tagged: FleetMessage) -> None:
        with self._lock:
            self.rows.insert(0, tagged)
            del self.rows[self.max_rows :]
            self.table.value = self._render()

    def _render(self) -> str:
        rows = []
        for tagged in self.rows:
            msg = tagged.message
            pair = rate = amount = profit = ""
            if isinstance(msg, EntryMessage | ExitMessage):
                pair = html.escape(msg.pair)
                amount = f"{msg.amount:g}" if msg.amount is not None else ""
            if isinstance(msg, ExitMessage):
                rate = f"{msg.close_rate:g}" if msg.close_rate is not None else ""
                profit = _money(msg.profit_amount, msg.stake_currency)
            elif isinstance(msg, EntryMessage):
                rate = f"{msg.open_rate:g}" if msg.open_rate is not None else ""
            when, bot = f"{msg.received_at:%H:%M:%S}", html.escape(tagged.bot)
            rows.append([when, bot, html.escape(msg.type), pair, rate, amount, profit])
        head = ["time (UTC)", "bot", "event", "pair", "rate", "amount", "profit"]
        return _table(head, rows, "ftnb-fleet-fills-table", right=[4, 5, 6])

    def close(self) -> None:
        """Stop listening (the feed keeps running) and close the widget."""
        self._remove()
        super().close()
