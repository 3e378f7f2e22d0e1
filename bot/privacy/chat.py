"""Shoppers' own data requests in the chat: "what do you store about me?", "delete my data".

What is linked to an e-mail address is shown or erased only once the conversation verified that
address the way orders are verified (an order number and the e-mail address on it:
``verified_order`` and ``email``, checked again against the order system here)."""

from __future__ import annotations

import logging
from typing import Literal

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.commerce.errors import CommerceError
from bot.commerce.shared import order_service
from bot.messages.replies import Button, Reply
from bot.privacy.retention import RetentionDays
from bot.privacy.shopper_data import ShopperNotFound, Subject, erase_shopper, export_shopper

log = logging.getLogger(__name__)

RequestKind = Literal["describe", "erase", "confirm_erase"]
KIND_OF_INTENT: dict[str, RequestKind] = {
    "ask_stored_data": "describe",
    "delete_my_data": "erase",
    "confirm_delete_my_data": "confirm_erase",
}
DELETE = Button("Yes, delete my data", "/confirm_delete_my_data")


def verified_email(order_id: str | None, email: str | None) -> str | None:
    """The conversation's e-mail address when the order system confirms it owns the verified
    order; else ``None``."""
    if not order_id or not email:
        return None
    try:
        order_service().get_order(order_id, email)
    except CommerceError as error:
        log.info("data request without a verified e-mail address: %s", error)
        return None
    return email


def what_is_kept(days: RetentionDays) -> str:
    """The data the assistant keeps and for how long, in one paragraph."""
    return (
        f"I keep our conversations for {days.transcripts} days, your ratings for "
        f"{days.ratings} days and the questions I couldn't answer for {days.gaps} days; "
        "your orders stay with the shop."
    )


def data_request_reply(
    kind: RequestKind,
    email: str | None,
    app: Session,
    tracker: Engine,
    days: RetentionDays,
) -> Reply:
    """The answer to a shopper's data request.

    Args:
        kind: What they asked for (see :data:`KIND_OF_INTENT`).
        email: Their verified e-mail address (see :func:`verified_email`), or ``None``.
        app: The app database (the caller commits after an erasure).
        tracker: Rasa's tracker store.
        days: The retention limits.
    """
    if email is None:
        return Reply(
            text=(
                f"{what_is_kept(days)} To show or delete what is linked to your e-mail address, "
                "I first need to check it's you, as I do for orders: tell me one of your order "
                "numbers (like A1004) and I'll ask for the e-mail address on it. Then ask me again."
            ),
            buttons=[Button("Track an order", "/track_order")],
        )
    subject = Subject(email=email)
    if kind == "confirm_erase":
        try:
            erased = erase_shopper(subject, app, tracker)
        except ShopperNotFound:
            return Reply(text="There's nothing stored about your e-mail address any more.")
        return Reply(
            text=(
                f"Done: I've deleted {len(erased.conversations)} conversation(s) with your e-mail "
                "address, with their ratings and questions. This conversation goes too once "
                "this message is sent. Your orders stay with the shop."
            ),
            slots={"email": None, "verified_order": None},
        )
    try:
        document = export_shopper(subject, app, tracker)
    except ShopperNotFound:
        document = {"conversations": [], "conversation_ratings": [], "knowledge_gaps": []}
    conversations = len(document["conversations"])
    ratings = len(document.get("conversation_ratings", []))
    questions = len(document.get("knowledge_gaps", []))
    held = (
        f"Linked to your e-mail address I have {conversations} conversation(s), {ratings} "
        f"rating(s) and {questions} question(s) I couldn't answer."
    )
    if kind == "erase":
        return Reply(
            text=f"{held} Shall I delete all of it? This can't be undone; your orders stay.",
            buttons=[DELETE],
        )
    return Reply(
        text=f'{held} {what_is_kept(days)} Say "delete my data" to erase it.',
        buttons=[Button("Delete my data", "/delete_my_data")],
    )


def answer_data_request(intent: str, order_id: str | None, email: str | None) -> Reply:
    """The reply to a data-request intent, with the stores and limits of the settings (an
    erasure is committed before the reply is sent)."""
    from bot.privacy.sessions import app_session, tracker_engine

    verified = verified_email(order_id, email)
    with app_session() as session, session.begin():
        return data_request_reply(
            KIND_OF_INTENT.get(intent, "describe"),
            verified,
            session,
            tracker_engine(),
            RetentionDays.from_settings(),
        )


def erase_conversation(session_id: str) -> None:
    """Erases one conversation again (after Rasa stored the turn that asked for its erasure);
    never raises: the purge removes what is left at the latest."""
    from bot.privacy.sessions import app_session, tracker_engine

    try:
        with app_session() as session, session.begin():
            erase_shopper(Subject(conversation_id=session_id), session, tracker_engine())
    except ShopperNotFound:
        pass
    except Exception:  # noqa: BLE001 - logged; the purge removes it at the latest
        log.exception("could not erase a conversation after its erasure request")
