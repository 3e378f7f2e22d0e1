"""Hot reload: queries during a swap are served by the old or the new index, never fail."""

from __future__ import annotations

import threading

import pytest

from bot.knowledge.build import BuildOptions, build_index
from bot.knowledge.embedder import PACKAGED_MODEL, get_embedder
from bot.knowledge.errors import IndexNotFoundError
from bot.knowledge.holder import Holder
from bot.knowledge.retrieve import HybridRetriever
from bot.knowledge.store import load_index

pytestmark = pytest.mark.integration


def test_swapping_under_concurrent_queries_never_fails(workspace):
    sources, index = workspace
    embedder = get_embedder(PACKAGED_MODEL)
    holder = Holder(lambda: HybridRetriever(load_index(index, PACKAGED_MODEL), embedder))
    old_answer = holder.get().retrieve("what does shipping cost in the netherlands")[0].passage.text
    assert "€3.95" in old_answer

    seen: set[str] = set()
    errors: list[BaseException] = []
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            try:
                results = holder.get().retrieve("what does shipping cost in the netherlands")
                seen.add(results[0].passage.text)
            except BaseException as error:  # noqa: BLE001 - any failure fails the test
                errors.append(error)

    askers = [threading.Thread(target=ask) for _ in range(3)]
    for thread in askers:
        thread.start()
    try:
        faq = sources / "faq.csv"
        for price in ("€4.95", "€5.95"):
            faq.write_text(
                faq.read_text().replace("€3.95", price).replace("€4.95", price), encoding="utf-8"
            )
            build_index([sources], index, BuildOptions(model=PACKAGED_MODEL))  # atomic folder swap
            holder.reload()
    finally:
        stop.set()
        for thread in askers:
            thread.join()
    assert errors == []
    assert holder.generation == 3
    assert (
        "€5.95"
        in holder.get().retrieve("what does shipping cost in the netherlands")[0].passage.text
    )
    assert seen <= {
        old_answer,
        old_answer.replace("€3.95", "€4.95"),
        old_answer.replace("€3.95", "€5.95"),
    }


def test_a_failed_reload_keeps_the_old_index(workspace, tmp_path):
    _, index = workspace
    target = {"folder": index}
    embedder = get_embedder(PACKAGED_MODEL)
    holder = Holder(lambda: HybridRetriever(load_index(target["folder"], PACKAGED_MODEL), embedder))
    before = holder.get()
    target["folder"] = tmp_path / "missing"
    with pytest.raises(IndexNotFoundError):
        holder.reload()
    assert holder.get() is before and holder.status()["last_error"]
