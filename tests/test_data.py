import gzip
import shutil

import numpy as np
import pytest

from nn import data
from nn.errors import UserError
from game.cli import main


def test_bundled_mnist_loads_and_verifies(mnist):
    train, test = mnist
    assert train.images.shape == (60000, 784) and train.images.dtype == np.uint8
    assert test.images.shape == (10000, 784)
    assert list(test.labels[:8]) == [7, 2, 1, 0, 4, 1, 4, 9]
    assert np.bincount(train.labels).tolist()[:3] == [5923, 6742, 5958]
    x = test.inputs
    assert x.dtype == np.float32 and x.min() == 0 and x.max() == 1


def test_sparse_rows_rebuild_the_images(mnist):
    _, test = mnist
    csr = test.csr
    dense = np.zeros((len(test), 784), np.float32)
    rows = np.repeat(np.arange(len(test)), np.diff(csr.offsets))
    dense[rows, csr.indices] = csr.values
    np.testing.assert_array_equal(dense, test.inputs)


@pytest.fixture
def data_copy(tmp_path):
    for f in data.DEFAULT_DATA_DIR.iterdir():
        shutil.copy(f, tmp_path / f.name)
        (tmp_path / f.name).chmod(0o644)
    return tmp_path


def _rewrite(path, raw):
    path.write_bytes(gzip.compress(raw))


def test_checksum_mismatch_names_the_file(data_copy):
    f = data_copy / "t10k-labels-idx1-ubyte.gz"
    raw = bytearray(gzip.decompress(f.read_bytes()))
    raw[100] ^= 1
    _rewrite(f, bytes(raw))
    with pytest.raises(UserError, match="t10k-labels-idx1-ubyte.*SHA-256"):
        data.load("test", data_copy)


def test_truncated_and_wrong_magic_are_clear_errors(data_copy):
    (data_copy / "SHA256SUMS.uncompressed").unlink()  # so the parser, not the checksum, speaks
    f = data_copy / "t10k-labels-idx1-ubyte.gz"
    raw = gzip.decompress(f.read_bytes())
    _rewrite(f, raw[:-5])
    with pytest.raises(UserError, match="truncated"):
        data.load("test", data_copy)
    _rewrite(f, b"\x00\x00\x07\x01" + raw[4:])
    with pytest.raises(UserError, match="magic"):
        data.load("test", data_copy)
    f.write_bytes(b"not gzip at all")
    with pytest.raises(UserError, match="gzip"):
        data.load("test", data_copy)


def test_missing_file_exits_2_with_one_line(data_copy, capsys):
    (data_copy / "t10k-images-idx3-ubyte.gz").unlink()
    assert main(["evaluate", str(data.PROJECT_ROOT / "weights" / "mnist-784-30-10.npz"),
                 "--data", str(data_copy), "--backend", "numpy"]) == 2
    err = capsys.readouterr().err.strip()
    assert "missing data file t10k-images-idx3-ubyte.gz" in err and "\n" not in err


def test_parse_idx_reads_other_dtypes():
    raw = b"\x00\x00\x0d\x01" + (3).to_bytes(4, "big") + np.array([1.5, -2, 3], ">f4").tobytes()
    np.testing.assert_array_equal(data.parse_idx(raw), [1.5, -2, 3])


def test_decoded_arrays_are_cached_and_a_changed_file_misses_the_cache(data_copy, monkeypatch, tmp_path):
    cache = tmp_path / "cache"
    monkeypatch.setenv("NNARCADE_CACHE", str(cache))
    labels = data_copy / "t10k-labels-idx1-ubyte.gz"
    sums = data.read_checksums(data_copy)
    first = data.read_idx(labels, sums["t10k-labels-idx1-ubyte"])
    assert len(list(cache.glob("idx-*.npy"))) == 1
    again = data.read_idx(labels, sums["t10k-labels-idx1-ubyte"])
    np.testing.assert_array_equal(first, again)
    raw = bytearray(gzip.decompress(labels.read_bytes()))
    raw[100] ^= 1
    _rewrite(labels, bytes(raw))          # a different file: verified again, so it fails
    with pytest.raises(UserError, match="SHA-256"):
        data.read_idx(labels, sums["t10k-labels-idx1-ubyte"])
