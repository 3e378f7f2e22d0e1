"""The app database's migrations on PostgreSQL (the local server, database ``test``, a schema of
its own per test): the previous release's database keeps every row, a new one matches the
models, upgrading again changes nothing, replicas starting together upgrade once."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from bot.appdata import get_app_engine, get_app_sessionmaker, save_rating, upgrade_app_database
from bot.appdata.migrate import head_revision, read_schema_state
from devtools.postgres import postgres_schema
from tests.fixtures.app_db import (
    PREVIOUS_RELEASE_TABLES,
    all_rows,
    differences,
    every_table_metadata,
    load_previous_release,
    rows_kept,
    schema_of,
)

pytestmark = pytest.mark.integration


@pytest.fixture()
def postgres_url() -> Iterator[str]:
    with postgres_schema("migrations") as url:
        yield url


def test_a_database_of_the_previous_release_keeps_every_row(postgres_url):
    engine = get_app_engine(postgres_url)
    load_previous_release(engine)
    with engine.connect() as connection:
        before = all_rows(connection)
    assert read_schema_state(engine).made_before_migrations
    assert all(before[table] for table in PREVIOUS_RELEASE_TABLES), (
        "a table of the fixture is empty"
    )

    upgrade_app_database(engine)

    with engine.connect() as connection:
        assert rows_kept(before, all_rows(connection)) == []
    assert read_schema_state(engine).at_head
    assert differences(engine, every_table_metadata()) == []
    with get_app_sessionmaker(engine)() as session, session.begin():
        save_rating(session, "new-after-upgrade", 4, None)
    with engine.connect() as connection:
        ids = connection.execute(text("SELECT id FROM conversation_ratings ORDER BY id")).scalars()
        assert list(ids) == [1, 2, 3]  # the id sequence went on where it was


def test_a_new_database_matches_the_models_and_a_second_upgrade_changes_nothing(postgres_url):
    engine = get_app_engine(postgres_url)
    upgrade_app_database(engine)
    assert differences(engine, every_table_metadata()) == []
    with engine.connect() as connection:
        schema = schema_of(connection)

    other = create_engine(postgres_url)  # as a second replica sees it
    upgrade_app_database(other)

    with other.connect() as connection:
        assert schema_of(connection) == schema
        assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [
            (head_revision(),)
        ]
    other.dispose()


def test_replicas_starting_together_upgrade_once(postgres_url):
    engines = [create_engine(postgres_url) for _ in range(4)]
    start = threading.Barrier(len(engines))
    errors: list[BaseException] = []

    def start_replica(engine: Engine) -> None:
        start.wait()
        try:
            upgrade_app_database(engine)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=start_replica, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert read_schema_state(postgres_url).at_head
    assert differences(get_app_engine(postgres_url), every_table_metadata()) == []
    for engine in engines:
        engine.dispose()
