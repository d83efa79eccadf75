"""Draw view: draw a digit; the network classifies it as you draw and every neuron lights up."""
from __future__ import annotations

import time
from collections import deque
from pathlib import Path

import numpy as np
import pygame

from game import theme
from game.app import Scene
from game.widgets.controls import Button, Slider
from game.drawings import DrawingSet
from game.userdata import user_path
from nn import data, weights
from nn.drawing import Pad
from nn.finetune import accuracy, finetune
from nn.errors import UserError
from nn.normalize import mnist_normalize, raw_downscale
from nn.numpy_backend import NumpyBackend


class DrawScene(Scene):
    title = "Draw"

    def __init__(self, app, weights_path: str | None = None) -> None:
        super().__init__(app)
        self.pad = Pad(280)
        self.pen = 11.0
        self.raw = False
        self.use_live = False
        self.weights_path = weights_path or str(weights.DEFAULT_WEIGHTS)
        self.model, self.theta, _ = weights.load(self.weights_path)
        self.active_model, self.active_theta = self.model, self.theta
        self.drawings = DrawingSet()
        if self.drawings.problem:
            app.say(self.drawings.problem, 8)
        self.teach_report = ""
        self.engine = NumpyBackend()  # one image: NumPy's matvec beats a kernel launch (see bench)
        self.last = None            # last mouse position on the pad, in pad pixels
        self.seen_version = -1
        self.digit = None           # what the network sees (28x28), None when the pad is empty
        self.hidden = self.output = None
        self.infer_us = 0.0
        self.infer_times: deque[float] = deque(maxlen=31)
        self.hover = None           # ("hidden", j) or ("output", o)
        self.buttons = [Button("Clear", self.pad.clear, "C"),
                        Button("Without normalisation", self.toggle_raw, "N"),
                        Button("Use the live network", self.toggle_live, "T")]
        self.teach_buttons = [Button("Other weights", self.next_weights, "L"),
                              Button("Fine-tune on my drawings", self.fine_tune, "F"),
                              Button("Save these weights", self.save_weights, "Ctrl+S")]
        self.pen_slider = Slider("Pen size", 4, 24, self.pen, self._set_pen, fmt="{:.0f}")

    # -- state ------------------------------------------------------------------------------
    def _set_pen(self, value: float) -> None:
        self.pen = value

    def toggle_raw(self) -> None:
        self.raw = not self.raw
        self.buttons[1].label = "With normalisation" if self.raw else "Without normalisation"
        self.seen_version = -1

    def toggle_live(self) -> None:
        if self.app.live_trainer is None:
            self.app.say("no network is training: open Train first, then come back with its 'Draw' button")
            return
        self.use_live = not self.use_live
        self.buttons[2].label = "Use the shipped weights" if self.use_live else "Use the live network"
        self.seen_version = -1

    def weight_files(self) -> list[str]:
        """Shipped weights, then any saved in the user data directory (ours or the talk's .bin)."""
        found = sorted(weights.DEFAULT_WEIGHTS.parent.glob("*.npz")) + sorted(weights.DEFAULT_WEIGHTS.parent.glob("*.bin"))
        user = user_path("weights")
        if user.exists():
            found += sorted(user.glob("*.npz")) + sorted(user.glob("*.bin"))
        return [str(p) for p in found]

    def next_weights(self) -> None:
        files = self.weight_files()
        i = files.index(self.weights_path) + 1 if self.weights_path in files else 0
        self.load_weights(files[i % len(files)])

    def load_weights(self, path: str) -> None:
        try:
            model, theta, _ = weights.load(path)
        except UserError as exc:
            self.app.say(str(exc), 8)  # keep the current network
            return
        if model.inputs != 784:
            self.app.say(f"{path} is a {model.describe()} network: the pad needs 784 inputs")
            return
        self.weights_path, self.model, self.theta = path, model, theta
        self.use_live = False
        self.app.say(f"weights: {path}")
        self.seen_version = -1

    def label_drawing(self, digit: int) -> None:
        """Teach it: keep this drawing, labelled, in the player's own data set."""
        if self.digit is None or self.raw:
            self.app.say("draw a digit first (with normalisation on), then press its number key")
            return
        self.drawings.add(self.digit, digit)
        guess = self.prediction
        self.app.say(f"kept as a {digit} ({len(self.drawings)} drawings)" +
                     ("" if guess == digit else f" - the network said {guess}"))
        self.pad.clear()

    def fine_tune(self) -> None:
        if len(self.drawings) == 0:
            self.app.say("no drawings yet: draw a digit and press its number key (0-9) to keep it")
            return
        before = accuracy(self.model, self.theta, self.drawings.inputs, self.drawings.labels)
        mnist = data.load("train")
        self.theta = finetune(self.model, self.theta, self.drawings.inputs, self.drawings.labels, mnist)
        after = accuracy(self.model, self.theta, self.drawings.inputs, self.drawings.labels)
        self.weights_path = "fine-tuned (unsaved)"
        self.teach_report = (f"on your {len(self.drawings)} drawings: {before:.0%} before, {after:.0%} after "
                             "(Ctrl+S keeps these weights)")
        self.app.say(self.teach_report, 8)
        self.seen_version = -1

    def save_weights(self) -> None:
        import time as _time
        path = user_path("weights", _time.strftime("draw-%Y%m%d-%H%M%S.npz"))
        weights.save(path, self.model, self.theta, {"trained_by": "nnarcade Draw view fine-tune",
                                                     "drawings": len(self.drawings)})
        self.weights_path = str(path)
        self.app.say(f"weights saved to {path}")

    def demo(self) -> None:
        """Draw a 3 with strokes, as a player would (used by the screenshot command)."""
        c = self.pad.size / 280
        points = [(95, 70), (140, 55), (180, 75), (185, 110), (150, 135), (125, 140), (160, 145),
                  (190, 170), (185, 210), (140, 230), (90, 215)]
        for a, b in zip(points, points[1:]):
            self.pad.stroke((a[0] * c, a[1] * c), (b[0] * c, b[1] * c), 11 * c)

    def classify(self) -> None:
        model, theta = self.model, self.theta
        if self.use_live and self.app.live_trainer is not None:
            snap = self.app.live_trainer.snapshot
            model, theta = self.app.live_trainer.trainer.model, snap.theta
            if theta.size != model.n_params:  # the trainer is switching networks this instant
                return
        self.active_model, self.active_theta = model, theta
        try:
            self.digit = raw_downscale(self.pad.ink) if self.raw else mnist_normalize(self.pad.ink)
        except UserError:  # an empty pad: no digit, no guess
            self.digit = self.hidden = self.output = None
            return
        t0 = time.perf_counter()
        hidden, out = self.engine.forward(model, theta, self.digit.reshape(1, -1))
        self.infer_times.append((time.perf_counter() - t0) * 1e6)
        self.infer_us = float(np.median(self.infer_times))  # median of recent frames: steadier to read
        self.hidden, self.output = hidden[0], out[0]

    @property
    def probabilities(self) -> np.ndarray | None:
        return None if self.output is None else self.output / self.output.sum()

    @property
    def prediction(self) -> int | None:
        return None if self.output is None else int(self.output.argmax())

    # -- layout & events ----------------------------------------------------------------------
    def layout(self, size) -> None:
        w, h = size
        side = int(min(h - 170, w * 0.4))
        self.pad_rect = pygame.Rect(24, 70, side, side)
        y = self.pad_rect.bottom + 14
        for i, b in enumerate(self.buttons):
            b.rect = pygame.Rect(24 + i * (side // 3 + 2), y, side // 3 - 4, 34)
        self.pen_slider.rect = pygame.Rect(24, y + 44, side, 30)
        right = self.pad_rect.right + 24
        self.net_rect = pygame.Rect(right, 70, w - right - 24, side + 40)
        bw = (self.net_rect.w - 16) // 3
        for i, b in enumerate(self.teach_buttons):
            b.rect = pygame.Rect(right + i * (bw + 8), self.net_rect.bottom + 10, bw, 34)

    def _to_pad(self, pos) -> tuple[float, float]:
        scale = self.pad.size / self.pad_rect.w
        return ((pos[0] - self.pad_rect.x) * scale, (pos[1] - self.pad_rect.y) * scale)

    def handle_event(self, event) -> None:
        for b in self.buttons + self.teach_buttons:
            b.handle_event(event)
        self.pen_slider.handle_event(event)
        if event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 3) and self.pad_rect.collidepoint(event.pos):
            self.last = self._to_pad(event.pos)
            self.pad.stroke(self.last, self.last, self._radius(), erase=event.button == 3)
        elif event.type == pygame.MOUSEMOTION:
            buttons = event.buttons
            if self.last is not None and (buttons[0] or buttons[2]):
                p = self._to_pad(event.pos)
                self.pad.stroke(self.last, p, self._radius(), erase=bool(buttons[2]) and not buttons[0])
                self.last = p
            self.hover = self._hit_neuron(event.pos)
        elif event.type == pygame.MOUSEBUTTONUP and event.button in (1, 3):
            self.last = None
        elif event.type == pygame.KEYDOWN:
            if event.key == pygame.K_c:
                self.pad.clear()
            elif event.key == pygame.K_n:
                self.toggle_raw()
            elif event.key == pygame.K_t:
                self.toggle_live()
            elif event.key in (pygame.K_LEFTBRACKET, pygame.K_RIGHTBRACKET):
                self.pen_slider.set(self.pen + (2 if event.key == pygame.K_RIGHTBRACKET else -2))
            elif pygame.K_0 <= event.key <= pygame.K_9:
                self.label_drawing(event.key - pygame.K_0)
            elif event.key == pygame.K_l:
                self.next_weights()
            elif event.key == pygame.K_f:
                self.fine_tune()
            elif event.key == pygame.K_s and event.mod & pygame.KMOD_CTRL:
                self.save_weights()

    def _radius(self) -> float:
        return self.pen * self.pad.size / 280

    def update(self, dt: float) -> None:
        live = self.use_live and self.app.live_trainer is not None
        if self.pad.version != self.seen_version or live:
            self.seen_version = self.pad.version
            self.classify()

    # -- geometry of the network picture ------------------------------------------------------
    def _columns(self):
        r = self.net_rect
        inner = pygame.Rect(r.x + 12, r.y + 62, r.w - 24, r.h - 96)
        img = min(168, inner.h // 3)
        image_rect = pygame.Rect(inner.x, inner.centery - img // 2, img, img)
        hidden_x = image_rect.right + int(inner.w * 0.16)
        out_x = hidden_x + int(inner.w * 0.2)
        hidden_y = [inner.y + 8 + (inner.h - 16) * (j + 0.5) / self.active_model.hidden for j in range(self.active_model.hidden)]
        out_y = [inner.y + 20 + (inner.h - 40) * (o + 0.5) / self.active_model.outputs for o in range(self.active_model.outputs)]
        bars = pygame.Rect(out_x + 30, inner.y, inner.right - out_x - 30, inner.h)
        return image_rect, hidden_x, hidden_y, out_x, out_y, bars

    def _hit_neuron(self, pos):
        _, hx, hy, ox, oy, _ = self._columns()
        for j, y in enumerate(hy):
            if (pos[0] - hx) ** 2 + (pos[1] - y) ** 2 <= 81:
                return ("hidden", j)
        for o, y in enumerate(oy):
            if (pos[0] - ox) ** 2 + (pos[1] - y) ** 2 <= 196:
                return ("output", o)
        return None

    # -- drawing ----------------------------------------------------------------------------
    def draw(self, surface) -> None:
        w, h = surface.get_size()
        theme.text(surface, "Draw a digit", (24, 22), 26, theme.TEXT, True)
        theme.text(surface, "left mouse draws · right mouse erases · C clears · [ ] pen size · Esc menu",
                   (24 + 190, 28), 15, theme.MUTED)
        pad_img = theme.image_from_rgb(theme.sequential(self.pad.ink * 0.75), self.pad_rect.size, smooth=True)
        surface.blit(pad_img, self.pad_rect)
        pygame.draw.rect(surface, theme.PANEL_EDGE, self.pad_rect, 2)
        if self.output is None:
            theme.text(surface, "draw here", self.pad_rect.center, 22, theme.MUTED, anchor="center")
        for b in self.buttons + self.teach_buttons:
            b.draw(surface)
        self.pen_slider.draw(surface)
        self._draw_network(surface)
        teach = (f"Teach it: draw, then press the digit's key (0-9) to keep it · {len(self.drawings)} kept · "
                 f"F fine-tunes · L other weights")
        theme.text(surface, teach, (self.net_rect.x, self.net_rect.bottom + 52), 14, theme.MUTED)
        if self.teach_report:
            theme.text(surface, self.teach_report, (self.net_rect.x, self.net_rect.bottom + 72), 14, theme.GOOD)

    def _draw_network(self, surface) -> None:
        theme.panel(surface, self.net_rect, "What the network sees and does")
        image_rect, hx, hy, ox, oy, bars = self._columns()
        source = "live training network" if self.use_live else Path(self.weights_path).name
        theme.text(surface, f"{self.active_model.describe()} · {source}", (self.net_rect.x + 12, self.net_rect.bottom - 10),
                   14, theme.MUTED, anchor="bottomleft")
        theme.text(surface, "784 inputs" + (" (raw downscale!)" if self.raw else " (normalised)"),
                   (image_rect.x, image_rect.y - 22), 14, theme.WARN if self.raw else theme.MUTED)
        digit = self.digit if self.digit is not None else np.zeros((28, 28), np.float32)
        surface.blit(theme.image_from_rgb(theme.sequential(digit), image_rect.size), image_rect)
        pygame.draw.rect(surface, theme.PANEL_EDGE, image_rect, 1)
        theme.text(surface, f"{self.active_model.hidden} hidden", (hx, hy[0] - 26), 14, theme.MUTED, anchor="midbottom")
        theme.text(surface, "10 outputs", (ox, oy[0] - 30), 14, theme.MUTED, anchor="midbottom")

        v = self.active_model.views(self.active_theta) if self.output is not None else None
        if v is not None:
            # connections hidden -> winning output, coloured by their contribution (weight x activation)
            win = self.prediction
            contrib = v["W2"][:, win] * self.hidden
            scale = np.abs(contrib).max() + 1e-9
            colors = theme.diverging(contrib, scale)
            for j, y in enumerate(hy):
                width = 1 + int(3 * abs(contrib[j]) / scale)
                pygame.draw.line(surface, tuple(colors[j]), (hx, y), (ox, oy[win]), width)
            for j, y in enumerate(hy):  # fan in from the input image, faint
                pygame.draw.line(surface, (44, 48, 62), (image_rect.right, image_rect.centery), (hx, y), 1)
        acts = self.hidden if self.hidden is not None else np.zeros(self.active_model.hidden)
        radius = int(max(2, min(7, (hy[1] - hy[0]) / 2 - 1))) if len(hy) > 1 else 7
        for j, y in enumerate(hy):
            pygame.draw.circle(surface, tuple(theme.sequential(acts[j])), (hx, int(y)), radius)
            pygame.draw.circle(surface, theme.PANEL_EDGE, (hx, int(y)), radius, 1)
        probs = self.probabilities
        outs = self.output if self.output is not None else np.zeros(self.active_model.outputs)
        for o, y in enumerate(oy):
            winner = probs is not None and o == self.prediction
            pygame.draw.circle(surface, tuple(theme.sequential(outs[o])), (ox, int(y)), 12)
            pygame.draw.circle(surface, theme.ACCENT if winner else theme.PANEL_EDGE, (ox, int(y)), 12, 3 if winner else 1)
            theme.text(surface, str(o), (ox, int(y)), 15, theme.BG if outs[o] > 0.6 else theme.TEXT, True, "center")
        self._draw_bars(surface, bars, oy, probs)
        if self.hover and self.output is not None:
            self._draw_tooltip(surface, v)

    def _draw_bars(self, surface, area, oy, probs) -> None:
        theme.text(surface, "probability", (area.x + 24, oy[0] - 30), 14, theme.MUTED, anchor="bottomleft")
        theme.text(surface, f"inference {self.infer_us:.0f} µs (median of recent frames)" if probs is not None else "",
                   (self.net_rect.right - 12, self.net_rect.bottom - 10), 14, theme.MUTED, anchor="bottomright")
        image_rect = self._columns()[0]
        big = pygame.Rect(image_rect.x, image_rect.bottom + 16, image_rect.w, 96)
        if probs is None:
            theme.text(surface, "no digit yet", (area.x, area.centery), 18, theme.MUTED, anchor="midleft")
            return
        bar_w = area.w - 50
        for o, y in enumerate(oy):
            win = o == self.prediction
            r = pygame.Rect(area.x, int(y) - 8, max(2, int(bar_w * probs[o])), 16)
            pygame.draw.rect(surface, theme.ACCENT if win else theme.BLUE, r, border_radius=3)
            theme.text(surface, f"{probs[o]:.0%}", (r.right + 6, int(y)), 14,
                       theme.TEXT if win else theme.MUTED, anchor="midleft")
        pygame.draw.rect(surface, (44, 38, 26), big, border_radius=8)
        theme.text(surface, "it's a", (big.x + 12, big.centery), 16, theme.MUTED, anchor="midleft")
        theme.text(surface, str(self.prediction), (big.right - 34, big.centery), 64, theme.ACCENT, True, "center")

    def _draw_tooltip(self, surface, v) -> None:
        kind, i = self.hover
        mx, my = pygame.mouse.get_pos()
        box = pygame.Rect(mx + 16, my + 10, 200, 236 if kind == "hidden" else 120)
        box.clamp_ip(surface.get_rect())
        pygame.draw.rect(surface, (36, 40, 54), box, border_radius=6)
        pygame.draw.rect(surface, theme.ACCENT, box, 1, border_radius=6)
        if kind == "hidden":
            theme.text(surface, f"hidden neuron {i}: {self.hidden[i]:.3f}", (box.x + 8, box.y + 6), 14)
            wts = v["W1"][:, i].reshape(28, 28)
            scale = float(np.abs(wts).max())
            surface.blit(theme.image_from_rgb(theme.diverging(wts, scale), (168, 168)), (box.x + 16, box.y + 28))
            theme.text(surface, f"incoming weights ±{scale:.2f}, bias {v['b1'][i]:+.2f}",
                       (box.x + 8, box.bottom - 26), 12, theme.MUTED)
        else:
            theme.text(surface, f"output {i}: {self.output[i]:.3f}", (box.x + 8, box.y + 6), 14)
            wts = v["W2"][:, i]
            scale = float(np.abs(wts).max())
            strip = theme.diverging(wts[None, :], scale)
            surface.blit(theme.image_from_rgb(strip, (180, 30)), (box.x + 10, box.y + 32))
            theme.text(surface, f"30 incoming weights ±{scale:.2f}", (box.x + 8, box.y + 70), 12, theme.MUTED)
            theme.text(surface, f"bias {v['b2'][i]:+.2f}", (box.x + 8, box.y + 90), 12, theme.MUTED)
