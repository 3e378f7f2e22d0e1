"""Text pieces for the claim check: a reply cut into claims, passages cut into the sentences (and
table cells) that can support them, words compared on their stems, negation and scope.

A passage's table row stands for one record: each cell becomes a piece of its own that carries
the row's first cell and the column heading ("NL · Standard shipping price: €3.95"), so an amount
is tied to what it is the amount of. Every piece of a passage also carries the passage's first
line (its title: an FAQ question, a product name, a section heading) as context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from bot.generation.claim_facts import ALIAS_OF, CODES, Fact

# Where a sentence turns into another claim: clause joints that start a new statement.
CLAUSE_BREAK = re.compile(
    r"\s*;\s+|,?\s+but\s+|,\s+(?:while|whereas|although|though|however|except)\s+|"
    r",\s+(?=not\b|never\b)|,\s+and\s+|\s+and\s+(?=(?:we|you|it|they|there|this|that|he|she|"
    r"i|orders?|returns?|refunds?|items?|products?|delivery|shipping)\b(?!\s+(?:and|or)\b))",
    re.I,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9€$£\"'(])|\n+")
LIST_MARKER = re.compile(r"(?m)^\s*(?:\d{1,2}[.)]|[-*•])\s+")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")

STOPWORDS = frozenset(
    """a about after again all also am an and any are as at be because been before being
both but by can could did do does doing down during each few for from further had has have having he her
here hers him his how i if in into is it its itself just let me more most my no nor not now of off on once
only or other our ours out over own same she should so some such than that the their theirs them then there
these they this those through to too under until up very was we were what when where which while who whom
why will with would you your yours yes please sorry thanks thank hi hello dear happy glad help great sure
fernhill goods shop store us i'm we're you're it's there's that's don't doesn't can't won't isn't aren't
cannot never per via etc still really actually even already ever quite""".split()
)
# One meaning, several shop words: compared as the first of each group.
SYNONYMS = [
    (
        "ship",
        "deliver",
        "delivery",
        "send",
        "dispatch",
        "post",
        "postage",
        "shipping",
        "shipment",
        "shipped",
    ),
    ("parcel", "package", "packet"),
    ("cost", "price", "fee", "charge", "pay", "costs", "priced"),
    ("refund", "reimburse", "reimbursement", "repay"),
    ("return", "returnable", "returned"),
    ("day", "days"),
    ("phone", "call", "telephone", "ring"),
    ("email", "e-mail", "mail", "write"),
    ("buy", "order", "purchase", "place"),
    ("item", "product", "article", "goods"),
    ("cancel", "cancellation"),
    ("exchange", "swap"),
    ("free", "complimentary"),
    ("get", "receive", "arrive", "arrival"),
    ("open", "opening"),
    ("waterproof", "watertight"),
]
_CANON = {word: group[0] for group in SYNONYMS for word in group}

# Negation: the claim says something is not so.
NEGATION = re.compile(
    r"\b(?:out of stock|sold out|not|no|never|none|nothing|nobody|neither|nor|cannot|without|unfortunately|unable|"
    r"unavailable|impossible|isn't|aren't|wasn't|weren't|don't|doesn't|didn't|can't|"
    r"won't|wouldn't|couldn't|shouldn't|haven't|hasn't|mustn't)\b|\bnon-\w+|n't\b",
    re.I,
)
# Phrases with a negation word that say nothing negative ("at no extra cost" is "free").
NOT_NEGATION = re.compile(
    r"\bno (?:extra |additional |hidden )?(?:cost|charge|fee)s?\b|\bno later than\b|"
    r"\bno more than\b|\bno less than\b|\bno matter\b|\bno problem\b|\bno worries\b|"
    r"\bnot only\b|\bif not\b|\bnot sure\b|\bnothing else\b|\bdon't hesitate\b|"
    r"\bdo not hesitate\b|\bnot to worry\b|\bdon't worry\b|\bdo not worry\b|"
    r"\bno need to worry\b",
    re.I,
)
# Words that widen a statement: they must be in the supporting sentence too.
GROWTH = {
    "always": "always",
    "every": "all",
    "everything": "all",
    "everywhere": "everywhere",
    "all": "all",
    "anywhere": "everywhere",
    "anytime": "any time",
    "unlimited": "unlimited",
    "as many": "as many",
    "as often": "as many",
    "multiple": "multiple",
    "both": "both",
    "combine": "combine",
    "combined": "combine",
    "stack": "combine",
    "guaranteed": "guarantee",
    "guarantee": "guarantee",
    "definitely": "definitely",
    "certainly": "definitely",
    "immediately": "immediately",
    "right away": "immediately",
    "instantly": "immediately",
    "straight away": "immediately",
    "same day": "same day",
    "24/7": "24/7",
    "whenever": "whenever",
    "no matter": "whenever",
    "any time": "any time",
    "fully": "fully",
    "completely": "fully",
    "totally": "fully",
    "entirely": "fully",
    "any": "any",
    "worldwide": "everywhere",
    "at once": "immediately",
}
# "every $1", "every Thursday", "each order": a rate or a repetition, no widening.
RATE = re.compile(
    r"\b(?:every|each)\s+(?=[\d€$£]|(?:other\s+)?(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|day|week|month|year|hour|morning|evening|time|order|purchase)\b)",
    re.I,
)
GROWTH_PATTERN = re.compile(
    r"(?<![\w-])("
    + "|".join(sorted(map(re.escape, GROWTH), key=len, reverse=True))
    + r")(?![\w-])",
    re.I,
)
# Words that narrow a statement, by what they narrow: a claim resting on a sentence with one must
# keep one of the same group ("we will match" is not "we may match").
HEDGE_GROUPS = {
    "may": (
        "may",
        "might",
        "could",
        "possibly",
        "not guaranteed",
        "can't guarantee",
        "cannot guarantee",
    ),
    "usually": (
        "usually",
        "typically",
        "generally",
        "normally",
        "often",
        "mostly",
        "in most cases",
        "most",
    ),
    "some": ("some", "select", "selected", "certain", "not all", "most", "many", "only"),
    "up to": ("up to", "at most", "a maximum", "maximum"),
    "condition": (
        "if",
        "only if",
        "unless",
        "once",
        "provided",
        "as long as",
        "subject to",
        "before",
        "when",
        "as soon as",
        "only when",
    ),
}
# Conditions narrow a claim only when they bear on two of its words (a claim may leave out the
# "if" of another part of the sentence).
CONDITION_SHARED = 2
_HEDGE = {word: group for group, words in HEDGE_GROUPS.items() for word in words}
HEDGE_PATTERN = re.compile(
    r"(?<![\w-])("
    + "|".join(sorted(map(re.escape, _HEDGE), key=len, reverse=True))
    + r")(?![\w-])",
    re.I,
)


FREE_FROM = re.compile(
    r"\bfree\b[^.;]{0,30}?\b(?:from|over|above|of|for orders (?:of|from|over))\s*[€$£]?\s*\d", re.I
)


def hedges(text: str, about: frozenset[str] | None = None, shared: int = 1) -> set[str]:
    """The groups of the narrowing words of ``text``; with ``about``, only those narrowing at
    least ``shared`` of these stems (within the five words after the hedge: "usually within 4
    hours" narrows "hour")."""
    found = set()
    for match in HEDGE_PATTERN.finditer(text):
        group = _HEDGE[match.group(1).lower()]
        if about is not None:
            after = " ".join(text[match.end() :].split()[:5])
            needed = max(shared, CONDITION_SHARED if group == "condition" else 1)
            if len(content_stems(after) & about) < needed:
                continue
        found.add(group)
    return found


# Words that promise something: they must come from the supporting sentence itself.
PROMISES = re.compile(
    r"\b(?:free|refund\w*|discount\w*|voucher\w*|coupon\w*|compensat\w*|complimentary|"
    r"replacement|replace|waive\w*|gift card|store credit|cashback|reimburs\w*|"
    r"price match\w*|saturdays?|sundays?|weekends?|24/7|exchange\w*)\b",
    re.I,
)
# A clause that restricts the rest of its sentence ("…, and only if the product is unopened").
RESTRICTION = re.compile(
    r"^\W*(?:(?:and|but)\s+only|only if|only when|unless|provided|as long as|except)\b", re.I
)
# What a product is made of or can do: a claimed one must be in its passage.
PROPERTIES = re.compile(
    r"\b(?:waterproof|water-resistant|water-repellent|splash[- ]?(?:proof|resistant)|windproof|"
    r"breathable|vegan|cruelty-free|organic|recycled|leather|full-grain|nubuck|suede|cashmere|"
    r"merino|wool|cotton|linen|silk|polyester|nylon|bamboo|stainless|aluminium|aluminum|titanium|"
    r"ceramic|hypoallergenic|fragrance-free|gluten-free|dishwasher[- ]safe|microwave[- ]safe|"
    r"oven[- ]safe|machine[- ]washable|paperback|hardback|hardcover|wireless|bluetooth|"
    r"noise[- ]cancell\w*|rechargeable|handmade|insulated|foldable|sensitive skin)\b",
    re.I,
)
# Where the shop is reached or things are done: invented ones are the reply's own.
PLACES = re.compile(
    r"\b(?:section|tab|menu|button|portal|app|hotline|live chat|whatsapp|instagram|"
    r"facebook|twitter|telegram|sms|text message|showroom|branch|counter|kiosk|pick-up point|"
    r"helpdesk|forum)\b",
    re.I,
)


@dataclass(frozen=True)
class Piece:
    """A sentence, clause or table cell of a passage that can support a claim.

    Attributes:
        text: The piece as written (a table cell with its row key and column heading).
        context: The passage's title line, which the piece is about.
        passage: Which passage (0-based) it comes from.
        position: Its place in the passage (neighbours differ by one).
    """

    text: str
    context: str
    passage: int
    position: int
    row: bool = False  # a table row or cell: never joined with its neighbours
    clause: bool = False  # a clause of a longer sentence (the sentence is a piece too)


def stem(word: str) -> str:
    """A crude stem ("deliveries" → "deliv") after mapping shop synonyms to one word."""
    word = word.lower().strip("'-")
    word = _CANON.get(word, word)
    for suffix in ("ies", "ing", "ed", "es", "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    word = _CANON.get(word, word)
    return word[:6]


def _country(match: re.Match[str]) -> str:
    return ALIAS_OF[match.group(0).lower()].replace(" ", "")


_CODE = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(sorted((re.escape(c.upper()) for c in CODES), key=len, reverse=True))
    + r")(?![\w])"
)
_COUNTRY = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(sorted((re.escape(a) for a in ALIAS_OF if a not in CODES), key=len, reverse=True))
    + r")(?![\w-])",
    re.I,
)


@lru_cache(maxsize=4096)
def content_stems(text: str) -> frozenset[str]:
    """The stems of the words of ``text`` that carry meaning (a country in any spelling as one word)."""
    text = _COUNTRY.sub(_country, _CODE.sub(_country, text)).lower()
    return frozenset(
        stem(w)
        for w in WORD.findall(text)
        if w not in STOPWORDS and len(w) > 1 and not w[0].isdigit()
    )  # numbers are facts


def negated(text: str) -> bool:
    """True when ``text`` says something is not so."""
    return NEGATION.search(NOT_NEGATION.sub(" ", text)) is not None


_SCOPE_END = re.compile(
    r"[,;:!?]|\.(?=\s+(?-i:[A-Z])|\s*$)|\s[–—-]\s|\b(?:but|so|because|unless|if|while|although|though|as)\b",
    re.I,
)


def negated_stems(text: str) -> frozenset[str]:
    """The stems a negation in ``text`` applies to: the words after each "not", "no", "never" …
    up to the end of the phrase, and the word of a "non-…" compound."""
    text = NOT_NEGATION.sub(" ", text)
    found: set[str] = set()
    for match in NEGATION.finditer(text):
        cue = match.group(0)
        if cue.lower().startswith("non-"):
            found |= content_stems(cue[4:])
            continue
        if cue.lower() in ("out of stock", "sold out"):
            found |= content_stems("stock available")
        if cue.lower() in ("unavailable", "unable", "impossible"):
            found |= content_stems(
                cue.lower()
                .replace("unavailable", "available")
                .replace("unable", "able")
                .replace("impossible", "possible")
            )
        end = _SCOPE_END.search(text, match.end())
        found |= content_stems(
            " ".join(text[match.end() : end.start() if end else len(text)].split()[:6])
        )
    return frozenset(found)


def growth_words(text: str) -> set[str]:
    """The widening words of ``text``, each as its group's name."""
    text = RATE.sub(" ", text)
    found = {
        GROWTH[m.group(1).lower()]
        for m in GROWTH_PATTERN.finditer(text)
        if not re.search(r"\bnot\s+(?:\w+\s+)?$", text[: m.start()], re.I)
    }  # "not everywhere"
    if "any" in found and re.search(
        r"\b(?:if|whether|do|does|are|is|have|has)\s+(?:you\s+)?(?:\w+\s+)?any\b|"
        r"\bany\s+(?:questions?|other|more|further|help|problems?)\b",
        text,
        re.I,
    ):
        found.discard("any")  # "if you have any questions": no widening
    return found


def split_sentences(text: str) -> list[str]:
    """``text`` cut into sentences and lines."""
    text = LIST_MARKER.sub("", text)
    return [s.strip() for s in SENTENCE_END.split(text) if s and s.strip()]


def split_clauses(sentence: str) -> list[str]:
    """A sentence cut into its coordinated clauses."""
    parts = [p.strip(" ,;") for p in CLAUSE_BREAK.split(sentence)]
    return [p for p in parts if p and WORD.search(p.lower())]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def passage_pieces(passages: list[str]) -> list[Piece]:
    """Every passage cut into pieces: sentences and their clauses, table rows and cells."""
    pieces: list[Piece] = []
    for index, passage in enumerate(passages):
        lines = [line for line in passage.splitlines() if line.strip()]
        if not lines:
            continue
        context = lines[0] if len(lines) > 1 and not lines[0].lstrip().startswith("|") else ""
        position = 0
        header: list[str] | None = None
        body = lines[1:] if context else lines  # the title is every piece's context
        for number, line in enumerate(body):
            if TABLE_RULE.match(line):
                continue
            if line.lstrip().startswith("|"):
                cells = _cells(line)
                if (
                    header is None
                ):  # the heading row (a table without one: its first row, a piece too)
                    header = cells
                    following = body[number + 1] if number + 1 < len(body) else ""
                    if not TABLE_RULE.match(following):
                        pieces.append(Piece(" ".join(cells), context, index, position, row=True))
                        position += 1
                    continue
                row = "; ".join(
                    f"{h}: {c}" if h else c for h, c in zip(header, cells, strict=False)
                )
                pieces.append(Piece(row, context, index, position, row=True))
                for heading, cell in zip(header[1:], cells[1:], strict=False):
                    pieces.append(
                        Piece(
                            f"{cells[0]} · {heading}: {cell}",
                            context,
                            index,
                            position,
                            row=True,
                            clause=True,
                        )
                    )
                position += 1
                continue
            header = None
            for sentence in split_sentences(line):
                pieces.append(Piece(sentence, context, index, position))
                clauses = split_clauses(sentence)
                if len(clauses) > 1:
                    pieces.extend(
                        Piece(clause, context, index, position, clause=True) for clause in clauses
                    )
                position += 1
    return pieces


@dataclass
class Claim:
    """One statement of a reply.

    Attributes:
        text: The clause.
        sentence: The whole sentence it is part of (its words help find what it is about).
        verdict: "yes" or "no" when the sentence opened with one, else "".
    """

    text: str
    sentence: str
    verdict: str = ""
    implied: bool = False  # built from the question and a bare "Yes."/"No."
    facts: list[Fact] = field(default_factory=list)


OPENING = re.compile(
    r"^\W*(yes|no|yep|nope|sure|of course|unfortunately not|sadly not|not really)\b[\s,.!:;—-]*",
    re.I,
)
PLEASANTRY = re.compile(
    r"^\W*(?:thanks?|thank you|you're welcome|i'm (?:so |very |really )?sorry|sorry|"
    r"i understand|i can (?:see|imagine|understand)|happy to help|glad to help|"
    r"(?:is there )?anything else|let me know|feel free|i hope|hope this helps|"
    r"great question|good question|have a (?:nice|great|good)|i'd be happy|"
    r"that (?:sounds|must be)|i apologi[sz]e|we apologi[sz]e)\b",
    re.I,
)


def reply_claims(reply: str) -> list[Claim]:
    """The claims of a reply: its sentences cut at clause joints, questions and pleasantries left
    out; the opening "Yes"/"No" kept as the first sentence's verdict."""
    claims: list[Claim] = []
    for number, sentence in enumerate(split_sentences(reply)):
        verdict = ""
        if number == 0:
            opening = OPENING.match(sentence)
            if opening:
                word = opening.group(1).lower()
                verdict = "yes" if word in ("yes", "yep", "sure", "of course") else "no"
                sentence = sentence[opening.end() :].strip()
        if sentence.rstrip().endswith("?") or (
            PLEASANTRY.match(sentence) and not re.search(r"\d", sentence)
        ):
            if verdict:
                claims.append(Claim("", "", verdict))
            continue
        clauses = split_clauses(sentence) or ([sentence] if sentence else [])
        if not clauses and verdict:
            claims.append(Claim("", "", verdict))
        for index, clause in enumerate(clauses):
            claims.append(Claim(clause, sentence, verdict if index == 0 else ""))
    return claims
