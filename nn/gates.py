"""Perceptron logic-gate puzzles: levels, the strict step, solved checks, linear separability,
and a gradient-descent helper. No pygame here: the Gates scene draws what this computes.

A perceptron outputs step(w·x + b) with the STRICT step: 1 if the sum is > 0, else 0 (the
talk's definition; its official answers put a row exactly on 0, so a >= 0 step would reject them).
"""
from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import UserError

LEVELS_DIR = Path(__file__).resolve().parent.parent / "assets" / "levels"


def step(z: np.ndarray) -> np.ndarray:
    return (np.asarray(z) > 0).astype(np.int64)


@dataclass(frozen=True)
class Level:
    id: str
    order: int
    title: str
    story: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    hidden: int                      # 0: one layer of perceptrons; else a hidden layer of this size
    x: np.ndarray                    # (rows, inputs) 0/1
    y: np.ndarray                    # (rows, outputs) 0/1
    solution: dict | None            # a known answer (None for the unsolvable wall)
    unsolvable: bool = False
    par: int | None = None           # edits for the best star rating
    hint: str = ""

    @property
    def shapes(self) -> dict[str, tuple[int, int] | tuple[int]]:
        n, o, h = len(self.inputs), len(self.outputs), self.hidden
        if h == 0:
            return {"W": (o, n), "b": (o,)}
        return {"W1": (h, n), "b1": (h,), "W2": (o, h), "b2": (o,)}

    def zeros(self) -> dict[str, np.ndarray]:
        return {k: np.zeros(s) for k, s in self.shapes.items()}

    def param_names(self) -> list[tuple[str, tuple[int, ...], str]]:
        """(array name, index, label) for every weight and bias, in the order sliders show them."""
        out = []
        layers = [("W", "b", self.inputs, self.outputs)] if self.hidden == 0 else [
            ("W1", "b1", self.inputs, [f"h{j}" for j in range(self.hidden)]),
            ("W2", "b2", [f"h{j}" for j in range(self.hidden)], self.outputs)]
        for w, b, sources, targets in layers:
            for t, target in enumerate(targets):
                for s, source in enumerate(sources):
                    out.append((w, (t, s), f"{source} -> {target}"))
                out.append((b, (t,), f"bias {target}"))
        return out


@dataclass(frozen=True)
class Evaluation:
    sums: list[np.ndarray]           # per layer: (rows, neurons) weighted sums w·x + b
    outputs: np.ndarray              # (rows, outputs) 0/1
    correct: np.ndarray              # (rows,) bool

    @property
    def solved(self) -> bool:
        return bool(self.correct.all())


def evaluate(level: Level, params: dict[str, np.ndarray]) -> Evaluation:
    """Run every row of the truth table through the network with the strict step."""
    if level.hidden == 0:
        sums = [level.x @ np.asarray(params["W"]).T + params["b"]]
        out = step(sums[0])
    else:
        z1 = level.x @ np.asarray(params["W1"]).T + params["b1"]
        z2 = step(z1) @ np.asarray(params["W2"]).T + params["b2"]
        sums, out = [z1, z2], step(z2)
    return Evaluation(sums, out, (out == level.y).all(axis=1))


def load_level(path: str | Path) -> Level:
    path = Path(path)
    try:
        d = json.loads(path.read_text())
        table = d["table"]
        level = Level(d["id"], int(d["order"]), d["title"], d.get("story", ""), tuple(d["inputs"]),
                      tuple(d["outputs"]), int(d.get("hidden", 0)),
                      np.array([row[0] for row in table], dtype=np.int64),
                      np.array([row[1] for row in table], dtype=np.int64),
                      d.get("solution"), bool(d.get("unsolvable", False)), d.get("par"), d.get("hint", ""))
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise UserError(f"level file {path.name} is unreadable ({exc.__class__.__name__}: {exc})") from None
    if level.x.shape != (len(table), len(level.inputs)) or level.y.shape != (len(table), len(level.outputs)):
        raise UserError(f"level file {path.name}: truth-table rows do not match its inputs/outputs")
    return level


def load_levels(directory: str | Path = LEVELS_DIR) -> list[Level]:
    """Every ``*.json`` level in ``directory``, in their ``order``: new levels need no code."""
    return sorted((load_level(p) for p in Path(directory).glob("*.json")), key=lambda lv: lv.order)


def solution_params(level: Level) -> dict[str, np.ndarray] | None:
    if level.solution is None:
        return None
    return {k: np.asarray(v, dtype=float) for k, v in level.solution.items()}


# -- linear separability: can ONE perceptron do it? --------------------------------------------
@dataclass(frozen=True)
class Separability:
    separable: bool
    weights: np.ndarray | None = None      # a separating (w, b) when separable
    bias: float | None = None
    positives: tuple[int, ...] = ()        # certificate when not: rows whose mean...
    negatives: tuple[int, ...] = ()        # ...equals the mean of these rows
    point: np.ndarray | None = None        # that common point
    reason: str = field(default="")


def separability(x: np.ndarray, y: np.ndarray, search: int = 3) -> Separability:
    """Decide whether the rows with y=1 and y=0 can be split by one line (plane) with the strict step.

    Separable: a witness (w, b) with small integer values is searched (every Boolean function of
    up to 3 inputs that is separable has one within ±3). Not separable: a proof, a point that is
    both the average of some firing rows and of some silent rows. A half-space is convex, so it
    contains every average of its points: that point would have to give w·p + b > 0 and <= 0 at once.
    """
    x, y = np.asarray(x, float), np.asarray(y).ravel()
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    values = range(-search, search + 1)
    for candidate in itertools.product(values, repeat=x.shape[1] + 1):
        w, b = np.array(candidate[:-1], float), float(candidate[-1])
        if np.array_equal(step(x @ w + b), y):
            return Separability(True, w, b, reason="a line (plane) splits the firing rows from the silent ones")
    for k in range(2, min(len(pos), len(neg)) + 1):
        for p in itertools.combinations(pos, k):
            for q in itertools.combinations(neg, k):
                mp, mq = x[list(p)].mean(axis=0), x[list(q)].mean(axis=0)
                if np.allclose(mp, mq):
                    return Separability(False, positives=p, negatives=q, point=mp,
                                        reason="the firing rows and the silent rows share an average point")
    raise ValueError("no separator within the search range and no simple proof found")


# -- gradient descent on the puzzle ---------------------------------------------------------------
def to_mlp(level: Level, params: dict[str, np.ndarray]):
    """The puzzle network as the project's MLP (sigmoid, cross-entropy) and its flat theta."""
    from .model import MLP
    model = MLP(len(level.inputs), level.hidden, len(level.outputs), "sigmoid", "cross-entropy")
    theta = np.empty(model.n_params, np.float64)
    v = model.views(theta)
    v["W1"][:], v["b1"][:] = np.asarray(params["W1"]).T, params["b1"]
    v["W2"][:], v["b2"][:] = np.asarray(params["W2"]).T, params["b2"]
    return model, theta


def from_mlp(model, theta: np.ndarray) -> dict[str, np.ndarray]:
    v = model.views(theta)
    return {"W1": v["W1"].T.copy(), "b1": v["b1"].copy(), "W2": v["W2"].T.copy(), "b2": v["b2"].copy()}


def sigmoid_cost_and_grad(level: Level, params: dict[str, np.ndarray]) -> tuple[float, dict[str, np.ndarray]]:
    """Cross-entropy of the sigmoid version of the network and its gradient.

    With a hidden layer this is the project's backprop (NumpyBackend.loss_and_grad on the same
    network as an MLP); one layer of perceptrons is a logistic regression: dC/dz = a − y.
    """
    from .model import sigmoid
    if level.hidden:
        from .numpy_backend import NumpyBackend
        model, theta = to_mlp(level, params)
        cost, grad = NumpyBackend().loss_and_grad(model, theta, level.x.astype(float), level.y.astype(float))
        return cost, from_mlp(model, grad)
    a = sigmoid(level.x @ np.asarray(params["W"]).T + params["b"])
    y = level.y
    eps = 1e-12
    cost = float(-np.mean(np.sum(y * np.log(a + eps) + (1 - y) * np.log(1 - a + eps), axis=1)))
    d = (a - y) / len(y)
    return cost, {"W": d.T @ level.x, "b": d.sum(axis=0)}


def descend(level: Level, params: dict[str, np.ndarray], lr: float = 2.0, steps: int = 1) -> tuple[dict[str, np.ndarray], float]:
    """``steps`` of plain gradient descent on the sigmoid version; returns new params and cost."""
    p = {k: np.array(v, float) for k, v in params.items()}
    cost = 0.0
    for _ in range(steps):
        cost, grad = sigmoid_cost_and_grad(level, p)
        for k in p:
            p[k] -= lr * grad[k]
    return p, cost


def cost_slice(level: Level, params: dict[str, np.ndarray], first: tuple[str, tuple[int, ...]],
               second: tuple[str, tuple[int, ...]], values: np.ndarray) -> np.ndarray:
    """Exact cost of the sigmoid network over a grid of two chosen parameters, others fixed."""
    out = np.empty((len(values), len(values)))
    p = {k: np.array(v, float) for k, v in params.items()}
    for i, vb in enumerate(values):
        for j, va in enumerate(values):
            p[first[0]][first[1]] = va
            p[second[0]][second[1]] = vb
            out[i, j] = sigmoid_cost_and_grad(level, p)[0]
    return out
