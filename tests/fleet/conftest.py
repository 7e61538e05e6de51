"""The fleet of the session's three bots (``fleet_bots`` in the root conftest starts them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ftnotebook.demo.launcher import RunningBot
from ftnotebook.demo.stack import DemoStack
from ftnotebook.fleet import Fleet


@pytest.fixture(scope="session")
def fleet(fleet_bots: dict[str, RunningBot], demo_stack: DemoStack) -> Iterator[Fleet]:
    with Fleet.from_file(demo_stack.fleet_file, timeout=20) as made:
        yield made
