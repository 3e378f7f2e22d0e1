"""Other people's off-topic questions: a seeded sample of CLINC150 as a no-answer check.

CLINC150 (Larson et al. 2019, CC BY 3.0) holds queries written for a general assistant: 1,000
``oos_test`` queries outside its 150 intents, and test queries of those intents (banking, travel,
cars, small talk…). None of them is about this shop, so every one should be turned away; the
share that is measures the no-answer threshold on wording the shop never saw. The data is read
from where it lies (``../shared/datasets/clinc150/data_full.json`` next to the repository) and is
never copied into the repository.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from bot.knowledge.evaluate import LabelledQuestion

DEFAULT_CLINC = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "datasets"
    / "clinc150"
    / "data_full.json"
)

# CLINC intents a shop's knowledge base may rightly answer (a declined card, an order's status,
# a locked account, languages, foreign-card fees, rewards); left out of the sample.
SHOP_LIKE_INTENTS = frozenset(
    {
        "card_declined",
        "order_status",
        "order",
        "cancel",
        "account_blocked",
        "change_language",
        "international_fees",
        "redeem_rewards",
        "rewards_balance",
    }
)


def clinc_sample(path: Path = DEFAULT_CLINC, n: int = 300, seed: int = 0) -> list[LabelledQuestion]:
    """``n`` unanswerable questions: half from ``oos_test``, half from the in-scope ``test`` queries
    of intents that are not shop-like, drawn with ``seed``.

    Raises:
        FileNotFoundError: The file is missing.
        ValueError: The file is not CLINC150's ``data_full.json``.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "oos_test" not in data or "test" not in data:
        raise ValueError(f"{path}: expected CLINC150's data_full.json (keys oos_test, test)")
    rng = random.Random(seed)
    oos = [text for text, _ in data["oos_test"]]
    other = [text for text, label in data["test"] if label not in SHOP_LIKE_INTENTS]
    picked = [("clinc_oos", text) for text in rng.sample(oos, min(len(oos), n // 2))]
    picked += [
        ("clinc_intent", text) for text in rng.sample(other, min(len(other), n - len(picked)))
    ]
    return [
        LabelledQuestion(text, (), number, style, "test")
        for number, (style, text) in enumerate(picked, 1)
    ]
