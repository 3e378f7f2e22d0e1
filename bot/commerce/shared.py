"""The process-wide order service that the actions, the conversation and the handoff console
share, built lazily on first use."""

from __future__ import annotations

import logging
import threading

from sqlalchemy.exc import SQLAlchemyError

from bot.commerce.backend import CommerceBackend
from bot.commerce.db import get_engine, get_sessionmaker
from bot.commerce.errors import CommerceUnavailable
from bot.commerce.seed import ensure_database
from bot.commerce.service import OrderService

log = logging.getLogger(__name__)
_lock = threading.Lock()
_service: CommerceBackend | None = None
_unseeded = False  # the database was not reachable when the service was built


def order_service() -> CommerceBackend:
    """The order service over the configured shop database (created and seeded if empty).

    A database that cannot be reached does not stop the service from being built: creating and
    seeding it is tried again on the next call, and the service's own calls raise
    :class:`~bot.commerce.errors.CommerceUnavailable` until the database is back.
    """
    global _service, _unseeded
    with _lock:
        if _service is None:
            _service = OrderService(get_sessionmaker(get_engine()))
            _unseeded = True
        if _unseeded:
            try:
                ensure_database()
                _unseeded = False
            except (SQLAlchemyError, CommerceUnavailable) as error:
                log.warning("shop database not ready (tried again on the next call): %s", error)
        return _service
