"""Each default is written once, in ``bot/settings.py``: a config dataclass field or an argument
that mirrors a setting must default to exactly the setting's default."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any

import pytest

from bot.generation.answering import AnswerConfig
from bot.generation.compose import ComposeConfig
from bot.generation.evidence import EvidenceBudget
from bot.generation.generator import TransformersGenerator
from bot.generation.prompt import build_messages
from bot.knowledge import passages
from bot.knowledge.build import BuildOptions
from bot.knowledge.chunking import chunk_text
from bot.knowledge.documents import ChunkOptions
from bot.knowledge.embedder import SentenceTransformerEmbedder, get_embedder
from bot.knowledge.index import IndexSpec
from bot.knowledge.onnx_encoder import OnnxSentenceEncoder
from bot.knowledge.retrieve import HybridRetriever, RetrievalConfig, Retriever
from bot.settings import Settings, setting_default

pytestmark = pytest.mark.unit

# (dataclass, field, setting): every dataclass field that mirrors a setting.
DATACLASS_FIELDS: list[tuple[type[Any], str, str]] = [
    (RetrievalConfig, "fusion", "retrieval_fusion"),
    (RetrievalConfig, "lexical_weight", "retrieval_lexical_weight"),
    (RetrievalConfig, "support_weight", "retrieval_support_weight"),
    (RetrievalConfig, "question_offset", "retrieval_question_offset"),
    (RetrievalConfig, "heading_offset", "retrieval_heading_offset"),
    (RetrievalConfig, "min_confidence", "retrieval_min_confidence"),
    (RetrievalConfig, "spelling", "retrieval_spelling"),
    (RetrievalConfig, "synonyms", "retrieval_synonyms"),
    (IndexSpec, "kind", "index_type"),
    (IndexSpec, "approx_above", "index_approx_above"),
    (IndexSpec, "ef_search", "hnsw_ef_search"),
    (IndexSpec, "nprobe", "ivf_nprobe"),
    (ChunkOptions, "max_words", "chunk_max_words"),
    (ChunkOptions, "overlap_words", "chunk_overlap_words"),
    (ChunkOptions, "site_url", "site_url"),
    (BuildOptions, "faq_question_vectors", "faq_question_vectors"),
    (BuildOptions, "probe_vectors", "probe_vectors"),
    (AnswerConfig, "top_k", "retrieval_top_k"),
    (AnswerConfig, "passages", "answer_passages"),
    (AnswerConfig, "passage_margin", "answer_passage_margin"),
    (AnswerConfig, "doubtful_below", "answer_doubtful_below"),
    (AnswerConfig, "history_turns", "answer_history_turns"),
    (AnswerConfig, "max_new_tokens", "generator_max_new_tokens"),
    (AnswerConfig, "time_limit_s", "generator_time_limit_s"),
    (AnswerConfig, "min_reply_tokens", "generator_min_reply_tokens"),
    (AnswerConfig, "frustration_handoff_after", "frustration_handoff_after"),
    (EvidenceBudget, "first", "answer_evidence_chars"),
    (EvidenceBudget, "other", "answer_evidence_other_chars"),
    (ComposeConfig, "sentences", "answer_compose_sentences"),
    (ComposeConfig, "chars", "answer_compose_chars"),
    (ComposeConfig, "title_match", "answer_compose_title_match"),
]

# (callable, argument, setting): every argument that mirrors a setting.
ARGUMENTS: list[tuple[Callable[..., Any], str, str]] = [
    (TransformersGenerator, "dtype", "generator_dtype"),
    (TransformersGenerator, "threads", "generator_threads"),
    (TransformersGenerator, "prompt_lookup", "generator_prompt_lookup"),
    (TransformersGenerator, "max_sentences", "generator_max_sentences"),
    (TransformersGenerator, "quantize", "generator_quantize"),
    (build_messages, "history_turns", "answer_history_turns"),
    (SentenceTransformerEmbedder, "name", "embedding_model"),
    (SentenceTransformerEmbedder, "batch_size", "embedding_batch_size"),
    (SentenceTransformerEmbedder, "threads", "embedding_threads"),
    (get_embedder, "name", "embedding_model"),
    (get_embedder, "batch_size", "embedding_batch_size"),
    (get_embedder, "threads", "embedding_threads"),
    (OnnxSentenceEncoder, "threads", "embedding_threads"),
    (chunk_text, "max_words", "chunk_max_words"),
    (chunk_text, "overlap_words", "chunk_overlap_words"),
    (HybridRetriever.retrieve, "k", "retrieval_top_k"),
    (Retriever.retrieve, "k", "retrieval_top_k"),
]


def field_default(cls: type[Any], name: str) -> Any:
    """The default of dataclass ``cls``'s field ``name`` (its factory called, if it has one)."""
    for field in dataclasses.fields(cls):
        if field.name == name:
            if field.default is not dataclasses.MISSING:
                return field.default
            if field.default_factory is not dataclasses.MISSING:
                return field.default_factory()
            raise AssertionError(f"{cls.__name__}.{name} has no default")
    raise AssertionError(f"{cls.__name__} has no field {name!r}")


def argument_default(function: Callable[..., Any], name: str) -> Any:
    """The default of ``function``'s argument ``name``."""
    parameter = inspect.signature(function).parameters[name]
    if parameter.default is inspect.Parameter.empty:
        raise AssertionError(f"{function.__qualname__}({name}) has no default")
    return parameter.default


@pytest.mark.parametrize(
    ("cls", "field", "setting"),
    DATACLASS_FIELDS,
    ids=[f"{cls.__name__}.{field}" for cls, field, _ in DATACLASS_FIELDS],
)
def test_a_dataclass_field_defaults_to_its_settings_default(
    cls: type[Any], field: str, setting: str
) -> None:
    value = field_default(cls, field)
    assert value == setting_default(setting) and type(value) is type(setting_default(setting))


@pytest.mark.parametrize(
    ("function", "argument", "setting"),
    ARGUMENTS,
    ids=[f"{function.__qualname__}({argument})" for function, argument, _ in ARGUMENTS],
)
def test_an_argument_defaults_to_its_settings_default(
    function: Callable[..., Any], argument: str, setting: str
) -> None:
    value = argument_default(function, argument)
    assert value == setting_default(setting) and type(value) is type(setting_default(setting))


def test_the_nested_configs_default_to_the_settings_defaults() -> None:
    config = AnswerConfig()
    assert config.evidence == EvidenceBudget(
        setting_default("answer_evidence_chars"), setting_default("answer_evidence_other_chars")
    )
    options = BuildOptions(model=setting_default("embedding_model"))
    assert options.index == IndexSpec() and options.chunk == ChunkOptions()
    assert passages.SITE_URL == setting_default("site_url")


def test_a_settings_default_is_the_one_written_in_the_class_not_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FERNHILL_RETRIEVAL_TOP_K", "9")
    assert Settings().retrieval_top_k == 9
    assert setting_default("retrieval_top_k") == Settings.model_fields["retrieval_top_k"].default
    assert setting_default("retrieval_top_k") != 9


def test_an_unknown_setting_is_an_error_that_names_it() -> None:
    with pytest.raises(KeyError, match="retrieval_topk"):
        setting_default("retrieval_topk")
