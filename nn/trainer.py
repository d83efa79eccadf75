"""The training loop: one implementation for the headless CLI and the live Train view.

``Trainer`` advances in chunks of mini-batches (an epoch reshuffles, and ends with a test
evaluation). ``TrainerThread`` runs it in a worker thread and publishes immutable
``Snapshot``s; commands (pause, step, learning rate, speed, reset) go the other way through a
queue. Neither side ever waits for the other.
"""
from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .backend import Backend
from .data import Dataset
from .model import MLP
from .optimizers import make_optimizer
from .series import decimate

MAX_COST_POINTS = 4000
GradientFn = Callable[[MLP, np.ndarray, np.ndarray, np.ndarray], tuple[float, np.ndarray]]


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 30
    batch_size: int = 10
    lr: float = 3.0
    seed: int = 0
    optimizer: str = "sgd"


@dataclass(frozen=True)
class Snapshot:
    """What the UI may read, copied so the trainer can keep going."""

    step: int                       # mini-batches done
    epoch: int                      # completed epochs
    epoch_fraction: float           # progress through the current epoch, 0..1
    theta: np.ndarray
    costs: tuple[tuple[int, float], ...]   # (step, mean cost of a chunk of mini-batches)
    accuracy: tuple[float, ...]     # test accuracy after each epoch
    lr: float
    batch_size: int
    running: bool
    batches_per_second: float
    diverged: bool = False
    message: str = ""


class Diverged(RuntimeError):
    """The cost or the weights became NaN/inf; theta was restored to its last finite value."""


class Trainer:
    def __init__(self, model: MLP, backend: Backend, train: Dataset, test: Dataset | None,
                 config: TrainConfig = TrainConfig(), theta: np.ndarray | None = None,
                 gradient: GradientFn | None = None) -> None:
        self.model, self.backend, self.train_set, self.test_set = model, backend, train, test
        self.config = config
        self.theta = model.init(config.seed) if theta is None else theta.astype(np.float32).copy()
        self.rng = np.random.default_rng(config.seed)
        self.optimizer = make_optimizer(config.optimizer, config.lr)
        # the fused SGD kernel when it applies; else one gradient + optimizer step per batch
        self.gradient = gradient
        self.step = 0
        self.epoch = 0
        self.costs: list[tuple[int, float]] = []
        self.accuracy: list[float] = []
        self._order = self.rng.permutation(len(train))
        self._pos = 0

    @property
    def lr(self) -> float:
        return self.optimizer.lr

    @lr.setter
    def lr(self, value: float) -> None:
        self.optimizer.lr = float(value)

    @property
    def batches_per_epoch(self) -> int:
        return len(self.train_set) // self.config.batch_size

    @property
    def epoch_fraction(self) -> float:
        return self._pos / (self.batches_per_epoch * self.config.batch_size)

    def run(self, max_batches: int) -> np.ndarray:
        """Up to ``max_batches`` mini-batches, stopping at the end of the epoch. Returns their
        costs. Raises Diverged (with theta restored) if the run blows up."""
        b = self.config.batch_size
        n = min(max_batches, self.batches_per_epoch - self._pos // b)
        order = self._order[self._pos:self._pos + n * b]
        before = self.theta.copy()
        if self.optimizer.name == "sgd" and self.gradient is None:
            costs = self.backend.sgd(self.model, self.theta, self.train_set, order, b, self.lr)
        else:
            costs = self._run_stepwise(order, b)
        if not (np.isfinite(costs).all() and np.isfinite(self.theta).all()):
            self.theta[:] = before
            self.optimizer.reset()
            raise Diverged(f"the cost became NaN or infinite at learning rate {self.lr:g}: "
                           "the steps overshoot. Lower the learning rate or reset.")
        self._pos += n * b
        self.step += n
        if n:
            self.costs.append((self.step, float(np.mean(costs))))
            if len(self.costs) > MAX_COST_POINTS:  # an hour-long run must not grow without bound
                self.costs = decimate(self.costs, MAX_COST_POINTS // 2)
        if self._pos // b >= self.batches_per_epoch:
            self._end_epoch()
        return costs

    def _run_stepwise(self, order: np.ndarray, b: int) -> np.ndarray:
        gradient = self.gradient or self.backend.loss_and_grad
        inputs, targets = self.train_set.inputs, self.train_set.one_hot(self.model.outputs)
        costs = np.empty(len(order) // b, np.float32)
        for i in range(len(costs)):
            idx = order[i * b:(i + 1) * b]
            costs[i], grad = gradient(self.model, self.theta, inputs[idx], targets[idx])
            self.optimizer.step(self.theta, grad)
        return costs

    def _end_epoch(self) -> None:
        self.epoch += 1
        if self.test_set is not None:
            self.accuracy.append(self.evaluate()[0])
        self._order = self.rng.permutation(len(self.train_set))
        self._pos = 0

    def evaluate(self) -> tuple[float, float]:
        return self.backend.evaluate(self.model, self.theta, self.test_set)

    def snapshot(self, running: bool = False, bps: float = 0.0, diverged: bool = False,
                 message: str = "") -> Snapshot:
        return Snapshot(self.step, self.epoch, self.epoch_fraction, self.theta.copy(),
                        tuple(self.costs), tuple(self.accuracy), self.lr, self.config.batch_size,
                        running, bps, diverged, message)


class TrainerThread:
    """Runs a Trainer in a daemon thread. ``speed`` is mini-batches per second (None: flat out)."""

    CHUNK_SECONDS = 0.02  # publish a snapshot about 50 times a second

    def __init__(self, trainer: Trainer, speed: float | None = None, running: bool = True) -> None:
        self.trainer = trainer
        self.speed = speed
        self.running = running
        self._commands: "queue.Queue[tuple[str, object]]" = queue.Queue()
        self._stop = threading.Event()
        self._chunk = 50
        self._bps = 0.0
        self._last_work = 0.0
        self._diverged, self._message = False, ""
        self.snapshot = trainer.snapshot(running)
        self._thread = threading.Thread(target=self._loop, name="trainer", daemon=True)

    def start(self) -> "TrainerThread":
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def send(self, command: str, value: object = None) -> None:
        """pause | resume | step (value: batches) | lr | speed | replace (value: a Trainer)."""
        self._commands.put((command, value))

    def _publish(self) -> None:
        self.snapshot = self.trainer.snapshot(self.running, self._bps, self._diverged, self._message)

    def _handle(self, command: str, value: object) -> int:
        """Apply one command; returns mini-batches to run now (for step)."""
        if command == "pause":
            self.running = False
        elif command == "resume":
            self.running, self._diverged, self._message = True, False, ""
        elif command == "step":
            self.running = False
            return int(value or 1)
        elif command == "lr":
            self.trainer.lr = float(value)
        elif command == "speed":
            self.speed = None if value is None else float(value)
        elif command == "replace":
            self.trainer = value
            self._diverged, self._message = False, ""
        return 0

    def _loop(self) -> None:
        while not self._stop.is_set():
            steps = 0
            while True:
                try:
                    steps += self._handle(*self._commands.get_nowait())
                except queue.Empty:
                    break
            if steps or self.running:
                self._work(steps or self._next_chunk())
            else:
                self._publish()
                self._stop.wait(0.01)

    def _next_chunk(self) -> int:
        if self.speed is None:
            return self._chunk
        return max(1, int(self.speed * self.CHUNK_SECONDS))

    def _work(self, batches: int) -> None:
        t0 = time.perf_counter()
        try:
            done = len(self.trainer.run(batches))
        except Diverged as exc:
            self.running, self._diverged, self._message = False, True, str(exc)
            self._publish()
            return
        now = time.perf_counter()
        dt = max(now - t0, 1e-6)
        # the rate actually achieved, pauses between chunks included
        period = now - self._last_work if 0 < now - self._last_work < 1.0 else dt
        self._last_work = now
        rate = done / period
        self._bps = 0.8 * self._bps + 0.2 * rate if self._bps else rate
        if self.speed is None and done == batches:  # adapt the chunk to ~CHUNK_SECONDS of work
            self._chunk = int(np.clip(self._chunk * self.CHUNK_SECONDS / dt, 1, 20000))
        self._publish()
        if self.speed is not None and self.running:
            self._stop.wait(max(0.0, done / self.speed - dt))
