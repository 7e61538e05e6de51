"""Bad input across the controls: a message in the widget, nothing sent, the bot unchanged.

Each row sets some fields of a control, clicks one button, and expects an error message
containing ``expected``. The bot's locks, blacklist, open trades, trade count and state
are read through the plain API helper before and after and must be equal.
"""

from __future__ import annotations

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
     "pair: expected BASE/QUOTE"),
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
