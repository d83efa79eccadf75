"""The draw view, driven by real pygame mouse events, and the drawing-accuracy bar."""
import numpy as np
import pygame
import pytest

from nn import weights


@pytest.fixture
def app(make_app):
    return make_app("draw")


def _post_stroke(points, button=1):
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=points[0], button=button))
    buttons = (1, 0, 0) if button == 1 else (0, 0, 1)
    for prev, p in zip(points, points[1:]):
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=p, rel=(p[0] - prev[0], p[1] - prev[1]),
                                             buttons=buttons))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=points[-1], button=button))


def _pad_points(scene, pts):
    r = scene.pad_rect
    return [(r.x + int(x * r.w / 280), r.y + int(y * r.h / 280)) for x, y in pts]


def test_empty_pad_shows_no_guess(app):
    app.run(max_frames=3)
    assert app.scene.prediction is None and app.scene.digit is None


def test_drawing_a_one_with_the_mouse_is_classified_as_one(app):
    scene = app.scene
    _post_stroke(_pad_points(scene, [(140, 40 + 8 * i) for i in range(26)]))
    app.run(max_frames=3)
    assert scene.pad.ink.max() == pytest.approx(1.0)
    assert scene.prediction == 1
    assert 0 < scene.infer_us < 1000


def test_drawing_a_seven_then_erasing_and_clearing(app):
    scene = app.scene
    _post_stroke(_pad_points(scene, [(60 + 10 * i, 50) for i in range(17)] + [(220 - 6 * i, 50 + 12 * i) for i in range(1, 17)]))
    app.run(max_frames=3)
    assert scene.prediction == 7
    inked = scene.pad.ink.sum()
    _post_stroke(_pad_points(scene, [(140, 60), (140, 140)]), button=3)   # right button erases
    app.run(max_frames=2)
    assert scene.pad.ink.sum() < inked
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_c, mod=0, unicode="c"))
    app.run(max_frames=2)
    assert scene.pad.ink.max() == 0 and scene.prediction is None


def test_raw_toggle_changes_what_the_network_sees(app):
    scene = app.scene
    _post_stroke(_pad_points(scene, [(200, 200 + 3 * i) for i in range(20)]))
    app.run(max_frames=2)
    normalised = scene.digit.copy()
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_n, mod=0, unicode="n"))
    app.run(max_frames=2)
    assert scene.raw and not np.allclose(scene.digit, normalised)


def test_drawn_digit_accuracy_stays_within_3_points_of_mnist():
    """MNIST test digits upscaled onto the pad at random sizes, places and stroke thickness,
    through the pad's own pipeline, versus the same weights on the 28×28 originals (a fixed
    subset; `nnarcade bench --draw` runs all 10,000)."""
    from nn.bench import drawn_digit_accuracy
    r = drawn_digit_accuracy(count=400, seed=1234)
    assert r["original"] > 0.9
    assert r["on_pad"] >= r["original"] - 0.03, r


def test_teach_it_keeps_labelled_drawings_and_fine_tunes(app, tmp_path):
    scene = app.scene
    for k in range(3):   # three sevens, labelled with the 7 key
        _post_stroke(_pad_points(scene, [(60 + 10 * i, 50 + k * 5) for i in range(17)] +
                                 [(220 - 6 * i, 50 + 12 * i) for i in range(1, 17)]))
        app.run(max_frames=2)
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_7, mod=0, unicode="7"))
        app.run(max_frames=2)
    assert len(scene.drawings) == 3 and (tmp_path / "drawings.npz").exists()
    assert scene.pad.ink.max() == 0   # cleared for the next one
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_f, mod=0, unicode="f"))
    app.run(max_frames=2)
    assert "before" in scene.teach_report and "after" in scene.teach_report
    from game.drawings import DrawingSet
    assert len(DrawingSet()) == 3   # reloads from disk


def test_loading_the_talks_bin_and_a_bad_file(app, tmp_path):
    scene = app.scene
    path = weights.export_ea_bin(tmp_path / "talk.bin", scene.model, scene.theta)
    scene.load_weights(str(path))
    assert scene.weights_path == str(path)
    (tmp_path / "bad.bin").write_bytes(b"\0" * 10)
    scene.load_weights(str(tmp_path / "bad.bin"))
    assert scene.weights_path == str(path) and "95,440" in app.notice   # kept the network, said why
