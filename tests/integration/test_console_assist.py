"""The agent's helpers with the real shop data and knowledge index: the summary with the
shopper's recent orders, and a reply drafted from the best passage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.commerce import OrderService, get_engine, get_sessionmaker
from bot.commerce import shared as services
from bot.handoff.assist import recent_orders, suggest_reply, summarise
from bot.handoff.models import Conversation, Message, Sender
from bot.knowledge.service import load_retriever
from devtools.servers import ensure_shop_index

pytestmark = pytest.mark.integration


@pytest.fixture()
def shop(shop_database_url, monkeypatch):
    monkeypatch.setattr(
        services, "_service", OrderService(get_sessionmaker(get_engine(shop_database_url)))
    )


def said(text: str, intent: str) -> Message:
    return Message(
        sender=Sender.CONTACT.value,
        text=text,
        intent=intent,
        sentiment=-0.3,
        created_at=datetime.now(UTC),
    )


def test_the_summary_lists_the_verified_shoppers_recent_orders(shop, demo):
    order = demo["delivered"]
    orders = recent_orders(order.email)
    assert order.order_id in [o["order_id"] for o in orders] and len(orders) <= 5
    conversation = Conversation(reason="refund_over_limit", priority=2, contact_email=order.email)
    summary = summarise(conversation, [said("refund for my order please", "get_refund")], orders)
    assert summary.text.startswith("Handed over because a refund above the limit needs a person.")
    assert f"Verified e-mail: {order.email}" in summary.text and summary.priority == "high"
    assert recent_orders(None) == [] and recent_orders("nobody@example.com") == []


def test_the_suggested_reply_quotes_the_best_passage():
    retriever = load_retriever(ensure_shop_index())
    messages = [
        said("How long does delivery to Germany take?", "delivery_period"),
        said("I want to talk to a human", "contact_human_agent"),
    ]
    drafted = suggest_reply(messages, "Ann Berg", retriever)
    assert drafted.text.startswith("Hi, I'm Ann from the Fernhill Goods team. ")
    assert "Germany" in drafted.text and drafted.source_title and drafted.confidence > 0.4
