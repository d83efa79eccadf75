"""``nnarcade bench``: prints figures measured now, with ratios against the NumPy reference."""
from __future__ import annotations

import os

from nn.backends import limit_blas_threads, make_backend
from nn.bench import time_epochs, time_inference
from nn.numpy_backend import NumpyBackend


def run_bench(args) -> int:
    if args.ui:
        from game.bench_ui import run_ui_bench
        return run_ui_bench(args.seconds)
    print(f"training the talk's recipe (784-30-10 sigmoid, quadratic cost, SGD, batch 10, lr 3.0) "
          f"for {args.epochs} epochs per backend; seconds per epoch exclude the test evaluation")
    reference = time_epochs(NumpyBackend(), args.epochs, data_dir=args.data)
    results = [reference]
    try:
        opencl = make_backend("opencl")
        limit_blas_threads()
        results.append(time_epochs(opencl, args.epochs, data_dir=args.data))
    except Exception as exc:  # report and keep the reference figures
        print(f"OpenCL backend unavailable: {exc}")
    print(f"{'backend':8} {'device':48} {'median s/epoch':>14} {'speed-up':>9}  test accuracy per epoch")
    for r in results:
        acc = " ".join(f"{a:.2%}" for a in r["accuracy"])
        print(f"{r['backend']:8} {r['device'][:48]:48} {r['median']:14.4f} "
              f"{reference['median'] / r['median']:8.2f}x  {acc}")
    print("\ninference of one drawn digit (median of 200):")
    for backend in [NumpyBackend()] + ([opencl] if len(results) > 1 else []):
        print(f"  {backend.name:8} {time_inference(backend) * 1e6:9.1f} µs")
    return 0
