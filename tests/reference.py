"""Independent high-precision evaluation of SPEC section 3, for the core's accuracy tests.

Each function restates a schedule's formula exactly as the specification writes it
(``u = min(t, T) / T``, ``(1 + cos(pi u)) / 2``, ``rate ** t``, ...) and evaluates it
with mpmath at 40 significant digits. The library computes the same curves
differently (remaining distances, ``sin**2``, ``exp(t log r)``), so agreement is a
real check of both the formulas and their floating-point evaluation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath
from mpmath import mpf

import schedcore as sc
from schedcore import combinators, schedules

mpmath.mp.dps = 40


def _u(t: mpf, steps: int) -> mpf:
    return min(t, steps) / mpf(steps)


def _count(t: mpf, points: tuple[int, ...]) -> int:
    return sum(1 for p in points if p <= t)


def _line(t: mpf, start: float, end: float, steps: int) -> mpf:
    return start + (mpf(end) - start) * _u(t, steps)


def _cos_anneal(start: mpf, end: mpf, pct: mpf) -> mpf:
    return end + (start - end) / 2 * (mpmath.cos(mpmath.pi * pct) + 1)


def _one_cycle(s: schedules.OneCycle, t: mpf) -> mpf:
    steps, f = s.steps, mpf(s.peak_at)
    if s.three_phase:
        ends = [f * steps - 1, 2 * f * steps - 2, mpf(steps - 1)]
        levels = [s.start, 1.0, s.start, s.end]
    else:
        ends = [f * steps - 1, mpf(steps - 1)]
        levels = [s.start, 1.0, s.end]
    t = min(t, mpf(steps - 1))
    begin = mpf(0)
    for i, end_step in enumerate(ends):
        if t < mpmath.floor(end_step) + 1 or i == len(ends) - 1:  # the phase holds to a whole step
            pct = min((t - begin) / (end_step - begin), 1)
            a, b = mpf(levels[i]), mpf(levels[i + 1])
            return _cos_anneal(a, b, pct) if s.anneal == "cos" else a + (b - a) * pct
        begin = end_step
    raise AssertionError("unreachable")


def _cyclic(s: schedules.Cyclic, t: mpf) -> mpf:
    up, down = s.steps_up, int(s.steps_down or s.steps_up)
    tau = mpmath.fmod(t, up + down)
    x = tau / up if tau < up else (up + down - tau) / down
    return s.start + (1 - mpf(s.start)) * x


def _wsd(s: schedules.Wsd, t: mpf) -> mpf:
    w, st, d, e = s.warmup, s.stable, s.decay, mpf(s.end)
    if t < w:
        u = t / w
        shape = {
            "linear": u,
            "cosine": (1 - mpmath.cos(mpmath.pi * u)) / 2,
            "1-sqrt": 1 - mpmath.sqrt(1 - u),
        }[s.warmup_shape]
        return e + (1 - e) * shape
    if t < w + st:
        return mpf(1)
    if t < w + st + d:
        p = (t - w - st) / d
        shape = {
            "linear": 1 - p,
            "cosine": (1 + mpmath.cos(mpmath.pi * p)) / 2,
            "1-sqrt": 1 - mpmath.sqrt(p),
        }[s.decay_shape]
        return e + (1 - e) * shape
    return e


def _radam(s: schedules.RadamWarmup, t: mpf) -> mpf:
    beta2 = mpf(s.beta2)
    rho_inf = 2 / (1 - beta2) - 1

    def rho(n: Any) -> mpf:
        return rho_inf - 2 * n * beta2**n / (1 - beta2**n)

    offset = 1
    while not rho(offset) > 4:
        offset += 1
    r = rho(t + offset)
    return mpmath.sqrt((r - 4) * (r - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * r))


def _piecewise_linear(s: schedules.PiecewiseLinear, t: mpf) -> mpf:
    b, v = s.boundaries, s.values
    if t <= b[0]:
        return mpf(v[0])
    for i in range(len(b) - 1):
        if t < b[i + 1]:
            return v[i] + (mpf(v[i + 1]) - v[i]) * (t - b[i]) / (b[i + 1] - b[i])
    return mpf(v[-1])


def _cosine_wave(s: schedules.CosineWave, t: mpf) -> mpf:
    e = mpf(s.end)
    if s.restart:
        phase = mpmath.frac(mpf(s.cycles) * t / s.steps)
        return e + (1 - e) * (1 + mpmath.cos(mpmath.pi * phase)) / 2
    return e + (1 - e) * (1 + mpmath.cos(2 * mpmath.pi * mpf(s.cycles) * t / s.steps)) / 2


def _cycle(s: combinators.Cycle, t: mpf) -> mpf:
    if s.growth == 1:
        return mpf(s.decay) ** mpmath.floor(t / s.period) * value(s.schedule, mpmath.fmod(t, s.period))
    growth = mpf(repr(s.growth))  # the decimal number it prints as
    begin, length, stretch, k = mpf(0), mpf(s.period), mpf(1), 0
    while t >= begin + length:
        begin += length
        length *= growth
        stretch *= growth
        k += 1
    return mpf(s.decay) ** k * value(s.schedule, (t - begin) / stretch)


def _polynomial(s: schedules.Polynomial, t: mpf) -> mpf:
    horizon = s.steps * max(1, mpmath.ceil(t / s.steps)) if s.extend else s.steps
    u = min(t, horizon) / mpf(horizon)
    return s.end + (1 - mpf(s.end)) * (1 - u ** mpf(s.k)) ** mpf(s.power)


def _join(s: combinators.Join, t: mpf) -> mpf:
    k = _count(t, tuple(s.boundaries))
    start = s.boundaries[k - 1] if k else 0
    return value(s.schedules[k], t - start)


def _clip(s: combinators.Clip, t: mpf) -> mpf:
    result = value(s.schedule, t)
    if s.low is not None:
        result = max(result, mpf(s.low))
    if s.high is not None:
        result = min(result, mpf(s.high))
    return result


def _product(s: combinators.Product, t: mpf) -> mpf:
    result = mpf(s.scale)
    for factor in s.factors:
        result *= value(factor, t)
    return result


def _sum(s: combinators.Sum, t: mpf) -> mpf:
    return mpf(s.offset) + mpmath.fsum(value(term, t) for term in s.terms)


_FORMULAS: dict[type, Callable[[Any, mpf], mpf]] = {
    schedules.Constant: lambda s, t: mpf(s.value),
    schedules.Linear: lambda s, t: _line(t, s.start, s.end, s.steps),
    schedules.Warmup: lambda s, t: _line(t, s.start, 1.0, s.steps),
    schedules.Multistep: lambda s, t: mpf(s.gamma) ** _count(t, s.milestones),
    schedules.StepDecay: lambda s, t: mpf(s.gamma) ** mpmath.floor(t / s.every),
    schedules.Exponential: lambda s, t: mpf(s.rate) ** (t / s.every),
    schedules.Polynomial: _polynomial,
    schedules.Cosine: lambda s, t: (
        s.end
        + (1 - mpf(s.end)) * ((1 + mpmath.cos(mpmath.pi * _u(t, s.steps) ** mpf(s.k))) / 2) ** mpf(s.power)
    ),
    schedules.CosineWave: _cosine_wave,
    schedules.Inverse: lambda s, t: (1 + mpf(s.gamma) * t) ** (-mpf(s.power)),
    schedules.InverseSqrt: lambda s, t: 1 / mpmath.sqrt(1 + t / s.steps),
    schedules.PiecewiseConstant: lambda s, t: mpf(s.values[_count(t, s.boundaries)]),
    schedules.PiecewiseLinear: _piecewise_linear,
    schedules.OneCycle: _one_cycle,
    schedules.Cyclic: _cyclic,
    schedules.Wsd: _wsd,
    schedules.ExponentialWarmup: lambda s, t: 1 - (1 - mpf(s.start)) * mpmath.exp(-t / s.steps),
    schedules.RadamWarmup: _radam,
    combinators.Product: _product,
    combinators.Sum: _sum,
    combinators.Join: _join,
    combinators.Cycle: _cycle,
    combinators.PerEpoch: lambda s, t: value(s.schedule, mpmath.floor(t / s.steps_per_epoch)),
    combinators.PerSample: lambda s, t: value(s.schedule, t * s.samples_per_step),
    combinators.Clip: _clip,
    schedules.TanhDecay: lambda s, t: (
        s.end + (1 - mpf(s.end)) * (1 - mpmath.tanh(s.lower + (mpf(s.upper) - s.lower) * _u(t, s.steps))) / 2
    ),
    combinators.Shift: lambda s, t: value(s.schedule, t + s.steps),
    combinators.Stretch: lambda s, t: value(s.schedule, (t - mpf(s.offset)) / mpf(s.factor)),
}


def value(schedule: sc.Schedule, t: Any) -> mpf:
    """The exact value of ``schedule`` at step ``t``, to 40 digits."""
    return _FORMULAS[type(schedule)](schedule, mpf(t))


def covered() -> set[type]:
    """The schedule classes this module has a formula for."""
    return set(_FORMULAS)
