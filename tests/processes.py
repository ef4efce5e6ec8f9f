"""Python in a fresh process, for the tests of resuming, of several devices and of the examples."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def python(
    *args: str, cwd: Path = ROOT, timeout: float = 300, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run this interpreter with ``args`` and this checkout first on the path.

    ``env`` adds variables (``XLA_FLAGS``, ``JAX_PLATFORMS``). The calling test fails, with
    the end of the process's stderr, unless the process succeeds.
    """
    environment = {**os.environ, **env}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def last_json(result: subprocess.CompletedProcess[str]) -> Any:
    """The JSON document on the last line a process printed."""
    return json.loads(result.stdout.strip().splitlines()[-1])
