"""Real trainings with the frameworks that run schedcore schedules (the integrations suite)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests import processes


def full_and_resumed(module: str, folder: Path) -> dict[str, Any]:
    """Run ``python -m module folder full``, then ``... resume`` in another process.

    Each training script prints one JSON line; this returns both, under ``"full"`` and
    ``"resume"``. The full run leaves its checkpoint in ``folder`` for the resumed one.
    """
    return {
        mode: processes.last_json(processes.python("-m", module, str(folder), mode))
        for mode in ("full", "resume")
    }
