"""Finite differences, dual numbers and backprop: same answer."""
import math

import numpy as np
import pytest

from nn import dual as D
from nn import gradients as G
from nn.model import ACTIVATIONS, COSTS, MLP
from nn.numpy_backend import NumpyBackend


BATTERY = [
    (lambda x: x * x * x - 2 * x, lambda x: 3 * x * x - 2),
    (lambda x: (x + 1) ** 2 - 2, lambda x: 2 * (x + 1)),
    (lambda x: 1 / (x * x + 1), lambda x: -2 * x / (x * x + 1) ** 2),
    (lambda x: D.exp(2 * x) / x, lambda x: math.exp(2 * x) * (2 * x - 1) / x ** 2),
    (lambda x: D.log(x * x + 3), lambda x: 2 * x / (x * x + 3)),
    (lambda x: D.sqrt(x * x + 1), lambda x: x / math.sqrt(x * x + 1)),
    (lambda x: D.sigmoid(3 * x - 1), lambda x: 3 * (s := 1 / (1 + math.exp(-(3 * x - 1)))) * (1 - s)),
    (lambda x: D.tanh(x) * x, lambda x: math.tanh(x) + x * (1 - math.tanh(x) ** 2)),
    (lambda x: x ** 0.5 + 2 ** x, lambda x: 0.5 / math.sqrt(x) + math.log(2) * 2 ** x),
    (lambda x: x ** x, lambda x: x ** x * (math.log(x) + 1)),
    (lambda x: 5 - x / 4 + D.sin(x) * D.cos(x), lambda x: -0.25 + math.cos(2 * x)),
    # the talk's chain rule: F = G(H(I(x))), G = x², H = 3x + 5, I = 0.9x + 5, and the two-path bonus
    (lambda x: (3 * (0.9 * x + 5) + 5) ** 2, lambda x: 2 * (3 * (0.9 * x + 5) + 5) * 3 * 0.9),
    (lambda x: (3 * (0.9 * x + 5) + 5) ** 2 + (0.9 * x + 5) ** 2,
     lambda x: 2 * (3 * (0.9 * x + 5) + 5) * 2.7 + 2 * (0.9 * x + 5) * 0.9),
]


@pytest.mark.parametrize("f,df", BATTERY)
@pytest.mark.parametrize("x", [0.3, 1.7, 2.5])
def test_dual_numbers_match_analytic_derivatives(f, df, x):
    value, deriv = D.derivative(f, x)
    assert value == pytest.approx(D.Dual.lift(f(x)).value if isinstance(f(x), D.Dual) else f(x), rel=1e-12)
    assert deriv == pytest.approx(df(x), rel=1e-10)


def test_generic_methods_on_a_plain_function():
    f = lambda t: float(np.sum(np.sin(t) * t ** 2))
    theta = np.array([0.3, -1.2, 2.0])
    exact = np.cos(theta) * theta ** 2 + 2 * theta * np.sin(theta)
    assert np.allclose(G.finite_differences(f, theta, 1e-6, central=True), exact, atol=1e-8)
    assert np.allclose(G.finite_differences(f, theta, 1e-7), exact, atol=1e-5)
    dual_f = lambda args: sum(D.sin(a) * a * a for a in args)
    np.testing.assert_allclose(G.dual_gradient(dual_f, theta), exact, rtol=1e-12)
    check = G.gradient_check(exact, exact + 1e-6)
    assert check["max_abs"] == pytest.approx(1e-6)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("cost", COSTS)
def test_all_four_mlp_gradients_agree_in_float64(activation, cost):
    model = MLP(12, 5, 4, activation, cost)
    rng = np.random.default_rng(2)
    theta = model.init(1).astype(np.float64) + 0.05 * rng.standard_normal(model.n_params)
    x = np.where(rng.random((6, 12)) < 0.5, 0.0, rng.random((6, 12)))   # sparse, like MNIST
    y = np.eye(4)[rng.integers(0, 4, 6)]
    _, bp = NumpyBackend().loss_and_grad(model, theta, x, y)
    _, dual = G.mlp_dual_gradient(model, theta, x, y)
    _, fdc = G.mlp_finite_differences(model, theta, x, y, eps=1e-5, central=True)
    _, fd = G.mlp_finite_differences(model, theta, x, y, eps=1e-7)
    full = G.finite_differences(lambda t: NumpyBackend().loss_and_grad(model, t, x, y)[0], theta, 1e-6, True)
    np.testing.assert_allclose(dual, bp, atol=1e-12)
    np.testing.assert_allclose(fdc, bp, atol=1e-9)
    np.testing.assert_allclose(fd, bp, atol=1e-6)
    np.testing.assert_allclose(full, bp, atol=1e-8)   # the structured FD equals the full re-run
    assert np.abs(bp).max() > 1e-3


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_opencl_gradient_methods_agree_with_backprop(opencl, mnist, activation):
    model = MLP(hidden=30, activation=activation)
    theta = model.init(4)
    x, y = mnist[0].inputs[:10], mnist[0].one_hot()[:10]
    _, bp = NumpyBackend().loss_and_grad(model, theta.astype(np.float64), x.astype(np.float64), y)
    scale = np.abs(bp).max()
    _, dual = G.mlp_dual_gradient(model, theta, x, y, opencl)
    _, fdc = G.mlp_finite_differences(model, theta, x, y, central=True, backend=opencl)
    _, fd = G.mlp_finite_differences(model, theta, x, y, backend=opencl)
    assert G.gradient_check(dual, bp)["max_abs"] < 1e-5 * scale
    assert G.gradient_check(fdc, bp)["max_abs"] < 1e-4 * scale
    assert G.gradient_check(fd, bp)["max_abs"] < 1e-3 * scale + 1e-6   # O(eps) truncation
    _, np_fd = G.mlp_finite_differences(model, theta, x, y)
    np.testing.assert_allclose(fd, np_fd, atol=1e-6 * scale + 1e-8)
