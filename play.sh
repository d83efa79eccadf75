#!/usr/bin/env bash
# Install (first run only) and start NN Arcade. Arguments go to `nnarcade`, e.g. ./play.sh train
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
exec .venv/bin/nnarcade "$@"
