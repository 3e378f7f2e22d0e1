"""Engines, sessions and schema of the shop database.

One engine per database URL per process (engines hold connection pools, so they are cached);
the URL defaults to ``settings.database_url``. SQLite files get their folder created and
foreign keys switched on; an in-memory SQLite database is shared by all sessions of its engine.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from bot.commerce.errors import CommerceUnavailable
from bot.commerce.models import Base
from bot.settings import get_settings

CONNECT_TIMEOUT_S = 5
"""Seconds a PostgreSQL connection may take to open."""
_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def get_engine(url: str | URL | None = None) -> Engine:
    """Returns the (cached) engine of a database URL.

    Args:
        url: SQLAlchemy URL; ``None`` means ``settings.database_url``.

    Raises:
        CommerceUnavailable: The URL cannot be parsed, names a driver that is not installed, or
            its SQLite folder cannot be created.
    """
    raw = get_settings().database_url if url is None else url
    try:
        parsed = make_url(raw)
    except ArgumentError as exc:
        raise CommerceUnavailable(f"invalid database URL: {exc}") from exc
    key = parsed.render_as_string(hide_password=False)
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _create_engine(parsed)
            _engines[key] = engine
    return engine


def _create_engine(url: URL) -> Engine:
    kwargs: dict[str, Any] = {}
    is_sqlite = url.get_backend_name() == "sqlite"
    if is_sqlite:
        database = url.database or ""
        if database in ("", ":memory:") or database.startswith("file::memory:"):
            kwargs["poolclass"] = StaticPool
        else:
            try:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CommerceUnavailable(f"cannot create folder for {database}: {exc}") from exc
        # Action servers call from worker threads; sessions never share a connection.
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
    else:
        kwargs["pool_pre_ping"] = True
        if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
            # A server that drops packets fails the call within seconds instead of hanging it
            # (a ``connect_timeout`` in the URL's query wins).
            kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
    try:
        engine = create_engine(url, **kwargs)
    except (SQLAlchemyError, ImportError) as exc:
        raise CommerceUnavailable(f"cannot create engine for {url!r}: {exc}") from exc
    if is_sqlite:
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def get_sessionmaker(url: str | URL | Engine | None = None) -> sessionmaker[Session]:
    """Returns a session factory bound to an engine or to the engine of a URL.

    Sessions keep loaded values after commit (``expire_on_commit=False``) so read-after-write
    code can build views without another round trip.
    """
    engine = url if isinstance(url, Engine) else get_engine(url)
    return sessionmaker(bind=engine, expire_on_commit=False)


def create_schema(engine: Engine) -> None:
    """Creates the shop tables that do not exist yet (never alters existing ones)."""
    Base.metadata.create_all(engine)


def drop_schema(engine: Engine) -> None:
    """Drops every shop table (used by ``seed_database(reset=True)``)."""
    Base.metadata.drop_all(engine)


@contextmanager
def session_scope(factory: sessionmaker[Session] | None = None) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error.

    Args:
        factory: Session factory; ``None`` uses the default database.

    Yields:
        The session.
    """
    factory = factory or get_sessionmaker()
    with factory() as session, session.begin():
        yield session


def dispose_engines(url: str | URL | None = None) -> None:
    """Closes and forgets cached engines: the one of ``url``, or every one when ``None``."""
    with _lock:
        if url is None:
            keys = list(_engines)
        else:
            keys = [make_url(url).render_as_string(hide_password=False)]
        for key in keys:
            engine = _engines.pop(key, None)
            if engine is not None:
                engine.dispose()
