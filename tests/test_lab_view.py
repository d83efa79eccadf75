"""The Lab scene driven by real pygame events."""
import time

import numpy as np
import pygame
import pytest

from nn import lessons


@pytest.fixture
def app(make_app):
    return make_app("lab")


def _key(key):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=""))


def test_both_balls_roll_to_the_minimum_with_a_good_epsilon(app):
    lab = app.scene
    for _ in range(60):
        _key(pygame.K_s)
    app.run(max_frames=2)
    assert abs(lab.x_dual + 1) < 1e-3 and abs(lab.x_fd + 1) < 1e-2


def test_tiny_epsilon_breaks_float32_finite_differences(app):
    lab = app.scene
    track = lab.eps_slider.track
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(track.x + 1, track.centery), button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(track.x + 1, track.centery), button=1))
    app.run(max_frames=2)
    assert lab.eps_slider.value < 1e-9
    assert abs(lab.fd_slope(lab.x_fd) - lessons.dF(lab.x_fd)) > 1.0   # x + ε rounds back to x
    assert lessons.trace_F(lab.x_dual)[-1][1].deriv == pytest.approx(lessons.dF(lab.x_dual))


def test_bonus_path_sums_both_paths(app):
    _key(pygame.K_b)
    app.run(max_frames=2)
    lab = app.scene
    x = lab.x_dual
    i, h = 0.9 * x + 5, 3 * (0.9 * x + 5) + 5
    assert lab.bonus
    assert lessons.trace_chain(x, True)[-1][1].deriv == pytest.approx(2 * h * 2.7 + 2 * i * 0.9)


def test_optimizers_race_from_a_click(app):
    lab = app.scene
    _key(pygame.K_2)
    app.run(max_frames=1)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=lab._to_land((-2.0, 0.5)), button=1))
    app.run(max_frames=400)
    costs = {name: lessons.landscape(*b["p"]) for b, name in zip(lab.opt_balls, ("sgd", "momentum", "adam"))}
    assert costs["momentum"] < -1.25 < costs["sgd"]       # momentum escapes the dip SGD settles in
    assert all(np.linalg.norm(lessons.landscape_grad(b["p"])) < 0.05 for b in lab.opt_balls[:1])


def test_mnist_race_runs_every_method(app):
    lab = app.scene
    _key(pygame.K_3)
    app.run(max_frames=1)
    _key(pygame.K_SPACE)
    app.run(max_frames=1)
    deadline = time.time() + 30
    while lab.race.done < 20 and time.time() < deadline:
        app.run(max_frames=1)
    lab.race.stop()
    lanes = {lane.method: lane for lane in lab.race.lanes}
    assert set(lanes) == {"backprop", "dual", "fd", "fd-central"}
    assert all(len(l.times) >= 20 for l in lanes.values())
    scale = 1e-2
    assert lanes["dual"].max_diff < 1e-6 and lanes["fd-central"].max_diff < 1e-5 and lanes["fd"].max_diff < 1e-4
    assert abs(lanes["fd"].costs[-1] - lanes["backprop"].costs[-1]) < scale
