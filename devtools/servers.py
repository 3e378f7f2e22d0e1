"""Starts the real action server, Rasa server and web app on free local ports, for the integration
and browser tests and the benchmarks."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
APP_PYTHON = ROOT / ".venv" / "bin" / "python"
WEBHOOK_TOKEN = os.environ.get("FERNHILL_ACTION_WEBHOOK_TOKEN") or secrets.token_urlsafe(24)
"""The token every action server started here requires and every Rasa started here sends."""


def action_endpoint_yaml(action_url: str) -> str:
    """endpoints.yml's ``action_endpoint`` for the action server at ``action_url``, with the
    webhook token it requires."""
    return f'action_endpoint:\n  url: "{action_url}/webhook"\n  token: "{WEBHOOK_TOKEN}"\n'


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_ready(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    """Polls ``url`` until it answers 200; fails with the log tail if the process dies, or
    stops it and fails when it is not ready in ``timeout`` seconds (nothing is left running)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited early:\n{log.read_text()[-4000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    process.kill()
    process.wait(timeout=30)
    raise TimeoutError(f"{url} not ready after {timeout} s:\n{log.read_text()[-4000:]}")


@dataclass
class Server:
    """A started server process and where it listens."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path
    env: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        """Stops the process (terminate, then kill after 15 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def ensure_shop_index() -> Path:
    """The shop's knowledge index in var/index, built if the knowledge base changed (a no-op
    otherwise, so every test session and ``make run`` share one build)."""
    from bot.knowledge.build import build_index
    from bot.knowledge.service import build_options

    index = ROOT / "var" / "index"
    build_index([ROOT / "knowledge_base"], index, build_options())
    return index


def start_action_server(
    tmp: Path,
    database_url: str,
    index_dir: Path | None = None,
    extra_env: dict[str, str] | None = None,
    wait_ready: bool = True,
    port: int | None = None,
) -> Server:
    """Starts ``python -m actions.server`` against ``database_url`` and the knowledge index
    (default: the shop's, see :func:`ensure_shop_index`); ``env`` holds its reload token.
    ``extra_env`` adds settings (e.g. the app database the handoff queue goes to). Without
    ``wait_ready`` it returns once the server answers, before ``/ready`` (a missing index);
    ``port`` restarts one where Rasa expects it (default: a free port)."""
    port = port or free_port()
    log = tmp / "actions.log"
    env = {
        **os.environ,
        "FERNHILL_DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
        "FERNHILL_INDEX_DIR": str(index_dir or ensure_shop_index()),
        "FERNHILL_ACTION_API_TOKEN": secrets.token_urlsafe(16),
        "FERNHILL_ACTION_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
        # Tests use the small packaged generator (the real path, fast); override to try another.
        "FERNHILL_GENERATOR_MODEL": os.environ.get("FERNHILL_TEST_GENERATOR_MODEL", "smollm2-135m"),
        # Time enough for the model to write on a slow CPU too (with the default limit such a
        # machine answers from the passage without asking it; unit tests cover that path).
        "FERNHILL_GENERATOR_TIME_LIMIT_S": os.environ.get(
            "FERNHILL_TEST_GENERATOR_TIME_LIMIT_S", "10"
        ),
        # The model's path (reply, claim check, composed fallback) through the real servers; the
        # default compose mode is the same composer without the model (unit tests, benchmark).
        "FERNHILL_ANSWER_MODE": os.environ.get("FERNHILL_TEST_ANSWER_MODE", "generate"),
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [str(APP_PYTHON), "-m", "actions.server", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    server = Server(process, f"http://127.0.0.1:{port}", log, env)
    wait_until_ready(f"{server.url}/health", process, log, timeout=120)
    if not wait_ready:
        return server
    # /ready: the index and the generator are loaded and warm (the first run converts the model).
    wait_until_ready(f"{server.url}/ready", process, log, timeout=300)
    return server


def start_rasa_server(
    tmp: Path,
    action_url: str,
    token: str,
    port: int | None = None,
    tracker_db: Path | None = None,
    extra_env: dict[str, str] | None = None,
    model: Path = ROOT / "models",
) -> Server:
    """Starts ``rasa run`` with the project's channels (REST, the widget's socket.io, the
    messaging apps configured in ``extra_env``), the HTTP API (token) and an in-memory tracker;
    with ``tracker_db`` the conversations are kept in that SQLite file instead (as ``make run``
    keeps them), so they outlive a restart. ``port``: a fixed port (default: a free one)."""
    port = port or free_port()
    log = tmp / "rasa.log"  # appended to: a restart in the same folder keeps the earlier runs' log
    endpoints = tmp / "endpoints.yml"
    store = ""
    if tracker_db is not None:
        store = f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{tracker_db}"\n'
    endpoints.write_text(action_endpoint_yaml(action_url) + store)
    credentials = ROOT / "credentials.yml"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [
            str(RASA_BIN),
            "run",
            "--model",
            str(model),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(credentials),
            "--enable-api",
            f"--auth-token={token}",  # one argument: a token may start with "-"
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
            "--cors",
            "*",
        ],
        cwd=tmp,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )
    server = Server(process, f"http://127.0.0.1:{port}", log, env)
    # generous: a Rasa start takes minutes on a busy 2-core machine
    wait_until_ready(f"{server.url}/status?token={token}", process, log, timeout=600)
    return server


def start_web_app(
    tmp: Path,
    rasa_url: str,
    app_database_url: str,
    extra_env: dict[str, str] | None = None,
) -> Server:
    """Starts ``python -m bot web`` (shop page, widget, console, API) in front of ``rasa_url``;
    ``extra_env`` adds settings (e.g. ``FERNHILL_RASA_TOKEN`` for the console)."""
    port = free_port()
    log = tmp / "web.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "FERNHILL_RASA_URL": rasa_url,
        "FERNHILL_WIDGET_SOCKET_URL": rasa_url,
        "FERNHILL_APP_DATABASE_URL": app_database_url,
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [str(APP_PYTHON), "-m", "bot", "web", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    server = Server(process, f"http://127.0.0.1:{port}", log, env)
    wait_until_ready(f"{server.url}/health", process, log, timeout=60)
    return server


@contextmanager
def serve_in_thread(app: Any, ready_path: str, timeout: float = 30) -> Iterator[str]:
    """Serves the ASGI ``app`` with uvicorn in a thread of this process on a free port (for a
    web app a test has set up in-process); yields its base URL once ``ready_path`` answers 200,
    and stops it after the block."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}{ready_path}", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.1)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
