"""MNIST-style normalisation of a drawn or photographed digit, shared by the draw view
and ``nnarcade classify``: crop to the ink, fit into 20×20 keeping the aspect ratio
(area-averaged, so anti-aliased), place in 28×28 by centre of mass.
"""
from __future__ import annotations

import numpy as np

from .errors import UserError

SIDE, BOX = 28, 20
INK_THRESHOLD = 0.05  # ink below 5% is treated as paper noise when finding the bounding box


def ink_from_picture(gray: np.ndarray) -> np.ndarray:
    """Grey pixels in [0, 1] to ink in [0, 1]: light ink on dark stays, dark ink on light is
    inverted. The border (mostly paper) decides which."""
    gray = np.asarray(gray, dtype=np.float32)
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return 1.0 - gray if float(np.median(border)) > 0.5 else gray


def has_ink(ink: np.ndarray) -> bool:
    return bool((np.asarray(ink) > INK_THRESHOLD).any())


def area_resize(image: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Resize by exact area averaging (each output pixel is the mean of what it covers)."""
    return _area_matrix(image.shape[0], rows) @ image @ _area_matrix(image.shape[1], cols).T


def _area_matrix(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) weights: the overlap of output cell i with input cell j, normalised."""
    edges_out = np.linspace(0, n_in, n_out + 1)
    lo = np.maximum(edges_out[:-1, None], np.arange(n_in)[None, :])
    hi = np.minimum(edges_out[1:, None], np.arange(1, n_in + 1)[None, :])
    overlap = np.clip(hi - lo, 0, None)
    return (overlap / overlap.sum(axis=1, keepdims=True)).astype(np.float32)


def mnist_normalize(ink: np.ndarray) -> np.ndarray:
    """(H, W) ink in [0, 1] -> (28, 28) float32 as MNIST prepared its digits.

    Raises UserError when there is no ink (an empty pad has no digit to classify).
    """
    ink = np.clip(np.asarray(ink, dtype=np.float32), 0, 1)
    rows = np.flatnonzero((ink > INK_THRESHOLD).any(axis=1))
    cols = np.flatnonzero((ink > INK_THRESHOLD).any(axis=0))
    if rows.size == 0:
        raise UserError("the image has no ink: nothing to classify")
    crop = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = crop.shape
    scale = BOX / max(h, w)
    new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    small = area_resize(crop, new_h, new_w)
    # centre of mass to pixel index (14, 14), as MNIST did (measured: its digits' mean centre
    # of mass is 13.99, 14.00 in index coordinates), kept inside the field
    total = small.sum()
    cy = (small.sum(axis=1) @ np.arange(new_h)) / total
    cx = (small.sum(axis=0) @ np.arange(new_w)) / total
    top = int(np.clip(round(SIDE / 2 - cy), 0, SIDE - new_h))
    left = int(np.clip(round(SIDE / 2 - cx), 0, SIDE - new_w))
    out = np.zeros((SIDE, SIDE), np.float32)
    out[top:top + new_h, left:left + new_w] = small
    return np.clip(out, 0, 1)


def raw_downscale(ink: np.ndarray) -> np.ndarray:
    """The whole picture squashed to 28×28, no cropping or centring (to show why it matters)."""
    return np.clip(area_resize(np.asarray(ink, np.float32), SIDE, SIDE), 0, 1)
