"""Hot reload: a process-wide holder whose retriever is swapped for a rebuilt one.

The new retriever is loaded completely before the swap; the swap itself is one reference
assignment under a lock. A query takes the reference once and uses that retriever to the
end, so a query during a reload is served by the old or the new index, never by neither.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class ReloadResult:
    """What a reload did."""

    reloaded: bool
    seconds: float
    generation: int
    info: dict[str, Any]


class Holder(Generic[T]):
    """Holds one loaded object (a retriever), loads it lazily and swaps it on reload.

    Args:
        loader: Builds a fresh, fully loaded object; it may raise, and then nothing changes.
        describe: Facts about a loaded object for the status (index folder, passages…).
    """

    def __init__(
        self, loader: Callable[[], T], describe: Callable[[T], dict[str, Any]] | None = None
    ) -> None:
        self._loader = loader
        self._describe = describe or (lambda _: {})
        self._current: T | None = None
        self._swap_lock = threading.Lock()
        self._reload_lock = threading.Lock()  # one load at a time; queries never wait on it
        self.generation = 0
        self.loaded_at: str | None = None
        self.last_error: str | None = None
        self.last_failure: Exception | None = None  # why the latest load failed, if it did

    def get(self) -> T:
        """The current object, loaded on first use; while loading fails, each call tries again
        (and raises the loader's error, remembered for :meth:`status`)."""
        current = self._current
        if current is not None:
            return current
        with self._reload_lock:
            if self._current is None:
                self._install(self._load())
        assert self._current is not None
        return self._current

    def _load(self) -> T:
        try:
            return self._loader()
        except Exception as error:
            self.last_error, self.last_failure = str(error), error
            raise

    def _install(self, fresh: T) -> None:
        with self._swap_lock:
            self._current = fresh
            self.generation += 1
            self.loaded_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
            self.last_error, self.last_failure = None, None

    def reload(self) -> ReloadResult:
        """Loads a fresh object and swaps it in; on failure the old one stays and this raises."""
        started = time.perf_counter()
        with self._reload_lock:
            fresh = self._load()
            self._install(fresh)
        return ReloadResult(
            True, time.perf_counter() - started, self.generation, self._describe(fresh)
        )

    def status(self) -> dict[str, Any]:
        """Whether something is loaded, since when, and what."""
        current = self._current
        return {
            "loaded": current is not None,
            "generation": self.generation,
            "loaded_at": self.loaded_at,
            "last_error": self.last_error,
            **(self._describe(current) if current is not None else {}),
        }
