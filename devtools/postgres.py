"""The local PostgreSQL for tests: database ``test``, a fresh schema of its own per use."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

SERVER = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


@contextmanager
def postgres_schema(prefix: str) -> Iterator[str]:
    """A URL of the local PostgreSQL whose search path is a new schema named ``prefix_…``, dropped
    (with the app database's pooled connections to it) afterwards; skips the test when
    PostgreSQL does not answer."""
    from bot.appdata import get_app_engine

    pytest.importorskip("psycopg2")
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(SERVER)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        pytest.skip(f"PostgreSQL is not running on 127.0.0.1:5432: {error}")
    url = f"{SERVER}?options=-csearch_path%3D{schema}"
    try:
        yield url
    finally:
        get_app_engine(url).dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
