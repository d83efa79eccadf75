"""The OpenCL backend agrees with the NumPy reference; backprop agrees with finite differences."""
import numpy as np
import pytest

from nn.model import ACTIVATIONS, COSTS, MLP
from nn.numpy_backend import NumpyBackend


def _batch(mnist, n, start=0):
    train, _ = mnist
    return train.inputs[start:start + n], train.one_hot()[start:start + n]


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("cost", COSTS)
def test_forward_and_gradient_agree(opencl, numpy_backend, mnist, activation, cost):
    model = MLP(hidden=30, activation=activation, cost=cost)
    theta = model.init(3)
    x, y = _batch(mnist, 300)  # more than one kernel chunk would hold at once is fine too
    h_ref, o_ref = numpy_backend.forward(model, theta, x)
    h, o = opencl.forward(model, theta, x)
    np.testing.assert_allclose(h, h_ref, atol=2e-5)
    np.testing.assert_allclose(o, o_ref, atol=2e-5)
    c_ref, g_ref = numpy_backend.loss_and_grad(model, theta, x, y)
    c, g = opencl.loss_and_grad(model, theta, x, y)
    assert c == pytest.approx(c_ref, rel=1e-5)
    np.testing.assert_allclose(g, g_ref, atol=1e-5 * max(1.0, np.abs(g_ref).max()))
    assert np.abs(g_ref).max() > 1e-3  # a real gradient, not zeros agreeing with zeros


@pytest.mark.parametrize("hidden,batch", [(30, 10), (17, 7), (64, 32)])
def test_fused_sgd_matches_reference(opencl, numpy_backend, mnist, hidden, batch):
    train, _ = mnist
    model = MLP(hidden=hidden)
    order = np.random.default_rng(1).permutation(len(train))[:batch * 50]
    t_ref, t_cl = model.init(0), model.init(0)
    c_ref = numpy_backend.sgd(model, t_ref, train, order, batch, 3.0)
    c_cl = opencl.sgd(model, t_cl, train, order, batch, 3.0)
    assert np.abs(t_ref - model.init(0)).max() > 0.1  # the weights really moved
    np.testing.assert_allclose(t_cl, t_ref, atol=2e-4)
    np.testing.assert_allclose(c_cl, c_ref, rtol=1e-3, atol=1e-6)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("cost", COSTS)
def test_backprop_matches_central_differences_float64(activation, cost):
    model = MLP(inputs=6, hidden=4, outputs=3, activation=activation, cost=cost)
    rng = np.random.default_rng(0)
    theta = model.init(1).astype(np.float64) + 0.1 * rng.standard_normal(model.n_params)
    x = rng.random((5, 6))
    y = np.eye(3)[rng.integers(0, 3, 5)]
    backend = NumpyBackend()
    _, grad = backend.loss_and_grad(model, theta, x, y)
    eps = 1e-6
    numeric = np.empty_like(theta)
    for i in range(len(theta)):
        up, down = theta.copy(), theta.copy()
        up[i] += eps
        down[i] -= eps
        numeric[i] = (backend.loss_and_grad(model, up, x, y)[0] - backend.loss_and_grad(model, down, x, y)[0]) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


def test_evaluate_agrees(opencl, numpy_backend, mnist):
    _, test = mnist
    model = MLP()
    theta = model.init(0)
    numpy_backend.sgd(model, theta, mnist[0], np.arange(5000), 10, 3.0)
    acc_ref, cost_ref = numpy_backend.evaluate(model, theta, test)
    acc, cost = opencl.evaluate(model, theta, test)
    assert abs(acc - acc_ref) <= 2e-4 and cost == pytest.approx(cost_ref, rel=1e-4)
    assert acc > 0.7  # it learned something: a meaningful comparison


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("cost", COSTS)
def test_plane_grid_costs_agree(opencl, mnist, activation, cost):
    from nn import surface
    model = MLP(hidden=30, activation=activation, cost=cost)
    theta = model.init(5)
    x, labels = mnist[0].inputs[:203], mnist[0].labels[:203]   # not a multiple of 8: padding
    _, grad = NumpyBackend().loss_and_grad(model, theta, x, np.eye(10, dtype=np.float32)[labels])
    plane = surface.make_plane(model, theta, np.zeros_like(theta), grad)
    parts = surface.plane_parts(model, plane, x)
    coords = surface.grid_coords(0.7, 9)
    ref = surface.grid_costs(model, parts, labels, coords)
    got = opencl.grid_costs(model, parts, labels, coords)
    np.testing.assert_allclose(got, ref, rtol=2e-5, atol=1e-6)
    assert ref.std() > 0
