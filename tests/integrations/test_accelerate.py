"""accelerate: a prepared schedcore scheduler with gradient accumulation, and
``save_state`` / ``load_state`` resumed in a new process."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("accelerate")

from tests import integrations
from tests.integrations import accelerate_runs as runs


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("accelerate") / "state"
    return integrations.full_and_resumed("tests.integrations.accelerate_runs", folder)


def test_every_update_uses_base_times_the_schedule(results: dict[str, Any]) -> None:
    # AcceleratedScheduler steps the scheduler once per update, not once per batch.
    assert results["full"]["lrs"] == [runs.BASE * runs.SCHEDULE(k) for k in range(runs.UPDATES)]
    assert results["full"]["last_epoch"] == runs.UPDATES


def test_load_state_continues_the_uninterrupted_run(results: dict[str, Any]) -> None:
    full, resumed = results["full"], results["resume"]
    assert resumed["lrs"] == full["lrs"][runs.SAVE :]
    assert resumed["weight"] == full["weight"]
    assert resumed["last_epoch"] == full["last_epoch"]
