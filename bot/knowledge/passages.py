"""The unit of retrieval: a passage of the shop's knowledge, with where it came from."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.settings import setting_default

SITE_URL: str = setting_default("site_url")


@dataclass(frozen=True)
class Passage:
    """One retrievable piece of knowledge.

    Attributes:
        id: Stable id, e.g. ``shipping#express-shipping``, ``faq:faq-shipping-01``,
            ``product:FH-BA-0001``.
        text: The text shown to the shopper (and embedded).
        title: Heading path (documents), the question (FAQ) or the product name.
        source: Source file, relative to the folder it was found in where possible.
        kind: ``section``, ``text``, ``faq`` or ``product``.
        url: Public page of the passage, when known.
        anchor: Heading anchor inside the page, when known.
        sku: Product SKU (products only).
        question: The FAQ question (FAQ only); embedded on its own as an extra vector.
        probes: Short texts a question may resemble, embedded as extra vectors of the
            passage: a section's heading path and sentences, a product's name and category.
        aliases: Other ids that name this passage (the raw FAQ id, the SKU, the section id of
            a later chunk); evaluation accepts them as the expected id.
        line: Line of the source file where the passage starts.
    """

    id: str
    text: str
    title: str
    source: str
    kind: str
    url: str | None = None
    anchor: str | None = None
    sku: str | None = None
    question: str | None = None
    probes: tuple[str, ...] = field(default_factory=tuple)
    aliases: tuple[str, ...] = field(default_factory=tuple)
    line: int | None = None

    @property
    def text_hash(self) -> str:
        """Hash of everything that is embedded for this passage (reuse key of its vectors)."""
        return content_hash(self.title, self.text, self.question or "", *self.probes)

    def names(self) -> set[str]:
        """The id and every alias."""
        return {self.id, *self.aliases}

    def to_json(self) -> str:
        """One JSON line (``passages.jsonl``)."""
        data = {k: v for k, v in asdict(self).items() if v not in (None, ())}
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Passage:
        """The passage written by :meth:`to_json`."""
        return cls(
            **{
                **data,
                "aliases": tuple(data.get("aliases", ())),
                "probes": tuple(data.get("probes", ())),
            }
        )


def content_hash(*parts: str) -> str:
    """A short, stable hash of some texts (hex, 16 characters)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8"))
    return digest.hexdigest()[:16]


def slugify(text: str) -> str:
    """A GitHub-style heading anchor: ``"Returns & Refunds (EU)"`` -> ``returns--refunds-eu``."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\- ]", "", text.lower()).strip()
    return re.sub(r" ", "-", text)


def product_url(sku: str, site_url: str = SITE_URL) -> str:
    """The shop page of a product."""
    return f"{site_url.rstrip('/')}/products/{sku}"


def help_url(doc: str, anchor: str | None = None, site_url: str = SITE_URL) -> str:
    """The help page of a policy document, optionally at a heading."""
    return f"{site_url.rstrip('/')}/help/{doc}" + (f"#{anchor}" if anchor else "")
