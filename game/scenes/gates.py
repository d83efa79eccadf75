"""Gates: perceptron logic-gate puzzles, from NOT to XOR and a half adder, tuned by hand."""
from __future__ import annotations

import time

import numpy as np
import pygame

from game import theme
from game.app import Scene
from game.progress import Progress
from game.widgets.controls import Button, NumberSlider
from game.widgets.marks import draw_mark
from nn import gates

WALL_PATIENCE = 8        # edits (or...)
WALL_SECONDS = 40.0      # ...seconds on the XOR wall before the game offers the proof
GD_STEPS_PER_FRAME = 25
GD_MAX_STEPS = 4000
SLICE_RANGE = 6.0


def unlocked(levels, progress: Progress) -> list[bool]:
    """The first level is open; each next one opens when the previous is solved (or, for the
    unsolvable wall, once the player has seen why)."""
    out = []
    for i, lv in enumerate(levels):
        prev = levels[i - 1] if i else None
        out.append(i == 0 or progress.stars(prev.id) > 0 or (prev.unsolvable and progress.seen(prev.id)
                                                               and progress.data["gates"][prev.id].get("proof")))
    return out


class GatesScene(Scene):
    """Level select."""

    title = "Gates"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.levels = gates.load_levels()
        self.progress = Progress()
        self.cards: list[pygame.Rect] = []
        self.hover = None

    def layout(self, size) -> None:
        w, h = size
        cols = 4
        cw, ch = (w - 80 - (cols - 1) * 16) // cols, 118
        self.cards = [pygame.Rect(40 + (i % cols) * (cw + 16), 130 + (i // cols) * (ch + 16), cw, ch)
                      for i in range(len(self.levels))]

    def open_level(self, i: int) -> None:
        if unlocked(self.levels, self.progress)[i]:
            self.app.open("gate-level", levels=self.levels, index=i, progress=self.progress)

    def handle_event(self, event) -> None:
        if event.type == pygame.MOUSEMOTION:
            self.hover = next((i for i, r in enumerate(self.cards) if r.collidepoint(event.pos)), None)
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for i, r in enumerate(self.cards):
                if r.collidepoint(event.pos):
                    self.open_level(i)

    def draw(self, surface) -> None:
        w, h = surface.get_size()
        theme.text(surface, "Gates", (40, 28), 30, theme.TEXT, True)
        theme.text(surface, "A perceptron fires when w·x + b > 0. Tune weights and biases by hand to build logic "
                            "gates — then meet XOR.", (40, 74), 16, theme.MUTED)
        opened = unlocked(self.levels, self.progress)
        for i, (lv, r) in enumerate(zip(self.levels, self.cards)):
            edge = theme.ACCENT if i == self.hover and opened[i] else theme.PANEL_EDGE
            pygame.draw.rect(surface, theme.PANEL if opened[i] else (24, 26, 34), r, border_radius=10)
            pygame.draw.rect(surface, edge, r, 2, border_radius=10)
            color = theme.TEXT if opened[i] else theme.MUTED
            theme.text(surface, f"{lv.order}. {lv.title}", (r.x + 14, r.y + 12), 18, color, True)
            for k, line in enumerate(theme.wrap(lv.story, r.w - 28, 13)[:2]):
                theme.text(surface, line, (r.x + 14, r.y + 40 + 16 * k), 13, theme.MUTED)
            shape = f"{len(lv.inputs)} in" + (f" · {lv.hidden} hidden" if lv.hidden else "") + f" · {len(lv.outputs)} out"
            theme.text(surface, shape, (r.right - 14, r.bottom - 22), 13, theme.MUTED, anchor="topright")
            if not opened[i]:
                theme.text(surface, "locked", (r.x + 14, r.bottom - 24), 14, theme.MUTED)
            elif lv.unsolvable:
                done = self.progress.data["gates"].get(lv.id, {}).get("proof")
                theme.text(surface, "understood why" if done else "try it", (r.x + 14, r.bottom - 24), 14,
                           theme.GOOD if done else theme.WARN)
            else:
                stars = self.progress.stars(lv.id)
                draw_stars(surface, (r.x + 14, r.bottom - 30), stars)
        theme.text(surface, "click a level · Esc back", (w // 2, h - 40), 14, theme.MUTED, anchor="center")


def draw_stars(surface, pos, stars: int, size: int = 10) -> None:
    x, y = pos
    for k in range(3):
        cx, cy = x + size + k * (2 * size + 6), y + size
        points = []
        for p in range(10):
            ang = -np.pi / 2 + p * np.pi / 5
            rad = size if p % 2 == 0 else size * 0.45
            points.append((cx + rad * np.cos(ang), cy + rad * np.sin(ang)))
        if k < stars:
            pygame.draw.polygon(surface, theme.ACCENT, points)
        else:
            pygame.draw.polygon(surface, theme.PANEL_EDGE, points, 2)


def star_rating(level: gates.Level, params: dict[str, np.ndarray], edits: int) -> int:
    """3 stars: within par edits AND every value a multiple of 0.5; 2: one of the two; 1: solved."""
    nice = all(np.allclose(np.asarray(v) * 2, np.round(np.asarray(v) * 2)) for v in params.values())
    quick = level.par is None or edits <= level.par
    return 1 + int(nice) + int(quick)


class GateLevelScene(Scene):
    title = "Gate level"

    def __init__(self, app, levels, index: int, progress: Progress) -> None:
        super().__init__(app)
        self.levels, self.index, self.progress = levels, index, progress
        self.level = levels[index]
        self.progress.visit(self.level.id)
        self.params = self.level.zeros()
        self.sliders: list[NumberSlider] = []
        for name, idx, label in self.level.param_names():
            self.sliders.append(NumberSlider(label, -6.0, 6.0, 0.0, self._setter(name, idx)))
        self.edits = 0
        self.started = time.monotonic()
        self.solved_stars = 0
        self.show_proof = False
        self.show_hint = False
        self.separability = gates.separability(self.level.x, self.level.y) if self.level.hidden == 0 \
            and len(self.level.outputs) == 1 else None
        self.gd = None                     # gradient-descent animation state
        self.slice_pick = [0, 1]           # slider indices shown on the cost slice
        self.slice_image = None
        self.buttons = [Button("Reset", self.reset, "R"), Button("Let gradient descent do it", self.start_gd, "G"),
                        Button("Why?", self.toggle_proof, "W", enabled=self.level.unsolvable),
                        Button("Next level", self.next_level, "Enter", enabled=False)]
        self.evaluation = gates.evaluate(self.level, self.params)

    # -- state ---------------------------------------------------------------------------------
    def _setter(self, name: str, idx: tuple[int, ...]):
        def set_value(value: float) -> None:
            self.params[name][idx] = value
            self._changed()
        return set_value

    def _changed(self) -> None:
        self.evaluation = gates.evaluate(self.level, self.params)
        if self.evaluation.solved and self.gd is None and not self.level.unsolvable:
            stars = star_rating(self.level, self.params, self.edits)
            if stars > self.solved_stars:
                self.solved_stars = stars
                self.progress.record(self.level.id, stars)
        self.buttons[3].enabled = self.index + 1 < len(self.levels) and (
            self.progress.stars(self.level.id) > 0 or self._proof_seen())

    def _proof_seen(self) -> bool:
        return bool(self.progress.data["gates"].get(self.level.id, {}).get("proof"))

    def set_params(self, params: dict[str, np.ndarray]) -> None:
        for slider, (name, idx, _) in zip(self.sliders, self.level.param_names()):
            slider.value = float(np.clip(params[name][idx], slider.lo, slider.hi)) if self.gd is None \
                else float(params[name][idx])
            self.params[name][idx] = params[name][idx]
        self._changed()

    def reset(self) -> None:
        self.gd = None
        self.edits = 0
        self.set_params(self.level.zeros())

    def toggle_proof(self) -> None:
        if not self.level.unsolvable:
            return
        self.show_proof = not self.show_proof
        if self.show_proof:
            self.progress.data["gates"].setdefault(self.level.id, {})["proof"] = True
            self.progress.save()
            self._changed()

    def next_level(self) -> None:
        if self.buttons[3].enabled:
            self.app.scenes.pop()
            self.app.open("gate-level", levels=self.levels, index=self.index + 1, progress=self.progress)

    @property
    def wall_offer(self) -> bool:
        return self.level.unsolvable and (self.edits >= WALL_PATIENCE or time.monotonic() - self.started > WALL_SECONDS)

    # -- gradient descent -----------------------------------------------------------------------
    def start_gd(self) -> None:
        rng = np.random.default_rng(int(time.time()) & 0xFFFF)
        start = {k: v + rng.normal(0, 0.5, v.shape) for k, v in self.params.items()}  # break symmetry
        self.gd = {"params": start, "step": 0, "cost": None, "trail": [], "done": False}
        self.set_params(start)

    def _gd_update(self) -> None:
        gd = self.gd
        if gd["done"]:
            return
        gd["params"], gd["cost"] = gates.descend(self.level, gd["params"], lr=2.0, steps=GD_STEPS_PER_FRAME)
        gd["step"] += GD_STEPS_PER_FRAME
        a, b = (self._slider_value(i, gd["params"]) for i in self.slice_pick)
        gd["trail"].append((a, b))
        self.set_params(gd["params"])
        if gd["step"] % 200 == 0 or gd["step"] >= GD_MAX_STEPS or gd["cost"] < 0.02:
            self._refresh_slice()
        if gd["step"] >= GD_MAX_STEPS or gd["cost"] < 0.02:
            gd["done"] = True  # snap back to the step: does the trained network solve it?
            gd["solved"] = gates.evaluate(self.level, gd["params"]).solved

    def _slider_value(self, i: int, params) -> float:
        name, idx, _ = self.level.param_names()[i]
        return float(params[name][idx])

    def _refresh_slice(self) -> None:
        names = self.level.param_names()
        first, second = (names[i][:2] for i in self.slice_pick)
        values = np.linspace(-SLICE_RANGE, SLICE_RANGE, 25)
        costs = gates.cost_slice(self.level, self.params, first, second, values)
        norm = (costs - costs.min()) / max(costs.max() - costs.min(), 1e-9)
        self.slice_image = theme.image_from_rgb(theme.sequential(np.floor(norm * 12) / 12)[::-1], (150, 150), smooth=True)

    # -- layout & events --------------------------------------------------------------------------
    def layout(self, size) -> None:
        w, h = size
        self.net_rect = pygame.Rect(16, 86, int(w * 0.36), int(h * 0.36))
        self.sliders_rect = pygame.Rect(16, self.net_rect.bottom + 10, self.net_rect.w, h - self.net_rect.bottom - 80)
        cols = 1 if len(self.sliders) <= 6 else 2
        per_col = -(-len(self.sliders) // cols)
        sw = (self.sliders_rect.w - 30) // cols
        row_h = min(44, (self.sliders_rect.h - 36) // max(per_col, 1))
        for i, s in enumerate(self.sliders):
            c, r = divmod(i, per_col)
            s.rect = pygame.Rect(self.sliders_rect.x + 12 + c * (sw + 10), self.sliders_rect.y + 32 + r * row_h, sw, row_h - 6)
        self.table_rect = pygame.Rect(self.net_rect.right + 12, 86, int(w * 0.3), h - 166)
        self.side_rect = pygame.Rect(self.table_rect.right + 12, 86, w - self.table_rect.right - 28, h - 166)
        bw = (w - 32 - 3 * 10) // 4
        for i, b in enumerate(self.buttons):
            b.rect = pygame.Rect(16 + i * (bw + 10), h - 62, bw, 40)

    def handle_event(self, event) -> None:
        for b in self.buttons:
            if b.handle_event(event):
                return
        typing = any(s.typing is not None for s in self.sliders)
        for i, s in enumerate(self.sliders):
            if event.type == pygame.MOUSEBUTTONDOWN and event.button == 3 and s.rect.collidepoint(event.pos):
                self.slice_pick = [self.slice_pick[1], i] if i not in self.slice_pick else self.slice_pick
                self._refresh_slice()
                return
            was_typing = s.typing is not None
            if s.handle_event(event):
                # one edit per gesture: a drag, a scroll, or a typed value
                gesture = (event.type == pygame.MOUSEBUTTONDOWN and s.dragging) or event.type == pygame.MOUSEWHEEL \
                    or (was_typing and s.typing is None and event.type == pygame.KEYDOWN and event.key != pygame.K_ESCAPE)
                if gesture:
                    self.gd = None  # the player takes the controls back
                    self.edits += 1
                    self._changed()
                return
        if event.type == pygame.KEYDOWN and not typing:
            if event.key == pygame.K_r:
                self.reset()
            elif event.key == pygame.K_g:
                self.start_gd()
            elif event.key == pygame.K_w:
                self.toggle_proof()
            elif event.key == pygame.K_h:
                self.show_hint = not self.show_hint
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.next_level()

    def update(self, dt: float) -> None:
        if self.gd is not None:
            if self.slice_image is None:
                self._refresh_slice()
            self._gd_update()
        self.buttons[2].enabled = self.level.unsolvable
        for i, s in enumerate(self.sliders):
            s.highlight = self.gd is not None and i in self.slice_pick

    # -- drawing ----------------------------------------------------------------------------------
    def draw(self, surface) -> None:
        w, h = surface.get_size()
        lv = self.level
        theme.text(surface, f"{lv.order}. {lv.title}", (16, 14), 28, theme.TEXT, True)
        theme.text(surface, lv.story, (16, 54), 16, theme.MUTED)
        theme.text(surface, f"edits: {self.edits}" + (f" · par {lv.par}" if lv.par else ""), (w - 16, 20), 15,
                   theme.MUTED, anchor="topright")
        self._draw_network(surface)
        theme.panel(surface, self.sliders_rect, "Weights and biases (drag · scroll · click the value to type)")
        for s in self.sliders:
            s.draw(surface)
        self._draw_table(surface)
        self._draw_side(surface)
        for b in self.buttons:
            b.draw(surface)
        if self.evaluation.solved and not lv.unsolvable and self.gd is None:
            self._draw_solved(surface)
        if self.wall_offer and not self.show_proof:
            theme.text(surface, "Stuck? It is not you. Press W: why one neuron cannot do XOR.",
                       (w // 2, h - 78), 16, theme.WARN, anchor="center")

    def _positions(self):
        r = self.net_rect.inflate(-40, -44).move(0, 8)
        lv = self.level
        layers = [list(lv.inputs)] + ([[f"h{j}" for j in range(lv.hidden)]] if lv.hidden else []) + [list(lv.outputs)]
        xs = np.linspace(r.x + 30, r.right - 80, len(layers))
        pos = []
        for x, names in zip(xs, layers):
            ys = np.linspace(r.y, r.bottom, len(names) + 2)[1:-1] if len(names) < 3 else np.linspace(r.y + 10, r.bottom - 10, len(names))
            pos.append([(int(x), int(y)) for y in ys])
        return layers, pos

    def _draw_network(self, surface) -> None:
        theme.panel(surface, self.net_rect, "The network")
        layers, pos = self._positions()
        weights = [self.params["W"]] if self.level.hidden == 0 else [self.params["W1"], self.params["W2"]]
        biases = [self.params["b"]] if self.level.hidden == 0 else [self.params["b1"], self.params["b2"]]
        for layer, W in enumerate(weights):
            for t, p_to in enumerate(pos[layer + 1]):
                for s, p_from in enumerate(pos[layer]):
                    wv = W[t, s]
                    color = theme.ACCENT if wv > 0 else theme.BLUE if wv < 0 else theme.PANEL_EDGE
                    pygame.draw.line(surface, color, p_from, p_to, 1 + int(min(abs(wv), 3) * 2))
        for layer, (names, ps) in enumerate(zip(layers, pos)):
            for k, (name, p) in enumerate(zip(names, ps)):
                pygame.draw.circle(surface, theme.PANEL, p, 18)
                pygame.draw.circle(surface, theme.TEXT if layer == 0 else theme.ACCENT, p, 18, 2)
                if len(name) <= 3:
                    theme.text(surface, name, p, 15, theme.TEXT, True, "center")
                else:  # long output names go beside the neuron
                    theme.text(surface, name, (p[0] + 24, p[1]), 14, theme.TEXT, True, "midleft")
                if layer > 0:
                    theme.text(surface, f"b {biases[layer - 1][k]:+.1f}", (p[0] + 14, p[1] - 16), 12, theme.MUTED,
                               anchor="bottomleft")

    def _draw_table(self, surface) -> None:
        inner = theme.panel(surface, self.table_rect, "Truth table")
        lv, ev = self.level, self.evaluation
        groups = [("", list(lv.inputs)), ("want", list(lv.outputs)), ("got", list(lv.outputs)), ("", ["w·x+b", ""])]
        headers = [name for _, names in groups for name in names]
        col = inner.w / len(headers)
        y = inner.y + 4
        i = 0
        for group, names in groups:
            if group:
                theme.text(surface, group, (inner.x + (i + len(names) / 2) * col, y), 13, theme.MUTED, anchor="midtop")
            for name in names:
                theme.text(surface, name, (inner.x + i * col + col / 2, y + 15), 13, theme.TEXT if not group else theme.MUTED,
                           anchor="midtop")
                i += 1
        row_h = min(54, (inner.h - 40) / len(lv.x))
        last_sums = ev.sums[-1]
        for r in range(len(lv.x)):
            ry = inner.y + 38 + r * row_h
            ok = bool(ev.correct[r])
            band = pygame.Rect(inner.x, ry, inner.w, row_h - 4)
            pygame.draw.rect(surface, (26, 48, 64) if ok else (64, 42, 22), band, border_radius=5)
            cells = [str(v) for v in lv.x[r]] + [str(v) for v in lv.y[r]] + [str(v) for v in ev.outputs[r]]
            cells.append(" ".join(f"{s:+.1f}" for s in last_sums[r]))
            for i, c in enumerate(cells):
                theme.text(surface, c, (inner.x + i * col + col / 2, band.centery), 15, theme.TEXT, anchor="center")
            mark_x = int(inner.x + (len(headers) - 0.5) * col)
            draw_mark(surface, (mark_x, band.centery), ok)
        right = int(ev.correct.sum())
        theme.text(surface, f"{right} of {len(lv.x)} rows right", (inner.x, inner.bottom - 4), 15,
                   theme.GOOD if right == len(lv.x) else theme.TEXT, anchor="bottomleft")

    def _draw_side(self, surface) -> None:
        if self.gd is not None and len(self.level.inputs) == 2:
            # both: the boundary lines turning above, the ball on the cost slice below
            full = self.side_rect
            self.side_rect = pygame.Rect(full.x, full.y, full.w, int(full.h * 0.5) - 4)
            self._draw_square(surface, compact=True)
            self.side_rect = pygame.Rect(full.x, full.y + int(full.h * 0.5) + 4, full.w, full.h - int(full.h * 0.5) - 4)
            self._draw_gd(surface, compact=True)
            self.side_rect = full
        elif self.gd is not None:
            self._draw_gd(surface)
        elif len(self.level.inputs) == 2:
            self._draw_square(surface)
        else:
            inner = theme.panel(surface, self.side_rect, "Decision boundaries")
            theme.text(surface, "Three inputs: each neuron's boundary is a plane", (inner.x, inner.y + 6), 14, theme.MUTED)
            theme.text(surface, "through the cube of inputs; it fires on one side.", (inner.x, inner.y + 24), 14, theme.MUTED)
            for k, line in enumerate(theme.wrap("hint: " + self.level.hint, inner.w, 14) if self.level.hint else []):
                theme.text(surface, line, (inner.x, inner.y + 60 + 18 * k), 14, theme.TEXT)

    def _square_geometry(self, inner, compact: bool = False):
        side = min(inner.w - 20, inner.h - (10 if compact else 110))
        sq = pygame.Rect(inner.centerx - side // 2, inner.y + 10, side, side)

        def to_px(x, y):
            return (sq.x + (x + 0.25) / 1.5 * side, sq.bottom - (y + 0.25) / 1.5 * side)  # [-0.25, 1.25]^2
        return sq, to_px

    def _draw_square(self, surface, compact: bool = False) -> None:
        inner = theme.panel(surface, self.side_rect, "Input square: where each first-layer neuron fires")
        sq, to_px = self._square_geometry(inner, compact)
        pygame.draw.rect(surface, (22, 24, 33), sq)
        W = self.params["W"] if self.level.hidden == 0 else self.params["W1"]
        b = self.params["b"] if self.level.hidden == 0 else self.params["b1"]
        # firing half-planes, shaded per neuron
        grid = np.linspace(-0.25, 1.25, 60)
        gx, gy = np.meshgrid(grid, grid[::-1])
        shade = np.zeros((60, 60, 3), np.float32)
        palette = [np.array(c, np.float32) for c in ((255, 170, 60), (70, 150, 255), (180, 120, 255))]
        for k in range(len(b)):
            fires = (W[k, 0] * gx + W[k, 1] * gy + b[k]) > 0
            shade += fires[..., None] * palette[k % 3] * 0.22
        surface.blit(theme.image_from_rgb(np.clip(shade + 22, 0, 255).astype(np.uint8), sq.size), sq)
        for k in range(len(b)):
            color = tuple(int(c) for c in palette[k % 3])
            seg = boundary_segment(W[k], b[k])
            if seg is not None:
                pygame.draw.line(surface, color, to_px(*seg[0]), to_px(*seg[1]), 3)
        for r, (x, y) in enumerate(self.level.x):
            target = self.level.y[r, 0]
            p = to_px(x, y)
            if target:
                pygame.draw.circle(surface, theme.TEXT, p, 11)
            else:
                pygame.draw.circle(surface, theme.TEXT, p, 11, 3)
            if not compact:
                theme.text(surface, f"({x},{y})", (p[0], p[1] + 14), 12, theme.MUTED, anchor="midtop")
        if compact:
            return
        theme.text(surface, "filled: should fire · hollow: should stay off · line: w·x + b = 0",
                   (inner.x, sq.bottom + 26), 13, theme.MUTED)
        if self.level.hint and not self.show_proof:
            if self.show_hint:
                for k, line in enumerate(theme.wrap("hint: " + self.level.hint, inner.w, 14)):
                    theme.text(surface, line, (inner.x, sq.bottom + 50 + 18 * k), 14, theme.TEXT)
            else:
                theme.text(surface, "H: a hint", (inner.x, sq.bottom + 50), 14, theme.MUTED)
        if self.show_proof and self.separability is not None and not self.separability.separable:
            self._draw_proof(surface, inner, sq, to_px)

    def _draw_proof(self, surface, inner, sq, to_px) -> None:
        sep = self.separability
        x = self.level.x
        p0, p1 = (to_px(*x[i]) for i in sep.positives)
        n0, n1 = (to_px(*x[i]) for i in sep.negatives)
        pygame.draw.line(surface, theme.ACCENT, p0, p1, 2)
        pygame.draw.line(surface, theme.BLUE, n0, n1, 2)
        m = to_px(*sep.point)
        pygame.draw.circle(surface, theme.WARN, m, 7)
        lines = ["Why no single neuron can do XOR:",
                 "A neuron fires on one side of a straight line.",
                 "(0,1) and (1,0) must fire, so the whole segment",
                 "between them fires too: its midpoint (½,½) fires.",
                 "(0,0) and (1,1) must stay off, so their segment",
                 "stays off: the same point (½,½) stays off.",
                 "It cannot do both. No line works: add a hidden layer."]
        y = sq.bottom + 46
        for i, line in enumerate(lines):
            theme.text(surface, line, (inner.x, y + 17 * i), 14, theme.WARN if i == 0 else theme.TEXT, i == 0)

    def _draw_gd(self, surface, compact: bool = False) -> None:
        inner = theme.panel(surface, self.side_rect, "Gradient descent on the sigmoid version")
        gd = self.gd
        names = self.level.param_names()
        side = min(inner.h - 4, 180) if compact else min(inner.w, 260, inner.h - 200)
        box = pygame.Rect(inner.right - side, inner.y + 2, side, side) if compact else \
            pygame.Rect(inner.x, inner.bottom - side, side, side)
        if self.slice_image is not None:
            surface.blit(pygame.transform.smoothscale(self.slice_image, box.size), box)
        pygame.draw.rect(surface, theme.PANEL_EDGE, box, 1)

        def to_px(a, b):
            return (box.x + (a + SLICE_RANGE) / (2 * SLICE_RANGE) * box.w,
                    box.bottom - (b + SLICE_RANGE) / (2 * SLICE_RANGE) * box.h)
        pts = [to_px(float(np.clip(a, -SLICE_RANGE, SLICE_RANGE)), float(np.clip(b, -SLICE_RANGE, SLICE_RANGE)))
               for a, b in gd["trail"]]
        if len(pts) > 1:
            pygame.draw.lines(surface, theme.TEXT, False, pts, 2)
        if pts:
            pygame.draw.circle(surface, (255, 255, 255), pts[-1], 7)
            pygame.draw.circle(surface, theme.ACCENT, pts[-1], 7, 2)
        lines = [(f"step {gd['step']} · cost {gd['cost'] if gd['cost'] is not None else 0:.4f}", theme.TEXT, 15),
                 (f"exact cost, x: {names[self.slice_pick[0]][2]}", theme.MUTED, 13),
                 (f"y: {names[self.slice_pick[1]][2]} (±{SLICE_RANGE:g})", theme.MUTED, 13),
                 ("right-click sliders to pick others", theme.MUTED, 13)]
        if gd["done"]:
            ok = gd["solved"]
            lines += [("", theme.TEXT, 8), ("snapped back to the step:", theme.GOOD if ok else theme.BAD, 15),
                      ("it solves the puzzle" if ok else "not solved" + (" (no line can)" if self.level.unsolvable
                                                                        else " - G tries another start"),
                       theme.GOOD if ok else theme.BAD, 15)]
        else:
            lines += [("", theme.TEXT, 8), ("sigmoid instead of the step;", theme.MUTED, 13),
                      ("the sliders move as it learns", theme.MUTED, 13)]
        y = inner.y + 2
        for text, color, size in lines:
            theme.text(surface, text, (inner.x, y), size, color)
            y += size + 6
        if gd["done"]:
            draw_mark(surface, (box.x - 16 if compact else inner.right - 20, y - 18), gd["solved"])

    def _draw_solved(self, surface) -> None:
        w = surface.get_width()
        banner = pygame.Rect(w // 2 - 230, 8, 460, 66)
        pygame.draw.rect(surface, (24, 56, 72), banner, border_radius=12)
        pygame.draw.rect(surface, theme.GOOD, banner, 2, border_radius=12)
        draw_mark(surface, (banner.x + 28, banner.centery), True, 14)
        theme.text(surface, "Solved!", (banner.x + 52, banner.y + 10), 24, theme.GOOD, True)
        theme.text(surface, "Enter: next level" if self.buttons[3].enabled else "every level done!",
                   (banner.x + 52, banner.y + 40), 14, theme.TEXT)
        draw_stars(surface, (banner.right - 110, banner.y + 22), self.solved_stars or self.progress.stars(self.level.id))


def boundary_segment(w: np.ndarray, b: float, lo: float = -0.25, hi: float = 1.25):
    """The part of the line w0·x + w1·y + b = 0 inside the square [lo, hi]², or None."""
    pts = []
    if abs(w[1]) > 1e-12:
        for x in (lo, hi):
            y = -(w[0] * x + b) / w[1]
            if lo <= y <= hi:
                pts.append((x, y))
    if abs(w[0]) > 1e-12:
        for y in (lo, hi):
            x = -(w[1] * y + b) / w[0]
            if lo <= x <= hi:
                pts.append((x, y))
    return (pts[0], pts[-1]) if len(pts) >= 2 else None
