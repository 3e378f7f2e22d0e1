"""The process-wide order service that the actions, the conversation and the handoff console
share, built lazily on first use."""

from __future__ import annotations

import threading

from bot.commerce.backend import CommerceBackend
from bot.commerce.db import get_engine, get_sessionmaker
from bot.commerce.seed import ensure_database
from bot.commerce.service import OrderService

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
