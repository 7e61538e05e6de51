"""``LocksControl``: see, add and delete the bot's pair locks from a notebook.

FreqUI can only delete locks; this control also creates them::

    from ftnotebook import FtClient
    from ftnotebook.widgets import LocksControl

    locks = LocksControl(FtClient.from_env())
    locks                      # last expression of the cell: the table and the form

    locks.pair.value = "SOL/USDT"
    locks.until.value = "2h"   # or "3d", or "2030-01-31 12:00" (UTC)
    locks.add_button.click()   # what a click in the page does

The pair must be one the bot knows (its whitelist or the exchange's markets); ``until``
must be in the future. Bad input is reported in the control and nothing is sent. After
every action the table shows what the bot now holds.

CSS classes (stable, for tests and custom styling): ``ftnb-locks`` (root),
``ftnb-locks-pair``, ``ftnb-locks-until``, ``ftnb-locks-side``, ``ftnb-locks-reason``,
``ftnb-locks-add``, ``ftnb-locks-refresh``, ``ftnb-lock-row`` (one per lock) with its
``ftnb-locks-delete`` button, and ``ftnb-message``.
"""

from __future__ import annotations

import functools
import html
from typing import Any

import ipywidgets as widgets

from ftnotebook.client import FtClient
from ftnotebook.models import Lock
from ftnotebook.widgets._base import Control, button
from ftnotebook.widgets._inputs import DURATION_HELP, parse_pair, parse_until

__all__ = ["LocksControl"]

_COLUMNS = (
    ("pair", "110px"),
    ("side", "50px"),
    ("from", "150px"),
    ("until", "150px"),
    ("reason", "200px"),
    ("active", "55px"),
)
_SIDES = ("*", "long", "short")


def _cell(text: str, width: str, *, bold: bool = False) -> Any:
    body = f"<b>{html.escape(text)}</b>" if bold else html.escape(text)
    return widgets.HTML(value=body, layout=widgets.Layout(width=width))


class LocksControl(Control):
    """Table of the bot's current locks, a form to add one, a delete button per lock.

    Args:
        client: the bot's :class:`~ftnotebook.FtClient`.
    """

    css_class = "ftnb-locks"

    def __init__(self, client: FtClient) -> None:
        super().__init__(client)
        self.locks: list[Lock] = []
        self._known: set[str] | None = None
        self.pair = widgets.Combobox(
            placeholder="SOL/USDT", description="pair", ensure_option=False
        )
        self.pair.add_class("ftnb-locks-pair")
        self.until = widgets.Text(placeholder="2h, 3d or 2030-01-31 12:00", description="until")
        self.until.add_class("ftnb-locks-until")
        self.until.tooltip = DURATION_HELP
        self.side = widgets.Dropdown(options=_SIDES, value="*", description="side")
        self.side.add_class("ftnb-locks-side")
        self.reason = widgets.Text(placeholder="why (optional)", description="reason")
        self.reason.add_class("ftnb-locks-reason")
        self.add_button = button(
            "Add lock", "ftnb-locks-add", self.add, style="primary", icon="lock"
        )
        self.refresh_button = button("Refresh", "ftnb-locks-refresh", self.refresh, icon="refresh")
        self.table = widgets.VBox([])
        self.table.add_class("ftnb-locks-table")
        form = widgets.VBox(
            [
                widgets.HBox([self.pair, self.until]),
                widgets.HBox([self.side, self.reason]),
                widgets.HBox([self.add_button, self.refresh_button]),
            ]
        )
        self.widget.children = [widgets.HTML("<b>Pair locks</b>"), self.table, form, self.message]
        self._act("loading", self._load)

    # ------------------------------------------------------------- actions

    def refresh(self) -> None:
        """Read the locks from the bot and redraw the table."""
        self._act("refresh", lambda: f"{self._reload()} lock(s) on the bot")

    def add(self) -> None:
        """Validate the form, then ``POST /locks``; the table then shows the bot's locks."""
        self._act("add lock", self._add)

    def delete(self, lock_id: int) -> None:
        """``DELETE /locks/{lock_id}``, then redraw."""
        self._act(f"delete lock {lock_id}", lambda: self._delete(lock_id))

    # ------------------------------------------------------------ internals

    def _load(self) -> str:
        whitelist = self.client.whitelist()["whitelist"]
        self.pair.options = tuple(whitelist)
        if whitelist:  # a futures bot's pairs look like BTC/USDT:USDT
            self.pair.placeholder = whitelist[0]
        return f"{self._reload()} lock(s) on the bot"

    def _known_pairs(self) -> set[str]:
        if self._known is None:
            known = set(self.client.whitelist()["whitelist"])
            known.update(self.client.markets()["markets"])
            self._known = known
        return self._known

    def _add(self) -> str:
        until = parse_until(self.until.value)  # cheap checks first, then the pair list
        pair = parse_pair(self.pair.value, known=self._known_pairs())
        reason = self.reason.value.strip() or None
        if reason is not None and len(reason) > 255:
            raise ValueError(f"reason: at most 255 characters, got {len(reason)}")
        side = self.side.value
        if side not in _SIDES:
            raise ValueError(f"side: expected one of {_SIDES}, got {side!r}")
        after = self.client.add_lock(pair, until, side=side, reason=reason)["locks"]
        self._reload()
        # The answer lists every lock; ours is the newest of this pair/side/reason. Report
        # the end the bot holds: it rounds ``until`` up to its next candle.
        ours = [
            lock
            for lock in after
            if (lock["pair"], lock["side"], lock.get("reason")) == (pair, side, reason)
        ]
        end = (
            max(ours, key=lambda lock: lock["id"])["lock_end_time"]
            if ours
            else f"{until:%Y-%m-%d %H:%M:%S}"
        )
        return f"locked {pair} ({side}) until {end} UTC"

    def _delete(self, lock_id: int) -> str:
        self.client.delete_lock(lock_id)
        self._reload()
        return f"deleted lock {lock_id}"

    def _reload(self) -> int:
        self.locks = list(self.client.locks()["locks"])
        header = widgets.HBox(
            [_cell(name, width, bold=True) for name, width in _COLUMNS] + [_cell("", "80px")]
        )
        rows = [header]
        for lock in self.locks:
            lock_id = lock["id"]
            values = (
                lock["pair"],
                lock["side"],
                lock["lock_time"],
                lock["lock_end_time"],
                lock.get("reason") or "",
                "yes" if lock["active"] else "no",
            )
            delete = button(
                "Delete",
                "ftnb-locks-delete",
                functools.partial(self.delete, lock_id),
                style="danger",
                icon="trash",
            )
            delete.layout.width = "80px"
            row = widgets.HBox(
                [_cell(str(v), w) for v, (_, w) in zip(values, _COLUMNS, strict=True)] + [delete]
            )
            row.add_class("ftnb-lock-row")
            rows.append(row)
        if not self.locks:
            rows.append(widgets.HTML("<i>no active locks</i>"))
        old = self.table.children
        self.table.children = rows
        for box in old:
            box.close()
        return len(self.locks)

    def row_for(self, lock_id: int) -> Any:
        """The table row (an ``HBox``) of ``lock_id``; its last child is the delete button."""
        for lock, row in zip(self.locks, self.table.children[1:], strict=False):
            if lock["id"] == lock_id:
                return row
        raise KeyError(f"lock {lock_id} is not shown; shown: {[lk['id'] for lk in self.locks]}")
