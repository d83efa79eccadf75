"""Choosing a backend: ``opencl``, ``numpy``, or ``auto`` (OpenCL when a device works)."""
from __future__ import annotations

import sys

from .errors import UserError
from .numpy_backend import NumpyBackend

BACKENDS = ("auto", "opencl", "numpy")


def make_backend(name: str = "auto", warn=lambda msg: print(msg, file=sys.stderr)):
    """A backend by name. ``auto`` falls back to NumPy, saying why, when OpenCL can't run."""
    if name not in BACKENDS:
        raise UserError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
    if name == "numpy":
        return NumpyBackend()
    try:
        from .opencl import OpenCLBackend
        backend = OpenCLBackend()
    except UserError as exc:
        if name == "opencl":
            raise
        warn(f"note: OpenCL unavailable, using the NumPy backend ({exc})")
        return NumpyBackend()
    limit_blas_threads()
    return backend


def limit_blas_threads() -> None:
    """OpenBLAS workers spin after a call and steal PoCL's cores (measured 2x slower kernels)."""
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(1, user_api="blas")
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        pass
