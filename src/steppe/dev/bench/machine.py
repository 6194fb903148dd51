"""The machine a bench runs on: its speed at the time, and the peak memory of a measurement."""

from __future__ import annotations

import resource
import time

LOOP_STEPS = 5_000_000


def python_loop_s(repeat: int = 3) -> float:
    """Seconds a plain Python loop of LOOP_STEPS steps takes here (the fastest of ``repeat``): the
    machine's speed at the time, since a shared machine can run slower for a while, and then every
    figure of a run is slower with it."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        total = 0
        for i in range(LOOP_STEPS):
            total += i * i
        best = min(best, time.perf_counter() - t)
    return best


def peak_rss_mb() -> dict[str, float]:
    # The peak of this process image: Linux's VmHWM, which starts afresh at exec. ru_maxrss
    # (KiB on Linux) outlives exec: a measurement's child process reports at least the size
    # of the bench process that started it (678 MB after building a corpus of 36,000
    # documents), so it is the fallback only. (RUSAGE_CHILDREN is no use either, for the same reason.)
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return {"peak_rss_mb": round(int(line.split()[1]) / 1024, 1)}
    except OSError:
        pass
    return {"peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


class TreeSampler:
    """Peak RSS of this process's children (Dask workers, the Prefect API server), sampled every 0.5 s."""

    def __init__(self, interval: float = 0.5):
        import threading

        self.interval = interval
        self.peak_children_mb = 0.0
        self.peak_child_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(self.interval):
            sizes = []
            for child in me.children(recursive=True):
                try:
                    sizes.append(child.memory_info().rss / 2**20)
                except psutil.Error:
                    pass
            if sizes:
                self.peak_children_mb = max(self.peak_children_mb, sum(sizes))
                self.peak_child_mb = max(self.peak_child_mb, max(sizes))

    def __enter__(self) -> "TreeSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
