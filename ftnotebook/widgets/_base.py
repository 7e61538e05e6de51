"""What every control shares: the message area, error display and the confirmation step.

A control is a plain object that owns an ipywidgets tree (``.widget``) and displays as
that tree when it is the last expression of a cell. Every button handler runs through
:meth:`Control._act`, which turns any exception into a message inside the widget:

* ``ValueError`` (bad input, caught before anything is sent) → the parser's message;
* :class:`~ftnotebook.exceptions.ApiError` → the bot's own words (``exc.detail``);
* :class:`~ftnotebook.exceptions.ConnectionFailed` → that the bot is unreachable;
* anything else → its type and text.

So a control never dies silently and never leaves a traceback in the cell.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, Literal

import ipywidgets as widgets

from ftnotebook.client import FtClient
from ftnotebook.exceptions import ApiError, ConnectionFailed

__all__ = ["Confirmation", "Control", "button"]

Tone = Literal["ok", "error", "info"]
_COLOURS = {"ok": "#1a7f37", "error": "#cf222e", "info": "#57606a"}


def button(
    description: str,
    css_class: str,
    on_click: Callable[[], None],
    *,
    style: str = "",
    icon: str = "",
    tooltip: str = "",
) -> Any:
    """An ipywidgets Button with a stable CSS class (for browser tests and user CSS)."""
    btn = widgets.Button(
        description=description, button_style=style, icon=icon, tooltip=tooltip or description
    )
    btn.add_class(css_class)
    btn.on_click(lambda _btn: on_click())
    return btn


class Control:
    """Base of the controls: owns ``client``, ``widget`` (the root box) and the message area.

    Attributes:
        message: the HTML widget under the control that says what happened.
        last_error: the text of the last error shown, ``None`` after a success.
    """

    css_class = "ftnb-control"

    def __init__(self, client: FtClient) -> None:
        if not isinstance(client, FtClient):
            raise TypeError(f"client: expected an FtClient, got {type(client).__name__}")
        self.client = client
        self.last_error: str | None = None
        self.last_message = ""
        self.message = widgets.HTML(value="")
        self.message.add_class("ftnb-message")
        self.widget = widgets.VBox([])
        self.widget.add_class("ftnb-control")
        self.widget.add_class(self.css_class)

    # -------------------------------------------------------------- display

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def close(self) -> None:
        """Close the widgets (the control can no longer be shown)."""
        self.widget.close()

    # ------------------------------------------------------------- messages

    def show(self, text: str, tone: Tone = "ok") -> None:
        """Put ``text`` in the message area (``tone``: ok / error / info)."""
        self.last_message = text
        self.last_error = text if tone == "error" else None
        mark = {"ok": "✓ ", "error": "✗ ", "info": ""}[tone]
        self.message.value = (
            f'<span class="ftnb-message-{tone}" style="color:{_COLOURS[tone]}">'
            f"{html.escape(mark + text)}</span>"
        )

    def _act(self, what: str, action: Callable[[], str | None]) -> bool:
        """Run ``action``; show its returned text, or the error it raised. True on success."""
        try:
            done = action()
        except ValueError as exc:
            self.show(str(exc), "error")
        except ApiError as exc:
            self.show(f"{what}: the bot answered {exc.status}: {exc.detail}", "error")
        except ConnectionFailed as exc:
            self.show(f"{what}: cannot reach the bot: {exc}", "error")
        except Exception as exc:  # a control must never die with a traceback in the cell
            self.show(f"{what}: unexpected {type(exc).__name__}: {exc}", "error")
        else:
            if done is not None:
                self.show(done, "ok")
            return True
        return False


class Confirmation:
    """A hidden "Really …? [yes] [cancel]" row; :meth:`ask` shows it for one action.

    ``yes``/``no`` carry the CSS classes ``ftnb-confirm-yes`` / ``ftnb-confirm-no``.
    """

    def __init__(self, control: Control) -> None:
        self._control = control
        self._pending: Callable[[], object] | None = None
        self.prompt = widgets.HTML(value="")
        self.yes = button("Confirm", "ftnb-confirm-yes", self._confirm, style="danger")
        self.no = button("Cancel", "ftnb-confirm-no", self.cancel)
        self.widget = widgets.HBox([self.prompt, self.yes, self.no])
        self.widget.add_class("ftnb-confirm")
        self.widget.layout.display = "none"

    @property
    def pending(self) -> bool:
        """True while a question waits for an answer."""
        return self._pending is not None

    def ask(self, question: str, on_yes: Callable[[], object], *, yes: str = "Confirm") -> None:
        """Show ``question``; ``on_yes`` runs only when the user clicks the yes button."""
        self._pending = on_yes
        self.yes.description = yes
        self.prompt.value = f"<b>{html.escape(question)}</b>"
        self.widget.layout.display = "flex"
        self._control.show(f"{question} Confirm or cancel.", "info")

    def cancel(self) -> None:
        """Forget the pending question."""
        self._pending = None
        self.widget.layout.display = "none"
        self._control.show("cancelled, nothing was sent", "info")

    def _confirm(self) -> None:
        action, self._pending = self._pending, None
        self.widget.layout.display = "none"
        if action is None:
            self._control.show("nothing to confirm", "info")
            return
        action()
