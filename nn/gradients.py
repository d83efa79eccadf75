"""Three ways to get a gradient, interchangeable: finite differences, dual numbers (forward
mode), backpropagation. Generic versions work on any function of the flat vector; the MLP
versions exploit the network's structure (nudging one weight of hidden neuron j changes only
neuron j and the outputs), and run their heavy part in OpenCL when a backend is given.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .model import MLP, hidden_activation, hidden_derivative, sigmoid

METHODS = ("backprop", "dual", "fd", "fd-central")


# -- generic ------------------------------------------------------------------------------------
def finite_differences(f: Callable[[np.ndarray], float], theta: np.ndarray, eps: float = 1e-3,
                       central: bool = False) -> np.ndarray:
    """∂f/∂θ_i ≈ (f(θ + ε·e_i) − f(θ)) / ε, or (f(θ + ε·e_i) − f(θ − ε·e_i)) / 2ε: one or two
    evaluations of f per parameter."""
    theta = np.array(theta, dtype=np.float64)
    grad = np.empty_like(theta)
    base = None if central else f(theta)
    for i in range(theta.size):
        keep = theta[i]
        theta[i] = keep + eps
        up = f(theta)
        if central:
            theta[i] = keep - eps
            grad[i] = (up - f(theta)) / (2 * eps)
        else:
            grad[i] = (up - base) / eps
        theta[i] = keep
    return grad


def dual_gradient(f: Callable, theta: np.ndarray) -> np.ndarray:
    """Forward mode with Dual numbers: one pass of ``f`` per parameter, seeding its ε part with 1.
    ``f`` must be written with Python arithmetic on the elements (Dual has no NumPy kernels)."""
    from .dual import Dual
    values = [float(v) for v in theta]
    grad = np.empty(len(values))
    for i in range(len(values)):
        args = [Dual(v, 1.0 if k == i else 0.0) for k, v in enumerate(values)]
        grad[i] = Dual.lift(f(args)).deriv
    return grad


def gradient_check(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    """Max absolute and max relative difference between two gradients (relative to the larger
    magnitude, ignoring entries where both are tiny)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    diff = np.abs(a - b)
    scale = np.maximum(np.abs(a), np.abs(b))
    big = scale > 1e-8 * max(scale.max(), 1e-30)
    return {"max_abs": float(diff.max()), "max_rel": float((diff[big] / scale[big]).max()) if big.any() else 0.0}


# -- the MLP, exploiting structure --------------------------------------------------------------
def _primal(model: MLP, theta: np.ndarray, x: np.ndarray):
    v = model.views(theta)
    z1 = x @ v["W1"] + v["b1"]
    a1 = hidden_activation(model.activation, z1)
    z2 = a1 @ v["W2"] + v["b2"]
    return v, z1, a1, z2, sigmoid(z2)


def activation_change(kind: str, z: np.ndarray, a: np.ndarray, d: np.ndarray) -> np.ndarray:
    """f(z + d) − f(z) without subtracting two nearly equal numbers (so float32 keeps its
    digits even for tiny d): sigmoid: σ(z+d)·(1−σ(z))·(1−e^−d); tanh: tanh(d)·(1 − tanh z·tanh(z+d))."""
    if kind == "sigmoid":
        return sigmoid(z + d) * (1 - a) * -np.expm1(-d)
    if kind == "tanh":
        return np.tanh(d) * (1 - a * np.tanh(z + d))
    return np.maximum(z + d, 0) - a


def _cost_change(model: MLP, a_new: np.ndarray, a: np.ndarray, y: np.ndarray, da: np.ndarray) -> np.ndarray:
    """Σ_o cost(a_new) − cost(a) from the change da = a_new − a, without cancellation."""
    return np.sum(_output_cost_change(model, a_new, a, y, da), axis=-1)


def _output_cost_change(model: MLP, a_new, a, y, da):
    if model.cost == "quadratic":  # ½(a'−y)² − ½(a−y)² = ½·da·(a' + a − 2y)
        return 0.5 * da * (a_new + a - 2 * y)
    # −[y·ln(a'/a) + (1−y)·ln((1−a')/(1−a))] with log1p of the relative changes
    a_c, an_c = np.clip(a, 1e-7, 1 - 1e-7), np.clip(a_new, 1e-7, 1 - 1e-7)
    return -(y * np.log1p((an_c - a_c) / a_c) + (1 - y) * np.log1p(-(an_c - a_c) / (1 - a_c)))


def mlp_finite_differences(model: MLP, theta: np.ndarray, x: np.ndarray, y: np.ndarray,
                           eps: float = 1e-4, central: bool = False, backend=None) -> tuple[float, np.ndarray]:
    """Finite differences of the batch-mean cost for every parameter, re-running only what a
    nudge changes: W1[i, j] and b1[j] move hidden neuron j and then every output; W2[j, o] and
    b2[o] move output o alone. Exactly the numbers a full re-run would give, far fewer FLOPs.
    With an OpenCL backend the W1 part (99% of the work) runs in a kernel."""
    x = np.asarray(x, theta.dtype)  # float32 on the fast path, float64 in checks
    y = np.asarray(y, theta.dtype)
    v, z1, a1, z2, a2 = _primal(model, theta, x)
    n = len(x)
    grad = np.zeros(model.n_params, theta.dtype)
    g = model.views(grad)
    signs = (1.0, -1.0) if central else (1.0,)

    def hidden_nudges(dz):  # dz: (..., n, H) change of z1 -> summed cost change per (…, j)
        out = 0.0
        for sgn in signs:
            da1 = activation_change(model.activation, z1, a1, sgn * dz)                  # (n, H)
            dz2 = da1[..., None] * v["W2"]                                             # (n, H, O)
            da2 = activation_change("sigmoid", z2[:, None, :], a2[:, None, :], dz2)
            out = out + sgn * _cost_change(model, a2[:, None, :] + da2, a2[:, None, :], y[:, None, :], da2)
        return out / (len(signs) * eps * n)

    if backend is not None and hasattr(backend, "w1_gradient"):
        g["W1"][:] = backend.w1_gradient(model, theta, x, z1, a1, a2, y, _dcost_dz2(model, a2, y), "fd", eps, central)
    else:
        for i in np.flatnonzero(np.any(x != 0, axis=0)):  # zero pixels: nothing changes, exactly 0
            g["W1"][i] = hidden_nudges(eps * x[:, i][:, None]).sum(axis=0)
    g["b1"][:] = hidden_nudges(np.full_like(z1, eps)).sum(axis=0)
    for sgn in signs:  # output layer: only output o changes
        c_w2 = _single_output_change(model, z2[:, None, :], a2[:, None, :], y[:, None, :], sgn * eps * a1[:, :, None])
        g["W2"][:] += sgn * c_w2.sum(axis=0) / (len(signs) * eps * n)
        c_b2 = _single_output_change(model, z2, a2, y, np.full_like(z2, sgn * eps))
        g["b2"][:] += sgn * c_b2.sum(axis=0) / (len(signs) * eps * n)
    cost = float(_batch_cost(model, a2, y))
    return cost, grad


def _single_output_change(model: MLP, z: np.ndarray, a: np.ndarray, y: np.ndarray, dz: np.ndarray) -> np.ndarray:
    """Cost change (elementwise) when output o's pre-activation alone moves by dz."""
    da = activation_change("sigmoid", z, a, dz)
    return _output_cost_change(model, a + da, a, y, da)


def _batch_cost(model: MLP, a2: np.ndarray, y: np.ndarray) -> float:
    from .backend import batch_costs
    return float(batch_costs(model, a2, y).mean())


def mlp_dual_gradient(model: MLP, theta: np.ndarray, x: np.ndarray, y: np.ndarray,
                      backend=None) -> tuple[float, np.ndarray]:
    """Forward mode: one tangent per parameter, pushed through the network, exactly (no
    thresholding). A tangent on W1[i, j] is x_i at z1_j, f'(z1_j)·x_i at a1_j, W2[j, o]·that at
    each z2_o, σ'(z2_o)·that at a2_o, and Σ_o ∂C/∂a2_o·that at the cost. Every tangent is pushed
    on its own (the Σ_o is redone per parameter): that is forward mode's cost, not backprop's."""
    x = np.asarray(x, theta.dtype)  # float32 on the fast path, float64 in checks
    y = np.asarray(y, theta.dtype)
    v, z1, a1, z2, a2 = _primal(model, theta, x)
    n = len(x)
    dact = hidden_derivative(model.activation, a1)                       # (n, H)
    dc_dz2 = _dcost_dz2(model, a2, y)                                    # (n, O): ∂C/∂a2 · σ'(z2)
    grad = np.zeros(model.n_params, theta.dtype)
    g = model.views(grad)
    if backend is not None and hasattr(backend, "w1_gradient"):
        g["W1"][:] = backend.w1_gradient(model, theta, x, z1, a1, a2, y, dc_dz2, "dual")
    else:
        for i in np.flatnonzero(np.any(x != 0, axis=0)):
            tangent_a1 = dact * x[:, i][:, None]                         # (n, H): da1_j for W1[i, j]
            tangent_z2 = tangent_a1[:, :, None] * v["W2"][None]          # (n, H, O)
            g["W1"][i] = np.sum(tangent_z2 * dc_dz2[:, None, :], axis=(0, 2)) / n
    tangent_z2 = dact[:, :, None] * v["W2"][None]                        # b1: seed 1 at z1_j
    g["b1"][:] = np.sum(tangent_z2 * dc_dz2[:, None, :], axis=(0, 2)) / n
    g["W2"][:] = np.einsum("nh,no->ho", a1, dc_dz2) / n                  # seed a1_j at z2_o
    g["b2"][:] = dc_dz2.sum(axis=0) / n
    return float(_batch_cost(model, a2, y)), grad


def _dcost_dz2(model: MLP, a2: np.ndarray, y: np.ndarray) -> np.ndarray:
    if model.cost == "quadratic":
        return (a2 - y) * a2 * (1 - a2)
    return a2 - y


def gradient_engine(name: str, backend=None):
    """A ``gradient(model, theta, x, y) -> (cost, grad)`` for the trainer; None for backprop,
    where the trainer uses the backend's fused SGD kernel when it can."""
    if name == "backprop":
        return None
    if name == "dual":
        return lambda m, t, x, y: mlp_dual_gradient(m, t, x, y, backend)
    if name in ("fd", "fd-central"):
        central = name == "fd-central"
        return lambda m, t, x, y: mlp_finite_differences(m, t, x, y, central=central, backend=backend)
    raise ValueError(f"gradient method must be one of {METHODS}, not {name!r}")


def gradient_function(name: str, backend):
    """Like gradient_engine, but always a callable: backprop is the backend's own loss_and_grad."""
    return gradient_engine(name, backend) or backend.loss_and_grad
