"""The Hugging Face Trainer: ``optimizers=(opt, wrap(opt, s))`` with gradient accumulation,
the logged learning rate, and ``resume_from_checkpoint`` in a new process."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("transformers")
pytest.importorskip("accelerate")  # the Trainer needs it

from tests import integrations
from tests.integrations import trainer_runs as runs


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("trainer")
    return integrations.full_and_resumed("tests.integrations.trainer_runs", folder)


def test_every_update_uses_base_times_the_schedule(results: dict[str, Any]) -> None:
    # With gradient accumulation, the Trainer steps the scheduler once per update.
    assert results["full"]["lrs"] == [runs.BASE * runs.SCHEDULE(k) for k in range(runs.MAX_STEPS)]


def test_the_logged_learning_rate_is_that_of_the_update_just_taken(results: dict[str, Any]) -> None:
    # The log of global step k (after k updates) shows base * s(k - 1), not the next update's.
    logged = [tuple(entry) for entry in results["full"]["logged"]]
    assert logged == [(k, runs.BASE * runs.SCHEDULE(k - 1)) for k in range(1, runs.MAX_STEPS + 1)]


def test_resume_from_checkpoint_continues_the_uninterrupted_run(results: dict[str, Any]) -> None:
    full, resumed = results["full"], results["resume"]
    assert resumed["lrs"] == full["lrs"][runs.SAVE :]
    assert resumed["weight"] == full["weight"]
    assert resumed["logged"] == full["logged"]
