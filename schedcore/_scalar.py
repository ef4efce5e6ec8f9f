"""Python-number steps, evaluated by one function generated for each schedule.

``s(t)`` for a Python ``int`` or ``float`` is the hot path of the adapters: once per
optimizer update. Evaluating it through ``_evaluate(t, SCALAR)`` costs a dozen Python
calls for ``warmup * multistep * polynomial`` (the operations object, the helper
functions, each factor). Here a schedule is turned once into the source of a single
expression of ``t`` — e.g. ``(0.0 if t >= 1000 else ...) * (1.0 if t < 3000000 else
...) * sqrt(...)`` — compiled with :func:`exec` (as :mod:`dataclasses` builds its
methods) and kept on the schedule. Every piece repeats the operations of its class's
``_evaluate`` with :class:`~schedcore._backend.ScalarOps`, in the same order, so the
value is the same float; numbers enter the source as their ``repr``, which reads back
to the same float. A class without a piece here is called through its own
``_evaluate``.

The source is built only from the schedule's own checked numbers and from the names
below; nothing a user typed reaches :func:`exec` as text.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from schedcore import _backend, combinators, schedules
from schedcore._base import Schedule

__all__ = ["compile_scalar"]

Scalar = Callable[[Any], float]

_MAX_SOURCE = 20_000  # characters; a larger schedule is evaluated through _evaluate
_CHAIN = 8  # a step function with more thresholds than this uses bisect


def compile_scalar(schedule: Schedule) -> Scalar:
    """The function ``t -> float(schedule(t))`` for a checked Python number ``t``."""
    source = _Source()
    try:
        code = f"def scalar(t):\n    return {source.expression(schedule, 't')}\n"
        if len(code) <= _MAX_SOURCE:
            namespace = dict(source.names)
            exec(code, namespace)  # only our numbers and names: see the module docstring
            compiled: Scalar = namespace["scalar"]
            return compiled
    except (SyntaxError, RecursionError, MemoryError):
        pass  # too deep for Python's parser: evaluated through _evaluate instead
    evaluate, scalar = schedule._evaluate, _backend.SCALAR
    return lambda t: float(evaluate(t, scalar))


def _number(value: float) -> str:
    return f"({value!r})"


class _Source:
    """The source of an expression, and the names it refers to."""

    def __init__(self) -> None:
        self.names: dict[str, Any] = {
            "sqrt": math.sqrt,
            "sin": math.sin,
            "expm1": math.expm1,
            "exp": _backend._exp,
            "bisect_right": bisect_right,
            "SCALAR": _backend.SCALAR,
        }
        self._count = 0

    def name(self, value: Any) -> str:
        """A new global name for ``value`` in the generated function."""
        self._count += 1
        name = f"_k{self._count}"
        self.names[name] = value
        return name

    def temporary(self) -> str:
        self._count += 1
        return f"_v{self._count}"

    def expression(self, schedule: Schedule, t: str) -> str:
        """The value of ``schedule`` at the step expression ``t``, as a float expression."""
        build = _PIECES.get(type(schedule))
        if build is None:
            return f"float({self.name(schedule._evaluate)}({t}, SCALAR))"
        return build(self, schedule, t)

    # --- helpers shared by several classes, as in schedules.py ---------------------------

    def remaining(self, t: str, total: int) -> str:
        """``ScalarOps.remaining``: ``(T - t if t < T else 0) / T``."""
        return f"(({total} - {t} if {t} < {total} else 0) / {total})"

    def power(self, x: str, power: float) -> str:
        """``schedules._power``."""
        if power == 1.0:
            return x
        if power == 0.5:
            return f"sqrt({x})"
        v = self.temporary()
        if power == 2.0:
            return f"(({v} := {x}) * {v})"
        if 0.0 < power < schedules._TINY_POWER:
            return f"({v} * 0.0 + 1.0 if ({v} := {x}) > 0 else {v})"
        return f"({x} ** {_number(power)})"

    @staticmethod
    def toward(end: float, shape: str) -> str:
        """``schedules._toward``."""
        return shape if end == 0.0 else f"({_number(end)} + {_number(1.0 - end)} * {shape})"

    def line(self, t: str, start: float, end: float, steps: int) -> str:
        """``schedules._line``."""
        if abs(end) < abs(start):
            return f"({_number(end)} + {_number(start - end)} * {self.remaining(t, steps)})"
        done = f"(({t} if {t} < {steps} else {steps}) / {steps})"
        if start != 0.0:
            done = f"({_number(start)} + {_number(end - start)} * {done})"
        elif end != 1.0:
            done = f"({_number(end)} * {done})"
        return f"({_number(end)} if {t} >= {steps} else {done})"

    def select(self, t: str, thresholds: tuple[int, ...], values: tuple[float, ...]) -> str:
        """``ScalarOps.select``: ``values[bisect_right(thresholds, t)]``."""
        if len(thresholds) > _CHAIN:
            return f"{self.name(values)}[bisect_right({self.name(thresholds)}, {t})]"
        chain = _number(values[-1])
        for threshold, value in zip(thresholds[::-1], values[-2::-1], strict=True):
            chain = f"{_number(value)} if {t} < {threshold} else {chain}"
        return f"({chain})"


def _constant(src: _Source, s: schedules.Constant, t: str) -> str:
    return _number(s.value)


def _linear(src: _Source, s: schedules.Linear, t: str) -> str:
    return src.line(t, s.start, s.end, s.steps)


def _warmup(src: _Source, s: schedules.Warmup, t: str) -> str:
    return src.line(t, s.start, 1.0, s.steps)


def _multistep(src: _Source, s: schedules.Multistep, t: str) -> str:
    return src.select(t, tuple(s.milestones), s._levels)


def _piecewise_constant(src: _Source, s: schedules.PiecewiseConstant, t: str) -> str:
    return src.select(t, tuple(s.boundaries), tuple(s.values))


def _step_decay(src: _Source, s: schedules.StepDecay, t: str) -> str:
    return f"exp(({t} // {s.every}) * {_number(s._log_gamma)})"


def _exponential(src: _Source, s: schedules.Exponential, t: str) -> str:
    return f"exp({t} * {_number(s._log_rate)})"


def _polynomial(src: _Source, s: schedules.Polynomial, t: str) -> str:
    return src.toward(s.end, src.power(src.remaining(t, s.steps), s.power))


def _cosine(src: _Source, s: schedules.Cosine, t: str) -> str:
    v = src.temporary()
    shape = f"(({v} := sin({_number(schedules._HALF_PI)} * {src.remaining(t, s.steps)})) * {v})"
    return src.toward(s.end, src.power(shape, s.power))


def _inverse(src: _Source, s: schedules.Inverse, t: str) -> str:
    return f"((1.0 + {_number(s.gamma)} * {t}) ** {_number(-s.power)})"


def _inverse_sqrt(src: _Source, s: schedules.InverseSqrt, t: str) -> str:
    return f"(1.0 / sqrt(1.0 + {t} * {_number(1.0 / s.steps)}))"


def _exponential_warmup(src: _Source, s: schedules.ExponentialWarmup, t: str) -> str:
    gap, rate = 1.0 - s.start, -1.0 / s.steps
    return f"({_number(s.start)} - {_number(gap)} * expm1({t} * {_number(rate)}))"


def _product(src: _Source, s: combinators.Product, t: str) -> str:
    value = " * ".join(src.expression(factor, t) for factor in s.factors)
    return f"({value})" if s.scale == 1.0 else f"({value} * {_number(s.scale)})"


def _sum(src: _Source, s: combinators.Sum, t: str) -> str:
    value = " + ".join(src.expression(term, t) for term in s.terms)
    return f"({value})" if s.offset == 0.0 else f"({value} + {_number(s.offset)})"


def _join(src: _Source, s: combinators.Join, t: str) -> str:
    """``ScalarOps.piecewise``: piece ``i`` sees ``t - boundaries[i - 1]``."""
    bounds = tuple(s.boundaries)
    chain = src.expression(s.schedules[-1], f"({t} - {bounds[-1]})")
    for i in range(len(bounds) - 1, -1, -1):
        local = t if i == 0 else f"({t} - {bounds[i - 1]})"
        chain = f"{src.expression(s.schedules[i], local)} if {t} < {bounds[i]} else {chain}"
    return f"({chain})"


def _cycle(src: _Source, s: combinators.Cycle, t: str) -> str:
    if s.growth != 1:
        return f"float({src.name(s._evaluate)}({t}, SCALAR))"
    return src.expression(s.schedule, f"({t} % {s.period})")


def _per_epoch(src: _Source, s: combinators.PerEpoch, t: str) -> str:
    return src.expression(s.schedule, f"({t} // {s.steps_per_epoch})")


def _clip(src: _Source, s: combinators.Clip, t: str) -> str:
    value = src.expression(s.schedule, t)
    if s.low is not None:
        value = f"max({value}, {_number(s.low)})"
    if s.high is not None:
        value = f"min({value}, {_number(s.high)})"
    return value


_PIECES: dict[type, Callable[[_Source, Any, str], str]] = {
    schedules.Constant: _constant,
    schedules.Linear: _linear,
    schedules.Warmup: _warmup,
    schedules.Multistep: _multistep,
    schedules.PiecewiseConstant: _piecewise_constant,
    schedules.StepDecay: _step_decay,
    schedules.Exponential: _exponential,
    schedules.Polynomial: _polynomial,
    schedules.Cosine: _cosine,
    schedules.Inverse: _inverse,
    schedules.InverseSqrt: _inverse_sqrt,
    schedules.ExponentialWarmup: _exponential_warmup,
    combinators.Product: _product,
    combinators.Sum: _sum,
    combinators.Join: _join,
    combinators.Cycle: _cycle,
    combinators.PerEpoch: _per_epoch,
    combinators.Clip: _clip,
}
