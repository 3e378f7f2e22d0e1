"""Prompt injection and abuse: manipulative questions get an on-policy reply without the model,
and sentences in passages that read as instructions to the assistant never reach the prompt."""

from __future__ import annotations

import re

_MANIPULATION = [
    r"\b(ignore|disregard|forget|override|bypass|skip)\b.{0,40}\b(instructions?|rules|prompt|guidelines|polic(?:y|ies)|programming|system)\b",
    r"\b(print|show|reveal|repeat|display|tell me|give me|what (?:is|are)|leak|dump)\b.{0,30}\b(system|hidden|initial|original|secret)\s*(prompt|instructions?|message|rules)\b",
    r"\byour (?:system )?(?:prompt|instructions)\b",
    r"\b(pretend|act as|role-?play|you are now|from now on you|imagine you are|let'?s play|simulate)\b",
    r"\b(jailbreak|dan mode|developer mode|god mode|sudo)\b",
    r"\bno (?:rules|restrictions|limits)\b",
]
_DISCOUNT_DEMAND = [
    r"\b(give|grant|apply|send|generate|create|make|owe)\b.{0,20}\b(\d{1,3}\s*%|discount|voucher|coupon|promo(?:tion)? code|gift card|compensation|free (?:order|stuff|products?|items?))",
    r"\b(want|need|demand|deserve)\b.{0,20}\b\d{1,3}\s*%",
    r"\b100\s*%\s*(?:off|discount)|\bfor free\b.{0,20}\b(order|everything)\b|\bmake (?:it|my order|everything) free\b",
]
_PASSAGE_INSTRUCTION = re.compile(
    r"(ignore|disregard|forget)\b.{0,40}\b(instructions?|rules|prompt)|\b(assistant|ai|chatbot|model|bot)s?\b.{0,20}\b(must|should|shall|will)\b|"
    r"\b(tell|inform) (the|every|all)? ?(customer|shopper|user)s?\b|\bsystem prompt\b|^\s*(system|assistant)\s*:|"
    r"\byou (must|should) (now|always|never)\b|\brespond (only )?with\b",
    re.I | re.M,
)
MANIPULATION = re.compile("|".join(_MANIPULATION), re.I | re.S)
DISCOUNT_DEMAND = re.compile("|".join(_DISCOUNT_DEMAND), re.I | re.S)

ON_POLICY_REPLY = (
    "I can only help with Fernhill Goods' products, orders, delivery, returns and payments, "
    "using our shop's published information, and I can't share or change how I work. "
    "What would you like to know about your order or our products?"
)
NO_DEALS_REPLY = (
    "I'm sorry, I can't create discounts, vouchers, refunds or free orders, and I can't change "
    "prices in this chat. I can tell you about our published offers and policies, or a person "
    "from our team can look at your situation."
)


def manipulation_kind(question: str) -> str | None:
    """``"instructions"`` for attempts to change or reveal the assistant's rules (including
    role-play), ``"deal"`` for demands of discounts or free goods, else None."""
    if MANIPULATION.search(question):
        return "instructions"
    if DISCOUNT_DEMAND.search(question):
        return "deal"
    return None


def sentences(text: str) -> list[str]:
    """``text`` split into sentences and lines."""
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def strip_instructions(text: str) -> str:
    """``text`` without the sentences that address the assistant instead of the shopper
    (line breaks kept, so lists stay lists)."""
    lines = []
    for line in text.splitlines():
        kept = [s for s in re.split(r"(?<=[.!?])\s+", line) if not _PASSAGE_INSTRUCTION.search(s)]
        if kept or not line.strip():
            lines.append(" ".join(kept))
    return "\n".join(lines).strip()
