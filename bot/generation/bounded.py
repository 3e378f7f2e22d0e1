"""Asking the model with a hard deadline: a generator that raises or hangs costs the shopper at
most the time limit plus a little, never the answer (the answer step then sends the passage).

Replies are asked for one at a time per generator (the model itself runs one at a time), so a
shopper waiting behind another's reply waits as before; only the reply itself is timed. While a
reply abandoned at its deadline is still running (a hung model), the next questions are answered
from the passage at once instead of queueing behind it.
"""

from __future__ import annotations

import logging
import threading

from bot.generation.generator import ChatMessage, Generation, Generator

log = logging.getLogger(__name__)

GRACE_S = 2.0
"""How long past its time limit a reply is still waited for (the model stops itself at the
limit; this covers the prompt's reading and the last token on a busy machine)."""

_turns: dict[int, threading.Lock] = {}
_abandoned: dict[int, threading.Thread] = {}
_registry_lock = threading.Lock()


def _turn_of(generator: Generator) -> threading.Lock:
    with _registry_lock:
        return _turns.setdefault(id(generator), threading.Lock())


def generate_within(
    generator: Generator,
    messages: list[ChatMessage],
    *,
    max_new_tokens: int,
    time_limit_s: float,
    grace_s: float = GRACE_S,
) -> Generation | None:
    """The generator's reply, or None when it raised, gave none within ``time_limit_s`` +
    ``grace_s``, or is still busy with a reply abandoned earlier (a hung model keeps its own
    thread, which is left to finish on its own)."""
    key = id(generator)
    with _turn_of(generator):
        stuck = _abandoned.get(key)
        if stuck is not None and stuck.is_alive():
            log.error(
                "the reply generator is still stuck on an earlier reply: answering from the passage"
            )
            return None
        outcome: list[Generation] = []
        failure: list[BaseException] = []

        def ask() -> None:
            try:
                outcome.append(
                    generator.generate(
                        messages, max_new_tokens=max_new_tokens, time_limit_s=time_limit_s
                    )
                )
            except BaseException as error:  # noqa: BLE001 - reported in the caller's thread
                failure.append(error)

        worker = threading.Thread(target=ask, name="generate", daemon=True)
        worker.start()
        worker.join(time_limit_s + grace_s)
        if outcome:
            return outcome[0]
        if failure:
            log.error(
                "the reply generator failed, answering from the passage: %s: %s",
                type(failure[0]).__name__,
                failure[0],
            )
            return None
        _abandoned[key] = worker
        log.error(
            "the reply generator gave no reply within %.1f s, answering from the passage",
            time_limit_s + grace_s,
        )
        return None
