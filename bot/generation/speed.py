"""How fast the reply generator is here: measured (with a check that the process had the cores)
and learnt from its replies.

A measurement taken while other processes had the cores (Rasa loading beside the action server
at start) is kept but not trusted; every real reply is timed, and the last few make the estimate.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Speed:
    """How fast the loaded model is here: seconds per prompt token read, per token written and,
    learnt from replies, per reply (setting the generation up, copying the cached system message:
    about 0.3 s on 2 cores, a third of a short reply's first step)."""

    prompt_s_per_token: float
    token_s: float
    overhead_s: float = 0.0

    def seconds(self, prompt_tokens: int, new_tokens: int) -> float:
        """Estimated time to read ``prompt_tokens`` and write ``new_tokens``."""
        return self.overhead_s + prompt_tokens * self.prompt_s_per_token + new_tokens * self.token_s


# A timing was taken with the cores free when the process got at least this share of the CPU time
# its threads asked for (CPU time / (wall time x threads))…
FREE_SHARE = 0.6
# …and other processes used at most this many cores more than the threads left them (/proc/stat,
# counted in 10 ms ticks: only over timings of at least OTHERS_MIN_S). Torch's threads spin while
# they wait for each other, so one process beside them slows a forward pass far more than the CPU
# time they lose shows.
OTHERS_BUSY_CORES = 0.5
OTHERS_MIN_S = 0.2
# Reading this many prompt tokens and writing this many compares a measurement with replies.
REFERENCE_REPLY = (100, 12)


def cgroup_cores(root: Path = Path("/sys/fs/cgroup")) -> float | None:
    """The CPU quota of this process's control group in cores (a container started with
    ``--cpus``), or None without one."""
    try:
        quota, period = (root / "cpu.max").read_text(encoding="utf-8").split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        microseconds = int((root / "cpu" / "cpu.cfs_quota_us").read_text(encoding="utf-8"))
        per = int((root / "cpu" / "cpu.cfs_period_us").read_text(encoding="utf-8"))
        return microseconds / per if microseconds > 0 and per > 0 else None
    except (OSError, ValueError):
        return None


def cpu_share(
    cpu_seconds: float, wall_seconds: float, threads: int, cores: float | None = None
) -> float:
    """The share of the CPU time its ``threads`` (at most ``cores``, the quota) could have had that
    the process got over ``wall_seconds``: about 1 when it had the cores to itself, well under 1
    when other processes were running on them (the threads waited their turn)."""
    usable = max(min(float(threads), cores or float(threads)), 1.0)
    return cpu_seconds / (wall_seconds * usable) if wall_seconds > 0 else 1.0


def system_cpu_seconds() -> float | None:
    """CPU seconds every process on the machine has used (stolen by the hypervisor included), from
    /proc/stat; None where there is none."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()
        user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[1:9])
    except (OSError, ValueError):
        return None
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class CoresWatch:
    """Tells whether this process had the cores to itself from its creation to :meth:`free`:
    its threads got the CPU time they asked for and no other process used a core meanwhile."""

    def __init__(self) -> None:
        self.wall, self.cpu, self.system = (
            time.perf_counter(),
            time.process_time(),
            system_cpu_seconds(),
        )
        self.share = 1.0
        self.others: float | None = None

    def free(self, threads: int) -> bool:
        """True when the cores were free (``threads``: the torch threads that ran); the figures
        stay in :attr:`share` and :attr:`others` (cores other processes used, when known)."""
        wall, cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        quota = cgroup_cores()
        self.share = cpu_share(cpu, wall, threads, quota)
        system = system_cpu_seconds() if self.system is not None else None
        self.others = (
            None
            if system is None or self.system is None or wall < OTHERS_MIN_S
            else max(system - self.system - cpu, 0.0) / wall
        )
        spare = max(
            (os.cpu_count() or 1) - min(float(threads), quota or float(threads)), 0.0
        )  # cores left to others
        return self.share >= FREE_SHARE and (
            self.others is None or self.others <= spare + OTHERS_BUSY_CORES
        )


class SpeedRecord:
    """What is known about the generator's speed here: its measurements and its recent replies.

    The estimate is the median of the recent replies (real prompts, prompt-lookup decoding and
    whatever else runs on the machine: what shoppers get) and, before there are any, the best
    measurement. With a measurement taken with the cores free, its cost per prompt token is kept
    (it times that well) and what the replies' first steps took beyond it is their fixed cost
    per reply; else the replies' first steps are divided by their prompt tokens. A measurement taken while other processes had the cores (Rasa loading beside the
    action server at start) only says how busy that moment was: it is kept, but an estimate
    resting on such measurements alone is not ``trusted`` (the model is asked; its reply is timed).
    A later measurement with the cores free that is faster than the replies were means those
    replies were slowed by something else: they are dropped. Thread-safe.

    Args:
        replies_kept: Recent replies whose median is the estimate.
    """

    def __init__(self, replies_kept: int = 5) -> None:
        self.measured: Speed | None = None
        self.measured_free = False
        self.measurements = 0
        self._first: deque[tuple[int, float]] = deque(
            maxlen=replies_kept
        )  # (prompt tokens, seconds)
        self._writing: deque[float] = deque(maxlen=replies_kept)
        self._lock = threading.Lock()

    def add_measurement(self, speed: Speed, free: bool) -> Speed:
        """Keeps the best figures measured so far (a busy moment only ever slows a measurement);
        returns them."""
        with self._lock:
            self.measurements += 1
            if self.measured is not None:
                speed = Speed(
                    min(speed.prompt_s_per_token, self.measured.prompt_s_per_token),
                    min(speed.token_s, self.measured.token_s),
                )
            self.measured = speed
            self.measured_free = self.measured_free or free
            replies = self._from_replies()
            if (
                free
                and replies is not None
                and speed.seconds(*REFERENCE_REPLY) < replies.seconds(*REFERENCE_REPLY)
            ):
                self._first.clear()
                self._writing.clear()
            return speed

    def add_reply(self, prompt_tokens: int, first_step_s: float, token_s: float | None) -> None:
        """Records a reply's figures: its first step read ``prompt_tokens`` in ``first_step_s``;
        ``token_s``: seconds per token written after it (None when it wrote none)."""
        with self._lock:
            self._first.append((max(prompt_tokens, 1), first_step_s))
            if token_s is not None:
                self._writing.append(token_s)

    def _from_replies(self) -> Speed | None:
        if not self._first:
            return None
        writing = (
            statistics.median(self._writing)
            if self._writing
            else self.measured.token_s
            if self.measured is not None
            else None
        )
        if writing is None:
            return None
        if self.measured is not None and self.measured_free:
            per_token = self.measured.prompt_s_per_token
            overhead = max(statistics.median(s - n * per_token for n, s in self._first), 0.0)
            return Speed(per_token, writing, overhead)
        return Speed(statistics.median(s / n for n, s in self._first), writing)

    @property
    def current(self) -> Speed | None:
        """The figures estimates use: the recent replies', else the best measurement's."""
        with self._lock:
            return self._from_replies() or self.measured

    @property
    def replies(self) -> int:
        """Replies behind the estimate (0: it rests on measurements)."""
        with self._lock:
            return len(self._first)

    @property
    def basis(self) -> str | None:
        """``replies``, ``measured`` (with the cores free), ``measured while busy`` or None."""
        with self._lock:
            if self._from_replies() is not None:
                return "replies"
            if self.measured is None:
                return None
            return "measured" if self.measured_free else "measured while busy"

    @property
    def trusted(self) -> bool:
        """True when the estimate rests on replies or on a measurement with the cores free."""
        return self.basis in ("replies", "measured")
