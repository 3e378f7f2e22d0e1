"""Evaluation files with style and split columns, per-style figures, the calibration sweep and
the CLINC150 off-topic sample (no model: a stub retriever)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from bot.knowledge.calibrate import calibrate
from bot.knowledge.evaluate import LabelledQuestion, evaluate, read_questions, select
from bot.knowledge.offtopic import SHOP_LIKE_INTENTS, clinc_sample
from bot.knowledge.passages import Passage
from bot.knowledge.retrieve import RetrievedPassage

pytestmark = pytest.mark.unit


def passage(pid: str) -> Passage:
    return Passage(id=pid, title=pid, text=pid, source="x.md", kind="section")


@dataclass
class StubRetriever:
    """Answers with fixed passages and confidences; ``threshold`` as the no-answer threshold."""

    answers: dict[str, tuple[str, float]]
    threshold: float = 0.5

    def score(self, query: str) -> list[RetrievedPassage]:
        pid, confidence = self.answers[query]
        other = RetrievedPassage(passage("other"), 0.1, 0.1, 0.0, 0.1)
        return [RetrievedPassage(passage(pid), confidence, confidence, 0.0, confidence), other]

    def retrieve(self, query: str, k: int = 5) -> list[RetrievedPassage]:
        results = self.score(query)
        return results[:k] if results[0].confidence >= self.threshold else []


def test_read_questions_keeps_reading_two_column_files(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text(
        "question,expected_id\nwhere is my parcel,a|b\nhello there,\n", encoding="utf-8"
    )
    rows = read_questions(path)
    assert rows == [
        LabelledQuestion("where is my parcel", ("a", "b"), 2),
        LabelledQuestion("hello there", (), 3),
    ]
    assert rows[0].style == rows[0].split == ""


def test_read_questions_reads_style_and_split_and_select_filters(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text(
        "question,expected_id,style,split\nparcel lost,a,keywords,dev\n"
        "wher is my parcle,a,typos,test\nweather today,,out_of_scope,dev\n",
        encoding="utf-8",
    )
    rows = read_questions(path)
    assert [(q.style, q.split) for q in rows] == [
        ("keywords", "dev"),
        ("typos", "test"),
        ("out_of_scope", "dev"),
    ]
    assert [q.question for q in select(rows, split="dev")] == ["parcel lost", "weather today"]
    assert [q.question for q in select(rows, style="typos")] == ["wher is my parcle"]
    assert len(select(rows)) == 3
    with pytest.raises(ValueError, match="no questions with split='holdout'"):
        select(rows, split="holdout")


def test_evaluate_reports_both_rates_and_figures_per_style():
    retriever = StubRetriever(
        {"q1": ("a", 0.9), "q2": ("b", 0.9), "q3": ("a", 0.3), "n1": ("a", 0.2), "n2": ("a", 0.8)}
    )
    questions = [
        LabelledQuestion("q1", ("a",), 2, "plain"),
        LabelledQuestion("q2", ("a",), 3, "typos"),
        LabelledQuestion("q3", ("a",), 4, "typos"),
        LabelledQuestion("n1", (), 5, "out_of_scope"),
        LabelledQuestion("n2", (), 6, "out_of_scope"),
    ]
    report = evaluate(retriever, questions)
    assert report.in_scope_right == report.recall_at_1 == pytest.approx(1 / 3)
    assert report.out_of_scope_turned_away == report.no_answer_recall == 0.5
    assert report.by_style == {
        "out_of_scope": {"n": 2, "rate": 0.5},
        "plain": {"n": 1, "rate": 1.0},
        "typos": {"n": 2, "rate": 0.0},
    }
    assert "by_style" not in report.figures() and report.figures()[
        "in_scope_right"
    ] == pytest.approx(0.3333)


def test_calibrate_sweep_shows_answered_right_and_turned_away():
    answers = {f"a{i}": ("a", 0.6 + i / 100) for i in range(10)}
    answers.update({f"n{i}": ("a", 0.3 + i / 100) for i in range(5)})
    questions = [LabelledQuestion(q, ("a",) if q.startswith("a") else (), 1) for q in answers]
    result = calibrate(StubRetriever(answers), questions, min_precision=0.9, max_lost=0.0)  # type: ignore[arg-type]
    assert 0.34 < result.threshold <= 0.6
    by_threshold = {round(row[0], 3): row for row in result.rows}
    _, lost, precision, recall, right = by_threshold[0.4]
    assert lost == 0.0 and precision == 1.0 and recall == 1.0 and right == 1.0
    assert "answered-right" in result.table()[0]


def test_clinc_sample_is_seeded_half_oos_and_leaves_shop_like_intents_out(tmp_path):
    data = {
        "oos_test": [[f"oos question {i}", "oos"] for i in range(50)],
        "test": [[f"timer question {i}", "timer"] for i in range(30)]
        + [[f"declined {i}", "card_declined"] for i in range(30)],
    }
    path = tmp_path / "data_full.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    sample = clinc_sample(path, n=20, seed=1)
    assert len(sample) == 20 and all(not q.expected for q in sample)
    assert sum(q.style == "clinc_oos" for q in sample) == 10
    assert (
        not any(q.question.startswith("declined") for q in sample)
        and "card_declined" in SHOP_LIKE_INTENTS
    )
    assert [q.question for q in clinc_sample(path, n=20, seed=1)] == [q.question for q in sample]
    assert [q.question for q in clinc_sample(path, n=20, seed=2)] != [q.question for q in sample]
    path.write_text(json.dumps({"train": []}), encoding="utf-8")
    with pytest.raises(ValueError, match="data_full.json"):
        clinc_sample(path)
