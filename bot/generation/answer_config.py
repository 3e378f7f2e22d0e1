"""The answer step's limits: how many passages, how long the model may write, which answer mode."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.generation.compose import MODES, ComposeConfig
from bot.generation.evidence import EvidenceBudget
from bot.settings import get_settings, setting_default


def configured_compose() -> ComposeConfig:
    """The composed answers' limits from the settings."""
    settings = get_settings()
    return ComposeConfig(
        settings.answer_compose_sentences,
        settings.answer_compose_chars,
        settings.answer_compose_title_match,
    )


@dataclass(frozen=True)
class AnswerConfig:
    """Limits of the answer step; the shop's come from the settings
    (:func:`bot.generation.service.answer_config`), and each field that mirrors a setting
    defaults to that setting's default."""

    top_k: int = setting_default("retrieval_top_k")
    passages: int = setting_default("answer_passages")
    passage_margin: float = setting_default("answer_passage_margin")
    doubtful_below: float = setting_default("answer_doubtful_below")
    history_turns: int = setting_default("answer_history_turns")
    max_new_tokens: int = setting_default("generator_max_new_tokens")
    time_limit_s: float = setting_default("generator_time_limit_s")
    min_reply_tokens: int = setting_default("generator_min_reply_tokens")
    frustration_handoff_after: int = setting_default("frustration_handoff_after")
    evidence: EvidenceBudget = field(default_factory=EvidenceBudget)
    # generate: the model's reply when it passes the check; compose: the passage's sentences,
    # no model; hybrid: the passage's sentences, led by the model's "Yes."/"No." when it agrees.
    # Not a mirror of the answer_mode setting: a config built by hand is given a generator to
    # ask, while the shop's answer_config takes the setting (default: compose).
    mode: str = "generate"
    compose: ComposeConfig = field(default_factory=configured_compose)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(
                f"mode must be one of {', '.join(MODES)}. Currently, mode is {self.mode!r}"
            )
