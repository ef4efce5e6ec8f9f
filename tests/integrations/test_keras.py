"""Keras 3: ``adapters.keras.wrap`` in real ``model.fit`` runs on the JAX and torch backends, each in
a process of its own, saved with ``model.save`` and resumed by ``load_model`` in a new process."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("keras")
pytest.importorskip("jax")
pytest.importorskip("torch")

import numpy as np

from tests import processes
from tests.integrations import keras_runs as runs

BACKENDS = ["jax", "torch"]


@pytest.fixture(scope="module", params=BACKENDS)
def results(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    backend = request.param
    folder = tmp_path_factory.mktemp(f"keras-{backend}")
    return {
        mode: processes.last_json(
            processes.python("-m", "tests.integrations.keras_runs", str(folder), mode, KERAS_BACKEND=backend)
        )
        for mode in ("full", "resume")
    }


def _expected() -> list[float]:
    return [runs.BASE * runs.SCHEDULE(k) for k in range(runs.UPDATES)]


def test_every_update_of_fit_uses_base_times_the_schedule(results: dict[str, Any]) -> None:
    lrs = results["full"]["lrs"]
    np.testing.assert_allclose(lrs, _expected(), rtol=1e-6, atol=0)  # float32: SPEC's 1e-6
    np.testing.assert_allclose(lrs, results["full"]["wrapped"], rtol=1e-6, atol=0)
    assert lrs[0] == 0.0


def test_load_model_in_a_new_process_continues_the_uninterrupted_run(results: dict[str, Any]) -> None:
    full, resumed = results["full"], results["resume"]
    assert resumed["schedule"] == f"wrap({runs.SCHEDULE!r}, base={runs.BASE!r})"
    assert resumed["lrs"] == full["lrs"][runs.SAVE :]
    assert resumed["weights"] == full["weights"]
    assert resumed["iterations"] == runs.UPDATES


def test_with_gradient_accumulation_update_u_uses_the_schedule_at_u(results: dict[str, Any]) -> None:
    full = results["full"]
    assert full["accumulated_iterations"] == runs.UPDATES  # Keras's iterations counts updates, not batches
    np.testing.assert_allclose(full["accumulated"], _expected(), rtol=1e-6, atol=0)


def test_compat_cosine_decay_gives_the_learning_rates_of_keras_own(results: dict[str, Any]) -> None:
    ours, peer = np.asarray(results["full"]["compat"]), np.asarray(results["full"]["keras_own"])
    np.testing.assert_allclose(ours, peer, rtol=1e-6, atol=1e-9 * runs.BASE)
    assert peer[0] == 0.0
    assert peer.max() == pytest.approx(runs.BASE, rel=1e-6)
