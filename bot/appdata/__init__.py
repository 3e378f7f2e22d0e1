"""The app database: what the web app records about conversations (ratings; later the handoff
console's conversations, messages and agents). Separate from the shop database, with its own
declarative base; nothing connects at import time.
"""

from bot.appdata.db import AppBase, create_app_schema, get_app_engine, get_app_sessionmaker
from bot.appdata.models import ConversationRating
from bot.appdata.ratings import RatingView, get_rating, save_rating

__all__ = [
    "AppBase",
    "ConversationRating",
    "RatingView",
    "create_app_schema",
    "get_app_engine",
    "get_app_sessionmaker",
    "get_rating",
    "save_rating",
]

# Registers the knowledge_gaps table on AppBase.metadata (issue 4).
from bot.appdata.knowledge_gaps import KnowledgeGap, record_knowledge_gap  # noqa: E402

__all__ += ["KnowledgeGap", "record_knowledge_gap"]
