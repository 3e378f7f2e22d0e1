"""The declarative base of the app database's tables.

Every table of the app database (ratings, knowledge gaps, the handoff console's tables) is
declared on :class:`AppBase`. This module imports nothing of the app database or of its users,
so any table module can import it without an import cycle.
"""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from bot.commerce.columns import NAMING_CONVENTION

# Rasa's sender / socket.io session id, the key that links the app tables to one conversation.
MAX_SESSION_ID_CHARS = 128


class AppBase(DeclarativeBase):
    """Declarative base of the app tables, with stable constraint names."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
