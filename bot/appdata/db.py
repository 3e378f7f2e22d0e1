"""Engine and sessions of the app database (``settings.app_database_url``).

Engines are shared with the shop database's cache (:func:`bot.commerce.db.get_engine`): one per
URL per process, SQLite folders created, the same pooling rules on every backend. The schema is
made and kept current by the migrations (:func:`bot.appdata.migrate.upgrade_app_database`).
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from bot.commerce.db import get_engine
from bot.settings import get_settings


def get_app_engine(url: str | URL | None = None) -> Engine:
    """Returns the (cached) engine of the app database.

    Args:
        url: SQLAlchemy URL; ``None`` means ``settings.app_database_url``.
    """
    return get_engine(get_settings().app_database_url if url is None else url)


def get_app_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """A session factory for the app database that keeps values readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)
