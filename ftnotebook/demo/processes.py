"""Child processes for the demo: free ports, spawning in a process group, clean stops.

Kept apart from the launcher so the stop logic (SIGTERM, retry, then kill the whole
group) is written once and used for the simulator, the bots and JupyterLab alike.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Self

LOOPBACK = "127.0.0.1"


class StopsOnExit:
    """Mixin: ``with thing:`` calls ``thing.stop()`` on the way out, error or not."""

    def stop(self) -> object:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def free_port(host: str = LOOPBACK) -> int:
    """Return a TCP port on ``host`` that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int, host: str = LOOPBACK) -> bool:
    """True when nothing listens on ``host:port`` and we could bind it.

    SO_REUSEADDR, as uvicorn and http.server set it, so a port a stopped bot left in
    TIME_WAIT counts as free: the restarted bot will be able to bind it.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def tail(path: Path, lines: int = 25) -> str:
    """The last ``lines`` lines of a text file, or '' when it does not exist yet."""
    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            return "".join(deque(handle, maxlen=lines)).rstrip()
    except FileNotFoundError:
        return ""


def spawn(
    argv: list[str],
    *,
    log_path: Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """Start ``argv`` in its own process group with stdout+stderr appended to ``log_path``.

    Its own session means a stop can signal the process and every child it made,
    and a Ctrl-C in the terminal reaches only our launcher, which then stops it cleanly.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        return subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def stop(proc: subprocess.Popen[bytes], *, tries: int = 3, grace: float = 5.0) -> int | None:
    """Stop ``proc`` and its group: SIGTERM, resent up to ``tries`` times, then SIGKILL.

    freqtrade turns SIGTERM into a clean shutdown, but the resulting KeyboardInterrupt
    can land in a weakref callback and be swallowed, so one SIGTERM is not always
    enough. Returns the exit code (None only if even SIGKILL did not reap it).
    """
    for _ in range(tries):
        if proc.poll() is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
    if proc.poll() is None:
        _signal_group(proc, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace)
    # Reap anything the process left behind in its group.
    _signal_group(proc, signal.SIGKILL)
    return proc.poll()


def wait_for(predicate: Callable[[], object], *, timeout: float, interval: float = 0.1) -> bool:
    """Poll ``predicate()`` until it is truthy or ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
