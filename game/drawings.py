"""The player's own labelled drawings (28×28, normalised), kept in the user data directory."""
from __future__ import annotations

import io
import zipfile

import numpy as np

from game.userdata import user_path
from nn.atomic import write_atomically


class DrawingSet:
    def __init__(self) -> None:
        self.path = user_path("drawings.npz")
        self.inputs = np.zeros((0, 784), np.float32)
        self.labels = np.zeros(0, np.int64)
        self.problem = ""
        if self.path.exists():
            try:
                with np.load(self.path) as z:
                    inputs, labels = np.asarray(z["inputs"], np.float32), np.asarray(z["labels"], np.int64)
                if inputs.shape[1:] != (784,) or len(inputs) != len(labels):
                    raise ValueError("shapes do not match")
                self.inputs, self.labels = inputs, labels
            except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
                # keep the damaged file for the player to inspect; start a new set beside it
                self.problem = f"{self.path.name} could not be read ({exc}); starting a new set"
                self.path = self.path.with_name("drawings-new.npz")

    def __len__(self) -> int:
        return len(self.labels)

    def add(self, digit28: np.ndarray, label: int) -> None:
        self.inputs = np.vstack([self.inputs, np.asarray(digit28, np.float32).reshape(1, 784)])
        self.labels = np.append(self.labels, int(label))
        buf = io.BytesIO()
        np.savez_compressed(buf, inputs=self.inputs, labels=self.labels)
        write_atomically(self.path, lambda f: f.write(buf.getvalue()))
