r"""The operations a schedule's formula is written with.

A schedule class states its curve once, in its :meth:`~schedcore.Schedule.formula`
method, as a function of the step ``t`` and of an :class:`Operations` object
``ops``::

    def formula(self, t, ops):
        return self.end + (1.0 - self.end) * ops.remaining(t, self.steps) ** self.power

The same method then serves every kind of step: ``ops`` does the arithmetic of the
step's library (Python's :mod:`math`, numpy, JAX, torch, any array-API library),
and it can also *record* the formula as an expression graph, from which schedcore
derives its fast paths (one generated Python function for Python-number steps,
in-place numpy programs for arrays; see ``DEVELOPERS.md``). So a formula follows
three rules:

* **No Python** ``if`` **on the value of** ``t``, or of anything computed from it:
  choose with :meth:`~Operations.where`, :meth:`~Operations.select` or
  :meth:`~Operations.piecewise`. (A Python ``if`` on the schedule's own parameters is
  fine: they are numbers.) Comparisons such as ``x > 0`` give a mask for ``where``.
* **Steps are exact integers**: compare, shift and reduce ``t`` with the step
  operations below (:meth:`~Operations.reached`, :meth:`~Operations.select`,
  :meth:`~Operations.mod`, ...), which compare with integer thresholds exactly, also
  for JAX's int32 counts and thresholds beyond their range; turn ``t`` into a float
  with :meth:`~Operations.real` before mixing it with floats. A threshold between
  whole steps is a :class:`fractions.Fraction`: whole steps reach it at its ceiling,
  and a fractional time (what a stretch or a growing cycle passes on) exactly there.
* **Values are floats**: combine them with ``+ - * /``, ``**`` (``x ** p`` for
  ``x >= 0``; :meth:`~Operations.power` where it may overflow) and the functions below.

Operations on the step:

========================  ==============================================================
``reached(t, m)``         the mask ``t >= m``
``select(t, ths, vals)``  ``vals[k]`` where ``k`` thresholds of ``ths`` are ``<= t``
``count(t, ths)``         how many thresholds of ``ths`` are ``<= t``, as a float
``select_step(t, ...)``   like ``select``, for step values (keeps the step's dtype)
``piecewise(t, bs, fs)``  ``fs[i](t - bs[i-1])`` on ``[bs[i-1], bs[i])``: local time
``elapsed(t, T)``         ``min(t, T) / T``, exact at ``t = T``
``remaining(t, T)``       ``(T - min(t, T)) / T``, from the exact integer distance
``progress(t, T)``        both of them
``floordiv(t, n)``        ``t // n``
``mod(t, n)``             ``t % n``
``mulmod(x, k, n)``       ``(x * k) % n`` for ``0 <= x < n``, without overflow
``times(t, k)``           ``t * k`` and the operations for it (may widen int32 counts)
``real(t)``               ``t`` ready for arithmetic with floats
``fits(n)``               whether ``n`` fits the step's integer dtype
========================  ==============================================================

Operations on values: :meth:`~Operations.where`, :meth:`~Operations.minimum`,
:meth:`~Operations.maximum`, :meth:`~Operations.exp`, :meth:`~Operations.expm1`,
:meth:`~Operations.log`, :meth:`~Operations.log1p`, :meth:`~Operations.sin`,
:meth:`~Operations.cos`, :meth:`~Operations.tanh`, :meth:`~Operations.sqrt`,
:meth:`~Operations.floor`, :meth:`~Operations.power`, :meth:`~Operations.full`
and :meth:`~Operations.cast`.

The step operations are written here once, over a handful of primitives that each
library implements (``where``, ``minimum``, ``lookup``, the math functions, ...).
"""

from __future__ import annotations

import abc
import math
from collections.abc import Callable, Sequence

TYPE_CHECKING = False  # typing is only imported by type checkers: see DEVELOPERS.md
if TYPE_CHECKING:
    from typing import Any

    Value = Any  # a Python number or an array of the step's library
    Step = Any
    Rational = Any  # an int, or a fractions.Fraction for a threshold between whole steps

__all__ = ["Operations"]


def round_up(n: Rational, bits: int) -> float:
    """The smallest float with a ``bits``-bit significand that is ``>= n`` (``n >= 0``).

    ``n`` is an int or an exact fraction (:class:`fractions.Fraction`). ``t >=
    round_up(m, 24)`` is ``t >= m`` exactly for every float32 ``t``, and Python
    converts the result into float32 without rounding.
    """
    numerator, denominator = n.as_integer_ratio()
    # the significand kept from n * 2**-excess, rounded up: its bits lie below 2**bits
    excess = numerator.bit_length() - denominator.bit_length() - bits
    if numerator << max(0, -excess) >= denominator << (max(0, excess) + bits):
        excess += 1  # n is at least 2**(bits + excess): one bit more is needed
    kept = -(-(numerator << max(0, -excess)) // (denominator << max(0, excess)))
    return math.ldexp(kept, excess)


def whole_ceiling(n: Rational) -> int:
    """The least whole number ``>= n``: the first integer step that reaches ``n``."""
    return n if isinstance(n, int) else math.ceil(n)


class Operations(abc.ABC):
    """The operations a formula computes with; see the module docstring.

    Attributes:
        int_max: For integer array steps, the largest value of their dtype; ``None``
            when the steps are Python numbers or floats (any integer "fits").
        float_bits: For float array steps, the significand bits of their dtype (53
            for float64, 24 for float32), with which thresholds are rounded up;
            ``None`` otherwise.
    """

    int_max: int | None = None
    float_bits: int | None = None

    # --- the primitives each library implements -----------------------------------

    @abc.abstractmethod
    def where(self, condition: Value, a: Value, b: Value) -> Value:
        """``a`` where ``condition`` holds, else ``b`` (numbers or arrays)."""

    @abc.abstractmethod
    def minimum(self, x: Value, c: Value) -> Value:
        """The smaller of ``x`` and ``c``, elementwise."""

    @abc.abstractmethod
    def maximum(self, x: Value, c: Value) -> Value:
        """The larger of ``x`` and ``c``, elementwise."""

    @abc.abstractmethod
    def exp(self, x: Value) -> Value:
        """:math:`e^x`; ``inf`` where it overflows."""

    @abc.abstractmethod
    def expm1(self, x: Value) -> Value:
        """:math:`e^x - 1`, accurate near 0; ``inf`` where it overflows."""

    @abc.abstractmethod
    def log(self, x: Value) -> Value:
        r""":math:`\ln x`; ``-inf`` at 0."""

    @abc.abstractmethod
    def log1p(self, x: Value) -> Value:
        r""":math:`\ln(1 + x)`, accurate near 0."""

    @abc.abstractmethod
    def sin(self, x: Value) -> Value:
        """The sine."""

    @abc.abstractmethod
    def cos(self, x: Value) -> Value:
        """The cosine."""

    @abc.abstractmethod
    def tanh(self, x: Value) -> Value:
        """The hyperbolic tangent."""

    @abc.abstractmethod
    def sqrt(self, x: Value) -> Value:
        """The square root, for ``x >= 0``."""

    @abc.abstractmethod
    def floor(self, x: Value) -> Value:
        """The largest whole number ``<= x``, as a float."""

    @abc.abstractmethod
    def power(self, x: Value, p: float) -> Value:
        """``x ** p``, giving ``inf`` where it overflows (Python's ``**`` raises there)."""

    @abc.abstractmethod
    def full(self, t: Step, value: float) -> Value:
        """The constant ``value`` at every step of ``t``, in the result's float dtype."""

    @abc.abstractmethod
    def cast(self, x: Value) -> Value:
        """``x`` in the result's float dtype."""

    @abc.abstractmethod
    def real(self, t: Step) -> Value:
        """The step ``t`` ready for arithmetic with floats (cast where the library needs it)."""

    @abc.abstractmethod
    def lookup(self, x: Step, thresholds: Sequence[Any], values: Sequence[Any], steps: bool = False) -> Value:
        """``values[k]``, ``k`` the number of ``thresholds`` that are ``<= x``.

        ``thresholds`` are sorted and already comparable with ``x`` (see :meth:`at`),
        ``values`` has one more item. The result has the result's float dtype, or
        with ``steps=True`` (values that are steps) ``x``'s own dtype.
        """

    @abc.abstractmethod
    def widened(self) -> Operations:
        """These operations for steps turned into floats of the result's dtype (:meth:`times`)."""

    # --- the operations on steps, written once ---------------------------------------

    def fits(self, n: Rational) -> bool:
        """Whether the step's integer dtype holds ``n``'s ceiling (always, for other steps)."""
        return self.int_max is None or whole_ceiling(n) <= self.int_max

    def at(self, n: Rational) -> Any:
        """The threshold ``n`` as a number that the step compares with exactly.

        ``t >= at(n)`` is ``t >= n``. ``n`` is an int, or a fraction
        (:class:`fractions.Fraction`) for a threshold between whole steps, which a
        fractional time (a stretched or a cycle's local time) can reach. Integer steps
        compare with ``n``'s ceiling; float array steps with ``n`` rounded up to their
        precision, so that no library narrows a large Python int (JAX refuses ints
        beyond int32); Python numbers, ints or floats, with a number that both compare
        with exactly.
        """
        if self.float_bits is not None:
            return round_up(n, self.float_bits)
        if isinstance(n, int):
            return n
        if self.int_max is None and n < 1 << 53:  # a Python float may lie between two whole steps
            return round_up(n, 53)  # <= ceil(n), which 53 bits hold: ints compare as with ceil(n)
        return whole_ceiling(n)  # past 2**53 a Python float is whole too

    def reached(self, t: Step, m: Rational) -> Value:
        """The mask ``t >= m``, exact; never true for an ``m`` beyond the step's dtype."""
        if not self.fits(m):
            return t < 0  # steps are never negative
        return t >= self.at(m)

    def _reachable(self, thresholds: Sequence[Rational]) -> list[Any]:
        """The thresholds a step can reach, converted for comparison with it."""
        kept = []
        for m in thresholds:
            if not self.fits(m):
                break
            kept.append(self.at(m))
        return kept

    def select(self, t: Step, thresholds: Sequence[Rational], values: Sequence[float]) -> Value:
        """``values[k]`` where ``k`` is the number of ``thresholds`` that are ``<= t``.

        ``thresholds`` are sorted ints (or fractions, see :meth:`at`) and ``values``
        has one more item; the comparisons are exact.
        """
        kept = self._reachable(thresholds)
        return self.lookup(t, kept, tuple(float(v) for v in values[: len(kept) + 1]))

    def count(self, t: Step, thresholds: Sequence[Rational]) -> Value:
        """How many of the sorted ``thresholds`` are ``<= t``, as a float."""
        kept = self._reachable(thresholds)
        return self.lookup(t, kept, tuple(float(k) for k in range(len(kept) + 1)))

    def select_step(self, t: Step, thresholds: Sequence[Rational], values: Sequence[int]) -> Step:
        """Like :meth:`select` for int ``values`` (steps): the result is a step, like ``t``."""
        kept = self._reachable(thresholds)
        return self.lookup(t, kept, tuple(self.at(v) for v in values[: len(kept) + 1]), steps=True)

    def piecewise(
        self, t: Step, boundaries: Sequence[int], pieces: Sequence[Callable[[Step], Value]]
    ) -> Value:
        """Piece ``i`` on ``[boundaries[i-1], boundaries[i])``, seeing its local time.

        ``pieces[0]`` sees ``t``; ``pieces[i]`` sees ``t - boundaries[i-1]``.
        ``boundaries`` are strictly increasing positive ints, one fewer than ``pieces``.
        """
        result = pieces[0](t)
        for b, piece in zip(boundaries, pieces[1:], strict=False):
            if not self.fits(b):
                break
            local = self.maximum(t - self.at(b), 0)  # never negative, even where not selected
            result = self.where(self.reached(t, b), piece(local), result)
        return result

    def elapsed(self, t: Step, total: int) -> Value:
        """``min(t, T) / T`` with ``T = total``: 1 exactly from ``t = T`` on."""
        if not self.fits(total):
            return self.cast(t) / float(total)  # the step cannot reach it
        return self.real(self.minimum(t, self.at(total))) / float(total)

    def remaining(self, t: Step, total: int) -> Value:
        """``(T - min(t, T)) / T``: the distance to the end, computed in the step's integers.

        So a curve measured from its end is exact there, also in float32.
        """
        if not self.fits(total):
            size = float(total)
            return (size - self.cast(t)) / size
        end = self.at(total)
        return self.real(end - self.minimum(t, end)) / float(total)

    def progress(self, t: Step, total: int) -> tuple[Value, Value]:
        """``(elapsed(t, T), remaining(t, T))``."""
        return self.elapsed(t, total), self.remaining(t, total)

    def floordiv(self, t: Step, n: int) -> Step:
        """``t // n`` (``0`` where ``n`` is beyond the step's dtype)."""
        return t // self.at(n) if self.fits(n) else t * 0

    def mod(self, t: Step, n: int) -> Step:
        """``t % n`` (``t`` where ``n`` is beyond the step's dtype)."""
        return t % self.at(n) if self.fits(n) else t

    def mulmod(self, x: Step, k: int, n: int) -> Step:
        """``(x * k) % n`` for steps ``0 <= x < n``, exactly, where ``x * k`` would overflow.

        With ``n * k`` beyond the step's dtype (int32 counts), the product is built
        bit by bit (Horner's rule, ``O(log k)`` operations), each term below ``2 n``,
        or, where ``2 n`` is beyond the dtype too, below ``n`` (a sum compares one term
        with ``n`` less the other before it is formed).
        """
        if not self.fits(n):  # an integer step below n: the product is formed in floats
            return (self.cast(x) * float(k)) % float(n)
        k %= n
        if self.fits(n * max(k, 1)):
            return self.mod(x * k, n)
        m = self.at(n)
        wide = self.fits(2 * n)

        def add(a: Step, b: Step) -> Step:  # (a + b) % n for 0 <= a, b < n, never wrapped
            if wide:
                total = a + b
                return self.where(total >= m, total - m, total)
            # a + b may pass the dtype's largest value: compare a with the gap n - b instead,
            # and clamp each side so that neither wraps around where it is not taken.
            gap = m - b
            return self.where(a >= gap, a - self.minimum(a, gap), self.minimum(a, gap - 1) + b)

        result = x * 0
        for bit in bin(k)[2:]:
            result = add(result, result)
            if bit == "1":
                result = add(result, x)
        return result

    def times(self, t: Step, k: int) -> tuple[Step, Operations]:
        """``t * k`` and the operations for it.

        Exact for Python ints; integer array steps are widened to floats of the
        result's dtype first (their product could wrap around), and the operations
        returned are those of float steps.
        """
        if self.int_max is None:
            return (t * k if self.float_bits is None else t * float(k)), self
        wide = self.widened()
        return self.cast(t) * float(k), wide
