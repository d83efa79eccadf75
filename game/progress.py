"""The player's puzzle progress, saved atomically in the user data directory."""
from __future__ import annotations

import json

from game.userdata import user_path
from nn.atomic import write_bytes_atomically


class Progress:
    def __init__(self) -> None:
        self.path = user_path("progress.json")
        try:
            self.data = json.loads(self.path.read_text())
            assert isinstance(self.data, dict)
        except (OSError, ValueError, AssertionError):
            self.data = {}  # no (or a damaged) file: start fresh rather than crash
        self.data.setdefault("gates", {})

    def stars(self, level_id: str) -> int:
        return int(self.data["gates"].get(level_id, {}).get("stars", 0))

    def seen(self, level_id: str) -> bool:
        return level_id in self.data["gates"]

    def record(self, level_id: str, stars: int) -> None:
        entry = self.data["gates"].setdefault(level_id, {})
        entry["stars"] = max(stars, int(entry.get("stars", 0)))
        self.save()

    def visit(self, level_id: str) -> None:
        if level_id not in self.data["gates"]:
            self.data["gates"][level_id] = {"stars": 0}
            self.save()

    def save(self) -> None:
        write_bytes_atomically(self.path, json.dumps(self.data, indent=1).encode())
