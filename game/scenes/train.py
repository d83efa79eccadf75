"""Train view: an MLP learns MNIST live — loss curve, cost surface with a ball, every weight."""
from __future__ import annotations

import threading
import time

import numpy as np
import pygame

from game import theme
from game.app import Scene
from game.userdata import user_path
from game.widgets.charts import LossChart, SurfaceView, WeightHeatmap
from game.widgets.controls import Button, Choice, Slider, stack
from game.widgets.marks import draw_mark
from nn import data, weights
from nn.errors import UserError
from nn.model import ACTIVATIONS, MLP
from nn.optimizers import OPTIMIZERS
from nn.surface import SurfaceTracker
from nn.trainer import TrainConfig, Trainer, TrainerThread

MAX_SPEED = 20000  # the speed slider's top end means "as fast as possible"
SURFACE_SAMPLE = 1000  # training images the surface is measured on: a 33×33 grid in ~30 ms (OpenCL)
DEFAULT_SPEED = 1000  # mini-batches/s: slow enough to watch an epoch (6 s), the slider goes to flat out
HELP = [
    ("Space", "play / pause"), ("S", "one mini-batch"), ("R", "reset with a new seed"),
    ("Up / Down", "learning rate ×/÷ 1.5"), ("Left / Right", "slower / faster"), ("B", "batch size"),
    ("N", "hidden neurons"), ("A", "activation"), ("O", "optimizer"), ("L", "log / linear cost axis"),
    ("Ctrl+S", "save the weights"), ("D", "draw with these weights"), ("H or ?", "this help"), ("Esc", "menu"),
]


class TrainScene(Scene):
    title = "Train"

    def __init__(self, app, running: bool = True, speed: float | None = DEFAULT_SPEED) -> None:
        super().__init__(app)
        self.train_set, self.test_set = data.load("train"), data.load("test")
        self.backend = app.backend
        if hasattr(self.backend, "warm_up"):
            try:
                self.backend.warm_up(MLP())
            except UserError as exc:  # a kernel that will not build: train on NumPy, say why
                from nn.numpy_backend import NumpyBackend
                app.say(f"{exc} Training on the NumPy backend instead.", 10)
                self.backend = NumpyBackend()
        self.seed = 0
        self.hidden, self.activation, self.batch, self.optimizer = 30, "sigmoid", 10, "sgd"
        self.lr = 3.0
        self.worker = TrainerThread(self._new_trainer(), speed=speed, running=running).start()
        app.live_trainer = self.worker
        self.loss = LossChart()
        self.surface_view = SurfaceView()
        self.heatmap = WeightHeatmap()
        self.show_help = False
        self.surface_frame = None
        self._tracker = self._new_tracker()
        self._stop = threading.Event()
        self._surface_thread = threading.Thread(target=self._surface_loop, name="surface", daemon=True)
        self._surface_thread.start()
        self.fps = 0.0
        self._build_controls()

    # -- training plumbing ------------------------------------------------------------------
    def _model(self) -> MLP:
        return MLP(self.train_set.images.shape[1], self.hidden, 10, self.activation)

    def _new_trainer(self) -> Trainer:
        config = TrainConfig(batch_size=self.batch, lr=self.lr, seed=self.seed, optimizer=self.optimizer)
        return Trainer(self._model(), self.backend, self.train_set, self.test_set, config)

    def _new_tracker(self) -> SurfaceTracker:
        return SurfaceTracker(self._model(), self.train_set.inputs[:SURFACE_SAMPLE],
                              self.train_set.labels[:SURFACE_SAMPLE], grid_backend=self.backend)

    def _surface_loop(self) -> None:
        """Background: re-measure the landscape around the latest weights a few times a second."""
        while not self._stop.is_set():
            snap, tracker = self.worker.snapshot, self._tracker
            if tracker.model.n_params == snap.theta.size and np.isfinite(snap.theta).all():
                try:
                    with np.errstate(all="ignore"):
                        frame = tracker.update(snap.step, snap.theta)
                except (ArithmeticError, np.linalg.LinAlgError):
                    frame = None  # weights too wild to picture (a diverging run): skip this frame
                if frame is not None and tracker is self._tracker:
                    self.surface_frame = frame
            self._stop.wait(0.25)

    def restart(self, new_seed: bool = True) -> None:
        """A fresh network with the current settings (new seed on reset)."""
        if new_seed:
            self.seed += 1
        self._tracker = self._new_tracker()
        self.surface_frame = None
        self.surface_view.frame = None
        self.worker.send("replace", self._new_trainer())

    # -- controls -----------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.play_button = Button("Pause", self.toggle_run, "Space")
        self.buttons = [self.play_button, Button("Step", lambda: self.worker.send("step", 1), "S"),
                        Button("Reset", self.restart, "R"), Button("Save weights", self.save, "Ctrl+S"),
                        Button("Draw with these", self.draw_with_these, "D")]
        self.lr_slider = Slider("Learning rate", 0.01, 30.0, self.lr, self._set_lr, log=True)
        speed = self.worker.speed or MAX_SPEED
        self.speed_slider = Slider("Speed (mini-batches/s)", 1, MAX_SPEED, speed, self._set_speed, log=True,
                                   fmt="{:.0f}", max_label=True)
        self.choices = [Choice("Batch", [1, 5, 10, 20, 50, 100], self.batch, self._set("batch"), "B"),
                        Choice("Hidden", [10, 20, 30, 50, 100], self.hidden, self._set("hidden"), "N"),
                        Choice("Activation", list(ACTIVATIONS), self.activation, self._set("activation"), "A"),
                        Choice("Optimizer", sorted(OPTIMIZERS), self.optimizer, self._set("optimizer"), "O")]

    def _set(self, name: str):
        def apply(value) -> None:
            setattr(self, name, value)
            if name in ("activation", "optimizer") and value != "sigmoid" and self.lr > 0.5:
                # relu/tanh and adaptive optimizers need far smaller steps than the talk's 3.0
                self.lr_slider.set(0.1 if value != "adam" else 0.003)
            self.restart(new_seed=False)
        return apply

    def _set_lr(self, value: float) -> None:
        self.lr = value
        self.worker.send("lr", value)

    def _set_speed(self, value: float) -> None:
        self.worker.send("speed", None if value >= MAX_SPEED * 0.999 else value)

    def toggle_run(self) -> None:
        self.worker.send("pause" if self.worker.snapshot.running else "resume")

    def save(self) -> None:
        snap = self.worker.snapshot
        path = user_path("weights", time.strftime("train-%Y%m%d-%H%M%S.npz"))
        meta = {"trained_by": "nnarcade Train view", "steps": snap.step, "epochs": snap.epoch,
                "test_accuracy": list(snap.accuracy), "lr": snap.lr, "batch_size": snap.batch_size}
        try:
            weights.save(path, self.worker.trainer.model, snap.theta, meta)
            self.app.say(f"weights saved to {path}")
        except OSError as exc:
            self.app.say(f"could not save weights: {exc}")

    def draw_with_these(self) -> None:
        scene = self.app.open("draw")
        if scene is not None:
            scene.toggle_live()

    def layout(self, size) -> None:
        w, h = size
        top, bottom, gap = 46, 30, 10
        body = pygame.Rect(gap, top, w - 2 * gap, h - top - bottom)
        left_w = int(body.w * 0.5)
        self.loss.rect = pygame.Rect(body.x, body.y, left_w, int(body.h * 0.46))
        self.heatmap.rect = pygame.Rect(body.x, self.loss.rect.bottom + gap, left_w, body.bottom - self.loss.rect.bottom - gap)
        right = pygame.Rect(body.x + left_w + gap, body.y, body.w - left_w - gap, body.h)
        self.surface_view.rect = pygame.Rect(right.x, right.y, right.w, int(right.h * 0.6))
        self.controls_rect = pygame.Rect(right.x, self.surface_view.rect.bottom + gap, right.w,
                                         right.bottom - self.surface_view.rect.bottom - gap)
        inner = self.controls_rect.inflate(-20, -20)
        col_w = (inner.w - 16) // 3
        stack(self.buttons, pygame.Rect(inner.x, inner.y, col_w, inner.h), 28, 6)
        stack(self.choices, pygame.Rect(inner.x + col_w + 8, inner.y, col_w, inner.h), 28, 6)
        stack([self.lr_slider, self.speed_slider], pygame.Rect(inner.x + 2 * (col_w + 8), inner.y + 4, col_w, inner.h), 30, 14)

    def handle_event(self, event) -> None:
        for widget in self.buttons + self.choices + [self.lr_slider, self.speed_slider]:
            if widget.handle_event(event):
                return
        if self.surface_view.handle_event(event):
            return
        self.heatmap.handle_event(event)
        if event.type != pygame.KEYDOWN:
            return
        key, mods = event.key, event.mod
        if self.show_help and key not in (pygame.K_h, pygame.K_QUESTION, pygame.K_SLASH):
            self.show_help = False
        if key == pygame.K_SPACE:
            self.toggle_run()
        elif key == pygame.K_s and mods & pygame.KMOD_CTRL:
            self.save()
        elif key == pygame.K_s:
            self.worker.send("step", 1)
        elif key == pygame.K_r:
            self.restart()
        elif key == pygame.K_UP:
            self.lr_slider.set(self.lr * 1.5)
        elif key == pygame.K_DOWN:
            self.lr_slider.set(self.lr / 1.5)
        elif key in (pygame.K_LEFT, pygame.K_RIGHT):
            self.speed_slider.set(self.speed_slider.value * (3 if key == pygame.K_RIGHT else 1 / 3))
        elif key == pygame.K_l:
            self.loss.log = not self.loss.log
        elif key == pygame.K_d:
            self.draw_with_these()
        elif key in (pygame.K_h, pygame.K_QUESTION, pygame.K_SLASH):
            self.show_help = not self.show_help
        else:
            for choice in self.choices:
                if choice.key_hint and key == pygame.key.key_code(choice.key_hint.lower()):
                    choice.cycle()

    def update(self, dt: float) -> None:
        snap = self.worker.snapshot
        self.play_button.label = "Pause" if snap.running else "Play"
        for choice, value in zip(self.choices, (self.batch, self.hidden, self.activation, self.optimizer)):
            if choice.value != value:  # changed another way (a test, a reset): keep the label true
                choice.value = value
                choice._relabel()
        self.surface_view.update(self.surface_frame, dt)
        if dt > 0:
            self.fps = 0.9 * self.fps + 0.1 / dt if self.fps else 1 / dt

    def close(self) -> None:
        self._stop.set()
        self.worker.stop()
        if self.app.live_trainer is self.worker:
            self.app.live_trainer = None

    # -- drawing ------------------------------------------------------------------------------
    def draw(self, surface) -> None:
        snap = self.worker.snapshot
        model = self.worker.trainer.model
        w, h = surface.get_size()
        theme.text(surface, "Train", (14, 10), 26, theme.TEXT, True)
        theme.text(surface, f"{model.describe()} on MNIST · {self.optimizer} · batch {snap.batch_size} · "
                            f"learning rate {snap.lr:.3g} · seed {self.seed}", (100, 16), 15, theme.MUTED)
        theme.text(surface, "H: help", (w - 14, 16), 15, theme.MUTED, anchor="topright")
        per_epoch = len(self.train_set) // snap.batch_size
        self.loss.draw(surface, snap.costs, snap.accuracy, per_epoch)
        if snap.theta.size == model.n_params:
            self.heatmap.draw(surface, model, snap.theta, snap.step)
        self.surface_view.draw(surface)
        theme.panel(surface, self.controls_rect)
        for widget in self.buttons + self.choices + [self.lr_slider, self.speed_slider]:
            widget.draw(surface)
        acc = f"{snap.accuracy[-1]:.2%}" if snap.accuracy else "measured after epoch 1"
        state = "training" if snap.running else "paused"
        status = (f"{state} · epoch {snap.epoch + snap.epoch_fraction:.2f} · step {snap.step:,} · "
                  f"{snap.batches_per_second:,.0f} mini-batches/s · test accuracy {acc} · "
                  f"{self.backend.device.split(' (')[0]} · {self.fps:.0f} fps")
        theme.text(surface, status, (14, h - 22), 14, theme.TEXT if snap.running else theme.WARN)
        if snap.diverged:
            self._draw_diverged(surface, snap.message)
        if self.show_help:
            self._draw_help(surface)

    def _draw_diverged(self, surface, message: str) -> None:
        w, h = surface.get_size()
        lines = theme.wrap(message, 580, 14) + ["Down arrow lowers the rate, Space resumes, R resets."]
        box = pygame.Rect(0, 0, 620, 56 + 22 * len(lines))
        box.center = (w // 2, h // 2)
        pygame.draw.rect(surface, (58, 40, 18), box, border_radius=10)
        pygame.draw.rect(surface, theme.BAD, box, 2, border_radius=10)
        draw_mark(surface, (box.x + 26, box.y + 24), False)
        theme.text(surface, "Training diverged — paused", (box.x + 46, box.y + 12), 20, theme.BAD, True)
        for k, line in enumerate(lines):
            theme.text(surface, line, (box.x + 16, box.y + 46 + 22 * k), 14, theme.TEXT)

    def _draw_help(self, surface) -> None:
        w, h = surface.get_size()
        box = pygame.Rect(0, 0, 460, 40 + 24 * len(HELP))
        box.center = (w // 2, h // 2)
        pygame.draw.rect(surface, (30, 33, 46), box, border_radius=10)
        pygame.draw.rect(surface, theme.ACCENT, box, 2, border_radius=10)
        theme.text(surface, "Keys", (box.x + 16, box.y + 10), 18, theme.ACCENT, True)
        for i, (key, what) in enumerate(HELP):
            theme.text(surface, key, (box.x + 24, box.y + 38 + 24 * i), 15, theme.TEXT, True)
            theme.text(surface, what, (box.x + 150, box.y + 38 + 24 * i), 15, theme.MUTED)
