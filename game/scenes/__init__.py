"""Scenes by name."""
from __future__ import annotations


def make_scene(view: str, app, **kwargs):
    if view == "menu":
        from .menu import MenuScene
        return MenuScene(app)
    if view == "train":
        from .train import TrainScene
        return TrainScene(app, **kwargs)
    if view == "draw":
        from .draw import DrawScene
        return DrawScene(app, **kwargs)
    if view == "gates":
        from .gates import GatesScene
        return GatesScene(app)
    if view == "gate-level":
        from .gates import GateLevelScene
        return GateLevelScene(app, **kwargs)
    if view == "lab":
        from .lab import LabScene
        return LabScene(app)
    from nn.errors import UserError
    raise UserError(f"unknown view {view!r}")
