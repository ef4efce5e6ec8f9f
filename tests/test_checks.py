"""Bad arguments: each constructor names the parameter and the bad value at construction."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, cast

import pytest

import schedcore

# The table passes wrong types on purpose: the constructors must reject them at run time.
sc = cast(Any, schedcore)

CASES = [
    # lengths: positive ints; integral floats are accepted, anything else is a TypeError
    (lambda: sc.warmup(0), ValueError, "steps must be a positive int, got 0"),
    (lambda: sc.warmup(-5), ValueError, "steps must be a positive int, got -5"),
    (lambda: sc.warmup(2.5), TypeError, "steps must be a positive int, got float 2.5"),
    (lambda: sc.warmup("10"), TypeError, "steps must be a positive int, got str '10'"),
    (lambda: sc.warmup(True), TypeError, "steps must be a positive int, got bool True"),
    (lambda: sc.warmup(None), TypeError, "steps must be a positive int, got None"),
    (lambda: sc.warmup(math.inf), TypeError, "steps must be a positive int, got float inf"),
    (
        lambda: sc.warmup(2**63),
        ValueError,
        "steps must be a positive int below 2**63, got 9223372036854775808",
    ),
    (lambda: sc.polynomial(0), ValueError, "steps must be a positive int, got 0"),
    (lambda: sc.step_decay(0, 0.5), ValueError, "every must be a positive int, got 0"),
    (lambda: sc.exponential(0.9, every=0), ValueError, "every must be a positive int, got 0"),
    (lambda: sc.cycle(sc.warmup(1), 0), ValueError, "period must be a positive int, got 0"),
    (lambda: sc.cycle(sc.warmup(1), 5, growth=0), ValueError, "growth must be a positive int, got 0"),
    (
        lambda: sc.per_epoch(sc.warmup(1), 1.5),
        TypeError,
        "steps_per_epoch must be a positive int, got float 1.5",
    ),
    (
        lambda: sc.per_sample(sc.warmup(1), 0),
        ValueError,
        "samples_per_step must be a positive int, got 0",
    ),
    (lambda: sc.wsd(-1, 0, 5), ValueError, "warmup must be an int >= 0, got -1"),
    # real parameters: finite numbers within their ranges, bool rejected
    (lambda: sc.multistep([10], gamma=0), ValueError, "gamma must be a finite number > 0, got 0"),
    (lambda: sc.multistep([10], gamma=-0.1), ValueError, "gamma must be a finite number > 0, got -0.1"),
    (lambda: sc.multistep([10], gamma=math.nan), ValueError, "gamma must be a finite number > 0, got nan"),
    (lambda: sc.multistep([10], gamma="0.1"), TypeError, "gamma must be a finite number > 0, got str '0.1'"),
    (lambda: sc.multistep([10], gamma=True), TypeError, "gamma must be a finite number > 0, got bool True"),
    (lambda: sc.step_decay(5, gamma=0.0), ValueError, "gamma must be a finite number > 0, got 0.0"),
    (lambda: sc.exponential(0.0), ValueError, "rate must be a finite number > 0, got 0.0"),
    (lambda: sc.exponential(math.inf), ValueError, "rate must be a finite number > 0, got inf"),
    (lambda: sc.polynomial(10, power=-1.0), ValueError, "power must be a finite number >= 0, got -1.0"),
    (lambda: sc.polynomial(10, end=math.nan), ValueError, "end must be a finite number, got nan"),
    (lambda: sc.cosine(10, power=-0.5), ValueError, "power must be a finite number >= 0, got -0.5"),
    (lambda: sc.inverse(-0.1, 1.0), ValueError, "gamma must be a finite number >= 0, got -0.1"),
    (lambda: sc.inverse(0.1, math.inf), ValueError, "power must be a finite number, got inf"),
    (lambda: sc.constant(math.nan), ValueError, "value must be a finite number, got nan"),
    (lambda: sc.linear(0.0, "1", 10), TypeError, "end must be a finite number, got str '1'"),
    (lambda: sc.warmup(10, start=math.inf), ValueError, "start must be a finite number, got inf"),
    (lambda: sc.cosine_wave(10, cycles=0), ValueError, "cycles must be a finite number > 0, got 0"),
    (
        lambda: sc.cosine_wave(10, cycles=1.5, restart=True),
        TypeError,
        "cycles must be a positive int, got float 1.5",
    ),
    (lambda: sc.radam_warmup(0.5), ValueError, "beta2 must be a finite number > 0.6 and < 1, got 0.5"),
    (lambda: sc.radam_warmup(1.0), ValueError, "beta2 must be a finite number > 0.6 and < 1, got 1.0"),
    (
        lambda: sc.one_cycle(100, peak_at=1.0),
        ValueError,
        "peak_at must be a finite number > 0 and < 1, got 1.0",
    ),
    (
        lambda: sc.one_cycle(10, peak_at=0.05),
        ValueError,
        "one_cycle needs every phase to last more than 0 steps",
    ),
    (
        lambda: sc.one_cycle(100, anneal="cosine"),
        ValueError,
        "anneal must be one of ('cos', 'linear'), got str 'cosine'",
    ),
    (lambda: sc.one_cycle(100, three_phase=1), TypeError, "three_phase must be a bool, got int 1"),
    (
        lambda: sc.wsd(1, 1, 1, decay_shape="exp"),
        ValueError,
        "decay_shape must be one of ('linear', 'cosine', '1-sqrt')",
    ),
    (lambda: sc.cyclic(0), ValueError, "steps_up must be a positive int, got 0"),
    # sequences
    (
        lambda: sc.multistep(30, gamma=0.1),
        TypeError,
        "milestones must be a list of positive ints, got int 30",
    ),
    (
        lambda: sc.multistep("30", gamma=0.1),
        TypeError,
        "milestones must be a list of positive ints, got str '30'",
    ),
    (lambda: sc.multistep([30, 20], 0.1), ValueError, "milestones must be non-decreasing, got [30, 20]"),
    (lambda: sc.multistep([0, 20], 0.1), ValueError, "milestones[0] must be a positive int, got 0"),
    (lambda: sc.multistep([10, 2.5], 0.1), TypeError, "milestones[1] must be a positive int, got float 2.5"),
    (
        lambda: sc.multistep([1] * 400, 1e10),
        ValueError,
        "multistep overflows: gamma=10000000000.0 to the power 400",
    ),
    (
        lambda: sc.piecewise_constant([10], [1.0]),
        ValueError,
        "piecewise_constant got 1 boundaries and 1 values",
    ),
    (
        lambda: sc.piecewise_constant([10, 10], [1.0, 2.0, 3.0]),
        ValueError,
        "boundaries must be strictly increasing",
    ),
    (
        lambda: sc.piecewise_constant([10], [1.0, math.nan]),
        ValueError,
        "values[1] must be a finite number, got nan",
    ),
    (lambda: sc.piecewise_linear([], []), ValueError, "boundaries must not be empty"),
    (
        lambda: sc.piecewise_linear([0, 5], [1.0]),
        ValueError,
        "piecewise_linear got 2 boundaries and 1 values",
    ),
    # combinators
    (lambda: sc.join([sc.warmup(1)], [5]), ValueError, "join got 1 schedules and 1 boundary; it needs 0"),
    (
        lambda: sc.join(sc.warmup(1), []),
        TypeError,
        "schedules must be a list of schedules, got Warmup warmup(1)",
    ),
    (lambda: sc.join([sc.warmup(1), 0.5], [5]), TypeError, "schedules[1] must be a schedule, got float 0.5"),
    (lambda: sc.cycle(lambda t: 1.0, 5), TypeError, "schedule must be a schedule, got function"),
    (lambda: sc.clip(sc.warmup(1)), ValueError, "clip needs low, high or both; got neither"),
    (
        lambda: sc.clip(sc.warmup(1), low=1.0, high=0.5),
        ValueError,
        "clip needs low <= high, got low=1.0 and high=0.5",
    ),
    # steps
    (lambda: sc.warmup(10)(-1), ValueError, "step must be a finite number >= 0, got -1"),
    (lambda: sc.warmup(10)(math.nan), ValueError, "step must be a finite number >= 0, got nan"),
    (lambda: sc.warmup(10)(math.inf), ValueError, "step must be a finite number >= 0, got inf"),
    (lambda: sc.warmup(10)(True), TypeError, "step must be an int, a float or an array, got bool True"),
    (
        lambda: sc.warmup(10)("3"),
        TypeError,
        "step must be an int, a float or an array (numpy, JAX, torch, array API)",
    ),
    (
        lambda: sc.warmup(10)([1, 2]),
        TypeError,
        "step must be an int, a float or an array (numpy, JAX, torch, array API), got list [1, 2]",
    ),
]


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [pytest.param(*case, id=f"{i:02d}-{case[2][:40]}") for i, case in enumerate(CASES)],
)
def test_bad_input_is_a_clear_error(make: Callable[[], object], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match="^" + re.escape(message)):
        make()
