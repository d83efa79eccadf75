"""The ``nnarcade`` command: the game, plus headless train / evaluate / classify / export /
info / bench / screenshot. Problems a user can fix print one line and exit with code 2."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from nn import data, weights
from nn.backends import BACKENDS, make_backend
from nn.errors import UserError
from nn.model import ACTIVATIONS, COSTS, MLP
from nn.optimizers import OPTIMIZERS
from nn.gradients import METHODS, gradient_engine
from nn.trainer import Diverged, TrainConfig, Trainer

VIEWS = ("menu", "train", "draw", "gates", "lab")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="nnarcade", description="Watch a neural network learn, and play with it.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="open the game window (the default)")
    play.add_argument("view", nargs="?", choices=VIEWS, default="menu")
    play.add_argument("--weights", default=None, help="weights for the draw view (.npz or the talk's .bin)")

    t = sub.add_parser("train", help="train on MNIST headless (the talk's recipe by default)")
    t.add_argument("--epochs", type=int, default=30)
    t.add_argument("--batch-size", type=int, default=10)
    t.add_argument("--lr", type=float, default=3.0, help="learning rate")
    t.add_argument("--hidden", type=int, default=30, help="hidden neurons")
    t.add_argument("--activation", choices=ACTIVATIONS, default="sigmoid")
    t.add_argument("--cost", choices=COSTS, default="quadratic")
    t.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default="sgd")
    t.add_argument("--grad", choices=METHODS, default="backprop",
                   help="how each mini-batch gradient is computed (backprop uses the fused SGD kernel)")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--out", default="nnarcade-weights.npz", help="where to write the weights")
    t.add_argument("--json", action="store_true", help="print one JSON summary line at the end")
    _common(t)

    e = sub.add_parser("evaluate", help="test accuracy of a weights file (.npz or the talk's .bin)")
    e.add_argument("weights")
    _common(e)

    c = sub.add_parser("classify", help="classify digit pictures (any size, either ink polarity)")
    c.add_argument("images", nargs="+")
    c.add_argument("--weights", default=str(weights.DEFAULT_WEIGHTS))
    c.add_argument("--json", action="store_true")

    x = sub.add_parser("export", help="write weights in another format")
    x.add_argument("--format", choices=("ea-bin", "npz"), default="ea-bin")
    x.add_argument("--weights", default=str(weights.DEFAULT_WEIGHTS))
    x.add_argument("--out", required=True)

    sub.add_parser("info", help="list OpenCL platforms and devices and which one is used")

    b = sub.add_parser("bench", help="speed benchmarks (figures and ratios, measured now)")
    b.add_argument("--epochs", type=int, default=3)
    b.add_argument("--grads", action="store_true", help="the gradient methods instead of training")
    b.add_argument("--ui", action="store_true", help="frame times of the Train view while it trains")
    b.add_argument("--draw", action="store_true", help="accuracy on MNIST test digits drawn onto the pad")
    b.add_argument("--seconds", type=float, default=10.0, help="duration of --ui")
    b.add_argument("--data", default=None)

    s = sub.add_parser("screenshot", help="render a view headless after a few seconds of work")
    s.add_argument("view", choices=VIEWS)
    s.add_argument("out")
    s.add_argument("--seconds", type=float, default=3.0)
    s.add_argument("--size", default="1280x720")
    return p


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--backend", choices=BACKENDS, default="auto")
    p.add_argument("--data", default=None, help="directory of IDX files (default: the bundled MNIST)")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "play"
    try:
        return COMMANDS[command](args)
    except UserError as exc:
        print(f"nnarcade {command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


def cmd_play(args) -> int:
    from game.app import run_app
    weights_path = getattr(args, "weights", None)
    if weights_path:
        weights.load(weights_path)  # a bad file is a one-line error before any window opens
    return run_app(getattr(args, "view", "menu"), weights_path)


def cmd_train(args) -> int:
    from tqdm import tqdm

    train, test = data.load("train", args.data), data.load("test", args.data)
    model = MLP(train.images.shape[1], args.hidden, int(train.labels.max()) + 1, args.activation, args.cost)
    backend = make_backend(args.backend)
    config = TrainConfig(args.epochs, args.batch_size, args.lr, args.seed, args.optimizer)
    trainer = Trainer(model, backend, train, test, config, gradient=gradient_engine(args.grad, backend))
    print(f"training {model.describe()} on {len(train):,} images with {args.optimizer} "
          f"(lr {args.lr:g}, batch {args.batch_size}, gradients by {args.grad}) on {backend.device}", file=sys.stderr)
    t0 = time.perf_counter()
    chunk = max(1, trainer.batches_per_epoch // 50)
    with tqdm(total=args.epochs * trainer.batches_per_epoch, unit="batch", file=sys.stderr,
              mininterval=0.2, dynamic_ncols=True, disable=None) as bar:
        while trainer.epoch < args.epochs:
            epoch = trainer.epoch
            try:
                costs = trainer.run(chunk)
            except Diverged as exc:
                raise UserError(str(exc)) from None
            bar.update(len(costs))
            bar.set_postfix(epoch=epoch + 1, cost=f"{trainer.costs[-1][1]:.4f}")
            if trainer.epoch > epoch:
                bar.write(f"epoch {trainer.epoch:2d}: test accuracy {trainer.accuracy[-1]:.2%}", file=sys.stderr)
    seconds = time.perf_counter() - t0
    meta = {"trained_by": "nnarcade train " + " ".join(sys.argv[2:]), "epochs": args.epochs,
            "batch_size": args.batch_size, "lr": args.lr, "optimizer": args.optimizer, "seed": args.seed, "grad": args.grad,
            "backend": backend.name, "device": backend.device,
            "seconds": round(seconds, 2), "test_accuracy": trainer.accuracy}
    out = weights.save(args.out, model, trainer.theta, meta)
    print(f"test accuracy {trainer.accuracy[-1]:.2%} after {args.epochs} epochs in {seconds:.1f} s; "
          f"weights written to {out}", file=sys.stderr)
    if args.json:
        print(json.dumps({"backend": backend.name, "device": backend.device, "grad": args.grad, "epochs": args.epochs,
                          "seconds": round(seconds, 3), "test_accuracy_per_epoch": trainer.accuracy,
                          "test_accuracy": trainer.accuracy[-1], "weights": str(out)}))
    return 0


def cmd_evaluate(args) -> int:
    model, theta, _ = weights.load(args.weights)
    test = data.load("test", args.data)
    if test.images.shape[1] != model.inputs:
        raise UserError(f"{args.weights} expects {model.inputs} inputs; the data has {test.images.shape[1]}")
    backend = make_backend(args.backend)
    accuracy, cost = backend.evaluate(model, theta, test)
    print(f"{args.weights}: test accuracy {accuracy:.2%} ({round(accuracy * len(test))}/{len(test)}), "
          f"mean cost {cost:.4f} [{model.describe()}]")
    return 0


def cmd_classify(args) -> int:
    from nn.normalize import ink_from_picture, mnist_normalize
    from nn.numpy_backend import NumpyBackend

    model, theta, _ = weights.load(args.weights)
    results = []
    for path in args.images:
        digit = mnist_normalize(ink_from_picture(load_gray_image(path)))
        _, out = NumpyBackend().forward(model, theta, digit.reshape(1, -1))
        probs = out[0] / out[0].sum()
        results.append({"image": path, "digit": int(probs.argmax()), "probabilities": [round(float(p), 4) for p in probs]})
    for r in results:
        if args.json:
            print(json.dumps(r))
        else:
            bars = " ".join(f"{d}:{p:.2f}" for d, p in enumerate(r["probabilities"]))
            print(f"{r['image']}: {r['digit']}   ({bars})")
    return 0


def load_gray_image(path: str) -> np.ndarray:
    """A picture file as grey levels in [0, 1] (pygame reads PNG, JPEG, BMP...)."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame
    if not Path(path).exists():
        raise UserError(f"image not found: {path}")
    try:
        surface = pygame.image.load(path)
    except pygame.error as exc:
        raise UserError(f"cannot read image {path}: {exc}") from None
    rgb = pygame.surfarray.array3d(surface).transpose(1, 0, 2).astype(np.float32) / 255.0
    return rgb @ np.array([0.299, 0.587, 0.114], np.float32)


def cmd_export(args) -> int:
    model, theta, meta = weights.load(args.weights)
    if args.format == "ea-bin":
        out = weights.export_ea_bin(args.out, model, theta)
    else:
        out = weights.save(args.out, model, theta, {k: v for k, v in meta.items() if k != "format"})
    print(f"wrote {out} ({out.stat().st_size:,} bytes, {model.describe()})")
    return 0


def cmd_info(args) -> int:
    from nn.opencl import describe_platforms
    for line in describe_platforms():
        print(line)
    try:
        backend = make_backend("opencl")
        print(f"using: {backend.device}" + (" (chosen by PYOPENCL_CTX)" if os.environ.get("PYOPENCL_CTX") else ""))
    except UserError as exc:
        print(f"using: the NumPy backend, because {exc}")
    return 0


def cmd_bench(args) -> int:
    from game.bench_cli import run_bench
    return run_bench(args)


def cmd_screenshot(args) -> int:
    from game.app import screenshot
    w, h = (int(v) for v in args.size.lower().split("x"))
    out = screenshot(args.view, args.out, seconds=args.seconds, size=(w, h))
    print(f"wrote {out}")
    return 0


COMMANDS = {"play": cmd_play, "train": cmd_train, "evaluate": cmd_evaluate, "classify": cmd_classify,
            "export": cmd_export, "info": cmd_info, "bench": cmd_bench, "screenshot": cmd_screenshot}

if __name__ == "__main__":
    sys.exit(main())
