"""OpenCLBackend: batched forward, backprop and fused multi-batch SGD in ``mlp.cl``."""
from __future__ import annotations

import os
import threading
import weakref
from pathlib import Path

import numpy as np

from ..backend import batch_costs
from ..data import Dataset, SparseImages, to_sparse
from ..errors import UserError
from ..model import ACTIVATIONS, COSTS, MLP

KERNEL_SOURCE = Path(__file__).with_name("mlp.cl")
GRADIENTS_SOURCE = Path(__file__).with_name("gradients.cl")  # compiled after mlp.cl: uses its helpers
MAX_BATCH = 4096  # scratch space per mini-batch is 2*B*H + B*O floats
_MF = None


def _cl():
    try:
        import pyopencl as cl
    except ImportError as exc:  # pragma: no cover - pyopencl is a dependency
        raise UserError(f"PyOpenCL is not installed ({exc}); run: pip install 'pyopencl[pocl]'") from None
    return cl


_PROBE = "__kernel void probe(__global float* a) { a[get_global_id(0)] = exp(a[get_global_id(0)]); }"


def device_works(device) -> str | None:
    """None if ``device`` builds and runs a tiny kernel, else why not.

    Some PoCL builds list a CPU they cannot compile for (LLVM too old to know it:
    "unknown target CPU 'generic'"), so listing a device is not enough.
    """
    cl = _cl()
    try:
        ctx = cl.Context([device])
        prg = cl.Program(ctx, _PROBE).build()
        queue = cl.CommandQueue(ctx)
        a = np.zeros(4, np.float32)
        buf = cl.Buffer(ctx, cl.mem_flags.READ_WRITE | cl.mem_flags.COPY_HOST_PTR, hostbuf=a)
        prg.probe(queue, (4,), None, buf)
        cl.enqueue_copy(queue, a, buf)
        return None if np.allclose(a, 1.0) else "wrong result from a test kernel"
    except cl.Error as exc:
        first = [line for line in str(exc).splitlines() if "error" in line.lower()]
        return (first[-1] if first else str(exc).splitlines()[0]).strip()


def make_context():
    """An OpenCL context on the first device that works: PYOPENCL_CTX if set, else GPUs first."""
    cl = _cl()
    try:
        if os.environ.get("PYOPENCL_CTX"):
            ctx = cl.create_some_context(interactive=False)
            problem = device_works(ctx.devices[0])
            if problem:
                raise UserError(f"the OpenCL device chosen by PYOPENCL_CTX cannot run kernels: {problem}")
            return ctx
        devices = [d for p in cl.get_platforms() for d in p.get_devices()]
    except cl.Error as exc:
        raise UserError(f"no usable OpenCL platform ({exc}). {INSTALL_HINT}") from None
    if not devices:
        raise UserError(f"no OpenCL device found. {INSTALL_HINT}")
    devices.sort(key=lambda d: not d.type & cl.device_type.GPU)
    problems = []
    for dev in devices:
        problem = device_works(dev)
        if problem is None:
            return cl.Context([dev])
        problems.append(f"{dev.name.strip()} ({dev.platform.version.strip()}): {problem}")
    raise UserError("no OpenCL device can build kernels: " + "; ".join(problems) + f". {INSTALL_HINT}")


INSTALL_HINT = ("Install a CPU OpenCL driver (pip install 'pyopencl[pocl]', or on Debian/Ubuntu: "
                "apt-get install pocl-opencl-icd), or use --backend numpy")


def describe_platforms() -> list[str]:
    """One line per OpenCL platform and device found."""
    cl = _cl()
    try:
        platforms = cl.get_platforms()
    except cl.Error as exc:
        return [f"no OpenCL platform: {exc}"]
    lines = []
    for p in platforms:
        lines.append(f"platform: {p.name} ({p.version})")
        for d in p.get_devices():
            kind = cl.device_type.to_string(d.type)
            problem = device_works(d)
            lines.append(f"  device: {d.name} [{kind}], {d.max_compute_units} compute units, "
                         f"{d.global_mem_size // 2**20} MiB: "
                         + ("works" if problem is None else f"cannot build kernels ({problem})"))
    return lines


class _DeviceData:
    """A data set's sparse pixels and labels, uploaded once."""

    def __init__(self, cl, ctx, sparse: SparseImages, labels: np.ndarray | None):
        mf = cl.mem_flags
        ro = mf.READ_ONLY | mf.COPY_HOST_PTR
        self.n = len(sparse.offsets) - 1
        self.offsets = cl.Buffer(ctx, ro, hostbuf=sparse.offsets)
        self.indices = cl.Buffer(ctx, ro, hostbuf=sparse.indices if len(sparse.indices) else np.zeros(1, np.int32))
        self.values = cl.Buffer(ctx, ro, hostbuf=sparse.values if len(sparse.values) else np.zeros(1, np.float32))
        lab = labels if labels is not None else np.zeros(self.n, np.int32)
        self.labels = cl.Buffer(ctx, ro, hostbuf=np.ascontiguousarray(lab, dtype=np.int32))


class OpenCLBackend:
    """Same maths as NumpyBackend, in kernels. Safe to call from several threads
    (each thread gets its own queue and kernel objects)."""

    name = "opencl"

    def __init__(self, context=None):
        self.cl = _cl()
        self.ctx = context or make_context()
        dev = self.ctx.devices[0]
        self.device = f"{dev.name.strip()} ({dev.platform.name.strip()})"
        self._source = KERNEL_SOURCE.read_text() + "\n" + GRADIENTS_SOURCE.read_text()
        self._programs: dict[tuple, object] = {}
        self._build_lock = threading.Lock()
        self._local = threading.local()
        self._datasets: "weakref.WeakKeyDictionary[Dataset, _DeviceData]" = weakref.WeakKeyDictionary()

    # -- plumbing -------------------------------------------------------------------------
    def _queue(self):
        if not hasattr(self._local, "queue"):
            self._local.queue = self.cl.CommandQueue(self.ctx)
            self._local.kernels = {}
        return self._local.queue

    def _kernel(self, model: MLP, name: str):
        self._queue()
        key = (model.hidden, model.outputs, model.activation, model.cost, name)
        kernels = self._local.kernels
        if key not in kernels:
            kernels[key] = self.cl.Kernel(self._program(model), name)
        return kernels[key]

    def _program(self, model: MLP):
        key = (model.hidden, model.outputs, model.activation, model.cost)
        with self._build_lock:
            if key not in self._programs:
                opts = [f"-DH={model.hidden}", f"-DO={model.outputs}",
                        f"-DACT={ACTIVATIONS.index(model.activation)}",
                        f"-DCOST={COSTS.index(model.cost)}"]
                try:
                    self._programs[key] = self.cl.Program(self.ctx, self._source).build(options=opts)
                except self.cl.Error as exc:
                    raise UserError(f"OpenCL kernel build failed for {model.describe()} on "
                                    f"{self.device}: {exc}. Try --backend numpy.") from None
            return self._programs[key]

    def warm_up(self, model: MLP) -> None:
        """Build the kernels now (0.2–0.5 s cold) instead of on the first training step."""
        theta = model.init(0)
        x = np.zeros((2, model.inputs), np.float32)
        x[:, 0] = 1
        self.loss_and_grad(model, theta, x, np.eye(model.outputs, dtype=np.float32)[[0, 1]])
        self.forward(model, theta, x)

    def _device_data(self, data: Dataset) -> _DeviceData:
        if data not in self._datasets:
            self._datasets[data] = _DeviceData(self.cl, self.ctx, data.csr, data.labels)
        return self._datasets[data]

    def _buffer(self, array: np.ndarray, writable: bool = False):
        mf = self.cl.mem_flags
        flags = (mf.READ_WRITE if writable else mf.READ_ONLY) | mf.COPY_HOST_PTR
        return self.cl.Buffer(self.ctx, flags, hostbuf=array)

    def _scratch(self, floats: int):
        """A per-thread device buffer of at least ``floats`` floats, reused between calls."""
        buf = getattr(self._local, "scratch", None)
        if buf is None or buf.size < floats * 4:
            buf = self._local.scratch = self.cl.Buffer(self.ctx, self.cl.mem_flags.READ_WRITE, floats * 4)
        return buf

    def _run_batches(self, model: MLP, theta_buf, dst_buf, scale: float, dd: _DeviceData,
                     order: np.ndarray, total: int, batch: int) -> np.ndarray:
        if not 1 <= batch <= MAX_BATCH:
            raise ValueError(f"batch size must be between 1 and {MAX_BATCH} on the OpenCL backend")
        queue, k = self._queue(), self._kernel(model, "train_batches")
        nbatches = -(-total // batch)
        costs = np.empty(nbatches, np.float32)
        costs_buf = self.cl.Buffer(self.ctx, self.cl.mem_flags.WRITE_ONLY, costs.nbytes)
        order_buf = self._buffer(np.ascontiguousarray(order[:total], dtype=np.int32))
        scratch = self._scratch(batch * (2 * model.hidden + model.outputs))
        k(queue, (1,), (1,), theta_buf, dst_buf, np.float32(scale), np.int32(model.inputs),
          dd.offsets, dd.indices, dd.values, dd.labels, order_buf, np.int32(total), np.int32(batch),
          costs_buf, scratch)
        self.cl.enqueue_copy(queue, costs, costs_buf)
        return costs

    # -- the backend protocol ---------------------------------------------------------------
    def forward(self, model: MLP, theta: np.ndarray, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        inputs = np.asarray(inputs, np.float32).reshape(-1, model.inputs)
        return self._forward_sparse(model, theta, _DeviceData(self.cl, self.ctx, to_sparse(inputs), None))

    def _forward_sparse(self, model: MLP, theta: np.ndarray, dd: _DeviceData):
        queue, k = self._queue(), self._kernel(model, "forward")
        hidden = np.empty((dd.n, model.hidden), np.float32)
        out = np.empty((dd.n, model.outputs), np.float32)
        if dd.n == 0:
            return hidden, out
        mf = self.cl.mem_flags
        h_buf = self.cl.Buffer(self.ctx, mf.WRITE_ONLY, hidden.nbytes)
        o_buf = self.cl.Buffer(self.ctx, mf.WRITE_ONLY, out.nbytes)
        local = 64
        k(queue, (-(-dd.n // local) * local,), (local,), self._buffer(theta), np.int32(model.inputs),
          dd.offsets, dd.indices, dd.values, np.int32(dd.n), h_buf, o_buf)
        self.cl.enqueue_copy(queue, hidden, h_buf)
        self.cl.enqueue_copy(queue, out, o_buf)
        return hidden, out

    def loss_and_grad(self, model: MLP, theta: np.ndarray, inputs: np.ndarray,
                      targets: np.ndarray) -> tuple[float, np.ndarray]:
        inputs = np.asarray(inputs, np.float32).reshape(-1, model.inputs)
        labels = _labels_of(targets)
        n = len(inputs)
        dd = _DeviceData(self.cl, self.ctx, to_sparse(inputs), labels)
        grad = np.zeros_like(theta)
        grad_buf = self._buffer(grad, writable=True)
        costs = self._run_batches(model, self._buffer(theta), grad_buf, 1.0 / n, dd,
                                  np.arange(n), n, min(n, MAX_BATCH))
        self.cl.enqueue_copy(self._queue(), grad, grad_buf)
        return float(costs.sum() / n), grad

    def sgd(self, model: MLP, theta: np.ndarray, data: Dataset, order: np.ndarray,
            batch_size: int, lr: float) -> np.ndarray:
        total = (len(order) // batch_size) * batch_size
        if total == 0:
            return np.empty(0, np.float32)
        theta_buf = self._buffer(theta, writable=True)
        costs = self._run_batches(model, theta_buf, theta_buf, -lr / batch_size,
                                  self._device_data(data), order, total, batch_size)
        self.cl.enqueue_copy(self._queue(), theta, theta_buf)
        return costs / batch_size

    # -- the W1 part of the gradient methods (see nn.gradients) ------------------------------
    def w1_gradient(self, model: MLP, theta: np.ndarray, x: np.ndarray, z1, a1, a2, y, dc_dz2,
                    method: str, eps: float = 0.0, central: bool = False) -> np.ndarray:
        """The W1 block of the gradient by ``method`` ("dual" or "fd"), see nn.gradients."""
        queue, k = self._queue(), self._kernel(model, "dual_w1" if method == "dual" else "fd_w1")
        pixels = np.flatnonzero(np.any(x != 0, axis=0)).astype(np.int32)
        grad = np.zeros((model.inputs, model.hidden), np.float32)
        if len(pixels) == 0:
            return grad
        w2 = np.ascontiguousarray(model.views(theta)["W2"], dtype=np.float32)
        grad_buf = self.cl.Buffer(self.ctx, self.cl.mem_flags.READ_WRITE | self.cl.mem_flags.COPY_HOST_PTR, hostbuf=grad)
        floats = [self._buffer(np.ascontiguousarray(a, dtype=np.float32)) for a in (z1, a1, a2, y, dc_dz2)]
        local = -(-model.hidden // 8) * 8  # one work-item per hidden neuron, padded for vectors
        k(queue, (len(pixels) * local,), (local,), self._buffer(np.ascontiguousarray(x, dtype=np.float32)),
          np.int32(model.inputs), np.int32(len(x)), self._buffer(pixels), self._buffer(w2), *floats, np.float32(eps), np.int32(bool(central)), grad_buf)
        self.cl.enqueue_copy(queue, grad, grad_buf)
        return grad

    def grid_costs(self, model: MLP, parts: tuple[np.ndarray, ...], labels: np.ndarray,
                   coords: np.ndarray) -> np.ndarray:
        """Mean cost at each (a, b) of a plane (see nn.surface.grid_costs, the NumPy reference)."""
        zc, z1, z2, w2 = parts
        n = len(zc)
        padded = -(-n // 8) * 8  # the kernel reads 8 samples at a time; padding weighs 0

        def samples_last(a: np.ndarray) -> np.ndarray:
            out = np.zeros((a.shape[1], padded), np.float32)
            out[:, :n] = a.T
            return out
        targets = np.eye(model.outputs, dtype=np.float32)[labels]
        weight = np.zeros(padded, np.float32)
        weight[:n] = 1.0
        blocks = padded // 8
        partial = np.empty((len(coords), blocks), np.float32)
        out_buf = self.cl.Buffer(self.ctx, self.cl.mem_flags.WRITE_ONLY, partial.nbytes)
        queue, k = self._queue(), self._kernel(model, "plane_costs")
        k(queue, (blocks, len(coords)), None, *(self._buffer(samples_last(a)) for a in (zc, z1, z2)),
          self._buffer(np.ascontiguousarray(w2, np.float32)), self._buffer(samples_last(targets)),
          self._buffer(weight), np.int32(padded), self._buffer(np.ascontiguousarray(coords, np.float32)), out_buf)
        self.cl.enqueue_copy(queue, partial, out_buf)
        return partial.sum(axis=1) / n

    def evaluate(self, model: MLP, theta: np.ndarray, data: Dataset) -> tuple[float, float]:
        _, out = self._forward_sparse(model, theta, self._device_data(data))
        accuracy = float(np.mean(out.argmax(axis=1) == data.labels))
        return accuracy, float(batch_costs(model, out, data.one_hot(model.outputs)).mean())


def _labels_of(targets: np.ndarray) -> np.ndarray:
    targets = np.asarray(targets)
    labels = targets.argmax(axis=1)
    if not np.array_equal(np.eye(targets.shape[1], dtype=targets.dtype)[labels], targets):
        raise ValueError("the OpenCL backend trains on one-hot targets")
    return labels.astype(np.int32)
