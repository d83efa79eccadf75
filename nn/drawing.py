"""A drawing pad as an ink array (no pygame): anti-aliased round strokes, erase, clear.

The draw view forwards mouse positions here; tests and the accuracy check use it the same way.
"""
from __future__ import annotations

import numpy as np


class Pad:
    def __init__(self, size: int = 280) -> None:
        self.size = size
        self.ink = np.zeros((size, size), np.float32)
        self.version = 0  # bumps on every change, so viewers know when to re-classify

    def clear(self) -> None:
        self.ink[:] = 0
        self.version += 1

    def stroke(self, p0: tuple[float, float], p1: tuple[float, float], radius: float, erase: bool = False) -> None:
        """Paint (or erase) a round-capped segment from p0 to p1, (x, y) in pad pixels.

        Coverage falls off over one pixel at the edge, so strokes are anti-aliased.
        """
        (x0, y0), (x1, y1) = p0, p1
        pad = radius + 1.5
        lo_x, hi_x = int(max(0, min(x0, x1) - pad)), int(min(self.size, max(x0, x1) + pad + 1))
        lo_y, hi_y = int(max(0, min(y0, y1) - pad)), int(min(self.size, max(y0, y1) + pad + 1))
        if lo_x >= hi_x or lo_y >= hi_y:
            return
        ys, xs = np.mgrid[lo_y:hi_y, lo_x:hi_x].astype(np.float32) + 0.5
        dx, dy = x1 - x0, y1 - y0
        length2 = dx * dx + dy * dy
        t = np.clip(((xs - x0) * dx + (ys - y0) * dy) / length2, 0, 1) if length2 > 0 else 0.0
        dist = np.hypot(xs - (x0 + t * dx), ys - (y0 + t * dy))
        cover = np.clip(radius + 0.5 - dist, 0, 1)
        region = self.ink[lo_y:hi_y, lo_x:hi_x]
        np.copyto(region, np.minimum(region, 1 - cover) if erase else np.maximum(region, cover))
        self.version += 1

    def place(self, digit: np.ndarray, top_left: tuple[int, int], side: int, thickness: int = 0) -> None:
        """Paint a small grey image (e.g. an MNIST digit) scaled to ``side`` pixels at ``top_left``,
        thickened by ``thickness`` pixels: how the accuracy check imitates drawings."""
        from .normalize import area_resize
        big = np.clip(area_resize(np.asarray(digit, np.float32), side, side), 0, 1)
        for _ in range(thickness):  # grey dilation by one pixel (3x3 max)
            padded = np.pad(big, 1)
            big = np.max([padded[dy:dy + side, dx:dx + side] for dy in range(3) for dx in range(3)], axis=0)
        x, y = top_left
        region = self.ink[y:y + side, x:x + side]
        np.maximum(region, big[:region.shape[0], :region.shape[1]], out=region)
        self.version += 1
