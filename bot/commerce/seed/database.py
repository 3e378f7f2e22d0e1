"""Deterministic demo data for the shop database.

``seed_database`` fills an empty database from ``random.Random(settings.seed)`` and a base
date (``settings.seed_base_date``; by default the day the database is seeded, so the demo's
parcels are on their way "now"; "now" is 10:00 UTC that day). The same settings, base date and
catalogue always give the same rows. It makes the demo
customers and orders A1001–A1010 (see :mod:`bot.commerce.seed.demo`), then at least
``settings.seed_customers`` customers in all in NL, EU1, EU2, UK and NA, and at least
``settings.seed_orders`` orders in all, at least 15 in every status, each with 1–4 catalogue
lines, the zone's shipping price and free-shipping threshold, payments matching the status,
parcels with 2–6 scans, refunds, returns and invoices. ``ensure_database`` is what the action
server calls at start: create the tables and seed them if they are empty.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot.commerce.catalogue import Catalogue, load_catalogue
from bot.commerce.db import create_schema, drop_schema, get_engine
from bot.commerce.enums import OrderStatus
from bot.commerce.errors import CommerceUnavailable
from bot.commerce.models import Customer, Order, Product, ProductVariant, SeedInfo
from bot.commerce.seed.demo import DEMO_ORDERS, add_demo_customers, add_demo_orders
from bot.commerce.seed.orders import OrderFactory
from bot.commerce.seed.randomness import add_random_customers, plan_random_orders
from bot.commerce.variants import product_variants
from bot.settings import Settings, get_settings

MIN_ORDERS_PER_STATUS = 15


@dataclass(frozen=True)
class SeedReport:
    """What the database holds after seeding; ``seeded`` is False when it already had data."""

    seeded: bool
    seed: int | None
    base_date: date | None
    customers: int
    orders: int
    products: int
    orders_by_status: Mapping[str, int]


def seed_now(base_date: date) -> datetime:
    """The seed's "now": 10:00 UTC on the base date."""
    return datetime.combine(base_date, time(10, 0), UTC)


def seed_database(
    engine: Engine | None = None,
    *,
    reset: bool = False,
    settings: Settings | None = None,
    catalogue: Catalogue | None = None,
) -> SeedReport:
    """Fills the shop database with demo data unless it already has some.

    Args:
        engine: Target database; ``None`` means ``settings.database_url``.
        reset: Drop every shop table first, then seed.
        settings: Seed, counts and base date; ``None`` means ``get_settings()``.
        catalogue: Products to sell; ``None`` reads ``<knowledge_dir>/products.json``.

    Raises:
        CatalogueError: The catalogue is missing or invalid.
        CommerceUnavailable: The database failed.
    """
    settings = settings or get_settings()
    engine = engine or get_engine(settings.database_url)
    try:
        if reset:
            drop_schema(engine)
        create_schema(engine)
        with Session(engine) as session:
            if _has_data(session):
                if session.scalar(select(ProductVariant.sku).limit(1)) is None:
                    # A database seeded before variants existed gets them now.
                    add_variants(session, catalogue or load_catalogue(
                        settings.knowledge_dir / "products.json"))  # fmt: skip
                    session.commit()
                return _report(session, seeded=False)
        catalogue = catalogue or load_catalogue(settings.knowledge_dir / "products.json")
        seeded = True
        try:
            with Session(engine) as session, session.begin():
                _populate(session, settings, catalogue)
        except IntegrityError:
            seeded = False  # another process seeded at the same moment: its data stands
        with Session(engine) as session:
            return _report(session, seeded=seeded)
    except SQLAlchemyError as exc:
        raise CommerceUnavailable(f"seeding the shop database failed: {exc}") from exc


def ensure_database(
    url: str | URL | None = None,
    *,
    settings: Settings | None = None,
    catalogue: Catalogue | None = None,
) -> SeedReport:
    """Creates the schema and seeds it when empty (called when the action server starts)."""
    settings = settings or get_settings()
    engine = get_engine(url if url is not None else settings.database_url)
    return seed_database(engine, settings=settings, catalogue=catalogue)


def add_variants(session: Session, catalogue: Catalogue) -> None:
    """Adds the variants of every product with sizes (:mod:`bot.commerce.variants`)."""
    known = set(session.scalars(select(Product.sku)))
    session.add_all(
        ProductVariant(
            sku=v.sku, product_sku=v.product_sku, size=v.size, colour=v.colour, stock=v.stock
        )  # fmt: skip
        for product in catalogue
        if product.sku in known
        for v in product_variants(product)
    )


def _has_data(session: Session) -> bool:
    return (
        session.get(SeedInfo, 1) is not None
        or session.scalar(select(Order.id).limit(1)) is not None
    )


def _populate(session: Session, settings: Settings, catalogue: Catalogue) -> None:
    base_date = settings.seed_base_date or datetime.now(UTC).date()
    now = seed_now(base_date)
    rng = random.Random(settings.seed)
    # Claimed first, so a concurrent seeder fails on the primary key instead of duplicating.
    session.add(SeedInfo(id=1, seed=settings.seed, base_date=base_date, customers=0, orders=0,
                         products=len(catalogue)))  # fmt: skip
    session.flush()
    session.add_all(
        Product(
            sku=p.sku,
            name=p.name,
            category=p.category,
            subcategory=p.subcategory,
            price=p.price,
            currency=p.currency,
            stock=p.stock,
            final_sale=p.final_sale,
        )  # fmt: skip
        for p in catalogue
    )
    session.flush()
    add_variants(session, catalogue)
    demo_customers = add_demo_customers(session, now - timedelta(days=400))
    extra = max(settings.seed_customers - len(demo_customers), 1)
    customers = add_random_customers(session, rng, extra, now, set(demo_customers))
    factory = OrderFactory(session, now)
    add_demo_orders(factory, demo_customers, catalogue, now)
    count = max(settings.seed_orders - len(DEMO_ORDERS), MIN_ORDERS_PER_STATUS * len(OrderStatus))
    specs = plan_random_orders(rng, customers, catalogue, count, now, MIN_ORDERS_PER_STATUS)
    first = 1001 + len(DEMO_ORDERS)
    for number, spec in enumerate(specs, start=first):
        factory.create(rng, f"A{number}", spec)
    factory.issue_invoices()
    info = session.get(SeedInfo, 1)
    assert info is not None
    info.customers = len(demo_customers) + len(customers)
    info.orders = len(DEMO_ORDERS) + len(specs)


def _report(session: Session, *, seeded: bool) -> SeedReport:
    info = session.get(SeedInfo, 1)
    rows = session.execute(select(Order.status, func.count()).group_by(Order.status)).all()
    by_status = {OrderStatus(status).value: count for status, count in rows}
    return SeedReport(
        seeded=seeded,
        seed=info.seed if info else None,
        base_date=info.base_date if info else None,
        customers=session.scalar(select(func.count()).select_from(Customer)) or 0,
        orders=session.scalar(select(func.count()).select_from(Order)) or 0,
        products=session.scalar(select(func.count()).select_from(Product)) or 0,
        orders_by_status=MappingProxyType(dict(sorted(by_status.items()))),
    )
