"""Scores of the NLU benchmark (``benchmarks/nlu.py``): accuracy, macro F1, in-scope accuracy and
out-of-scope recall, percentiles, and the fallback threshold sweep."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

FALLBACK_INTENT = "nlu_fallback"
OOS_LABEL = "oos"
SWEEP_THRESHOLDS = [0.0, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]
SWEEP_AMBIGUITY = [0.0, 0.05, 0.1, 0.15, 0.2]


def macro_f1(y_true: Sequence[str], y_pred: Sequence[str]) -> float:
    labels = sorted(set(y_true))
    scores = []
    for label in labels:
        tp = sum(1 for t, p in zip(y_true, y_pred) if t == label and p == label)
        fp = sum(1 for t, p in zip(y_true, y_pred) if t != label and p == label)
        fn = sum(1 for t, p in zip(y_true, y_pred) if t == label and p != label)
        denom = 2 * tp + fp + fn
        scores.append(2 * tp / denom if denom else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def score(
    preds: Sequence[dict[str, Any]], has_oos: bool, fallback: tuple[float, float] | None
) -> dict[str, Any]:
    """Metrics of predictions; ``fallback`` None: as parsed, else simulated (thr, amb)."""
    y_true, y_pred = [], []
    for p in preds:
        if fallback is None:
            label = p["intent"]
        else:
            thr, amb = fallback
            fell = p["conf1"] < thr or (p["conf2"] is not None and p["conf1"] - p["conf2"] < amb)
            label = FALLBACK_INTENT if fell else p["top1"]
        if has_oos and label == FALLBACK_INTENT:
            label = OOS_LABEL
        y_true.append(p["label"])
        y_pred.append(label)
    n = len(y_true)
    out: dict[str, Any] = {
        "accuracy": sum(t == p for t, p in zip(y_true, y_pred)) / n if n else float("nan"),
        "macro_f1": macro_f1(y_true, y_pred),
    }
    if fallback is None:
        out["fallback_rate"] = sum(p["intent"] == FALLBACK_INTENT for p in preds) / max(n, 1)
        out["top1_accuracy"] = sum(p["top1"] == p["label"] for p in preds) / max(n, 1)
    if has_oos:
        ins = [(t, p) for t, p in zip(y_true, y_pred) if t != OOS_LABEL]
        oos = [(t, p) for t, p in zip(y_true, y_pred) if t == OOS_LABEL]
        out["in_scope_accuracy"] = sum(t == p for t, p in ins) / len(ins) if ins else float("nan")
        out["oos_recall"] = sum(p == OOS_LABEL for _, p in oos) / len(oos) if oos else float("nan")
    else:
        out["in_scope_accuracy"] = out["accuracy"]
        out["in_scope_fallback_rate"] = sum(p == FALLBACK_INTENT for p in y_pred) / max(n, 1)
    return out


def sweep(preds: Sequence[dict[str, Any]], has_oos: bool) -> list[dict[str, Any]]:
    rows = []
    for thr in SWEEP_THRESHOLDS:
        for amb in SWEEP_AMBIGUITY:
            m = score(preds, has_oos, (thr, amb))
            rows.append({"threshold": thr, "ambiguity_threshold": amb, **m})
    return rows
