"""Bringing the app database to the newest schema with the Alembic migrations of
``bot/appdata/migrations``.

:func:`upgrade_app_database` is what every process calls at start (the web app, the handoff
queue of the action server, the console's command line): an empty database gets every table, a
database made by the release before migrations (tables, no ``alembic_version``) is stamped at the
baseline revision and then upgraded, and a database already at the head costs one query (and
nothing once this process has seen it there). Concurrent starts are serialised by the database:
``BEGIN IMMEDIATE`` on SQLite, a transaction-scoped advisory lock on PostgreSQL.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from bot.appdata.db import get_app_engine
from bot.appdata.migrations import MIGRATIONS_DIR
from bot.commerce.errors import CommerceUnavailable

log = logging.getLogger(__name__)

BASELINE_REVISION = "0001"
VERSION_TABLE = "alembic_version"  # Alembic's default, where a database keeps its revision
# The tables of the release before migrations (what revision 0001 creates).
BASELINE_TABLES = frozenset(
    {
        "agent_sessions",
        "agents",
        "conversation_messages",
        "conversation_notes",
        "conversation_ratings",
        "conversations",
        "knowledge_gaps",
    }
)
# Key of PostgreSQL's advisory lock that serialises the upgrades of one database (any bigint).
POSTGRES_LOCK_KEY = 0x4645524E_4D494752  # "FERNMIGR"

_at_head: weakref.WeakSet[Engine] = weakref.WeakSet()
_at_head_lock = threading.Lock()


class AppDatabaseUpgradeError(RuntimeError):
    """The app database could not be brought to the newest schema."""


@dataclass(frozen=True)
class SchemaState:
    """Where an app database stands.

    Attributes:
        revision: Its Alembic revision; ``None`` when it has none (empty, or made by the release
            before migrations).
        head: The newest revision of this code.
        baseline_tables: The tables of the release before migrations that it holds.
        known: Its revision is one of this code's (or it has none); a newer release's is not.
    """

    revision: str | None
    head: str
    baseline_tables: frozenset[str]
    known: bool = True

    @property
    def at_head(self) -> bool:
        """The database has the newest schema."""
        return self.revision == self.head

    @property
    def made_before_migrations(self) -> bool:
        """The database has app tables but no revision: the release before migrations made it."""
        return self.revision is None and bool(self.baseline_tables)

    def describe(self) -> str:
        """One line for people: the revision, or what the database is instead."""
        if self.at_head:
            return f"revision {self.revision} (head)"
        if not self.known:
            return (
                f"revision {self.revision}, from a newer release (this one's head is {self.head})"
            )
        if self.revision is not None:
            return f"revision {self.revision}, behind the head {self.head}"
        if self.made_before_migrations:
            tables = len(self.baseline_tables)
            return f"made before migrations ({tables} app tables, no revision), head is {self.head}"
        return f"empty (no app tables), head is {self.head}"


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision of the migrations (one head: the history never branches)."""
    head = _scripts().get_current_head()
    if head is None:
        raise AppDatabaseUpgradeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration of the app migrations, built in code (no ``alembic.ini``).

    Args:
        connection: Connection that ``env.py`` migrates on; ``None`` lets it connect to
            ``settings.app_database_url``.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def schema_state(connection: Connection) -> SchemaState:
    """Reads where the database of ``connection`` stands (two small queries)."""
    tables = frozenset(inspect(connection).get_table_names())
    revisions: list[str] = []
    if VERSION_TABLE in tables:
        revisions = list(
            connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
        )
    if len(revisions) > 1:
        raise AppDatabaseUpgradeError(f"the app database has several revisions: {revisions}")
    revision = revisions[0] if revisions else None
    known = revision is None or _is_known(revision)
    return SchemaState(revision, head_revision(), tables & BASELINE_TABLES, known)


def _is_known(revision: str) -> bool:
    try:
        return _scripts().get_revision(revision) is not None
    except CommandError:
        return False


def read_schema_state(engine: Engine | str | URL | None = None) -> SchemaState:
    """Where an app database stands; ``None`` means ``settings.app_database_url``."""
    engine = _engine_of(engine)
    with engine.connect() as connection:
        return schema_state(connection)


def database_label(engine: Engine | str | URL | None = None) -> str:
    """The database's URL without its password, for messages."""
    return _engine_of(engine).url.render_as_string(hide_password=True)


def upgrade_app_database(engine: Engine | str | URL | None = None) -> None:
    """Brings an app database to the newest schema; safe to call at every start.

    Args:
        engine: The database's engine or URL; ``None`` means ``settings.app_database_url``.

    Raises:
        AppDatabaseUpgradeError: The database cannot be reached, has a revision this code does
            not know (a newer release's), or a migration failed (its transaction is rolled back
            where the backend allows).
    """
    engine = _engine_of(engine)
    with _at_head_lock:
        if engine in _at_head:
            return
    try:
        if not read_schema_state(engine).at_head:
            _upgrade_serialised(engine)
    except (SQLAlchemyError, CommandError) as error:
        # On a backend without a migration lock another process may have won the race.
        _check_upgraded_meanwhile(engine, error)
    with _at_head_lock:
        _at_head.add(engine)


def _engine_of(engine: Engine | str | URL | None) -> Engine:
    if isinstance(engine, Engine):
        return engine
    try:
        return get_app_engine(engine)
    except CommerceUnavailable as error:
        raise AppDatabaseUpgradeError(f"cannot open the app database: {error}") from error


def _upgrade_serialised(engine: Engine) -> None:
    with engine.connect() as connection, _sqlite_foreign_keys_off(connection):
        _lock(connection)
        state = schema_state(connection)  # again, under the lock: another process may have won
        if state.at_head:
            connection.rollback()
            return
        if not state.known:
            raise AppDatabaseUpgradeError(
                f"the app database {database_label(engine)} is at revision {state.revision}, which "
                "this release does not know: a newer release upgraded it (run that release, or "
                "restore a backup)"
            )
        config = alembic_config(connection)
        if state.made_before_migrations and state.baseline_tables == BASELINE_TABLES:
            log.info("app database made before migrations: stamped at %s", BASELINE_REVISION)
            command.stamp(config, BASELINE_REVISION)
        elif state.made_before_migrations:
            missing = ", ".join(sorted(BASELINE_TABLES - state.baseline_tables))
            log.info("app database made before migrations: creating its missing %s", missing)
        command.upgrade(config, "head")
        _check_foreign_keys(connection)
        after = schema_state(connection)
        connection.commit()
    log.info("app database upgraded from %s to %s", state.revision or "nothing", after.revision)


def _lock(connection: Connection) -> None:
    """Starts the migration's transaction holding the database's migration lock."""
    backend = connection.dialect.name
    if backend == "sqlite":
        # Takes the write lock now (waiting up to the busy timeout), not at the first write.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif backend == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_LOCK_KEY})


@contextmanager
def _sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """On SQLite, switches foreign keys off while migrating: altering a table copies it and drops
    the old one, and with foreign keys on that drop would cascade to the rows that refer to it."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside a transaction, or ignored
    connection.commit()
    try:
        yield
    finally:
        connection.rollback()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def _check_foreign_keys(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise AppDatabaseUpgradeError(f"the migrations broke foreign keys: {broken[:5]}")


def _check_upgraded_meanwhile(engine: Engine, error: SQLAlchemyError | CommandError) -> None:
    try:
        state: SchemaState | None = read_schema_state(engine)
    except SQLAlchemyError:
        state = None
    if state is not None and state.at_head:
        log.info("app database upgraded by another process meanwhile (%s)", error)
        return
    reason = f"{error.__class__.__name__}: {error}"
    raise AppDatabaseUpgradeError(
        f"cannot upgrade the app database {database_label(engine)}: {reason}"
    ) from error
