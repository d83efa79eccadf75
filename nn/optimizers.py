"""Optimizers on the flat parameter vector: SGD, momentum, Adam (Kingma & Ba 2015)."""
from __future__ import annotations

import numpy as np


class SGD:
    name = "sgd"

    def __init__(self, lr: float) -> None:
        self.lr = lr

    def step(self, theta: np.ndarray, grad: np.ndarray) -> None:
        theta -= np.float32(self.lr) * grad

    def reset(self) -> None:
        pass


class Momentum(SGD):
    """v ← β·v + g;  θ ← θ − lr·v  (heavy ball: the ball keeps rolling through flat parts)."""

    name = "momentum"

    def __init__(self, lr: float, beta: float = 0.9) -> None:
        super().__init__(lr)
        self.beta = beta
        self.velocity: np.ndarray | None = None

    def step(self, theta: np.ndarray, grad: np.ndarray) -> None:
        if self.velocity is None:
            self.velocity = np.zeros_like(theta)
        self.velocity *= np.float32(self.beta)
        self.velocity += grad
        theta -= np.float32(self.lr) * self.velocity

    def reset(self) -> None:
        self.velocity = None


class Adam(SGD):
    """m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  m̂ = m/(1−β1ᵗ);  v̂ = v/(1−β2ᵗ);
    θ ← θ − lr·m̂/(√v̂ + ε): momentum plus a step size adapted per parameter."""

    name = "adam"

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.reset()

    def reset(self) -> None:
        self.m: np.ndarray | None = None
        self.v: np.ndarray | None = None
        self.t = 0

    def step(self, theta: np.ndarray, grad: np.ndarray) -> None:
        if self.m is None:
            self.m, self.v = np.zeros_like(theta), np.zeros_like(theta)
        self.t += 1
        self.m += (1 - self.beta1) * (grad - self.m)
        self.v += (1 - self.beta2) * (grad * grad - self.v)
        m_hat = self.m / (1 - self.beta1 ** self.t)
        v_hat = self.v / (1 - self.beta2 ** self.t)
        theta -= (self.lr * m_hat / (np.sqrt(v_hat) + self.eps)).astype(theta.dtype)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make_optimizer(name: str, lr: float) -> SGD:
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)}, not {name!r}")
    return OPTIMIZERS[name](lr)
