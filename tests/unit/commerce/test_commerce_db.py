"""Engines and sessions: cached per URL, SQLite foreign keys on, UTC times, exact money, a
bounded wait for a PostgreSQL server that does not answer."""

from __future__ import annotations

import socket
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError

from bot.commerce import create_schema, get_engine, get_sessionmaker, session_scope
from bot.commerce.db import CONNECT_TIMEOUT_S, dispose_engines
from bot.commerce.models import Customer, Product, Shipment

pytestmark = pytest.mark.unit


@pytest.fixture()
def url(tmp_path: Path):
    address = f"sqlite:///{tmp_path / 'deep' / 'er' / 'shop.db'}"
    yield address
    dispose_engines(address)


def test_engine_is_cached_and_sqlite_folder_created(url: str, tmp_path: Path):
    engine = get_engine(url)
    assert get_engine(url) is engine
    create_schema(engine)
    assert (tmp_path / "deep" / "er" / "shop.db").is_file()
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_foreign_keys_are_enforced(url: str):
    create_schema(get_engine(url))
    with pytest.raises(IntegrityError):
        with session_scope(get_sessionmaker(url)) as session:
            session.add(
                Shipment(order_id="A0000", carrier="DHL", tracking_number="1",
                         shipped_at=datetime(2026, 1, 1, tzinfo=UTC),
                         estimated_delivery=date(2026, 1, 3))
            )  # fmt: skip


def test_session_scope_commits_or_rolls_back(url: str):
    create_schema(get_engine(url))
    factory = get_sessionmaker(url)
    with session_scope(factory) as session:
        session.add(Product(sku="P1", name="Pan", category="Home", price=Decimal("19.999"),
                            currency="EUR", stock=1))  # fmt: skip
    with pytest.raises(RuntimeError):
        with session_scope(factory) as session:
            session.add(Product(sku="P2", name="Pot", category="Home", price=Decimal("5"),
                                currency="EUR", stock=1))  # fmt: skip
            raise RuntimeError("boom")
    with factory() as session:
        assert [p.sku for p in session.query(Product)] == ["P1"]
        assert session.get(Product, "P1").price == Decimal("20.00")  # type: ignore[union-attr]


def test_times_are_stored_utc_and_read_back_aware(url: str):
    create_schema(get_engine(url))
    factory = get_sessionmaker(url)
    from datetime import timedelta, timezone

    cet = timezone(timedelta(hours=1))
    with session_scope(factory) as session:
        session.add(Customer(email="a@example.com", first_name="A", last_name="B", phone=None,
                             created_at=datetime(2026, 11, 1, 11, 0, tzinfo=cet)))  # fmt: skip
    with factory() as session:
        customer = session.query(Customer).one()
        assert customer.created_at == datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
        assert customer.created_at.tzinfo is UTC
    with pytest.raises(StatementError, match="naive datetime"):
        with session_scope(factory) as session:
            session.add(Customer(email="b@example.com", first_name="A", last_name="B",
                                 phone=None, created_at=datetime(2026, 11, 1)))  # fmt: skip


def test_in_memory_database_is_shared_by_sessions():
    url = "sqlite://"
    create_schema(get_engine(url))
    factory = get_sessionmaker(url)
    with session_scope(factory) as session:
        session.add(Product(sku="M1", name="Mug", category="Home", price=Decimal("5"),
                            currency="EUR", stock=2))  # fmt: skip
    with factory() as session:
        assert session.get(Product, "M1") is not None
    dispose_engines(url)


def test_invalid_status_is_rejected_by_the_schema(url: str):
    create_schema(get_engine(url))
    with get_engine(url).begin() as conn:
        conn.execute(text(
            "INSERT INTO customers (id, email, first_name, last_name, created_at) "
            "VALUES (1, 'x@example.com', 'X', 'Y', '2026-01-01 00:00:00')"
        ))  # fmt: skip
    with pytest.raises(IntegrityError), get_engine(url).begin() as conn:
        conn.execute(text(
            "INSERT INTO addresses (customer_id, name, line1, postcode, city, country_code, "
            "zone, is_default) VALUES (1, 'X', 'L', 'P', 'C', 'NL', 'MARS', 1)"
        ))  # fmt: skip


def test_a_postgresql_server_that_never_answers_fails_the_connection_in_seconds():
    # A socket that accepts connections (the kernel's backlog) but never speaks PostgreSQL.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)
    url = f"postgresql+psycopg2://shop@127.0.0.1:{silent.getsockname()[1]}/shop"
    try:
        started = time.monotonic()
        with pytest.raises(OperationalError, match="timeout"):
            with get_engine(url).connect():
                pass
        assert time.monotonic() - started < CONNECT_TIMEOUT_S + 5
    finally:
        dispose_engines(url)
        silent.close()
