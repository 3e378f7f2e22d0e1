"""Unit tests of the NumPy all-MiniLM-L6-v2 featurizer (Rasa side; run with .venv-rasa).

    PYTHONPATH=. .venv-rasa/bin/python -m pytest -q -m unit tests/unit/rasa_components

The reference embeddings come from sentence-transformers in the app environment (.venv),
called in a subprocess; that test is skipped when .venv is missing.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("rasa", reason="Rasa-side test: run with .venv-rasa/bin/python")

import numpy as np  # noqa: E402
from rasa.nlu.constants import TOKENS_NAMES  # noqa: E402
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer  # noqa: E402
from rasa.shared.exceptions import InvalidConfigException  # noqa: E402
from rasa.shared.nlu.constants import (  # noqa: E402
    ACTION_TEXT,
    FEATURE_TYPE_SENTENCE,
    FEATURE_TYPE_SEQUENCE,
    INTENT,
    RESPONSE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402

from rasa_components import minilm_encoder  # noqa: E402
from rasa_components.minilm_encoder import (  # noqa: E402
    align_to_spans,
    get_encoder,
    packaged_model_dir,
)
from rasa_components.minilm_featurizer import MiniLMFeaturizer  # noqa: E402

pytestmark = pytest.mark.unit

PROJECT_ROOT = Path(__file__).resolve().parents[3]
APP_PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"
HIDDEN = 384

REFERENCE_SCRIPT = r"""
import json, sys
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(sys.argv[1], device="cpu")
texts = json.load(sys.stdin)
vectors = model.encode(texts, batch_size=8, normalize_embeddings=True)
json.dump({"max_seq_length": model.max_seq_length, "vectors": vectors.tolist()}, sys.stdout)
"""


@pytest.fixture(scope="module")
def tokenizer() -> WhitespaceTokenizer:
    return WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())


@pytest.fixture(scope="module")
def featurizer() -> MiniLMFeaturizer:
    return MiniLMFeaturizer("minilm", MiniLMFeaturizer.get_default_config())


def _features(message: Message, attribute: str = TEXT):
    seq = [
        f for f in message.features if f.attribute == attribute and f.type == FEATURE_TYPE_SEQUENCE
    ]
    sent = [
        f for f in message.features if f.attribute == attribute and f.type == FEATURE_TYPE_SENTENCE
    ]
    return seq, sent


def _featurized(text: str, tokenizer, featurizer) -> Message:
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    featurizer.process([message])
    return message


# ---------------------------------------------------------------- reference equality
@pytest.mark.slow
def test_sentence_embedding_matches_sentence_transformers() -> None:
    if not APP_PYTHON.exists():
        pytest.skip(f"{APP_PYTHON} (app environment with sentence-transformers) is missing")
    texts = [
        "Where is my order?",
        "I want to return the Fjell 28L backpack, it arrived broken :(",
        "Can I change the delivery address for order FH-10234?",
        "",
        "héllo Ünïcode café naïve",
        "refund please 🙂🙂",
        "tabs\tand\nnewlines \x07 and control",
        "shipping " * 400,  # > 256 word pieces: both sides truncate at 256
        "REFUND REF-2291-AX STATUS???",
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    proc = subprocess.run(
        [str(APP_PYTHON), "-c", REFERENCE_SCRIPT, str(packaged_model_dir())],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    reference = json.loads(proc.stdout)
    assert reference["max_seq_length"] == 256
    ref = np.asarray(reference["vectors"], dtype=np.float64)

    ours = get_encoder(packaged_model_dir(), 256).sentence_embeddings(texts, batch_size=4)
    assert ours.shape == ref.shape == (len(texts), HIDDEN)
    cosine = (ours * ref).sum(axis=1) / (np.linalg.norm(ours, axis=1) * np.linalg.norm(ref, axis=1))
    assert cosine.min() >= 0.999, dict(zip(texts, cosine.round(5)))


# ------------------------------------------------------------------------ features
def test_sentence_and_sequence_features(tokenizer, featurizer) -> None:
    message = _featurized("Where is my parcel, please?", tokenizer, featurizer)
    tokens = message.get(TOKENS_NAMES[TEXT])
    seq, sent = _features(message)
    assert len(seq) == 1 and len(sent) == 1
    assert seq[0].features.shape == (len(tokens), HIDDEN)
    assert sent[0].features.shape == (1, HIDDEN)
    assert seq[0].origin == sent[0].origin == "minilm"
    np.testing.assert_allclose(np.linalg.norm(sent[0].features), 1.0, atol=1e-5)
    assert np.isfinite(seq[0].features).all()
    assert (np.abs(seq[0].features).sum(axis=1) > 0).all()


def test_token_alignment_averages_overlapping_word_pieces(tokenizer, featurizer) -> None:
    text = "I'd return the Fjell-28L backpack unboxed"
    message = _featurized(text, tokenizer, featurizer)
    tokens = message.get(TOKENS_NAMES[TEXT])
    seq, _ = _features(message)
    encoded = featurizer.encoder.encode([text])[0]

    for row, token in enumerate(tokens):
        overlapping = [
            i for i, (s, e) in enumerate(encoded.piece_offsets) if s < token.end and e > token.start
        ]
        assert overlapping, token.text
        expected = encoded.piece_vectors[overlapping].mean(axis=0)
        np.testing.assert_allclose(seq[0].features[row], expected, rtol=1e-5, atol=1e-5)

    # "backpack" is one Rasa token made of several word pieces
    idx = [t.text for t in tokens].index("backpack")
    token = tokens[idx]
    pieces = [(s, e) for s, e in encoded.piece_offsets if s < token.end and e > token.start]
    assert len(pieces) >= 1
    assert all(text[s:e].lower() in "backpack" for s, e in pieces)


def test_align_to_spans_zero_for_uncovered_span() -> None:
    encoded = get_encoder(packaged_model_dir(), 256).encode(["hello world"])[0]
    rows = align_to_spans(encoded, [(0, 5), (6, 11), (50, 55)])
    assert rows.shape == (3, HIDDEN)
    assert np.abs(rows[0]).sum() > 0 and np.abs(rows[1]).sum() > 0
    assert not rows[2].any()
    assert align_to_spans(encoded, []).shape == (0, HIDDEN)


def test_batched_training_data_equals_single_messages(tokenizer) -> None:
    featurizer = MiniLMFeaturizer(
        "minilm", {**MiniLMFeaturizer.get_default_config(), "batch_size": 3}
    )
    texts = [
        "hi",
        "where is my order",
        "I would like to return a pair of trail running shoes that do not fit",
        "cancel",
        "my refund REF-22 has not arrived after two weeks, what is going on?",
    ]
    examples = [Message(data={TEXT: t, INTENT: "x"}) for t in texts]
    examples.append(Message(data={RESPONSE: "Your order is on its way.", INTENT: "x"}))
    examples.append(Message(data={ACTION_TEXT: "Sorry, I did not get that."}))
    data = TrainingData(training_examples=examples)
    tokenizer.process_training_data(data)
    featurizer.process_training_data(data)

    for text, message in zip(texts, data.training_examples):
        single = _featurized(text, tokenizer, featurizer)
        (seq_b,), (sent_b,) = _features(message)
        (seq_s,), (sent_s,) = _features(single)
        np.testing.assert_allclose(seq_b.features, seq_s.features, atol=1e-4)
        np.testing.assert_allclose(sent_b.features, sent_s.features, atol=1e-5)

    seq, sent = _features(data.training_examples[-2], RESPONSE)
    assert len(seq) == 1 and len(sent) == 1
    seq, sent = _features(data.training_examples[-1], ACTION_TEXT)
    assert len(seq) == 1 and len(sent) == 1


# ---------------------------------------------------------------------- edge cases
def test_empty_text_does_not_crash(tokenizer, featurizer) -> None:
    message = Message(data={TEXT: ""})
    tokenizer.process([message])
    featurizer.process([message])
    # WhitespaceTokenizer leaves one empty token and the sparse featurizers featurize it,
    # so the empty text gets the same feature types (DIET needs them on every message):
    # a zero sequence row and the embedding of "[CLS] [SEP]"
    tokens = message.get(TOKENS_NAMES[TEXT])
    (seq,), (sent,) = _features(message)
    assert seq.features.shape == (len(tokens), HIDDEN)
    assert not seq.features.any()
    assert sent.features.shape == (1, HIDDEN) and np.isfinite(sent.features).all()

    encoded = featurizer.encoder.encode(["", None])
    for e in encoded:
        assert e.piece_vectors.shape == (0, HIDDEN)
        np.testing.assert_allclose(np.linalg.norm(e.sentence), 1.0, atol=1e-5)
    assert featurizer.encoder.encode([]) == []
    assert featurizer.process([]) == []

    # no text at all (e.g. an intent-only message in core training): no features
    intent_only = Message(data={INTENT: "greet"})
    tokenizer.process([intent_only])
    featurizer.process([intent_only])
    assert _features(intent_only) == ([], [])


def test_huge_input_is_truncated_safely(tokenizer, featurizer) -> None:
    text = ("order " * 2000)[:10_000]
    message = _featurized(text, tokenizer, featurizer)
    tokens = message.get(TOKENS_NAMES[TEXT])
    (seq,), (sent,) = _features(message)
    assert seq.features.shape == (len(tokens), HIDDEN)
    assert np.isfinite(seq.features).all() and np.isfinite(sent.features).all()
    # 254 word pieces fit besides [CLS]/[SEP]; later tokens get zeros
    covered = np.abs(seq.features).sum(axis=1) > 0
    assert covered[:254].all() and not covered[254:].any()

    encoded = featurizer.encoder.encode([text])[0]
    assert encoded.truncated and encoded.piece_vectors.shape[0] == 254

    # one 10,000-character "word" without spaces
    blob = "x" * 10_000
    (seq,), (sent,) = _features(_featurized(blob, tokenizer, featurizer))
    assert seq.features.shape == (1, HIDDEN) and np.isfinite(sent.features).all()


@pytest.mark.parametrize(
    "text",
    [
        "🙂",
        "🙂🙂🙂 👍🏽",
        "thanks 🙏 where is my 📦?",
        "hello\x00world\x07 \x1b[31mred\x1b[0m",
        "\x00\x01\x02",
        "zero\u200bwidth\ufeff joiner",
        "lone surrogate \ud800 here",
        "  \t\n  ",
        "日本語のテキスト",
        "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ",
    ],
)
def test_emoji_and_control_characters(text, tokenizer, featurizer) -> None:
    message = _featurized(text, tokenizer, featurizer)
    tokens = message.get(TOKENS_NAMES[TEXT])
    seq, sent = _features(message)
    assert len(sent) == 1 and sent[0].features.shape == (1, HIDDEN)
    assert np.isfinite(sent[0].features).all()
    assert len(seq) == 1 and seq[0].features.shape == (len(tokens), HIDDEN)
    assert np.isfinite(seq[0].features).all()


# ------------------------------------------------------------------- config, loading
@pytest.mark.parametrize(
    "options",
    [
        {"batch_size": 0},
        {"batch_size": "8"},
        {"max_length": 1},
        {"max_length": 1024},
        {"model_path": "/nonexistent/minilm"},
        {"model_path": 3},
    ],
)
def test_invalid_config_is_rejected(options) -> None:
    with pytest.raises(InvalidConfigException):
        MiniLMFeaturizer("minilm", {**MiniLMFeaturizer.get_default_config(), **options})


def test_model_path_option_and_max_length(tokenizer) -> None:
    featurizer = MiniLMFeaturizer(
        "minilm",
        {
            **MiniLMFeaturizer.get_default_config(),
            "model_path": str(packaged_model_dir()),
            "max_length": 8,
        },
    )
    message = Message(data={TEXT: "one two three four five six seven eight nine ten"})
    tokenizer.process([message])
    featurizer.process([message])
    (seq,), _ = _features(message)
    covered = np.abs(seq.features).sum(axis=1) > 0
    assert covered.tolist() == [True] * 6 + [False] * 4


def test_weights_are_loaded_lazily_and_once() -> None:
    config = {**MiniLMFeaturizer.get_default_config(), "max_length": 77}
    first = MiniLMFeaturizer("a", config)
    second = MiniLMFeaturizer("b", config)
    encoder = first.encoder
    assert encoder is second.encoder
    assert encoder._weights is None  # nothing read when the component is created
    first.process([Message(data={TEXT: "hello"})])  # no tokens: sentence feature only
    assert encoder._weights is not None
    # one copy of the weights per process and model folder, whatever max_length
    other = get_encoder(packaged_model_dir(), 256)
    other.encode(["hi"])
    assert other is not encoder and other._weights is encoder._weights
    assert len(minilm_encoder._WEIGHTS) == 1


def test_rasa_resolves_the_component_from_config() -> None:
    import rasa.shared.utils.io
    from rasa.engine.recipes.recipe import Recipe
    from rasa.shared.data import TrainingType

    config = rasa.shared.utils.io.read_model_configuration(PROJECT_ROOT / "config.yml")
    names = [c["name"] for c in config["pipeline"]]
    assert "rasa_components.minilm_featurizer.MiniLMFeaturizer" in names
    recipe = Recipe.recipe_for_name(config.get("recipe"))
    graph = recipe.graph_config_for_recipe(config, {}, training_type=TrainingType.NLU)
    used = {node.uses for node in graph.predict_schema.nodes.values()}
    assert MiniLMFeaturizer in used
