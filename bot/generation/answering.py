"""From a question to a grounded answer: retrieve, then compose, generate or both, check, fall back.

In the ``compose`` mode (the shop's default) the answer is the best passage's sentences nearest the
question (:mod:`bot.generation.compose`), without the model. In ``generate`` the model writes from
the retrieved passages only, and a reply that fails the grounding check is replaced by those
composed sentences; ``hybrid`` sends the composed sentences, led by the model's "Yes."/"No." when
the passage agrees. When no passage passes the retrieval threshold the answer is an honest "I
don't know" (and the caller records a knowledge gap); manipulative questions get an on-policy
reply without the model.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.generation.answer_config import AnswerConfig
from bot.generation.bounded import generate_within
from bot.generation.compose import (
    Composition,
    compose,
)
from bot.generation.evidence import focus
from bot.generation.generator import Generator
from bot.generation.grounding import GroundingResult, check_grounding
from bot.generation.opening import direct_opening, opening_agrees
from bot.generation.prompt import PromptContext, build_messages
from bot.generation.reply_checks import (
    ANY_YES_NO_QUESTION,
    EMPATHY_CUES,
    MODEL_DONT_KNOW,
    acknowledgement,
    clean_generated,
    echoes_what_no_passage_says,
    restates_question,
    says_only_yes_or_no,
    unsourced_terms,
)
from bot.generation.safety import (
    NO_DEALS_REPLY,
    ON_POLICY_REPLY,
    manipulation_kind,
    sentences,
    strip_instructions,
)
from bot.knowledge.passages import Passage
from bot.knowledge.retrieve import Retriever

log = logging.getLogger(__name__)

DONT_KNOW = (
    "I'm sorry, I don't know that: I couldn't find it in our shop's information, and I "
    "don't want to guess. A person from our team can help you."
)
MAX_EXTRACT_CHARS = 480


@dataclass
class Answer:
    """An answer and how it came about.

    Attributes:
        text: What the shopper reads (without the sources line).
        sources: The passages the answer rests on (empty for refusals).
        refused: True when the assistant said it does not know.
        grounded: True when the generated reply passed the grounding check (False when it
            failed or nothing was generated).
        fallback: True when the extractive answer replaced the generated one.
        kind: ``answer``, ``refusal``, ``manipulation`` or ``deal``.
        offer_human: True when the reply should offer a person.
        generated: The model's reply before the check (None when not generated).
        unsupported: What the grounding check found unsupported in ``generated``.
        latency_ms: Time from question to answer.
        new_tokens, gen_seconds: Tokens the model wrote and the time it took.
        too_slow: True when the model was not asked because even a short reply would not fit in
            the time limit on this machine (the answer is the best passage's text).
        confidence: The best passage's retrieval confidence (None when nothing was retrieved).
        composed: True when the text is made of the best passage's own sentences (a composed
            answer, or the fallback), possibly led by the model's "Yes."/"No." (``hybrid``).
        mode: The answer mode it was made in (``generate``, ``compose`` or ``hybrid``).
    """

    text: str
    sources: list[Passage] = field(default_factory=list)
    refused: bool = False
    grounded: bool = False
    fallback: bool = False
    kind: str = "answer"
    offer_human: bool = False
    generated: str | None = None
    unsupported: list[tuple[str, str]] = field(default_factory=list)
    latency_ms: float = 0.0
    new_tokens: int = 0
    gen_seconds: float = 0.0
    confidence: float | None = None
    too_slow: bool = False
    composed: bool = False
    mode: str = "generate"


def trim(text: str, limit: int = MAX_EXTRACT_CHARS) -> str:
    """``text`` on one or a few lines, cut after the last whole sentence or line that fits."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    joined = "\n".join(lines)
    if len(joined) <= limit:
        return joined
    kept = ""
    for number, line in enumerate(lines):  # lines stay lines: a list keeps its "1." markers apart
        for position, piece in enumerate(re.split(r"(?<=[.!?])\s+", line)):
            joint = "\n" if number and not position else " "
            candidate = f"{kept}{joint}{piece}" if kept else piece
            if len(candidate) > limit:
                break
            kept = candidate
        else:
            continue
        break
    if not kept:  # one very long sentence: cut at a word
        kept = joined[:limit].rsplit(" ", 1)[0]
    return kept.rstrip(" ,;:") + " …"


def refusal(question: str, on_gap: Callable[[str], None] | None, **fields: Any) -> Answer:
    """The honest "I don't know" (with a person offered), the question recorded as a gap."""
    if on_gap is not None:
        on_gap(question)
    return Answer(DONT_KNOW, refused=True, kind="refusal", offer_human=True, **fields)


class Answerer:
    """Answers knowledge questions from a retriever and (optionally) a generator.

    Args:
        retriever: Finds the passages.
        generator: Writes the reply; None: extractive answers only.
        config: Limits.
        product_names: Catalogue product names (a reply may name only those in its passages).
    """

    def __init__(
        self,
        retriever: Retriever,
        generator: Generator | None,
        config: AnswerConfig | None = None,
        product_names: list[str] | None = None,
    ) -> None:
        self.retriever = retriever
        self.generator = generator
        self.config = config or AnswerConfig()
        self.product_names = (
            product_names
            if product_names is not None
            else [p.title for p in getattr(retriever, "passages", []) if p.kind == "product"]
        )

    def answer(
        self,
        question: str,
        query: str | None = None,
        context: PromptContext | None = None,
        on_gap: Callable[[str], None] | None = None,
    ) -> Answer:
        """The answer to ``question``.

        Args:
            question: The shopper's message.
            query: What to retrieve for (default: the question; a follow-up carries the previous one).
            context: History, mood, name and frustration of the conversation.
            on_gap: Called with the question when the knowledge base has no answer.
        """
        started = time.perf_counter()
        context = context or PromptContext()
        answer = self._answer(question, query or question, context, on_gap)
        answer.mode = "compose" if self.generator is None else self.config.mode
        if context.upset and answer.kind == "refusal":
            answer.text = f"{acknowledgement(None, question, [])} {answer.text}"
        frustrated = context.frustration >= self.config.frustration_handoff_after
        answer.offer_human = answer.offer_human or frustrated or answer.kind == "deal"
        answer.latency_ms = (time.perf_counter() - started) * 1000
        return answer

    def _too_slow(self, messages: list[dict[str, str]]) -> bool:
        """True when the generator says a short reply to ``messages`` would take longer than the
        time limit here (a slow CPU; generators that cannot estimate are always asked, and so are
        those whose speed was only measured while other processes had the cores: ``speed_trusted``
        false, as when Rasa loads beside the action server at start)."""
        estimate = getattr(self.generator, "estimate_seconds", None)
        seconds = estimate(messages, self.config.min_reply_tokens) if estimate is not None else None
        if seconds is None or seconds <= self.config.time_limit_s:
            return False
        if not getattr(self.generator, "speed_trusted", True):
            # A busy moment's figures: the model is asked (cut off at the limit at worst) and the
            # reply's own timing tells the real speed.
            log.info(
                "a reply would take about %.1f s by a speed measured while the cores were busy (limit "
                "%.1f s): asking the model",
                seconds,
                self.config.time_limit_s,
            )
            return False
        log.info(
            "a reply would take about %.1f s here (limit %.1f s): answering from the passage",
            seconds,
            self.config.time_limit_s,
        )
        recheck = getattr(self.generator, "recheck_speed", None)
        if recheck is not None:  # the figures may still be a busy moment's: measured again soon
            recheck()
        return True

    def _answer(
        self,
        question: str,
        query: str,
        context: PromptContext,
        on_gap: Callable[[str], None] | None,
    ) -> Answer:
        kind = manipulation_kind(question)
        if kind is not None:
            log.info("on-policy reply to a %s attempt: %r", kind, question[:200])
            return Answer(ON_POLICY_REPLY if kind == "instructions" else NO_DEALS_REPLY, kind=kind)
        results = self.retriever.retrieve(query, k=self.config.top_k)
        if not results:
            return refusal(question, on_gap)
        # Only passages about as good as the best: a shorter prompt is faster and less distracting.
        close = [r for r in results if r.score >= results[0].score - self.config.passage_margin]
        passages = [r.passage for r in close[: self.config.passages]]
        best = passages[0]
        confidence = results[0].confidence
        doubtful = confidence < self.config.doubtful_below
        texts = [f"{p.title}\n{p.text}" for p in passages]
        if self.generator is None or self.config.mode == "compose":
            # No model: the best passage's sentences nearest the question. As without the model's
            # reading on a slow machine, a weak match for "do you …?" whose passages lack what
            # the shopper named ("do you sell refurbished phones?") is refused.
            if doubtful and echoes_what_no_passage_says(question, question, texts):
                return refusal(question, on_gap, confidence=confidence)
            return self._composed(question, query, best, context, confidence=confidence)
        # The model reads each passage's lines nearest the question (a shorter prompt is faster
        # and keeps a small model on the facts asked about); the check holds it to those lines.
        evidence = focus(
            question, passages, getattr(self.retriever, "embedder", None), self.config.evidence
        )
        messages = build_messages(question, evidence, context, self.config.history_turns)
        if self._too_slow(messages):
            # Waiting out the time limit would only end in the passage's sentences: send them now.
            if doubtful and echoes_what_no_passage_says(question, question, texts):
                return refusal(question, on_gap, too_slow=True, confidence=confidence)
            return self._composed(
                question, query, best, context, too_slow=True, confidence=confidence
            )
        generation = generate_within(
            self.generator,
            messages,
            max_new_tokens=self.config.max_new_tokens,
            time_limit_s=self.config.time_limit_s,
        )
        if generation is None:  # the model raised or hung: the passage's sentences, in time
            return self._composed(
                question, query, best, context, fallback=True, confidence=confidence
            )
        reply = clean_generated(generation.text)
        source_texts = [f"{p.title}\n{p.text}\n{p.url or ''}" for p in evidence]
        # Numbers the shopper gave count as unsupported too ("Yes, you can return it after 60
        # days" would confirm a false premise); names they gave may be repeated.
        check = check_grounding(
            reply, source_texts, self.product_names, question=f"{question} {context.name or ''}"
        )  # their name is fine
        if (
            reply and reply.rstrip()[-1:] not in ".!?)"
        ):  # cut off by the limits: never sent half-said
            check = GroundingResult(False, [*check.unsupported, ("incomplete", reply[-40:])])
        answer = Answer(
            reply,
            sources=passages,
            grounded=check.grounded and bool(reply),
            generated=generation.text,
            unsupported=check.unsupported,
            new_tokens=generation.new_tokens,
            gen_seconds=generation.seconds,
            confidence=confidence,
        )
        # Say so honestly when the model answers a question for a fact with the question's own
        # words ("The CEO of Fernhill Goods is Fernhill Goods.": the passages matched the topic,
        # not the fact), or, at a weak match, finds no answer in the passages either or answers
        # whether the shop does something by repeating what the shopper named while no passage
        # mentions it ("Yes, you offer a monthly subscription box.").
        # A reply cut off by the limits ("The") restates nothing: it falls back like any other.
        restated = restates_question(reply, question) and reply.rstrip()[-1:] in ".!?)"
        echoed = echoes_what_no_passage_says(reply, question, source_texts)
        if restated or (doubtful and (MODEL_DONT_KNOW.search(generation.text) or echoed)):
            return refusal(
                question,
                on_gap,
                grounded=answer.grounded,
                generated=generation.text,
                new_tokens=generation.new_tokens,
                gen_seconds=generation.seconds,
                confidence=confidence,
            )
        # A bare yes or no about something no passage names is the model's guess ("Fernhill Goods
        # accepts Bitcoin." where the passage says it takes no cryptocurrency; "No, there will not
        # be extra customs fees" where it says the carrier may charge duties): the passage is
        # sent instead, which also says more than a bare verdict.
        guessed = says_only_yes_or_no(reply, question) and bool(
            unsourced_terms(reply, question, source_texts)
        )
        if not answer.grounded or MODEL_DONT_KNOW.search(reply) or guessed:
            if not check.grounded:
                log.info(
                    "generated reply failed the grounding check %s: %r",
                    check.unsupported,
                    reply[:300],
                )
            # The fallback is the best passage's sentences nearest the question, not all of it.
            answer.text, answer.fallback, answer.sources = (
                self._composition(query, best).text,
                True,
                [best],
            )
            answer.composed = True
            if context.upset:
                answer.text = f"{acknowledgement(reply, question, source_texts)} {answer.text}"
        elif self.config.mode == "hybrid":
            # The passage's sentences carry the facts (and their conditions); the model lends only
            # its direct "Yes."/"No." when the passage agrees.
            upset_opening = context.upset and EMPATHY_CUES.search(sentences(reply)[0])
            body = " ".join(sentences(reply)[1:]) if upset_opening else reply
            answer.text, answer.sources, answer.composed = (
                self._led(body, question, query, best),
                [best],
                True,
            )
            if context.upset:
                answer.text = f"{acknowledgement(reply, question, source_texts)} {answer.text}"
        elif context.upset and not EMPATHY_CUES.search(sentences(reply)[0]):
            answer.text = f"{acknowledgement(None, question, source_texts)} {reply}"
        return answer

    def _composition(self, query: str, best: Passage) -> Composition:
        """The best passage's sentences nearest ``query``."""
        return compose(query, best, getattr(self.retriever, "embedder", None), self.config.compose)

    def _composed(
        self, question: str, query: str, best: Passage, context: PromptContext, **fields: Any
    ) -> Answer:
        """A composed answer without the model (an upset shopper's acknowledgement first)."""
        text = self._composition(query, best).text
        if context.upset:
            text = f"{acknowledgement(None, question, [])} {text}"
        return Answer(text, sources=[best], composed=True, **fields)

    def _led(self, reply: str, question: str, query: str, best: Passage) -> str:
        """The composed answer, led by the reply's "Yes."/"No." (or short "Not …" clause) when the
        question asks for a yes or no, the passage sentence nearest the question has the same
        polarity and the whole still passes the grounding check against the passage."""
        composition = self._composition(query, best)
        opening = direct_opening(reply)
        if (
            opening is None
            or ANY_YES_NO_QUESTION.search(question) is None
            or not opening_agrees(opening[1], composition, question)
        ):
            return composition.text
        text = f"{opening[0]} {composition.text}"
        source = [f"{best.title}\n{strip_instructions(best.text)}\n{best.url or ''}"]
        if not check_grounding(text, source, self.product_names, question=question).grounded:
            return composition.text
        return text
