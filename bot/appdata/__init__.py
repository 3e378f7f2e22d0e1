"""The app database: what the web app records about conversations (ratings, knowledge gaps; the
handoff console's conversations, messages and agents live in :mod:`bot.handoff.models` on the same
declarative base). Separate from the shop database; its schema is kept by the migrations of
:mod:`bot.appdata.migrate`; nothing connects at import time.
"""

from bot.appdata.base import AppBase
from bot.appdata.db import get_app_engine, get_app_sessionmaker
from bot.appdata.knowledge_gaps import KnowledgeGap, record_knowledge_gap
from bot.appdata.migrate import AppDatabaseUpgradeError, upgrade_app_database
from bot.appdata.models import ConversationRating
from bot.appdata.ratings import RatingView, get_rating, save_rating

__all__ = [
    "AppBase",
    "AppDatabaseUpgradeError",
    "ConversationRating",
    "KnowledgeGap",
    "RatingView",
    "get_app_engine",
    "get_app_sessionmaker",
    "get_rating",
    "record_knowledge_gap",
    "save_rating",
    "upgrade_app_database",
]
