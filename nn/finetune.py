"""Fine-tuning on a player's own drawings, mixed with MNIST so the network does not forget."""
from __future__ import annotations

import numpy as np

from .data import Dataset
from .model import MLP
from .numpy_backend import NumpyBackend


def accuracy(model: MLP, theta: np.ndarray, inputs: np.ndarray, labels: np.ndarray) -> float:
    if len(labels) == 0:
        return float("nan")
    _, out = NumpyBackend().forward(model, theta, np.asarray(inputs, np.float32))
    return float(np.mean(out.argmax(axis=1) == labels))


def finetune(model: MLP, theta: np.ndarray, inputs: np.ndarray, labels: np.ndarray, mnist: Dataset,
             epochs: int = 4, lr: float = 0.5, mnist_samples: int = 3000, repeats: int = 8,
             batch_size: int = 10, seed: int = 0) -> np.ndarray:
    """A copy of ``theta`` after a few epochs of SGD on the drawings (each repeated ``repeats``
    times) shuffled with ``mnist_samples`` random MNIST training images. A small learning rate:
    adjust, don't retrain."""
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(mnist), mnist_samples, replace=False)
    x = np.concatenate([np.repeat(np.asarray(inputs, np.float32), repeats, axis=0), mnist.inputs[pick]])
    y = np.concatenate([np.repeat(np.asarray(labels), repeats), mnist.labels[pick]])
    theta = theta.astype(np.float32).copy()
    backend, mixed = NumpyBackend(), _FloatDataset(x, y)
    for _ in range(epochs):
        backend.sgd(model, theta, mixed, rng.permutation(len(y)), batch_size, lr)
    return theta


class _FloatDataset:
    """The two things NumpyBackend.sgd reads, for inputs that are already floats."""

    def __init__(self, inputs: np.ndarray, labels: np.ndarray) -> None:
        self.inputs, self.labels = inputs, labels

    def one_hot(self, classes: int = 10) -> np.ndarray:
        return np.eye(classes, dtype=np.float32)[self.labels]
