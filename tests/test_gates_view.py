"""The Gates scenes driven by real pygame events: drags, scrolls, typing, solving, progress."""
import json

import pygame
import pytest



@pytest.fixture
def app(make_app):
    return make_app("gates")


def _click(pos, button=1):
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))


def _drag_slider_to(slider, value):
    track = slider.track
    x = track.x + int(track.w * (value - slider.lo) / (slider.hi - slider.lo))
    start = (track.x + track.w // 2, track.centery)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(x, track.centery), rel=(x - start[0], 0), buttons=(1, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(x, track.centery), button=1))


def _type_value(slider, text):
    _click(slider.value_rect.center)
    for ch in text:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=ord(ch) if ch.isdigit() else pygame.K_MINUS, mod=0, unicode=ch))
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r"))


def test_only_the_first_level_is_open_at_first(app):
    select = app.scene
    _click(select.cards[2].center)     # AND: locked
    app.run(max_frames=2)
    assert app.scene is select
    _click(select.cards[0].center)     # NOT
    app.run(max_frames=2)
    assert app.scene.level.id == "not"


def test_solving_or_by_dragging_sliders_saves_progress_and_unlocks(app, tmp_path):
    select = app.scene
    _click(select.cards[0].center)
    app.run(max_frames=2)
    level = app.scene
    w, b = level.sliders
    _drag_slider_to(w, -1.0)
    app.run(max_frames=2)
    assert level.params["W"][0, 0] == pytest.approx(-1.0) and not level.evaluation.solved
    _type_value(b, "1")
    app.run(max_frames=2)
    assert level.params["b"][0] == pytest.approx(1.0)
    assert level.evaluation.solved and level.solved_stars == 3   # 2 edits (par 2), nice values
    saved = json.loads((tmp_path / "progress.json").read_text())
    assert saved["gates"]["not"]["stars"] == 3
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r"))
    app.run(max_frames=2)
    assert app.scene.level.id == "or"
    # the talk's OR: w = (1, 1), b = 0, one row exactly on 0 (strict step); scroll the wheel
    or_level = app.scene
    for s in or_level.sliders[:2]:
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=s.rect.center, rel=(0, 0), buttons=(0, 0, 0)))
        pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False))
        pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False))
    app.run(max_frames=2)
    assert or_level.params["W"].tolist() == [[1.0, 1.0]] and or_level.edits == 4
    assert or_level.evaluation.solved
    ev = or_level.evaluation
    assert ev.sums[0][0, 0] == 0 and ev.outputs[0, 0] == 0


def test_xor_wall_offers_the_proof_and_it_unlocks_the_next(app, tmp_path):
    select = app.scene
    progress = select.progress
    for lid in ("not", "or", "and", "nand", "nor", "a-and-not-b"):
        progress.record(lid, 1)
    _click(select.cards[6].center)
    app.run(max_frames=2)
    wall = app.scene
    assert wall.level.unsolvable and not wall.separability.separable
    for v in (0.5, 1.0, -0.5, 1.5, 2.0, -1.0, 0.3, 0.7):
        _drag_slider_to(wall.sliders[v > 0], v)
        app.run(max_frames=1)
    assert wall.edits == 8 and wall.wall_offer and not wall.evaluation.solved
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_w, mod=0, unicode="w"))
    app.run(max_frames=2)
    assert wall.show_proof and wall.buttons[3].enabled
    assert json.loads((tmp_path / "progress.json").read_text())["gates"]["xor-wall"]["proof"] is True


def test_gradient_descent_button_animates_and_snaps_back(app):
    select = app.scene
    for lid in ("not", "or", "and", "nand", "nor", "a-and-not-b"):
        select.progress.record(lid, 1)
    select.progress.data["gates"]["xor-wall"] = {"stars": 0, "proof": True}
    _click(select.cards[7].center)
    app.run(max_frames=2)
    level = app.scene
    assert level.level.id == "xor"
    _click(level.buttons[1].rect.center)
    app.run(max_frames=5)
    moved = [s.value for s in level.sliders]
    assert any(v != 0 for v in moved) and level.gd["step"] > 0
    for _ in range(400):
        app.run(max_frames=1)
        if level.gd["done"]:
            break
    assert level.gd["done"] and level.gd["cost"] < 0.5
    assert level.gd["solved"] == level.evaluation.solved
