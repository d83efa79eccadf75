"""Benchmarks that print figures; ratios are against references measured in the same run."""
from __future__ import annotations

import statistics
import time

from . import data
from .model import MLP
from .trainer import TrainConfig, Trainer


def time_epochs(backend, epochs: int, seed: int = 0, data_dir=None) -> dict:
    """Train the talk's recipe for ``epochs`` epochs: seconds per epoch (training only; the
    test evaluation after each epoch is timed apart) and test accuracy after each."""
    train, test = data.load("train", data_dir), data.load("test", data_dir)
    model = MLP()
    trainer = Trainer(model, backend, train, None, TrainConfig(epochs=epochs, seed=seed))
    if hasattr(backend, "warm_up"):
        backend.warm_up(model)
    backend.evaluate(model, trainer.theta, test)  # uploads/caches the test set outside the timing
    seconds, accuracy = [], []
    for _ in range(epochs):
        t0 = time.perf_counter()
        trainer.run(trainer.batches_per_epoch)
        seconds.append(time.perf_counter() - t0)
        accuracy.append(backend.evaluate(model, trainer.theta, test)[0])
    return {"backend": backend.name, "device": backend.device, "seconds": seconds,
            "median": statistics.median(seconds), "accuracy": accuracy}


def time_inference(backend, repeats: int = 200) -> float:
    """Median seconds to classify one drawn 28×28 digit (forward pass of one image)."""
    from .weights import DEFAULT_WEIGHTS, load
    model, theta, _ = load(DEFAULT_WEIGHTS)
    x = data.load("test").inputs[:1]
    backend.forward(model, theta, x)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        backend.forward(model, theta, x)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)
