"""flax: ``adapters.optax.wrap`` inside ``inject_hyperparams`` for a linen ``TrainState`` and
an ``nnx.Optimizer``, checkpointed with orbax and resumed in a new process."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("flax")
pytest.importorskip("orbax.checkpoint")

import numpy as np

from tests import integrations
from tests.integrations import flax_runs as runs

KINDS = ["linen", "nnx"]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("flax")
    return integrations.full_and_resumed("tests.integrations.flax_runs", folder)


@pytest.mark.parametrize("kind", KINDS)
def test_every_update_uses_base_times_the_schedule(results: dict[str, Any], kind: str) -> None:
    lrs = results["full"][kind]["lrs"]
    # Bit for bit the adapter's float32 value at each count, which is base * s(k) within
    # float32's rounding (SPEC: relative 1e-6).
    assert lrs == results["full"]["wrapped"]
    expected = [runs.BASE * runs.SCHEDULE(k) for k in range(runs.UPDATES)]
    np.testing.assert_allclose(lrs, expected, rtol=1e-6, atol=0)
    assert lrs[0] == 0.0


@pytest.mark.parametrize("kind", KINDS)
def test_an_orbax_checkpoint_resumes_the_uninterrupted_run(results: dict[str, Any], kind: str) -> None:
    full, resumed = results["full"][kind], results["resume"][kind]
    assert resumed["lrs"] == full["lrs"][runs.SAVE :]
    assert resumed["weights"] == full["weights"]


def test_scale_by_schedule_with_a_negative_base_is_adam_with_the_schedule(results: dict[str, Any]) -> None:
    chained, adam = results["full"]["scale_by_schedule"]
    np.testing.assert_allclose(chained, adam, rtol=1e-6)
