"""Shopper-facing labels for intents: the assistant's "did you mean …?" buttons and the topics in
an agent's summary of a conversation."""

from __future__ import annotations

from typing import Any

INTENT_LABELS: dict[str, str] = {
    "place_order": "Place an order",
    "cancel_order": "Cancel an order",
    "change_order": "Change an order",
    "track_order": "Track an order",
    "check_cancellation_fee": "Cancellation fees",
    "delivery_options": "Delivery options",
    "delivery_period": "Delivery times",
    "change_shipping_address": "Change the delivery address of an order",
    "set_up_shipping_address": "Save a delivery address",
    "get_refund": "Ask for a refund",
    "track_refund": "Check a refund",
    "check_refund_policy": "Refund policy",
    "return_item": "Return an item",
    "check_payment_methods": "Payment methods",
    "payment_issue": "A problem with a payment",
    "check_invoice": "Check an invoice",
    "get_invoice": "Get an invoice",
    "create_account": "Create an account",
    "delete_account": "Delete my account",
    "edit_account": "Edit my account details",
    "switch_account": "Switch accounts",
    "recover_password": "Reset my password",
    "registration_problems": "Problems signing up",
    "contact_customer_service": "Contact customer service",
    "contact_human_agent": "Talk to a person",
    "complaint": "Make a complaint",
    "review": "Leave a review",
    "newsletter_subscription": "Newsletter",
    "product_question": "A question about a product",
    "product_recommendation": "Product suggestions",
    "refine_recommendation": "Other suggestions",
    "ask_stored_data": "What data you store about me",
    "delete_my_data": "Delete my data",
    "confirm_delete_my_data": "Yes, delete my data",
}

NOT_SUGGESTED = frozenset(
    {"nlu_fallback", "out_of_scope", "greet", "goodbye", "thank", "affirm", "deny", "bot_challenge"}
    | {"confirm_delete_my_data"}  # only ever the answer to "Shall I delete all of it?"
    | {"refine_recommendation"}  # only means something after suggestions were shown
)


def suggestions(intent_ranking: list[dict[str, Any]], limit: int = 2) -> list[tuple[str, str]]:
    """Picks the most likely task intents from Rasa's ranking as ``(intent, label)`` pairs.

    Args:
        intent_ranking: Rasa's ``intent_ranking`` (dicts with ``name`` and ``confidence``).
        limit: How many suggestions to return at most.
    """
    picked: list[tuple[str, str]] = []
    for entry in intent_ranking:
        name = entry.get("name")
        if name in NOT_SUGGESTED or name not in INTENT_LABELS:
            continue
        picked.append((name, INTENT_LABELS[name]))
        if len(picked) == limit:
            break
    return picked
