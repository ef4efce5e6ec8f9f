r"""``pytorch_warmup``'s warmup factors, as schedcore schedules.

``pytorch_warmup`` multiplies the learning rate that other schedulers set by a warmup
factor :math:`\omega_t`; :func:`schedcore.adapters.torch.dampen` does the same with any
schedule, so these constructors give its five warmups::

    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10_000)
    warmup = adapters.torch.dampen(optimizer, compat.pytorch_warmup.UntunedLinearWarmup(beta2=0.999))
    for batch in loader:
        ...
        optimizer.step()
        with warmup.dampening():
            scheduler.step()

The factors follow ``pytorch_warmup``'s code, not its docstrings: the docstrings write
:math:`\omega_t = \min(1, t / \tau)`, the code computes :math:`\min(1, (t + 1) / \tau)`,
so the first update already runs at :math:`1 / \tau` and the warmup is complete at
update :math:`\tau - 1`. :math:`t` counts completed updates, as everywhere in schedcore.

The untuned and RAdam warmups read :math:`\beta_2` from the optimizer in
``pytorch_warmup``; here they take ``beta2=``. Their warmup period keeps the peer's
``int()`` truncation: :math:`\lfloor 2 / (1 - 0.999) \rfloor = 1999`, not 2000, since
``2 / (1 - 0.999)`` is ``1999.9999999999982`` in floating point. A list of periods (one
per param group) becomes a list of schedules, one call per group.
"""

from __future__ import annotations

import math

import schedcore as sc
from schedcore import _checks
from schedcore._base import Schedule

__all__ = [
    "ExponentialWarmup",
    "LinearWarmup",
    "RAdamWarmup",
    "UntunedExponentialWarmup",
    "UntunedLinearWarmup",
]


def LinearWarmup(warmup_period: int) -> Schedule:
    r"""``pytorch_warmup.LinearWarmup``: a linear factor reaching 1 at update ``warmup_period - 1``.

    .. math::
        \omega(t) = \min\left(1, \frac{t + 1}{\tau}\right)

    where :math:`\tau` is ``warmup_period``. Builds
    ``sc.warmup(warmup_period - 1, start=1 / warmup_period)`` (``sc.constant(1.0)`` for a
    period of 1). Compared with ``sc.warmup(warmup_period)``, which starts at 0, it is
    one update ahead.

    Args:
        warmup_period: :math:`\tau`, a positive int.

    Raises:
        TypeError: ``warmup_period`` is not an int.
        ValueError: ``warmup_period`` is below 1.

    Example:
        >>> from schedcore import compat
        >>> [compat.pytorch_warmup.LinearWarmup(4)(t) for t in range(5)]
        [0.25, 0.5, 0.75, 1.0, 1.0]
    """
    return _linear(_checks.length("warmup_period", warmup_period))


def ExponentialWarmup(warmup_period: int) -> Schedule:
    r"""``pytorch_warmup.ExponentialWarmup``: an exponential factor with time constant ``warmup_period``.

    .. math::
        \omega(t) = 1 - \exp\left(-\frac{t + 1}{\tau}\right)

    where :math:`\tau` is ``warmup_period``. Builds
    ``sc.exponential_warmup(warmup_period, start=1 - exp(-1 / warmup_period))``.

    Args:
        warmup_period: :math:`\tau`, a positive int.

    Raises:
        TypeError: ``warmup_period`` is not an int.
        ValueError: ``warmup_period`` is below 1.

    Example:
        >>> from schedcore import compat
        >>> round(compat.pytorch_warmup.ExponentialWarmup(100)(99), 6)
        0.632121
    """
    return _exponential(_checks.length("warmup_period", warmup_period))


def _linear(period: int) -> Schedule:
    """The linear warmup factor for a checked period."""
    if period == 1:
        return sc.constant(1.0)
    return sc.warmup(period - 1, start=1.0 / period)


def _exponential(period: int) -> Schedule:
    """The exponential warmup factor for a checked period."""
    return sc.exponential_warmup(period, start=-math.expm1(-1.0 / period))


def _untuned_period(beta2: object, numerator: float) -> int:
    b2 = _checks.real("beta2", beta2, at_least=0.0, below=1.0)
    return int(numerator / (1.0 - b2))  # the peer's truncation: 1999 for beta2=0.999


def UntunedLinearWarmup(beta2: float) -> Schedule:
    r"""``pytorch_warmup.UntunedLinearWarmup``: a linear warmup, :math:`\tau = 2 / (1 - \beta_2)`.

    .. math::
        \omega(t) = \min\left(1, \frac{t + 1}{\tau}\right),
        \qquad \tau = \left\lfloor \frac{2}{1 - \beta_2} \right\rfloor

    The period is truncated as the peer's ``int()`` does (1999 for ``beta2=0.999``).

    Args:
        beta2: Adam's :math:`\beta_2` (``betas[1]``), in ``[0, 1)``; the peer reads it from
            each param group.

    Raises:
        TypeError: ``beta2`` is not a number.
        ValueError: ``beta2`` is outside ``[0, 1)``.

    Example:
        >>> from schedcore import compat
        >>> compat.pytorch_warmup.UntunedLinearWarmup(beta2=0.999)
        warmup(1998, start=0.0005002501250625312)
    """
    return _linear(_untuned_period(beta2, 2.0))


def UntunedExponentialWarmup(beta2: float) -> Schedule:
    r"""``pytorch_warmup.UntunedExponentialWarmup``: an exponential warmup, :math:`\tau = 1 / (1 - \beta_2)`.

    .. math::
        \omega(t) = 1 - \exp\left(-\frac{t + 1}{\tau}\right),
        \qquad \tau = \left\lfloor \frac{1}{1 - \beta_2} \right\rfloor

    The period is truncated as the peer's ``int()`` does (999 for ``beta2=0.999``).

    Args:
        beta2: Adam's :math:`\beta_2`, in ``[0, 1)``.

    Raises:
        TypeError: ``beta2`` is not a number.
        ValueError: ``beta2`` is outside ``[0, 1)``.

    Example:
        >>> from schedcore import compat
        >>> compat.pytorch_warmup.UntunedExponentialWarmup(beta2=0.999).steps
        999
    """
    return _exponential(_untuned_period(beta2, 1.0))


def RAdamWarmup(beta2: float) -> Schedule:
    r"""``pytorch_warmup.RAdamWarmup``: the RAdam warmup factor for Adam's :math:`\beta_2`.

    Builds ``sc.radam_warmup(beta2)``: with
    :math:`\rho_\infty = 2 / (1 - \beta_2) - 1` and
    :math:`\rho_n = \rho_\infty - 2 n \beta_2^n / (1 - \beta_2^n)`,

    .. math::
        \omega(t) = \sqrt{\frac{(\rho_n - 4)(\rho_n - 2)\,\rho_\infty}
                               {(\rho_\infty - 4)(\rho_\infty - 2)\,\rho_n}},
        \qquad n = t + \delta

    where :math:`\delta` is the smallest :math:`n \ge 1` with :math:`\rho_n > 4`, as in the
    peer's code (its docstring's :math:`\omega_{t + \delta - 1}` counts :math:`t` from 1).

    Accuracy and the peer: schedcore decides :math:`\delta` in exact arithmetic and
    evaluates the factor within about 1e-14 of its exact value (see
    :func:`schedcore.radam_warmup`). ``pytorch_warmup`` computes both in floats, where
    :math:`1 - \beta_2^n` and :math:`\rho_\infty - \ldots` cancel:

    * up to ``beta2 = 0.99999`` it picks the same :math:`\delta`, and its factor is within
      1e-9 of the exact one except in the first steps at ``0.99999`` (4.6e-8 at step 0,
      below 1e-10 after about 150 steps); there this follows the exact value;
    * from ``beta2 = 0.999999`` on its float :math:`\rho_4` passes 4 while the exact one is
      3.9999975 (3.99999975 at ``0.9999999``), so it picks :math:`\delta = 4`, a step at which
      the factor does not exist, and gives 4.66e-8 at step 0 where the exact factor at
      :math:`\delta = 5` is 5.48e-4; this follows the exact formula, as for optax's float32
      rounding.

    Args:
        beta2: Adam's :math:`\beta_2`, in ``(0.6, 1)`` as the peer requires.

    Raises:
        TypeError: ``beta2`` is not a number.
        ValueError: ``beta2`` is outside ``(0.6, 1)``.

    Example:
        >>> from schedcore import compat
        >>> round(compat.pytorch_warmup.RAdamWarmup(beta2=0.999)(0), 6)
        0.017312
    """
    return sc.radam_warmup(_checks.real("beta2", beta2, above=0.6, below=1.0))
