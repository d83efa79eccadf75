"""The backend protocol, shared by the NumPy reference and the OpenCL fast path."""
from __future__ import annotations

from typing import Protocol

import numpy as np

from .data import Dataset
from .model import MLP


class Backend(Protocol):
    name: str
    device: str

    def forward(self, model: MLP, theta: np.ndarray, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Hidden and output activations, (N, hidden) and (N, outputs), for dense inputs (N, pixels)."""

    def loss_and_grad(self, model: MLP, theta: np.ndarray, inputs: np.ndarray,
                      targets: np.ndarray) -> tuple[float, np.ndarray]:
        """Mean cost over the batch and its gradient with respect to theta (by backprop)."""

    def sgd(self, model: MLP, theta: np.ndarray, data: Dataset, order: np.ndarray,
            batch_size: int, lr: float) -> np.ndarray:
        """Plain SGD over the mini-batches ``order`` is cut into, updating theta in place.

        Returns each mini-batch's mean cost, measured in its forward pass.
        """

    def evaluate(self, model: MLP, theta: np.ndarray, data: Dataset) -> tuple[float, float]:
        """(accuracy, mean cost) over the whole data set."""


def batch_costs(model: MLP, outputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Per-sample cost of output activations against one-hot targets."""
    if model.cost == "quadratic":
        return 0.5 * np.sum((outputs - targets) ** 2, axis=-1)
    a = np.clip(outputs, 1e-7, 1 - 1e-7)
    return -np.sum(targets * np.log(a) + (1 - targets) * np.log(1 - a), axis=-1)


def output_delta(model: MLP, outputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """dC/dz of the sigmoid output layer."""
    if model.cost == "quadratic":
        return (outputs - targets) * outputs * (1 - outputs)
    return outputs - targets  # cross-entropy cancels the sigmoid's derivative


def check_finite(theta: np.ndarray) -> bool:
    return bool(np.isfinite(theta).all())
