"""Engine, sessions and schema of the app database (``settings.app_database_url``).

Engines are shared with the shop database's cache (:func:`bot.commerce.db.get_engine`): one per
URL per process, SQLite folders created, the same pooling rules on every backend.
"""

from __future__ import annotations

from sqlalchemy import Engine, MetaData
from sqlalchemy.engine import URL
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from bot.commerce.columns import NAMING_CONVENTION
from bot.commerce.db import get_engine
from bot.settings import get_settings


class AppBase(DeclarativeBase):
    """Declarative base of the app tables, with stable constraint names."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def get_app_engine(url: str | URL | None = None) -> Engine:
    """Returns the (cached) engine of the app database.

    Args:
        url: SQLAlchemy URL; ``None`` means ``settings.app_database_url``.
    """
    return get_engine(get_settings().app_database_url if url is None else url)


def create_app_schema(engine: Engine) -> None:
    """Creates the app tables that do not exist yet (never alters existing ones)."""
    # Imported for its side effect: the models register their tables on AppBase.metadata.
    from bot.appdata import models  # noqa: F401
    from bot.handoff import models as handoff_models  # noqa: F401

    AppBase.metadata.create_all(engine)


def get_app_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """A session factory for the app database that keeps values readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)
