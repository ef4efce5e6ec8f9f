"""examples/torch_train.py runs, learns, and its optimizer sees base * s(t) at every update."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("torch")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "torch_train.py"


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    return runpy.run_path(str(EXAMPLE))


def test_the_training_loop_learns_with_the_scheduled_values(example: dict[str, Any]) -> None:
    steps = 300
    history = example["train"](steps)
    lr, momentum = example["schedules"](steps)
    assert history["lr"] == [0.05 * lr(t) for t in range(steps)]
    assert history["momentum"] == [momentum(t) for t in range(steps)]
    assert history["lr"][0] == 0.0  # the warmup starts at 0
    assert max(history["loss"][-20:]) < 1e-3 * history["loss"][0]


def test_the_script_prints_the_schedule_and_its_breakpoints(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", [str(EXAMPLE), "--steps", "200"])
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "schedule: warmup(10) * multistep([100, 150], gamma=0.3) * polynomial(200, power=0.5)"
    assert [line.split()[1] for line in lines[1:]] == ["0", "10", "100", "150", "199"]
