"""An app database and a tracker store, both SQLite in a temporary folder."""

from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.appdata import get_app_engine
from tests.unit.insights.conversations import tracker_store


@pytest.fixture()
def app_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'app.db'}"


@pytest.fixture()
def app_engine(app_url: str) -> Engine:
    return get_app_engine(app_url)


@pytest.fixture()
def tracker(tmp_path: Path) -> Engine:
    return tracker_store(f"sqlite:///{tmp_path / 'tracker.db'}")
