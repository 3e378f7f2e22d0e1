"""A web app with no Rasa behind it and its own app database in a temporary folder."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.web.app import create_app
from devtools.servers import free_port


@pytest.fixture()
def app_database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'app.db'}"


@pytest.fixture()
def client(app_database_url: str) -> Iterator[TestClient]:
    # Nothing listens on this port: pages must still load and say the assistant is away.
    app = create_app(
        f"http://127.0.0.1:{free_port()}",
        app_database_url,
        widget_socket_url="http://rasa.test:5005",
    )
    with TestClient(app) as test_client:
        yield test_client
