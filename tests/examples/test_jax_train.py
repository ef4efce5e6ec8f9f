"""examples/jax_train.py runs as a user would run it, so the example cannot rot."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("optax")

import schedcore as sc
from tests import processes

LOG = re.compile(r"^step +(\d+)  lr (\S+)  loss (\S+)$")


def test_the_example_trains_with_the_learning_rate_of_its_schedule() -> None:
    result = processes.python(
        str(processes.ROOT / "examples" / "jax_train.py"), "--steps", "300", JAX_PLATFORMS="cpu"
    )
    lines = result.stdout.splitlines()
    # The first line prints the schedule as an expression: read it back and check the log against it.
    assert lines[0].startswith("schedule: ")
    schedule = sc.parse(lines[0].removeprefix("schedule: "))
    logged = [LOG.match(line) for line in lines[1:-1]]
    assert all(logged), lines
    steps = [int(m.group(1)) for m in logged if m]
    assert steps == [*range(0, 300, 30), 299]
    for m in logged:
        assert m is not None
        t, lr = int(m.group(1)), float(m.group(2))
        assert lr == pytest.approx(schedule(t), rel=2e-6, abs=1e-12), t  # printed with 7 digits
    losses = [float(m.group(3)) for m in logged if m]
    assert losses[-1] < 1e-2 * losses[0]  # it did learn
    assert lines[-1].startswith("final loss ")
