"""Product copy for the shop team: a draft for some products, written by the local generator from
their catalogue data and the shop's policies only, checked claim by claim, saved with its history.

- :mod:`bot.insights.copy_sources`: the evidence (catalogue passages, policy passages);
- :mod:`bot.insights.copy_writer`: the request, the prompt, the generator or the composed draft;
- :mod:`bot.insights.copy_check`: the grounding check placed on the draft's sentences;
- :mod:`bot.insights.copy_store`: drafts and versions in the app database, and their export.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.commerce.catalogue import Catalogue, CatalogueProduct
from bot.generation.generator import Generator
from bot.insights.copy_check import CopyCheck, check_copy
from bot.insights.copy_sources import Evidence, PolicySource, product_evidence
from bot.insights.copy_store import DraftView, create_draft, draft_view, save_version
from bot.insights.copy_writer import DEFAULT_TIME_LIMIT_S, CopyInvalid, CopyRequest, write_copy

log = logging.getLogger(__name__)


class CopyModel:
    """The generator the drafts use: loaded once, in a thread of its own, on first use. A request
    waits for it at most ``wait_s`` seconds; until it is ready, drafts are composed (and say so)."""

    def __init__(
        self,
        generator: Generator | None,
        warm_up: Callable[[], None] | None = None,
        wait_s: float = 5.0,
    ) -> None:
        self.generator = generator
        self.warm_up = warm_up
        self.wait_s = wait_s
        self.error: str | None = None
        self._ready = threading.Event()
        self._started = False
        self._lock = threading.Lock()
        if warm_up is None:
            self._ready.set()

    def _load(self) -> None:
        try:
            if self.warm_up is not None:
                self.warm_up()
        except Exception as error:  # noqa: BLE001 - remembered and shown on every composed draft
            log.error("copy generator failed to load: %s", error)
            self.error = f"the generator failed to load ({type(error).__name__}: {error})"
        finally:
            self._ready.set()

    def get(self) -> tuple[Generator | None, str]:
        """The loaded generator, or None and why not."""
        if self.generator is None:
            return None, "the generator is switched off"
        with self._lock:
            if not self._started and self.warm_up is not None:
                self._started = True
                threading.Thread(target=self._load, name="copy-model", daemon=True).start()
        if not self._ready.wait(self.wait_s):
            return None, "the generator is still loading (try again in a minute)"
        if self.error:
            return None, self.error
        return self.generator, ""


@dataclass
class CopyDesk:
    """What writing a draft needs: the catalogue, the policies and the generator."""

    catalogue: Catalogue
    policies: PolicySource
    model: CopyModel
    time_limit_s: float = DEFAULT_TIME_LIMIT_S

    def products(self, skus: Sequence[str]) -> list[CatalogueProduct]:
        """The catalogue's products of ``skus``, in that order.

        Raises:
            CopyInvalid: A SKU is not in the catalogue.
        """
        found = [self.catalogue.get(sku) for sku in skus]
        missing = [sku for sku, p in zip(skus, found, strict=True) if p is None]
        if missing:
            raise CopyInvalid(f"not in the catalogue: {', '.join(missing)}")
        return [p for p in found if p is not None]

    def evidence(self, products: Sequence[CatalogueProduct]) -> list[Evidence]:
        """The products' catalogue passages, then the policy passages that bear on them."""
        return [product_evidence(p) for p in products] + self.policies.passages_for(products)

    def check(self, skus: Sequence[str], text: str) -> CopyCheck:
        """Checks ``text`` against the evidence of ``skus``.

        Raises:
            CopyInvalid: A SKU is not in the catalogue.
            ValueError: The text is empty or too long.
        """
        evidence = self.evidence(self.products(skus))
        return check_copy(text, evidence, (p.name for p in self.catalogue))

    def draft(self, session: Session, request: CopyRequest, author: str) -> DraftView:
        """Writes, checks and saves a new draft of ``request``."""
        products = self.products(request.skus)
        evidence = self.evidence(products)
        generator, why = self.model.get()
        written = write_copy(request, products, evidence, generator, self.time_limit_s, why)
        checked = check_copy(written.text, evidence, (p.name for p in self.catalogue))
        return create_draft(
            session, request, author, written.text, written.method, written.note, checked
        )

    def edit(self, session: Session, draft_id: int, text: str, author: str) -> DraftView:
        """Checks and saves ``text`` as the draft's newest version."""
        draft = draft_view(session, draft_id)
        return save_version(session, draft_id, text, author, self.check(draft.skus, text))
