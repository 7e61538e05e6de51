"""The live feed's token must not reach the bot's log (issue 11, Security).

freqtrade logs every WebSocket handshake with its query string:
``"WebSocket /api/v1/message/ws?token=<token>" [accepted]``. A feed made from a client
with credentials connects with a short-lived JWT, so the never-expiring ws_token stays
out of the log file and out of ``/api/v1/logs``; what ftnotebook reads back from
``/logs`` has every ``token=...`` masked.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ftnotebook import FtClient, frames
from ftnotebook.demo.launcher import RunningBot
from ftnotebook.live import LiveFeed
from tests.conftest import BotApi

HANDSHAKE = "/api/v1/message/ws?token="


def _eventually(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_feed_with_credentials_keeps_ws_token_out_of_the_bot_log(
    trade_bot: RunningBot, bot_api: BotApi
) -> None:
    offset = trade_bot.log_path.stat().st_size
    started_ms = time.time() * 1000
    tokens: list[str] = []
    with FtClient.from_config(trade_bot.config_path) as client:
        assert client.settings.ws_token is not None  # the config has one: it must not be used
        feed = LiveFeed.from_client(client)
        source = feed._token_source

        def spy() -> object:
            token = source()
            tokens.append(token.reveal() if hasattr(token, "reveal") else str(token))
            return token

        feed._token_source = spy
        with feed:
            assert feed.request_whitelist().pairs

        def new_file_text() -> str:
            with trade_bot.log_path.open(encoding="utf-8", errors="replace") as fh:
                fh.seek(offset)
                return fh.read()

        # the handshake was logged (so the check below could fail) ...
        assert _eventually(lambda: HANDSHAKE in new_file_text()), new_file_text()[-2000:]
        file_text = new_file_text()
        assert len(tokens) == 1 and tokens[0].count(".") == 2  # a JWT, not the ws_token
        # ... with the JWT, never the ws_token
        assert trade_bot.ws_token not in file_text
        assert f"{HANDSHAKE}{tokens[0]}" in file_text

        raw = [r[4] for r in bot_api.get("logs")["logs"] if r[1] >= started_ms]
        raw_handshakes = [m for m in raw if HANDSHAKE in m]
        assert raw_handshakes, raw[-20:]
        assert not any(trade_bot.ws_token in m for m in raw)
        assert any(tokens[0] in m for m in raw_handshakes)  # the bot's own words hold it

        ours = [r[4] for r in client.logs()["logs"] if r[1] >= started_ms]
        masked = [m for m in ours if HANDSHAKE in m]
        assert masked and all(f"{HANDSHAKE}***" in m for m in masked), masked
        assert not any(tokens[0] in m or trade_bot.ws_token in m for m in ours)

        frame = frames.logs(client)
        messages = frame["message"].astype(str)
        assert messages.str.contains(HANDSHAKE + "***", regex=False).any()
        assert not messages.str.contains(tokens[0], regex=False).any()
