"""The shopper's mood from VADER's English lexicon (loaded once per process, on first use)."""

from __future__ import annotations

import threading
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def compound(text: str) -> float:
    """VADER's compound score of ``text``: -1 (very negative) to 1 (very positive); 0 for ''."""
    if not text.strip():
        return 0.0
    with _lock:
        analyzer = _analyzer()
    return float(analyzer.polarity_scores(text)["compound"])


def mood(score: float) -> str:
    """A word for a compound score: ``negative``, ``neutral`` or ``positive``."""
    if score <= -0.05:
        return "negative"
    return "positive" if score >= 0.05 else "neutral"
