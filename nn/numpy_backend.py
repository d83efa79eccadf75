"""The readable reference backend: the maths in plain NumPy, float32, one matrix per mini-batch.

It is the test oracle for the OpenCL backend and the fair baseline in ``nnarcade bench``.
"""
from __future__ import annotations

import numpy as np

from .backend import batch_costs, output_delta
from .data import Dataset
from .model import MLP, hidden_activation, hidden_derivative, sigmoid


class NumpyBackend:
    name = "numpy"
    device = "NumPy (CPU)"

    def forward(self, model: MLP, theta: np.ndarray, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        v = model.views(theta)
        hidden = hidden_activation(model.activation, inputs @ v["W1"] + v["b1"])
        return hidden, sigmoid(hidden @ v["W2"] + v["b2"])

    def loss_and_grad(self, model: MLP, theta: np.ndarray, inputs: np.ndarray,
                      targets: np.ndarray) -> tuple[float, np.ndarray]:
        grad = np.zeros_like(theta)
        cost = self._backprop(model, theta, inputs, targets, model.views(grad))
        return cost, grad

    def _backprop(self, model: MLP, theta: np.ndarray, inputs: np.ndarray, targets: np.ndarray,
                  grad: dict[str, np.ndarray]) -> float:
        """Write the batch-mean gradient into the views ``grad``; return the mean cost."""
        v = model.views(theta)
        hidden, out = self.forward(model, theta, inputs)
        n = np.asarray(len(inputs), dtype=theta.dtype)
        d2 = output_delta(model, out, targets)
        d1 = (d2 @ v["W2"].T) * hidden_derivative(model.activation, hidden)
        np.matmul(hidden.T, d2, out=grad["W2"])
        np.matmul(inputs.T, d1, out=grad["W1"])
        grad["b2"][:] = d2.sum(axis=0)
        grad["b1"][:] = d1.sum(axis=0)
        for g in grad.values():
            g /= n
        return float(batch_costs(model, out, targets).mean())

    def sgd(self, model: MLP, theta: np.ndarray, data: Dataset, order: np.ndarray,
            batch_size: int, lr: float) -> np.ndarray:
        inputs, targets = data.inputs, data.one_hot(model.outputs)
        grad_vec = np.empty_like(theta)
        grad = model.views(grad_vec)
        step = np.float32(lr)
        costs = np.empty(len(order) // batch_size, dtype=np.float32)
        for b in range(len(costs)):
            idx = order[b * batch_size:(b + 1) * batch_size]
            costs[b] = self._backprop(model, theta, inputs[idx], targets[idx], grad)
            theta -= step * grad_vec
        return costs

    def evaluate(self, model: MLP, theta: np.ndarray, data: Dataset) -> tuple[float, float]:
        _, out = self.forward(model, theta, data.inputs)
        accuracy = float(np.mean(out.argmax(axis=1) == data.labels))
        return accuracy, float(batch_costs(model, out, data.one_hot(model.outputs)).mean())
