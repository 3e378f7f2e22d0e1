"""The process-wide generator, configured from the settings, with its readiness."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from bot.generation.answer_config import AnswerConfig
from bot.generation.evidence import EvidenceBudget
from bot.generation.generator import Generator, TransformersGenerator
from bot.generation.prompt import build_messages
from bot.settings import get_settings

log = logging.getLogger(__name__)


def generator_from_settings(model: str | None = None) -> TransformersGenerator:
    """A generator configured from the settings (``model`` instead of ``generator_model``), not loaded."""
    settings = get_settings()
    return TransformersGenerator(
        model or settings.generator_model,
        settings.generator_cache_dir,
        dtype=settings.generator_dtype,
        threads=settings.generator_threads,
        prompt_lookup=settings.generator_prompt_lookup,
        max_sentences=settings.generator_max_sentences,
        quantize=settings.generator_quantize,
    )


class GeneratorService:
    """Holds the configured generator and says whether it is ready (for /health-style checks)."""

    def __init__(self) -> None:
        settings = get_settings()
        # The compose mode never asks the model: it is neither loaded nor waited for.
        self.enabled = settings.generator_enabled and settings.answer_mode != "compose"
        self.generator = generator_from_settings()
        self.error: str | None = None
        self.warmed = False  # loaded, its speed measured and the system message cached

    def warm_up(self) -> None:
        """Loads and warms the model; a failure is remembered for the status and re-raised."""
        if not self.enabled or self.warmed:
            return
        try:
            self.generator.warm_up()
            # One reply with the real prompt's shape, so its system message is cached already.
            self.generator.generate(
                build_messages("Hello", []), max_new_tokens=1, time_limit_s=30, learn=False
            )
            self.error = None
            self.warmed = True
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

    def measure_speed(self, force: bool = False) -> str:
        """Measures the generator's speed again, now that the cores are free (``scripts/run.sh``
        asks once every service is up): ``measured``; or ``kept`` when the speed is already known
        from a measurement with the cores free or from replies (unless ``force``); ``disabled``
        or ``not ready`` (the model is still loading or failed to)."""
        if not self.enabled:
            return "disabled"
        if not self.warmed or self.error is not None:
            return "not ready"
        if self.generator.speed_trusted and not force:
            return "kept"
        self.generator.measure_speed()
        return "measured"

    def status(self) -> dict[str, Any]:
        """Readiness facts: ``ready`` is true when answers can be generated (or generation is off).
        ``speed_basis`` says what the speed estimate rests on: ``replies`` (the model's recent
        replies, timed), ``measured`` (a measurement with the cores free), ``measured while busy``
        (only measurements taken while other processes had the cores: not trusted, the model is
        asked until its replies or a later measurement tell) or None."""
        generator = self.generator
        record = generator.speed_record
        speed = record.current
        return {
            "enabled": self.enabled,
            "model": generator.name,
            "ready": (not self.enabled) or self.warmed,
            "device": generator.device,
            "int8": generator.quantized,
            "load_seconds": generator.load_seconds,
            "prompt_ms_per_token": None
            if speed is None
            else round(speed.prompt_s_per_token * 1000, 2),
            "ms_per_new_token": None if speed is None else round(speed.token_s * 1000, 1),
            "ms_per_reply": None if speed is None else round(speed.overhead_s * 1000),
            "speed_basis": record.basis,
            "speed_trusted": record.trusted,
            "speed_measurements": record.measurements,
            "speed_replies": record.replies,
            "error": self.error,
        }


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
    return AnswerConfig(
        top_k=settings.retrieval_top_k,
        passages=settings.answer_passages,
        mode=settings.answer_mode,
        passage_margin=settings.answer_passage_margin,
        doubtful_below=settings.answer_doubtful_below,
        history_turns=settings.answer_history_turns,
        max_new_tokens=settings.generator_max_new_tokens,
        time_limit_s=settings.generator_time_limit_s,
        min_reply_tokens=settings.generator_min_reply_tokens,
        frustration_handoff_after=settings.frustration_handoff_after,
        evidence=EvidenceBudget(
            settings.answer_evidence_chars, settings.answer_evidence_other_chars
        ),
    )


def record_gap(
    question: str,
    session_id: str | None = None,
    channel: str | None = None,
    intent: str | None = None,
) -> None:
    """Records an unanswered question in the app database's knowledge gaps."""
    from bot.appdata.knowledge_gaps import record_knowledge_gap

    record_knowledge_gap(question, session_id, channel, intent)
