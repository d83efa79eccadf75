"""Loss curve, 3-D cost surface with a ball, and the weight heatmap."""
from __future__ import annotations

import math
import time

import numpy as np
import pygame

from game import theme
from nn.series import decimate


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    span = max(hi - lo, 1e-12)
    step = 10 ** math.floor(math.log10(span / count))
    for m in (1, 2, 5, 10):
        if span / (step * m) <= count:
            step *= m
            break
    start = math.ceil(lo / step) * step
    return [start + i * step for i in range(int((hi - start) / step) + 1)]


class LossChart:
    """Training cost (left axis, optional log scale) and test accuracy per epoch (right axis)."""

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 10, 10)
        self.log = True

    def draw(self, surface: pygame.Surface, costs, accuracy, batches_per_epoch: int) -> None:
        inner = theme.panel(surface, self.rect, "Training cost and test accuracy")
        theme.text(surface, "log scale [L]" if self.log else "linear [L]", (self.rect.right - 10, self.rect.y + 8),
                   13, theme.MUTED, anchor="topright")
        plot = pygame.Rect(inner.x + 46, inner.y + 16, inner.w - 96, inner.h - 40)
        pygame.draw.rect(surface, (22, 24, 33), plot)
        points = decimate(list(costs))
        if len(points) < 2:
            theme.text(surface, "press Space to start training", plot.center, 16, theme.MUTED, anchor="center")
            return
        xs = np.array([p[0] for p in points], float)
        ys = np.array([max(p[1], 1e-6) for p in points], float)
        fy = np.log10 if self.log else (lambda v: v)
        y_lo, y_hi = fy(ys.min()), fy(ys.max())
        if y_hi - y_lo < 1e-9:
            y_lo, y_hi = y_lo - 0.5, y_hi + 0.5
        x_hi = max(xs.max(), 1)

        def to_px(x, y):
            return (plot.x + plot.w * x / x_hi, plot.bottom - plot.h * (fy(y) - y_lo) / (y_hi - y_lo))

        # axes and ticks
        for t in nice_ticks(y_lo, y_hi, 4):
            py = plot.bottom - plot.h * (t - y_lo) / (y_hi - y_lo)
            pygame.draw.line(surface, (40, 44, 58), (plot.x, py), (plot.right, py))
            label = f"{10 ** t:.3g}" if self.log else f"{t:.3g}"
            theme.text(surface, label, (plot.x - 4, py), 12, theme.MUTED, anchor="midright")
        epochs = x_hi / batches_per_epoch
        for t in nice_ticks(0, epochs, 6):
            px = plot.x + plot.w * t * batches_per_epoch / x_hi
            theme.text(surface, f"{t:g}", (px, plot.bottom + 3), 12, theme.MUTED, anchor="midtop")
        theme.text(surface, "epochs", (plot.right, plot.bottom + 15), 12, theme.MUTED, anchor="topright")
        theme.text(surface, "training cost", (plot.x - 40, plot.y - 12), 12, theme.ACCENT, anchor="bottomleft")
        pygame.draw.lines(surface, theme.ACCENT, False, [to_px(x, y) for x, y in zip(xs, ys)], 2)
        # accuracy on the right axis, 0..100%
        theme.text(surface, "test accuracy", (plot.right + 40, plot.y - 12), 12, theme.BLUE, anchor="bottomright")
        lo_acc = min([0.8] + list(accuracy))
        for t in nice_ticks(lo_acc * 100, 100, 4):
            py = plot.bottom - plot.h * (t / 100 - lo_acc) / (1 - lo_acc)
            theme.text(surface, f"{t:.0f}%", (plot.right + 4, py), 12, theme.BLUE, anchor="midleft")
        acc_pts = [(plot.x + plot.w * (i + 1) * batches_per_epoch / x_hi,
                    plot.bottom - plot.h * (a - lo_acc) / (1 - lo_acc)) for i, a in enumerate(accuracy)]
        if len(acc_pts) > 1:
            pygame.draw.lines(surface, theme.BLUE, False, acc_pts, 2)
        for p in acc_pts:
            pygame.draw.circle(surface, theme.BLUE, p, 4)


class SurfaceView:
    """The cost over a plane as a shaded 3-D mesh (drag to rotate), a ball, a trail and a contour map."""

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 10, 10)
        self.yaw, self.pitch = -0.7, 0.85
        self.dragging = False
        self.heights: np.ndarray | None = None   # shown heights, eased toward the latest frame
        self.frame = None
        self._cache: pygame.Surface | None = None
        self._cache_key = None
        self._rendered_at = 0.0

    def handle_event(self, event) -> bool:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.rect.collidepoint(event.pos):
            self.dragging = True
            return True
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self.dragging = False
        if event.type == pygame.MOUSEMOTION and self.dragging:
            self.yaw += event.rel[0] * 0.01
            self.pitch = float(np.clip(self.pitch + event.rel[1] * 0.01, 0.15, 1.45))
            return True
        return False

    def update(self, frame, dt: float) -> None:
        if frame is None:
            return
        if self.frame is None or self.heights is None or self.heights.shape != frame.costs.shape:
            self.heights = frame.costs.copy()
        else:  # animate plane changes instead of jumping
            self.heights += (frame.costs - self.heights) * min(1.0, dt * 6)
        self.frame = frame

    def _project(self, a, b, h, area):
        """(a, b) in [-1, 1], h in [0, 1] -> screen x, y and depth."""
        ca, sa = math.cos(self.yaw), math.sin(self.yaw)
        x, y = a * ca - b * sa, a * sa + b * ca
        cp, sp = math.cos(self.pitch), math.sin(self.pitch)
        sx = area.centerx + x * area.w * 0.34
        sy = area.centery + 0.15 * area.h + (y * cp * 0.34 - (h - 0.5) * sp * 0.55) * area.h
        return sx, sy, y * sp + h * cp

    def draw(self, surface: pygame.Surface) -> None:
        inner = theme.panel(surface, self.rect, "Cost surface around the current weights")
        f = self.frame
        if f is None or self.heights is None:
            theme.text(surface, "measuring the landscape...", inner.center, 16, theme.MUTED, anchor="center")
            return
        hs = self.heights
        lo, hi = float(hs.min()), float(hs.max())
        norm = (hs - lo) / max(hi - lo, 1e-9)
        mesh = pygame.Rect(inner.x, inner.y, inner.w - 130, inner.h)
        # re-render only when something visible changed (heights to 1/200 of the range)
        key = (round(self.yaw, 3), round(self.pitch, 3), mesh.size, np.round(norm * 200).astype(np.int16).tobytes())
        now = time.perf_counter()
        if key != self._cache_key and (self.dragging or self._cache is None or now - self._rendered_at > 1 / 15):
            self._cache = self._render_mesh(norm, mesh)
            self._cache_key, self._rendered_at = key, now
        surface.blit(self._cache, mesh.topleft)
        n = f.n
        # trail and ball at their measured costs (heights on the same scale as the mesh)
        def to_screen(a, b, cost):
            return self._project(a / f.radius, b / f.radius, (cost - lo) / max(hi - lo, 1e-9), mesh)[:2]
        pts = [to_screen(a, b, c) for a, b, _, c in f.trail]
        if len(pts) > 1:
            pygame.draw.lines(surface, theme.TEXT, False, pts, 2)
        for p in pts[:-1]:
            pygame.draw.circle(surface, theme.TEXT, p, 3)
        ball = to_screen(0.0, 0.0, f.centre_cost)
        pygame.draw.circle(surface, (255, 255, 255), ball, 9)
        pygame.draw.circle(surface, theme.ACCENT, ball, 9, 3)
        # contour mini-map
        mini = pygame.Rect(inner.right - 122, inner.y + 4, 118, 118)
        levels = np.floor(norm * 10) / 10
        img = theme.image_from_rgb(theme.sequential(levels)[::-1], mini.size)
        surface.blit(img, mini)
        pygame.draw.rect(surface, theme.PANEL_EDGE, mini, 1)

        def to_mini(a, b):
            return (mini.x + mini.w * (a / f.radius + 1) / 2, mini.bottom - mini.h * (b / f.radius + 1) / 2)
        mpts = [to_mini(a, b) for a, b, _, _ in f.trail]
        if len(mpts) > 1:
            pygame.draw.lines(surface, theme.TEXT, False, mpts, 1)
        pygame.draw.circle(surface, (255, 255, 255), to_mini(0, 0), 4)
        far = max((d for _, _, d, _ in f.trail), default=0.0)
        y = mini.bottom + 8
        for line in ("a plane through the weights", "a: recent travel (trail", "   starts at a = -1)",
                     "b: downhill gradient, at", "   right angles, filter-", "   normalised",
                     f"shown: |a|, |b| <= {f.radius:.2f}", f"trail off-plane: <= {far:.0%}",
                     "   of the travel", f"cost {lo:.3f} to {hi:.3f}",
                     f"{n}×{n} grid: {f.seconds * 1e3:.0f} ms"):
            theme.text(surface, line, (mini.x, y), 12, theme.MUTED)
            y += 15
        theme.text(surface, "drag to rotate", (mesh.x, mesh.bottom - 14), 12, theme.MUTED)

    def _render_mesh(self, norm: np.ndarray, area: pygame.Rect) -> pygame.Surface:
        """Quads back to front (painter's algorithm), shaded by slope; projections in NumPy."""
        surf = pygame.Surface(area.size, pygame.SRCALPHA)
        n = norm.shape[0]
        axis = np.linspace(-1, 1, n)
        a, b = np.meshgrid(axis, axis)             # [row=b, col=a]
        ca, sa = math.cos(self.yaw), math.sin(self.yaw)
        cp, sp = math.cos(self.pitch), math.sin(self.pitch)
        x, y = a * ca - b * sa, a * sa + b * ca
        sx = area.w / 2 + x * area.w * 0.34
        sy = area.h / 2 + 0.15 * area.h + (y * cp * 0.34 - (norm - 0.5) * sp * 0.55) * area.h
        depth = y * sp + norm * cp
        quad_depth = (depth[:-1, :-1] + depth[:-1, 1:] + depth[1:, :-1] + depth[1:, 1:]).ravel()
        slope = np.clip(1 - 4 * (norm[:-1, 1:] - norm[:-1, :-1]) - 2 * (norm[1:, :-1] - norm[:-1, :-1]), 0, 1.3)
        shade = (0.75 + 0.25 * slope)[..., None]
        colors = np.minimum(255, theme.sequential(norm[:-1, :-1]) * shade).astype(int).reshape(-1, 3).tolist()
        corners = np.stack([np.stack([sx[:-1, :-1], sy[:-1, :-1]], -1), np.stack([sx[:-1, 1:], sy[:-1, 1:]], -1),
                            np.stack([sx[1:, 1:], sy[1:, 1:]], -1), np.stack([sx[1:, :-1], sy[1:, :-1]], -1)],
                           axis=2).reshape(-1, 4, 2).tolist()
        polygon = pygame.draw.polygon
        for q in np.argsort(-quad_depth, kind="stable"):
            polygon(surf, colors[q], corners[q])
        return surf


class WeightHeatmap:
    """Every weight: the hidden neurons' 28×28 input weights as tiles and the output matrix."""

    REFRESH_SECONDS = 1 / 15  # weights are redrawn at most 15 times a second

    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 10, 10)
        self.tiles: list[pygame.Rect] = []
        self.hover: int | None = None
        self._image: pygame.Surface | None = None
        self._drawn_at = 0.0
        self._key = None

    def handle_event(self, event) -> None:
        if event.type == pygame.MOUSEMOTION:
            self.hover = next((j for j, r in enumerate(self.tiles) if r.collidepoint(event.pos)), None)

    @staticmethod
    def tile_colors(w1_column: np.ndarray, scale: float) -> np.ndarray:
        return theme.diverging(w1_column.reshape(28, 28), scale)

    def draw(self, surface: pygame.Surface, model, theta: np.ndarray, version: int = 0) -> None:
        now = time.perf_counter()
        key = (self.rect.size, model, version)
        if self._image is None or (key != self._key and now - self._drawn_at >= self.REFRESH_SECONDS) \
                or self._key[:2] != key[:2]:
            self._image = pygame.Surface(self.rect.size)
            self._render(self._image, model, theta)
            self._key, self._drawn_at = key, now
        surface.blit(self._image, self.rect)
        self._draw_hover(surface, model, theta)

    def _render(self, target: pygame.Surface, model, theta: np.ndarray) -> None:
        """The whole panel into ``target`` (panel-local coordinates); tiles kept in screen coordinates."""
        target.fill(theme.BG)
        local = pygame.Rect(0, 0, self.rect.w, self.rect.h)
        inner = theme.panel(target, local, "Every weight")
        v = model.views(theta)
        w1, w2 = v["W1"], v["W2"]
        scale1 = float(np.percentile(np.abs(w1), 99)) or 1.0
        cols = 6 if model.hidden <= 30 else 10
        rows = math.ceil(model.hidden / cols)
        tile = int(min(inner.w * 0.62 / cols, (inner.h - 40) / rows)) - 3
        self.tiles = []
        for j in range(model.hidden):
            r = pygame.Rect(inner.x + (j % cols) * (tile + 3), inner.y + 2 + (j // cols) * (tile + 3), tile, tile)
            self.tiles.append(r.move(self.rect.topleft))
            if model.inputs == 784:
                target.blit(theme.image_from_rgb(self.tile_colors(w1[:, j], scale1), r.size), r)
        # output matrix: rows = 10 outputs, columns = hidden neurons
        mx = inner.x + cols * (tile + 3) + 14
        mat = pygame.Rect(mx, inner.y + 18, inner.right - mx,
                          min(inner.h - 60, int((inner.right - mx) * 10 / model.hidden) + 40))
        scale2 = float(np.abs(w2).max()) or 1.0
        target.blit(theme.image_from_rgb(theme.diverging(w2.T, scale2), mat.size), mat)
        theme.text(target, f"output weights (10 × {model.hidden})", (mx, inner.y), 12, theme.MUTED)
        leg = pygame.Rect(mx, mat.bottom + 10, mat.w, 10)
        ramp = np.linspace(-1, 1, 64)[None, :]
        target.blit(theme.image_from_rgb(theme.diverging(ramp, 1.0), leg.size), leg)
        theme.text(target, f"−{scale1:.1f}", (leg.x, leg.bottom + 2), 12, theme.BLUE)
        theme.text(target, "0", (leg.centerx, leg.bottom + 2), 12, theme.MUTED, anchor="midtop")
        theme.text(target, f"+{scale1:.1f}", (leg.right, leg.bottom + 2), 12, theme.ACCENT, anchor="topright")
        theme.text(target, "tiles: hidden neurons' 784", (leg.x, leg.bottom + 18), 12, theme.MUTED)
        theme.text(target, "input weights, ±99th pct", (leg.x, leg.bottom + 32), 12, theme.MUTED)
        theme.text(target, f"matrix: ±{scale2:.1f}", (leg.x, leg.bottom + 46), 12, theme.MUTED)
        theme.text(target, "hover a tile for details", (leg.x, leg.bottom + 60), 12, theme.MUTED)

    def _draw_hover(self, surface: pygame.Surface, model, theta: np.ndarray) -> None:
        if self.hover is None or self.hover >= min(model.hidden, len(self.tiles)):
            return
        j = self.hover
        v = model.views(theta)
        w1 = v["W1"]
        pygame.draw.rect(surface, theme.TEXT, self.tiles[j], 2)
        info = f"hidden neuron {j}: weights {w1[:, j].min():+.2f} to {w1[:, j].max():+.2f}, bias {v['b1'][j]:+.2f}"
        theme.text(surface, info, (self.rect.x + 10, self.rect.bottom - 22), 13, theme.TEXT)
