"""Medians of repeated runs, with untimed preparation before each run and warm-ups first."""

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Subject:
    """One thing to time. `prepare` runs untimed before every run, `tidy` untimed after it."""

    run: Callable[[], object]
    prepare: Callable[[], object] | None = None
    tidy: Callable[[], object] | None = None


@dataclass(frozen=True)
class Timing:
    seconds: float  # the median
    runs: tuple[float, ...]

    @property
    def ms(self) -> float:
        return self.seconds * 1000

    def describe(self) -> str:
        """'3 runs, 7.12-7.90 s': the fastest and slowest, to show how far to trust the median."""
        scale, unit, digits = (1, "s", 2) if self.seconds >= 1 else (1000, "ms", 1)
        low, high = min(self.runs) * scale, max(self.runs) * scale
        return f"{len(self.runs)} runs, {low:.{digits}f}-{high:.{digits}f} {unit}"


def compare(subjects: dict[str, Subject], *, runs: int, warmups: int = 1) -> dict[str, Timing]:
    """Time every subject `runs` times after `warmups` untimed runs, interleaved.

    Interleaving (a, b, a, b, ...) spreads any drift of the machine over all subjects alike.
    """
    times: dict[str, list[float]] = {name: [] for name in subjects}
    for round_ in range(warmups + runs):
        for name, subject in subjects.items():
            if subject.prepare:
                subject.prepare()
            gc.collect()
            start = time.perf_counter()
            subject.run()
            elapsed = time.perf_counter() - start
            if subject.tidy:
                subject.tidy()
            if round_ >= warmups:
                times[name].append(elapsed)
    return {name: Timing(statistics.median(t), tuple(t)) for name, t in times.items()}
