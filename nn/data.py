"""MNIST-style IDX data: load, verify, cache, and a sparse view for the fast kernels."""
from __future__ import annotations

import gzip
import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .atomic import write_atomically
from .errors import UserError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "assets" / "mnist"
CHECKSUM_FILE = "SHA256SUMS.uncompressed"

SPLIT_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_FIX = "Restore it from the project's assets/mnist (or ../shared/mnist), or pass --data DIR."


@dataclass(frozen=True, eq=False)  # hashed by identity, so caches key on the object
class Dataset:
    """Images as uint8 rows (N, pixels) and integer labels (N,)."""

    images: np.ndarray
    labels: np.ndarray
    shape: tuple[int, int]  # (rows, cols) of one image

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def inputs(self) -> np.ndarray:
        """Pixels scaled to [0, 1], float32, one row per image."""
        return _scaled(self)

    def one_hot(self, classes: int = 10) -> np.ndarray:
        return _one_hot(self, classes)

    @property
    def csr(self) -> "SparseImages":
        return _csr(self)


@dataclass(frozen=True)
class SparseImages:
    """The non-zero pixels of each image: row i is indices[offsets[i]:offsets[i+1]].

    Most MNIST pixels are exactly 0; their weights get exactly zero gradient and add
    nothing to a forward pass, so visiting only these is exact, and several times faster.
    """

    offsets: np.ndarray  # int32 (N + 1,)
    indices: np.ndarray  # int32 (nnz,)
    values: np.ndarray   # float32 (nnz,)


def to_sparse(inputs: np.ndarray, divisor: float = 1.0) -> SparseImages:
    """CSR rows of the non-zero entries of a (N, pixels) array, values divided by ``divisor``.
    Raw uint8 pixels scan 4x faster than floats (``divisor=255`` then gives exactly the inputs)."""
    inputs = np.asarray(inputs).reshape(len(inputs), -1)
    rows, cols = np.nonzero(inputs)
    offsets = np.zeros(len(inputs) + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=len(inputs)), out=offsets[1:])
    values = inputs[rows, cols].astype(np.float32) / np.float32(divisor)
    return SparseImages(offsets, cols.astype(np.int32), values)


@lru_cache(maxsize=8)
def _scaled(ds: Dataset) -> np.ndarray:
    return ds.images.astype(np.float32) / np.float32(255.0)


@lru_cache(maxsize=8)
def _one_hot(ds: Dataset, classes: int) -> np.ndarray:
    out = np.eye(classes, dtype=np.float32)[ds.labels]
    out.flags.writeable = False
    return out


@lru_cache(maxsize=8)
def _csr(ds: Dataset) -> SparseImages:
    return to_sparse(ds.images, 255.0)


def _cache_file(found: Path, expected_sha256: str | None) -> Path | None:
    """Where the decoded array of ``found`` is kept between runs: keyed by the file's path, size,
    modification time and expected checksum, so any change to the file misses the cache."""
    try:
        from platformdirs import user_cache_dir
        st = found.stat()
        key = f"{found.resolve()}|{st.st_size}|{st.st_mtime_ns}|{expected_sha256}"
        root = Path(os.environ.get("NNARCADE_CACHE") or user_cache_dir("nnarcade", appauthor=False))
        return root / f"idx-{hashlib.sha256(key.encode()).hexdigest()[:32]}.npy"
    except (ImportError, OSError):
        return None


def read_idx(path: Path, expected_sha256: str | None = None) -> np.ndarray:
    """Read an IDX file (gzip or raw), checking its SHA-256 when one is given. The verified,
    decoded array is cached on disk, so later runs skip the gunzip and the hash (~0.4 s)."""
    path = Path(path)
    candidates = [path, path.with_name(path.name + ".gz")] if path.suffix != ".gz" else [path]
    found = next((p for p in candidates if p.exists()), None)
    if found is None:
        raise UserError(f"missing data file {path.name}.gz in {path.parent}. {_FIX}")
    cache = _cache_file(found, expected_sha256)
    if cache is not None and cache.exists():
        try:
            return np.load(cache, allow_pickle=False)
        except (OSError, ValueError):
            pass  # a damaged cache entry: decode again and rewrite it
    array = _decode_idx(found, expected_sha256)
    if cache is not None:
        try:
            write_atomically(cache, lambda f: np.save(f, array, allow_pickle=False))
        except OSError:
            pass  # no writable cache directory: simply decode every time
    return array


def _decode_idx(found: Path, expected_sha256: str | None) -> np.ndarray:
    try:
        raw = gzip.decompress(found.read_bytes()) if found.suffix == ".gz" else found.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise UserError(f"corrupt data file {found}: not a readable gzip file ({exc}). {_FIX}") from None
    if expected_sha256 and hashlib.sha256(raw).hexdigest() != expected_sha256:
        raise UserError(f"corrupt data file {found}: SHA-256 of its content does not match "
                        f"{CHECKSUM_FILE}. {_FIX}")
    return parse_idx(raw, str(found))


def parse_idx(raw: bytes, name: str = "IDX data") -> np.ndarray:
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _DTYPES:
        raise UserError(f"{name} is not an IDX file (wrong magic number). {_FIX}")
    dtype, ndim = np.dtype(_DTYPES[raw[2]]), raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise UserError(f"{name} is truncated (incomplete header). {_FIX}")
    dims = tuple(int(d) for d in np.frombuffer(raw, ">u4", ndim, 4))
    count = int(np.prod(dims)) if dims else 0
    if len(raw) != header + count * dtype.itemsize:
        raise UserError(f"{name} is truncated or has trailing bytes: header says {dims}, "
                        f"found {len(raw) - header} bytes of data. {_FIX}")
    return np.frombuffer(raw, dtype, count, header).reshape(dims).astype(dtype.newbyteorder("="))


def read_checksums(data_dir: Path) -> dict[str, str]:
    sums = Path(data_dir) / CHECKSUM_FILE
    if not sums.exists():
        return {}
    pairs = (line.split() for line in sums.read_text().splitlines() if line.strip())
    return {name.lstrip("*"): digest for digest, name in pairs}


@lru_cache(maxsize=8)
def _load_cached(data_dir: Path, split: str) -> Dataset:
    sums = read_checksums(data_dir)
    image_file, label_file = SPLIT_FILES[split]
    images = read_idx(data_dir / image_file, sums.get(image_file))
    labels = read_idx(data_dir / label_file, sums.get(label_file))
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise UserError(f"{data_dir}: {image_file} holds {images.shape} but {label_file} holds "
                        f"{labels.shape}; they must be N images and N labels. {_FIX}")
    images.flags.writeable = False
    return Dataset(images.reshape(len(images), -1), labels.astype(np.int64), images.shape[1:])


def load(split: str = "train", data_dir: str | Path | None = None) -> Dataset:
    """Load the ``train`` or ``test`` split; verified on first use, then cached in memory.

    Any IDX files with the standard MNIST names work (Fashion-MNIST, your own set);
    a ``SHA256SUMS.uncompressed`` beside them is checked when present.
    """
    if split not in SPLIT_FILES:
        raise ValueError(f"split must be one of {sorted(SPLIT_FILES)}")
    return _load_cached(Path(data_dir or DEFAULT_DATA_DIR).resolve(), split)
