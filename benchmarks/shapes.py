"""Every public shape, with its leanest JAX and numpy formulations, for the E1 case.

Each entry gives the schedcore schedule over a run of ``n`` steps (lengths scaled to
the run, so every shape shows its whole curve), and the same curve written directly
with ``xp`` (``jax.numpy`` or ``numpy``): one expression of the step array ``t``, the
leanest formulation of the curve, with no schedcore code in it. The case checks that
the three agree and times them side by side. ``tests/test_package.py`` checks that
every schedule constructor and combinator of ``schedcore.__all__`` has an entry.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Shape:
    """One shape: ``schedule(n)`` and ``direct(xp, t, n)``, the same curve."""

    name: str  # the constructor or combinator it covers
    schedule: Callable[[int], Any]
    direct: Callable[[Any, Any, int], Any]
    label: str = ""  # for a second entry of the same constructor

    @property
    def title(self) -> str:
        return self.label or self.name


def _sc() -> Any:
    import schedcore as sc

    return sc


def _ramp(xp: Any, t: Any, steps: int) -> Any:
    """``min(t, T) / T``, the leanest way."""
    return xp.minimum(t, steps) / steps


def _cosine(xp: Any, t: Any, steps: int) -> Any:
    return 0.5 * (1.0 + xp.cos(math.pi * _ramp(xp, t, steps)))


def _radam(xp: Any, t: Any, beta2: float, offset: int) -> Any:
    rho_inf = 2.0 / (1 - beta2) - 1
    n = t + float(offset)
    b2n = beta2**n
    rho = rho_inf - 2 * n * b2n / (1 - b2n)
    return xp.sqrt(xp.maximum((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho), 0.0))


def _growing(xp: Any, t: Any, n: int) -> Any:
    """Cosine cycles of n/100 steps, each 1.5 times longer and half as high (Keras, timm)."""
    period, growth = n // 100, 1.5
    k = xp.floor(xp.log1p(t * ((growth - 1) / period)) / math.log(growth))
    stretch = growth**k
    local = (t - period * (stretch - 1) / (growth - 1)) / stretch
    return 0.5**k * _cosine(xp, local, period)


def _one_cycle(xp: Any, t: Any, n: int) -> Any:
    """torch's two-phase cosine one-cycle from 0.04 to 1 to 4e-6 (peak at 0.3 n)."""
    up, end = 0.3 * n - 1, n - 1.0
    rise = 0.04 + (1 - 0.04) * 0.5 * (1 - xp.cos(math.pi * xp.minimum(t / up, 1.0)))
    fall = 4e-6 + (1 - 4e-6) * 0.5 * (1 + xp.cos(math.pi * xp.minimum((t - up) / (end - up), 1.0)))
    return xp.where(t <= up, rise, fall)


def _wsd(xp: Any, t: Any, n: int) -> Any:
    w, s, d = n // 10, n // 2, 3 * n // 10
    warm = t / w
    decay = 0.5 * (1 + xp.cos(math.pi * xp.minimum((t - w - s) / d, 1.0)))
    return xp.where(t < w, warm, xp.where(t < w + s, 1.0, decay))


SHAPES: list[Shape] = [
    Shape("constant", lambda n: _sc().constant(0.5), lambda xp, t, n: xp.full(t.shape, 0.5)),
    Shape(
        "linear", lambda n: _sc().linear(1.0, 0.1, n // 2), lambda xp, t, n: 1.0 - 0.9 * _ramp(xp, t, n // 2)
    ),
    Shape("warmup", lambda n: _sc().warmup(n // 2), lambda xp, t, n: _ramp(xp, t, n // 2)),
    Shape(
        "multistep",
        lambda n: _sc().multistep([3 * n // 10, 6 * n // 10], gamma=0.1),
        lambda xp, t, n: xp.where(t >= 6 * n // 10, 0.01, xp.where(t >= 3 * n // 10, 0.1, 1.0)),
    ),
    Shape(
        "step_decay",
        lambda n: _sc().step_decay(n // 10, gamma=0.5),
        lambda xp, t, n: xp.exp((t // (n // 10)) * math.log(0.5)),
    ),
    Shape(
        "exponential", lambda n: _sc().exponential(1 - 1e-6), lambda xp, t, n: xp.exp(t * math.log(1 - 1e-6))
    ),
    Shape(
        "polynomial",
        lambda n: _sc().polynomial(n, power=0.9),
        lambda xp, t, n: (1.0 - _ramp(xp, t, n)) ** 0.9,
    ),
    Shape("cosine", lambda n: _sc().cosine(n), lambda xp, t, n: _cosine(xp, t, n)),
    Shape(
        "cosine_wave",
        lambda n: _sc().cosine_wave(n // 10, cycles=2.5),
        lambda xp, t, n: 0.5 * (1 + xp.cos((2 * math.pi * 2.5 / (n // 10)) * t)),
    ),
    Shape("inverse", lambda n: _sc().inverse(1e-4, 0.75), lambda xp, t, n: (1.0 + 1e-4 * t) ** -0.75),
    Shape(
        "inverse_sqrt",
        lambda n: _sc().inverse_sqrt(n // 100),
        lambda xp, t, n: 1.0 / xp.sqrt(1.0 + t / (n // 100)),
    ),
    Shape(
        "piecewise_constant",
        lambda n: _sc().piecewise_constant([n // 4, n // 2, 3 * n // 4], [1.0, 0.5, 0.25, 0.1]),
        lambda xp, t, n: xp.where(
            t >= 3 * n // 4, 0.1, xp.where(t >= n // 2, 0.25, xp.where(t >= n // 4, 0.5, 1.0))
        ),
    ),
    Shape(
        "piecewise_linear",
        lambda n: _sc().piecewise_linear([0, n // 4, n], [0.0, 1.0, 0.1]),
        lambda xp, t, n: xp.interp(t, xp.asarray([0.0, n // 4, n]), xp.asarray([0.0, 1.0, 0.1])),
    ),
    Shape("one_cycle", lambda n: _sc().one_cycle(n), lambda xp, t, n: _one_cycle(xp, t, n)),
    Shape(
        "cyclic",
        lambda n: _sc().cyclic(n // 20, start=0.1),
        lambda xp, t, n: 0.1 + 0.9 * (1 - xp.abs((t % (n // 10)) / (n // 20) - 1)),
    ),
    Shape("wsd", lambda n: _sc().wsd(n // 10, n // 2, 3 * n // 10), lambda xp, t, n: _wsd(xp, t, n)),
    Shape(
        "exponential_warmup",
        lambda n: _sc().exponential_warmup(n // 10),
        lambda xp, t, n: 1.0 - xp.exp(-t / (n // 10)),
    ),
    Shape(
        "tanh_decay",
        lambda n: _sc().tanh_decay(n),
        lambda xp, t, n: 1.0 / (1.0 + xp.exp(2.0 * (-7.0 + 10.0 * _ramp(xp, t, n)))),
    ),
    Shape("radam_warmup", lambda n: _sc().radam_warmup(0.999), lambda xp, t, n: _radam(xp, t, 0.999, 5)),
    Shape(
        "compose",
        lambda n: _sc().warmup(n // 100) * _sc().cosine(n),
        lambda xp, t, n: _ramp(xp, t, n // 100) * _cosine(xp, t, n),
    ),
    Shape(
        "sum",
        lambda n: 0.1 + 0.9 * _sc().cosine(n),
        lambda xp, t, n: 0.1 + 0.9 * _cosine(xp, t, n),
    ),
    Shape(
        "join",
        lambda n: _sc().join([_sc().warmup(n // 10), _sc().cosine(9 * n // 10)], [n // 10]),
        lambda xp, t, n: xp.where(t < n // 10, t / (n // 10), _cosine(xp, t - n // 10, 9 * n // 10)),
    ),
    Shape(
        "cycle",
        lambda n: _sc().cycle(_sc().cosine(n // 10), n // 10),
        lambda xp, t, n: _cosine(xp, t % (n // 10), n // 10),
    ),
    Shape(
        "cycle",
        lambda n: _sc().cycle(_sc().cosine(n // 100), n // 100, growth=1.5, decay=0.5),
        _growing,
        label="cycle(growth=1.5, decay=0.5)",
    ),
    Shape(
        "shift",
        lambda n: _sc().join([_sc().warmup(n // 10), _sc().shift(_sc().cosine(n), n // 10)], [n // 10]),
        lambda xp, t, n: xp.where(t < n // 10, t / (n // 10), _cosine(xp, t, n)),
    ),
    Shape(
        "stretch",
        lambda n: _sc().stretch(_sc().cosine(1), n),
        lambda xp, t, n: _cosine(xp, t / n, 1),
    ),
    Shape(
        "per_epoch",
        lambda n: _sc().per_epoch(_sc().cosine(100), n // 100),
        lambda xp, t, n: _cosine(xp, t // (n // 100), 100),
    ),
    Shape(
        "per_sample",
        lambda n: _sc().per_sample(_sc().cosine(512 * n), 512),
        lambda xp, t, n: _cosine(xp, t * 512.0, 512 * n),
    ),
    Shape(
        "clip",
        lambda n: _sc().clip(_sc().cosine(n), low=0.1),
        lambda xp, t, n: xp.maximum(_cosine(xp, t, n), 0.1),
    ),
]


def _cyclic(xp: Any, t: Any, up: int, down: int) -> Any:
    """torch's triangular CyclicLR wave from 0 to 1 and back, ``up`` steps up and ``down`` down."""
    tau = t % (up + down)
    return xp.where(tau < up, tau / up, (up + down - tau) / down)


#: Cycles as recipes write them, with periods of a few thousand steps, not scaled to the run
#: (the E2 case): a chunk of 65536 sorted steps crosses many periods.
SHORT_PERIODS: list[Shape] = [
    Shape(
        "cyclic",
        lambda n: _sc().cyclic(2000),
        lambda xp, t, n: _cyclic(xp, t, 2000, 2000),
        label="cyclic(2000), torch's CyclicLR default",
    ),
    Shape(
        "cycle",
        lambda n: _sc().cycle(_sc().cosine(5000), 5000),
        lambda xp, t, n: _cosine(xp, t % 5000, 5000),
        label="cycle(cosine(5000), 5000), SGDR",
    ),
    Shape(
        "cycle",
        lambda n: _sc().cycle(_sc().warmup(500) * _sc().cosine(5000), 5000, decay=0.9),
        lambda xp, t, n: 0.9 ** (t // 5000) * _ramp(xp, t % 5000, 500) * _cosine(xp, t % 5000, 5000),
        label="cycle(warmup(500) * cosine(5000), 5000, decay=0.9), timm's cycle_decay",
    ),
    Shape(
        "cosine_wave",
        lambda n: _sc().cosine_wave(4000, cycles=4, restart=True),
        lambda xp, t, n: 0.5 * (1 + xp.cos(math.pi * (t % 1000) / 1000)),
        label="cosine_wave(4000, cycles=4, restart=True)",
    ),
]
