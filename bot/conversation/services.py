"""The process-wide services the conversation uses, built lazily on first use."""

from __future__ import annotations

import threading

from bot.commerce import (
    CommerceBackend,
    OrderService,
    ensure_database,
    get_engine,
    get_sessionmaker,
)

_lock = threading.Lock()
_service: CommerceBackend | None = None


def order_service() -> CommerceBackend:
    """The order service over the configured shop database (created and seeded if empty)."""
    global _service
    with _lock:
        if _service is None:
            ensure_database()
            _service = OrderService(get_sessionmaker(get_engine()))
        return _service
