"""Keeping a long series short: the loss curve must show the whole run without growing forever."""
from __future__ import annotations

import numpy as np


def decimate(points: list[tuple[int, float]], limit: int = 400) -> list[tuple[int, float]]:
    """At most ``limit`` points: bucket means, always keeping the first and the latest point."""
    if len(points) <= limit:
        return list(points)
    buckets = np.array_split(np.arange(1, len(points) - 1), limit - 2)
    xs = np.array([p[0] for p in points], float)
    ys = np.array([p[1] for p in points], float)
    middle = [(int(xs[b].mean()), float(ys[b].mean())) for b in buckets if len(b)]
    return [points[0]] + middle + [points[-1]]
