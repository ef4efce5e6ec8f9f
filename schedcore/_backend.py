"""The operations a schedule needs, looked up from the step argument itself.

A schedule's ``_evaluate(t, ops)`` is written once against the small set of
operations below. :func:`namespace` picks the implementation from the type of
``t``: Python numbers use :mod:`math`; numpy, JAX and torch arrays use their own
library (found in ``sys.modules``: the array exists, so its library is loaded);
any other array that has ``__array_namespace__`` uses the array API standard.
This module imports no array library.

Exactness rules that every implementation follows:

* step functions compare the step with Python ints (``t >= m``), never through a
  float, and a threshold past the largest value of an integer step dtype is never
  reached (so ``int32`` counts work with any milestone);
* :meth:`ArrayOps.progress` returns ``min(t, T) / T`` and ``(T - min(t, T)) / T``,
  both distances computed in the step's own dtype first (exact for integer steps),
  so a curve measured from its end reaches its end value exactly at ``t = T``.
"""

from __future__ import annotations

import importlib
import math
import sys
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any

from schedcore import _checks

__all__ = ["ArrayOps", "Ops", "ScalarOps", "evaluate", "namespace"]

Array = Any
Piece = Callable[[Any], Any]
#: ``evaluator(schedule, steps, dtype, threads)``: a schedule's values at an array of steps.
Evaluator = Callable[[Any, Any, Any, "int | None"], Any]

MAX_SCALAR_STEP = 2**1023  # larger Python ints cannot be turned into a float


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


class ScalarOps:
    """Python ``int`` / ``float`` steps, evaluated with :mod:`math`."""

    is_scalar = True

    @staticmethod
    def reached(t: Any, m: int) -> Any:
        return t >= m

    @staticmethod
    def count(t: Any, thresholds: Sequence[int]) -> Any:
        return bisect_right(thresholds, t)

    @staticmethod
    def select(t: Any, thresholds: Sequence[int], values: Sequence[float]) -> Any:
        return values[bisect_right(thresholds, t)]

    select_int = select

    @staticmethod
    def piecewise(t: Any, boundaries: Sequence[int], pieces: Sequence[Piece]) -> Any:
        i = bisect_right(boundaries, t)
        return pieces[i](t - boundaries[i - 1] if i else t)

    @staticmethod
    def progress(t: Any, total: int) -> tuple[Any, Any]:
        elapsed = t if t < total else total
        return elapsed / total, (total - elapsed) / total

    @staticmethod
    def elapsed(t: Any, total: int) -> Any:
        return (t if t < total else total) / total

    @staticmethod
    def remaining(t: Any, total: int) -> Any:
        return (total - t if t < total else 0) / total

    @staticmethod
    def floordiv(t: Any, n: int) -> Any:
        return t // n

    @staticmethod
    def mod(t: Any, n: int) -> Any:
        return t % n

    @staticmethod
    def fits(n: int) -> bool:
        return True

    @staticmethod
    def times(t: Any, k: int) -> tuple[Any, ScalarOps]:
        return t * k, SCALAR

    @staticmethod
    def where(condition: Any, a: Any, b: Any) -> Any:
        return a if condition else b

    @staticmethod
    def full(t: Any, value: float) -> Any:
        return value

    @staticmethod
    def cast(x: Any) -> Any:
        return x

    @staticmethod
    def real(t: Any) -> Any:
        return t

    minimum = staticmethod(min)
    maximum = staticmethod(max)
    exp = staticmethod(_exp)
    expm1 = staticmethod(math.expm1)
    sin = staticmethod(math.sin)
    cos = staticmethod(math.cos)
    sqrt = staticmethod(math.sqrt)


class ArrayOps:
    """Arrays of a numpy-like library (numpy, ``jax.numpy``).

    Args:
        xp: The library's namespace module.
        dtype: Floating dtype of the result: the step's own if it is floating,
            else the library's default float.
        int_max: Largest value of an integer step dtype, ``None`` for float steps.
        convert: Cast steps of another dtype to ``dtype`` before any arithmetic
            (:meth:`real`), for a result dtype the caller asked for; otherwise the
            library's own promotion rules apply.
    """

    is_scalar = False

    def __init__(self, xp: Any, dtype: Any, int_max: int | None, *, convert: bool = False) -> None:
        self.xp = xp
        self.dtype = dtype
        self.int_max = int_max
        self.convert = convert

    def _fits(self, n: int) -> bool:
        return self.int_max is None or n <= self.int_max

    def reached(self, t: Array, m: int) -> Array:
        return t >= m if self._fits(m) else t != t

    def count(self, t: Array, thresholds: Sequence[int]) -> Array:
        total = self.full(t, 0.0)
        for m in thresholds:
            if not self._fits(m):
                break
            total = total + self.cast(t >= m)
        return total

    def select(self, t: Array, thresholds: Sequence[int], values: Sequence[float]) -> Array:
        result = self.full(t, values[0])
        for m, value in zip(thresholds, values[1:], strict=False):
            if not self._fits(m):
                break
            result = self.where(t >= m, value, result)
        return result

    def select_int(self, t: Array, thresholds: Sequence[int], values: Sequence[int]) -> Array:
        result = t * 0 + values[0]  # keeps an integer step dtype, so later arithmetic is exact
        for m, value in zip(thresholds, values[1:], strict=False):
            if not self._fits(m):
                break
            result = self.where(t >= m, value, result)
        return result

    def piecewise(self, t: Array, boundaries: Sequence[int], pieces: Sequence[Piece]) -> Array:
        result = pieces[0](t)
        for b, piece in zip(boundaries, pieces[1:], strict=False):
            if not self._fits(b):
                break
            local = self.maximum(t - b, 0)  # never negative, even where not selected
            result = self.where(t >= b, piece(local), result)
        return result

    def progress(self, t: Array, total: int) -> tuple[Array, Array]:
        size = float(total)  # JAX refuses Python ints beyond int32 next to any array
        if self._fits(total):
            elapsed = self.minimum(t, total)
            return self.real(elapsed) / size, self.real(total - elapsed) / size
        wide = self.cast(t)  # the step cannot reach ``total`` in its own dtype
        return wide / size, (size - wide) / size

    def elapsed(self, t: Array, total: int) -> Array:
        """``min(t, T) / T``, the first half of :meth:`progress`."""
        if self._fits(total):
            return self.real(self.minimum(t, total)) / float(total)
        return self.cast(t) / float(total)

    def remaining(self, t: Array, total: int) -> Array:
        """``(T - min(t, T)) / T``, the second half of :meth:`progress`."""
        size = float(total)
        if self._fits(total):
            return self.real(total - self.minimum(t, total)) / size
        return (size - self.cast(t)) / size

    def floordiv(self, t: Array, n: int) -> Array:
        return t // n if self._fits(n) else t * 0

    def mod(self, t: Array, n: int) -> Array:
        return t % n if self._fits(n) else t

    def fits(self, n: int) -> bool:
        """Whether ``n`` can be held by the step's integer dtype (always, for floats)."""
        return self._fits(n)

    def times(self, t: Array, k: int) -> tuple[Array, ArrayOps]:
        """``t * k`` and the operations for it: exact for 64-bit integer steps.

        Narrower integer steps (JAX's int32 counts) would wrap around: they are widened
        to floats, and the operations returned are those of float steps.
        """
        if self.int_max is None or self.int_max >= 2**62:
            return t * k, self
        return self.cast(t) * float(k), type(self)(self.xp, self.dtype, None, convert=self.convert)

    def where(self, condition: Array, a: Any, b: Any) -> Array:
        return self.xp.where(condition, a, b)

    def with_dtype(self, dtype: Any) -> ArrayOps:
        """These operations computing in ``dtype`` (a name or a dtype of the library).

        Raises:
            TypeError: ``dtype`` is not a real floating dtype of the library.
        """
        return type(self)(self.xp, self._floating(dtype), self.int_max, convert=True)

    def _floating(self, dtype: Any) -> Any:
        try:
            resolved = self.xp.dtype(dtype)
            floating = self.xp.issubdtype(resolved, self.xp.floating)
        except TypeError:
            floating = False
        if not floating:
            raise TypeError(_checks.must_be("dtype", "a real floating dtype", dtype))
        return resolved

    def full(self, t: Array, value: float) -> Array:
        return self.xp.full_like(t, value, dtype=self.dtype)

    def cast(self, x: Array) -> Array:
        return x.astype(self.dtype)

    def real(self, t: Array) -> Array:
        """``t`` ready for arithmetic with floats (numpy, JAX and torch promote by themselves)."""
        if self.convert and t.dtype != self.dtype:
            return self.cast(t)
        return t

    def minimum(self, x: Array, c: Any) -> Array:
        return self.xp.minimum(x, c)

    def maximum(self, x: Array, c: Any) -> Array:
        return self.xp.maximum(x, c)

    def exp(self, x: Array) -> Array:
        return self.xp.exp(x)

    def expm1(self, x: Array) -> Array:
        return self.xp.expm1(x)

    def sin(self, x: Array) -> Array:
        return self.xp.sin(x)

    def cos(self, x: Array) -> Array:
        return self.xp.cos(x)

    def sqrt(self, x: Array) -> Array:
        return self.xp.sqrt(x)


class NumpyOps(ArrayOps):
    """numpy arrays: like :class:`ArrayOps`, with ``searchsorted`` for step functions."""

    _INT64_MAX = 2**63 - 1

    def _index(self, t: Array, thresholds: Sequence[int]) -> Array:
        limit = min(self.int_max or self._INT64_MAX, self._INT64_MAX)
        reachable = thresholds[: bisect_right(thresholds, limit)]
        edges = self.xp.asarray(reachable, dtype=self.xp.int64)
        return self.xp.searchsorted(edges, t, side="right")

    def count(self, t: Array, thresholds: Sequence[int]) -> Array:
        return self.cast(self._index(t, thresholds))

    def select(self, t: Array, thresholds: Sequence[int], values: Sequence[float]) -> Array:
        return self.xp.asarray(values, dtype=self.dtype)[self._index(t, thresholds)]

    def select_int(self, t: Array, thresholds: Sequence[int], values: Sequence[int]) -> Array:
        return self.xp.asarray(values)[self._index(t, thresholds)]

    def cast(self, x: Array) -> Array:
        return self.xp.asarray(x).astype(self.dtype, copy=False)


class TorchOps(ArrayOps):
    """torch tensors, on any device."""

    def _floating(self, dtype: Any) -> Any:
        resolved = getattr(self.xp, dtype, None) if isinstance(dtype, str) else dtype
        if not (isinstance(resolved, self.xp.dtype) and resolved.is_floating_point):
            raise TypeError(_checks.must_be("dtype", "a real floating dtype", dtype))
        return resolved

    def full(self, t: Array, value: float) -> Array:
        return self.xp.full_like(t, value, dtype=self.dtype)

    def cast(self, x: Array) -> Array:
        return x.to(self.dtype)

    def minimum(self, x: Array, c: Any) -> Array:
        return self.xp.clamp(x, max=c)

    def maximum(self, x: Array, c: Any) -> Array:
        return self.xp.clamp(x, min=c)


class ArrayApiOps(ArrayOps):
    """Any array that implements the Python array API standard (2023.12)."""

    def _floating(self, dtype: Any) -> Any:
        resolved = getattr(self.xp, dtype, None) if isinstance(dtype, str) else dtype
        try:
            floating = resolved is not None and self.xp.isdtype(resolved, "real floating")
        except (TypeError, ValueError):
            floating = False
        if not floating:
            raise TypeError(_checks.must_be("dtype", "a real floating dtype", dtype))
        return resolved

    def where(self, condition: Array, a: Any, b: Any) -> Array:
        # The standard's ``where`` takes arrays only: numbers take the other side's dtype.
        arrays = [x for x in (a, b) if not isinstance(x, int | float)]
        like = arrays[0] if arrays else self.xp.astype(condition, self.dtype)

        def fill(x: Any) -> Array:
            return self.xp.full_like(like, x) if isinstance(x, int | float) else x

        return self.xp.where(condition, fill(a), fill(b))

    def cast(self, x: Array) -> Array:
        return self.xp.astype(x, self.dtype)

    def real(self, t: Array) -> Array:
        if self.int_max is None and not (self.convert and t.dtype != self.dtype):
            return t
        return self.cast(t)  # the standard keeps ints and floats apart

    def minimum(self, x: Array, c: Any) -> Array:
        return self.xp.clip(x, max=c)

    def maximum(self, x: Array, c: Any) -> Array:
        return self.xp.clip(x, min=c)


Ops = ScalarOps | ArrayOps
SCALAR = ScalarOps()


def _bad_steps(t: Array, np: Any) -> str:
    flat = np.asarray(t).reshape(-1)
    bad = np.flatnonzero(~((flat >= 0) & np.isfinite(flat)))
    index = int(bad[0])
    where = f" at index {index}" if flat.size > 1 else ""
    return f"steps must be finite and >= 0, got {flat[index].item()!r}{where}"


def _numpy_ops(t: Array) -> ArrayOps:
    np = sys.modules["numpy"]
    dtype = np.asarray(t).dtype
    if dtype.kind not in "iuf":
        raise TypeError(f"steps must be an array of ints or floats, got dtype {dtype}")
    if np.size(t):
        low = np.min(t)
        if dtype.kind == "f":
            if not (low >= 0 and np.max(t) < math.inf):
                raise ValueError(_bad_steps(t, np))
        elif low < 0:
            raise ValueError(_bad_steps(t, np))
    if dtype.kind == "f":
        return NumpyOps(np, dtype, None)
    return NumpyOps(np, np.dtype(np.float64), int(np.iinfo(dtype).max))


def _jax_ops(t: Array) -> ArrayOps:
    jnp = sys.modules.get("jax.numpy") or importlib.import_module("jax.numpy")
    dtype = t.dtype
    if jnp.issubdtype(dtype, jnp.floating):
        return ArrayOps(jnp, dtype, None)
    if not jnp.issubdtype(dtype, jnp.integer):
        raise TypeError(f"steps must be an array of ints or floats, got dtype {dtype}")
    return ArrayOps(jnp, jnp.result_type(float), int(jnp.iinfo(dtype).max))


def _torch_ops(t: Array) -> ArrayOps:
    torch = sys.modules["torch"]
    if t.is_floating_point():
        return TorchOps(torch, t.dtype, None)
    if t.is_complex() or t.dtype == torch.bool:
        raise TypeError(f"steps must be a tensor of ints or floats, got dtype {t.dtype}")
    return TorchOps(torch, torch.get_default_dtype(), int(torch.iinfo(t.dtype).max))


def _array_api_ops(t: Array) -> ArrayOps:
    xp = t.__array_namespace__()
    if xp.isdtype(t.dtype, "real floating"):
        return ArrayApiOps(xp, t.dtype, None)
    if not xp.isdtype(t.dtype, "integral"):
        raise TypeError(f"steps must be an array of ints or floats, got dtype {t.dtype}")
    default = xp.__array_namespace_info__().default_dtypes()["real floating"]
    return ArrayApiOps(xp, default, int(xp.iinfo(t.dtype).max))


_LIBRARIES: dict[str, Callable[[Array], Ops]] = {
    "numpy": _numpy_ops,
    "jax": _jax_ops,
    "jaxlib": _jax_ops,
    "torch": _torch_ops,
}
_BY_TYPE: dict[type, Callable[[Array], Ops]] = {}


def check_scalar(t: int | float) -> None:
    """Raise ``ValueError`` for a negative, NaN, infinite or too large Python step."""
    if not 0 <= t < MAX_SCALAR_STEP:
        raise ValueError(_checks.must_be("step", "a finite number >= 0", t))


def namespace(t: Any) -> Ops:
    """Return the operations for step ``t``, checking numpy steps on the way.

    Raises:
        TypeError: ``t`` is not a number or a supported array.
        ValueError: a Python or numpy step is negative, NaN or infinite.
    """
    kind = type(t)
    if kind is int or kind is float:
        check_scalar(t)
        return SCALAR
    factory = _BY_TYPE.get(kind)
    if factory is None:
        factory = _factory(t)
        _BY_TYPE[kind] = factory
    return factory(t)


def _factory(t: Any) -> Callable[[Array], Ops]:
    library = type(t).__module__.partition(".")[0]
    if library in _LIBRARIES:
        return _LIBRARIES[library]
    if isinstance(t, bool):
        raise TypeError(_checks.must_be("step", "an int, a float or an array", t))
    if isinstance(t, int | float):
        return _scalar_subclass
    if hasattr(t, "__array_namespace__"):
        return _array_api_ops
    raise TypeError(
        _checks.must_be(
            "step", "an int, a float or an array (numpy, JAX, torch, array API)", t, show_type=True
        )
    )


def _scalar_subclass(t: Any) -> Ops:
    check_scalar(t)
    return SCALAR


def evaluate(schedule: Any, t: Any, dtype: Any, threads: int | None) -> Any:
    """``schedule`` at ``t``, any step but a plain ``int`` or ``float`` without a dtype.

    Numpy arrays go to :mod:`schedcore._chunked`; everything else is evaluated in one
    piece with the operations of :func:`namespace`, in ``dtype`` when one is given.
    """
    kind = type(t)
    evaluator = _EVALUATORS.get(kind)
    if evaluator is None:
        evaluator = _evaluator(t)
        _EVALUATORS[kind] = evaluator
    return evaluator(schedule, t, dtype, threads)


def evaluate_whole(schedule: Any, t: Any, dtype: Any, threads: int | None) -> Any:
    """Evaluate ``schedule`` at all of ``t`` at once with :func:`namespace`'s operations."""
    ops = namespace(t)
    if isinstance(ops, ScalarOps):
        if dtype is not None:
            raise TypeError(
                "dtype applies to arrays of steps; a Python number step gives a Python float,"
                f" got dtype={dtype!r}"
            )
        return float(schedule._evaluate(t, ops))
    if dtype is None:
        return schedule._evaluate(t, ops)
    ops = ops.with_dtype(dtype)
    return ops.cast(schedule._evaluate(t, ops))


_EVALUATORS: dict[type, Evaluator] = {}


def _evaluator(t: Any) -> Evaluator:
    numpy = sys.modules.get("numpy")
    if numpy is not None and type(t) is numpy.ndarray:
        from schedcore import _chunked  # imported once numpy arrays are seen

        return _chunked.evaluate
    return evaluate_whole
