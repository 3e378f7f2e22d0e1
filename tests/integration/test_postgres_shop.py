"""The shop database on PostgreSQL: the same seed, row for row, as on SQLite, and order
operations that write through the same service.

Uses the local PostgreSQL server (``FERNHILL_TEST_POSTGRES_URL``, default
``postgresql+psycopg2://postgres@127.0.0.1:5432/postgres``): each run creates a database of
its own and drops it afterwards.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.commerce.db import dispose_engines, get_engine
from bot.commerce.enums import OrderStatus
from bot.commerce.models import Base, Customer, Order
from bot.commerce.seed import seed_database
from bot.commerce.service import OrderService
from bot.settings import Settings

pytestmark = pytest.mark.integration

ADMIN_URL = os.environ.get(
    "FERNHILL_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
)
SETTINGS = Settings(seed_base_date=date(2026, 11, 1))


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped after the module."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"fernhill_test_{secrets.token_hex(4)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        dispose_engines(url)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def dump(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every shop table in primary-key order, values as comparable strings."""
    engine = get_engine(url)
    with engine.connect() as conn:
        return {
            table.name: [
                tuple(str(value) for value in row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


def test_seed_on_postgres_matches_sqlite_row_for_row(postgres_url: str, tmp_path: Path):
    sqlite_url = f"sqlite:///{tmp_path / 'shop.db'}"
    on_postgres = seed_database(get_engine(postgres_url), settings=SETTINGS)
    on_sqlite = seed_database(get_engine(sqlite_url), settings=SETTINGS)
    assert on_postgres.seeded and on_postgres.orders >= 300
    assert on_sqlite.seeded and on_sqlite.orders == on_postgres.orders
    postgres_rows, sqlite_rows = dump(postgres_url), dump(sqlite_url)
    dispose_engines(sqlite_url)
    assert postgres_rows.keys() == sqlite_rows.keys()
    for table, rows in sqlite_rows.items():
        assert postgres_rows[table] == rows, f"table {table} differs between PostgreSQL and SQLite"
    # A second seed finds the data and leaves it alone.
    assert not seed_database(get_engine(postgres_url), settings=SETTINGS).seeded


def test_order_operations_write_to_postgres(postgres_url: str):
    seed_database(get_engine(postgres_url), settings=SETTINGS)
    with Session(get_engine(postgres_url)) as session:
        order_id, email = session.execute(
            select(Order.id, Customer.email)
            .join(Customer, Order.customer_id == Customer.id)
            .where(Order.status == OrderStatus.PENDING)
            .order_by(Order.id)
            .limit(1)
        ).one()
    service = OrderService.from_url(postgres_url)
    assert service.get_order(order_id, email).status == OrderStatus.PENDING
    service.cancel_order(order_id, email)
    with Session(get_engine(postgres_url)) as session:
        assert session.get(Order, order_id).status == OrderStatus.CANCELLED  # type: ignore[union-attr]
