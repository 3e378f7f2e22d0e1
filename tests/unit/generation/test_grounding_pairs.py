"""The hand-labelled grounding pairs (evaluation/grounding_pairs.jsonl): their schema, and the
grounding check's catch and pass rates on them."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from benchmarks.grounding import (
    FIELDS,
    LABELS,
    PAIRS,
    SPLITS,
    in_split,
    load_pairs,
    make_judge,
    run,
    score,
)

pytestmark = pytest.mark.unit

UNSUPPORTED_KINDS = {
    "negation_flip",
    "wrong_attribute_value",
    "unit_swap",
    "currency_swap",
    "name_at_sentence_start",
    "carrier_or_name_swap",
    "scope_growth",
    "modality_growth",
    "dropped_condition",
    "invented_channel_or_place",
    "wrong_country",
    "invented_promise",
    "self_contradiction",
    "wrong_contact",
    "wrong_time_or_date",
    "product_property",
    "quantity_change",
}
SUPPORTED_KINDS = {
    "paraphrase",
    "reordered",
    "number_format",
    "yes_no_opening",
    "partial",
    "combined",
    "correct_negative",
    "synonym",
    "polite_opening",
    "question_back",
}
MIN_PER_LABEL = 160
# (catch, pass) the check must keep per split: a little under the figures measured with the
# current check (benchmarks/README.md); the aim is 0.95 for both, which the test half misses.
BARS = {"dev": (0.85, 0.96), "test": (0.88, 0.83)}


@pytest.fixture(scope="module")
def pairs() -> list[dict]:
    return load_pairs()


def test_every_line_is_a_json_object_with_the_fields():
    lines = [line for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    loaded = load_pairs()
    assert len(loaded) == len(lines)
    for pair in loaded:
        missing = [name for name in FIELDS if name not in pair]
        assert not missing, (pair.get("id"), missing)
        assert isinstance(pair["passages"], list) and 1 <= len(pair["passages"]) <= 4, pair["id"]
        assert all(isinstance(p, str) and p.strip() for p in pair["passages"]), pair["id"]
        for name in ("id", "question", "reply", "kind", "note"):
            assert isinstance(pair[name], str) and pair[name].strip(), (pair["id"], name)


def test_labels_splits_and_ids(pairs):
    assert {p["label"] for p in pairs} <= set(LABELS)
    assert {p["split"] for p in pairs} <= set(SPLITS)
    ids = [p["id"] for p in pairs]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    counts = Counter(p["label"] for p in pairs)
    assert counts["unsupported"] >= MIN_PER_LABEL and counts["supported"] >= MIN_PER_LABEL, counts


def test_every_kind_is_in_both_splits_and_belongs_to_one_label(pairs):
    splits: dict[tuple[str, str], set[str]] = defaultdict(set)
    for pair in pairs:
        splits[(pair["label"], pair["kind"])].add(pair["split"])
    kinds = {label: {kind for lab, kind in splits if lab == label} for label in LABELS}
    assert kinds["unsupported"] == UNSUPPORTED_KINDS
    assert kinds["supported"] == SUPPORTED_KINDS
    assert not kinds["unsupported"] & kinds["supported"]
    one_split_only = {key: found for key, found in splits.items() if found != set(SPLITS)}
    assert not one_split_only


def test_each_unsupported_kind_is_in_both_splits_with_at_least_as_many_to_tune_on(pairs):
    # The first 362 rows were split half and half per kind; later rows are development data only.
    for kind in UNSUPPORTED_KINDS:
        counts = Counter(p["split"] for p in pairs if p["kind"] == kind)
        assert counts["test"] >= 5 and counts["dev"] >= counts["test"] - 1, (kind, counts)


def test_a_reply_and_its_faithful_twin_share_passages_question_and_split(pairs):
    by_id = {p["id"]: p for p in pairs}
    twins = [p for p in pairs if p.get("pair")]
    assert twins
    for pair in twins:
        twin = by_id[pair["pair"]]
        assert twin["pair"] == pair["id"]
        assert {pair["label"], twin["label"]} == set(LABELS)
        assert (pair["passages"], pair["question"], pair["split"]) == (
            twin["passages"],
            twin["question"],
            twin["split"],
        )


def test_no_reply_is_also_given_with_the_opposite_label(pairs):
    labels: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        labels[" ".join(pair["reply"].lower().split())].add(pair["label"])
    assert not [reply for reply, found in labels.items() if len(found) > 1]


def test_score_counts_catches_passes_and_the_trivial_floors():
    from benchmarks.grounding import Verdict

    sample = [
        {"id": "a", "label": "unsupported", "kind": "negation_flip", "split": "dev"},
        {"id": "b", "label": "unsupported", "kind": "unit_swap", "split": "dev"},
        {"id": "c", "label": "supported", "kind": "paraphrase", "split": "dev"},
        {"id": "d", "label": "supported", "kind": "partial", "split": "dev"},
    ]
    verdicts = {
        "a": Verdict(False, ms=1.0),
        "b": Verdict(True, ms=2.0),
        "c": Verdict(True, ms=3.0),
        "d": Verdict(False, ms=4.0),
    }
    figures = score(sample, verdicts)
    assert (figures["catch_rate"], figures["pass_rate"], figures["false_alarm_rate"]) == (
        0.5,
        0.5,
        0.5,
    )
    assert (
        figures["kinds"]["negation_flip"]["rate"] == 1.0
        and figures["kinds"]["unit_swap"]["rate"] == 0.0
    )
    assert figures["ms_median"] == 2.5
    assert figures["floors"]["always_supported"] == {"catch_rate": 0.0, "pass_rate": 1.0}
    assert figures["floors"]["always_unsupported"] == {"catch_rate": 1.0, "pass_rate": 0.0}


@pytest.mark.parametrize("split", SPLITS)
def test_the_check_catches_unsupported_replies_and_passes_faithful_ones(pairs, split):
    selected = in_split(pairs, split)
    figures = score(selected, run(make_judge(), selected))
    catch, passed = BARS[split]
    assert figures["catch_rate"] >= catch and figures["pass_rate"] >= passed, {
        "catch_rate": figures["catch_rate"],
        "pass_rate": figures["pass_rate"],
    }
