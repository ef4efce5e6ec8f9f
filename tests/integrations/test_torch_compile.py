"""torch.compile: a compiled optimizer step with a tensor learning rate set by schedcore.

Compilations are counted with a backend of our own (``torch.compile(backend=...)``, a
public hook): dynamo calls it once per graph it compiles, a recompilation included.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

torch = pytest.importorskip("torch")

import schedcore as sc  # noqa: E402
from schedcore import adapters  # noqa: E402

STEPS = 50
SCHEDULE = sc.warmup(5) * sc.cosine(40, end=0.1)


def _train(lr: Any, base: float | None = None) -> tuple[int, list[Any], list[float]]:
    """Compilations, the group's lr object and its value at every update, over ``STEPS`` updates."""
    compilations = 0

    def counting_backend(graph: Any, example_inputs: Any) -> Any:
        nonlocal compilations
        compilations += 1
        return graph.forward  # run the captured graph as it is: no code generation

    torch._dynamo.reset()  # forget graphs compiled by an earlier test
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scheduler = adapters.torch.wrap(optimizer, SCHEDULE, base=base)
    update = torch.compile(optimizer.step, backend=counting_backend)
    data = torch.randn(8, 4)
    lrs, values = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's advice on compiling optimizer.step
        for _ in range(STEPS):
            lrs.append(optimizer.param_groups[0]["lr"])
            values.append(float(lrs[-1]))
            model(data).pow(2).mean().backward()
            update()
            optimizer.zero_grad()
            scheduler.step()
    return compilations, lrs, values


def test_a_float64_tensor_lr_is_filled_in_place_and_never_recompiles() -> None:
    lr = torch.tensor(0.01, dtype=torch.float64)
    compilations, lrs, values = _train(lr)
    assert compilations == 1
    assert all(value is lr for value in lrs)  # the same tensor at every step
    assert values == [0.01 * SCHEDULE(k) for k in range(STEPS)]


def test_a_float32_tensor_lr_holds_base_times_the_schedule_rounded_once() -> None:
    compilations, _, values = _train(torch.tensor(0.01), base=0.01)
    assert compilations == 1
    assert values == [torch.tensor(0.01 * SCHEDULE(k), dtype=torch.float32).item() for k in range(STEPS)]
    # Without base=, the base is read back from the float32 tensor, rounded.
    optimizer = torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))], lr=torch.tensor(0.01))
    assert adapters.torch.wrap(optimizer, SCHEDULE).base_lrs == [0.009999999776482582]


def test_a_python_float_lr_recompiles_once_then_stays_compiled() -> None:
    # dynamo first specialises on the float, then marks it dynamic: one recompilation.
    compilations, _, values = _train(0.01)
    assert compilations == 2
    assert values == [0.01 * SCHEDULE(k) for k in range(STEPS)]
