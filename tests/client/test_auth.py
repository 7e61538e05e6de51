"""JWT login, refresh and re-login against the real bot.

Expiry is tested with tokens this test signs itself, already expired (or otherwise
unacceptable), with the bot's own ``jwt_secret_key``: the server then judges them
exactly as it judges its own tokens.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import jwt
import pytest

from ftnotebook import FtClient, Secret, Unauthorized
from ftnotebook._transport import jwt_expiry
from ftnotebook.demo.launcher import RunningBot


def sign(
    bot: RunningBot, token_type: str, exp_offset_s: float, *, key: str | None = None
) -> Secret:
    now = time.time()
    claims: dict[str, Any] = {
        "identity": {"u": bot.username},
        "exp": int(now + exp_offset_s),
        "iat": int(now - 3600),
        "type": token_type,
    }
    return Secret(jwt.encode(claims, key or bot.jwt_secret_key, algorithm="HS256"))


def jwt_client_with(
    bot: RunningBot, access: Secret | None, refresh: Secret | None, password: str | None = None
) -> FtClient:
    client = FtClient(bot.api_url, bot.username, password or bot.password, auth="jwt")
    client._transport.set_tokens(access, refresh)
    return client


def test_jwt_client_logs_in_and_uses_bearer(jwt_client: FtClient) -> None:
    assert jwt_client.count()["current"] >= 2
    access, refresh = jwt_client._transport.tokens
    assert access is not None and refresh is not None
    exp = jwt_expiry(access)
    assert exp is not None and 13 * 60 < exp - time.time() <= 15 * 60  # server: 15 min


def test_bearer_is_used_not_the_password(trade_bot: RunningBot) -> None:
    """With a valid token pair and a wrong password, requests still succeed."""
    client = jwt_client_with(
        trade_bot,
        sign(trade_bot, "access", 600),
        sign(trade_bot, "refresh", 86400),
        password="not-the-password",
    )
    assert client.version()["version"].startswith("2026.")


def test_expired_access_token_is_refreshed_before_use(trade_bot: RunningBot) -> None:
    expired = sign(trade_bot, "access", -60)
    refresh = sign(trade_bot, "refresh", 86400)
    # Wrong password: only the refresh route can produce a working token.
    client = jwt_client_with(trade_bot, expired, refresh, password="not-the-password")
    assert client.count()["max"] == 10
    access, kept_refresh = client._transport.tokens
    assert access is not None and access != expired
    assert kept_refresh == refresh
    assert (jwt_expiry(access) or 0) > time.time() + 600


def test_dead_refresh_token_means_login_again(trade_bot: RunningBot) -> None:
    expired_access = sign(trade_bot, "access", -60)
    expired_refresh = sign(trade_bot, "refresh", -60)
    client = jwt_client_with(trade_bot, expired_access, expired_refresh)
    assert client.count()["max"] == 10
    access, refresh = client._transport.tokens
    assert access is not None and refresh is not None
    assert refresh != expired_refresh and (jwt_expiry(refresh) or 0) > time.time() + 86400


def test_refresh_refused_by_server_falls_back_to_login(trade_bot: RunningBot) -> None:
    """A refresh token that looks alive locally but the server rejects (wrong key)."""
    expired_access = sign(trade_bot, "access", -60)
    forged_refresh = sign(trade_bot, "refresh", 86400, key="another-secret-key-" * 3)
    client = jwt_client_with(trade_bot, expired_access, forged_refresh)
    assert client.whitelist()["length"] == 4
    _, refresh = client._transport.tokens
    assert refresh is not None and refresh != forged_refresh


def test_access_token_refused_on_use_is_renewed_and_retried(trade_bot: RunningBot) -> None:
    """Upon expiry: the server says 401 to a token the client thought valid; one retry."""
    rejected = sign(trade_bot, "refresh", 600)  # right key, wrong type: 401 on use
    refresh = sign(trade_bot, "refresh", 86400)
    client = jwt_client_with(trade_bot, rejected, refresh, password="not-the-password")
    assert client.locks()["lock_count"] >= 1
    access, _ = client._transport.tokens
    assert access is not None and access != rejected


def test_jwt_wrong_password_is_unauthorized_without_leaking(trade_bot: RunningBot) -> None:
    client = FtClient(trade_bot.api_url, trade_bot.username, "wrong-pass-123", auth="jwt")
    with pytest.raises(Unauthorized) as err:
        client.count()
    assert err.value.status == 401 and err.value.route == "/token/login"
    assert "Incorrect username or password" in str(err.value)
    assert "wrong-pass-123" not in str(err.value) and "wrong-pass-123" not in repr(err.value)


def test_token_routes_return_hidden_secrets(client: FtClient, trade_bot: RunningBot) -> None:
    pair = client.token_login()
    assert "eyJ" not in repr(pair) and "***" in repr(pair)
    refreshed = client.token_refresh(pair.refresh_token)
    assert (jwt_expiry(refreshed.access_token) or 0) > time.time() + 600
    bearer = jwt_client_with(
        trade_bot, refreshed.access_token, pair.refresh_token, password="not-the-password"
    )
    assert bearer.count()["max"] == 10


def test_token_refresh_with_access_token_is_unauthorized(client: FtClient) -> None:
    pair = client.token_login()
    with pytest.raises(Unauthorized, match="Could not validate credentials"):
        client.token_refresh(pair.access_token)


def test_token_refresh_without_token_is_value_error(client: FtClient) -> None:
    with pytest.raises(ValueError, match="needs a refresh token"):
        client.token_refresh()


def test_no_secret_in_logs_during_jwt_flow(
    trade_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    expired = sign(trade_bot, "access", -60)
    refresh = sign(trade_bot, "refresh", -60)
    client = jwt_client_with(trade_bot, expired, refresh)
    client.count()
    access, new_refresh = client._transport.tokens
    text = caplog.text
    assert "logged in" in text  # the flow was logged ...
    for secret in (
        trade_bot.password,
        expired.reveal(),
        access.reveal() if access else "x",
        new_refresh.reveal() if new_refresh else "x",
    ):
        assert secret not in text  # ... without a single secret
