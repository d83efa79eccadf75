"""The window, the clock and the scene stack. Global keys: Esc back, F11 fullscreen, F12 screenshot."""
from __future__ import annotations

import os
import statistics
import time
from collections import deque
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame  # noqa: E402

from game import theme  # noqa: E402
from nn.errors import UserError  # noqa: E402

FPS = 60


class Scene:
    """The scene contract. ``draw`` only draws: state changes happen in handle_event/update."""

    title = ""

    def __init__(self, app: "App") -> None:
        self.app = app

    def layout(self, size: tuple[int, int]) -> None: ...

    def handle_event(self, event: pygame.event.Event) -> None: ...

    def update(self, dt: float) -> None: ...

    def draw(self, surface: pygame.Surface) -> None: ...

    def close(self) -> None: ...


class App:
    def __init__(self, size: tuple[int, int] = (1280, 720), view: str = "menu", **view_args) -> None:
        pygame.display.init()  # not pygame.init(): no sound needed, and no ALSA noise without a card
        pygame.font.init()
        pygame.display.set_caption("NN Arcade")
        self.size = size
        self.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
        self.clock = pygame.time.Clock()
        self.scenes: list[Scene] = []
        self.running = True
        self.frame_times: deque[float] = deque(maxlen=600)
        self.notice, self.notice_until = "", 0.0
        self._backend = None
        self.live_trainer = None  # the Train view's TrainerThread, for "draw with these weights"
        self.open("menu")
        if view != "menu":
            self.open(view, **view_args)

    # -- shared services ------------------------------------------------------------------
    @property
    def backend(self):
        if self._backend is None:
            from nn.backends import make_backend
            self._backend = make_backend("auto", warn=lambda msg: self.say(msg, 8))
        return self._backend

    def say(self, message: str, seconds: float = 4.0) -> None:
        """A one-line notice at the bottom of the window (errors the player can act on)."""
        self.notice, self.notice_until = message, time.monotonic() + seconds

    # -- scenes ---------------------------------------------------------------------------
    def open(self, view: str, **kwargs) -> Scene | None:
        from game.scenes import make_scene
        if self.scenes:  # Train loads MNIST and builds kernels (~2 s): say so instead of freezing silently
            self._show_loading(view)
        try:
            scene = make_scene(view, self, **kwargs)
        except UserError as exc:
            self.say(str(exc), 8)
            return None
        scene.layout(self.screen.get_size())
        self.scenes.append(scene)
        return scene

    def _show_loading(self, view: str) -> None:
        w, h = self.screen.get_size()
        box = pygame.Rect(0, 0, 360, 64)
        box.center = (w // 2, h // 2)
        pygame.draw.rect(self.screen, theme.PANEL, box, border_radius=10)
        pygame.draw.rect(self.screen, theme.ACCENT, box, 2, border_radius=10)
        theme.text(self.screen, f"Opening {view.split('-')[0].title()}...", box.center, 20, theme.TEXT, True, "center")
        pygame.display.flip()

    def back(self) -> None:
        if len(self.scenes) > 1:
            self.scenes.pop().close()
        else:
            self.running = False

    @property
    def scene(self) -> Scene:
        return self.scenes[-1]

    # -- the loop -------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.running = False
        elif event.type == pygame.VIDEORESIZE:
            for scene in self.scenes:
                scene.layout(self.screen.get_size())
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.back()
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            pygame.display.toggle_fullscreen()
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_F12:
            self.say(f"screenshot saved: {self.save_screenshot()}")
        else:
            self.scene.handle_event(event)

    def frame(self, dt: float) -> None:
        for event in pygame.event.get():
            self.handle(event)
            if not self.running:
                return
        self.scene.update(dt)
        self.screen.fill(theme.BG)
        self.scene.draw(self.screen)
        if self.notice and time.monotonic() < self.notice_until:
            w, h = self.screen.get_size()
            bar = pygame.Rect(0, h - 30, w, 30)
            pygame.draw.rect(self.screen, (60, 46, 20), bar)
            theme.text(self.screen, self.notice[:180], (12, h - 15), 15, theme.WARN, anchor="midleft")
        pygame.display.flip()

    def run(self, max_frames: int | None = None, max_seconds: float | None = None) -> None:
        frames, start = 0, time.perf_counter()
        last = start
        while self.running and (max_frames is None or frames < max_frames) \
                and (max_seconds is None or time.perf_counter() - start < max_seconds):
            self.clock.tick(FPS)
            now = time.perf_counter()
            dt, last = now - last, now
            t0 = time.perf_counter()
            self.frame(dt)
            self.frame_times.append(time.perf_counter() - t0)
            frames += 1

    def frame_stats(self) -> dict:
        times = sorted(self.frame_times)
        if not times:
            return {}
        return {"median_ms": statistics.median(times) * 1e3, "p95_ms": times[int(0.95 * (len(times) - 1))] * 1e3}

    def save_screenshot(self, path: str | Path | None = None) -> Path:
        path = Path(path or Path("screenshots") / time.strftime("nnarcade-%Y%m%d-%H%M%S.png"))
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(self.screen, str(path))
        return path

    def quit(self) -> None:
        for scene in reversed(self.scenes):
            scene.close()
        theme.reset_fonts()
        pygame.quit()


def run_app(view: str = "menu", weights_path: str | None = None) -> int:
    try:
        app = App(view=view, **({"weights_path": weights_path} if weights_path and view == "draw" else {}))
    except pygame.error as exc:
        raise UserError(f"cannot open a window ({exc}). On a machine without a display, try "
                        "`nnarcade screenshot VIEW OUT.png`, or run under Xvfb.") from None
    try:
        app.run()
    finally:
        app.quit()
    return 0


def screenshot(view: str, out: str, seconds: float = 3.0, size: tuple[int, int] = (1280, 720)) -> Path:
    """Render ``view`` headless after ``seconds`` of work (the draw view gets a demo digit)."""
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    app = App(size, view)
    try:
        if hasattr(app.scene, "demo"):
            app.scene.demo()
        app.run(max_seconds=seconds)
        app.frame(0.0)
        return app.save_screenshot(out)
    finally:
        app.quit()
