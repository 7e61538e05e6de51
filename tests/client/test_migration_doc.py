"""``docs/migration.md`` cannot drift from the two libraries it compares.

The method table must list every public method of the installed freqtrade-client's
``FtRestClient`` exactly once, show each signature as installed (freqtrade-client's
in the first column, FtClient's in the second), and name every freqtrade-client
parameter that FtClient's equivalent does not have under the same name.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from freqtrade_client import FtRestClient

from ftnotebook import FtClient

DOC = Path(__file__).resolve().parents[2] / "docs" / "migration.md"
_CALL = re.compile(r"^([a-z_]+)\(.*\)$")


def signature_text(func: Callable[..., Any]) -> str:
    """``name(a, b=1, *, c=None)``: the signature without ``self`` and type hints."""
    sig = inspect.signature(func)
    params = [
        p.replace(annotation=inspect.Parameter.empty) for p in list(sig.parameters.values())[1:]
    ]
    shown = sig.replace(parameters=params, return_annotation=inspect.Signature.empty)
    return f"{func.__name__}{shown}"


def method_rows() -> list[tuple[str, list[str], str]]:
    """(freqtrade-client cell, FtClient code spans, notes) of the 'Method by method' table."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Method by method", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        assert len(cells) == 3, f"a row needs 3 cells: {line}"
        theirs = re.findall(r"`([^`]+)`", cells[0])
        assert len(theirs) == 1, f"one freqtrade-client signature per row: {line}"
        rows.append((theirs[0], re.findall(r"`([^`]+)`", cells[1]), cells[2]))
    return rows


def public_methods(cls: type) -> dict[str, Callable[..., Any]]:
    return {
        name: member
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and callable(member)
    }


def test_every_freqtrade_client_method_is_listed_once() -> None:
    listed = [_CALL.match(theirs).group(1) for theirs, _, _ in method_rows()]  # type: ignore[union-attr]
    assert len(listed) == len(set(listed)), "a method is listed twice"
    assert sorted(listed) == sorted(public_methods(FtRestClient))


def test_signatures_are_the_installed_ones() -> None:
    theirs_all = public_methods(FtRestClient)
    ours_all = public_methods(FtClient)
    for theirs, ours, _ in method_rows():
        name = _CALL.match(theirs).group(1)  # type: ignore[union-attr]
        assert theirs == signature_text(theirs_all[name])
        calls = [span for span in ours if _CALL.match(span)]
        assert calls, f"{name}: no FtClient equivalent given"
        for span in calls:
            ours_name = _CALL.match(span).group(1)  # type: ignore[union-attr]
            assert ours_name in ours_all, f"{name}: FtClient has no {ours_name}()"
            assert span == signature_text(ours_all[ours_name]), f"row of {name}"


def test_every_renamed_or_dropped_parameter_is_explained() -> None:
    theirs_all = public_methods(FtRestClient)
    ours_all = public_methods(FtClient)
    for theirs, ours, notes in method_rows():
        name = _CALL.match(theirs).group(1)  # type: ignore[union-attr]
        ours_params: set[str] = set()
        for span in ours:
            match = _CALL.match(span)
            if match:
                ours_params |= set(inspect.signature(ours_all[match.group(1)]).parameters)
        for param in list(inspect.signature(theirs_all[name]).parameters)[1:]:
            if param not in ours_params:
                assert f"`{param}`" in notes or f"`*{param}`" in notes, (
                    f"{name}: parameter {param!r} has no FtClient twin and the notes "
                    "do not say what became of it"
                )


def test_the_rows_that_differ_say_so() -> None:
    """A row saying "Same." must really be the same call: same name and parameters."""
    theirs_all = public_methods(FtRestClient)
    ours_all = public_methods(FtClient)
    for theirs, ours, notes in method_rows():
        name = _CALL.match(theirs).group(1)  # type: ignore[union-attr]
        if notes.startswith("Same."):
            assert ours[0].startswith(f"{name}("), f"{name}: a different name is not 'Same.'"
            assert list(inspect.signature(theirs_all[name]).parameters) == list(
                inspect.signature(ours_all[name]).parameters
            ), f"{name}: parameters differ but the row says 'Same.'"
