"""Finds demo orders in a seeded shop database: one (order id, e-mail) per status."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.commerce.models import Customer, Order


@dataclass(frozen=True)
class DemoOrder:
    """One demo order: its id, its customer's e-mail and its status."""

    order_id: str
    email: str
    status: str


def demo_orders(database_url: str) -> dict[str, DemoOrder]:
    """The lowest-numbered order of every status, with its customer's e-mail."""
    engine = create_engine(database_url)
    found: dict[str, DemoOrder] = {}
    with Session(engine) as session:
        rows = session.execute(
            select(Order.id, Order.status, Customer.email)
            .join(Customer, Order.customer_id == Customer.id)
            .order_by(Order.id)
        )
        for order_id, status, email in rows:
            found.setdefault(str(status), DemoOrder(order_id, email, str(status)))
    engine.dispose()
    return found
