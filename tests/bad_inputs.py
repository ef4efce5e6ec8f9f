"""The table of bad inputs: a line of code, the error it raises, and its exact message.

``tests/test_checks.py`` runs every line (those that need a framework in the suite
that has it), and the documentation's "Errors" page shows the same table (drawn by
``docs/hooks.py``), so the page cannot drift from what the code says. The lines are
evaluated with ``sc`` (schedcore), ``adapters``, ``compat`` and ``math`` in scope,
plus, for the adapters, an optimizer: ``sgd`` (torch SGD with three param groups) or
``adam`` (Chainer's Adam); and for torch ``scheduler`` (``adapters.torch.wrap`` of
``sc.warmup(10)``) and ``dampener`` (``adapters.torch.dampen`` of it), each on an SGD of
its own with the same three groups.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

import schedcore as sc
from schedcore import adapters, compat


@dataclass(frozen=True)
class BadInput:
    """One bad input: ``code`` raises ``error`` with exactly ``message``."""

    code: str
    error: type[Exception]
    message: str
    needs: str = ""  # the library the line needs: "numpy", "torch", "optax" or "chainer"


SECTIONS: dict[str, list[BadInput]] = {
    "Lengths": [
        BadInput("sc.warmup(0)", ValueError, "steps must be a positive int, got 0"),
        BadInput("sc.warmup(-5)", ValueError, "steps must be a positive int, got -5"),
        BadInput("sc.warmup(2.5)", TypeError, "steps must be a positive int, got float 2.5"),
        BadInput('sc.warmup("10")', TypeError, "steps must be a positive int, got str '10'"),
        BadInput("sc.warmup(True)", TypeError, "steps must be a positive int, got bool True"),
        BadInput("sc.warmup(None)", TypeError, "steps must be a positive int, got None"),
        BadInput("sc.warmup(math.inf)", TypeError, "steps must be a positive int, got float inf"),
        BadInput(
            "sc.warmup(2**63)",
            ValueError,
            "steps must be a positive int below 2**63, got 9223372036854775808",
        ),
        BadInput("sc.polynomial(0)", ValueError, "steps must be a positive int, got 0"),
        BadInput("sc.step_decay(0, 0.5)", ValueError, "every must be a positive int, got 0"),
        BadInput("sc.exponential(0.9, every=0)", ValueError, "every must be a positive int, got 0"),
        BadInput("sc.cycle(sc.warmup(1), 0)", ValueError, "period must be a positive int, got 0"),
        BadInput(
            "sc.cycle(sc.warmup(1), 5, growth=0)", ValueError, "growth must be a finite number >= 1, got 0"
        ),
        BadInput(
            "sc.per_epoch(sc.warmup(1), 1.5)",
            TypeError,
            "steps_per_epoch must be a positive int, got float 1.5",
        ),
        BadInput(
            "sc.per_sample(sc.warmup(1), 0)", ValueError, "samples_per_step must be a positive int, got 0"
        ),
        BadInput("sc.wsd(-1, 0, 5)", ValueError, "warmup must be an int >= 0, got -1"),
    ],
    "Numbers": [
        BadInput("sc.multistep([10], gamma=0)", ValueError, "gamma must be a finite number > 0, got 0"),
        BadInput("sc.multistep([10], gamma=-0.1)", ValueError, "gamma must be a finite number > 0, got -0.1"),
        BadInput(
            "sc.multistep([10], gamma=math.nan)", ValueError, "gamma must be a finite number > 0, got nan"
        ),
        BadInput(
            'sc.multistep([10], gamma="0.1")', TypeError, "gamma must be a finite number > 0, got str '0.1'"
        ),
        BadInput(
            "sc.multistep([10], gamma=True)", TypeError, "gamma must be a finite number > 0, got bool True"
        ),
        BadInput("sc.step_decay(5, gamma=0.0)", ValueError, "gamma must be a finite number > 0, got 0.0"),
        BadInput("sc.exponential(0.0)", ValueError, "rate must be a finite number > 0, got 0.0"),
        BadInput("sc.exponential(math.inf)", ValueError, "rate must be a finite number > 0, got inf"),
        BadInput("sc.polynomial(10, power=-1.0)", ValueError, "power must be a finite number >= 0, got -1.0"),
        BadInput("sc.polynomial(10, end=math.nan)", ValueError, "end must be a finite number, got nan"),
        BadInput("sc.cosine(10, power=-0.5)", ValueError, "power must be a finite number >= 0, got -0.5"),
        BadInput("sc.inverse(-0.1, 1.0)", ValueError, "gamma must be a finite number >= 0, got -0.1"),
        BadInput("sc.inverse(0.1, math.inf)", ValueError, "power must be a finite number, got inf"),
        BadInput("sc.constant(math.nan)", ValueError, "value must be a finite number, got nan"),
        BadInput('sc.linear(0.0, "1", 10)', TypeError, "end must be a finite number, got str '1'"),
        BadInput("sc.warmup(10, start=math.inf)", ValueError, "start must be a finite number, got inf"),
        BadInput("sc.cosine_wave(10, cycles=0)", ValueError, "cycles must be a finite number > 0, got 0"),
        BadInput(
            "sc.cosine_wave(10, cycles=1.5, restart=True)",
            TypeError,
            "cycles must be a positive int, got float 1.5",
        ),
        BadInput("sc.radam_warmup(0.5)", ValueError, "beta2 must be a finite number > 0.6 and < 1, got 0.5"),
        BadInput("sc.radam_warmup(1.0)", ValueError, "beta2 must be a finite number > 0.6 and < 1, got 1.0"),
        BadInput(
            "sc.one_cycle(100, peak_at=1.0)",
            ValueError,
            "peak_at must be a finite number > 0 and < 1, got 1.0",
        ),
        BadInput(
            "sc.one_cycle(10, peak_at=0.05)",
            ValueError,
            "one_cycle needs every phase to last more than 0 steps;"
            " with steps=10 and peak_at=0.05 the phase ends are [-0.5, 9.0]",
        ),
        BadInput(
            'sc.one_cycle(100, anneal="cosine")',
            ValueError,
            "anneal must be one of ('cos', 'linear'), got str 'cosine'",
        ),
        BadInput("sc.one_cycle(100, three_phase=1)", TypeError, "three_phase must be a bool, got int 1"),
        BadInput(
            'sc.wsd(1, 1, 1, decay_shape="exp")',
            ValueError,
            "decay_shape must be one of ('linear', 'cosine', '1-sqrt'), got str 'exp'",
        ),
        BadInput("sc.cyclic(0)", ValueError, "steps_up must be a positive int, got 0"),
    ],
    "Lists": [
        BadInput(
            "sc.multistep(30, gamma=0.1)", TypeError, "milestones must be a list of positive ints, got int 30"
        ),
        BadInput(
            'sc.multistep("30", gamma=0.1)',
            TypeError,
            "milestones must be a list of positive ints, got str '30'",
        ),
        BadInput(
            "sc.multistep([30, 20], 0.1)", ValueError, "milestones must be non-decreasing, got [30, 20]"
        ),
        BadInput("sc.multistep([0, 20], 0.1)", ValueError, "milestones[0] must be a positive int, got 0"),
        BadInput(
            "sc.multistep([10, 2.5], 0.1)", TypeError, "milestones[1] must be a positive int, got float 2.5"
        ),
        BadInput(
            "sc.multistep([1] * 400, 1e10)",
            ValueError,
            "multistep overflows: gamma=10000000000.0 to the power 400 is not finite",
        ),
        BadInput(
            "sc.piecewise_constant([10], [1.0])",
            ValueError,
            "piecewise_constant got 1 boundaries and 1 values; it needs 2 values",
        ),
        BadInput(
            "sc.piecewise_constant([10, 10], [1.0, 2.0, 3.0])",
            ValueError,
            "boundaries must be strictly increasing, got [10, 10]",
        ),
        BadInput(
            "sc.piecewise_constant([10], [1.0, math.nan])",
            ValueError,
            "values[1] must be a finite number, got nan",
        ),
        BadInput("sc.piecewise_linear([], [])", ValueError, "boundaries must not be empty"),
        BadInput(
            "sc.piecewise_linear([0, 5], [1.0])",
            ValueError,
            "piecewise_linear got 2 boundaries and 1 values; it needs one value per boundary",
        ),
    ],
    "Overflow": [
        BadInput(
            "sc.constant(10**400)", ValueError, "value must be a finite number, got " + "1" + "0" * 56 + "..."
        ),
        BadInput(
            "(sc.constant() + 1e308) + 1e308",
            ValueError,
            "offset overflows: the sum of the offsets [1e+308, 1e+308] is not finite",
        ),
        BadInput(
            "1e200 * (1e200 * sc.warmup(1))",
            ValueError,
            "scale overflows: the product of the scales [1e+200, 1e+200] is inf",
        ),
        BadInput(
            "sc.warmup(1) / 1e-320",
            ValueError,
            "divisor must leave a finite scale, got 1e-320 (1 / divisor overflows)",
        ),
        BadInput(
            'sc.from_dict({"type": "constant", "value": 10**400})',
            ValueError,
            "from_dict: $ (constant): value must be a finite number, got " + "1" + "0" * 56 + "...",
        ),
        BadInput(
            'sc.parse("(constant() + 1e308) + 1e308")',
            ValueError,
            "offset overflows: the sum of the offsets [1e+308, 1e+308] is not finite at column 1:"
            " '(constant() + 1e308) + 1e308'",
        ),
        BadInput(
            "sc.cycle(sc.cosine(10), 10, growth=1 + 1e-9)",
            ValueError,
            "growth=1.000000001 is so close to 1 that more than 100000 cycles of period=10 start"
            " before step 2**63; use growth=1 or a larger factor",
        ),
    ],
    "Combinators": [
        BadInput(
            "sc.join([sc.warmup(1)], [5])", ValueError, "join got 1 schedules and 1 boundary; it needs 0"
        ),
        BadInput(
            "sc.join(sc.warmup(1), [])",
            TypeError,
            "schedules must be a list of schedules, got Warmup warmup(1)",
        ),
        BadInput(
            "sc.join([sc.warmup(1), 0.5], [5])", TypeError, "schedules[1] must be a schedule, got float 0.5"
        ),
        BadInput(
            "sc.cycle(abs, 5)",
            TypeError,
            "schedule must be a schedule, got builtin_function_or_method <built-in function abs>",
        ),
        BadInput("sc.clip(sc.warmup(1))", ValueError, "clip needs low, high or both; got neither"),
        BadInput(
            "sc.clip(sc.warmup(1), low=1.0, high=0.5)",
            ValueError,
            "clip needs low <= high, got low=1.0 and high=0.5",
        ),
    ],
    "Steps": [
        BadInput("sc.warmup(10)(-1)", ValueError, "step must be a finite number >= 0, got -1"),
        BadInput("sc.warmup(10)(math.nan)", ValueError, "step must be a finite number >= 0, got nan"),
        BadInput("sc.warmup(10)(math.inf)", ValueError, "step must be a finite number >= 0, got inf"),
        BadInput("sc.warmup(10)(True)", TypeError, "step must be an int, a float or an array, got bool True"),
        BadInput(
            'sc.warmup(10)("3")',
            TypeError,
            "step must be an int, a float or an array (numpy, JAX, torch, array API), got str '3'",
        ),
        BadInput(
            "sc.warmup(10)([1, 2])",
            TypeError,
            "step must be an int, a float or an array (numpy, JAX, torch, array API), got list [1, 2]",
        ),
        BadInput(
            "sc.polynomial(100_000)(numpy.array([0, 100, 1000], numpy.float16))",
            TypeError,
            "steps must not be float16, which holds too few whole numbers for a step count (float16"
            " stops at 65504); use integer, float32 or float64 steps",
            needs="numpy",
        ),
        BadInput(
            'sc.warmup(10).evaluate(numpy.arange(5), dtype="float16")',
            TypeError,
            "dtype must be a floating dtype of 32 bits or more, got str 'float16'",
            needs="numpy",
        ),
        BadInput(
            "sc.warmup(10)(torch.zeros(3, dtype=torch.uint32))",
            TypeError,
            "steps must not be torch.uint32, which few torch operations support; use torch.int64",
            needs="torch",
        ),
        BadInput(
            "sc.warmup(10)(torch.arange(3).to_sparse())",
            TypeError,
            "steps must be a dense tensor, got a tensor with layout torch.sparse_coo",
            needs="torch",
        ),
        BadInput(
            "sc.warmup(10)(torch.arange(3, dtype=torch.float16))",
            TypeError,
            "steps must not be torch.float16, which holds too few whole numbers for a step count"
            " (float16 stops at 65504); use integer, float32 or float64 steps",
            needs="torch",
        ),
    ],
    "parse": [
        BadInput(
            'sc.parse("warmup(10).__class__")',
            ValueError,
            "attributes are not allowed at column 1: 'warmup(10).__class__'",
        ),
        BadInput(
            'sc.parse("warmup(10) ** 2")',
            ValueError,
            "operator Pow is not allowed at column 1: 'warmup(10) ** 2'",
        ),
        BadInput(
            'sc.parse("warmup(0)")',
            ValueError,
            "warmup: steps must be a positive int, got 0 at column 1: 'warmup(0)'",
        ),
        BadInput(
            'sc.parse("warmup(10")',
            ValueError,
            "invalid schedule expression at column 7: '(' was never closed: 'warmup(10'",
        ),
        BadInput(
            'sc.parse("3 * 4")',
            ValueError,
            "schedule expression '3 * 4' is 12, not a schedule; write constant(...) for a constant",
        ),
        BadInput(
            'sc.parse("cycle(" * 33 + "warmup(1)" + ", 2)" * 33)',
            ValueError,
            "schedule expression nests deeper than 32 levels at column 198:"
            " 'cycle(cycle(cycle(cycle(cycle(warmup(1),'",
        ),
        BadInput(
            'sc.parse("warmup(10)" + " " * 9_991)',
            ValueError,
            "schedule expression is 10001 characters long; the limit is 10000",
        ),
    ],
    "from_dict": [
        BadInput(
            "sc.from_dict([1, 2])", ValueError, "from_dict expects a dict with a 'type' key, got [1, 2]"
        ),
        BadInput(
            'sc.from_dict({"type": "warmup", "step": 3})',
            ValueError,
            "from_dict: $ (warmup) has no parameter str 'step'; it takes steps, start",
        ),
        BadInput(
            'sc.from_dict({"type": "product", "factors": [{"type": "warmup", "steps": 0}]})',
            ValueError,
            "from_dict: $.factors[0] (warmup): steps must be a positive int, got 0",
        ),
        BadInput(
            'sc.from_dict({"type": "constant", "value": float("nan")})',
            ValueError,
            "from_dict: $ (constant): value must be a finite number, got nan",
        ),
    ],
    "compat": [
        BadInput(
            'compat.chainer.StepShift(0.5, step="5")', TypeError, "step must be a positive int, got str '5'"
        ),
        BadInput(
            'compat.optax.warmup_constant_schedule(0.0, "0.1", 10)',
            TypeError,
            "peak_value must be a finite number, got str '0.1'",
        ),
        BadInput(
            "compat.optax.warmup_exponential_decay_schedule(0.0, True, 10, 5, 0.5)",
            TypeError,
            "peak_value must be a finite number, got bool True",
        ),
        BadInput(
            "compat.optax.linear_schedule(0.0, 1.0, 10, transition_begin=2**63)",
            ValueError,
            "transition_begin must be an int between -2**63 and 2**63, got 9223372036854775808",
        ),
        BadInput(
            "compat.optax.constant_schedule(10**400)",
            ValueError,
            "value must be a finite number, got " + "1" + "0" * 56 + "...",
        ),
        BadInput(
            "compat.optax.piecewise_constant_schedule(1.0, {10: 1e300, 20: 1e300})",
            ValueError,
            "the value at count 20 must be a finite number,"
            " got init_value=1.0 and boundaries_and_scales={10: 1e+300, 20: 1e+300}",
        ),
        BadInput(
            'compat.optax.sgdr_schedule([{"init_value": 0.0, "peak_value": "1",'
            ' "warmup_steps": 1, "decay_steps": 9}])',
            TypeError,
            "cosine_kwargs[0]: peak_value must be a finite number, got str '1'",
        ),
        BadInput(
            "compat.torch.CosineAnnealingLR(10, eta_min=0.01, base_lr=5e-324)",
            ValueError,
            "eta_min / base_lr must be a finite number, got eta_min=0.01 and base_lr=5e-324",
        ),
        BadInput(
            'compat.torch.OneCycleLR(0.1, total_steps=100, epochs="10")',
            TypeError,
            "epochs must be a positive int, got str '10'",
        ),
        BadInput(
            "compat.torch.OneCycleLR(0.1, total_steps=10, pct_start=0.05)",
            ValueError,
            "OneCycleLR needs every phase to last more than 0 steps; with total_steps=10, pct_start=0.05"
            " and three_phase=False the phases end at steps [-0.5, 9.0]",
        ),
        BadInput(
            'compat.torch.CyclicLR(0.1, 1.0, mode="exp_range", gamma=1.5)',
            ValueError,
            "gamma must be <= 1 in mode 'exp_range', got 1.5: the amplitude gamma**t would grow without bound"
            " (PyTorch raises OverflowError once it passes the largest float)",
        ),
        BadInput(
            "compat.torch.MultiStepLR([0, 0], gamma=1e300)",
            ValueError,
            "gamma to the power of the milestones at 0 must be a finite number,"
            " got gamma=1e+300 and milestones=[0, 0]",
        ),
        BadInput(
            "compat.transformers.get_cosine_with_min_lr_schedule_with_warmup("
            "10, 100, min_lr=1e-3, lr_init=1e-4)",
            ValueError,
            "min_lr must be <= lr_init, got min_lr=0.001 and lr_init=0.0001",
        ),
        BadInput(
            'compat.chainer.TutorialPolynomialShift(1.0, (20, "iteration"), batchsize=2.5)',
            TypeError,
            "batchsize must be a positive int, got float 2.5",
        ),
    ],
    "adapters.torch": [
        BadInput(
            "adapters.torch.wrap([0.1], sc.warmup(10))",
            TypeError,
            "optimizer must be a torch.optim.Optimizer, got list [0.1]",
            "torch",
        ),
        BadInput(
            "adapters.torch.wrap(sgd, [sc.warmup(10)] * 2)",
            ValueError,
            "schedule is a list of 2 schedules, but the optimizer has 3 param groups;"
            " pass one schedule per group, or a single schedule",
            "torch",
        ),
        BadInput(
            'adapters.torch.wrap(sgd, "warmup(10)")',
            TypeError,
            "schedule must be a schedule or a list of schedules, got str 'warmup(10)'",
            "torch",
        ),
        BadInput(
            'adapters.torch.wrap(sgd, sc.warmup(10), key="betas")',
            ValueError,
            "param_groups[0] has no hyperparameter 'betas'; it has: dampening, differentiable, foreach,"
            " fused, lr, maximize, momentum, nesterov, weight_decay",
            "torch",
        ),
        BadInput(
            'adapters.torch.wrap(sgd, sc.warmup(10), base="1")',
            TypeError,
            "base must be a finite number >= 0, got str '1'",
            "torch",
        ),
        BadInput(
            "adapters.torch.wrap(sgd, sc.warmup(10), last_step=-2)",
            ValueError,
            "last_step must be an int >= -1, got -2",
            "torch",
        ),
        BadInput(
            'scheduler.load_state_dict({"last_epoch": -5, "base_lrs": [0.1, 0.01, 0.001]})',
            ValueError,
            "state_dict['last_epoch'] must be an int >= -1, got -5",
            "torch",
        ),
        BadInput(
            'scheduler.load_state_dict({"last_epoch": True, "base_lrs": [0.1, 0.01, 0.001]})',
            TypeError,
            "state_dict['last_epoch'] must be an int >= -1, got bool True",
            "torch",
        ),
        BadInput(
            'scheduler.load_state_dict({"last_epoch": 3, "base_lrs": [math.nan, 0.01, 0.001]})',
            ValueError,
            "state_dict['base_lrs'][0] must be a finite number >= 0, got nan",
            "torch",
        ),
        BadInput(
            'scheduler.load_state_dict({"last_epoch": 3, "base_lrs": [0.1, math.inf, 0.001]})',
            ValueError,
            "state_dict['base_lrs'][1] must be a finite number >= 0, got inf",
            "torch",
        ),
        BadInput(
            'scheduler.load_state_dict({"last_epoch": 3, "base_lrs": [-0.1, 0.01, 0.001]})',
            ValueError,
            "state_dict['base_lrs'][0] must be a finite number >= 0, got -0.1",
            "torch",
        ),
        BadInput(
            'scheduler.load_state_dict({"last_epoch": 3, "base_lrs": [True, 0.01, 0.001]})',
            TypeError,
            "state_dict['base_lrs'][0] must be a finite number >= 0, got bool True",
            "torch",
        ),
        BadInput(
            'scheduler.load_state_dict({"last_epoch": 3, "base_lrs": 0.1})',
            TypeError,
            "state_dict['base_lrs'] must be a list, got float 0.1",
            "torch",
        ),
        BadInput(
            'scheduler.load_state_dict({"last_epoch": 3, "base_lrs": [0.1]})',
            ValueError,
            "the state has 1 base value, but the optimizer has 3 param groups",
            "torch",
        ),
        BadInput(
            'scheduler.load_state_dict({"last_epoch": 3})',
            ValueError,
            "state_dict has no 'base_lrs' entry (a Scheduler state has key, last_epoch, base_lrs);"
            " it has 'last_epoch'",
            "torch",
        ),
        BadInput(
            'scheduler.load_state_dict({"last_epoch": 3, "base_lrs": [0.1, 0.01, 0.001], "gamma": 0.1})',
            ValueError,
            "state_dict has an unknown entry 'gamma'; a Scheduler state has key, last_epoch, base_lrs",
            "torch",
        ),
        BadInput(
            'scheduler.load_state_dict({"key": "momentum", "last_epoch": 3, "base_lrs": [0.1, 0.01, 0.001]})',
            ValueError,
            "the state is for key='momentum', but this scheduler sets key='lr'",
            "torch",
        ),
        BadInput(
            'scheduler.load_state_dict({"key": 3, "last_epoch": 3, "base_lrs": [0.1, 0.01, 0.001]})',
            TypeError,
            "state_dict['key'] must be a hyperparameter name or a (name, index) pair, got int 3",
            "torch",
        ),
        BadInput(
            "scheduler.load_state_dict([3, [0.1, 0.01, 0.001]])",
            TypeError,
            "state_dict must be a dict from Scheduler.state_dict(), got list [3, [0.1, 0.01, 0.001]]",
            "torch",
        ),
        BadInput(
            'dampener.load_state_dict({"last_step": -1, "undampened": [0.1, 0.01, 0.001]})',
            ValueError,
            "state_dict['last_step'] must be an int >= 0, got -1",
            "torch",
        ),
        BadInput(
            'dampener.load_state_dict({"last_step": 2, "undampened": [0.1, math.nan, 0.001]})',
            ValueError,
            "state_dict['undampened'][1] must be a finite number >= 0, got nan",
            "torch",
        ),
        BadInput("compat.torch.StepLR(0)", ValueError, "step_size must be a positive int, got 0", "torch"),
        BadInput(
            'compat.torch.OneCycleLR(0.1, total_steps=100, anneal_strategy="cosine")',
            ValueError,
            "anneal_strategy must be one of ('cos', 'linear'), got str 'cosine'",
            "torch",
        ),
        BadInput(
            "compat.pytorch_warmup.LinearWarmup(0)",
            ValueError,
            "warmup_period must be a positive int, got 0",
            "torch",
        ),
    ],
    "adapters.optax": [
        BadInput(
            'adapters.optax.wrap(sc.warmup(10), base=float("nan"))',
            ValueError,
            "base must be a finite number, got nan",
            "optax",
        ),
        BadInput(
            'adapters.optax.wrap(sc.warmup(10), base="0.1")',
            TypeError,
            "base must be a finite number, got str '0.1'",
            "optax",
        ),
    ],
    "adapters.chainer": [
        BadInput(
            "adapters.chainer.wrap(0.1)", TypeError, "schedule must be a schedule, got float 0.1", "chainer"
        ),
        BadInput(
            'adapters.chainer.wrap(sc.warmup(10), "lr", optimizer=adam)',
            ValueError,
            "attr must be a hyperparameter of Adam (adabound, alpha, amsgrad, beta1, beta2, eps, eta,"
            " final_lr, gamma, weight_decay_rate), got 'lr'",
            "chainer",
        ),
        BadInput(
            "adapters.chainer.wrap(sc.warmup(10), base=math.inf)",
            ValueError,
            "base must be a finite number, got inf",
            "chainer",
        ),
        BadInput(
            "adapters.chainer.wrap(sc.warmup(10), optimizer=3)",
            TypeError,
            "optimizer must be a chainer.Optimizer, the name of one, or None, got int 3",
            "chainer",
        ),
        BadInput(
            "compat.chainer.MultistepShift(0.1, [30, 20], 0.1)",
            ValueError,
            "step_value must be non-decreasing, got [30, 20]",
            "chainer",
        ),
    ],
}

CASES = [case for cases in SECTIONS.values() for case in cases]


def namespace(needs: str, framework: Any = None) -> dict[str, Any]:
    """The names a line of the table may use; ``framework`` is the module it needs."""
    names: dict[str, Any] = {"sc": sc, "adapters": adapters, "compat": compat, "math": math}
    if framework is not None:
        names[needs] = framework  # numpy, torch, ...: for the lines that build steps with it
    if needs == "torch":

        def sgd() -> Any:
            groups = [
                {"params": [framework.nn.Parameter(framework.zeros(2))], "lr": lr} for lr in (0.1, 0.01, 1e-3)
            ]
            return framework.optim.SGD(groups, lr=0.1, momentum=0.9)

        names["sgd"] = sgd()
        names["scheduler"] = adapters.torch.wrap(sgd(), sc.warmup(10))
        names["dampener"] = adapters.torch.dampen(sgd(), sc.warmup(10))
    elif needs == "chainer":
        names["adam"] = framework.optimizers.Adam()
    return names


def check(make: Callable[[], object], error: type[Exception], message: str) -> None:
    """Call ``make``: it must raise ``error`` with exactly ``message``.

    For the tables of the test modules; ``...`` in ``message`` stands for an object's
    address.
    """
    pattern = "^" + re.escape(message).replace(re.escape("..."), ".*") + "$"
    with pytest.raises(error, match=pattern):
        make()


def cases(table: Sequence[tuple[Callable[[], Any], type[Exception], str]]) -> pytest.MarkDecorator:
    """Parametrize a test with ``(call, error, message)`` rows, each named by its message."""
    return pytest.mark.parametrize(
        ("call", "error", "message"),
        [pytest.param(call, error, message, id=message[:40]) for call, error, message in table],
    )
