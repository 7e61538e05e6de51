"""Which bots make a fleet: a name per bot and where its credentials come from.

A fleet file (JSON, or TOML when it ends in ``.toml``) lists the bots; it never holds a
secret. Each entry names the bot and says where to find its connection:

* ``config``: the bot's freqtrade config file (its ``api_server`` section gives URL,
  username, password and ws_token); a relative path is relative to the fleet file;
* or ``url`` plus ``username_env`` / ``password_env`` (and optionally ``ws_token_env``):
  names of environment variables that hold the credentials.

::

    {"bots": [
        {"name": "usdt-main", "config": "trade/config.json"},
        {"name": "btc", "url": "http://10.0.0.5:8080",
         "username_env": "BTC_BOT_USER", "password_env": "BTC_BOT_PASSWORD"}
    ]}

A key such as ``password`` or ``ws_token`` in the file is refused: secrets go in the
bot's config or the environment, never in a file meant to be shared or committed.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ftnotebook.settings import ConnectionSettings, Secret

__all__ = ["BotSpec", "read_fleet_file"]

_SECRET_KEYS = ("password", "ws_token", "token", "jwt", "secret", "jwt_secret_key")
_KEYS = ("name", "config", "url", "username_env", "password_env", "ws_token_env")


@dataclass(frozen=True)
class BotSpec:
    """One fleet-file entry: ``name`` and either ``config`` or ``url`` + env var names."""

    name: str
    config: Path | None = None
    url: str | None = None
    username_env: str | None = None
    password_env: str | None = None
    ws_token_env: str | None = None

    def settings(self, environ: Mapping[str, str] | None = None) -> ConnectionSettings:
        """Resolve the connection: read the config file or the named variables.

        Raises:
            FileNotFoundError: the config file does not exist.
            ValueError: a named environment variable is not set.
        """
        if self.config is not None:
            return ConnectionSettings.from_config(self.config)
        env = os.environ if environ is None else environ
        values: dict[str, str | None] = {}
        for field_name in ("username_env", "password_env", "ws_token_env"):
            var = getattr(self, field_name)
            if var is None:
                values[field_name] = None
                continue
            if var not in env:
                raise ValueError(
                    f"fleet bot {self.name!r}: environment variable {var} ({field_name}) is not set"
                )
            values[field_name] = env[var]
        assert self.url is not None
        password = values["password_env"]
        token = values["ws_token_env"]
        return ConnectionSettings(
            self.url,
            values["username_env"],
            Secret(password) if password is not None else None,
            Secret(token) if token else None,
        )


def _entry(raw: object, index: int, base: Path, source: str) -> BotSpec:
    where = f"{source}: bots[{index}]"
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where} must be a table/object, got {type(raw).__name__}")
    secrets = [k for k in raw if str(k).lower() in _SECRET_KEYS]
    if secrets:
        raise ValueError(
            f"{where} holds {secrets}: secrets never go in the fleet file. Name the bot's "
            "config file ('config') or environment variables ('password_env') instead."
        )
    unknown = [k for k in raw if k not in _KEYS]
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {unknown}; expected some of {list(_KEYS)}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{where}: 'name' must be a non-empty string, got {name!r}")
    config, url = raw.get("config"), raw.get("url")
    if (config is None) == (url is None):
        raise ValueError(f"{where} ({name}): give exactly one of 'config' or 'url'")
    for key in ("config", "url", "username_env", "password_env", "ws_token_env"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise ValueError(f"{where} ({name}): {key!r} must be a string, got {raw[key]!r}")
    if url is not None and (raw.get("username_env") is None) != (raw.get("password_env") is None):
        raise ValueError(f"{where} ({name}): give both 'username_env' and 'password_env'")
    path = None
    if config is not None:
        path = Path(config).expanduser()
        path = path if path.is_absolute() else base / path
    return BotSpec(
        name=name.strip(),
        config=path,
        url=url,
        username_env=raw.get("username_env"),
        password_env=raw.get("password_env"),
        ws_token_env=raw.get("ws_token_env"),
    )


def read_fleet_file(path: str | os.PathLike[str]) -> list[BotSpec]:
    """The bots a fleet file lists, in its order (see the module docstring).

    Raises:
        FileNotFoundError: no such file.
        ValueError: not valid JSON/TOML, no ``bots`` list, an entry that is malformed
            or holds a secret, or two entries with the same name.
    """
    file = Path(path)
    text = file.read_text(encoding="utf-8")
    data: Any
    try:
        data = tomllib.loads(text) if file.suffix == ".toml" else json.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{file}: not a valid fleet file: {exc}") from None
    bots = data.get("bots") if isinstance(data, Mapping) else None
    if not isinstance(bots, list) or not bots:
        raise ValueError(f"{file}: expected a non-empty 'bots' list")
    specs = [_entry(raw, i, file.parent, str(file)) for i, raw in enumerate(bots)]
    names = [s.name for s in specs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"{file}: bot names must be unique; {duplicates} appear more than once")
    return specs
