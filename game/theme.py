"""Colours, fonts and colour maps. Blue–orange (not red–green) so colour-blind players can read them."""
from __future__ import annotations

import numpy as np
import pygame

BG = (18, 20, 28)
PANEL = (28, 31, 42)
PANEL_EDGE = (52, 57, 74)
TEXT = (226, 230, 240)
MUTED = (140, 148, 168)
ACCENT = (255, 170, 60)      # orange: positive, the winner, "yes"
BLUE = (70, 150, 255)        # blue: negative, "no"
GOOD = (90, 200, 255)        # right: light blue + ✓
BAD = (255, 140, 40)         # wrong: orange + ✗
WARN = (255, 210, 90)

_fonts: dict[tuple[int, bool], pygame.font.Font] = {}
_rendered: dict[tuple, pygame.Surface] = {}  # text images: most labels repeat every frame


def font(size: int, bold: bool = False) -> pygame.font.Font:
    key = (size, bold)
    if key not in _fonts:
        f = pygame.font.Font(None, int(size * 1.3))  # pygame's bundled font: always available offline
        f.set_bold(bold)
        _fonts[key] = f
    return _fonts[key]


def reset_fonts() -> None:
    """Forget cached fonts: they die with pygame.font.quit() and must not be used after it."""
    _fonts.clear()
    _rendered.clear()


def text(surface: pygame.Surface, s: str, pos: tuple[int, int], size: int = 16, color=TEXT,
         bold: bool = False, anchor: str = "topleft") -> pygame.Rect:
    key = (s, size, tuple(color), bold)
    img = _rendered.get(key)
    if img is None:
        if len(_rendered) > 2000:
            _rendered.clear()
        img = _rendered[key] = font(size, bold).render(s, True, color)
    rect = img.get_rect(**{anchor: pos})
    surface.blit(img, rect)
    return rect


def wrap(s: str, width: int, size: int = 16, bold: bool = False) -> list[str]:
    """Split ``s`` into lines that fit ``width`` pixels at this font size."""
    lines, line = [], ""
    for word in s.split():
        trial = f"{line} {word}".strip()
        if line and font(size, bold).size(trial)[0] > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + ([line] if line else [])


def panel(surface: pygame.Surface, rect: pygame.Rect, title: str | None = None) -> pygame.Rect:
    pygame.draw.rect(surface, PANEL, rect, border_radius=8)
    pygame.draw.rect(surface, PANEL_EDGE, rect, 1, border_radius=8)
    if title:
        text(surface, title, (rect.x + 10, rect.y + 7), 15, MUTED, bold=True)
        return pygame.Rect(rect.x + 8, rect.y + 28, rect.w - 16, rect.h - 36)
    return rect.inflate(-16, -16)


# Diverging map centred on 0: blue (negative) - near-black - orange (positive).
_NEG = np.array([70, 150, 255], np.float32)
_MID = np.array([24, 26, 34], np.float32)
_POS = np.array([255, 170, 60], np.float32)


def diverging(values: np.ndarray, scale: float) -> np.ndarray:
    """RGB uint8 for values in [-scale, scale] (clipped), 0 at the dark centre."""
    t = np.clip(np.asarray(values, np.float32) / max(scale, 1e-12), -1, 1)[..., None]
    rgb = np.where(t < 0, _MID + (-t) * (_NEG - _MID), _MID + t * (_POS - _MID))
    return rgb.astype(np.uint8)


# Sequential map for activations and heights: dark blue -> teal -> yellow-orange.
_SEQ = np.array([[20, 24, 60], [40, 90, 170], [60, 170, 200], [240, 200, 90], [255, 150, 40]], np.float32)


def sequential(values: np.ndarray) -> np.ndarray:
    """RGB uint8 for values in [0, 1]."""
    t = np.clip(np.asarray(values, np.float32), 0, 1) * (len(_SEQ) - 1)
    i = np.minimum(t.astype(int), len(_SEQ) - 2)
    f = (t - i)[..., None]
    return (_SEQ[i] * (1 - f) + _SEQ[i + 1] * f).astype(np.uint8)


def image_from_rgb(rgb: np.ndarray, size: tuple[int, int] | None = None, smooth: bool = False) -> pygame.Surface:
    """(rows, cols, 3) uint8 -> Surface, optionally scaled (nearest by default: pixels stay crisp)."""
    surf = pygame.surfarray.make_surface(np.ascontiguousarray(rgb.transpose(1, 0, 2)))
    if size:
        surf = (pygame.transform.smoothscale if smooth else pygame.transform.scale)(surf, size)
    return surf
