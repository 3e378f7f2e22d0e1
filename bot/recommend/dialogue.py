"""One turn of a recommendation conversation: a new request, or a follow-up that keeps the
context of the shown products until the shopper changes topic. The context travels between turns
as a JSON-ready dict (a Rasa slot)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bot.appdata.profiles import ProfileView
from bot.commerce.catalogue import Catalogue
from bot.messages import ActionEvent, SlotEvent, UserEvent, read_events
from bot.messages.replies import Reply
from bot.recommend import replies
from bot.recommend.personal import welcome, with_profile
from bot.recommend.refine import read_followup
from bot.recommend.request import Request, parse_request
from bot.recommend.search import Relevance, StockOf, search

CONTEXT_SLOT = "recommendation"
ACTION = "action_recommend"
LIMIT = 3


@dataclass(frozen=True)
class Context:
    """The request being served, the products shown last and every product shown for it."""

    request: Request
    shown: tuple[str, ...]
    seen: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The slot value."""
        return {
            "request": self.request.to_dict(),
            "shown": list(self.shown),
            "seen": list(self.seen),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Context | None:
        """The context a slot holds, or None when it holds none (or something unreadable)."""
        if not isinstance(data, dict) or not isinstance(data.get("request"), dict):
            return None
        try:
            request = Request.from_dict(data["request"])
        except (TypeError, ValueError, ArithmeticError):
            return None
        shown = tuple(str(s) for s in data.get("shown") or ())
        seen = tuple(str(s) for s in data.get("seen") or ())
        return cls(request, shown, seen)


def context_is_current(events: list[dict[str, Any]]) -> bool:
    """The shopper's previous turn was answered with suggestions: a follow-up now refers to
    them. Any other answer in between (an order question, a policy answer) ends the topic.
    Suggestions are recognised by the recommendation action, or by the context it keeps (set
    by another action that ran the recommendation, e.g. for a search the NLU found unclear)."""
    users = 0
    for event in reversed(read_events(events)):
        if isinstance(event, UserEvent):
            users += 1
        elif users == 1 and isinstance(event, SlotEvent) and event.name == CONTEXT_SLOT:
            return event.value is not None
        elif users == 1 and isinstance(event, ActionEvent) and event.name != "action_listen":
            return event.name == ACTION
        if users > 1:
            return False
    return False


@dataclass(frozen=True)
class Turn:
    """The reply and the context to keep (None: forget it)."""

    reply: Reply
    context: Context | None
    skus: tuple[str, ...] = ()
    nothing_fits: bool = False


def _search_turn(
    request: Request,
    catalogue: Catalogue,
    relevance: Relevance,
    seen: tuple[str, ...],
    stock_of: StockOf | None,
    more: bool = False,
) -> Turn:
    result = search(request, catalogue, relevance, LIMIT, stock_of)
    if result.fits:
        skus = tuple(p.sku for p in result.fits)
        reply = Reply(
            text=replies.suggestions_text(result.fits, request, more),
            extra_cards=[replies.products_card(result.fits)],
        )
        context = Context(request, skus, tuple(dict.fromkeys(seen + skus)))
        return Turn(reply, context, skus)
    nearest = [n.product for n in result.nearest]
    reply = Reply(
        text=replies.nothing_fits_text(result.nearest, request, more),
        extra_cards=[replies.products_card(nearest)] if nearest else [],
    )
    skus = tuple(p.sku for p in nearest)
    return Turn(reply, Context(request, skus, tuple(dict.fromkeys(seen + skus))), skus, True)


def respond(
    text: str,
    context: Context | None,
    catalogue: Catalogue,
    relevance: Relevance,
    *,
    followup: bool,
    stock_of: StockOf | None = None,
    profile: ProfileView | None = None,
) -> Turn:
    """The reply to ``text``.

    Args:
        text: The shopper's message.
        context: The conversation's recommendation context (None: none, or the shopper has
            changed topic since).
        catalogue: Every product.
        relevance: Scores products against the request's words.
        followup: The message reads as a follow-up to shown products ("anything cheaper?");
            otherwise it is a new request, unless it only adds constraints (a budget, a colour)
            to the current one.
        stock_of: Units that can be bought per product (default: the catalogue's stock).
        profile: A verified shopper's profile: a new request prefers their sizes and colours
            and is greeted with "welcome back".
    """
    fresh = parse_request(text)
    # "In size 45", "under 50", "not leather": constraints added to the current request.
    adds_only = (
        context is not None and fresh.adds_constraint() and not fresh.kinds and not fresh.uses
    )
    if context is not None and (followup or adds_only):
        step = read_followup(
            text, context.request, list(context.shown), list(context.seen), catalogue
        )
        if step.compare:
            products = [p for p in map(catalogue.get, step.compare) if p is not None]
            reply = Reply(text=replies.comparison_text(products))
            return Turn(reply, context, tuple(p.sku for p in products))
        assert step.request is not None
        seen = context.seen if step.request.skip else ()
        return _search_turn(step.request, catalogue, relevance, seen, stock_of, step.more)
    if followup and context is None and not (fresh.kinds or fresh.uses or fresh.features):
        return Turn(Reply(text=replies.NO_CONTEXT), None)
    if fresh.is_empty():
        return Turn(Reply(text=replies.ASK_WHAT), None)
    turn = _search_turn(with_profile(fresh, profile), catalogue, relevance, (), stock_of)
    greeting = welcome(profile) if context is None else ""
    if greeting:
        turn = replace(turn, reply=replace(turn.reply, text=greeting + turn.reply.text))
    return turn
