"""Benchmarks that print figures; ratios are against references measured in the same run."""
from __future__ import annotations

import statistics
import time

import numpy as np

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
    backend.sgd(model, trainer.theta.copy(), train, np.arange(10), 10, 0.0)  # ...and the training set
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


def time_gradient_methods(backend, batches: int = 200, epoch_limit_s: float = 120.0, data_dir=None) -> list[dict]:
    """Each gradient method on the 784-30-10 network: seconds per mini-batch gradient (median
    over ``batches`` mini-batches of 10), a full epoch of the recipe with it (when the estimate
    is under ``epoch_limit_s``; else extrapolated and marked so), test accuracy after that
    epoch, and the largest difference of its gradient from backprop's on the same batches."""

    from .gradients import METHODS, gradient_check, gradient_function

    train, test = data.load("train", data_dir), data.load("test", data_dir)
    model = MLP()
    theta = model.init(0)
    if hasattr(backend, "warm_up"):
        backend.warm_up(model)
    x, y = train.inputs, train.one_hot()
    order = np.random.default_rng(0).permutation(len(train))
    batches_idx = [order[k * 10:(k + 1) * 10] for k in range(batches)]
    reference = [backend.loss_and_grad(model, theta, x[i], y[i])[1] for i in batches_idx]
    rows = []
    for name in METHODS:
        engine = gradient_function(name, backend)
        engine(model, theta, x[batches_idx[0]], y[batches_idx[0]])  # warm
        times, diff = [], 0.0
        for i, ref in zip(batches_idx, reference):
            t0 = time.perf_counter()
            _, grad = engine(model, theta, x[i], y[i])
            times.append(time.perf_counter() - t0)
            diff = max(diff, gradient_check(grad, ref)["max_abs"])
        per_batch = statistics.median(times)
        estimate = per_batch * (len(train) // 10)
        # every method through the same per-batch interface (backprop too), so the ratios compare
        # gradient methods, not kernels; the fused SGD path is timed apart
        trainer = Trainer(model, backend, train, test, TrainConfig(epochs=1, seed=0), gradient=engine)
        measured = estimate < epoch_limit_s
        if measured:
            t0 = time.perf_counter()
            trainer.run(trainer.batches_per_epoch)
            epoch_s = time.perf_counter() - t0
            accuracy = trainer.accuracy[0]
        else:
            epoch_s, accuracy = estimate, None
        rows.append({"method": name, "per_batch_s": per_batch, "epoch_s": epoch_s, "epoch_measured": measured,
                     "accuracy": accuracy, "max_abs_diff": diff})
    return rows


def drawn_digit_accuracy(count: int | None = None, seed: int = 1234, data_dir=None) -> dict:
    """The draw view's quality bar: MNIST test digits painted onto the 280×280 pad at random sizes
    (30–90% of it), places and stroke thickness (0–2 px dilation), through the pad's pipeline
    (mnist_normalize), against the same shipped weights on the original 28×28 images."""
    from .drawing import Pad
    from .normalize import mnist_normalize
    from .numpy_backend import NumpyBackend
    from .weights import DEFAULT_WEIGHTS, load
    test = data.load("test", data_dir)
    model, theta, _ = load(DEFAULT_WEIGHTS)
    rng = np.random.default_rng(seed)
    idx = np.arange(len(test)) if count is None else rng.choice(len(test), count, replace=False)
    drawn = np.empty((len(idx), 784), np.float32)
    for k, i in enumerate(idx):
        pad = Pad(280)
        side = int(rng.uniform(0.3, 0.9) * 280)
        x, y = rng.integers(0, 280 - side + 1, 2)
        pad.place(test.images[i].reshape(28, 28) / 255.0, (int(x), int(y)), side, int(rng.integers(0, 3)))
        drawn[k] = mnist_normalize(pad.ink).ravel()
    backend = NumpyBackend()
    on_pad = float(np.mean(backend.forward(model, theta, drawn)[1].argmax(1) == test.labels[idx]))
    original = float(np.mean(backend.forward(model, theta, test.inputs[idx])[1].argmax(1) == test.labels[idx]))
    return {"images": len(idx), "on_pad": on_pad, "original": original}
