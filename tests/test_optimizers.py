import numpy as np
import pytest

from nn.optimizers import SGD, Adam, Momentum


def _quadratic(theta):
    a = np.array([1.0, 10.0], np.float32)  # an ill-conditioned bowl
    return float(0.5 * np.sum(a * theta ** 2)), a * theta


@pytest.mark.parametrize("opt", [SGD(0.05), Momentum(0.02), Adam(0.1)])
def test_each_optimizer_reduces_a_convex_cost(opt):
    theta = np.array([3.0, -2.0], np.float32)
    start = _quadratic(theta)[0]
    for _ in range(200):
        opt.step(theta, _quadratic(theta)[1])
    assert _quadratic(theta)[0] < 1e-3 * start


def test_adam_first_steps_match_the_papers_formulas():
    opt = Adam(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8)
    theta = np.array([1.0, -2.0], np.float64)
    g1 = np.array([0.5, -4.0])
    opt.step(theta, g1)
    # step 1: m = 0.1 g, v = 0.001 g², m̂ = g, v̂ = g², so the step is lr·g/(|g| + eps) = ±0.1
    np.testing.assert_allclose(theta, [1.0 - 0.1 * 0.5 / (0.5 + 1e-8), -2.0 + 0.1 * 4 / (4 + 1e-8)])
    g2 = np.array([1.0, 2.0])
    before = theta.copy()
    opt.step(theta, g2)
    m = 0.9 * (0.1 * g1) + 0.1 * g2
    v = 0.999 * (0.001 * g1 ** 2) + 0.001 * g2 ** 2
    m_hat, v_hat = m / (1 - 0.9 ** 2), v / (1 - 0.999 ** 2)
    np.testing.assert_allclose(theta, before - 0.1 * m_hat / (np.sqrt(v_hat) + 1e-8), rtol=1e-12)


def test_momentum_accumulates_velocity():
    opt = Momentum(0.1, beta=0.9)
    theta = np.zeros(1)
    opt.step(theta, np.ones(1))
    opt.step(theta, np.ones(1))
    assert theta[0] == pytest.approx(-(0.1 * 1 + 0.1 * 1.9))
