"""Markdown of the assistant's replies in each app's formatting, and long texts split at the
apps' limits.

The replies use a small part of Markdown: ``**bold**``, ``*italic*`` / ``_italic_``, ```code```
and ``[text](url)`` links. Telegram gets HTML (``parse_mode=HTML``: only ``&``, ``<`` and ``>``
need escaping, unlike MarkdownV2), WhatsApp its own marks (``*bold*``, ``_italic_``), Messenger and
SMS plain text with each link's address written out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

TELEGRAM_TEXT_LIMIT = 4096
TELEGRAM_CAPTION_LIMIT = 1024
WHATSAPP_TEXT_LIMIT = 4096
MESSENGER_TEXT_LIMIT = 2000
# Twilio joins up to 10 segments into one SMS; longer bodies are refused.
SMS_BODY_LIMIT = 1600

_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=\S)\*(?![\w*])")
_ITALIC_UNDERSCORE = re.compile(r"(?<!\w)_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)")
_CODE = re.compile(r"`([^`\n]+)`")


def _link_text(label: str, url: str) -> str:
    return url if label.strip() == url else f"{label} ({url})"


def to_telegram_html(markdown: str) -> str:
    """Telegram HTML (``parse_mode=HTML``) of ``markdown``; everything else is escaped."""
    text = html.escape(markdown, quote=False)
    text = _LINK.sub(lambda m: f'<a href="{html.escape(m[2])}">{m[1]}</a>', text)
    text = _CODE.sub(r"<code>\1</code>", text)
    text = _BOLD.sub(r"<b>\1</b>", text)
    text = _ITALIC_STAR.sub(r"<i>\1</i>", text)
    return _ITALIC_UNDERSCORE.sub(r"<i>\1</i>", text)


def to_whatsapp(markdown: str) -> str:
    """WhatsApp's formatting of ``markdown``: ``*bold*``, ``_italic_``, ```` ```code``` ````, and
    links written as ``text (url)`` (WhatsApp links bare addresses itself)."""
    text = _LINK.sub(lambda m: _link_text(m[1], m[2]), markdown)
    text = _CODE.sub(r"```\1```", text)
    text = _ITALIC_STAR.sub(r"_\1_", text)
    return _BOLD.sub(r"*\1*", text)


def to_plain(markdown: str) -> str:
    """Plain text of ``markdown`` (Messenger, SMS): marks dropped, links as ``text (url)``."""
    text = _LINK.sub(lambda m: _link_text(m[1], m[2]), markdown)
    text = _CODE.sub(r"\1", text)
    text = _BOLD.sub(r"\1", text)
    text = _ITALIC_STAR.sub(r"\1", text)
    return _ITALIC_UNDERSCORE.sub(r"\1", text)


_BREAKS: tuple[Callable[[str, int], int], ...] = (
    lambda text, limit: text.rfind("\n\n", 0, limit + 1),
    lambda text, limit: text.rfind("\n", 0, limit + 1),
    lambda text, limit: max(text.rfind(mark, 0, limit) + 1 for mark in (". ", "! ", "? ")),
    lambda text, limit: text.rfind(" ", 0, limit + 1),
)


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in parts of at most ``limit`` characters, cut at a paragraph, line, sentence or
    word boundary when there is one in the second half of the part (else at the limit)."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1. Currently, limit is {limit}")
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = limit
        for find_break in _BREAKS:
            at = find_break(rest, limit)
            if at >= max(1, limit // 2):  # a cut at 0 would never shorten the rest
                cut = at
                break
        part, rest = rest[:cut].rstrip(), rest[cut:].strip()
        if part:
            parts.append(part)
    if rest:
        parts.append(rest)
    return parts


_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€")


def sms_segments(text: str) -> int:
    """How many SMS segments ``text`` takes: GSM-7 (160 alone, 153 each when joined; the
    extension characters count twice) or, with any other character, UCS-2 (70 / 67)."""
    if all(ch in _GSM7 or ch in _GSM7_EXTENDED for ch in text):
        units = sum(2 if ch in _GSM7_EXTENDED else 1 for ch in text)
        single, joined = 160, 153
    else:
        units = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
        single, joined = 70, 67
    if units <= single:
        return 1
    return -(-units // joined)
