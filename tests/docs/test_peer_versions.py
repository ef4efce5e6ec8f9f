"""The migration pages say which peer version they were tested with; keep that true.

Each page names one exact version (``**Tested with:** `name==version```). It must be the
version pinned in ``requirements/``, and, where the suite has the package installed (the
main suite has torch, transformers, pytorch-warmup and optax; the Chainer suite has
chainer), the version installed.
"""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import pytest

from tests import processes

PAGES = sorted((processes.ROOT / "docs" / "migration").glob("*.md"))
_TESTED_WITH = re.compile(
    r"\*\*Tested with:\*\* `([\w.-]+)==([\w.+]+)`, the version CI installs \(`(requirements/[\w-]+\.txt)`\)"
)


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        match = re.fullmatch(r"([\w.-]+)==([\w.+]+)", line.split("#")[0].strip())
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def _installed(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


@pytest.mark.parametrize("page", [pytest.param(page, id=page.stem) for page in PAGES if page.stem != "index"])
def test_the_tested_version_is_the_pinned_and_installed_one(page: Path) -> None:
    found = _TESTED_WITH.findall(page.read_text())
    assert len(found) == 1, f"{page.name} needs one '**Tested with:** `name==version`' line"
    name, version, requirements = found[0]
    assert _pins(processes.ROOT / requirements).get(name) == version
    installed = _installed(name)
    if installed is not None:
        assert installed.split("+")[0] == version  # torch's local label (+cpu) aside


def test_the_pins_are_read() -> None:
    assert _pins(processes.ROOT / "requirements" / "main.txt")["torch"] == "2.13.0"
