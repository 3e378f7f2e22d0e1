"""Invoices: there once the order ships, with 21% VAT included."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from bot.commerce import InvoiceNotAvailable, OrderService, OrderStatus, VerificationFailed

pytestmark = pytest.mark.unit

EMMA = "emma.devries@example.com"
LUKAS = "lukas.schneider@example.net"
OLIVER = "oliver.bennett@example.org"
JESSICA = "jessica.miller@example.com"


@pytest.mark.parametrize(
    ("order_id", "email"),
    [("A1004", LUKAS), ("A1005", EMMA), ("A1007", OLIVER), ("A1008", JESSICA)],
)
def test_invoice_of_shipped_orders(service: OrderService, order_id, email):
    order = service.get_order(order_id, email)
    invoice = service.get_invoice(order_id, email)
    assert re.fullmatch(r"INV-2026-\d{5}", invoice.number)
    assert (invoice.order_id, invoice.amount, invoice.currency) == (order_id, order.total, "EUR")
    vat = (order.total * 21 / Decimal(121)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert invoice.vat_amount == vat
    assert invoice.net_amount == order.total - vat
    assert invoice.issued_at == order.shipped_at


@pytest.mark.parametrize(
    ("order_id", "email", "status"),
    [
        ("A1001", EMMA, OrderStatus.PENDING),
        ("A1002", EMMA, OrderStatus.PAID),
        ("A1003", LUKAS, OrderStatus.PACKED),
        ("A1006", OLIVER, OrderStatus.CANCELLED),
    ],
)
def test_no_invoice_before_shipping(service: OrderService, order_id, email, status):
    with pytest.raises(InvoiceNotAvailable) as missing:
        service.get_invoice(order_id, email)
    assert (missing.value.order_id, missing.value.status) == (order_id, status)


def test_invoice_needs_the_right_email(service: OrderService):
    with pytest.raises(VerificationFailed):
        service.get_invoice("A1004", EMMA)
