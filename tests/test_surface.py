"""Every height of the cost surface is the cost of a real parameter vector on the plane."""
import numpy as np
import pytest

from nn import surface
from nn.backend import batch_costs
from nn.model import MLP
from nn.numpy_backend import NumpyBackend


def test_grid_heights_are_costs_of_actual_parameter_vectors(mnist):
    model = MLP()
    x, labels = mnist[0].inputs[:300], mnist[0].labels[:300]
    y = np.eye(10, dtype=np.float32)[labels]
    theta, past = model.init(3), model.init(4)
    _, grad = NumpyBackend().loss_and_grad(model, theta, x, y)
    plane = surface.make_plane(model, theta, theta - past, grad)
    coords = surface.grid_coords(1.5, 7)
    heights = surface.grid_costs(model, surface.plane_parts(model, plane, x), labels, coords)
    for (a, b), h in zip(coords, heights):
        out = NumpyBackend().forward(model, plane.point(a, b), x)[1]
        assert h == pytest.approx(batch_costs(model, out, y).mean(), rel=1e-4)
    # the trail's start lies on the plane at a = -1, and the centre at (0, 0)
    a, b, dist = plane.project(past)
    assert (a, b) == pytest.approx((-1.0, 0.0), abs=1e-5) and dist < 1e-3 * np.linalg.norm(theta - past)
    assert abs(float(plane.d1.astype(np.float64) @ plane.d2)) < 1e-3 * float(np.linalg.norm(plane.d1)) ** 2
