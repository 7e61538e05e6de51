"""``ForceTradeControl``: force-enter a trade, force-exit one or all (with confirmation).

::

    ft = ForceTradeControl(FtClient.from_env())
    ft.pair.value = "SOL/USDT"
    ft.stake.value = "50"          # optional; price optional too (empty = market)
    ft.tag.value = "manual"
    ft.enter_button.click()        # POST /forceenter; ft.last_trade_id is the new trade

    # on a futures bot: a short at 3x (empty leverage = the strategy's leverage())
    ft.pair.value, ft.side.value, ft.leverage.value = "BTC/USDT:USDT", "short", "3"
    ft.enter_button.click()

    ft.trade.value = ft.last_trade_id
    ft.exit_button.click()         # asks first
    ft.confirm.yes.click()         # POST /forceexit

The pair must be on the bot's whitelist, short only when the bot allows shorts, price and
stake empty or a number > 0, leverage empty or a number >= 1 (futures and margin bots
only: a spot bot always trades at 1x, so the field is disabled there). The bot caps a
leverage above the pair's tier maximum; the message then says what it used. The bot's
refusals (pair already open, max_open_trades reached, force entry disabled) are shown in
its own words. The trade picker shows each open trade's side and leverage.

Two entries ask for confirmation before anything is sent (``ft.confirm.yes.click()``
sends, ``ft.confirm.no.click()`` drops it): a stake above half the free balance (a stake
above all of it is refused, as FtClient refuses it), and a limit price more than 10 %
from the pair's last close (confirming sends it with ``allow_far_price=True``).

CSS classes: ``ftnb-force`` (root), ``ftnb-force-pair``, ``ftnb-force-side``,
``ftnb-force-price``, ``ftnb-force-stake``, ``ftnb-force-leverage``, ``ftnb-force-tag``,
``ftnb-force-enter``,
``ftnb-force-trade``, ``ftnb-force-exit``, ``ftnb-force-refresh``, ``ftnb-confirm-yes`` /
``ftnb-confirm-no``, ``ftnb-message``.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ftnotebook._validate import MAX_PRICE_DISTANCE, check_price_distance, check_stake
from ftnotebook.client import FtClient
from ftnotebook.widgets._base import Confirmation, Control, button
from ftnotebook.widgets._inputs import parse_optional_positive, parse_pair

__all__ = ["CONFIRM_STAKE_SHARE", "ForceTradeControl"]

ALL = "all"
#: A stake above this share of the free balance asks for confirmation first.
CONFIRM_STAKE_SHARE = 0.5


class ForceTradeControl(Control):
    """Force-enter form and force-exit picker for a trading bot."""

    css_class = "ftnb-force"

    def __init__(self, client: FtClient) -> None:
        super().__init__(client)
        self.last_trade_id: int | None = None
        self.whitelist: list[str] = []
        self.short_allowed = False
        self.pair = widgets.Combobox(
            placeholder="SOL/USDT", description="pair", ensure_option=False
        )
        self.pair.add_class("ftnb-force-pair")
        self.side = widgets.Dropdown(options=("long", "short"), value="long", description="side")
        self.side.add_class("ftnb-force-side")
        self.price = widgets.Text(placeholder="market", description="price")
        self.price.add_class("ftnb-force-price")
        self.stake = widgets.Text(placeholder="bot default", description="stake")
        self.stake.add_class("ftnb-force-stake")
        self.leverage = widgets.Text(
            placeholder="strategy's", description="leverage", disabled=True
        )
        self.leverage.add_class("ftnb-force-leverage")
        self.tag = widgets.Text(placeholder="force_entry", description="tag")
        self.tag.add_class("ftnb-force-tag")
        self.enter_button = button(
            "Force enter", "ftnb-force-enter", self.enter, style="primary", icon="sign-in"
        )
        self.trade = widgets.Dropdown(options=[("all open trades", ALL)], description="trade")
        self.trade.add_class("ftnb-force-trade")
        self.exit_button = button(
            "Force exit", "ftnb-force-exit", self.exit, style="danger", icon="sign-out"
        )
        self.refresh_button = button("Refresh", "ftnb-force-refresh", self.refresh, icon="refresh")
        self.confirm = Confirmation(self)
        self.widget.children = [
            widgets.HTML("<b>Force entry</b>"),
            widgets.HBox([self.pair, self.side]),
            widgets.HBox([self.price, self.stake]),
            widgets.HBox([self.leverage, self.tag]),
            self.enter_button,
            widgets.HTML("<b>Force exit</b>"),
            widgets.HBox([self.trade, self.exit_button, self.refresh_button]),
            self.confirm.widget,
            self.message,
        ]
        self._act("loading", self._load)

    def refresh(self) -> None:
        """Re-read the whitelist and the open trades."""
        self._act("refresh", self._load)

    def enter(self) -> None:
        """Validate the form, then ``POST /forceenter``."""
        self._act("force enter", self._enter)

    def exit(self) -> None:
        """Ask, then ``POST /forceexit`` for the chosen trade (or all)."""
        self._act("force exit", self._ask_exit)

    def _load(self) -> str:
        self.whitelist = list(self.client.whitelist()["whitelist"])
        self.short_allowed = bool(self.client.show_config().get("short_allowed"))
        self.pair.options = tuple(self.whitelist)
        if self.whitelist:  # a futures bot's pairs look like BTC/USDT:USDT
            self.pair.placeholder = self.whitelist[0]
        self.side.options = ("long", "short") if self.short_allowed else ("long",)
        self.leverage.disabled = not self.short_allowed
        self.leverage.placeholder = "strategy's" if self.short_allowed else "1x (spot)"
        return f"{self._load_trades()} open trade(s)"

    def _load_trades(self) -> int:
        trades = self.client.status()
        current = self.trade.value
        options: list[tuple[str, Any]] = [(_label(t), t["trade_id"]) for t in trades]
        options.append(("all open trades", ALL))
        self.trade.options = options
        if current in [value for _, value in options]:
            self.trade.value = current
        return len(trades)

    def _enter(self) -> str | None:
        pair = parse_pair(self.pair.value, known=set(self.whitelist), field="pair")
        side = self.side.value
        if side == "short" and not self.short_allowed:
            raise ValueError("side: this bot cannot go short (spot market); use 'long'")
        if side not in ("long", "short"):
            raise ValueError(f"side: expected 'long' or 'short', got {side!r}")
        price = parse_optional_positive(self.price.value, field="price")
        stake = parse_optional_positive(self.stake.value, field="stake")
        leverage = parse_optional_positive(self.leverage.value, field="leverage")
        if leverage is not None and not self.short_allowed:
            raise ValueError(
                f"leverage: this bot trades spot, always at 1x; leave it empty "
                f"(got {self.leverage.value!r})"
            )
        if leverage is not None and leverage < 1:
            raise ValueError(f"leverage: at least 1 (1x), got {self.leverage.value!r}")
        tag = self.tag.value.strip() or None
        if tag is not None and (len(tag) > 255 or any(c.isspace() for c in tag)):
            raise ValueError(f"tag: one word of at most 255 characters, got {self.tag.value!r}")
        doubts = self._doubts(pair, price, stake)

        def send() -> str:
            trade = self.client.force_enter(
                pair,
                side,
                price=price,
                stake_amount=stake,
                entry_tag=tag,
                leverage=leverage,
                allow_far_price=bool(doubts),  # the user confirmed the price
            )
            self.last_trade_id = trade["trade_id"]
            self._load_trades()
            self.trade.value = trade["trade_id"]
            return _opened(trade, side, leverage)

        if not doubts:
            return send()
        self.confirm.ask(
            f"Force-enter {pair} {side}? " + " ".join(doubts),
            lambda: self._act("force enter", send),
            yes="Enter",
        )
        return None

    def _doubts(self, pair: str, price: float | None, stake: float | None) -> list[str]:
        """Why this entry needs a confirmation (empty: send at once).

        A stake above the free balance is refused outright (FtClient's rule); one above
        :data:`CONFIRM_STAKE_SHARE` of it, or a limit price more than
        :data:`~ftnotebook._validate.MAX_PRICE_DISTANCE` from the last close (or one that
        cannot be checked), asks first.
        """
        doubts: list[str] = []
        if stake is not None:
            free, currency = self.client.available_stake()
            check_stake("stake", stake, free, currency)
            if stake > CONFIRM_STAKE_SHARE * free:
                doubts.append(
                    f"The stake {stake:g} {currency} is {stake / free:.0%} of the free "
                    f"balance ({free:g} {currency})."
                )
        if price is not None:
            last = self.client.last_price(pair)
            if last is None:
                doubts.append(f"The price {price:g} cannot be checked: no candles for {pair}.")
            else:
                try:
                    check_price_distance(
                        "price", price, last, pair, max_distance=MAX_PRICE_DISTANCE
                    )
                except ValueError:
                    distance = price / last - 1
                    where = "above" if distance > 0 else "below"
                    doubts.append(
                        f"The limit price {price:g} is {abs(distance):.0%} {where} the last "
                        f"price {last:g}."
                    )
        return doubts

    def _ask_exit(self) -> None:
        choice = self.trade.value
        if choice is None:
            raise ValueError("trade: pick a trade to exit (none selected)")
        what = "ALL open trades" if choice == ALL else f"trade #{choice}"
        self.confirm.ask(
            f"Force-exit {what}?",
            lambda: self._act("force exit", lambda: self._exit(choice)),
            yes="Exit",
        )

    def _exit(self, choice: int | str) -> str:
        answer = self.client.force_exit("all" if choice == ALL else int(choice))
        self._load_trades()
        return str(answer.get("result", answer))


def _opened(trade: Any, side: str, leverage: float | None) -> str:
    """``opened trade #12 BTC/USDT:USDT short 3x, stake 100``: what the bot holds now.

    The leverage shown is the one the bot used; when it capped ``leverage`` (the one asked
    for) at the pair's tier maximum, the message says so. Spot trades show no leverage.
    """
    text = f"opened trade #{trade['trade_id']} {trade['pair']} {side}"
    if trade.get("trading_mode") not in (None, "spot"):
        used = float(trade.get("leverage") or 1.0)
        text += f" {used:g}x"
        if leverage is not None and used < leverage:
            text += f" (the bot capped {leverage:g}x at this pair's maximum)"
    return f"{text}, stake {trade['stake_amount']:g}"


def _label(trade: Any) -> str:
    """``#12 BTC/USDT:USDT short 3x`` (spot trades: no leverage shown)."""
    side = "short" if trade["is_short"] else "long"
    text = f"#{trade['trade_id']} {trade['pair']} {side}"
    if trade.get("trading_mode") not in (None, "spot"):
        text += f" {float(trade.get('leverage') or 1.0):g}x"
    return text
