"""The real cost surface over a plane through parameter space.

A plane is ``theta = centre + a·d1 + b·d2`` through the current weights. d1 is the recent
direction of travel (a = −1 is where the trail starts); d2 is the downhill gradient made
orthogonal to it and filter-normalised (Li et al. 2018, "Visualizing the Loss Landscape of
Neural Nets": each neuron's slice, its incoming weights and bias, scaled to the norm of that
neuron's slice of the centre), then scaled to |d1| so both axes share a unit.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .backend import batch_costs
from .model import MLP, hidden_activation, sigmoid


@dataclass(frozen=True)
class Plane:
    centre: np.ndarray
    d1: np.ndarray
    d2: np.ndarray

    def point(self, a: float, b: float) -> np.ndarray:
        return (self.centre + np.float32(a) * self.d1 + np.float32(b) * self.d2).astype(np.float32)

    def project(self, theta: np.ndarray) -> tuple[float, float, float]:
        """(a, b) of the nearest plane point and the distance from it (in parameter units)."""
        basis = np.stack([self.d1, self.d2], axis=1).astype(np.float64)
        delta = (theta - self.centre).astype(np.float64)
        coef, *_ = np.linalg.lstsq(basis, delta, rcond=None)
        return float(coef[0]), float(coef[1]), float(np.linalg.norm(delta - basis @ coef))


def filter_normalise(model: MLP, direction: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Scale each neuron's slice (incoming weights + bias) of ``direction`` to the norm of the
    same slice of ``centre``."""
    out = np.empty(model.n_params, np.float32)
    o, d, c = model.views(out), model.views(direction.astype(np.float32)), model.views(centre)
    for w, b in (("W1", "b1"), ("W2", "b2")):
        scale = np.sqrt((c[w] ** 2).sum(axis=0) + c[b] ** 2) / (np.sqrt((d[w] ** 2).sum(axis=0) + d[b] ** 2) + 1e-12)
        o[w][:] = d[w] * scale[None, :]
        o[b][:] = d[b] * scale
    return out


def make_plane(model: MLP, theta: np.ndarray, travel: np.ndarray, gradient: np.ndarray,
               seed: int = 0) -> Plane:
    """Plane through ``theta``: d1 = the recent travel (so the trail's oldest point lies on the
    plane at a = −1), d2 = the downhill gradient made orthogonal to it, filter-normalised and
    scaled to |d1|. With no travel (paused), d1 is the filter-normalised downhill gradient and
    d2 a random orthogonal direction."""
    rng = np.random.default_rng(seed)
    if np.linalg.norm(travel) > 1e-12:
        d1 = travel.astype(np.float32)  # +a points forward, where training is heading
    else:
        d1 = filter_normalise(model, -gradient if np.linalg.norm(gradient) > 0
                              else rng.standard_normal(model.n_params).astype(np.float32), theta)
    d1 = d1.astype(np.float64)
    g = -gradient.astype(np.float64)
    g -= (g @ d1) / (d1 @ d1) * d1
    if np.linalg.norm(g) <= 1e-9 * np.linalg.norm(d1):
        g = rng.standard_normal(model.n_params)
        g -= (g @ d1) / (d1 @ d1) * d1
    d2 = filter_normalise(model, g.astype(np.float32), theta).astype(np.float64)
    d2 -= (d2 @ d1) / (d1 @ d1) * d1  # filter scaling bends it a little: orthogonal again
    d2 *= np.linalg.norm(d1) / (np.linalg.norm(d2) + 1e-30)
    return Plane(theta.astype(np.float32).copy(), d1.astype(np.float32), d2.astype(np.float32))


def plane_parts(model: MLP, plane: Plane, inputs: np.ndarray) -> tuple[np.ndarray, ...]:
    """What the grid kernels need: the affine hidden pre-activations zc, z1, z2 (N, H) and the
    output layer's (W2, b2) of centre, d1 and d2, flattened back to back."""
    vc, v1, v2 = (model.views(x) for x in (plane.centre, plane.d1, plane.d2))
    zc = inputs @ vc["W1"] + vc["b1"]
    z1 = inputs @ v1["W1"] + v1["b1"]
    z2 = inputs @ v2["W1"] + v2["b1"]
    w2 = np.concatenate([np.concatenate([v["W2"].ravel(), v["b2"]]) for v in (vc, v1, v2)])
    return tuple(np.ascontiguousarray(x, dtype=np.float32) for x in (zc, z1, z2, w2))


def grid_costs(model: MLP, parts: tuple[np.ndarray, ...], labels: np.ndarray,
               coords: np.ndarray, chunk: int = 33) -> np.ndarray:
    """Mean cost at each (a, b) in ``coords`` (G, 2), ``chunk`` grid points at a time: the NumPy
    reference for OpenCLBackend.grid_costs, and the fallback without OpenCL."""
    zc, z1, z2, w2 = parts
    h, o = model.hidden, model.outputs
    stride = h * o + o
    targets = np.eye(o, dtype=np.float32)[labels]
    w_c, w_1, w_2 = w2[:stride], w2[stride:2 * stride], w2[2 * stride:]
    out = np.empty(len(coords), np.float32)
    for start in range(0, len(coords), chunk):
        a = coords[start:start + chunk, 0].astype(np.float32)[:, None, None]
        b = coords[start:start + chunk, 1].astype(np.float32)[:, None, None]
        hidden = hidden_activation(model.activation, zc + a * z1 + b * z2)           # (g, N, H)
        w = w_c + a[:, :, 0] * w_1 + b[:, :, 0] * w_2                                  # (g, stride)
        logits = hidden @ w[:, :h * o].reshape(-1, h, o) + w[:, None, h * o:]          # (g, N, O)
        out[start:start + chunk] = batch_costs(model, sigmoid(logits), targets).mean(axis=1)
    return out


def grid_coords(radius: float, n: int) -> np.ndarray:
    """An n x n grid over [-radius, radius]^2 (n odd puts the centre exactly on a point), row-major in b."""
    axis = np.linspace(-radius, radius, n, dtype=np.float32)
    b, a = np.meshgrid(axis, axis, indexing="ij")
    return np.stack([a.ravel(), b.ravel()], axis=1)


@dataclass(frozen=True)
class SurfaceFrame:
    """One published picture of the landscape around the current weights."""

    step: int
    radius: float
    n: int
    costs: np.ndarray                  # (n, n), row b, column a
    centre_cost: float                 # measured cost of the current weights (the ball)
    trail: tuple[tuple[float, float, float, float], ...]  # (a, b, distance from plane / |travel|, measured cost)
    seconds: float                     # time to compute the grid


class SurfaceTracker:
    """Follows a training run: plane through the latest weights, the grid of real costs on a
    fixed sample of training images, and the recent trail projected onto it.

    ``update(step, theta)`` does the work synchronously; the Train view calls it from a
    background thread so the window never waits.
    """

    def __init__(self, model: MLP, inputs: np.ndarray, labels: np.ndarray, n: int = 33,
                 trail_length: int = 16, grid_backend=None) -> None:
        from .numpy_backend import NumpyBackend
        self.model, self.inputs, self.labels, self.n = model, inputs, labels, n
        # the grid runs in OpenCL when a backend offers it; gradients and projections in NumPy
        self.grid_costs = getattr(grid_backend, "grid_costs", None) or \
            (lambda model, parts, labels, coords: grid_costs(model, parts, labels, coords))
        self.targets = np.eye(model.outputs, dtype=np.float32)[labels]
        self.backend = NumpyBackend()
        self.history: list[tuple[int, np.ndarray, float]] = []  # (step, theta, measured cost)
        self.trail_length = trail_length

    def cost(self, theta: np.ndarray) -> float:
        _, out = self.backend.forward(self.model, theta, self.inputs)
        return float(batch_costs(self.model, out, self.targets).mean())

    def update(self, step: int, theta: np.ndarray) -> SurfaceFrame:
        import time
        t0 = time.perf_counter()
        cost, grad = self.backend.loss_and_grad(self.model, theta, self.inputs, self.targets)
        if not self.history or self.history[-1][0] != step:
            self.history.append((step, theta.copy(), cost))
            self.history = self.history[-self.trail_length:]
        travel = theta - self.history[0][1]  # forward: the oldest trail point sits at a = -1
        plane = make_plane(self.model, theta, travel, grad)
        trail = []
        travel_length = float(np.linalg.norm(travel)) or 1.0
        for _, past, past_cost in self.history:
            a, b, dist = plane.project(past)
            trail.append((a, b, dist / travel_length, past_cost))
        reach = max([abs(a) for a, *_ in trail] + [abs(b) for _, b, *_ in trail] + [0.0])
        radius = float(np.clip(1.3 * reach, 0.05, 2.0))
        coords = grid_coords(radius, self.n)
        costs = self.grid_costs(self.model, plane_parts(self.model, plane, self.inputs), self.labels, coords)
        return SurfaceFrame(step, radius, self.n, costs.reshape(self.n, self.n), cost, tuple(trail),
                            time.perf_counter() - t0)
