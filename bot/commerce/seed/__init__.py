"""Deterministic demo data for the shop database, kept apart from the code that serves orders.

:func:`seed_database` fills an empty database (see :mod:`bot.commerce.seed.database`);
:func:`ensure_database` is what the action server calls at start. The modules beside it make
the pieces: the demo customers and orders A1001–A1010 (:mod:`~bot.commerce.seed.demo`), random
customers and order plans (:mod:`~bot.commerce.seed.randomness`), people and addresses
(:mod:`~bot.commerce.seed.people`), orders with their payments, parcels and after-care
(:mod:`~bot.commerce.seed.orders`), parcel scans (:mod:`~bot.commerce.seed.shipping`) and the
times an order's steps happened (:mod:`~bot.commerce.seed.timeline`).
"""

from bot.commerce.seed.database import (
    MIN_ORDERS_PER_STATUS,
    SeedReport,
    ensure_database,
    seed_database,
    seed_now,
)

__all__ = ["MIN_ORDERS_PER_STATUS", "SeedReport", "ensure_database", "seed_database", "seed_now"]
