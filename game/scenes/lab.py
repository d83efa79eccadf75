"""Lab: three ways to get a gradient (finite differences, dual numbers, backprop), optimizers
racing on a landscape with several minima, and the gradient methods racing on MNIST."""
from __future__ import annotations

import math

import numpy as np
import pygame

from game import theme
from game.app import Scene
from game.widgets.controls import Button, Slider
from nn import data, lessons
from nn.optimizers import Adam, Momentum, SGD
from nn.race import GradientRace

TABS = ("Derivatives", "Optimizers", "MNIST race")
X_RANGE = (-4.0, 2.5)
OPT_STYLES = [("SGD", theme.ACCENT, "circle"), ("Momentum", theme.GOOD, "square"), ("Adam", (235, 235, 245), "triangle")]


class LabScene(Scene):
    title = "Lab"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.tab = 0
        self.rng = np.random.default_rng(7)
        # derivatives tab
        self.eps_slider = Slider("ε (log scale)", 1e-10, 1.0, 1e-3, lambda v: None, log=True, fmt="{:.0e}")
        self.lr_slider = Slider("learning rate", 0.01, 1.2, 0.2, lambda v: None, log=True, fmt="{:.2f}")
        self.central = False
        self.bonus = False
        self.auto = False
        self.x_fd = self.x_dual = 1.8
        self.trail_fd: list[float] = []
        self.trail_dual: list[float] = []
        self.deriv_buttons = [Button("Forward / central", self.toggle_central, "C"), Button("Step", self.step_balls, "S"),
                              Button("Roll", self.toggle_auto, "Space"), Button("New start", self.new_start, "N"),
                              Button("Bonus path", self.toggle_bonus, "B")]
        # optimizers tab
        self.opt_sliders = [Slider(f"{name} learning rate", 0.001, 1.0, lr, lambda v: None, log=True)
                            for (name, _, _), lr in zip(OPT_STYLES, (0.3, 0.05, 0.08))]
        self.opt_start = np.array([-2.0, 0.5])  # here SGD settles in a local dip, momentum rolls on
        self.opt_balls: list[dict] = []
        self._landscape_img = None
        self.drop(self.opt_start)
        # MNIST race tab
        self.race: GradientRace | None = None
        self.race_button = Button("Start the race", self.start_race, "Space")
        self.tab_buttons = [Button(f"{i + 1}. {name}", (lambda k=i: self.set_tab(k))) for i, name in enumerate(TABS)]

    # -- derivatives ----------------------------------------------------------------------------
    def toggle_central(self) -> None:
        self.central = not self.central

    def toggle_auto(self) -> None:
        self.auto = not self.auto

    def toggle_bonus(self) -> None:
        self.bonus = not self.bonus

    def new_start(self) -> None:
        self.x_fd = self.x_dual = float(self.rng.uniform(-3.8, 2.3))
        self.trail_fd, self.trail_dual = [], []

    def fd_slope(self, x: float) -> float:
        return lessons.fd_derivative(lessons.F, x, self.eps_slider.value, self.central)

    def step_balls(self) -> None:
        lr = self.lr_slider.value
        self.trail_fd.append(self.x_fd)
        self.trail_dual.append(self.x_dual)
        slope = self.fd_slope(self.x_fd)
        self.x_fd = float(np.clip(self.x_fd - lr * (slope if math.isfinite(slope) else 0.0), *X_RANGE))
        self.x_dual = float(np.clip(self.x_dual - lr * lessons.trace_F(self.x_dual)[-1][1].deriv, *X_RANGE))
        self.trail_fd, self.trail_dual = self.trail_fd[-30:], self.trail_dual[-30:]

    # -- optimizers -------------------------------------------------------------------------------
    def drop(self, start: np.ndarray) -> None:
        self.opt_start = np.array(start, float)
        makers = (SGD, Momentum, Adam)
        self.opt_balls = [{"opt": make(s.value), "p": self.opt_start.copy(), "trail": [self.opt_start.copy()]}
                          for make, s in zip(makers, self.opt_sliders)]

    def _opt_update(self) -> None:
        for ball, slider in zip(self.opt_balls, self.opt_sliders):
            ball["opt"].lr = slider.value
            for _ in range(2):
                ball["opt"].step(ball["p"], lessons.landscape_grad(ball["p"]))
                ball["p"] = np.clip(ball["p"], -3.5, 3.5)
            ball["trail"].append(ball["p"].copy())
            ball["trail"] = ball["trail"][-400:]

    # -- race -------------------------------------------------------------------------------------
    def start_race(self) -> None:
        if self.race is not None and self.race.running:
            return
        self.race = GradientRace(self.app.backend, data.load("train"))
        self.race.start()

    def close(self) -> None:
        if self.race is not None:
            self.race.stop()

    # -- events -----------------------------------------------------------------------------------
    def set_tab(self, k: int) -> None:
        self.tab = k

    def layout(self, size) -> None:
        w, h = size
        for i, b in enumerate(self.tab_buttons):
            b.rect = pygame.Rect(w - 3 * 176 - 16 + i * 176, 14, 170, 34)
        self.plot_rect = pygame.Rect(16, 60, w - 32, int(h * 0.42))
        bottom = self.plot_rect.bottom + 10
        third = (w - 48) // 3
        self.fd_rect = pygame.Rect(16, bottom, third, h - bottom - 60)
        self.dual_rect = pygame.Rect(self.fd_rect.right + 8, bottom, third, self.fd_rect.h)
        self.chain_rect = pygame.Rect(self.dual_rect.right + 8, bottom, third, self.fd_rect.h)
        bw = (w - 32 - 4 * 8) // 5
        for i, b in enumerate(self.deriv_buttons):
            b.rect = pygame.Rect(16 + i * (bw + 8), h - 50, bw, 36)
        self.eps_slider.rect = pygame.Rect(self.fd_rect.x + 10, self.fd_rect.y + 34, self.fd_rect.w - 20, 34)
        self.lr_slider.rect = pygame.Rect(self.plot_rect.right - 260, self.plot_rect.y + 8, 240, 34)
        side = min(h - 90, int(w * 0.5))
        self.land_rect = pygame.Rect(16, 60, side, side)
        for i, s in enumerate(self.opt_sliders):
            s.rect = pygame.Rect(self.land_rect.right + 30, 120 + i * 64, w - self.land_rect.right - 60, 34)
        self.race_button.rect = pygame.Rect(16, 64, 220, 38)
        self._landscape_img = None

    def handle_event(self, event) -> None:
        for b in self.tab_buttons:
            if b.handle_event(event):
                return
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_1, pygame.K_2, pygame.K_3):
            self.tab = event.key - pygame.K_1
            return
        if self.tab == 0:
            for widget in self.deriv_buttons + [self.eps_slider, self.lr_slider]:
                if widget.handle_event(event):
                    return
            keys = {pygame.K_c: self.toggle_central, pygame.K_s: self.step_balls, pygame.K_SPACE: self.toggle_auto,
                    pygame.K_n: self.new_start, pygame.K_b: self.toggle_bonus}
            if event.type == pygame.KEYDOWN and event.key in keys:
                keys[event.key]()
        elif self.tab == 1:
            for s in self.opt_sliders:
                if s.handle_event(event):
                    return
            if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.land_rect.collidepoint(event.pos):
                self.drop(self._from_land(event.pos))
            if event.type == pygame.KEYDOWN and event.key == pygame.K_r:
                self.drop(self.opt_start)
        else:
            if self.race_button.handle_event(event):
                return
            if event.type == pygame.KEYDOWN and event.key == pygame.K_SPACE:
                self.start_race()

    def update(self, dt: float) -> None:
        if self.tab == 0 and self.auto:
            self.step_balls()
        if self.tab == 1:
            self._opt_update()

    # -- drawing ----------------------------------------------------------------------------------
    def draw(self, surface) -> None:
        theme.text(surface, "Lab", (16, 12), 28, theme.TEXT, True)
        theme.text(surface, "three ways to get a gradient", (80, 22), 15, theme.MUTED)
        for i, b in enumerate(self.tab_buttons):
            b.draw(surface)
            if i == self.tab:
                pygame.draw.rect(surface, theme.ACCENT, b.rect, 2, border_radius=6)
        [self._draw_derivatives, self._draw_optimizers, self._draw_race][self.tab](surface)

    def _curve_px(self, x: float, y: float, area: pygame.Rect) -> tuple[float, float]:
        y_lo, y_hi = -2.5, 8.0
        return (area.x + (x - X_RANGE[0]) / (X_RANGE[1] - X_RANGE[0]) * area.w,
                area.bottom - (min(max(y, y_lo), y_hi) - y_lo) / (y_hi - y_lo) * area.h)

    def _draw_derivatives(self, surface) -> None:
        inner = theme.panel(surface, self.plot_rect, "Minimise F(x) = (x + 1)² − 2: balls roll downhill by their derivative")
        area = inner.inflate(-40, -20)
        xs = np.linspace(*X_RANGE, 200)
        pygame.draw.lines(surface, theme.MUTED, False, [self._curve_px(x, lessons.F(x), area) for x in xs], 2)
        for ball_x, trail, color, label, slope in (
                (self.x_fd, self.trail_fd, theme.ACCENT, "finite differences", self.fd_slope(self.x_fd)),
                (self.x_dual, self.trail_dual, theme.GOOD, "dual numbers", lessons.dF(self.x_dual))):
            for k, tx in enumerate(trail):
                pygame.draw.circle(surface, color, self._curve_px(tx, lessons.F(tx), area), 2 + k // 10)
            p = self._curve_px(ball_x, lessons.F(ball_x), area)
            if math.isfinite(slope):  # the tangent the ball believes in
                d = 0.6
                a = self._curve_px(ball_x - d, lessons.F(ball_x) - d * slope, area)
                b = self._curve_px(ball_x + d, lessons.F(ball_x) + d * slope, area)
                pygame.draw.line(surface, color, a, b, 2)
            if color == theme.ACCENT:
                pygame.draw.circle(surface, color, (int(p[0]), int(p[1]) - 9), 8)
            else:  # a ring, so the two balls stay visible when they overlap
                pygame.draw.circle(surface, color, (int(p[0]), int(p[1]) - 9), 13, 3)
        theme.text(surface, "orange: finite differences · blue: dual numbers · S step, Space roll, N new start",
                   (inner.x, inner.bottom - 16), 13, theme.MUTED)
        self.lr_slider.draw(surface)
        self._draw_fd_panel(surface)
        self._draw_dual_panel(surface)
        self._draw_chain_panel(surface)
        for b in self.deriv_buttons:
            b.draw(surface)

    def _draw_fd_panel(self, surface) -> None:
        kind = "central" if self.central else "forward"
        inner = theme.panel(surface, self.fd_rect, f"Finite differences ({kind}), float32")
        self.eps_slider.draw(surface)
        x, eps = self.x_fd, self.eps_slider.value
        est, exact = self.fd_slope(x), lessons.dF(x)
        formula = "(F(x+ε) − F(x−ε)) / 2ε" if self.central else "(F(x+ε) − F(x)) / ε"
        y = self.eps_slider.rect.bottom + 8
        theme.text(surface, f"{formula} = {est:.6g}", (inner.x + 2, y), 14)
        theme.text(surface, f"exact 2(x+1) = {exact:.6g} · error {abs(est - exact):.2e}", (inner.x + 2, y + 18), 14,
                   theme.BAD if abs(est - exact) > 1e-2 else theme.TEXT)
        # |error| against ε in float32: truncation error on the right, rounding error on the left
        plot = pygame.Rect(inner.x + 34, y + 44, inner.w - 44, inner.bottom - y - 62)
        pygame.draw.rect(surface, (22, 24, 33), plot)
        epss = np.logspace(-10, 0, 80)
        errs = np.array([abs(lessons.fd_derivative(lessons.F, x, e, self.central) - exact) for e in epss])
        errs = np.log10(np.maximum(errs, 1e-8))
        pts = [(plot.x + plot.w * k / 79, plot.bottom - plot.h * (e + 8) / 9) for k, e in enumerate(errs)]
        pygame.draw.lines(surface, theme.ACCENT, False, pts, 2)
        ex = plot.x + plot.w * (math.log10(eps) + 10) / 10
        pygame.draw.line(surface, theme.TEXT, (ex, plot.y), (ex, plot.bottom), 1)
        theme.text(surface, "10", (plot.x - 4, plot.y), 12, theme.MUTED, anchor="topright")
        theme.text(surface, "1e-8", (plot.x - 4, plot.bottom), 12, theme.MUTED, anchor="bottomright")
        theme.text(surface, "|error|", (plot.x - 4, plot.centery), 12, theme.MUTED, anchor="midright")
        theme.text(surface, "1e-10", (plot.x, plot.bottom + 2), 12, theme.MUTED)
        theme.text(surface, "ε = 1", (plot.right, plot.bottom + 2), 12, theme.MUTED, anchor="topright")
        theme.text(surface, "tiny ε: float32 rounding wins", (plot.x + 4, plot.y + 4), 12, theme.MUTED)

    def _draw_dual_panel(self, surface) -> None:
        inner = theme.panel(surface, self.dual_rect, "Dual numbers: x + 1ε carries the derivative")
        y = inner.y + 4
        theme.text(surface, "rule: ε² = 0, so f(a + bε) = f(a) + f'(a)·bε", (inner.x + 2, y), 14, theme.MUTED)
        y += 26
        for label, d in lessons.trace_F(self.x_dual):
            theme.text(surface, label, (inner.x + 2, y), 15)
            theme.text(surface, f"{d.value:+.4f} {d.deriv:+.4f}ε", (inner.right - 4, y), 15, theme.GOOD, anchor="topright")
            y += 24
        theme.text(surface, f"F'(x) = {lessons.trace_F(self.x_dual)[-1][1].deriv:.6g}: exact, one pass, no ε to tune",
                   (inner.x + 2, y + 8), 14, theme.TEXT)

    def _draw_chain_panel(self, surface) -> None:
        title = "Chain rule: F = G(H(I(x)))" + (" + G(I(x))" if self.bonus else "")
        inner = theme.panel(surface, self.chain_rect, title)
        x = self.x_dual
        steps = lessons.trace_chain(x, self.bonus)
        y = inner.y + 4
        for label, d in steps:
            theme.text(surface, label, (inner.x + 2, y), 14)
            theme.text(surface, f"{d.value:+.3f} {d.deriv:+.3f}ε", (inner.right - 4, y), 14, theme.GOOD, anchor="topright")
            y += 21
        i, h = 0.9 * x + 5, 3 * (0.9 * x + 5) + 5
        by_hand = 2 * h * 3 * 0.9
        y += 6
        theme.text(surface, f"by hand: G'(H)·H'(I)·I'(x) = 2H·3·0.9 = {by_hand:.3f}", (inner.x + 2, y), 13, theme.MUTED)
        if self.bonus:
            theme.text(surface, f"+ second path G'(I)·I'(x) = 2I·0.9 = {2 * i * 0.9:.3f}", (inner.x + 2, y + 18), 13, theme.MUTED)
            theme.text(surface, f"both paths summed: {by_hand + 2 * i * 0.9:.3f} (dual: {steps[-1][1].deriv:.3f})",
                       (inner.x + 2, y + 36), 13, theme.TEXT)
        else:
            theme.text(surface, "B adds a second path from x to F", (inner.x + 2, y + 18), 13, theme.MUTED)

    # optimizers
    def _to_land(self, p) -> tuple[float, float]:
        r = self.land_rect
        return (r.x + (p[0] + 3.5) / 7 * r.w, r.bottom - (p[1] + 3.5) / 7 * r.h)

    def _from_land(self, pos) -> np.ndarray:
        r = self.land_rect
        return np.array([(pos[0] - r.x) / r.w * 7 - 3.5, (r.bottom - pos[1]) / r.h * 7 - 3.5])

    def _draw_optimizers(self, surface) -> None:
        if self._landscape_img is None:
            g = np.linspace(-3.5, 3.5, 140)
            X, Y = np.meshgrid(g, g[::-1])
            Z = lessons.landscape(X, Y)
            norm = (Z - Z.min()) / (Z.max() - Z.min())
            self._landscape_img = theme.image_from_rgb(theme.sequential(np.floor(norm * 16) / 16), self.land_rect.size, smooth=True)
        surface.blit(self._landscape_img, self.land_rect)
        pygame.draw.rect(surface, theme.PANEL_EDGE, self.land_rect, 1)
        for ball, (name, color, shape) in zip(self.opt_balls, OPT_STYLES):
            pts = [self._to_land(p) for p in ball["trail"]]
            if len(pts) > 1:
                pygame.draw.lines(surface, color, False, pts, 2)
            draw_marker(surface, pts[-1], color, shape)
        x0 = self.land_rect.right + 30
        theme.text(surface, "Drop a ball: click anywhere on the landscape", (x0, 64), 18, theme.TEXT, True)
        theme.text(surface, "dark = low cost; one global minimum, three local ones", (x0, 90), 14, theme.MUTED)
        for s, ball, (name, color, shape) in zip(self.opt_sliders, self.opt_balls, OPT_STYLES):
            s.draw(surface)
            draw_marker(surface, (s.rect.right + 14, s.rect.y + 8), color, shape)
            theme.text(surface, f"cost {lessons.landscape(*ball['p']):+.3f}", (s.rect.right, s.rect.y), 14, color, anchor="topright")
        y = 120 + 3 * 64 + 10
        notes = ["SGD: steps straight down the local slope; stops in the first dip.",
                 "Momentum: keeps rolling through flat parts and small dips.",
                 "Adam: momentum plus a step size adapted per coordinate;",
                 "   not a guarantee: from here it settles in a dip too.",
                 "R: restart from the same point · try different learning rates"]
        for line in notes:
            theme.text(surface, line, (x0, y), 14, theme.MUTED)
            y += 22

    # race
    def _draw_race(self, surface) -> None:
        w, h = surface.get_size()
        self.race_button.draw(surface)
        theme.text(surface, "All four gradient methods train their own copy of the 784-30-10 network on the same "
                            "300 mini-batches of 10.", (250, 68), 14, theme.MUTED)
        theme.text(surface, "Each gradient is also compared with backprop's at the same weights.", (250, 88), 14, theme.MUTED)
        table = pygame.Rect(16, 120, w - 32, 220)
        inner = theme.panel(surface, table, "Live")
        heads = ["method", "batches", "ms / batch", "× backprop", "max |diff| from backprop", "cost (last 20)"]
        col = inner.w / len(heads)
        for i, hd in enumerate(heads):
            theme.text(surface, hd, (inner.x + i * col, inner.y + 4), 14, theme.MUTED)
        if self.race is None:
            theme.text(surface, "press Space to start", (inner.x, inner.y + 40), 16, theme.TEXT)
            return
        base = self.race.lanes[0].median_ms or 1.0
        colors = [theme.TEXT, theme.GOOD, theme.ACCENT, (200, 160, 255)]
        for r, (lane, color) in enumerate(zip(self.race.lanes, colors)):
            y = inner.y + 34 + r * 34
            cost = np.mean(lane.costs[-20:]) if lane.costs else float("nan")
            cells = [lane.method, f"{len(lane.times)}", f"{lane.median_ms:.3f}", f"{lane.median_ms / base:.1f}×",
                     "—" if lane.method == "backprop" else f"{lane.max_diff:.2e}", f"{cost:.4f}"]
            for i, c in enumerate(cells):
                theme.text(surface, c, (inner.x + i * col, y), 16, color)
        chart = pygame.Rect(16, table.bottom + 10, w - 32, h - table.bottom - 30)
        cin = theme.panel(surface, chart, "Cost per mini-batch (smoothed): the curves lie on top of each other")
        series = [list(lane.costs) for lane in self.race.lanes]  # copies: the race thread appends
        if any(len(c) >= 6 for c in series):
            n = self.race.batches
            hi = max(max(c) for c in series if c)
            for costs, color in zip(series, colors):
                if len(costs) < 6:
                    continue
                smooth = np.convolve(costs, np.ones(5) / 5, mode="valid")
                pts = [(cin.x + cin.w * k / n, cin.bottom - cin.h * c / hi) for k, c in enumerate(smooth)]
                pygame.draw.lines(surface, color, False, pts, 2)


def draw_marker(surface, center, color, shape: str, r: int = 8) -> None:
    """Distinct shapes as well as colours, so the three balls read without colour vision."""
    x, y = center
    if shape == "circle":
        pygame.draw.circle(surface, color, (int(x), int(y)), r)
    elif shape == "square":
        pygame.draw.rect(surface, color, pygame.Rect(int(x) - r + 1, int(y) - r + 1, 2 * r - 2, 2 * r - 2))
    else:
        pygame.draw.polygon(surface, color, [(x, y - r), (x - r, y + r - 2), (x + r, y + r - 2)])
    pygame.draw.circle(surface, theme.BG, (int(x), int(y)), 2)
