"""BM25 keyword scoring over passages (Okapi BM25 on a sparse term matrix)."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from scipy import sparse

STOPWORDS = frozenset(
    "a an and are as at be been but by can could do does did for from had has have how i if in "
    "into is it its i'm im me my of on or our so than that the their them then there these they "
    "this to too us was we were what when where which who why will with would you your yours "
    "hi hello please thanks thank get got just about any some much many".split()
)
_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _stem(word: str) -> str:
    """A light suffix stripper, so that 'returns', 'returned' and 'return' meet, and 'charges',
    'charged' and 'charge'; 'shipping' and 'ships' both give 'ship'."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "shes", "ches", "xes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    elif word.endswith(("ing", "ed")) and len(word) - (3 if word.endswith("ing") else 2) >= 3:
        word = word[: -3 if word.endswith("ing") else -2]
        if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
            word = word[:-1]  # shipp -> ship
    if len(word) >= 5 and word.endswith("e"):
        word = word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-case word stems without stop words; hyphenated words also give their parts.

    >>> tokenize("Shipping FH-BA-0001 returns")
    ['ship', 'fh-ba-0001', 'fh', 'ba', '0001', 'return']
    """
    tokens: list[str] = []
    for match in _TOKEN.findall(text.lower()):
        parts = match.split("-")
        words = [match, *parts] if len(parts) > 1 else [match]
        tokens.extend(_stem(w) for w in words if w not in STOPWORDS)
    return tokens


class BM25:
    """Okapi BM25 with a non-negative idf: ``idf = ln(1 + (N - n + 0.5) / (n + 0.5))``.

    Document weights are computed once into a sparse matrix, so a query costs one sparse
    column sum however many passages there are.

    Args:
        documents: The texts to score, in passage order.
        k1: Term-frequency saturation.
        b: Length normalisation.
    """

    def __init__(self, documents: list[str], k1: float = 1.2, b: float = 0.75) -> None:
        tokenized = [tokenize(d) for d in documents]
        self.vocabulary: dict[str, int] = {}
        rows, cols, counts = [], [], []
        for row, tokens in enumerate(tokenized):
            for term, count in Counter(tokens).items():
                rows.append(row)
                cols.append(self.vocabulary.setdefault(term, len(self.vocabulary)))
                counts.append(count)
        n_docs = len(documents)
        lengths = np.array([len(t) for t in tokenized], dtype=np.float32)
        average = float(lengths.mean()) if n_docs and lengths.mean() > 0 else 1.0
        tf = np.asarray(counts, dtype=np.float32)
        row_index = np.asarray(rows, dtype=np.int64)
        col_index = np.asarray(cols, dtype=np.int64)
        doc_freq = np.bincount(col_index, minlength=len(self.vocabulary)).astype(np.float32)
        self.idf = np.log1p((n_docs - doc_freq + 0.5) / (doc_freq + 0.5))
        norm = k1 * (1 - b + b * lengths[row_index] / average) if n_docs else tf
        weights = self.idf[col_index] * tf * (k1 + 1) / (tf + norm)
        self.matrix = sparse.csc_matrix(
            (weights, (row_index, col_index)),
            shape=(n_docs, len(self.vocabulary)),
            dtype=np.float32,
        )
        self.size = n_docs

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query`` (0 where no query term occurs)."""
        terms = [self.vocabulary[t] for t in tokenize(query) if t in self.vocabulary]
        if not terms:
            return np.zeros(self.size, dtype=np.float32)
        columns = np.asarray(terms, dtype=np.int64)
        return np.asarray(self.matrix[:, columns].sum(axis=1)).ravel()

    def max_score(self, query: str) -> float:
        """The score a document would get holding every query term once (for normalising)."""
        terms = [self.vocabulary[t] for t in set(tokenize(query)) if t in self.vocabulary]
        return float(self.idf[terms].sum()) if terms else 0.0
