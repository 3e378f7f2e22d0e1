"""What a reply may say: tidying the model's text and the rules that tell an answer from a guess.

The answer step (:mod:`bot.generation.answering`) applies these to the model's reply: an upset
shopper's acknowledgement, a "do you …?" answered with words no passage uses, a question for a
fact answered with the question's own words, a bare yes or no about something no passage names.
"""

from __future__ import annotations

import hashlib
import re

from bot.generation.grounding import STOPWORDS, check_grounding, content_words
from bot.generation.safety import sentences

EMPATHY_CUES = re.compile(
    r"\b(sorry|understand|apolog|frustrat|annoy|disappoint|hear that|must be|"
    r"can imagine|inconvenien|upsetting|concern|worr)",
    re.I,
)
ACKNOWLEDGEMENTS = (
    "I'm sorry this has been frustrating.",
    "I understand this is annoying, and I'm sorry about it.",
    "I'm sorry for the trouble, I can see why you're upset.",
    "That sounds really frustrating, I'm sorry.",
)
# "Do you sell …?", "Is there …?": a question whether the shop does or has something.
SHOP_QUESTION = re.compile(
    r"^\W*(?:do|does|are|is|can|could|will|would)\s+(?:you|u|there|fernhill)\b", re.I
)
# "Who is …?", "What …?", "How much …?": a question that asks for a fact.
FACT_QUESTION = re.compile(
    r"^\W*(?:who|whom|whose|what|which|where|when|how (?:much|many|long|big|old|far))\b", re.I
)
# "Can I …?", "Is it …?": asks for a yes or no, like SHOP_QUESTION but about the shopper.
YES_NO_QUESTION = re.compile(r"^\W*(?:can|could|may|do|does|is|are)\s+(?:i|we|it|my)\b", re.I)
# "Is the pack waterproof?", "Do I need an account?": any question asking for a yes or no.
ANY_YES_NO_QUESTION = re.compile(
    r"^\W*(?:do|does|did|is|are|was|were|can|could|will|would|may|should|has|have)\b", re.I
)
# What a bare verdict adds to the question's own words.
VERDICT_WORDS = frozenset("yes no not don't doesn't can't cannot won't fernhill good sorry".split())
# Words of three letters or fewer that never answer anything by themselves.
SHORT_WORDS = frozenset(
    "a am an and any as at be by can did do for get has i if in is it its me my no "
    "not of on or our so the to too up us was we who why yes you".split()
)
MODEL_DONT_KNOW = re.compile(
    r"\b((?:i|you|we) (?:don'?t|do not) know|not (?:sure|able to find)|no information|"
    r"(?:is )?not possible to determine|(?:do|does) not (?:answer|say|mention))\b",
    re.I,
)


def clean_generated(text: str) -> str:
    """The model's reply tidied: no citation marks or role labels, at most three whole sentences."""
    text = re.sub(r"^\s*(assistant|answer|reply)\s*:\s*", "", text, flags=re.I)
    text = re.sub(r"\s*\[\d+(?:,\s*\d+)*\]", "", text)
    # "Based on the information provided in the shop information, you …" -> "You …"
    text = re.sub(
        r"(^|(?<=[.!?]\s))(according to|based on|as stated in|as per)\b[^,.]{0,80}"
        r"\b(shop information|information provided|facts?|passages?(?: \d+)?)\b[^,.]{0,20},\s*(\w)",
        lambda m: m.group(1) + m.group(4).upper(),
        text,
        flags=re.I,
    )
    parts = sentences(" ".join(text.split()))
    complete = [s for s in parts if s.rstrip()[-1:] in ".!?)"]
    if complete and len(complete) < len(parts) and parts[-1] not in complete:
        parts = parts[:-1]  # drop a sentence cut off by the token or time limit
    return " ".join(parts[:3]).strip()


def acknowledgement(generated: str | None, question: str, source_texts: list[str]) -> str:
    """An acknowledgement for an upset shopper: the model's own first sentence when it is one and
    states no fact, else one of a few plain variants (chosen by the question)."""
    if generated:
        first = sentences(generated)[0] if sentences(generated) else ""
        if (
            EMPATHY_CUES.search(first)
            and len(first.split()) <= 25
            and check_grounding(first, source_texts, require_statement=False).grounded
        ):
            return first
    index = int(hashlib.sha256(question.encode()).hexdigest(), 16) % len(ACKNOWLEDGEMENTS)
    return ACKNOWLEDGEMENTS[index]


def unsourced_terms(reply: str, question: str, source_texts: list[str]) -> list[str]:
    """Words of the reply taken from the question that no passage uses (compared on their first
    five letters, so "subscribing" meets "subscription"): what the reply says about them, the
    passages cannot support ("Yes, we offer a monthly subscription box")."""
    used = {word[:5] for word in content_words("\n".join(source_texts))}
    # A short word meets a longer one it begins ("ship" meets "shipping").
    return sorted(
        w
        for w in content_words(reply) & content_words(question)
        if w[:5] not in used and (len(w) >= 5 or not any(u.startswith(w) for u in used))
    )


def echoes_what_no_passage_says(text: str, question: str, source_texts: list[str]) -> bool:
    """True for a "do you …?" question when ``text`` (the reply, or the question itself) holds two
    or more of the words the shopper named that no passage uses."""
    return (
        SHOP_QUESTION.search(question) is not None
        and len(unsourced_terms(text, question, source_texts)) >= 2
    )


def restates_question(reply: str, question: str) -> bool:
    """True when ``reply`` answers a question asking for a fact ("who is the CEO?") with no word
    or number the question did not already hold ("The CEO of Fernhill Goods is Fernhill Goods."):
    it answers nothing."""
    if FACT_QUESTION.search(question) is None or not reply:
        return False
    return not answer_words(reply) - answer_words(question)


def answer_words(text: str) -> set[str]:
    """The words and numbers of ``text`` that could answer something, short ones included (a
    carrier's name such as "DHL" is an answer; "is", "of" and "the" are not)."""
    return {
        w.rstrip("s")
        for w in re.findall(r"[a-z0-9][a-z0-9'-]*", text.lower())
        if w not in STOPWORDS and w not in SHORT_WORDS
    }


def says_only_yes_or_no(reply: str, question: str) -> bool:
    """True for a yes/no question answered with nothing but a yes or no and the question's own
    words ("Yes, we sell laptops."): a verdict that holds nothing taken from the passages."""
    if SHOP_QUESTION.search(question) is None and YES_NO_QUESTION.search(question) is None:
        return False
    return not answer_words(reply) - answer_words(question) - VERDICT_WORDS
