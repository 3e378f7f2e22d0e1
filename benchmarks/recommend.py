"""Recommendation benchmark: labelled requests replayed through Rasa's REST channel.

Requests: ``evaluation/recommendations.jsonl``, one a line: ``{"id", "split", "turns": [text,
…], "possible", "constraints", "acceptable": [sku, …]}``. ``constraints`` are hand labels of the
last turn (everything the conversation asked for so far): ``subcategories`` (the product is of
one), ``tags_any`` (it has one of these tags), ``max_price``/``min_price``, ``features`` (words
its catalogue entry states; ``a|b``: either), ``colour`` (words of which one is in its colour), ``size`` (among the sizes
its variants have in stock), ``kids`` (a children's product), ``excluded`` (words it must not state),
``cheaper_than_first`` (cheaper than the first product shown in the first turn) and ``compare``
(the last turn asks to compare: its reply must name both of the first two products shown before,
with their prices). Stock is always a constraint. ``acceptable`` lists the products that meet the
labels (empty for a request nothing in the shop can meet, ``possible: false``).

The labels are checked here from the catalogue alone, never with the assistant's own filters.
Figures per split (tune on ``dev``, report ``test``):

- ``all_shown_meet_constraints``: share of answered requests where every product suggested (the
  ``products`` card of a reply that does not say nothing fits) meets every hard constraint;
- ``acceptable_in_top3``: share of possible requests with an acceptable product among those shown;
- ``honest_nothing_fits``: share of impossible requests answered with "nothing fits" (and no
  product suggested as fitting);
- ``comparisons_right``; latency of each turn, median and p95.

    PYTHONPATH=. .venv/bin/python benchmarks/recommend.py [--rasa-url URL] [--details FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.rasa_stack import rasa_url
from bot.commerce.catalogue import Catalogue, CatalogueProduct, load_catalogue
from bot.commerce.variants import product_variants
from bot.messages import read_card

ROOT = Path(__file__).resolve().parents[1]
NOTHING_FITS = re.compile(r"\bnothing\b.*\bfits\b|that's everything i have", re.I | re.S)


def catalogue_text(product: CatalogueProduct) -> str:
    """Name, tags, attributes and description, lower case."""
    values = [
        " ".join(map(str, v)) if isinstance(v, list) else str(v)
        for v in product.attributes.values()
    ]
    return " ".join([product.name, *product.tags, *values, product.description]).lower()


def size_offered(sizes: list[str], size: str) -> bool:
    """``size`` is one of ``sizes`` or inside one of their ranges ("42" in "42-43")."""
    for offered in (s.upper() for s in sizes):
        if offered == size.upper() or size.upper() in offered.split(" ")[0].split("/"):
            return True
        bounds = re.findall(r"\d+", offered)
        if size.isdigit() and "-" in offered and len(bounds) == 2 and "MM" not in offered:
            if int(bounds[0]) <= int(size) <= int(bounds[1]):
                return True
    return False


def sizes_for_sale(product: CatalogueProduct) -> list[str]:
    """Sizes with stock: the shop's variants (clothing, shoes), else the listed sizes."""
    variants = product_variants(product)
    if variants:
        return [v.size for v in variants if v.stock > 0]
    return [str(s) for s in product.attributes.get("sizes") or []]


def broken(
    product: CatalogueProduct, labels: dict[str, Any], ceiling: Decimal | None = None
) -> list[str]:
    """The labelled constraints ``product`` breaks (empty: it meets them all)."""
    out: list[str] = []
    text = catalogue_text(product)
    if product.stock <= 0:
        out.append("stock")
    if "subcategories" in labels and product.subcategory not in labels["subcategories"]:
        out.append("kind")
    if "tags_any" in labels and not set(labels["tags_any"]) & set(product.tags):
        out.append("kind")
    highest = Decimal(str(labels["max_price"])) if "max_price" in labels else None
    if ceiling is not None:
        highest = ceiling if highest is None else min(highest, ceiling)
    if highest is not None and product.price > highest:
        out.append("budget")
    if "min_price" in labels and product.price < Decimal(str(labels["min_price"])):
        out.append("budget")
    out += [
        f"feature:{w}"
        for w in labels.get("features", [])
        if not any(word in text for word in w.split("|"))  # "wireless|bluetooth": either
    ]
    colour = str(product.attributes.get("colour") or "").lower()
    if "colour" in labels and not any(w in colour for w in labels["colour"]):
        out.append("colour")
    if "size" in labels and not size_offered(sizes_for_sale(product), labels["size"]):
        out.append("size")
    if labels.get("kids") and "kids" not in product.tags:
        out.append("kids")
    out += [f"excluded:{w}" for w in labels.get("excluded", []) if w in text]
    return out


def read_requests(path: Path) -> list[dict[str, Any]]:
    """The labelled requests (each line checked for its keys)."""
    requests = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    for number, item in enumerate(requests, 1):
        missing = {"id", "split", "turns", "possible", "constraints", "acceptable"} - set(item)
        if missing or item["split"] not in ("dev", "test"):
            raise ValueError(f"{path}:{number}: missing {sorted(missing)} or a bad split")
    return requests


def shown_skus(messages: list[dict[str, Any]]) -> list[str]:
    """SKUs of the ``products`` cards among the bot's messages, in order."""
    skus: list[str] = []
    for message in messages:
        card = read_card(message)
        if card is not None and card["type"] == "products":
            skus += [p["sku"] for p in card["products"]]
    return skus


def replay(url: str, items: list[dict[str, Any]], catalogue: Catalogue) -> list[dict[str, Any]]:
    """Every request through Rasa's REST channel, each as a new shopper; one record each."""
    import requests

    records = []
    for item in items:
        sender = f"rec-{uuid.uuid4().hex[:10]}"
        latencies, turns = [], []
        for text in item["turns"]:
            started = time.perf_counter()
            response = requests.post(
                f"{url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text},
                timeout=120,
            )
            latencies.append(time.perf_counter() - started)
            turns.append(response.json() if response.ok else [])
        records.append(score(item, turns, latencies, catalogue))
    return records


def score(
    item: dict[str, Any],
    turns: list[list[dict[str, Any]]],
    latencies: list[float],
    catalogue: Catalogue,
) -> dict[str, Any]:
    """The record of one replayed request."""
    labels = item["constraints"]
    last = turns[-1]
    reply = "\n".join(m.get("text") or "" for m in last)
    said_nothing = bool(NOTHING_FITS.search(reply))
    shown = [] if said_nothing else shown_skus(last)
    ceiling = None
    first = shown_skus(turns[0])
    if labels.get("cheaper_than_first") and first and (top := catalogue.get(first[0])):
        ceiling = top.price - Decimal("0.01")
    record: dict[str, Any] = {
        "id": item["id"], "split": item["split"], "possible": item["possible"],
        "turns": item["turns"], "reply": reply, "shown": shown,
        "latencies": [round(s, 3) for s in latencies],
    }  # fmt: skip
    if labels.get("compare"):
        before = shown_skus(turns[-2])[:2]
        products = [catalogue.get(s) for s in before]
        record["compare_right"] = len(before) == 2 and all(
            p is not None and p.name in reply and f"€{p.price:.2f}" in reply for p in products
        )
        return record
    breaks = {s: broken(p, labels, ceiling) for s in shown if (p := catalogue.get(s))}
    record["broken"] = {s: b for s, b in breaks.items() if b}
    record["nothing_fits"] = said_nothing
    acceptable = set(item["acceptable"])
    record["acceptable_shown"] = any(s in acceptable and not breaks.get(s) for s in shown[:3])
    return record


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0
    )


def figures(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The figures per split (and ``all``)."""
    out: dict[str, dict[str, Any]] = {}
    for split in ("dev", "test", "all"):
        keep = [r for r in records if split in ("all", r["split"])]
        searches = [r for r in keep if "compare_right" not in r]
        answered = [r for r in searches if r["shown"]]
        possible = [r for r in searches if r["possible"]]
        impossible = [r for r in searches if not r["possible"]]
        compares = [r for r in keep if "compare_right" in r]
        latencies = [s for r in keep for s in r["latencies"]]
        out[split] = {
            "requests": len(keep),
            "answered_with_products": len(answered),
            "all_shown_meet_constraints": round(
                sum(not r["broken"] for r in answered) / max(len(answered), 1), 3
            ),
            "possible": len(possible),
            "acceptable_in_top3": round(
                sum(r["acceptable_shown"] for r in possible) / max(len(possible), 1), 3
            ),
            "impossible": len(impossible),
            "honest_nothing_fits": round(
                sum(r["nothing_fits"] and not r["shown"] for r in impossible)
                / max(len(impossible), 1),
                3,
            ),
            "comparisons": len(compares),
            "comparisons_right": round(
                sum(r["compare_right"] for r in compares) / max(len(compares), 1), 3
            ),
            "latency_p50_s": round(statistics.median(latencies), 3) if latencies else 0.0,
            "latency_p95_s": round(_percentile(latencies, 0.95), 3),
        }
    return out


def main(argv: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Replays the requests, prints the figures as JSON and returns them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--requests", type=Path, default=ROOT / "evaluation" / "recommendations.jsonl"
    )
    parser.add_argument("--rasa-url", default=None, help="Talk to this running Rasa server.")
    parser.add_argument("--details", type=Path, default=None, help="Write every record here.")
    args = parser.parse_args(argv)
    items = read_requests(args.requests)
    catalogue = load_catalogue()
    with rasa_url(args.rasa_url, "recommend-bench-") as url:
        records = replay(url, items, catalogue)
    if args.details:
        args.details.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = figures(records)
    print(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main()
