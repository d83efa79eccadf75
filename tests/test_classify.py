"""`nnarcade classify` on picture files, both ink polarities, any size, via the shared normalisation."""
import json

import numpy as np
import pygame
import pytest

from game.cli import main
from nn import normalize
from nn.errors import UserError


def _save_png(path, gray):
    rgb = np.repeat((np.clip(gray, 0, 1) * 255).astype(np.uint8)[:, :, None], 3, axis=2)
    pygame.image.save(pygame.surfarray.make_surface(rgb.transpose(1, 0, 2)), str(path))


@pytest.fixture
def digit_pictures(tmp_path, mnist):
    _, test = mnist
    paths = []
    for i in range(12):
        img = test.images[i].reshape(28, 28) / 255.0
        big = np.kron(img, np.ones((9, 9)))                       # 252x252
        canvas = np.zeros((300, 400))
        canvas[20:272, 60 + 7 * i:312 + 7 * i] = big
        if i % 2:
            canvas = 1 - canvas                                     # dark ink on light paper
        path = tmp_path / f"digit{i}.png"
        _save_png(path, canvas)
        paths.append(str(path))
    return paths, test.labels[:12]


def test_classify_pictures_json(digit_pictures, capsys):
    paths, labels = digit_pictures
    assert main(["classify", *paths, "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["image"] for r in rows] == paths
    assert all(len(r["probabilities"]) == 10 and abs(sum(r["probabilities"]) - 1) < 1e-3 for r in rows)
    correct = sum(r["digit"] == label for r, label in zip(rows, labels))
    assert correct >= 11


def test_blank_picture_is_exit_2(tmp_path, capsys):
    _save_png(tmp_path / "blank.png", np.ones((50, 60)))
    assert main(["classify", str(tmp_path / "blank.png")]) == 2
    assert "no ink" in capsys.readouterr().err


def test_normalisation_fits_20_box_and_centres_mass():
    ink = np.zeros((200, 100))
    ink[20:180, 40:60] = 1.0                       # a tall bar, off-centre
    out = normalize.mnist_normalize(ink)
    rows = np.flatnonzero(out.max(axis=1) > 0.05)
    assert out.shape == (28, 28) and rows.size == 20
    ys, xs = np.indices(out.shape)
    assert abs((ys * out).sum() / out.sum() - 14) <= 0.5
    assert abs((xs * out).sum() / out.sum() - 14) <= 0.5
    with pytest.raises(UserError):
        normalize.mnist_normalize(np.zeros((10, 10)))
