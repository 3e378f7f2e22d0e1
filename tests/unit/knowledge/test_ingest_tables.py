"""Ingestion of FAQ files and product catalogues (CSV, JSON, JSONL), and of broken files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.knowledge.errors import IngestError
from bot.knowledge.ingest import discover_sources, ingest

pytestmark = pytest.mark.unit


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def passages_of(path: Path):
    return ingest(discover_sources([path]))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("faq.csv", 'id,question,answer\nship-1,Do you ship to Spain?,"Yes, in 3–6 days."\n'),
        ("faq.csv", "Question;Answer;ID\nDo you ship to Spain?;Yes, in 3–6 days.;ship-1\n"),
        ("faq.tsv", "q\ta\tid\nDo you ship to Spain?\tYes, in 3–6 days.\tship-1\n"),
        (
            "faq.json",
            json.dumps([{"id": "ship-1", "q": "Do you ship to Spain?", "a": "Yes, in 3–6 days."}]),
        ),
        (
            "faq.json",
            json.dumps(
                {
                    "faqs": [
                        {
                            "ID": "ship-1",
                            "Question": "Do you ship to Spain?",
                            "Answer": "Yes, in 3–6 days.",
                        }
                    ]
                }
            ),
        ),
        (
            "faq.jsonl",
            '{"id": "ship-1", "question": "Do you ship to Spain?", "answer": "Yes, in 3–6 days."}\n',
        ),
    ],
)
def test_faq_files_in_every_format_and_spelling(tmp_path, name, content):
    [passage] = passages_of(write(tmp_path, name, content))
    assert passage.id == "faq:ship-1" and "ship-1" in passage.aliases
    assert (passage.kind, passage.title, passage.question) == (
        "faq",
        "Do you ship to Spain?",
        "Do you ship to Spain?",
    )
    assert passage.text == "Yes, in 3–6 days."
    assert passage.source.endswith(name)


def test_faq_without_ids_gets_stable_ids_from_the_question(tmp_path):
    path = write(
        tmp_path,
        "faq.csv",
        "question,answer\nDo you ship to Spain?,Yes.\nCan I pay by card?,Yes.\n",
    )
    first = [p.id for p in passages_of(path)]
    write(
        tmp_path,
        "faq.csv",
        'question,answer\nCan I pay by card?,"Yes, all cards."\nDo you ship to Spain?,Yes.\n',
    )
    second = [p.id for p in passages_of(path)]
    assert sorted(first) == sorted(second) and all(i.startswith("faq:") for i in first)
    assert first[0] != first[1]


@pytest.mark.parametrize("name", ["products.json", "products.jsonl", "products.csv"])
def test_products_become_one_passage_each_with_sku_and_url(tmp_path, name):
    rows = [
        {
            "sku": "FH-BA-0001",
            "name": "Larkspur Backpack",
            "price": 89,
            "currency": "EUR",
            "stock": 0,
            "description": "A waterproof backpack.",
            "image": "x.svg",
        },
        {
            "sku": "FH-BA-0002",
            "name": "Ashby Tote",
            "price": 149.5,
            "currency": "EUR",
            "stock": 3,
            "description": "A leather tote.",
            "image": "y.svg",
        },
    ]
    if name.endswith(".jsonl"):
        text = "\n".join(json.dumps(r) for r in rows)
    elif name.endswith(".csv"):
        text = "sku,name,price,currency,stock,description,image\n" + "\n".join(
            f'{r["sku"]},{r["name"]},{r["price"]},{r["currency"]},{r["stock"]},"{r["description"]}",{r["image"]}'
            for r in rows
        )
    else:
        text = json.dumps(rows)
    first, second = passages_of(write(tmp_path, name, text))
    assert (first.id, first.sku, first.kind) == ("product:FH-BA-0001", "FH-BA-0001", "product")
    assert first.url == "https://fernhill-goods.example/products/FH-BA-0001"
    assert "Price: €89.00." in first.text and "A waterproof backpack." in first.text
    assert "x.svg" not in first.text
    assert "€149.50" in second.text and second.title == "Ashby Tote"


def test_shop_product_attributes_and_final_sale_are_rendered():
    root = Path(__file__).resolve().parents[3] / "knowledge_base" / "products.json"
    passages = {p.sku: p for p in passages_of(root)}
    backpack = passages["FH-BA-0001"]
    assert "Capacity: 22 L (expands to 26 L)." in backpack.text
    assert "Category: Bags & Accessories > Backpacks." in backpack.text
    assert any("Final sale" in p.text for p in passages.values())


@pytest.mark.parametrize(
    ("name", "content", "line", "reason"),
    [
        ("faq.csv", "id,question,answer\n1,Hello?,Hi\n2,Too,many,fields\n", 3, "expected 3 fields"),
        ("faq.csv", 'id,question,answer\n1,"Unclosed quote,Hi\n', 2, "malformed CSV"),
        ("faq.csv", "id,question,answer\n1,Hello?,\n", 2, "empty answer"),
        (
            "faq.json",
            '[\n  {"question": "Hi?", "answer": "Yes"},\n  {"question": "Oops" "answer": 1}\n]',
            3,
            "invalid JSON",
        ),
        (
            "faq.json",
            '[\n  {"question": "Hi?", "answer": "Yes"},\n  "just a string"\n]',
            3,
            "expected an object",
        ),
        (
            "faq.jsonl",
            '{"question": "Hi?", "answer": "Yes"}\n\n{"question": broken}\n',
            3,
            "invalid JSON",
        ),
        (
            "products.json",
            '[\n {"sku": "A-1", "price": 1},\n {"price": 2}\n]',
            3,
            "neither a sku nor a name",
        ),
        ("things.csv", "colour,size\nred,M\n", 2, "neither a FAQ"),
    ],
)
def test_malformed_files_name_the_file_and_line(tmp_path, name, content, line, reason):
    path = write(tmp_path, name, content)
    with pytest.raises(IngestError) as caught:
        passages_of(path)
    error = caught.value
    assert error.path == path and error.line == line
    assert reason in str(error) and f"{path}, line {line}" in str(error)


def test_non_utf8_is_reported_with_its_line_not_mangled(tmp_path):
    path = write(tmp_path, "faq.csv", "id,question,answer\n1,Caf\xe9 open?,Yes\n".encode("latin-1"))
    with pytest.raises(IngestError, match=r"line 2: not valid UTF-8 \(byte 0xe9"):
        passages_of(path)
    path = write(tmp_path, "notes.md", b"# Notes\n\nok\n\n\xff\xfe broken")
    with pytest.raises(IngestError, match="notes.md, line 5: not valid UTF-8"):
        passages_of(path)


def test_a_utf8_bom_is_accepted(tmp_path):
    [passage] = passages_of(
        write(tmp_path, "faq.csv", "\ufeffid,question,answer\n1,Café open?,Oui\n".encode())
    )
    assert passage.title == "Café open?"


def test_duplicate_ids_across_files_are_an_error(tmp_path):
    write(tmp_path, "a.csv", "id,question,answer\n7,One?,Yes\n")
    write(tmp_path, "b.jsonl", '{"id": 7, "question": "Two?", "answer": "No"}\n')
    with pytest.raises(IngestError, match="passage id 'faq:7' is used twice"):
        ingest(discover_sources([tmp_path]))
