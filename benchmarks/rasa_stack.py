"""The benchmarks' Rasa stack: a running server given by URL, or the action server and Rasa
started on free ports for the run (with a seeded shop database) and stopped after it."""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def start_rasa(model: str, tmp: Path, mode: str) -> tuple[str, list[Any]]:
    """Starts the action server (with ``model``, answering in ``mode``) and Rasa on free ports;
    returns Rasa's URL and the servers to stop."""
    from bot.commerce import get_engine, seed_database
    from bot.settings import get_settings
    from devtools.servers import start_action_server, start_rasa_server

    shop = f"sqlite:///{tmp / 'shop.db'}"
    engine = get_engine(shop)
    seed_database(engine)
    engine.dispose()
    # The configured time limit (the test helpers give the model more time by default).
    env = {
        "FERNHILL_GENERATOR_MODEL": model,
        "FERNHILL_APP_DATABASE_URL": f"sqlite:///{tmp / 'app.db'}",
        "FERNHILL_GENERATOR_TIME_LIMIT_S": str(get_settings().generator_time_limit_s),
        "FERNHILL_ANSWER_MODE": mode,
    }
    actions = start_action_server(tmp, shop, extra_env=env)
    token = secrets.token_urlsafe(16)
    rasa = start_rasa_server(tmp, actions.url, token)
    return rasa.url, [rasa, actions]


@contextmanager
def rasa_url(
    url: str | None, prefix: str, model: str | None = None, mode: str = "compose"
) -> Iterator[str]:
    """Rasa's URL for a benchmark: ``url`` when given, else a stack started for the block (with
    ``model``, by default the configured generator) and stopped after it."""
    if url is not None:
        yield url
        return
    if model is None:
        from bot.settings import get_settings

        model = get_settings().generator_model
    servers: list[Any] = []
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        try:
            started, servers = start_rasa(model, Path(tmp), mode)
            yield started
        finally:
            for server in servers:
                server.stop()
