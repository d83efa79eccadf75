"""`nnarcade train` end to end on a small IDX data set of our own (which also exercises --data)."""
import gzip
import json

import numpy as np
import pytest

from game.cli import main
from nn import data, weights


def _write_idx(path, array):
    codes = {np.dtype(np.uint8): 0x08}
    header = bytes([0, 0, codes[array.dtype], array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    path.write_bytes(gzip.compress(header + array.tobytes()))


@pytest.fixture(scope="module")
def small_data(tmp_path_factory):
    d = tmp_path_factory.mktemp("idx")
    train, test = data.load("train"), data.load("test")
    _write_idx(d / "train-images-idx3-ubyte.gz", train.images[:3000].reshape(-1, 28, 28))
    _write_idx(d / "train-labels-idx1-ubyte.gz", train.labels[:3000].astype(np.uint8))
    _write_idx(d / "t10k-images-idx3-ubyte.gz", test.images[:500].reshape(-1, 28, 28))
    _write_idx(d / "t10k-labels-idx1-ubyte.gz", test.labels[:500].astype(np.uint8))
    return d


@pytest.mark.parametrize("grad", ["backprop", "dual", "fd", "fd-central"])
def test_train_json_with_each_gradient_method(small_data, tmp_path, capsys, grad):
    out = tmp_path / "w.npz"
    assert main(["train", "--data", str(small_data), "--epochs", "3", "--grad", grad, "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["grad"] == grad and summary["epochs"] == 3 and len(summary["test_accuracy_per_epoch"]) == 3
    assert summary["test_accuracy"] > 0.6   # 3,000 images, 3 epochs: far above chance (0.1)
    model, theta, meta = weights.load(out)
    assert meta["grad"] == grad and meta["test_accuracy"] == summary["test_accuracy_per_epoch"]


def test_train_with_other_options(small_data, tmp_path, capsys):
    out = tmp_path / "w.npz"
    assert main(["train", "--data", str(small_data), "--epochs", "1", "--hidden", "16", "--activation", "tanh",
                 "--cost", "cross-entropy", "--optimizer", "adam", "--lr", "0.01", "--batch-size", "20",
                 "--backend", "numpy", "--out", str(out)]) == 0
    model, _, _ = weights.load(out)
    assert model.describe() == "784-16-10 tanh, cross-entropy cost"


def test_info_lists_devices(capsys):
    assert main(["info"]) == 0
    text = capsys.readouterr().out
    assert "platform:" in text and "using:" in text
