"""The Lab's MNIST race: every gradient method trains its own copy of the same network on the
same mini-batches; per-batch timings and the difference from backprop's gradient, live."""
from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from .data import Dataset
from .gradients import METHODS, gradient_check, gradient_function
from .model import MLP


@dataclass
class Lane:
    method: str
    theta: np.ndarray
    times: list[float] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)
    max_diff: float = 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1e3 if self.times else 0.0


class GradientRace:
    def __init__(self, backend, train: Dataset, batches: int = 300, batch_size: int = 10, lr: float = 3.0,
                 seed: int = 0) -> None:
        self.backend, self.train, self.batches, self.batch_size, self.lr = backend, train, batches, batch_size, lr
        self.model = MLP()
        start = self.model.init(seed)
        self.lanes = [Lane(m, start.copy()) for m in METHODS]
        order = np.random.default_rng(seed).permutation(len(train))[:batches * batch_size]
        self.order = order.reshape(batches, batch_size)
        self.done = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if not self.running and self.done < self.batches:
            self._thread = threading.Thread(target=self._run, name="gradient-race", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def step(self) -> None:
        """One mini-batch for every method (round robin, so they progress together)."""
        idx = self.order[self.done]
        x, y = self.train.inputs[idx], self.train.one_hot()[idx]
        for lane in self.lanes:
            engine = gradient_function(lane.method, self.backend)
            t0 = time.perf_counter()
            cost, grad = engine(self.model, lane.theta, x, y)
            lane.times.append(time.perf_counter() - t0)
            if lane.method != "backprop":  # against backprop at the same weights
                _, ref = self.backend.loss_and_grad(self.model, lane.theta, x, y)
                lane.max_diff = max(lane.max_diff, gradient_check(grad, ref)["max_abs"])
            lane.costs.append(float(cost))
            lane.theta -= np.float32(self.lr) * grad
        self.done += 1

    def _run(self) -> None:
        while not self._stop.is_set() and self.done < self.batches:
            self.step()
