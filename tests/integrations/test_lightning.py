"""Lightning: a schedcore scheduler in configure_optimizers, per step, per epoch, with
gradient accumulation, and resumed from a checkpoint (``fit(ckpt_path=...)``) in a new process."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("lightning")

from tests import integrations
from tests.integrations import lightning_runs as runs


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("lightning")
    return integrations.full_and_resumed("tests.integrations.lightning_runs", folder)


def _expected(name: str) -> list[float]:
    """base * s(k) for every update k, where k counts updates (or epochs, for "epoch")."""
    interval, accumulate = runs.CONFIGS[name]
    per_epoch = runs.BATCHES // accumulate
    updates = runs.EPOCHS * per_epoch
    s = runs.schedule(interval, updates)
    return [runs.BASE * s(k // per_epoch if interval == "epoch" else k) for k in range(updates)]


@pytest.mark.parametrize("name", list(runs.CONFIGS))
def test_every_update_uses_base_times_the_schedule(results: dict[str, Any], name: str) -> None:
    assert results["full"][name]["lrs"] == _expected(name)


@pytest.mark.parametrize("name", list(runs.CONFIGS))
def test_a_fit_resumed_from_ckpt_path_continues_the_uninterrupted_run(
    results: dict[str, Any], name: str
) -> None:
    full, resumed = results["full"][name], results["resume"][name]
    done = runs.STOP * len(full["lrs"]) // runs.EPOCHS  # the updates before the checkpoint
    assert resumed["lrs"] == full["lrs"][done:]
    assert resumed["weight"] == full["weight"]


def test_the_configurations_differ_where_they_should(results: dict[str, Any]) -> None:
    # "epoch" holds the value for a whole epoch; accumulation halves the number of updates.
    full = results["full"]
    assert len(set(full["epoch"]["lrs"][: runs.BATCHES])) == 1
    assert len(full["accumulate"]["lrs"]) == len(full["step"]["lrs"]) // 2
