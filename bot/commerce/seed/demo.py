"""Fixed demo customers and orders that people and tests can rely on.

They are the same for every seed (their own random source) and are dated relative to the
seed's base date (default: the day of seeding, "now" = 10:00 UTC that day). The products are picked
from the catalogue by rule (category, final sale, price), so they follow the catalogue.

=====  =========  ==============================  ============================================
order  status     customer e-mail                 what it shows
=====  =========  ==============================  ============================================
A1001  pending    emma.devries@example.com        NL; payment authorised, not captured
A1002  paid       emma.devries@example.com        NL; cancel free, address change allowed
A1003  packed     lukas.schneider@example.net     EU1 (Berlin); cancel costs €4.95
A1004  shipped    lukas.schneider@example.net     EU1; DHL parcel on its way
A1005  delivered  emma.devries@example.com        NL; delivered 2 days before the base date
A1006  cancelled  oliver.bennett@example.org      UK; cancelled when paid, refund processed
A1007  returned   oliver.bennett@example.org      UK; return label sent
A1008  refunded   jessica.miller@example.com      NA (Portland, US); refund processed
A1009  delivered  giulia.rossi@example.net        EU2 (Milano); 20 days ago: beauty item past
                                                  its 14 days, regular item returnable, one
                                                  final-sale item
A1010  delivered  giulia.rossi@example.net        EU2; total above €250 (refund review)
=====  =========  ==============================  ============================================

Fixed references: A1004 DHL tracking number 7001030829; A1006 refund RF-73666 (processed);
A1007 return RT-17549 (label sent); A1008 return RT-27881 and refund RF-95409 (processed).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from bot.commerce.catalogue import Catalogue, CatalogueProduct
from bot.commerce.enums import OrderStatus, PaymentMethod, ReturnStatus, ShippingMethod
from bot.commerce.models import Address, Customer
from bot.commerce.seed.orders import OrderFactory, OrderSpec
from bot.commerce.seed.timeline import plan_timeline
from bot.commerce.zones import zone_for_country

DEMO_RANDOM_SEED = "fernhill-demo"


@dataclass(frozen=True)
class DemoCustomer:
    """A known shopper."""

    email: str
    first_name: str
    last_name: str
    phone: str
    line1: str
    postcode: str
    city: str
    country: str


@dataclass(frozen=True)
class DemoOrder:
    """A known order; ``ago`` is how long before "now" it reached its status."""

    order_id: str
    email: str
    status: OrderStatus
    ago: timedelta
    pick: str  # which products, see _PICKERS
    method: ShippingMethod = ShippingMethod.STANDARD
    payment: PaymentMethod = PaymentMethod.IDEAL
    cancelled_from: OrderStatus | None = None
    return_status: ReturnStatus | None = None
    return_reason: str | None = None


DEMO_CUSTOMERS: tuple[DemoCustomer, ...] = (
    DemoCustomer("emma.devries@example.com", "Emma", "de Vries", "+31 6 5550 1234",
                 "Oudegracht 112", "3511 AV", "Utrecht", "NL"),
    DemoCustomer("lukas.schneider@example.net", "Lukas", "Schneider", "+49 151 55501234",
                 "Bergmannstraße 45", "10961", "Berlin", "DE"),
    DemoCustomer("oliver.bennett@example.org", "Oliver", "Bennett", "+44 7700 900123",
                 "27 Deansgate", "M3 4LQ", "Manchester", "GB"),
    DemoCustomer("jessica.miller@example.com", "Jessica", "Miller", "+1 503-555-0142",
                 "1420 NW Lovejoy Street", "97209", "Portland, OR", "US"),
    DemoCustomer("giulia.rossi@example.net", "Giulia", "Rossi", "+39 347 555 0198",
                 "Via Torino 21", "20123", "Milano", "IT"),
)  # fmt: skip

_H, _D = timedelta(hours=1), timedelta(days=1)
DEMO_ORDERS: tuple[DemoOrder, ...] = (
    DemoOrder("A1001", "emma.devries@example.com", OrderStatus.PENDING, 2 * _H, "pending"),
    DemoOrder("A1002", "emma.devries@example.com", OrderStatus.PAID, 5 * _H, "paid",
              payment=PaymentMethod.VISA),
    DemoOrder("A1003", "lukas.schneider@example.net", OrderStatus.PACKED, 20 * _H, "packed",
              payment=PaymentMethod.PAYPAL),
    DemoOrder("A1004", "lukas.schneider@example.net", OrderStatus.SHIPPED, 41 * _H, "shipped",
              payment=PaymentMethod.KLARNA),
    DemoOrder("A1005", "emma.devries@example.com", OrderStatus.DELIVERED, 2 * _D - 4 * _H,
              "delivered"),
    DemoOrder("A1006", "oliver.bennett@example.org", OrderStatus.CANCELLED, 12 * _D,
              "cancelled", payment=PaymentMethod.MASTERCARD, cancelled_from=OrderStatus.PAID),
    DemoOrder("A1007", "oliver.bennett@example.org", OrderStatus.RETURNED, 4 * _D, "returned",
              payment=PaymentMethod.VISA, return_status=ReturnStatus.LABEL_SENT,
              return_reason="Too small"),
    DemoOrder("A1008", "jessica.miller@example.com", OrderStatus.REFUNDED, 7 * _D, "refunded",
              method=ShippingMethod.EXPRESS, payment=PaymentMethod.AMEX,
              return_reason="Changed my mind"),
    DemoOrder("A1009", "giulia.rossi@example.net", OrderStatus.DELIVERED, 20 * _D - 4 * _H,
              "mixed", payment=PaymentMethod.PAYPAL),
    DemoOrder("A1010", "giulia.rossi@example.net", OrderStatus.DELIVERED, 5 * _D - 4 * _H,
              "expensive", method=ShippingMethod.EXPRESS, payment=PaymentMethod.VISA),
)  # fmt: skip

Items = tuple[tuple[CatalogueProduct, int], ...]


def _find(
    catalogue: Catalogue, word: str, index: int = 0, *, final_sale: bool = False
) -> CatalogueProduct:
    """The ``index``-th product (by SKU) whose category contains ``word``; any product if none."""
    products = sorted(catalogue, key=lambda p: p.sku)
    matches = [p for p in products if word in p.category.casefold() and p.final_sale == final_sale]
    pool = matches or [p for p in products if p.final_sale == final_sale] or products
    return pool[index % len(pool)]


def _expensive(catalogue: Catalogue) -> Items:
    """The priciest returnable products until the subtotal passes €300."""
    products = sorted(
        (p for p in catalogue if not p.final_sale), key=lambda p: (-p.price, p.sku)
    ) or list(catalogue)
    items: list[tuple[CatalogueProduct, int]] = []
    total = Decimal("0")
    for product in products[:4]:
        qty = 1
        while total + product.price * qty <= Decimal("300") and qty < 3:
            qty += 1
        items.append((product, qty))
        total += product.price * qty
        if total > Decimal("300"):
            break
    return tuple(items)


_PICKERS: dict[str, Callable[[Catalogue], Items]] = {
    "pending": lambda c: ((_find(c, "cloth"), 1), (_find(c, "home"), 1)),
    "paid": lambda c: ((_find(c, "shoe"), 1),),
    "packed": lambda c: ((_find(c, "outdoor"), 1), (_find(c, "electronic"), 1)),
    "shipped": lambda c: ((_find(c, "bag"), 1),),
    "delivered": lambda c: ((_find(c, "cloth", 1), 1), (_find(c, "home", 1), 2)),
    "cancelled": lambda c: ((_find(c, "electronic", 1), 1),),
    "returned": lambda c: ((_find(c, "shoe", 1), 1),),
    "refunded": lambda c: ((_find(c, "outdoor", 1), 1), (_find(c, "bag", 1), 1)),
    "mixed": lambda c: (
        (_find(c, "beauty"), 1),
        (_find(c, "home", 2), 1),
        (_find(c, "cloth", final_sale=True), 1),
    ),
    "expensive": _expensive,
}


def add_demo_customers(session: Session, created_at: datetime) -> dict[str, Customer]:
    """Creates the demo customers (with one default address each), keyed by e-mail."""
    customers: dict[str, Customer] = {}
    for demo in DEMO_CUSTOMERS:
        zone = zone_for_country(demo.country)
        assert zone is not None, demo.country
        customer = Customer(
            email=demo.email, first_name=demo.first_name, last_name=demo.last_name,
            phone=demo.phone, created_at=created_at,
        )  # fmt: skip
        customer.addresses.append(
            Address(
                name=f"{demo.first_name} {demo.last_name}",
                line1=demo.line1,
                line2=None,
                postcode=demo.postcode,
                city=demo.city,
                country_code=demo.country,
                zone=zone,
                is_default=True,
            )  # fmt: skip
        )
        session.add(customer)
        customers[demo.email] = customer
    return customers


def add_demo_orders(
    factory: OrderFactory, customers: dict[str, Customer], catalogue: Catalogue, now: datetime
) -> None:
    """Creates orders A1001–A1010 as listed in the module docstring."""
    rng = random.Random(DEMO_RANDOM_SEED)
    for demo in DEMO_ORDERS:
        customer = customers[demo.email]
        address = customer.addresses[0]
        timeline = plan_timeline(
            rng, demo.status, last=now - demo.ago, zone=address.zone, method=demo.method,
            cancelled_from=demo.cancelled_from, return_status=demo.return_status,
        )  # fmt: skip
        spec = OrderSpec(
            customer=customer, address=address, status=demo.status,
            items=_PICKERS[demo.pick](catalogue), method=demo.method,
            payment_method=demo.payment, timeline=timeline, cancelled_from=demo.cancelled_from,
            return_status=demo.return_status, return_reason=demo.return_reason,
        )  # fmt: skip
        factory.create(rng, demo.order_id, spec)
