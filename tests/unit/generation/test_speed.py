"""The generator's speed estimate: measurements taken while other processes had the cores are not
trusted to skip the model, real replies teach the speed, and a genuinely slow CPU still answers
from the passage at once. A fake model on a fake clock stands in for the real one (no model
loads; the timing is exact)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from bot.generation import generator as generator_module
from bot.generation import speed as speed_module
from bot.generation.answering import AnswerConfig, Answerer
from bot.generation.generator import TransformersGenerator
from bot.generation.service import GeneratorService
from bot.generation.speed import CoresWatch, Speed, SpeedRecord, cgroup_cores, cpu_share
from tests.unit.generation.test_answering import SHIPPING, FixedRetriever

pytestmark = pytest.mark.unit

THREADS = 2
LIMIT = 2.5
FAST = Speed(0.002, 0.03)  # a machine where a reply fits well within the limit
SLOW = Speed(0.03, 0.35)  # an AVX2-only machine in float32: even a short reply does not fit
QUESTIONS = [
    "how much is shipping?",
    "is shipping free?",
    "what does shipping cost?",
    "shipping price?",
    "how much do I pay for delivery?",
]


# -- the record -------------------------------------------------------------------------------


def test_a_record_without_figures_estimates_nothing():
    record = SpeedRecord()
    assert record.current is None and record.basis is None and not record.trusted


def test_a_measurement_while_busy_is_kept_but_not_trusted_until_one_with_the_cores_free():
    record = SpeedRecord()
    record.add_measurement(Speed(0.05, 1.0), free=False)
    assert (
        record.current == Speed(0.05, 1.0)
        and record.basis == "measured while busy"
        and not record.trusted
    )
    record.add_measurement(Speed(0.01, 1.5), free=True)
    assert record.current == Speed(0.01, 1.0)  # the best figures so far
    assert record.basis == "measured" and record.trusted and record.measurements == 2
    record.add_measurement(Speed(0.2, 3.0), free=False)  # a later busy moment changes nothing
    assert record.current == Speed(0.01, 1.0) and record.trusted


def test_replies_override_the_measurements_with_their_median():
    record = SpeedRecord(replies_kept=3)
    record.add_measurement(Speed(0.05, 1.0), free=False)
    record.add_reply(100, 0.2, None)  # a reply wholly written in its first step: no writing figure
    assert record.current == Speed(0.002, 1.0) and record.basis == "replies" and record.trusted
    record.add_reply(100, 0.4, 0.03)
    record.add_reply(100, 50.0, 0.03)  # one slow outlier does not move the median far
    assert record.current == Speed(0.004, 0.03) and record.replies == 3
    for _ in range(3):  # only the recent replies count
        record.add_reply(100, 1.0, 0.05)
    assert record.current == Speed(0.01, 0.05) and record.replies == 3


def test_with_a_measurement_with_the_cores_free_the_replies_tell_their_fixed_cost():
    record = SpeedRecord()
    record.add_measurement(Speed(0.004, 0.1), free=True)
    # first steps of 0.3 s plus 4 ms a prompt token (short and long prompts, as measured on 2 cores)
    for tokens in (68, 231, 65, 175):
        record.add_reply(tokens, 0.3 + tokens * 0.004, 0.03)
    speed = record.current
    assert speed.prompt_s_per_token == 0.004 and speed.overhead_s == pytest.approx(0.3)
    assert speed.seconds(231, 12) == pytest.approx(
        0.3 + 0.924 + 0.36
    )  # a long prompt is not overrated
    # divided by their prompt tokens, the short prompts' first steps would say 8.4 ms a token
    busy = SpeedRecord()
    busy.add_measurement(Speed(0.05, 1.0), free=False)
    busy.add_reply(68, 0.3 + 68 * 0.004, 0.03)
    assert busy.current.overhead_s == 0 and busy.current.prompt_s_per_token == pytest.approx(
        0.572 / 68
    )


def test_a_measurement_with_the_cores_free_faster_than_the_replies_drops_them():
    record = SpeedRecord()
    record.add_measurement(Speed(0.002, 0.05), free=True)
    record.add_reply(100, 0.4, 0.03)  # real replies: a fixed cost, faster writing (prompt lookup)
    record.add_measurement(Speed(0.003, 0.06), free=True)  # about what the replies show: they stay
    assert record.basis == "replies"
    record.add_reply(100, 20.0, 3.0)  # replies slowed by another process…
    record.add_reply(100, 20.0, 3.0)
    record.add_measurement(Speed(0.05, 1.0), free=False)  # …a busy measurement does not tell
    assert record.basis == "replies" and record.current.token_s == 3.0
    record.add_measurement(
        Speed(0.002, 0.05), free=True
    )  # the cores free again, faster than they showed
    assert (
        record.basis == "measured" and record.current == Speed(0.002, 0.05) and record.replies == 0
    )


def test_the_cpu_share_tells_whether_the_threads_had_the_cores():
    assert cpu_share(2.0, 1.0, threads=2) == pytest.approx(1.0)
    assert cpu_share(0.6, 1.0, threads=2) == pytest.approx(0.3)
    assert cpu_share(2.0, 1.0, threads=16, cores=2.0) == pytest.approx(1.0)  # a container's quota
    assert cpu_share(0.5, 1.0, threads=1, cores=0.5) == pytest.approx(0.5)  # never under one core
    assert cpu_share(0.0, 0.0, threads=2) == 1.0


def test_the_cgroup_quota_is_read_in_cores(tmp_path):
    assert cgroup_cores(tmp_path) is None
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert cgroup_cores(tmp_path) is None
    (tmp_path / "cpu.max").write_text("200000 100000\n")
    assert cgroup_cores(tmp_path) == 2.0
    (tmp_path / "cpu.max").unlink()
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert cgroup_cores(tmp_path) is None
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("150000\n")
    assert cgroup_cores(tmp_path) == 1.5


# -- a fake model on a fake clock ---------------------------------------------------------------


class Clock:
    """Wall time, the process's CPU time and every process's; ``share`` is the part of the CPU
    time its threads asked for the process gets, ``others`` the cores other processes use and
    ``slowdown`` how much slower the model runs meanwhile (1, 0 and 1: the cores are free)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.cpu = 0.0
        self.system = 0.0
        self.busy(1.0, 0.0)

    def busy(self, share: float, others: float, slowdown: float | None = None) -> None:
        self.share, self.others = share, others
        self.slowdown = slowdown if slowdown is not None else 1 / share

    def perf_counter(self) -> float:
        return self.now

    monotonic = perf_counter

    def process_time(self) -> float:
        return self.cpu

    def system_cpu_seconds(self) -> float:
        return self.system

    def pass_(self, seconds: float) -> None:
        self.now += seconds
        self.cpu += seconds * THREADS * self.share
        self.system += seconds * (THREADS * self.share + self.others)


class Tokenizer:
    """One token per word; the chat template joins the messages."""

    eos_token_id = 0
    pad_token_id = 0

    def apply_chat_template(self, messages, tokenize=False, add_generation_prompt=False) -> str:
        return " ".join(f"{m['role']}: {m['content']}" for m in messages) + (
            " assistant:" if add_generation_prompt else ""
        )

    def __call__(self, text: str, return_tensors: str | None = None):
        ids = [1 + i % 50 for i in range(len(text.split()))]
        if return_tensors is None:
            return {"input_ids": ids}
        return Encoding(
            input_ids=torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long)
        )

    def decode(self, ids, skip_special_tokens=True) -> str:
        return " ".join("word" for _ in ids) + "."


class Encoding(dict):
    def to(self, device):
        return self


class Model:
    """Reads the prompt and writes tokens at ``speed``, slowed by the clock's ``slowdown``."""

    config = None

    def __init__(self, clock: Clock, speed: Speed, reply_tokens: int = 20) -> None:
        self.clock, self.speed, self.reply_tokens = clock, speed, reply_tokens
        self.replies = 0

    def _slowed(self, seconds: float) -> float:
        return seconds * self.clock.slowdown

    def __call__(self, ids, past_key_values=None, use_cache=True):  # a measurement's forward pass
        per_token = self.speed.prompt_s_per_token if ids.shape[1] > 1 else self.speed.token_s
        self.clock.pass_(self._slowed(per_token * ids.shape[1]))
        return SimpleNamespace(logits=torch.zeros(1, ids.shape[1], 8))

    def generate(
        self,
        input_ids,
        attention_mask=None,
        max_new_tokens=80,
        max_time=None,
        stopping_criteria=(),
        **kwargs,
    ):
        self.replies += 1
        started = self.clock.now
        ids = input_ids
        # the first step reads the prompt and writes a token, then one token a step
        self.clock.pass_(
            self._slowed(self.speed.prompt_s_per_token * input_ids.shape[1] + self.speed.token_s)
        )
        while True:
            ids = torch.cat([ids, torch.tensor([[7]])], dim=1)
            for criterion in stopping_criteria:
                criterion(ids, None)
            written = ids.shape[1] - input_ids.shape[1]
            if (
                written >= min(self.reply_tokens, max_new_tokens)
                or self.clock.now - started >= max_time
            ):
                return ids
            self.clock.pass_(self._slowed(self.speed.token_s))


class Cache:
    def __init__(self, config=None) -> None:
        pass


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(generator_module, "time", fake)
    monkeypatch.setattr(speed_module, "time", fake)
    monkeypatch.setattr(speed_module, "cgroup_cores", lambda: None)
    monkeypatch.setattr(speed_module, "system_cpu_seconds", fake.system_cpu_seconds)
    monkeypatch.setattr(
        generator_module.os, "cpu_count", lambda: THREADS
    )  # the threads use every core
    monkeypatch.setattr("transformers.DynamicCache", Cache)
    return fake


def loaded(
    clock: Clock, speed: Speed, start_share: float, others: float | None = None
) -> TransformersGenerator:
    """A generator 'started' with its speed measured while the process got ``start_share`` of
    the CPU time and other processes used ``others`` cores (default: what the process lost), as
    ``warm_up`` measures it."""
    generator = TransformersGenerator(
        "fake", cache_dir=Path("unused"), threads=THREADS, prompt_lookup=0, prefix_cache=False
    )
    generator._model, generator._tokenizer = Model(clock, speed), Tokenizer()
    clock.busy(start_share, THREADS * (1 - start_share) if others is None else others)
    generator.generate(
        [{"role": "user", "content": "Hello"}], max_new_tokens=2, time_limit_s=30, learn=False
    )
    generator._measure_speed()
    clock.busy(1.0, 0.0)
    return generator


class Rechecks:
    """Counts the background measurements the answer step asks for (none run here)."""

    def __init__(self, generator: TransformersGenerator) -> None:
        self.count = 0
        generator.recheck_speed = self

    def __call__(self, min_interval_s=None) -> bool:
        self.count += 1
        return True


def first_answers(generator: TransformersGenerator) -> list:
    bot = Answerer(FixedRetriever(SHIPPING), generator, AnswerConfig(time_limit_s=LIMIT))
    return [bot.answer(question) for question in QUESTIONS]


def test_a_busy_start_on_a_fast_machine_still_writes_the_first_replies(clock):
    generator = loaded(clock, FAST, start_share=0.15)  # Rasa loading beside it
    assert generator.speed_record.basis == "measured while busy" and not generator.speed_trusted
    assert generator.estimate_seconds([{"role": "user", "content": "shipping " * 40}], 12) > LIMIT
    rechecks = Rechecks(generator)
    answers = first_answers(generator)
    assert [a.too_slow for a in answers] == [False] * len(QUESTIONS)
    assert (
        all(a.generated is not None for a in answers)
        and generator._model.replies == len(QUESTIONS) + 1
    )
    # the first reply taught the real speed
    assert generator.speed_record.basis == "replies" and generator.speed_record.replies == len(
        QUESTIONS
    )
    # (the first step also wrote a token: a little on top of the reading)
    assert generator.speed.prompt_s_per_token == pytest.approx(FAST.prompt_s_per_token, rel=0.2)
    assert generator.speed.token_s == pytest.approx(FAST.token_s)
    assert rechecks.count == 0


def test_a_slow_machine_measured_with_the_cores_free_answers_from_the_passage_at_once(clock):
    generator = loaded(clock, SLOW, start_share=1.0)
    assert generator.speed_record.basis == "measured" and generator.speed_trusted
    rechecks = Rechecks(generator)
    answers = first_answers(generator)
    assert all(a.too_slow and a.generated is None for a in answers)
    assert generator._model.replies == 1  # only the warm-up: the model was never asked
    assert rechecks.count == len(QUESTIONS)  # rate-limited by recheck_speed itself


def test_a_slow_machine_with_a_busy_start_is_asked_once_and_then_answers_from_the_passage(clock):
    generator = loaded(clock, SLOW, start_share=0.2)
    assert not generator.speed_trusted
    rechecks = Rechecks(generator)
    answers = first_answers(generator)
    first, rest = answers[0], answers[1:]
    assert (
        not first.too_slow and first.generated is not None and first.gen_seconds >= LIMIT
    )  # cut off
    assert first.fallback  # never sent half-said: the passage's text went out
    assert all(a.too_slow and a.generated is None for a in rest)  # the reply's own timing showed it
    assert generator.speed_record.basis == "replies"
    assert generator.speed.prompt_s_per_token == pytest.approx(SLOW.prompt_s_per_token, rel=0.2)
    assert rechecks.count == len(rest)


def test_replies_slowed_by_a_busy_moment_send_the_passage_until_the_cores_are_free_again(clock):
    generator = loaded(clock, FAST, start_share=1.0)
    bot = Answerer(FixedRetriever(SHIPPING), generator, AnswerConfig(time_limit_s=LIMIT))
    rechecks = Rechecks(generator)
    clock.busy(0.2, 1.6, slowdown=20)  # something else starts on the machine
    slowed = bot.answer(QUESTIONS[0])
    assert (
        not slowed.too_slow and slowed.gen_seconds >= LIMIT and slowed.fallback
    )  # cut off: the passage
    assert generator.speed_record.basis == "replies"  # a shopper would wait as long for the next
    assert (
        bot.answer(QUESTIONS[1]).too_slow and rechecks.count == 1
    )  # sent at once, measured again soon
    generator.measure_speed()  # the recheck, still busy: the replies stay
    assert bot.answer(QUESTIONS[2]).too_slow
    clock.busy(1.0, 0.0)
    generator.measure_speed()  # the recheck with the cores free: faster than the replies were
    assert generator.speed_record.basis == "measured"
    again = bot.answer(QUESTIONS[3])
    assert not again.too_slow and again.generated is not None and again.gen_seconds < LIMIT
    assert generator.speed_record.basis == "replies" and generator.speed.token_s == pytest.approx(
        FAST.token_s
    )


def test_a_reply_restarts_the_rechecks_backoff(clock):
    generator = loaded(clock, FAST, start_share=1.0)
    generator._rechecks = 7  # a minute between measurements after a long slow spell
    generator.generate(
        [{"role": "user", "content": "shipping " * 40}], max_new_tokens=20, time_limit_s=30
    )
    assert generator._rechecks == 0


def test_warm_up_replies_and_replies_that_read_a_system_message_teach_nothing(clock, monkeypatch):
    generator = loaded(clock, FAST, start_share=1.0)
    messages = [{"role": "user", "content": "shipping " * 40}]
    generator.generate(messages, max_new_tokens=20, time_limit_s=30, learn=False)
    assert generator.speed_record.replies == 0

    def reads_a_system_message(messages, prompt_ids):
        generator._system_reads += 1
        clock.pass_(1.0)
        return None

    monkeypatch.setattr(generator, "_system_cache", reads_a_system_message)
    generator.generate(messages, max_new_tokens=20, time_limit_s=30)
    assert generator.speed_record.replies == 0


def test_the_cores_are_busy_when_the_process_lost_cpu_time_or_another_process_used_a_core(
    clock, monkeypatch
):
    def watched(seconds: float) -> bool:
        watch = CoresWatch()
        clock.pass_(seconds)
        return watch.free(THREADS)

    assert watched(1.0)
    clock.busy(0.3, 1.4)
    assert not watched(1.0)
    # One process beside the threads: they lose a third of their CPU time, but spinning while
    # they wait for each other the model runs several times slower: the other process tells.
    clock.busy(0.67, 0.67, slowdown=4)
    assert not watched(1.0)
    assert watched(0.05)  # too short for /proc/stat's 10 ms ticks: the CPU share alone decides
    clock.busy(1.0, 0.2)  # a little background work is no contention
    assert watched(1.0)
    # Threads on 2 of 8 cores leave 6 to other processes.
    monkeypatch.setattr(generator_module.os, "cpu_count", lambda: 8)
    clock.busy(1.0, 5.0)
    assert watched(1.0)
    clock.busy(1.0, 7.0)
    assert not watched(1.0)


def test_a_mildly_busy_start_is_not_trusted_either(clock):
    generator = loaded(clock, FAST, start_share=0.67, others=1.0)
    assert not generator.speed_trusted


def test_a_measurement_knows_whether_it_had_the_cores(clock):
    generator = loaded(clock, FAST, start_share=0.3)
    measured = generator.speed
    assert measured.prompt_s_per_token == pytest.approx(FAST.prompt_s_per_token / 0.3)
    assert generator.speed_record.measurements == 1 and not generator.speed_trusted
    generator.measure_speed()  # the cores are free now
    assert generator.speed_trusted and generator.speed.prompt_s_per_token == pytest.approx(
        FAST.prompt_s_per_token
    )


# -- the service and the action server's route ----------------------------------------------------


def test_the_service_measures_again_only_when_the_speed_is_not_known_yet(clock):
    service = GeneratorService()
    service.enabled = True
    service.generator = TransformersGenerator(
        "fake", cache_dir=Path("unused"), threads=THREADS, prefix_cache=False
    )
    assert service.measure_speed() == "not ready"
    service.generator = loaded(clock, FAST, start_share=0.2)
    assert (
        service.measure_speed() == "not ready" and service.status()["ready"] is False
    )  # still warming up
    service.warmed = True
    status = service.status()
    assert status["speed_basis"] == "measured while busy" and status["speed_trusted"] is False
    assert status["speed_measurements"] == 1 and status["speed_replies"] == 0
    assert service.measure_speed() == "measured"
    status = service.status()
    assert (
        status["speed_basis"] == "measured"
        and status["speed_trusted"]
        and status["speed_measurements"] == 2
    )
    assert status["prompt_ms_per_token"] == pytest.approx(FAST.prompt_s_per_token * 1000)
    assert (
        service.measure_speed() == "kept" and service.status()["speed_measurements"] == 2
    )  # not twice
    assert (
        service.measure_speed(force=True) == "measured"
        and service.status()["speed_measurements"] == 3
    )
    service.enabled = False
    assert service.measure_speed() == "disabled"


def test_the_action_server_has_the_measure_route():
    from sanic import Sanic

    from actions.server import add_knowledge_routes, check_bearer

    app = Sanic("generator_speed_test")
    add_knowledge_routes(app)
    routes = {(route.path.strip("/"), tuple(sorted(route.methods))) for route in app.router.routes}
    assert ("generator/measure", ("POST",)) in routes
    assert "measuring is disabled" in check_bearer("Bearer x", None, "measuring")[1]
