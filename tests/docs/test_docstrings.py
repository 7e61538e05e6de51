"""The frame functions' docstrings say what they return, how to call them, and defaults.

``help(frames.daily)`` (and the site's reference, rendered from the same text) must name
the frame's schema (``SCHEMAS["daily"]``, linked to the schema table in the site), list
what it returns, show an example, and say what each defaulted parameter defaults to.
"""

from __future__ import annotations

import inspect
import re

import pandas as pd
import pytest

from ftnotebook import frames
from ftnotebook.schemas import SCHEMAS

NO_SCHEMA = {
    "records_frame",  # builds the frame of whichever schema it is given
    "profit_all",  # the /profit figures side by side, no fixed columns
    "concat_frames",  # the columns of whichever frames it joins
}
_SCHEMA_REF = re.compile(r'SCHEMAS\["(\w+)"\]')


def frame_functions() -> list[str]:
    """Public functions of ``ftnotebook.frames`` that return a DataFrame."""
    names = []
    for name in frames.__all__:
        obj = getattr(frames, name)
        if inspect.isfunction(obj):
            returns = inspect.signature(obj).return_annotation  # a string (annotations)
            if returns in (pd.DataFrame, "pd.DataFrame", "DataFrame"):
                names.append(name)
    return names


@pytest.mark.parametrize("name", frame_functions())
def test_frame_function_docstring_is_complete(name: str) -> None:
    func = getattr(frames, name)
    doc = inspect.getdoc(func) or ""
    assert "Returns:" in doc, f"frames.{name}: no Returns: section"
    assert ">>>" in doc, f"frames.{name}: no example"
    refs = _SCHEMA_REF.findall(doc)
    if name not in NO_SCHEMA:
        assert refs, f'frames.{name}: the docstring names no SCHEMAS["..."]'
    assert set(refs) <= set(SCHEMAS), f"frames.{name}: unknown schema in {refs}"
    for param in inspect.signature(func).parameters.values():
        if param.default is not inspect.Parameter.empty:
            # the parameter and the word "default" in one paragraph of the docstring
            pattern = rf"\b{param.name}\b(?:(?!\n\s*\n).)*?\bdefault"
            assert re.search(pattern, doc, re.S | re.I), (
                f"frames.{name}: the default of {param.name!r} is not documented"
            )


def test_there_are_frame_functions() -> None:
    assert {"daily", "trades", "pair_candles"} <= set(frame_functions())
