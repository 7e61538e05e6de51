"""Every example notebook with Run All in a real JupyterLab: every output renders, no error.

What a user sees after ``make demo`` and Run All: each ``notebooks/NN_*.ipynb`` (a copy in
the lab's root, the session's bots in the kernel's environment) runs top to bottom, then

* no cell shows a traceback (checked while it runs, see ``open_and_run``);
* every widget output rendered a live view (ipywidgets, anywidget, plotly FigureWidget):
  not empty, not "Error displaying widget" (a widget closed by a later cell in the same
  run, as notebooks 04 and 05 once did, leaves exactly that);
* every plotly figure drew its SVG;
* the page logged no JavaScript error.

A screenshot of each notebook window, and of each widget output, goes to
``$FTNOTEBOOK_SCREENSHOT_DIR`` (default: the test's tmp dir).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Lab, LabPage, open_and_run
from tests.test_notebooks import FIRST_STEPS as NOTEBOOKS

WIDGETS = ".jp-OutputArea-output:not([data-mime-type])"
"""Widget outputs: JupyterLab's widget renderer leaves no ``data-mime-type`` on them (every
mime output, text, HTML, plotly JSON, has one). A closed widget leaves this node empty."""

_STATE_JS = """(el) => ({
  text: el.innerText.slice(0, 300),
  elements: el.querySelectorAll('*').length,
  height: el.getBoundingClientRect().height,
  svg: el.querySelectorAll('.js-plotly-plot .main-svg').length,
})"""


def _shots(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("FTNOTEBOOK_SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_run_all_renders_every_output(
    path: Path, lab: Lab, lab_page: LabPage, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = lab_page.page
    open_and_run(lab_page, lab, path.name, timeout_s=400)
    shots = _shots(tmp_path)
    outputs = page.locator(WIDGETS)
    broken = []
    for i in range(outputs.count()):  # scroll each into view: lab renders what is on screen
        widget = outputs.nth(i)
        widget.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        state: dict[str, Any] = widget.evaluate(_STATE_JS)
        if (
            "Error displaying widget" in state["text"]
            or state["elements"] < 3
            or state["height"] < 20
            or not (state["text"].strip() or state["svg"])
        ):
            broken.append(f"widget {i}: {state}")
        widget.screenshot(path=str(shots / f"{path.stem}-widget-{i}.png"))
    assert not broken, f"{path.name}: widget outputs that did not render: {broken}"
    plots = page.locator(".js-plotly-plot")
    for i in range(plots.count()):
        plots.nth(i).scroll_into_view_if_needed()
        expect(plots.nth(i).locator(".main-svg").first).to_be_attached()
    expected = {"03_": 1, "04_": 6, "05_": 2}.get(path.name[:3], 0)
    assert outputs.count() >= expected, f"{path.name}: {outputs.count()} widget outputs"
    page.locator(".jp-NotebookPanel").first.screenshot(path=str(shots / f"{path.stem}.png"))
    assert lab_page.console_errors == [], lab_page.console_errors
