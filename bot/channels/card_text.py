"""The assistant's cards as readable Markdown, for apps that show text (every app shows order
and source cards this way; products too where the app has no picture card).

The result uses the Markdown of :mod:`bot.channels.text`, so each app converts it to its own
formatting. Links in cards are relative to the shop's site; they are made absolute here.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.messages import Card, OrderStatusCard, ProductItem, SourcesCard

STATUS_WORDS = {
    "pending": "received, not yet shipped",
    "processing": "being prepared",
    "shipped": "on its way",
    "delivered": "delivered",
    "cancelled": "cancelled",
    "returned": "returned",
}


def absolute_url(url: str | None, site_url: str) -> str | None:
    """``url`` made absolute against the shop's ``site_url`` (None stays None)."""
    if not url:
        return None
    if url.startswith(("http://", "https://")):
        return url
    return f"{site_url.rstrip('/')}/{url.lstrip('/')}"


def _day(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        value = datetime.fromisoformat(iso)
    except ValueError:
        try:
            value = datetime.combine(date.fromisoformat(iso), datetime.min.time())
        except ValueError:
            return iso
    return f"{value:%d %b %Y}"


def product_caption(product: ProductItem, site_url: str) -> str:
    """A product's name, price, stock and page link (the caption of its picture)."""
    stock = "in stock" if product["stock"] > 0 else "out of stock"
    url = absolute_url(product["url"], site_url)
    return f"**{product['name']}**\n{product['currency']} {product['price']} · {stock}\n{url}"


def order_status_text(card: OrderStatusCard) -> str:
    """An order's status, items, total, carrier and latest tracking scans."""
    status = STATUS_WORDS.get(card["status"], card["status"])
    lines = [
        f"**Order {card['order_id']}**: {status}",
        f"Placed {_day(card['placed_at'])} · total {card['currency']} {card['total']}",
    ]
    lines += [f"• {item['qty']} × {item['name']}" for item in card["items"]]
    if card["carrier"]:
        tracking = f", tracking number {card['tracking_number']}" if card["tracking_number"] else ""
        lines.append(f"Carrier: {card['carrier']}{tracking}")
    if card["estimated_delivery"]:
        lines.append(f"Expected delivery: {_day(card['estimated_delivery'])}")
    for event in card["events"][-3:]:
        lines.append(f"– {_day(event['at'])} {event['location']}: {event['description']}")
    return "\n".join(lines)


def sources_text(card: SourcesCard, site_url: str) -> str:
    """The sources of an answer as a short list of links."""
    lines = ["Sources:"]
    for source in card["sources"]:
        url = absolute_url(source["url"], site_url)
        lines.append(f"• [{source['title']}]({url})" if url else f"• {source['title']}")
    return "\n".join(lines)


def card_text(card: Card, site_url: str) -> str:
    """Any card as readable Markdown."""
    if card["type"] == "products":
        return "\n\n".join(product_caption(p, site_url) for p in card["products"])
    if card["type"] == "sources":
        return sources_text(card, site_url)
    if card["type"] == "order_status":
        return order_status_text(card)
    if card["type"] == "agent_joined":
        return f"{card['agent']} from our team has joined the chat."
    if card["type"] == "agent_left":
        return "You're chatting with the Fernhill Goods assistant again."
    return "Thank you for writing to Fernhill Goods! Your conversation has been resolved."
