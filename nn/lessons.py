"""The talk's gradient exercises as data the Lab scene draws (no pygame here)."""
from __future__ import annotations

import numpy as np

from .dual import Dual


def F(x):
    """Exercise 2: F(x) = (x + 1)² − 2, minimum −2 at x = −1."""
    return (x + 1) ** 2 - 2


def dF(x: float) -> float:
    return 2 * (x + 1)


def fd_derivative(f, x: float, eps: float, central: bool, dtype=np.float32) -> float:
    """The textbook difference quotient, computed in ``dtype``: in float32 a tiny ε makes
    x + ε round back to x (or lose most digits), and the estimate falls apart."""
    x, e = dtype(x), dtype(eps)
    if central:
        return float((f(x + e) - f(x - e)) / (dtype(2) * e))
    return float((f(x + e) - f(x)) / e)


def trace_F(x: float) -> list[tuple[str, Dual]]:
    """F evaluated on the dual number x + 1ε, step by step: the ε part is the derivative so far."""
    x = Dual(x, 1.0)
    u = x + 1
    v = u * u
    f = v - 2
    return [("x", x), ("u = x + 1", u), ("v = u²", v), ("F = v − 2", f)]


def trace_chain(x: float, bonus: bool = False) -> list[tuple[str, Dual]]:
    """Exercise 4: F = G(H(I(x))), G = x², H = 3x + 5, I = 0.9x + 5; the bonus adds G(I(x)),
    a second path from x to F, and the dual number sums both paths by itself."""
    x = Dual(x, 1.0)
    i = 0.9 * x + 5
    h = 3 * i + 5
    g = h * h
    steps = [("x", x), ("I = 0.9x + 5", i), ("H = 3I + 5", h), ("G = H²", g)]
    if bonus:
        g2 = i * i
        steps += [("G(I) = I²", g2), ("F = G(H(I)) + G(I)", g + g2)]
    return steps


# -- a 2-D landscape with several minima, for the optimizer race --------------------------------
WELLS = [  # (x, y, depth, width²)
    (2.0, 1.0, 1.6, 1.4),
    (-1.6, -1.4, 1.0, 0.7),
    (-2.0, 2.0, 0.7, 0.5),
    (0.6, -2.4, 0.45, 0.35),
]


def landscape(x, y):
    """A gentle bowl with four Gaussian wells: one global minimum and three local ones."""
    z = 0.06 * (x * x + y * y)
    for cx, cy, depth, w in WELLS:
        z = z - depth * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / w)
    return z


def landscape_grad(p: np.ndarray) -> np.ndarray:
    x, y = p
    g = np.array([0.12 * x, 0.12 * y])
    for cx, cy, depth, w in WELLS:
        e = depth * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / w)
        g += e * 2 / w * np.array([x - cx, y - cy])
    return g
