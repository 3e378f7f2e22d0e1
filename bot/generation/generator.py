"""The reply generator: a Protocol and its transformers implementation.

:class:`TransformersGenerator` loads lazily (``warm_up``), once per process, in bf16 on CPUs
that support it (float32 otherwise) or on the GPU when there is one. Decoding is greedy
(deterministic), bounded in new tokens, in wall-clock time and in sentences: a reply stops after
its ``max_sentences``-th whole sentence, since the prompt asks for one or two and every further
token costs time. How fast the model reads and writes here (:mod:`bot.generation.speed`) is
measured at start, marked when other processes had the cores meanwhile, and learnt from replies.
"""

from __future__ import annotations

import copy
import logging
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bot.generation.models import (
    ModelSource,
    converted_folder,
    gguf_of,
    is_converted,
    save_converted,
)
from bot.generation.quantize import quantize_linears, should_quantize
from bot.generation.speed import CoresWatch, Speed, SpeedRecord
from bot.settings import setting_default

log = logging.getLogger(__name__)

ChatMessage = dict[str, str]


@dataclass(frozen=True)
class Generation:
    """What the generator wrote.

    Attributes:
        text: The reply, stripped.
        new_tokens: Tokens generated.
        seconds: Wall-clock time of the generation.
        timed_out: True when the time limit stopped it.
    """

    text: str
    new_tokens: int
    seconds: float
    timed_out: bool = False


# A sentence ends at . ! or ? followed by white space, but not a list number at the start of a
# line ("1. ") and not an initial ("J. Smith").
SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!^\d)(?<!^\d\d)[.!?](?=\s)", re.M)


def whole_sentences(text: str) -> int:
    """How many sentences of ``text`` are finished (followed by white space)."""
    return len(SENTENCE_END.findall(text))


class SentenceLimit:
    """A transformers stopping criterion: stop once the new text holds ``limit`` whole sentences.

    Args:
        tokenizer: Decodes the new tokens.
        prompt_length: Tokens of the prompt (not counted).
        limit: Sentences after which generation stops.
    """

    def __init__(self, tokenizer: Any, prompt_length: int, limit: int) -> None:
        self.tokenizer = tokenizer
        self.prompt_length = prompt_length
        self.limit = limit

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
        import torch

        done = [
            whole_sentences(
                self.tokenizer.decode(row[self.prompt_length :], skip_special_tokens=True)
            )
            >= self.limit
            for row in input_ids
        ]
        return torch.tensor(done, dtype=torch.bool, device=input_ids.device)


class FirstStep:
    """A transformers stopping criterion that stops nothing: notes when the first step ended (the
    prompt read, the first token or the first tokens prompt lookup proposed written) and how
    many tokens it wrote."""

    def __init__(self, prompt_length: int) -> None:
        self.prompt_length = prompt_length
        self.at: float | None = None
        self.tokens = 0

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
        import torch

        if self.at is None:
            self.at = time.perf_counter()
            self.tokens = int(input_ids.shape[1]) - self.prompt_length
        return torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)


class Generator(Protocol):
    """Writes a reply to chat messages (``{"role", "content"}``)."""

    name: str

    def generate(
        self, messages: list[ChatMessage], *, max_new_tokens: int, time_limit_s: float
    ) -> Generation:
        """The model's reply to ``messages``, at most ``max_new_tokens`` long and
        ``time_limit_s`` seconds in the making."""
        ...


def cpu_supports_bf16() -> bool:
    """True when the CPU has native bf16 instructions (AVX512-BF16 or AMX)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="ignore")
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def pick_device_and_dtype(requested: str) -> tuple[str, Any]:
    """The device and torch dtype for a ``generator_dtype`` setting (``auto`` or a dtype name)."""
    import torch

    device = "cuda" if torch.cuda.is_available() else "cpu"
    if requested != "auto":
        return device, getattr(torch, requested)
    if device == "cuda":
        return device, torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return device, torch.bfloat16 if cpu_supports_bf16() else torch.float32


class TransformersGenerator:
    """A causal LM from transformers, loaded on first use.

    The arguments that mirror a ``generator_*`` setting default to that setting's default.

    Args:
        setting: ``qwen2.5-coder-0.5b`` or ``smollm2-135m`` (packaged), a local model folder,
            a ``.gguf`` file, or a hub id (needs a network and ``HF_HUB_OFFLINE=0``).
        cache_dir: Where joined GGUF files and converted folders are kept.
        dtype: ``auto`` (bf16 where supported) or a torch dtype name such as ``float32``.
        threads: Torch threads on CPU while generating (0: every core).
        prompt_lookup: Tokens proposed from the prompt per step (prompt-lookup decoding;
            0: plain greedy decoding). Greedy either way, so the reply is the same.
        max_sentences: Whole sentences after which a reply stops (0: no limit).
        prefix_cache: Keep the model's cache of the system message and start each reply from a
            copy of it (the reply can differ in a token from one computed whole, by rounding).
        quantize: ``auto`` (int8 weights for decoding on a CPU without native bf16), ``int8``
            (on any CPU) or ``none``; see :mod:`bot.generation.quantize`.
    """

    def __init__(
        self,
        setting: str,
        cache_dir: Path,
        dtype: str = setting_default("generator_dtype"),
        threads: int = setting_default("generator_threads"),
        prompt_lookup: int = setting_default("generator_prompt_lookup"),
        max_sentences: int = setting_default("generator_max_sentences"),
        prefix_cache: bool = True,
        quantize: str = setting_default("generator_quantize"),
    ) -> None:
        self.name = setting
        self.cache_dir = Path(cache_dir)
        self.dtype = dtype
        self.threads = threads
        self.prompt_lookup = prompt_lookup
        self.max_sentences = max_sentences
        self.prefix_cache = prefix_cache
        self.quantize = quantize
        self.quantized = False
        self._prefix_caches: dict[str, Any] = {}
        self.device = "cpu"
        self.speed_record = SpeedRecord()
        self._system_reads = 0  # system messages read into the prefix cache
        self._speed_measured_at = 0.0
        self._rechecks = 0
        self._speed_lock = threading.Lock()
        self._speed_thread: threading.Thread | None = None
        self.load_seconds: float | None = None
        self._model: Any = None
        self._tokenizer: Any = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()  # one generation at a time: the CPU is the bottleneck

    @property
    def ready(self) -> bool:
        """True once the model is loaded, warmed and its speed measured."""
        return self._model is not None and self.load_seconds is not None

    @property
    def speed(self) -> Speed | None:
        """How fast the model reads and writes here (see :class:`SpeedRecord`); None before the
        first measurement."""
        return self.speed_record.current

    @property
    def speed_trusted(self) -> bool:
        """True when :attr:`speed` rests on replies or on a measurement with the cores free; an
        estimate from measurements taken while other processes had the cores never alone keeps
        the model from being asked."""
        return self.speed_record.trusted

    def prepare(self) -> ModelSource:
        """Joins, checks and converts a packaged or GGUF model into the cache (no loading)."""
        _, dtype = pick_device_and_dtype(self.dtype)
        return self.resolve(str(dtype).removeprefix("torch."))

    def resolve(self, dtype_name: str) -> ModelSource:
        """What to load, converting a GGUF model into the cache first if needed."""
        os.environ.setdefault(
            "HF_HUB_OFFLINE", "1"
        )  # offline unless the environment says otherwise
        gguf = gguf_of(self.name, self.cache_dir)
        if gguf is None:
            folder = Path(self.name).expanduser()
            return ModelSource(self.name, str(folder) if folder.exists() else self.name)
        folder = converted_folder(self.name, gguf, self.cache_dir, dtype_name)
        if not is_converted(folder):
            self._convert(gguf, folder)
        return ModelSource(self.name, str(folder))

    def _convert(self, gguf: Path, folder: Path) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        started = time.perf_counter()
        log.info(
            "converting %s once to %s (later starts load the converted folder)", gguf.name, folder
        )
        _, dtype = pick_device_and_dtype(self.dtype)
        tokenizer = AutoTokenizer.from_pretrained(
            str(gguf.parent), gguf_file=gguf.name, local_files_only=True
        )
        model = AutoModelForCausalLM.from_pretrained(
            str(gguf.parent),
            gguf_file=gguf.name,
            dtype=dtype or torch.bfloat16,
            local_files_only=True,
        )
        save_converted(model, tokenizer, folder, gguf)
        log.info("conversion done in %.1f s", time.perf_counter() - started)

    def warm_up(self) -> None:
        """Loads the model and runs one short generation (once per process)."""
        if self._model is not None:
            return
        with self._load_lock:
            if self._model is not None:
                return
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # no hub downloads at run time by default
            from transformers import AutoModelForCausalLM, AutoTokenizer

            started = time.perf_counter()
            device, dtype = pick_device_and_dtype(self.dtype)
            source = self.resolve(str(dtype).removeprefix("torch."))
            # Never a download unless asked for (huggingface_hub may have read the environment
            # before this module set HF_HUB_OFFLINE, so say it explicitly too).
            local = Path(source.folder).exists() or os.environ.get("HF_HUB_OFFLINE") != "0"
            tokenizer = AutoTokenizer.from_pretrained(source.folder, local_files_only=local)
            model = AutoModelForCausalLM.from_pretrained(
                source.folder, dtype=dtype, local_files_only=local
            )
            model = model.to(device).eval()  # type: ignore[arg-type]
            if should_quantize(self.quantize, device, dtype):
                layers = quantize_linears(model)
                self.quantized = True
                log.info(
                    "int8 weights for decoding in %d linear layers (%s on this CPU)", layers, dtype
                )
            if model.generation_config is not None:  # greedy: drop sampling defaults quietly
                for key in ("temperature", "top_p", "top_k"):
                    setattr(model.generation_config, key, None)
            self._tokenizer, self.device = tokenizer, device
            self._model = model
            self.generate(
                [{"role": "user", "content": "Hello"}],
                max_new_tokens=2,
                time_limit_s=30,
                learn=False,
            )
            speed = self._measure_speed()
            self.load_seconds = time.perf_counter() - started
            log.info(
                "generator %s ready on %s (%s) in %.1f s; reads the prompt at %.1f ms/token, writes "
                "%.0f ms/token (%s)",
                self.name,
                device,
                dtype,
                self.load_seconds,
                speed.prompt_s_per_token * 1000,
                speed.token_s * 1000,
                self.speed_record.basis,
            )

    @contextmanager
    def _threads(self) -> Iterator[None]:
        """Every core given to generation while it runs, then the setting as it was (retrieval
        pins torch to one thread for steady embedding latency)."""
        import torch

        previous = torch.get_num_threads()
        if self.device == "cpu":
            torch.set_num_threads(self.threads or os.cpu_count() or 1)
        try:
            yield
        finally:
            torch.set_num_threads(previous)

    def _had_the_cores(self, watch: CoresWatch) -> bool:
        """True when the process had the cores to itself since ``watch`` started (always on a
        GPU). Call inside :meth:`_threads`."""
        if self.device != "cpu":
            return True
        import torch

        free = watch.free(torch.get_num_threads())
        log.debug(
            "cores %s: share %.2f, other processes %s cores",
            "free" if free else "busy",
            watch.share,
            "?" if watch.others is None else f"{watch.others:.1f}",
        )
        return free

    def _measure_speed(self, prompt_tokens: int = 48, steps: int = 3, rounds: int = 2) -> Speed:
        """Times reading a prompt and writing single tokens and keeps the best figures measured
        so far (another process busy beside this one only ever makes a round slower, so the best
        round is what the machine can do). Whether a round had the cores to itself is told by the
        CPU time the process got during it: the measurement is taken with the cores free when one
        round was."""
        import torch
        from transformers import DynamicCache

        text = "Shoppers ask about orders, returns, delivery and the products of the shop. " * 8
        ids = self._tokenizer(text, return_tensors="pt")["input_ids"][:, :prompt_tokens].to(
            self.device
        )
        reading, writing, free = [], [], []
        with self._run_lock, torch.inference_mode(), self._threads():
            for _ in range(rounds):
                watch = CoresWatch()
                cache = DynamicCache(config=self._model.config)
                started = time.perf_counter()
                out = self._model(ids, past_key_values=cache, use_cache=True)
                reading.append((time.perf_counter() - started) / ids.shape[1])
                token = out.logits[:, -1:].argmax(-1)
                started = time.perf_counter()
                for _ in range(steps):
                    out = self._model(token, past_key_values=cache, use_cache=True)
                    token = out.logits[:, -1:].argmax(-1)
                writing.append((time.perf_counter() - started) / steps)
                free.append(self._had_the_cores(watch))
        best = self.speed_record.add_measurement(Speed(min(reading), min(writing)), any(free))
        self._speed_measured_at = time.monotonic()
        if not any(free):
            log.info(
                "the generator's speed was measured while other processes had the cores (prompt %.1f "
                "ms/token, %.0f ms per new token; this process got %.0f%% of its threads' CPU time, "
                "others used %s cores): not trusted to skip the model",
                min(reading) * 1000,
                min(writing) * 1000,
                watch.share * 100,
                "?" if watch.others is None else f"{watch.others:.1f}",
            )
        return best

    def measure_speed(self) -> Speed:
        """Measures the speed now (a second or two) and keeps the best figures; logs them."""
        speed = self._measure_speed()
        log.info(
            "generator speed measured: prompt %.1f ms/token, %.0f ms per new token (%s)",
            speed.prompt_s_per_token * 1000,
            speed.token_s * 1000,
            self.speed_record.basis,
        )
        return speed

    def recheck_speed(self, min_interval_s: float | None = None) -> bool:
        """Measures the speed again in the background (the caller found the model too slow: the
        figures may still be a busy moment's, from replies slowed by another process or a
        measurement that did not tell it shared the cores; a measurement with the cores free that
        is faster than the replies were drops them). At most once per ``min_interval_s``; by default
        soon at first and then less often: 5, 10, 20, 40 s, then once a minute (a CPU that is
        simply slow pays little for the measurements). True when a measurement was started."""
        with self._speed_lock:
            interval = (
                min_interval_s if min_interval_s is not None else min(60.0, 5.0 * 2**self._rechecks)
            )
            if (
                self._model is None
                or self._speed_thread is not None
                or time.monotonic() - self._speed_measured_at < interval
            ):
                return False
            self._rechecks += 1

            def measure() -> None:
                try:
                    self.measure_speed()
                except Exception:  # noqa: BLE001 - a failed measurement keeps the last figures
                    log.exception("measuring the generator's speed failed")
                finally:
                    with self._speed_lock:
                        self._speed_thread = None

            self._speed_thread = threading.Thread(
                target=measure, name="generator-speed", daemon=True
            )
            self._speed_thread.start()
            return True

    def estimate_seconds(self, messages: list[ChatMessage], new_tokens: int) -> float | None:
        """About how long a reply of ``new_tokens`` tokens to ``messages`` takes here, or None
        before the model is measured. With the prefix cache the system message is not counted:
        it is read once per process, not per reply."""
        if self.speed is None or self._tokenizer is None:
            return None
        prompt = self._tokenizer.apply_chat_template(
            messages, tokenize=False, add_generation_prompt=True
        )
        tokens = len(self._tokenizer(prompt)["input_ids"])
        if self.prefix_cache and messages and messages[0].get("role") == "system":
            system = self._tokenizer.apply_chat_template(messages[:1], tokenize=False)
            cached = self._prefix_caches.get(system)
            tokens -= (
                int(cached[0].shape[0]) if cached else len(self._tokenizer(system)["input_ids"])
            )
        return self.speed.seconds(max(tokens, 1), new_tokens)

    def _system_cache(self, messages: list[ChatMessage], prompt_ids: Any) -> Any:
        """The model's key/value cache of the system message that starts the prompt (computed once
        per distinct system message, at most a few kept), or None when there is none to reuse.
        Reading the prompt is most of a short reply's time on a CPU, and the system message is the
        same in every reply. Call with the run lock held."""
        if not self.prefix_cache or not messages or messages[0].get("role") != "system":
            return None
        text = self._tokenizer.apply_chat_template(messages[:1], tokenize=False)
        entry = self._prefix_caches.get(text)
        if entry is None:
            import torch
            from transformers import DynamicCache

            ids = self._tokenizer(text, return_tensors="pt")["input_ids"].to(self.device)
            cache = DynamicCache(config=self._model.config)
            with torch.inference_mode():
                self._model(ids, past_key_values=cache, use_cache=True)
            entry = (ids[0], cache)
            self._system_reads += 1
            if len(self._prefix_caches) >= 4:
                self._prefix_caches.pop(next(iter(self._prefix_caches)))
            self._prefix_caches[text] = entry
        ids, cache = entry
        length = ids.shape[0]
        if prompt_ids.shape[0] <= length or not bool((prompt_ids[:length] == ids).all()):
            return None  # the template tokenised the system message differently inside the prompt
        return cache

    def generate(
        self,
        messages: list[ChatMessage],
        *,
        max_new_tokens: int,
        time_limit_s: float,
        learn: bool = True,
    ) -> Generation:
        """The model's reply (greedy decoding), bounded in tokens and seconds. Unless ``learn`` is
        false (warm-up), the reply's timing goes into the speed estimate (see :meth:`_learn`)."""
        if max_new_tokens <= 0:
            raise ValueError(
                f"max_new_tokens must be greater than 0. Currently, it is {max_new_tokens}"
            )
        if self._model is None:
            self.warm_up()
        import torch

        prompt = self._tokenizer.apply_chat_template(
            messages, tokenize=False, add_generation_prompt=True
        )
        inputs = self._tokenizer(prompt, return_tensors="pt").to(self.device)
        extra: dict[str, Any] = {}
        if self.prompt_lookup > 0:
            # Replies copy phrases from the passages: prompt-lookup decoding proposes those
            # tokens and verifies them in one pass (same output as plain greedy decoding).
            extra["prompt_lookup_num_tokens"] = self.prompt_lookup
        from transformers import StoppingCriteriaList

        prompt_length = inputs["input_ids"].shape[1]
        first = FirstStep(
            prompt_length
        )  # when the prompt was read: the reply's timing teaches the speed
        criteria: list[Any] = [first]
        if self.max_sentences > 0:
            criteria.append(SentenceLimit(self._tokenizer, prompt_length, self.max_sentences))
        extra["stopping_criteria"] = StoppingCriteriaList(criteria)
        with self._run_lock, torch.inference_mode(), self._threads():
            system_reads, started = self._system_reads, time.perf_counter()
            cached_tokens = 0
            try:
                cached = self._system_cache(messages, inputs["input_ids"][0])
                if cached is not None:  # the system prompt is read once per process, not per reply
                    extra["past_key_values"] = copy.deepcopy(cached)
                    cached_tokens = cached.get_seq_length()
                output = self._model.generate(
                    **inputs,
                    max_new_tokens=max_new_tokens,
                    do_sample=False,
                    max_time=time_limit_s,
                    pad_token_id=self._tokenizer.pad_token_id or self._tokenizer.eos_token_id,
                    **extra,
                )
            finally:
                seconds = time.perf_counter() - started
        new = output[0][prompt_length:]
        if learn and self._system_reads == system_reads and first.at is not None:
            # (a reply that also read a system message into the cache would count it as prompt)
            self._learn(
                prompt_length - cached_tokens,
                first.at - started,
                first.tokens,
                int(len(new)),
                seconds,
            )
        text = self._tokenizer.decode(new, skip_special_tokens=True).strip()
        ended = len(new) > 0 and int(new[-1]) == self._tokenizer.eos_token_id
        timed_out = not ended and len(new) < max_new_tokens and seconds >= time_limit_s * 0.95
        return Generation(text, int(len(new)), seconds, timed_out=timed_out)

    def _learn(
        self,
        prompt_tokens: int,
        first_step_s: float,
        first_step_tokens: int,
        new_tokens: int,
        seconds: float,
    ) -> None:
        """Records a real reply's speed: its first step read ``prompt_tokens`` (those not in the
        prefix cache) in ``first_step_s``, the tokens after it took the rest of ``seconds``.
        Replies show what the model does with real prompts and prompt lookup on this machine as it
        serves, so once there are some they, not the start measurement, make the estimate. A reply
        slowed by another process counts too: a shopper would wait as long for the next one (and
        a reply cut off by the limit is not sent); when the answer step then finds the model too
        slow it has the speed measured again, and a measurement with the cores free that shows
        the machine faster drops those replies (:class:`SpeedRecord`)."""
        if prompt_tokens <= 0 or first_step_s <= 0:
            return
        after = new_tokens - first_step_tokens
        token_s = (seconds - first_step_s) / after if after > 0 else None
        self.speed_record.add_reply(prompt_tokens, first_step_s, token_s)
        self._rechecks = 0  # the model was asked: should it turn slow again, measured again soon
        if self.speed_record.replies == 1:
            log.info(
                "generator speed from its first timed reply: prompt %.1f ms/token%s",
                first_step_s / prompt_tokens * 1000,
                "" if token_s is None else f", {token_s * 1000:.0f} ms per new token",
            )
