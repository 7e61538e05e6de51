"""The browser fixtures themselves: a notebook runs in JupyterLab and a widget click reaches
the kernel, which sees the bot's environment."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import Lab, LabPage, open_and_run


def test_widget_click_reaches_kernel_with_bot_env(
    lab: Lab, lab_page: LabPage, trade_bot: Any
) -> None:
    from playwright.sync_api import expect

    lab.write_notebook(
        "fixture_check.ipynb",
        [
            "%% md\n# fixture check",
            "import os\nimport ipywidgets as w\n"
            "label = w.Label('not clicked')\nbutton = w.Button(description='Probe')\n"
            "button.add_class('ftnb-probe')\n"
            "button.on_click(lambda _: setattr(label, 'value', os.environ['FTNOTEBOOK_URL']))\n"
            "w.HBox([button, label])",
        ],
    )
    open_and_run(lab_page, lab, "fixture_check.ipynb")
    page = lab_page.page
    page.locator(".ftnb-probe").click()
    expect(page.locator(".widget-label", has_text=trade_bot.api_url)).to_be_visible()
    assert lab_page.console_errors == []
