#!/usr/bin/env bash
# Install (first run only) and run the whole test suite (a few minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
exec .venv/bin/python -m pytest -q "$@"
