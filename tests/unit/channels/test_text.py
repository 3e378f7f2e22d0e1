"""Markdown per app and long texts split at the apps' limits."""

import pytest

from bot.channels.text import (
    sms_segments,
    split_text,
    to_plain,
    to_telegram_html,
    to_whatsapp,
)

pytestmark = pytest.mark.unit

REPLY = "**Order A1001** is *on its way* with `DHL`: see [tracking](https://t.example/a_b) & <more>"


def test_telegram_gets_html_with_everything_else_escaped():
    assert to_telegram_html(REPLY) == (
        "<b>Order A1001</b> is <i>on its way</i> with <code>DHL</code>: see "
        '<a href="https://t.example/a_b">tracking</a> &amp; &lt;more&gt;'
    )
    assert to_telegram_html("_quietly_ snake_case_name") == "<i>quietly</i> snake_case_name"


def test_whatsapp_gets_its_own_marks_and_written_out_links():
    assert to_whatsapp(REPLY) == (
        "*Order A1001* is _on its way_ with ```DHL```: see tracking (https://t.example/a_b) "
        "& <more>"
    )


def test_plain_text_drops_the_marks_and_keeps_the_links():
    assert to_plain(REPLY) == (
        "Order A1001 is on its way with DHL: see tracking (https://t.example/a_b) & <more>"
    )
    assert to_plain("[https://x.example](https://x.example) 2 * 3 * 4") == (
        "https://x.example 2 * 3 * 4"
    )


def test_long_texts_are_cut_at_paragraphs_then_sentences_then_words():
    paragraphs = "A" * 60 + "\n\n" + "B" * 30
    assert split_text(paragraphs, 80) == ["A" * 60, "B" * 30]
    sentences = "One two three. " * 10
    parts = split_text(sentences, 50)
    assert all(len(p) <= 50 for p in parts) and all(p.endswith(".") for p in parts)
    assert " ".join(parts) == sentences.strip()
    words = "word " * 30
    assert all(len(p) <= 23 and not p.endswith(" ") for p in split_text(words, 23))
    assert split_text("x" * 10, 4) == ["xxxx", "xxxx", "xx"]  # no boundary: cut at the limit
    assert split_text("short", 4096) == ["short"] and split_text("  ", 10) == []
    with pytest.raises(ValueError, match="limit must be at least 1"):
        split_text("x", 0)


def test_sms_segments_follow_gsm7_and_ucs2():
    assert sms_segments("a" * 160) == 1 and sms_segments("a" * 161) == 2
    assert sms_segments("a" * 306) == 2 and sms_segments("a" * 307) == 3
    assert sms_segments("€" * 80) == 1 and sms_segments("€" * 81) == 2  # counts twice
    assert sms_segments("ł" * 70) == 1 and sms_segments("ł" * 71) == 2
    assert sms_segments("ł" * 135) == 3


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_the_smallest_limits_still_split_and_lose_nothing(limit):
    text = "Hi. A b\\n\\nc"
    parts = split_text(text, limit)
    assert all(0 < len(part) <= limit for part in parts)
    assert "".join(parts) == "".join(text.split())
