"""The words the claim check reads: stopwords, shop synonyms, negation, widening and narrowing
words, promises, product properties and places (the patterns of :mod:`bot.generation.claim_text`).
"""

from __future__ import annotations

import re

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
CANONICAL = {word: group[0] for group in SYNONYMS for word in group}

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
    "24/7": "any time",  # "24/7" and "any time" widen alike
    "round the clock": "any time",
    "whenever": "whenever",
    "no matter": "whenever",
    "any time": "any time",
    "fully": "fully",
    "completely": "fully",
    "totally": "fully",
    "entirely": "fully",
    "any": "any",
    "worldwide": "everywhere",
    "even if": "even if",  # unconditional: "returned even if you've removed the film"
    "even when": "even if",
    "even after": "even if",
    "regardless": "even if",
    "at once": "immediately",
}
# "every $1", "every Thursday", "each order", "every two weeks": a rate or a repetition, no widening.
RATE = re.compile(
    r"\b(?:every|each)\s+(?=[\d€$£]|(?:other\s+)?(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|day|week|month|year|hour|morning|evening|time|order|purchase|"
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|couple)\b)",
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
HEDGE_OF = {word: group for group, words in HEDGE_GROUPS.items() for word in words}
HEDGE_PATTERN = re.compile(
    r"(?<![\w-])("
    + "|".join(sorted(map(re.escape, HEDGE_OF), key=len, reverse=True))
    + r")(?![\w-])",
    re.I,
)


FREE_FROM = re.compile(
    r"\bfree\b[^.;]{0,30}?\b(?:from|over|above|of|for orders (?:of|from|over))\s*[€$£]?\s*\d", re.I
)

# Words that promise something: they must come from the supporting sentence itself.
PROMISES = re.compile(
    r"\b(?:free|refund\w*|discount\w*|voucher\w*|coupon\w*|compensat\w*|complimentary|"
    r"replacement|replace|waive\w*|gift card|store credit|cashback|reimburs\w*|"
    r"price match\w*|saturdays?|sundays?|weekends?|24/7|exchange\w*|includ\w*|inclusive)\b",
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
