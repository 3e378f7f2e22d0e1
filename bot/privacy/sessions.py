"""The databases the privacy tools work on: the app database and Rasa's tracker store (the
``app_database_url`` and ``tracker_store_url`` settings)."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from bot.appdata import get_app_engine, get_app_sessionmaker, upgrade_app_database
from bot.settings import get_settings


def app_session(url: str | None = None) -> Session:
    """A session of the app database (brought to the newest schema first)."""
    engine = get_app_engine(url)
    upgrade_app_database(engine)
    return get_app_sessionmaker(engine)()


def tracker_engine(url: str | None = None) -> Engine:
    """Rasa's tracker store (before Rasa's first conversation it has no tables: the privacy
    tools then find nothing there)."""
    return create_engine(url or get_settings().tracker_store_url)
