"""The app database's migrations on SQLite: a database made by the release before migrations
keeps every row, a new one gets exactly the models' schema, upgrading again changes nothing, and
processes starting together do not trip over each other."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Column, Engine, MetaData, String, create_engine, select, text
from typer.testing import CliRunner

from bot.appdata import (
    AppDatabaseUpgradeError,
    get_app_engine,
    get_app_sessionmaker,
    save_rating,
    upgrade_app_database,
)
from bot.appdata.migrate import BASELINE_TABLES, head_revision, read_schema_state
from bot.cli import app
from bot.settings import get_settings
from tests.fixtures.app_db import (
    PREVIOUS_RELEASE_TABLES,
    all_rows,
    differences,
    every_table_metadata,
    load_previous_release,
    rows_kept,
    schema_of,
)

pytestmark = pytest.mark.unit


@pytest.fixture()
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'app.db'}"


def test_a_database_of_the_previous_release_keeps_every_row(sqlite_url):
    engine = get_app_engine(sqlite_url)
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


def test_the_models_read_and_write_an_upgraded_database(sqlite_url):
    from bot.handoff.models import Agent, Conversation, Message

    engine = get_app_engine(sqlite_url)
    load_previous_release(engine)
    upgrade_app_database(engine)
    with get_app_sessionmaker(engine)() as session, session.begin():
        conversation = session.scalars(select(Conversation).order_by(Conversation.id)).first()
        assert conversation is not None and conversation.assignee is not None
        assert (conversation.assignee.name, conversation.rating and conversation.rating.stars) == (
            "Ann Admin",
            2,
        )
        sources = session.scalars(select(Message.sources).where(Message.sender == "bot")).one()
        assert sources == [{"id": "policies/shipping.md#2", "title": "Shipping times"}]
        assert session.scalars(select(Agent.name).where(Agent.id == 2)).one() == "Bob O'Brien"
        # New rows get ids after the old ones (the tables' own sequences were kept).
        assert save_rating(session, "new-after-upgrade", 4, None).stars == 4
    with engine.connect() as connection:
        ids = connection.execute(text("SELECT id FROM conversation_ratings ORDER BY id")).scalars()
        assert list(ids) == [1, 2, 3]


def test_foreign_keys_are_on_again_after_an_upgrade_on_sqlite(sqlite_url):
    engine = get_app_engine(sqlite_url)
    load_previous_release(engine)
    upgrade_app_database(engine)
    with engine.connect() as connection:  # the pool hands back the connection that migrated
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def test_a_database_with_only_some_tables_of_the_previous_release_gets_the_rest(sqlite_url):
    # The previous release's action server made the knowledge_gaps table alone on first use.
    engine = get_app_engine(sqlite_url)
    load_previous_release(engine)
    with engine.begin() as connection:
        for table in reversed(PREVIOUS_RELEASE_TABLES[:-1]):
            connection.execute(text(f"DROP TABLE {table}"))
        gaps = all_rows(connection, ("knowledge_gaps",))
    assert read_schema_state(engine).baseline_tables == {"knowledge_gaps"}

    upgrade_app_database(engine)

    with engine.connect() as connection:
        assert all_rows(connection, ("knowledge_gaps",)) == gaps
    assert read_schema_state(engine).baseline_tables == BASELINE_TABLES
    assert differences(engine, every_table_metadata()) == []


def test_a_new_database_gets_exactly_the_tables_and_columns_of_the_models(sqlite_url):
    engine = get_app_engine(sqlite_url)
    assert read_schema_state(engine).describe().startswith("empty")

    upgrade_app_database(engine)

    assert differences(engine, every_table_metadata()) == []
    with engine.connect() as connection:
        assert set(schema_of(connection)) == set(every_table_metadata().tables) | {
            "alembic_version"
        }
        assert BASELINE_TABLES <= set(schema_of(connection))


def test_a_model_change_without_a_migration_is_noticed(sqlite_url):
    engine = get_app_engine(sqlite_url)
    upgrade_app_database(engine)
    changed = MetaData(naming_convention=every_table_metadata().naming_convention)
    for table in every_table_metadata().tables.values():
        table.to_metadata(changed)
    changed.tables["agents"].append_column(Column("nickname", String(40), nullable=True))

    [difference] = differences(engine, changed)

    assert difference[0] == "add_column" and difference[3].name == "nickname"  # type: ignore[index]


def test_upgrading_twice_changes_nothing(sqlite_url):
    engine = get_app_engine(sqlite_url)
    load_previous_release(engine)
    upgrade_app_database(engine)
    with engine.connect() as connection:
        schema, rows = schema_of(connection), all_rows(connection)
        sql = connection.execute(text("SELECT name, sql FROM sqlite_master ORDER BY name")).all()

    # Another engine: the way a second process sees it, without this process's memory of it.
    other = create_engine(sqlite_url)
    upgrade_app_database(other)
    upgrade_app_database(engine)

    with other.connect() as connection:
        assert (schema_of(connection), all_rows(connection)) == (schema, rows)
        assert (
            connection.execute(text("SELECT name, sql FROM sqlite_master ORDER BY name")).all()
            == sql
        )
        assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [
            (head_revision(),)
        ]
    other.dispose()


def test_processes_starting_together_upgrade_once(sqlite_url):
    # Each thread stands for a process with its own engine (the web app, the action server…).
    engines = [create_engine(sqlite_url, connect_args={"timeout": 30}) for _ in range(4)]
    start = threading.Barrier(len(engines))
    errors: list[BaseException] = []

    def start_process(engine: Engine) -> None:
        start.wait()
        try:
            upgrade_app_database(engine)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=start_process, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert read_schema_state(sqlite_url).at_head
    assert differences(get_app_engine(sqlite_url), every_table_metadata()) == []
    for engine in engines:
        engine.dispose()


def test_a_database_of_a_newer_release_is_refused_with_a_clear_message(sqlite_url):
    engine = get_app_engine(sqlite_url)
    upgrade_app_database(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))

    with pytest.raises(
        AppDatabaseUpgradeError, match="at revision 9999, which this release does not know"
    ):
        upgrade_app_database(create_engine(sqlite_url))


def test_the_command_line_upgrades_and_says_where_the_database_stands(sqlite_url, monkeypatch):
    monkeypatch.setattr(get_settings(), "app_database_url", sqlite_url)
    runner = CliRunner()

    behind = runner.invoke(app, ["app-db", "current"])
    upgraded = runner.invoke(app, ["app-db", "upgrade"])
    again = runner.invoke(app, ["app-db", "upgrade"])
    current = runner.invoke(app, ["app-db", "current"])

    assert (behind.exit_code, "empty (no app tables)" in behind.output) == (1, True)
    assert upgraded.exit_code == 0 and f"now revision {head_revision()} (head)" in upgraded.output
    assert again.exit_code == 0 and "nothing to do" in again.output
    assert (current.exit_code, current.output.strip().endswith("(head)")) == (0, True)


def test_the_command_line_fails_clearly_when_the_database_cannot_be_reached(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setattr(
        get_settings(), "app_database_url", f"sqlite:///{tmp_path / 'a-file' / 'app.db'}"
    )

    result = CliRunner().invoke(app, ["app-db", "upgrade"])

    assert result.exit_code == 1
    assert "error: the app database was not upgraded" in result.output
    assert "Traceback" not in result.output
