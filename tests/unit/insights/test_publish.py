"""Appending a published FAQ entry to the knowledge base's ``faq.csv``."""

import csv
from pathlib import Path

import pytest

from bot.insights.publish import DraftInvalid, append_faq, next_faq_id, remove_faq

pytestmark = pytest.mark.unit
HEADER = "id,question,answer\n"


def rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "faq.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_next_id_follows_the_highest_insights_id():
    assert next_faq_id(["faq-shipping-01"]) == "faq-insights-01"
    assert (
        next_faq_id(["faq-insights-02", "faq-insights-10", "faq-insights-x"]) == "faq-insights-11"
    )


def test_an_entry_with_commas_quotes_and_line_breaks_reads_back_intact(tmp_path: Path):
    (tmp_path / "faq.csv").write_text(HEADER + "faq-a-01,Old?,Old answer.", encoding="utf-8")
    published = append_faq(
        tmp_path, "  Do you sell\ngift cards? ", 'Yes, "Fernhill" gift cards, from €10.'
    )
    assert published.faq_id == "faq-insights-01" and published.line == 3
    assert rows(tmp_path)[-1] == {
        "id": "faq-insights-01",
        "question": "Do you sell gift cards?",
        "answer": 'Yes, "Fernhill" gift cards, from €10.',
    }
    assert rows(tmp_path)[0]["answer"] == "Old answer."


def test_empty_duplicate_and_overlong_drafts_are_refused_and_change_nothing(tmp_path: Path):
    (tmp_path / "faq.csv").write_text(HEADER + "faq-a-01,Old?,Old answer.\n", encoding="utf-8")
    before = (tmp_path / "faq.csv").read_bytes()
    with pytest.raises(DraftInvalid, match="answer is empty"):
        append_faq(tmp_path, "New?", "   ")
    with pytest.raises(DraftInvalid, match="already has the question"):
        append_faq(tmp_path, "old?", "Another answer.")
    with pytest.raises(DraftInvalid, match="at most 300"):
        append_faq(tmp_path, "x" * 301, "An answer.")
    assert (tmp_path / "faq.csv").read_bytes() == before


def test_a_removed_entry_leaves_the_file_as_it_was(tmp_path: Path):
    (tmp_path / "faq.csv").write_text(HEADER + "faq-a-01,Old?,Old answer.\n", encoding="utf-8")
    before = (tmp_path / "faq.csv").read_bytes()
    remove_faq(append_faq(tmp_path, "New?", "New answer."))
    assert (tmp_path / "faq.csv").read_bytes() == before
