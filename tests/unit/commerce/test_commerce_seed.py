"""The seed: deterministic, idempotent, and every order consistent with the shop's rules."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, selectinload

from bot.commerce.catalogue import load_catalogue
from bot.commerce.db import dispose_engines, get_engine
from bot.commerce.enums import (
    OrderStatus,
    PaymentStatus,
    RefundStatus,
    ReturnStatus,
    ShippingMethod,
    Zone,
)
from bot.commerce.models import (
    Base,
    Customer,
    Invoice,
    Order,
    Product,
    Refund,
    Return,
    Shipment,
)
from bot.commerce.seed import ensure_database, seed_database, seed_now
from bot.commerce.seed.demo import DEMO_CUSTOMERS, DEMO_ORDERS
from bot.commerce.zones import ZONES, add_business_days, delivery_window, shipping_cost
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.unit

NOW = seed_now(date(2026, 11, 1))
SHIPPED = {OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.RETURNED, OrderStatus.REFUNDED}


def dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every shop table, in primary-key order."""
    with engine.connect() as conn:
        return {
            table.name: [
                tuple(row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture(scope="module")
def orders(seeded_template: Path) -> list[Order]:
    """All seeded orders with everything loaded (read from the shared template, not changed)."""
    url = f"sqlite:///{seeded_template}"
    query = (
        select(Order)
        .order_by(Order.id)
        .options(
            selectinload(Order.lines),
            selectinload(Order.payments),
            selectinload(Order.refunds),
            selectinload(Order.returns),
            selectinload(Order.invoice),
            selectinload(Order.customer),
            selectinload(Order.shipment).selectinload(Shipment.events),
        )  # fmt: skip
    )
    with Session(get_engine(url), expire_on_commit=False) as session:
        rows = list(session.scalars(query))
    dispose_engines(url)
    return rows


def test_same_seed_gives_identical_databases(tmp_path: Path, settings_for):
    urls = [f"sqlite:///{tmp_path / name}" for name in ("one.db", "two.db", "other.db")]
    for url in urls[:2]:
        seed_database(get_engine(url), settings=settings_for(url))
    seed_database(get_engine(urls[2]), settings=settings_for(urls[2], seed=1))
    first, second, other = (dump(get_engine(url)) for url in urls)
    assert first == second
    assert sum(len(rows) for rows in first.values()) > 2000
    assert first["orders"] != other["orders"]
    # the demo orders do not depend on the seed
    assert [r[:3] for r in first["orders"][:10]] == [r[:3] for r in other["orders"][:10]]
    for url in urls:
        dispose_engines(url)


def test_report_counts_and_every_status_has_15(tmp_path: Path, settings_for):
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    report = seed_database(get_engine(url), settings=settings_for(url))
    assert report.seeded
    assert report.customers == 60 and report.orders == 320 and report.products == 19
    assert set(report.orders_by_status) == {s.value for s in OrderStatus}
    assert min(report.orders_by_status.values()) >= 15
    assert sum(report.orders_by_status.values()) == 320
    dispose_engines(url)


def test_small_settings_still_give_15_orders_per_status(tmp_path: Path, settings_for):
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    settings = settings_for(url, seed_customers=3, seed_orders=10)
    report = seed_database(get_engine(url), settings=settings)
    assert min(report.orders_by_status.values()) >= 15
    assert report.customers >= len(DEMO_CUSTOMERS) + 1
    dispose_engines(url)


def test_seeding_twice_does_nothing_and_reset_reseeds(db_url: str, settings_for):
    engine = get_engine(db_url)
    before = dump(engine)
    again = seed_database(engine, settings=settings_for(db_url))
    assert not again.seeded and again.orders == 320
    assert dump(engine) == before
    with engine.begin() as conn:
        conn.execute(text("UPDATE orders SET status = 'cancelled' WHERE id = 'A1001'"))
    reset = seed_database(engine, reset=True, settings=settings_for(db_url))
    assert reset.seeded
    assert dump(engine) == before


def test_ensure_database_creates_and_seeds_once(tmp_path: Path, settings_for):
    url = f"sqlite:///{tmp_path / 'nested' / 'folder' / 'shop.db'}"
    first = ensure_database(settings=settings_for(url))
    second = ensure_database(settings=settings_for(url))
    assert first.seeded and not second.seeded
    assert (tmp_path / "nested" / "folder" / "shop.db").is_file()
    assert first.orders == second.orders == 320
    dispose_engines(url)


def test_customers_are_varied_with_example_emails(db_url: str):
    with Session(get_engine(db_url)) as session:
        customers = list(session.scalars(select(Customer)))
        assert len(customers) >= 50
        emails = [c.email for c in customers]
        assert len(set(emails)) == len(emails)
        assert all(re.fullmatch(r"[a-z0-9.]+@example\.(com|net|org)", e) for e in emails)
        zones = Counter(a.zone for c in customers for a in c.addresses)
        assert set(zones) == set(Zone)
        assert len({c.last_name for c in customers}) >= 30
        assert all(sum(a.is_default for a in c.addresses) == 1 for c in customers)
        assert {(c.email, c.first_name) for c in customers} >= {
            (d.email, d.first_name) for d in DEMO_CUSTOMERS
        }


def test_order_totals_and_shipping_prices_add_up(orders: list[Order]):
    assert len(orders) == 320
    free = Counter()
    for order in orders:
        assert 1 <= len(order.lines) <= 4
        subtotal = sum((line.unit_price * line.qty for line in order.lines), Decimal("0"))
        assert order.subtotal == subtotal
        method = ShippingMethod(order.shipping_method)
        assert order.shipping_cost == shipping_cost(order.ship_zone, method, subtotal)
        assert order.total == order.subtotal + order.shipping_cost
        if method is ShippingMethod.STANDARD and order.shipping_cost == 0:
            free[order.ship_zone] += 1
            assert order.subtotal >= ZONES[order.ship_zone].free_standard_from
        if order.ship_zone is Zone.UK:
            assert method is ShippingMethod.STANDARD
    assert free[Zone.NL] > 0 and free[Zone.NA] == 0
    assert any(o.shipping_cost == Decimal("3.95") for o in orders)


def test_order_lines_come_from_the_catalogue(orders: list[Order], catalogue):
    for order in orders:
        for line in order.lines:
            product = catalogue.get(line.sku)
            assert product is not None
            assert (line.name, line.unit_price, line.final_sale) == (
                product.name, product.price, product.final_sale,
            )  # fmt: skip


def test_payments_match_status(orders: list[Order]):
    for order in orders:
        status = OrderStatus(order.status)
        (payment,) = order.payments
        assert payment.amount == order.total
        if status is OrderStatus.PENDING:
            assert payment.status in (PaymentStatus.AUTHORISED, PaymentStatus.FAILED)
        elif status is OrderStatus.REFUNDED:
            assert payment.status is PaymentStatus.REFUNDED
        elif status is OrderStatus.CANCELLED:
            refunded = any(r.status is RefundStatus.PROCESSED for r in order.refunds)
            expected = {
                PaymentStatus.FAILED if not order.refunds else
                PaymentStatus.REFUNDED if refunded else PaymentStatus.CAPTURED
            }  # fmt: skip
            assert {payment.status} == expected
        else:
            assert payment.status is PaymentStatus.CAPTURED


def test_shipments_and_tracking_for_shipped_orders(orders: list[Order]):
    now = NOW
    for order in orders:
        status = OrderStatus(order.status)
        shipment = order.shipment
        assert (shipment is not None) == (status in SHIPPED), order.id
        if shipment is None:
            continue
        assert shipment.carrier == ZONES[order.ship_zone].carrier
        window = delivery_window(order.ship_zone, ShippingMethod(order.shipping_method))
        assert shipment.estimated_delivery == add_business_days(
            shipment.shipped_at.date(), window[1]
        )
        assert order.placed_at < shipment.shipped_at <= now
        assert (shipment.delivered_at is None) == (status is OrderStatus.SHIPPED)
        events = shipment.events
        assert 2 <= len(events) <= 6
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert events[0].at == shipment.shipped_at and events[-1].at <= now
        assert events[0].location == "Utrecht, NL"
        if shipment.delivered_at is not None:
            assert events[-1].description == "Delivered"
            assert events[-1].at == shipment.delivered_at
            assert events[-1].location.startswith(order.ship_city)


def test_returns_and_refunds_for_returned_and_refunded_orders(orders: list[Order]):
    references = []
    for order in orders:
        status = OrderStatus(order.status)
        references += [r.reference for r in order.refunds] + [r.reference for r in order.returns]
        if status is OrderStatus.RETURNED:
            (ret,) = order.returns
            assert ret.status in (
                ReturnStatus.REQUESTED,
                ReturnStatus.LABEL_SENT,
                ReturnStatus.RECEIVED,
            )
            assert ret.created_at >= order.shipment.delivered_at
        elif status is OrderStatus.REFUNDED:
            (ret,) = order.returns
            assert ret.status is ReturnStatus.REFUNDED
            assert [r.status for r in order.refunds] == [RefundStatus.PROCESSED]
            assert Decimal("0") < order.refunds[0].amount <= order.total
        else:
            assert not order.returns
        for ret in order.returns:
            skus = {line.sku for line in order.lines if not line.final_sale}
            assert ret.skus and set(ret.skus) <= skus
    assert all(re.fullmatch(r"R[FT]-\d{5}", ref) for ref in references)
    assert len(set(references)) == len(references)


def test_invoices_exactly_for_shipped_orders(orders: list[Order]):
    numbers = []
    for order in orders:
        invoice: Invoice | None = order.invoice
        assert (invoice is not None) == (OrderStatus(order.status) in SHIPPED)
        if invoice is None:
            continue
        numbers.append(invoice.number)
        assert invoice.amount == order.total
        vat = (order.total * Decimal("21") / Decimal("121")).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
        assert invoice.vat_amount == vat
        assert invoice.issued_at == order.shipment.shipped_at
    assert all(re.fullmatch(r"INV-2026-\d{5}", n) for n in numbers)
    assert sorted(numbers) == [f"INV-2026-{i:05d}" for i in range(1, len(numbers) + 1)]


def test_nothing_is_dated_after_the_seed_base_date(orders: list[Order]):
    now = NOW
    for order in orders:
        assert order.placed_at <= order.updated_at <= now
        assert order.customer.created_at < order.placed_at
        for refund in order.refunds:
            assert order.placed_at <= refund.requested_at <= now
            assert refund.processed_at is None or refund.processed_at <= now


def test_demo_orders_are_as_documented(orders: list[Order]):
    by_id = {o.id: o for o in orders}
    for demo in DEMO_ORDERS:
        order = by_id[demo.order_id]
        assert (order.status, order.customer.email) == (demo.status, demo.email)
    assert [o.id for o in orders[:10]] == [f"A{n}" for n in range(1001, 1011)]
    assert by_id["A1010"].total > Decimal("250")
    # the references the seed.demo docstring promises
    assert by_id["A1004"].shipment.tracking_number == "7001030829"
    assert [r.reference for r in by_id["A1006"].refunds] == ["RF-73666"]
    assert [r.reference for r in by_id["A1007"].returns] == ["RT-17549"]
    assert [r.reference for r in by_id["A1008"].returns] == ["RT-27881"]
    assert [r.reference for r in by_id["A1008"].refunds] == ["RF-95409"]
    categories = {line.category for line in by_id["A1009"].lines}
    assert "Beauty & Care" in categories
    assert any(line.final_sale for line in by_id["A1009"].lines)


@pytest.mark.skipif(
    not (PROJECT_ROOT / "knowledge_base" / "products.json").exists(),
    reason="knowledge_base/products.json not written yet",
)
def test_seed_with_the_real_catalogue(tmp_path: Path, settings_for):
    real = PROJECT_ROOT / "knowledge_base"
    catalogue = load_catalogue(real / "products.json")
    url = f"sqlite:///{tmp_path / 'real.db'}"
    report = seed_database(get_engine(url), settings=settings_for(url, knowledge_dir=real))
    assert report.products == len(catalogue) and report.orders >= 320
    assert min(report.orders_by_status.values()) >= 15
    with Session(get_engine(url)) as session:
        skus = set(session.scalars(select(Product.sku)))
        assert skus == {p.sku for p in catalogue}
        a1010 = session.get(Order, "A1010")
        assert a1010 is not None and a1010.total > Decimal("250")
        assert session.scalar(select(Refund).limit(1)) is not None
        assert session.scalar(select(Return).limit(1)) is not None
    dispose_engines(url)
