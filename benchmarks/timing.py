"""How the benchmarks time their versions: side by side in one process, round by round, best and median.

The machine the figures come from is shared and noisy, so no version is timed alone: the versions
take turns within each round, a busy spell falls on all of them alike, and the median of many
rounds is the figure to compare (the best, the least disturbed run, is printed beside it). The
ratios of issue 18's targets are set for one thread: numpy's BLAS reads ``OMP_NUM_THREADS`` when
numpy is imported, so it is set on the command line (``peers.py`` keeps JAX and torch on one
thread itself).
"""

from __future__ import annotations

import gc
import os
import statistics
import time
from collections.abc import Callable
from typing import Any


def timings(
    variants: dict[str, tuple[Callable[[], Any], Callable[[], Any]]], rounds: int, collect_each: bool = True
) -> dict[str, tuple[float, float]]:
    """The fastest and the median of ``rounds`` runs of each ``(setup, step)``, in ms.

    ``setup`` runs before each timed ``step`` and is not timed: it puts the weights back to the
    start, so every version times the same step (how many hinges are active changes the work).
    The versions take turns, round by round, so a busy moment of the machine is shared among
    them, and garbage is collected before each step, so none pays for another's. With
    ``collect_each=False`` it is collected once, before the first round: then each step also pays
    for collecting the reference cycles of the step before, as in a training loop (micrograd's
    closures make cycles that only the cycle collector frees; chainrule's graphs have none). The
    best is the least disturbed; the median shows the typical step.
    """
    times: dict[str, list[float]] = {name: [] for name in variants}
    gc.collect()
    for _ in range(rounds):
        for name, (setup, step) in variants.items():
            setup()
            if collect_each:
                gc.collect()
            start = time.perf_counter()
            step()
            times[name].append(1e3 * (time.perf_counter() - start))
    return {name: (min(t), statistics.median(t)) for name, t in times.items()}


def nothing() -> None:
    """The setup of a step that needs none (it does not change what it starts from)."""


def one_thread_note() -> str:
    """A line to print when numpy may use more than one thread (the ratios would then mean little)."""
    if os.environ.get("OMP_NUM_THREADS") == "1":
        return ""
    return (
        "note: OMP_NUM_THREADS is not 1, so numpy's matrix products may use several threads; run with OMP_NUM_THREADS=1"
    )
