"""Looking orders up: order numbers, e-mail verification, views, recent orders."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from bot.commerce import (
    CommerceBackend,
    InvalidOrderId,
    OrderNotFound,
    OrderService,
    OrderStatus,
    VerificationFailed,
    Zone,
    normalise_order_id,
)
from bot.commerce.views import OrderView

pytestmark = pytest.mark.unit

EMMA = "emma.devries@example.com"
LUKAS = "lukas.schneider@example.net"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A1234", "A1234"),
        ("a1234", "A1234"),
        ("A-1234", "A1234"),
        ("#A1234", "A1234"),
        (" A1234 ", "A1234"),
        ("# a-1001", "A1001"),
        ("A 1234", "A1234"),
        ("A12345", None),
        ("A123", None),
        ("1234", None),
        ("B1234", None),
        ("A12B4", None),
        ("order A1234", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_order_id(text, expected):
    assert normalise_order_id(text) == expected


def test_service_implements_the_backend_protocol(service: OrderService):
    assert isinstance(service, CommerceBackend)


def test_get_order_shipped_has_tracking_newest_first(service: OrderService):
    view = service.get_order("a-1004", LUKAS)
    assert isinstance(view, OrderView)
    assert (view.order_id, view.status) == ("A1004", OrderStatus.SHIPPED)
    assert view.carrier == "DHL" and view.tracking_number and view.tracking_number.isdigit()
    assert view.delivered_at is None
    assert view.estimated_delivery is not None and view.estimated_delivery >= date(2026, 11, 2)
    times = [event.at for event in view.tracking_events]
    assert len(times) >= 2 and times == sorted(times, reverse=True)
    assert view.tracking_events[-1].location == "Utrecht, NL"
    address = view.shipping_address
    assert (address.city, address.country_code, address.zone) == ("Berlin", "DE", Zone.EU1)
    assert view.customer_first_name == "Lukas"


def test_get_order_totals_and_lines(service: OrderService):
    view = service.get_order("A1005", EMMA)
    assert view.status is OrderStatus.DELIVERED
    assert view.delivered_at is not None and view.delivered_at.date() == date(2026, 10, 30)
    assert view.subtotal == sum((line.line_total for line in view.lines), Decimal("0"))
    assert view.total == view.subtotal + view.shipping_cost
    assert view.item_count == sum(line.qty for line in view.lines) >= 2
    assert view.tracking_events[0].description == "Delivered"


def test_views_are_frozen_dataclasses(service: OrderService):
    view = service.get_order("A1001", EMMA)
    assert dataclasses.is_dataclass(view)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.status = OrderStatus.CANCELLED  # type: ignore[misc]
    assert view.carrier is None and view.tracking_events == ()


@pytest.mark.parametrize("email", ["EMMA.DEVRIES@EXAMPLE.COM", "  Emma.deVries@example.com \n"])
def test_email_check_ignores_case_and_spaces(service: OrderService, email: str):
    assert service.get_order("A1002", email).order_id == "A1002"


@pytest.mark.parametrize("email", [LUKAS, "emma.devries@example.net", "", "   "])
def test_wrong_email_is_refused(service: OrderService, email: str):
    with pytest.raises(VerificationFailed):
        service.get_order("A1002", email)


def test_unknown_and_malformed_order_numbers(service: OrderService):
    with pytest.raises(OrderNotFound) as unknown:
        service.get_order("A9999", EMMA)
    assert unknown.value.order_id == "A9999"
    assert not isinstance(unknown.value, InvalidOrderId)
    with pytest.raises(InvalidOrderId):
        service.get_order("hello", EMMA)


def test_recent_orders_newest_first(service: OrderService):
    summaries = service.recent_orders(" Emma.DeVries@example.com ")
    assert [s.order_id for s in summaries] == ["A1001", "A1002", "A1005"]
    assert summaries[0].status is OrderStatus.PENDING
    assert [s.order_id for s in service.recent_orders(EMMA, limit=1)] == ["A1001"]
    assert service.recent_orders("nobody@example.com") == []
    with pytest.raises(ValueError, match="limit"):
        service.recent_orders(EMMA, limit=0)


@pytest.mark.parametrize(
    ("text", "exists"), [("A1001", True), ("a-1010", True), ("A9999", False), ("junk", False)]
)
def test_order_exists_needs_no_email(service: OrderService, text: str, exists: bool):
    assert service.order_exists(text) is exists


def test_refunds_for_order(service: OrderService):
    (refund,) = service.refunds_for_order("A1008", "jessica.miller@example.com")
    assert (refund.reference, refund.order_id, refund.created) == ("RF-95409", "A1008", False)
    assert service.refunds_for_order("A1005", EMMA) == []
    with pytest.raises(VerificationFailed):
        service.refunds_for_order("A1008", EMMA)
