"""Saving and loading networks: our .npz format and the talk's raw .bin layout.

Our format (``.npz``, written atomically): ``theta`` (float32, the flat vector, layout in
``nn.model``) and ``meta`` (a JSON string: inputs, hidden, outputs, activation, cost, plus
whatever the trainer recorded: epochs, accuracy, seconds...).

The talk's ``.bin``: raw little-endian float32, no header. For each hidden neuron its input
weights then its bias; then for each output neuron its hidden weights then its bias.
784-30-10 gives 23,860 floats = 95,440 bytes. It holds no activation or cost: sigmoid and
quadratic are assumed, as in the talk.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np

from .atomic import write_atomically, write_bytes_atomically
from .errors import UserError
from .model import MLP

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WEIGHTS = PROJECT_ROOT / "weights" / "mnist-784-30-10.npz"
EA_INPUTS, EA_OUTPUTS = 784, 10


def save(path: str | Path, model: MLP, theta: np.ndarray, meta: dict | None = None) -> Path:
    """Write our .npz format atomically (a crash never leaves half a file), plus a readable
    ``.json`` sidecar with the same header (the .npz alone is authoritative)."""
    _check_theta(model, theta)
    info = {"format": "nnarcade-mlp", "version": 1, "inputs": model.inputs, "hidden": model.hidden,
            "outputs": model.outputs, "activation": model.activation, "cost": model.cost}
    info.update(meta or {})
    out = write_atomically(path, lambda f: np.savez(f, theta=theta.astype("<f4"), meta=np.array(json.dumps(info))))
    write_bytes_atomically(out.with_suffix(".json"), (json.dumps(info, indent=1) + "\n").encode())
    return out


def load(path: str | Path) -> tuple[MLP, np.ndarray, dict]:
    """Read a network from our .npz or the talk's .bin (by extension). Clear errors, never a traceback."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"weights file not found: {path}")
    if path.suffix.lower() == ".bin":
        return _load_ea_bin(path)
    try:
        with np.load(path, allow_pickle=False) as z:
            theta = np.asarray(z["theta"], dtype=np.float32)
            meta = json.loads(str(z["meta"]))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise UserError(f"{path} is not a readable NN Arcade weights file ({exc.__class__.__name__}: {exc}). "
                        "Re-create it with `nnarcade train --out PATH`.") from None
    try:
        model = MLP(int(meta["inputs"]), int(meta["hidden"]), int(meta["outputs"]),
                    meta.get("activation", "sigmoid"), meta.get("cost", "quadratic"))
    except (KeyError, ValueError, TypeError) as exc:
        raise UserError(f"{path}: bad network description in its header ({exc})") from None
    if theta.shape != (model.n_params,):
        raise UserError(f"{path}: holds {theta.size} parameters but a {model.describe()} network "
                        f"needs {model.n_params}; the file is damaged or from another format.")
    if not np.isfinite(theta).all():
        raise UserError(f"{path}: contains NaN or infinite weights (saved from a diverged run?)")
    return model, theta, meta


def ea_bin_bytes(model: MLP, theta: np.ndarray) -> bytes:
    """The talk's raw layout (hidden neuron by neuron: weights then bias; then outputs)."""
    _check_theta(model, theta)
    v = model.views(theta)
    hidden = np.concatenate([v["W1"].T, v["b1"][:, None]], axis=1)   # (H, inputs + 1)
    output = np.concatenate([v["W2"].T, v["b2"][:, None]], axis=1)   # (O, H + 1)
    return np.concatenate([hidden.ravel(), output.ravel()]).astype("<f4").tobytes()


def export_ea_bin(path: str | Path, model: MLP, theta: np.ndarray) -> Path:
    if model.inputs != EA_INPUTS or model.outputs != EA_OUTPUTS:
        raise UserError(f"the talk's .bin layout is for {EA_INPUTS} inputs and {EA_OUTPUTS} outputs, "
                        f"not {model.describe()}")
    if model.activation != "sigmoid":
        raise UserError("the talk's .bin layout assumes sigmoid; this network uses " + model.activation)
    return write_bytes_atomically(path, ea_bin_bytes(model, theta))


def _load_ea_bin(path: Path) -> tuple[MLP, np.ndarray, dict]:
    raw = path.read_bytes()
    floats, rest = divmod(len(raw), 4)
    # floats = (784 + 1)·H + (H + 1)·10  ->  H = (floats - 10) / 794
    hidden, extra = divmod(floats - EA_OUTPUTS, EA_INPUTS + 1 + EA_OUTPUTS)
    if rest or extra or hidden < 1:
        raise UserError(f"{path} is {len(raw):,} bytes, which is no 784-H-10 network in the talk's .bin "
                        "layout (784-30-10 is 95,440 bytes).")
    model = MLP(EA_INPUTS, hidden, EA_OUTPUTS)
    data = np.frombuffer(raw, "<f4").astype(np.float32)
    if not np.isfinite(data).all():
        raise UserError(f"{path}: contains NaN or infinite weights")
    split = hidden * (EA_INPUTS + 1)
    hid = data[:split].reshape(hidden, EA_INPUTS + 1)
    out = data[split:].reshape(EA_OUTPUTS, hidden + 1)
    theta = np.empty(model.n_params, np.float32)
    v = model.views(theta)
    v["W1"][:] = hid[:, :-1].T
    v["b1"][:] = hid[:, -1]
    v["W2"][:] = out[:, :-1].T
    v["b2"][:] = out[:, -1]
    return model, theta, {"format": "ea-bin", "source": str(path)}


def _check_theta(model: MLP, theta: np.ndarray) -> None:
    if theta.shape != (model.n_params,):
        raise ValueError(f"theta has shape {theta.shape}, {model.describe()} needs ({model.n_params},)")

