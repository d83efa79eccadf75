"""Right/wrong marks drawn as shapes (the bundled font has no ✓/✗ glyphs)."""
from __future__ import annotations

import pygame

from game import theme


def draw_mark(surface, center, ok: bool, size: int = 9) -> None:
    """✓ (light blue) or ✗ (orange): shape AND colour, so colour-blind players can read it."""
    x, y = center
    if ok:
        pygame.draw.lines(surface, theme.GOOD, False, [(x - size, y), (x - size // 3, y + size * 2 // 3), (x + size, y - size)], 3)
    else:
        pygame.draw.line(surface, theme.BAD, (x - size, y - size), (x + size, y + size), 3)
        pygame.draw.line(surface, theme.BAD, (x - size, y + size), (x + size, y - size), 3)
