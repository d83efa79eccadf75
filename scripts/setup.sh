#!/usr/bin/env bash
# Idempotent set-up: a virtual environment in .venv with NN Arcade installed (editable), and a
# working OpenCL device if one can be had. Used by ./play.sh and ./test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
# Install once (and again only when pyproject.toml changes), so later runs work offline.
stamp=.venv/.nnarcade-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
    echo "$want" > "$stamp"
fi

# pip's PoCL (pyopencl[pocl]) ships LLVM 14, which cannot compile for CPUs newer than it knows
# (Zen 5: "unknown target CPU 'generic'"). Debian's PoCL can; install it when we may.
opencl_ok() { .venv/bin/python -c "from nn.opencl import make_context; make_context()" >/dev/null 2>&1; }
if ! opencl_ok && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup: no working OpenCL device yet; installing Debian's PoCL (pocl-opencl-icd)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q pocl-opencl-icd >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q pocl-opencl-icd >/dev/null 2>&1; } \
        || echo "setup: could not install pocl-opencl-icd" >&2
fi
if opencl_ok; then
    echo "setup: ready ($(.venv/bin/nnarcade info | grep '^using:'))" >&2
else
    echo "setup: ready, but no OpenCL device works here: NN Arcade will use its NumPy backend" \
         "(slower). 'nnarcade info' says why." >&2
fi
