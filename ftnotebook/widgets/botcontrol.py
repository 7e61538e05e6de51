"""``BotControl``: the bot's state and its start / stop / pause / reload_config buttons.

::

    bot = BotControl(FtClient.from_env())
    bot                        # state line + buttons

    bot.stop_button.click()    # asks first: "Stop the bot?"
    bot.confirm.yes.click()    # ... and only now sends POST /stop
    bot.start_button.click()

``stop`` and ``reload_config`` interrupt trading, so both ask for a confirmation; the
cancel button sends nothing. ``pause`` (freqtrade's ``stopbuy``/``stopentry``) stops new
entries and keeps managing open trades.

CSS classes: ``ftnb-bot`` (root), ``ftnb-bot-state``, ``ftnb-bot-start``, ``ftnb-bot-stop``,
``ftnb-bot-pause``, ``ftnb-bot-reload``, ``ftnb-bot-refresh``, ``ftnb-confirm-yes`` /
``ftnb-confirm-no``, ``ftnb-message``.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from ftnotebook.client import FtClient
from ftnotebook.widgets._base import Confirmation, Control, button

__all__ = ["BotControl"]

_STATE_COLOURS = {"running": "#1a7f37", "paused": "#9a6700", "stopped": "#cf222e"}


class BotControl(Control):
    """State (running / paused / stopped) and the control buttons of a trading bot."""

    css_class = "ftnb-bot"

    def __init__(self, client: FtClient) -> None:
        super().__init__(client)
        self.state: str | None = None
        self.state_html = widgets.HTML()
        self.state_html.add_class("ftnb-bot-state")
        self.start_button = button(
            "Start", "ftnb-bot-start", self.start, style="success", icon="play"
        )
        self.stop_button = button("Stop", "ftnb-bot-stop", self.stop, style="danger", icon="stop")
        self.pause_button = button(
            "Stop entries",
            "ftnb-bot-pause",
            self.pause,
            style="warning",
            icon="pause",
            tooltip="pause: no new entries (stopbuy)",
        )
        self.reload_button = button(
            "Reload config", "ftnb-bot-reload", self.reload_config, icon="repeat"
        )
        self.refresh_button = button("Refresh", "ftnb-bot-refresh", self.refresh, icon="refresh")
        self.confirm = Confirmation(self)
        self.widget.children = [
            self.state_html,
            widgets.HBox(
                [
                    self.start_button,
                    self.stop_button,
                    self.pause_button,
                    self.reload_button,
                    self.refresh_button,
                ]
            ),
            self.confirm.widget,
            self.message,
        ]
        self._act("loading", lambda: f"bot is {self._read_state()}")

    def refresh(self) -> None:
        """Read the bot's state (``GET /show_config``)."""
        self._act("refresh", lambda: f"bot is {self._read_state()}")

    def start(self) -> None:
        """``POST /start`` (also ends a pause)."""
        self._act("start", lambda: self._send("start"))

    def pause(self) -> None:
        """``POST /pause``: stop new entries, keep managing open trades."""
        self._act("pause", lambda: self._send("pause"))

    def stop(self) -> None:
        """Ask, then ``POST /stop``."""
        self.confirm.ask(
            "Stop the bot? Open trades stay open but are no longer managed.",
            lambda: self._act("stop", lambda: self._send("stop")),
            yes="Stop",
        )

    def reload_config(self) -> None:
        """Ask, then ``POST /reload_config`` (the bot restarts its worker)."""
        self.confirm.ask(
            "Reload the config? The bot restarts its worker and drops API-made blacklist entries.",
            lambda: self._act("reload_config", self._reload),
            yes="Reload",
        )

    def _send(self, name: str) -> str:
        answer = getattr(self.client, name)()
        return f"{answer['status']} (bot is {self._read_state()})"

    def _reload(self) -> str:
        answer = self.client.reload_config()
        self.state = "reloading"
        self.state_html.value = "state: <b>reloading</b>"
        return f"{answer['status']}: click Refresh in a few seconds"

    def _read_state(self) -> str:
        config = self.client.show_config()
        state = config.get("state") or "unknown"
        self.state = state
        colour = _STATE_COLOURS.get(state, "#57606a")
        mode = "dry-run" if config.get("dry_run") else "LIVE"
        self.state_html.value = (
            f'state: <b style="color:{colour}">{html.escape(state)}</b> · '
            f"{html.escape(str(config.get('bot_name', '')))} · "
            f"{html.escape(str(config.get('strategy', '')))} · {mode}"
        )
        return state
