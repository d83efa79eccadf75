"""``nnarcade bench --ui``: the Train view headless, training flat out; frame times and
throughput against headless training measured in the same run."""
from __future__ import annotations

import os
import statistics
import time


def run_ui_bench(seconds: float) -> int:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    from game.app import App
    from nn import data
    from nn.model import MLP
    from nn.trainer import TrainConfig, Trainer

    app = App((1280, 720), "menu")
    try:
        backend = app.backend
        # headless reference: the same trainer loop, same chunking, no window
        trainer = Trainer(MLP(), backend, data.load("train"), data.load("test"), TrainConfig(seed=1))
        if hasattr(backend, "warm_up"):
            backend.warm_up(MLP())
        t0, steps = time.perf_counter(), 0
        while time.perf_counter() - t0 < seconds:
            steps += len(trainer.run(2000))
        headless = steps / (time.perf_counter() - t0)

        scene = app.open("train", speed=None)
        app.run(max_frames=30)  # settle: first surface, first frames
        app.frame_times.clear()
        start_step, start = scene.worker.snapshot.step, time.perf_counter()
        intervals = []
        last = time.perf_counter()
        while time.perf_counter() - start < seconds:
            app.run(max_frames=1)
            now = time.perf_counter()
            intervals.append(now - last)
            last = now
        elapsed = time.perf_counter() - start
        in_window = (scene.worker.snapshot.step - start_step) / elapsed
        work = sorted(app.frame_times)
        fps = [1 / dt for dt in intervals if dt > 0]
        p95 = sorted(intervals)[int(0.95 * (len(intervals) - 1))]
        print(f"Train view at 1280x720, training as fast as possible for {seconds:.0f} s on {backend.device}")
        print(f"  frames: {len(intervals)}, median fps {statistics.median(fps):.1f}, "
              f"median frame time {statistics.median(intervals) * 1e3:.1f} ms, p95 {p95 * 1e3:.1f} ms "
              f"(drawing work alone: median {statistics.median(work) * 1e3:.1f} ms, "
              f"p95 {work[int(0.95 * (len(work) - 1))] * 1e3:.1f} ms)")
        print(f"  training throughput: {in_window:,.0f} mini-batches/s in the window, "
              f"{headless:,.0f} headless -> {in_window / headless:.0%}")
        frame = scene.surface_frame
        if frame is not None:
            from game.scenes.train import SURFACE_SAMPLE
            tracker = scene._tracker
            alone = []
            for _ in range(5):
                alone.append(tracker.update(frame.step, scene.worker.snapshot.theta).seconds)
            print(f"  cost surface: {frame.n}x{frame.n} grid on {SURFACE_SAMPLE} images: {frame.seconds * 1e3:.0f} ms "
                  f"while training and drawing; median {statistics.median(alone) * 1e3:.0f} ms with the UI idle "
                  f"(training still running; gradient, plane and projections included)")
    finally:
        app.quit()
    return 0
