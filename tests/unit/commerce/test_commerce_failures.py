"""A broken database never leaks SQLAlchemy errors: callers get CommerceUnavailable."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import SQLAlchemyError

from bot.commerce import (
    AddressInput,
    CommerceError,
    CommerceUnavailable,
    OrderService,
    ensure_database,
    get_engine,
)
from bot.commerce.db import dispose_engines

pytestmark = pytest.mark.unit

EMMA = "emma.devries@example.com"


@pytest.mark.parametrize("url", ["not a url at all", "nosuchdialect://user@host/db"])
def test_unusable_url_is_commerce_unavailable(url: str):
    with pytest.raises(CommerceUnavailable):
        get_engine(url)


def test_sqlite_folder_that_cannot_exist(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(CommerceUnavailable):
        get_engine(f"sqlite:///{blocker / 'sub' / 'shop.db'}")


def test_database_that_cannot_be_opened(tmp_path: Path):
    url = f"sqlite:///{tmp_path}"  # a folder, not a file
    service = OrderService.from_url(url)
    with pytest.raises(CommerceUnavailable) as failed:
        service.get_order("A1001", EMMA)
    assert isinstance(failed.value.__cause__, SQLAlchemyError)
    assert isinstance(failed.value, CommerceError)
    dispose_engines(url)


def test_seeding_an_unusable_database(tmp_path: Path, settings_for):
    url = f"sqlite:///{tmp_path}"
    with pytest.raises(CommerceUnavailable):
        ensure_database(settings=settings_for(url))
    dispose_engines(url)


def _drop(db_url: str, table: str) -> None:
    path = db_url.removeprefix("sqlite:///")
    dispose_engines(db_url)
    with sqlite3.connect(path) as conn:
        conn.execute(f"DROP TABLE {table}")


def test_dropped_orders_table(db_url: str):
    service = OrderService.from_url(db_url)
    assert service.get_order("A1001", EMMA).order_id == "A1001"
    _drop(db_url, "orders")
    service = OrderService.from_url(db_url)
    calls = [
        lambda: service.get_order("A1001", EMMA),
        lambda: service.recent_orders(EMMA),
        lambda: service.cancellation_fee("A1001", EMMA),
        lambda: service.cancel_order("A1001", EMMA),
        lambda: service.change_shipping_address(
            "A1001", EMMA, AddressInput("Dam 1", "1012 JS", "Amsterdam", "NL")
        ),
        lambda: service.request_refund("A1005", EMMA, "x"),
        lambda: service.start_return("A1005", EMMA, reason="x"),
        lambda: service.get_invoice("A1005", EMMA),
    ]
    for call in calls:
        with pytest.raises(CommerceUnavailable):
            call()


def test_dropped_refunds_table_fails_writes_cleanly(db_url: str, sessions):
    _drop(db_url, "refunds")
    service = OrderService.from_url(db_url)
    with pytest.raises(CommerceUnavailable):
        service.cancel_order("A1002", EMMA)
    with pytest.raises(CommerceUnavailable):
        service.refund_status("RF-12345")
    with sessions() as session:  # the failed cancellation was rolled back
        from bot.commerce.models import Order

        order = session.get(Order, "A1002")
        assert order is not None and order.status == "paid"
