import json

import numpy as np
import pytest

from nn import weights
from nn.errors import UserError
from nn.model import MLP
from game.cli import main


def test_shipped_weights_load_and_were_made_by_our_trainer():
    model, theta, meta = weights.load(weights.DEFAULT_WEIGHTS)
    assert model.sizes == (784, 30, 10) and theta.nbytes == 95_440
    assert meta["trained_by"].startswith("nnarcade train") and meta["test_accuracy"][-1] > 0.94


def test_npz_round_trip(tmp_path):
    model = MLP(hidden=12, activation="tanh", cost="cross-entropy")
    theta = model.init(5)
    weights.save(tmp_path / "w.npz", model, theta, {"note": "x"})
    m2, t2, meta = weights.load(tmp_path / "w.npz")
    assert m2 == model and meta["note"] == "x"
    assert json.loads((tmp_path / "w.json").read_text())["note"] == "x"  # the readable sidecar
    np.testing.assert_array_equal(t2, theta)


def test_ea_bin_round_trip_is_exact_and_has_the_talks_layout(tmp_path):
    model = MLP()
    theta = model.init(7)
    path = weights.export_ea_bin(tmp_path / "w.bin", model, theta)
    raw = np.fromfile(path, "<f4")
    assert raw.size == 23_860 and path.stat().st_size == 95_440
    v = model.views(theta)
    np.testing.assert_array_equal(raw[:784], v["W1"][:, 0])          # hidden neuron 0's weights
    assert raw[784] == v["b1"][0]                                      # ... then its bias
    np.testing.assert_array_equal(raw[785:785 + 784], v["W1"][:, 1])
    out0 = 30 * 785
    np.testing.assert_array_equal(raw[out0:out0 + 30], v["W2"][:, 0])  # output 0's weights
    assert raw[out0 + 30] == v["b2"][0]
    m2, t2, _ = weights.load(path)
    assert m2.sizes == (784, 30, 10)
    np.testing.assert_array_equal(t2, theta)


def test_wrong_size_bin_and_corrupt_npz_are_clear_errors(tmp_path):
    (tmp_path / "short.bin").write_bytes(b"\0" * 95_436)
    with pytest.raises(UserError, match="95,440 bytes"):
        weights.load(tmp_path / "short.bin")
    (tmp_path / "bad.npz").write_bytes(b"garbage")
    with pytest.raises(UserError, match="not a readable"):
        weights.load(tmp_path / "bad.npz")
    model = MLP(hidden=5)
    np.savez(tmp_path / "shape.npz", theta=np.zeros(7, np.float32),
             meta=np.array(json.dumps({"inputs": 784, "hidden": 5, "outputs": 10})))
    with pytest.raises(UserError, match="needs 3985"):
        weights.load(tmp_path / "shape.npz")
    assert model.n_params == 3985


def test_cli_errors_exit_2_and_overwrite_nothing(tmp_path, capsys):
    target = tmp_path / "out.bin"
    target.write_bytes(b"keep me")
    (tmp_path / "bad.npz").write_bytes(b"garbage")
    assert main(["export", "--weights", str(tmp_path / "bad.npz"), "--out", str(target)]) == 2
    assert target.read_bytes() == b"keep me"
    assert "not a readable" in capsys.readouterr().err


def test_cli_export_then_evaluate(tmp_path, capsys):
    out = tmp_path / "talk.bin"
    assert main(["export", "--format", "ea-bin", "--out", str(out)]) == 0
    assert out.stat().st_size == 95_440
    assert main(["evaluate", str(out), "--backend", "numpy"]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    expected = weights.load(weights.DEFAULT_WEIGHTS)[2]["test_accuracy"][-1]
    assert f"{expected:.2%}" in line
