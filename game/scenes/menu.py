"""The main menu."""
from __future__ import annotations

import pygame

from game import theme
from game.app import Scene
from game.widgets.controls import Button

ENTRIES = [
    ("Train", "train", "Watch an MLP learn MNIST live: loss curve, cost surface, every weight.", True),
    ("Draw", "draw", "Draw a digit and see every neuron light up as the network reads it.", True),
    ("Gates", "gates", "Tune perceptrons by hand: NOT, OR, AND ... and why XOR needs a hidden layer.", True),
    ("Lab", "lab", "Finite differences, dual numbers, backprop side by side; SGD vs momentum vs Adam.", True),
]


class MenuScene(Scene):
    title = "NN Arcade"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.buttons = [Button(label, (lambda v=view: self.app.open(v)), str(i + 1), enabled)
                        for i, (label, view, _, enabled) in enumerate(ENTRIES)]
        self.buttons.append(Button("Quit", self.app.back, "Esc"))

    def layout(self, size) -> None:
        w, h = size
        top = int(h * 0.32)
        for i, b in enumerate(self.buttons):
            b.rect = pygame.Rect(w // 2 - 330, top + i * 62, 190, 44)

    def handle_event(self, event) -> None:
        for b in self.buttons:
            b.handle_event(event)
        if event.type == pygame.KEYDOWN and pygame.K_1 <= event.key <= pygame.K_4:
            label, view, _, enabled = ENTRIES[event.key - pygame.K_1]
            if enabled:
                self.app.open(view)

    def draw(self, surface) -> None:
        w, h = surface.get_size()
        theme.text(surface, "NN Arcade", (w // 2, int(h * 0.12)), 48, theme.ACCENT, True, "center")
        theme.text(surface, "make neural networks visible and playable", (w // 2, int(h * 0.12) + 48), 18,
                   theme.MUTED, anchor="center")
        for b, (_, _, blurb, enabled) in zip(self.buttons, ENTRIES + [("", "", "Leave the arcade.", True)]):
            b.draw(surface)
            theme.text(surface, blurb, (b.rect.right + 20, b.rect.centery), 16,
                       theme.TEXT if enabled else theme.MUTED, anchor="midleft")
        theme.text(surface, "Esc back  ·  F11 fullscreen  ·  F12 screenshot", (w // 2, h - 50), 14,
                   theme.MUTED, anchor="center")
