"""The bulk of the demo data: random customers and order plans, drawn from one ``Random``."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.commerce.catalogue import Catalogue, CatalogueProduct
from bot.commerce.enums import OrderStatus, PaymentMethod, ReturnStatus, ShippingMethod, Zone
from bot.commerce.models import Address, Customer
from bot.commerce.seed.orders import OrderSpec
from bot.commerce.seed.people import make_address, make_person, pick_country
from bot.commerce.seed.timeline import plan_timeline
from bot.commerce.zones import ZONES, delivery_window, zone_for_country

# Share of orders per status beyond the minimum each status gets.
STATUS_WEIGHTS = {
    OrderStatus.PENDING: 7, OrderStatus.PAID: 8, OrderStatus.PACKED: 7,
    OrderStatus.SHIPPED: 10, OrderStatus.DELIVERED: 40, OrderStatus.CANCELLED: 9,
    OrderStatus.RETURNED: 9, OrderStatus.REFUNDED: 10,
}  # fmt: skip
_PAYMENTS = {
    Zone.NL: {"ideal": 45, "visa": 12, "mastercard": 10, "paypal": 12, "klarna": 10,
              "apple_pay": 8, "amex": 2, "gift_card": 1},
    Zone.EU1: {"visa": 25, "mastercard": 20, "paypal": 25, "klarna": 15, "apple_pay": 10,
               "amex": 3, "gift_card": 2},
    Zone.EU2: {"visa": 30, "mastercard": 25, "paypal": 25, "klarna": 8, "apple_pay": 10,
               "amex": 2},
    Zone.UK: {"visa": 30, "mastercard": 25, "paypal": 20, "apple_pay": 15, "amex": 10},
    Zone.NA: {"visa": 35, "mastercard": 20, "amex": 20, "paypal": 15, "apple_pay": 10},
}  # fmt: skip


def add_random_customers(
    session: Session, rng: random.Random, count: int, now: datetime, taken_emails: set[str]
) -> list[Customer]:
    """``count`` customers across all zones, each with a default address (some with two)."""
    customers = []
    for _ in range(count):
        country = pick_country(rng)
        person = make_person(rng, country, taken_emails)
        created = now - timedelta(days=rng.randint(150, 1200), minutes=rng.randint(0, 1439))
        customer = Customer(
            email=person.email, first_name=person.first_name, last_name=person.last_name,
            phone=person.phone, created_at=created,
        )  # fmt: skip
        for n in range(2 if rng.random() < 0.2 else 1):
            place = make_address(rng, country)
            zone = zone_for_country(country)
            assert zone is not None
            customer.addresses.append(
                Address(
                    name=f"{person.first_name} {person.last_name}",
                    line1=place.line1,
                    line2=place.line2,
                    postcode=place.postcode,
                    city=place.city,
                    country_code=country,
                    zone=zone,
                    is_default=n == 0,
                )  # fmt: skip
            )
        session.add(customer)
        customers.append(customer)
    return customers


def _statuses(rng: random.Random, count: int, minimum: int) -> list[OrderStatus]:
    statuses = [status for status in OrderStatus for _ in range(minimum)]
    extra = max(count - len(statuses), 0)
    statuses += rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()), k=extra)
    rng.shuffle(statuses)
    return statuses


def _age(rng: random.Random, status: OrderStatus, zone: Zone, method: ShippingMethod) -> timedelta:
    """How long ago an order reached ``status``."""
    minutes = {
        OrderStatus.PENDING: (10, 40 * 60),
        OrderStatus.PAID: (10, 20 * 60),
        OrderStatus.PACKED: (60, 30 * 60),
        OrderStatus.SHIPPED: (60, max(delivery_window(zone, method)[0], 1) * 24 * 60),
        OrderStatus.DELIVERED: (24 * 60, 110 * 24 * 60),
        OrderStatus.CANCELLED: (60, 110 * 24 * 60),
        OrderStatus.RETURNED: (60, 20 * 24 * 60),
        OrderStatus.REFUNDED: (24 * 60, 100 * 24 * 60),
    }[status]
    return timedelta(minutes=rng.randint(*minutes))


def _items(
    rng: random.Random, catalogue: Catalogue, returnable: bool
) -> tuple[tuple[CatalogueProduct, int], ...]:
    pool = [p for p in catalogue if not (returnable and p.final_sale)] or list(catalogue)
    count = min(rng.choices((1, 2, 3, 4), weights=(45, 30, 15, 10))[0], len(pool))
    products = rng.sample(pool, count)
    return tuple((p, rng.choices((1, 2, 3), weights=(80, 15, 5))[0]) for p in products)


def plan_random_orders(
    rng: random.Random,
    customers: list[Customer],
    catalogue: Catalogue,
    count: int,
    now: datetime,
    minimum_per_status: int,
) -> list[OrderSpec]:
    """``count`` order plans, at least ``minimum_per_status`` per status, oldest first."""
    weights = [rng.uniform(0.3, 3.0) for _ in customers]  # some customers order a lot
    specs = []
    for status in _statuses(rng, count, minimum_per_status):
        customer = rng.choices(customers, weights=weights)[0]
        address = rng.choice(customer.addresses)
        express = ZONES[address.zone].offers_express and rng.random() < 0.15
        method = ShippingMethod.EXPRESS if express else ShippingMethod.STANDARD
        methods = _PAYMENTS[address.zone]
        payment = PaymentMethod(rng.choices(list(methods), weights=list(methods.values()))[0])
        cancelled_from = return_status = None
        if status is OrderStatus.CANCELLED:
            cancelled_from = rng.choices(
                (OrderStatus.PENDING, OrderStatus.PAID, OrderStatus.PACKED), weights=(5, 3, 2)
            )[0]
        if status is OrderStatus.RETURNED:
            return_status = rng.choices(
                (ReturnStatus.REQUESTED, ReturnStatus.LABEL_SENT, ReturnStatus.RECEIVED),
                weights=(3, 4, 3),
            )[0]
        timeline = plan_timeline(
            rng, status, last=now - _age(rng, status, address.zone, method), zone=address.zone,
            method=method, cancelled_from=cancelled_from, return_status=return_status,
        )  # fmt: skip
        returnable = status in (OrderStatus.RETURNED, OrderStatus.REFUNDED)
        specs.append(
            OrderSpec(
                customer=customer,
                address=address,
                status=status,
                items=_items(rng, catalogue, returnable),
                method=method,
                payment_method=payment,
                timeline=timeline,
                cancelled_from=cancelled_from,
                return_status=return_status,
                payment_failed=status is OrderStatus.PENDING and rng.random() < 0.25,
            )  # fmt: skip
        )
    order = sorted(range(len(specs)), key=lambda i: (specs[i].timeline.placed_at, i))
    return [specs[i] for i in order]
