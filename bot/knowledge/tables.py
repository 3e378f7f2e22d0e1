"""Passages from tabular sources: FAQ pairs and product catalogues, one passage per record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.knowledge.errors import IngestError
from bot.knowledge.passages import Passage, content_hash, help_url, product_url
from bot.knowledge.records import Record

QUESTION_KEYS = ("question", "q", "questions", "query", "faq_question", "title")
ANSWER_KEYS = ("answer", "a", "answers", "response", "reply", "faq_answer", "body")
ID_KEYS = ("id", "faq_id", "qid", "question_id", "key")
URL_KEYS = ("url", "link", "href")
SKU_KEYS = ("sku", "product_id", "item_id", "article_number")
NAME_KEYS = ("name", "title", "product_name", "product")
PRICE_KEYS = ("price", "unit_price", "amount")
# Fields that say nothing a shopper asks about, or that the text already shows.
PRODUCT_SKIP = {"image", "images", "image_url", "thumbnail", "currency", "url", "link"}
CURRENCY_SIGNS = {"EUR": "€", "USD": "$", "GBP": "£"}


def _norm(key: str) -> str:
    return key.strip().lower().replace(" ", "_").replace("-", "_")


def _find(keys: dict[str, str], candidates: tuple[str, ...]) -> str | None:
    """The original spelling of the first candidate key present (keys: normalised -> original)."""
    return next((keys[c] for c in candidates if c in keys), None)


def detect_table_kind(columns: set[str]) -> str | None:
    """``faq``, ``product`` or ``None`` for a set of column names (any spelling)."""
    keys = {_norm(c) for c in columns}
    if any(k in keys for k in QUESTION_KEYS) and any(k in keys for k in ANSWER_KEYS):
        return "faq"
    if any(k in keys for k in SKU_KEYS) or (
        any(k in keys for k in NAME_KEYS) and any(k in keys for k in PRICE_KEYS)
    ):
        return "product"
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value if _text(v))
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {_text(v)}" for k, v in value.items() if _text(v))
    return str(value).strip()


def _label(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def faq_passages(records: list[Record], path: Path, source: str, site_url: str) -> list[Passage]:
    """One passage per question/answer pair; the question is also embedded on its own.

    Ids: ``faq:<id>`` when the file has an id column (the raw id is an alias), else
    ``faq:<hash of the question>``, stable as long as the question is.
    """
    passages = []
    for record in records:
        keys = {_norm(k): k for k in record.data}
        question = _text(record.data.get(_find(keys, QUESTION_KEYS) or ""))
        answer = _text(record.data.get(_find(keys, ANSWER_KEYS) or ""))
        if not question or not answer:
            missing = "question" if not question else "answer"
            raise IngestError(
                path, f"FAQ entry has an empty {missing}", line=record.line, record=record.number
            )
        raw_id = _text(record.data.get(_find(keys, ID_KEYS) or ""))
        passage_id = f"faq:{raw_id}" if raw_id else f"faq:{content_hash(question.lower())}"
        url = _text(record.data.get(_find(keys, URL_KEYS) or "")) or help_url(
            "faq", raw_id or passage_id[4:], site_url
        )
        passages.append(
            Passage(
                id=passage_id,
                text=answer,
                title=question,
                source=source,
                kind="faq",
                url=url,
                question=question,
                aliases=(raw_id,) if raw_id else (),
                line=record.line,
            )
        )
    return passages


def _price(value: Any, currency: str) -> str:
    try:
        amount = f"{float(value):.2f}"
    except (TypeError, ValueError):
        return _text(value)
    sign = CURRENCY_SIGNS.get(currency.upper())
    return f"{sign}{amount}" if sign else f"{amount} {currency}".strip()


def render_product(data: dict[str, Any]) -> tuple[str, str, str | None, str]:
    """(title, text, sku, category path) of a product record: every field a shopper might
    ask about, as text."""
    keys = {_norm(k): k for k in data}
    sku = _text(data.get(_find(keys, SKU_KEYS) or "")) or None
    name_key = _find(keys, NAME_KEYS)
    name = _text(data.get(name_key or "")) or sku or "Product"
    currency = _text(data.get(keys.get("currency", ""), "")) or "EUR"
    used = {k for k in (name_key, _find(keys, SKU_KEYS)) if k}
    lines = [f"{name}" + (f" ({sku})" if sku else "") + "."]
    category = [_text(data.get(keys[k])) for k in ("category", "subcategory") if k in keys]
    used |= {keys[k] for k in ("category", "subcategory") if k in keys}
    if any(category):
        lines.append("Category: " + " > ".join(c for c in category if c) + ".")
    price_key = _find(keys, PRICE_KEYS)
    if price_key:
        lines.append(f"Price: {_price(data[price_key], currency)}.")
        used.add(price_key)
    if "stock" in keys:
        used.add(keys["stock"])
        stock = data[keys["stock"]]
        in_stock = stock > 0 if isinstance(stock, (int, float)) else bool(_text(stock))
        lines.append("In stock." if in_stock else "Out of stock: it cannot be ordered right now.")
    if "description" in keys:
        used.add(keys["description"])
        lines.append(_text(data[keys["description"]]))
    for original in data:
        if original in used or _norm(original) in PRODUCT_SKIP:
            continue
        value = data[original]
        if _norm(original) == "final_sale":
            if value is True:
                lines.append("Final sale: this item cannot be returned.")
            continue
        if _norm(original) == "attributes" and isinstance(value, dict):
            lines.extend(f"{_label(k)}: {_text(v)}." for k, v in value.items() if _text(v))
        elif _text(value):
            lines.append(f"{_label(original)}: {_text(value)}.")
    path = " > ".join(c for c in category if c)
    return name, "\n".join(line for line in lines if line), sku, path


def product_passages(
    records: list[Record], path: Path, source: str, site_url: str
) -> list[Passage]:
    """One passage per product; the SKU is kept as metadata, in the id and as an alias."""
    passages = []
    for record in records:
        title, text, sku, category = render_product(record.data)
        keys = {_norm(k): k for k in record.data}
        if not sku and not _find(keys, NAME_KEYS):
            raise IngestError(
                path, "product has neither a sku nor a name", line=record.line, record=record.number
            )
        passage_id = f"product:{sku}" if sku else f"product:{content_hash(title.lower())}"
        url = _text(record.data.get(_find(keys, URL_KEYS) or "")) or (
            product_url(sku, site_url) if sku else None
        )
        passages.append(
            Passage(
                id=passage_id,
                text=text,
                title=title,
                source=source,
                kind="product",
                url=url,
                sku=sku,
                aliases=(sku,) if sku else (),
                line=record.line,
                probes=(f"{title} ({category})" if category else title,),
            )
        )
    return passages
