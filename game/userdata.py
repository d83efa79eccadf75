"""Where the game keeps the player's files (progress, drawings, saved weights)."""
from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir


def user_path(*parts: str) -> Path:
    """A path under the user's data directory (NNARCADE_HOME overrides it, e.g. in tests)."""
    root = Path(os.environ.get("NNARCADE_HOME") or user_data_dir("nnarcade", appauthor=False))
    return root.joinpath(*parts)
