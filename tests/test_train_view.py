"""The Train view, headless, driven by real pygame events."""
import time

import numpy as np
import pygame
import pytest

from game.widgets.charts import WeightHeatmap
from nn.series import decimate


@pytest.fixture
def app(make_app):
    return make_app("menu")


def _key(key, mod=0):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=""))


def _click(pos):
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))


def _wait(app, predicate, seconds=20):
    deadline = time.time() + seconds
    while not predicate() and time.time() < deadline:
        app.run(max_frames=1)
    return predicate()


def test_menu_opens_train_and_it_learns(app):
    _key(pygame.K_1)
    app.run(max_frames=2)
    scene = app.scene
    assert scene.title == "Train"
    scene.speed_slider.set(scene.speed_slider.hi)  # flat out
    assert _wait(app, lambda: scene.worker.snapshot.step >= 300)
    snap = scene.worker.snapshot
    assert len(snap.costs) >= 2 and snap.costs[-1][1] < snap.costs[0][1]
    _key(pygame.K_ESCAPE)
    app.run(max_frames=1)
    assert app.scene.title == "NN Arcade"


def test_pause_step_and_sliders_by_events(app):
    app.open("train", running=False)
    scene = app.scene
    app.run(max_frames=2)
    assert not scene.worker.snapshot.running and scene.worker.snapshot.step == 0
    _key(pygame.K_s)                                  # one mini-batch
    assert _wait(app, lambda: scene.worker.snapshot.step == 1)
    _click(scene.buttons[1].rect.center)              # the Step button
    assert _wait(app, lambda: scene.worker.snapshot.step == 2)
    # drag the learning-rate slider to its left end
    track = scene.lr_slider.track
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(track.x + track.w // 2, track.centery), button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(track.x - 50, track.centery), rel=(-200, 0), buttons=(1, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(track.x - 50, track.centery), button=1))
    assert _wait(app, lambda: abs(scene.worker.snapshot.lr - 0.01) < 1e-9)
    _key(pygame.K_SPACE)                              # play
    assert _wait(app, lambda: scene.worker.snapshot.running and scene.worker.snapshot.step > 10)
    _click(scene.play_button.rect.center)             # pause
    assert _wait(app, lambda: not scene.worker.snapshot.running)


def test_heatmap_pixels_are_the_weights_colour_mapping(app):
    app.open("train", running=False)
    scene = app.scene
    app.run(max_frames=2)
    snap = scene.worker.snapshot
    model = scene.worker.trainer.model
    w1 = model.views(snap.theta)["W1"]
    scale = float(np.percentile(np.abs(w1), 99))
    tile = scene.heatmap.tiles[4]
    expected = WeightHeatmap.tile_colors(w1[:, 4], scale)  # (28, 28, 3)
    # sample the centre of each of a few weight pixels on screen
    for r, c in [(0, 0), (13, 7), (27, 27), (20, 3)]:
        px = tile.x + int((c + 0.5) * tile.w / 28)
        py = tile.y + int((r + 0.5) * tile.h / 28)
        assert tuple(app.screen.get_at((px, py)))[:3] == tuple(expected[r, c])


def test_surface_value_at_the_ball_is_the_measured_cost(app):
    app.open("train", running=False)
    scene = app.scene
    scene.worker.send("step", 50)
    assert _wait(app, lambda: scene.surface_frame is not None and scene.surface_frame.step == 50)
    frame = scene.surface_frame
    centre = frame.costs[frame.n // 2, frame.n // 2]
    snap = scene.worker.snapshot
    measured = scene._tracker.cost(snap.theta)
    assert centre == pytest.approx(measured, rel=1e-4)
    assert frame.centre_cost == pytest.approx(measured, rel=1e-5)
    assert frame.costs.std() > 0  # a real landscape, not a flat sheet


def test_diverging_run_pauses_and_says_so(app):
    app.open("train", running=False)
    scene = app.scene
    scene._set("activation")("relu")
    scene.lr_slider.set(30.0)
    scene.worker.send("lr", 1e38)  # NaN needs absurd steps: sigmoid outputs saturate instead
    scene.worker.send("resume")
    assert _wait(app, lambda: scene.worker.snapshot.diverged)
    assert "NaN" in scene.worker.snapshot.message and not scene.worker.snapshot.running
    app.run(max_frames=2)  # draws the overlay without crashing
    _key(pygame.K_r)
    assert _wait(app, lambda: not scene.worker.snapshot.diverged)


def test_decimate_keeps_start_and_end():
    pts = [(i, float(i)) for i in range(10000)]
    d = decimate(pts, 100)
    assert len(d) <= 100 and d[0] == pts[0] and d[-1] == pts[-1]


def test_draw_with_these_weights_uses_the_live_network(app):
    app.open("train", running=False)
    train = app.scene
    train.worker.send("step", 20)
    assert _wait(app, lambda: train.worker.snapshot.step == 20)
    _key(pygame.K_d)
    app.run(max_frames=2)
    draw = app.scene
    assert draw.title == "Draw" and draw.use_live
    draw.demo()
    app.run(max_frames=2)
    np.testing.assert_array_equal(draw.active_theta, train.worker.snapshot.theta)
    _key(pygame.K_ESCAPE)
    app.run(max_frames=1)
    assert app.scene is train


def test_missing_data_is_a_notice_not_a_crash(app, tmp_path, monkeypatch):
    from nn import data
    monkeypatch.setattr(data, "DEFAULT_DATA_DIR", tmp_path / "nothing-here")
    data._load_cached.cache_clear()
    try:
        _key(pygame.K_1)
        app.run(max_frames=2)
        assert app.scene.title == "NN Arcade" and app.running
        assert "missing data file" in app.notice
    finally:
        data._load_cached.cache_clear()


def test_kernel_build_failure_falls_back_to_numpy(app, monkeypatch):
    from nn.errors import UserError
    backend = app.backend
    if not hasattr(backend, "warm_up"):
        pytest.skip("already on the NumPy backend")

    def broken(model):
        raise UserError("OpenCL kernel build failed (simulated)")
    monkeypatch.setattr(backend, "warm_up", broken)
    app.open("train", running=False)
    assert app.scene.backend.name == "numpy" and "NumPy backend instead" in app.notice
    app.scene.worker.send("step", 3)
    assert _wait(app, lambda: app.scene.worker.snapshot.step == 3)
