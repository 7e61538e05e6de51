"""``BlacklistControl``: the bot's pair blacklist, with add (wildcards too) and remove.

::

    bl = BlacklistControl(FtClient.from_env())
    bl                                   # the list, what it expands to, server errors

    bl.pairs.value = "DOGE/USDT, SHIB/.*"
    bl.add_button.click()
    bl.select.value = ("DOGE/USDT",)     # a multi-selection
    bl.remove_button.click()

freqtrade reports per-entry problems (already listed, not a valid wildcard, not on the
list) in the response's ``errors``; the control shows them in the server's words.

Entries are checked first with FtClient's rule (one ``/``, a valid regex, no whitespace).
A wildcard that matches every market of the exchange (``.*/.*``) stops all trading, so
it asks for confirmation (``bl.confirm.yes.click()``). A plain pair the exchange does not
list is added, with a warning in the message (``bl.warnings``): it blocks nothing.

CSS classes: ``ftnb-blacklist`` (root), ``ftnb-blacklist-pairs`` (text field),
``ftnb-blacklist-add``, ``ftnb-blacklist-select`` (multi-select), ``ftnb-blacklist-remove``,
``ftnb-blacklist-refresh``, ``ftnb-blacklist-expanded``, ``ftnb-blacklist-errors``,
``ftnb-message``.
"""

from __future__ import annotations

import html
import re
from typing import Any

import ipywidgets as widgets

from ftnotebook._validate import is_plain_pair
from ftnotebook.client import FtClient
from ftnotebook.models import BlacklistResponse
from ftnotebook.widgets._base import Confirmation, Control, button
from ftnotebook.widgets._inputs import parse_pairs

__all__ = ["BlacklistControl"]


def _error_text(errors: dict[str, Any]) -> list[str]:
    texts = []
    for pair, err in errors.items():
        msg = err.get("error_msg", err) if isinstance(err, dict) else err
        texts.append(f"{pair}: {msg}")
    return texts


class BlacklistControl(Control):
    """The blacklist (entries + ``blacklist_expanded``), an add field and a remove button."""

    css_class = "ftnb-blacklist"

    def __init__(self, client: FtClient) -> None:
        super().__init__(client)
        self.blacklist: list[str] = []
        self.expanded: list[str] = []
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self._markets: set[str] | None = None
        self.select = widgets.SelectMultiple(options=(), rows=6, description="blacklist")
        self.select.add_class("ftnb-blacklist-select")
        self.expanded_html = widgets.HTML()
        self.expanded_html.add_class("ftnb-blacklist-expanded")
        self.errors_html = widgets.HTML()
        self.errors_html.add_class("ftnb-blacklist-errors")
        self.pairs = widgets.Text(placeholder="DOGE/USDT, SHIB/.*", description="pairs")
        self.pairs.add_class("ftnb-blacklist-pairs")
        self.add_button = button("Add", "ftnb-blacklist-add", self.add, style="primary", icon="ban")
        self.remove_button = button(
            "Remove selected", "ftnb-blacklist-remove", self.remove, style="danger", icon="trash"
        )
        self.refresh_button = button(
            "Refresh", "ftnb-blacklist-refresh", self.refresh, icon="refresh"
        )
        self.confirm = Confirmation(self)
        self.widget.children = [
            widgets.HTML("<b>Pair blacklist</b>"),
            widgets.HBox([self.select, widgets.VBox([self.remove_button, self.refresh_button])]),
            self.expanded_html,
            widgets.HBox([self.pairs, self.add_button]),
            self.errors_html,
            self.confirm.widget,
            self.message,
        ]
        self._act("loading", lambda: f"{self._show(self.client.blacklist())} entries")

    def refresh(self) -> None:
        """Read the blacklist from the bot."""
        self._act("refresh", lambda: f"{self._show(self.client.blacklist())} entries")

    def add(self) -> None:
        """Add the pairs/wildcards typed in ``pairs`` (comma or space separated)."""
        self._act("add to blacklist", self._add)

    def remove(self) -> None:
        """Remove the entries selected in ``select``."""
        self._act("remove from blacklist", self._remove)

    def _known_markets(self) -> set[str]:
        if self._markets is None:
            known = set(self.client.markets()["markets"])
            known.update(self.client.whitelist()["whitelist"])
            self._markets = known
        return self._markets

    def _add(self) -> str | None:
        entries = parse_pairs(self.pairs.value, field="pairs")
        markets = self._known_markets()
        everything = [
            e
            for e in entries
            if not is_plain_pair(e)
            and markets
            and all(re.fullmatch(e, market) for market in markets)
        ]
        self.warnings = [
            f"{e!r} is not a market on this exchange; it blocks nothing"
            for e in entries
            if is_plain_pair(e) and e not in markets
        ]
        if everything:
            self.confirm.ask(
                f"{', '.join(everything)} matches every market ({len(markets)}): the bot "
                "would stop opening trades. Add anyway?",
                lambda: self._act("add to blacklist", lambda: self._send(entries)),
                yes="Add",
            )
            return None
        return self._send(entries)

    def _send(self, entries: list[str]) -> str:
        response = self.client.add_to_blacklist(*entries)
        self._show(response)
        added = [e for e in entries if e not in response["errors"]]
        if response["errors"]:
            raise ValueError(
                "the bot refused: "
                + "; ".join(_error_text(response["errors"]))
                + (f" (added {', '.join(added)})" if added else "")
            )
        self.pairs.value = ""
        warning = f" (warning: {'; '.join(self.warnings)})" if self.warnings else ""
        return f"added {', '.join(added)}{warning}"

    def _remove(self) -> str:
        chosen = list(self.select.value)
        if not chosen:
            raise ValueError("blacklist: select one or more entries to remove (none selected)")
        response = self.client.remove_from_blacklist(*chosen)
        self._show(response)
        if response["errors"]:
            raise ValueError("the bot refused: " + "; ".join(_error_text(response["errors"])))
        return f"removed {', '.join(chosen)}"

    def _show(self, response: BlacklistResponse) -> int:
        self.blacklist = list(response["blacklist"])
        self.expanded = list(response["blacklist_expanded"])
        self.errors = _error_text(response.get("errors") or {})
        if tuple(self.blacklist) != self.select.options:
            # Clear the selection in its own message first: the browser side fails
            # ("Cannot set properties of undefined") when options shrink under a selection.
            self.select.value = ()
            self.select.options = tuple(self.blacklist)
        matched = ", ".join(self.expanded) or "no listed market"
        self.expanded_html.value = f"<small>matches: {html.escape(matched)}</small>"
        self.errors_html.value = "".join(
            f'<div style="color:#cf222e">{html.escape(e)}</div>' for e in self.errors
        )
        return len(self.blacklist)
