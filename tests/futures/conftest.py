"""A client on the session's futures bot (``futures_bot`` in the root conftest starts it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ftnotebook import FtClient
from ftnotebook.demo.launcher import RunningBot


@pytest.fixture(scope="session")
def futures_client(futures_bot: RunningBot) -> Iterator[FtClient]:
    with FtClient(futures_bot.api_url, futures_bot.username, futures_bot.password) as client:
        yield client
