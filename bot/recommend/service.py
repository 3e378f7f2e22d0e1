"""The recommender as the assistant runs it: the shop's catalogue and the knowledge index's
relevance, loaded once per process (the index when it is built, else BM25 over the catalogue)."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from bot.commerce.catalogue import Catalogue, load_catalogue
from bot.knowledge.errors import KnowledgeError
from bot.knowledge.service import get_holder
from bot.recommend.dialogue import Context, Turn, respond
from bot.recommend.personal import load_profile, remember_request
from bot.recommend.relevance import IndexRelevance
from bot.recommend.search import CatalogueBM25, Relevance

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def shop_catalogue() -> Catalogue:
    """The catalogue of the settings' knowledge folder (read once per process)."""
    return load_catalogue()


def shop_relevance() -> Relevance:
    """The knowledge index's product relevance; BM25 over the catalogue when no index loads."""
    try:
        return IndexRelevance(get_holder().get())
    except KnowledgeError as error:
        log.warning("recommendations without the knowledge index: %s", error)
        return _catalogue_bm25()


@lru_cache(maxsize=1)
def _catalogue_bm25() -> CatalogueBM25:
    return CatalogueBM25(shop_catalogue())


def recommend_turn(text: str, context: Any, *, followup: bool, email: str | None = None) -> Turn:
    """One turn of the conversation.

    Args:
        text: The shopper's message.
        context: The slot's value (None when there is none, or the topic changed).
        followup: The message reads as a follow-up to shown products.
        email: The e-mail address of the order the shopper verified in this conversation (its
            profile is used and updated), or None.
    """
    turn = respond(
        text,
        Context.from_dict(context),
        shop_catalogue(),
        shop_relevance(),
        followup=followup,
        profile=load_profile(email),
    )
    if email and turn.context is not None:
        remember_request(email, turn.context.request)
    return turn
