"""The network: a 3-layer MLP whose parameters live in ONE flat float32 vector.

Layout of ``theta`` (our own; the talk's .bin layout is in ``nn.weights``):
``W1`` (inputs, hidden) row-major, ``b1`` (hidden,), ``W2`` (hidden, outputs), ``b2`` (outputs,).
Inputs-major W1 puts the hidden weights of one pixel side by side, which is what the
sparse kernels read. Optimizers, finite differences, the cost-surface plane and the
OpenCL buffers all work on the same vector.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ACTIVATIONS = ("sigmoid", "relu", "tanh")
COSTS = ("quadratic", "cross-entropy")


@dataclass(frozen=True)
class MLP:
    """Shape and maths of the network; holds no parameters (they are a ``theta`` vector)."""

    inputs: int = 784
    hidden: int = 30
    outputs: int = 10
    activation: str = "sigmoid"   # hidden layer; the output layer is always sigmoid
    cost: str = "quadratic"       # ½·Σ(a−y)² or cross-entropy

    def __post_init__(self) -> None:
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, not {self.activation!r}")
        if self.cost not in COSTS:
            raise ValueError(f"cost must be one of {COSTS}, not {self.cost!r}")
        if min(self.inputs, self.hidden, self.outputs) < 1:
            raise ValueError("layer sizes must be positive")

    @property
    def sizes(self) -> tuple[int, int, int]:
        return (self.inputs, self.hidden, self.outputs)

    @property
    def shapes(self) -> dict[str, tuple[int, ...]]:
        i, h, o = self.sizes
        return {"W1": (i, h), "b1": (h,), "W2": (h, o), "b2": (o,)}

    @property
    def offsets(self) -> dict[str, tuple[int, int]]:
        """name -> (start, stop) inside theta."""
        out, pos = {}, 0
        for name, shape in self.shapes.items():
            n = int(np.prod(shape))
            out[name] = (pos, pos + n)
            pos += n
        return out

    @property
    def n_params(self) -> int:
        return self.offsets["b2"][1]

    def views(self, theta: np.ndarray) -> dict[str, np.ndarray]:
        """Named views (no copies) of W1, b1, W2, b2 over ``theta``."""
        if theta.shape != (self.n_params,):
            raise ValueError(f"theta has shape {theta.shape}, this network needs ({self.n_params},)")
        return {name: theta[a:b].reshape(self.shapes[name]) for name, (a, b) in self.offsets.items()}

    def init(self, seed: int = 0) -> np.ndarray:
        """Fresh parameters. Sigmoid (the talk's recipe): every weight and bias N(0, 1).

        ReLU and tanh blow up with N(0, 1) on 784 inputs, so their weights are scaled by
        1/sqrt(fan-in) (LeCun/He style); their biases start at 0.
        """
        rng = np.random.default_rng(seed)
        theta = rng.standard_normal(self.n_params).astype(np.float32)
        if self.activation != "sigmoid":
            v = self.views(theta)
            v["W1"] *= np.float32((2.0 if self.activation == "relu" else 1.0) / np.sqrt(self.inputs))
            v["W2"] *= np.float32(1.0 / np.sqrt(self.hidden))
            v["b1"][:] = 0
            v["b2"][:] = 0
        return theta

    def describe(self) -> str:
        return f"{self.inputs}-{self.hidden}-{self.outputs} {self.activation}, {self.cost} cost"


def hidden_activation(kind: str, z: np.ndarray) -> np.ndarray:
    if kind == "sigmoid":
        return sigmoid(z)
    if kind == "relu":
        return np.maximum(z, 0)
    return np.tanh(z)


def hidden_derivative(kind: str, a: np.ndarray) -> np.ndarray:
    """f'(z) written in terms of a = f(z), as the kernels compute it."""
    if kind == "sigmoid":
        return a * (1 - a)
    if kind == "relu":
        return (a > 0).astype(a.dtype)
    return 1 - a * a


def sigmoid(z: np.ndarray) -> np.ndarray:
    # exp of a large positive argument overflows to inf and 1/(1+inf) is a correct 0.
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-z))
