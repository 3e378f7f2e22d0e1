"""The process-wide generator, configured from the settings, with its readiness."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from bot.generation.answering import AnswerConfig
from bot.generation.evidence import EvidenceBudget
from bot.generation.generator import Generator, TransformersGenerator
from bot.generation.prompt import build_messages
from bot.settings import get_settings

log = logging.getLogger(__name__)


def generator_from_settings(model: str | None = None) -> TransformersGenerator:
    """A generator configured from the settings (``model`` instead of ``generator_model``), not loaded."""
    settings = get_settings()
    return TransformersGenerator(model or settings.generator_model, settings.generator_cache_dir,
                                 settings.generator_dtype, settings.generator_threads,
                                 settings.generator_prompt_lookup, settings.generator_max_sentences,
                                 quantize=settings.generator_quantize)


class GeneratorService:
    """Holds the configured generator and says whether it is ready (for /health-style checks)."""

    def __init__(self) -> None:
        settings = get_settings()
        self.enabled = settings.generator_enabled
        self.generator = generator_from_settings()
        self.error: str | None = None

    def warm_up(self) -> None:
        """Loads and warms the model; a failure is remembered for the status and re-raised."""
        if not self.enabled or self.generator.ready:
            return
        try:
            self.generator.warm_up()
            # One reply with the real prompt's shape, so its system message is cached already.
            self.generator.generate(build_messages("Hello", []), max_new_tokens=1, time_limit_s=30)
            self.error = None
        except Exception as error:
            self.error = f"{type(error).__name__}: {error}"
            raise

    def get(self) -> TransformersGenerator | None:
        """The warmed generator; None when generation is switched off or the model failed to
        load (answers are then the best passage's text, and the status says why)."""
        if not self.enabled or self.error is not None:
            return None
        try:
            self.warm_up()
        except Exception as error:  # noqa: BLE001 - degrade to extractive answers, never fail them
            log.error("reply generator unavailable, answering from passages: %s", error)
            return None
        return self.generator

    def status(self) -> dict[str, Any]:
        """Readiness facts: ``ready`` is true when answers can be generated (or generation is off)."""
        generator = self.generator
        speed = generator.speed
        return {"enabled": self.enabled, "model": generator.name, "ready": (not self.enabled) or generator.ready,
                "device": generator.device, "int8": generator.quantized, "load_seconds": generator.load_seconds,
                "prompt_ms_per_token": None if speed is None else round(speed.prompt_s_per_token * 1000, 2),
                "ms_per_new_token": None if speed is None else round(speed.token_s * 1000, 1),
                "error": self.error}


@lru_cache(maxsize=1)
def get_generator_service() -> GeneratorService:
    """The process-wide generator service (the model loads on first use or at warm-up)."""
    return GeneratorService()


def current_generator() -> Generator | None:
    """The process-wide generator, warmed (None when generation is switched off)."""
    return get_generator_service().get()


def answer_config() -> AnswerConfig:
    """The answer step's limits, from the settings."""
    settings = get_settings()
    return AnswerConfig(top_k=settings.retrieval_top_k, passages=settings.answer_passages,
                        passage_margin=settings.answer_passage_margin,
                        doubtful_below=settings.answer_doubtful_below,
                        history_turns=settings.answer_history_turns,
                        max_new_tokens=settings.generator_max_new_tokens,
                        time_limit_s=settings.generator_time_limit_s,
                        min_reply_tokens=settings.generator_min_reply_tokens,
                        frustration_handoff_after=settings.frustration_handoff_after,
                        evidence=EvidenceBudget(settings.answer_evidence_chars, settings.answer_evidence_other_chars))


def record_gap(question: str, session_id: str | None = None, channel: str | None = None,
               intent: str | None = None) -> None:
    """Records an unanswered question in the app database's knowledge gaps."""
    from bot.appdata.knowledge_gaps import record_knowledge_gap

    record_knowledge_gap(question, session_id, channel, intent)
