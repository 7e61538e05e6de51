"""Bad input across the controls and FtClient: a clear error, nothing sent, the bot unchanged.

Each widget row sets some fields of a control, clicks one button, and expects an error
message containing ``expected``. Each client row calls one FtClient method and expects a
``ValueError`` naming the problem. The bot's locks, blacklist, open trades, trade count
and state are read through the plain API helper before and after and must be equal.
Doubtful but legal entries (a far limit price, a big stake, a blacklist wildcard that
matches every market) ask for confirmation first; cancelling sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ftnotebook.client import FtClient
from ftnotebook.widgets import BlacklistControl, ForceTradeControl, LocksControl
from tests.widgets.conftest import bot_snapshot

LOCKS_OK = {"pair": "SOL/USDT", "until": "2h"}
FORCE_OK = {"pair": "SOL/USDT"}

# (id, control, button, fields, expected text in the message)
CASES: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("lock-empty-pair", "locks", "add_button", {"pair": "", "until": "2h"}, "pair: empty"),
    ("lock-blank-pair", "locks", "add_button", {"pair": "   ", "until": "2h"}, "pair: empty"),
    ("lock-unknown-pair", "locks", "add_button", {"pair": "DOGE/USDT", "until": "2h"},
     "pair: unknown pair 'DOGE/USDT'"),
    ("lock-no-slash", "locks", "add_button", {"pair": "SOLUSDT", "until": "2h"},
     "pair: expected BASE/QUOTE"),
    ("lock-two-slashes", "locks", "add_button", {"pair": "SOL/USDT/X", "until": "2h"},
     "pair: expected BASE/QUOTE"),
    ("lock-space-in-pair", "locks", "add_button", {"pair": "SOL/ USDT", "until": "2h"},
     "pair: must not contain whitespace or control characters"),
    ("lock-nul-pair", "locks", "add_button", {"pair": "\x00", "until": "2h"},
     "pair: must not contain whitespace or control characters"),
    ("lock-path-pair", "locks", "add_button", {"pair": "../../etc/passwd", "until": "2h"},
     "pair: expected BASE/QUOTE"),
    ("lock-year-9999", "locks", "add_button", {**LOCKS_OK, "until": "9999-12-31 00:00"},
     "until: at most 3650 days ahead"),
    ("lock-dash-pair", "locks", "add_button", {"pair": "sol-usdt", "until": "2h"},
     "pair: expected BASE/QUOTE"),
    ("lock-empty-until", "locks", "add_button", {**LOCKS_OK, "until": ""}, "until: empty"),
    ("lock-bad-unit", "locks", "add_button", {**LOCKS_OK, "until": "2x"}, "until: expected"),
    ("lock-unit-first", "locks", "add_button", {**LOCKS_OK, "until": "h2"}, "until: expected"),
    ("lock-negative", "locks", "add_button", {**LOCKS_OK, "until": "-2h"}, "until: expected"),
    ("lock-zero", "locks", "add_button", {**LOCKS_OK, "until": "0h"},
     "until: the duration must be longer than zero"),
    ("lock-two-durations", "locks", "add_button", {**LOCKS_OK, "until": "2h 3d"},
     "until: expected"),
    ("lock-word", "locks", "add_button", {**LOCKS_OK, "until": "tomorrow"}, "until: expected"),
    ("lock-past", "locks", "add_button", {**LOCKS_OK, "until": "2020-01-01 00:00"},
     "is in the past"),
    ("lock-bad-month", "locks", "add_button", {**LOCKS_OK, "until": "2030-13-01"},
     "until: expected"),
    ("lock-too-long", "locks", "add_button", {**LOCKS_OK, "until": "99999d"},
     "until: at most 3650 days"),
    ("lock-too-far", "locks", "add_button", {**LOCKS_OK, "until": "2999-01-01"},
     "until: at most 3650 days ahead"),
    ("lock-long-reason", "locks", "add_button", {**LOCKS_OK, "reason": "x" * 300},
     "reason: at most 255 characters"),
    ("bl-empty", "blacklist", "add_button", {"pairs": ""}, "pairs: empty"),
    ("bl-separators-only", "blacklist", "add_button", {"pairs": " , ,"}, "pairs: empty"),
    ("bl-no-slash", "blacklist", "add_button", {"pairs": "DOGE"}, "is not BASE/QUOTE"),
    ("bl-leading-slash", "blacklist", "add_button", {"pairs": "/USDT"}, "is not BASE/QUOTE"),
    ("bl-two-slashes", "blacklist", "add_button", {"pairs": "A/B/C"}, "is not BASE/QUOTE"),
    ("bl-bad-regex", "blacklist", "add_button", {"pairs": "DOGE/("},
     "'DOGE/(' is not a valid wildcard"),
    ("bl-bad-class", "blacklist", "add_button", {"pairs": "[/USDT"}, "is not a valid wildcard"),
    ("bl-one-bad-of-two", "blacklist", "add_button", {"pairs": "DOGE/USDT PEPE"},
     "'PEPE' is not BASE/QUOTE"),
    ("bl-twice", "blacklist", "add_button", {"pairs": "DOGE/USDT doge/usdt"},
     "'DOGE/USDT' is listed twice"),
    ("bl-remove-none", "blacklist", "remove_button", {}, "select one or more entries"),
    ("force-empty-pair", "force", "enter_button", {"pair": ""}, "pair: empty"),
    ("force-unknown-pair", "force", "enter_button", {"pair": "DOGE/USDT"},
     "pair: unknown pair 'DOGE/USDT'"),
    ("force-blacklisted-pair", "force", "enter_button", {"pair": "ADA/USDT"},
     "pair: unknown pair 'ADA/USDT'"),
    ("force-malformed-pair", "force", "enter_button", {"pair": "SOL_USDT"},
     "pair: expected BASE/QUOTE"),
    ("force-price-text", "force", "enter_button", {**FORCE_OK, "price": "abc"},
     "price: expected a number > 0"),
    ("force-price-negative", "force", "enter_button", {**FORCE_OK, "price": "-1"},
     "price: expected a number > 0"),
    ("force-stake-zero", "force", "enter_button", {**FORCE_OK, "stake": "0"},
     "stake: expected a number > 0"),
    ("force-stake-inf", "force", "enter_button", {**FORCE_OK, "stake": "1e400"},
     "stake: expected a number > 0"),
    ("force-stake-nan", "force", "enter_button", {**FORCE_OK, "stake": "nan"},
     "stake: expected a number > 0"),
    ("force-tag-spaces", "force", "enter_button", {**FORCE_OK, "tag": "two words"},
     "tag: one word"),
    ("force-stake-1e300", "force", "enter_button", {**FORCE_OK, "stake": "1e300"},
     "stake: 1e+300 USDT is more than the bot's available balance"),
    ("force-pair-newline", "force", "enter_button", {"pair": "SOL/USDT\x00"},
     "pair: must not contain whitespace or control characters"),
    ("bl-control-char", "blacklist", "add_button", {"pairs": "DOGE/USDT\x07"},
     "must not contain whitespace or control characters"),
    ("force-short-on-spot", "force", "enter_button",
     {**FORCE_OK, "side.options": ("long", "short"), "side": "short"},
     "side: this bot cannot go short"),
]  # fmt: skip

_CONTROLS = {"locks": LocksControl, "blacklist": BlacklistControl, "force": ForceTradeControl}


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 30
    assert len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize(
    ("control_name", "button", "fields", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input_is_refused_in_widget(
    client: FtClient,
    bot_api: Any,
    control_name: str,
    button: str,
    fields: dict[str, Any],
    expected: str,
) -> None:
    control = _CONTROLS[control_name](client)
    assert control.last_error is None, control.last_message
    before = bot_snapshot(bot_api)
    for name, value in fields.items():
        widget_name, _, trait = name.partition(".")
        setattr(getattr(control, widget_name), trait or "value", value)
    getattr(control, button).click()
    assert control.last_error is not None, f"no error shown; message: {control.last_message!r}"
    assert expected in control.last_error
    assert "✗" in control.message.value and "Traceback" not in control.message.value
    assert bot_snapshot(bot_api) == before


# (id, call on the client, expected text in the ValueError)
CLIENT_CASES: list[tuple[str, Callable[[FtClient], object], str]] = [
    ("lock-nul", lambda c: c.add_lock("\x00", "2h"), "pair: must not contain whitespace"),
    ("lock-path", lambda c: c.add_lock("../../etc/passwd", "2h"), "pair: expected BASE/QUOTE"),
    ("lock-newline", lambda c: c.add_lock("BTC/USDT\n", "2h"), "pair: must not contain"),
    ("lock-tab", lambda c: c.add_lock("BTC/\tUSDT", "2h"), "pair: must not contain"),
    ("lock-zero-width", lambda c: c.add_lock("BTC/US\u200bDT", "2h"), "pair: must not contain"),
    ("lock-cyrillic", lambda c: c.add_lock("ВТС/USDT", "2h"), "pair: expected BASE/QUOTE"),
    ("lock-past", lambda c: c.add_lock("SOL/USDT", datetime.now(UTC) - timedelta(hours=1)),
     "is in the past"),
    ("lock-year-9999", lambda c: c.add_lock("SOL/USDT", datetime(9999, 1, 1, tzinfo=UTC)),
     "until: at most 3650 days ahead"),
    ("lock-99999d", lambda c: c.add_lock("SOL/USDT", "99999d"), "until: at most 3650 days"),
    ("lock-negative-td", lambda c: c.add_lock("SOL/USDT", timedelta(hours=-1)),
     "longer than zero"),
    ("lock-naive", lambda c: c.add_lock("SOL/USDT", datetime.now() + timedelta(hours=1)),
     "naive datetime"),
    ("delete-arabic-digit", lambda c: c.delete_lock("\u0663"), "ASCII digits"),  # type: ignore[arg-type]
    ("delete-2**63", lambda c: c.delete_lock(2**63), "does not fit the bot's 64-bit ids"),
    ("trade-2**64", lambda c: c.delete_trade(2**64), "does not fit"),
    ("locks-delete-fullwidth", lambda c: c.delete_locks(lock_id="\uff13"), "ASCII digits"),  # type: ignore[arg-type]
    ("bl-nul", lambda c: c.add_to_blacklist("\x00"), "must not contain whitespace"),
    ("bl-path", lambda c: c.add_to_blacklist("../../etc/passwd"), "is not BASE/QUOTE"),
    ("bl-newline", lambda c: c.add_to_blacklist("BTC/USDT\n"), "must not contain"),
    ("bl-bad-regex", lambda c: c.add_to_blacklist("DOGE/("), "is not a valid wildcard"),
    ("bl-one-bad", lambda c: c.add_to_blacklist("DOGE/USDT", "PEPE"), "'PEPE' is not BASE/QUOTE"),
    ("enter-stake-1e300", lambda c: c.force_enter("SOL/USDT", stake_amount=1e300),
     "stake_amount: 1e+300 USDT is more than the bot's available balance"),
    ("enter-far-price", lambda c: c.force_enter("BTC/USDT", price=3, order_type="limit"),
     "below the last price of BTC/USDT"),
    ("enter-far-above", lambda c: c.force_enter("SOL/USDT", price=1e6, order_type="limit"),
     "above the last price of SOL/USDT"),
    ("enter-bad-pair", lambda c: c.force_enter("SOL/USDT "), "pair: must not contain"),
    ("candles-bad-pair", lambda c: c.pair_candles("SOL/USDT;DROP", "5m"), "expected BASE/QUOTE"),
]  # fmt: skip


def test_client_table_is_big_enough() -> None:
    assert len(CLIENT_CASES) >= 20
    assert len({case[0] for case in CLIENT_CASES}) == len(CLIENT_CASES)


@pytest.mark.parametrize(
    ("call", "expected"),
    [case[1:] for case in CLIENT_CASES],
    ids=[case[0] for case in CLIENT_CASES],
)
def test_bad_input_is_refused_by_client(
    client: FtClient, bot_api: Any, call: Callable[[FtClient], object], expected: str
) -> None:
    before = bot_snapshot(bot_api)
    with pytest.raises(ValueError) as info:
        call(client)
    assert expected in str(info.value), str(info.value)
    assert bot_snapshot(bot_api) == before


# (id, control, button, fields, expected text in the confirmation question)
CONFIRM_CASES: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("force-far-price", "force", "enter_button", {**FORCE_OK, "price": "0.0001"},
     "below the last price"),
    ("force-big-stake", "force", "enter_button", {**FORCE_OK, "stake": "__most__"},
     "of the free balance"),
    ("bl-everything", "blacklist", "add_button", {"pairs": ".*/.*"}, "matches every market"),
    ("bl-every-usdt-and-more", "blacklist", "add_button", {"pairs": "DOGE/USDT, .*/.*"},
     "matches every market"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("control_name", "button", "fields", "expected"),
    [case[1:] for case in CONFIRM_CASES],
    ids=[case[0] for case in CONFIRM_CASES],
)
def test_doubtful_input_asks_first_and_cancel_sends_nothing(
    client: FtClient,
    bot_api: Any,
    control_name: str,
    button: str,
    fields: dict[str, Any],
    expected: str,
) -> None:
    control = _CONTROLS[control_name](client)
    before = bot_snapshot(bot_api)
    for name, value in fields.items():
        if value == "__most__":  # 90 % of what the bot has free: legal, but big
            value = f"{client.available_stake()[0] * 0.9:.2f}"
        getattr(control, name).value = value
    getattr(control, button).click()
    assert control.confirm.pending, control.last_message
    assert control.last_error is None and expected in control.last_message
    assert bot_snapshot(bot_api) == before
    control.confirm.no.click()
    assert not control.confirm.pending and "nothing was sent" in control.last_message
    assert bot_snapshot(bot_api) == before


def test_blacklist_unknown_pair_is_added_with_a_warning(client: FtClient, bot_api: Any) -> None:
    control = BlacklistControl(client)
    before = bot_snapshot(bot_api)
    control.pairs.value = "ZZZNOPE/USDT"
    try:
        control.add_button.click()
        assert control.last_error is None, control.last_message
        assert "added ZZZNOPE/USDT (warning: 'ZZZNOPE/USDT' is not a market" in (
            control.last_message
        )
        assert "ZZZNOPE/USDT" in bot_api.get("blacklist")["blacklist"]
    finally:
        client.remove_from_blacklist("ZZZNOPE/USDT")
    assert bot_snapshot(bot_api) == before
