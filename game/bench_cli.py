"""``nnarcade bench``: prints figures measured now, with ratios against the NumPy reference."""
from __future__ import annotations


from nn.backends import limit_blas_threads, make_backend
from nn.bench import time_epochs, time_inference
from nn.numpy_backend import NumpyBackend


def run_bench(args) -> int:
    if args.ui:
        from game.bench_ui import run_ui_bench
        return run_ui_bench(args.seconds)
    if args.grads:
        return run_grads_bench(args)
    if args.draw:
        from nn.bench import drawn_digit_accuracy
        r = drawn_digit_accuracy(data_dir=args.data)
        print(f"shipped weights on all {r['images']:,} MNIST test digits: {r['original']:.2%} as 28x28 originals, "
              f"{r['on_pad']:.2%} painted onto the pad at random sizes (30-90%), places and thickness "
              f"-> {100 * (r['on_pad'] - r['original']):+.2f} points")
        return 0
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


def run_grads_bench(args) -> int:
    from nn.bench import time_gradient_methods
    backend = make_backend("auto")
    print(f"gradient methods on 784-30-10 (sigmoid, quadratic cost), mini-batch 10, on {backend.device}")
    print("per-batch: median over 200 mini-batches; epoch: one epoch of the recipe trained with that method")
    rows = time_gradient_methods(backend, data_dir=args.data)
    base = rows[0]
    fused = time_epochs(backend, 1, data_dir=args.data)["median"]
    print(f"{'method':11} {'s/batch':>10} {'x backprop':>10} {'s/epoch':>9} {'x backprop':>10} {'acc 1 ep':>9} {'max |diff|':>11}")
    for r in rows:
        acc = f"{r['accuracy']:.2%}" if r["accuracy"] is not None else "n/a"
        mark = "" if r["epoch_measured"] else " (extrapolated)"
        print(f"{r['method']:11} {r['per_batch_s'] * 1e3:8.3f}ms {r['per_batch_s'] / base['per_batch_s']:9.1f}x "
              f"{r['epoch_s']:8.2f}s {r['epoch_s'] / base['epoch_s']:9.1f}x {acc:>9} {r['max_abs_diff']:11.2e}{mark}")
    print(f"\nbackprop through the fused SGD kernel (the trainer's default path): {fused:.3f} s/epoch; "
          f"the slowest method above is {max(r['epoch_s'] for r in rows) / fused:.0f}x that")
    print("the talk (C++, 18 cores): backprop 90 s for 30 epochs; forward FD 6 h, central FD 11.5 h, sparse duals 28.5 h")
    return 0
