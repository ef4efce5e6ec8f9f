"""Numpy arrays of steps, evaluated in cache-sized chunks with in-place kernels.

Evaluating a schedule over a whole array at once makes a full-size temporary for
every operation of its formula and walks memory once per operation; evaluating it
chunk by chunk with the same code makes a fresh temporary per operation and chunk,
which the C allocator maps and unmaps each time. Here the steps are cut into chunks
of :data:`CHUNK` steps and each chunk is computed in place (``out=``) into the
result and a few scratch buffers that are reused from chunk to chunk and stay in
the core's cache.

Each chunk is evaluated with the schedule *restricted* to the steps it holds
(:meth:`Schedule._restrict`): between two milestones a multistep is a constant,
past its end a decay is its end value, a join is the one piece the chunk falls in,
and a product folds its constant factors into its scale. On sorted steps (the usual
``arange``) nearly every chunk falls in a single region, the restriction and its
kernel are built once per region, and a constant region is a plain fill. The
minimum and maximum that locate a chunk also check its steps, so the steps are read
once from memory.

A kernel repeats, operation for operation, the ``_evaluate`` of its schedule class
(so the values are the same as those of the whole-array evaluation; only a product
whose constant factors were folded rounds in another order, a few units in the last
place). A schedule class without a kernel here (or an unsorted chunk that straddles
one of its breakpoints) is evaluated on the chunk by its own ``_evaluate``. Large
arrays are shared among threads, chunk by chunk in turn: numpy releases the GIL in
its loops, and every thread writes its own chunks of the result with its own buffers.

This module is imported once numpy arrays are seen; it never imports numpy itself.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from typing import Any

from schedcore import _backend, combinators, schedules
from schedcore._base import Schedule

__all__ = ["CHUNK", "MAX_THREADS", "PER_THREAD", "evaluate"]

#: Steps per chunk: the chunk of steps, its result and a scratch buffer (512 KiB each
#: in float64) stay in a core's L2 and L3 caches, and the few Python calls per chunk
#: (each a round trip of the GIL when threads share the work) stay under 5% of it.
CHUNK = 1 << 16
#: Steps per extra thread: below a million steps a thread costs more than it saves.
PER_THREAD = 1 << 20
#: Threads at most, whatever the number of CPUs: memory bandwidth runs out first.
MAX_THREADS = 8
#: A sorted chunk across breakpoints is evaluated region by region from this many
#: steps on; a shorter one costs less evaluated whole by the schedule's ``_evaluate``.
_SPLIT = 4096

_INT_MAX: dict[Any, int] = {}  # the largest value of each integer step dtype seen

#: ``kernel(steps, lo, hi, out)`` writes the values at ``steps`` (whose smallest and
#: largest values are ``lo`` and ``hi``) into ``out``, an array of the same length.
Kernel = Callable[[Any, float, float, Any], None]


def evaluate(schedule: Schedule, t: Any, dtype: Any, threads: int | None) -> Any:
    """``schedule`` at the numpy array of steps ``t``, as a new array of ``t``'s shape.

    Raises:
        TypeError: ``t`` does not hold ints or floats, or ``dtype`` is not a floating dtype.
        ValueError: a step is negative, NaN or infinite.
    """
    np = sys.modules["numpy"]
    steps = t.dtype
    kind = steps.kind
    if kind not in "iuf":
        raise TypeError(f"steps must be an array of ints or floats, got dtype {steps}")
    natural = np.dtype(steps.char if kind == "f" else "d")  # in native byte order
    result = natural if dtype is None else _backend.NumpyOps(np, natural, None).with_dtype(dtype).dtype
    if result.char not in "fd" or (kind == "f" and steps.char not in "fd"):
        return _backend.evaluate_whole(schedule, t, dtype, threads)  # float16, longdouble
    int_max = None if kind == "f" else _INT_MAX.get(steps) or _int_max(np, steps)
    ops = _backend.NumpyOps(np, result, int_max, convert=result != natural)
    flat = t.reshape(-1)
    out = np.empty(flat.shape, dtype=result)
    size = flat.size
    workers = _workers(size, threads)
    if workers == 1:
        _fill(schedule, flat, out, ops, 0, 1)
    else:
        _fill_in_threads(schedule, flat, out, ops, workers)
    return out.reshape(t.shape)


def _int_max(np: Any, steps: Any) -> int:
    largest = _INT_MAX[steps] = int(np.iinfo(steps).max)
    return largest


def _workers(size: int, threads: int | None) -> int:
    if threads is not None:
        return max(1, min(threads, -(-size // CHUNK)))
    if size < 2 * PER_THREAD:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_THREADS, size // PER_THREAD))


def _fill(schedule: Schedule, flat: Any, out: Any, ops: _backend.NumpyOps, worker: int, workers: int) -> None:
    """Write the values of chunks ``worker``, ``worker + workers``, ... into ``out``.

    Interleaved chunks share the work evenly among threads even where one part of the
    schedule costs more than another (a square root before the end of a decay, a
    fill after it); each thread still sees ascending steps on sorted arrays.
    """
    np = ops.xp
    end = flat.size
    compiler = _Compiler(ops, flat.dtype, min(CHUNK, end))
    kernel: Kernel | None = None
    memo = getattr(schedule, "_memo", None)  # the region the last call ended in
    part, start, stop = memo if memo is not None else (schedule, 0.0, -1.0)
    for first in range(worker * CHUNK, end, workers * CHUNK):
        last = min(first + CHUNK, end)
        steps = flat[first:last]
        lo, hi = steps.min().item(), steps.max().item()
        if not (lo >= 0 and hi < math.inf):  # also catches NaN, which min and max return
            raise ValueError(_backend._bad_steps(flat, np))
        if not (start <= lo and hi < stop):
            part, start, stop = schedule._restrict(lo, hi)
            kernel = None
            if start == stop and last - first >= _SPLIT and _ascending(np, steps):
                # A sorted chunk across a breakpoint: one kernel per region it meets.
                part, start, stop = _by_region(schedule, steps, out[first:last], compiler)
                continue
        if kernel is None:
            kernel = compiler.compile(part)
        kernel(steps, lo, hi, out[first:last])
    if start < stop:
        object.__setattr__(schedule, "_memo", (part, start, stop))


def _ascending(np: Any, steps: Any) -> bool:
    return bool(np.all(steps[:-1] <= steps[1:]))


def _by_region(
    schedule: Schedule, steps: Any, out: Any, compiler: _Compiler
) -> tuple[Schedule, float, float]:
    """Evaluate ascending ``steps`` region by region; return the last region's restriction."""
    np, size, i = compiler.np, len(steps), 0
    while True:
        lo = steps[i].item()
        part, start, stop = schedule._restrict(lo, lo)
        if start == stop:  # no region to speak of: the schedule's own _evaluate on the rest
            compiler.generic(schedule)(steps[i:], lo, steps[-1].item(), out[i:])
            return part, start, stop
        j = size if stop > steps[-1].item() else i + int(np.searchsorted(steps[i:], stop, side="left"))
        compiler.compile(part)(steps[i:j], lo, steps[j - 1].item(), out[i:j])
        if j == size:
            return part, start, stop
        i = j


def _fill_in_threads(schedule: Schedule, flat: Any, out: Any, ops: _backend.NumpyOps, workers: int) -> None:
    """:func:`_fill` in ``workers`` threads, the calling one included."""
    import threading  # only large arrays need it

    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            _fill(schedule, flat, out, ops, worker, workers)
        except BaseException as error:  # re-raised by the calling thread below
            errors.append(error)

    helpers = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(1, workers)]
    for helper in helpers:
        helper.start()
    work(0)
    for helper in helpers:
        helper.join()
    if errors:
        raise errors[0]


class _Compiler:
    """Builds the kernel of a (restricted) schedule, with scratch buffers it reuses.

    Only one kernel is in use at a time, so each :meth:`compile` hands out the same
    buffers again; they are allocated once, at the chunk size, per thread.
    """

    def __init__(self, ops: _backend.NumpyOps, steps: Any, size: int) -> None:
        self.np = ops.xp
        self.ops = ops
        self.dtype = ops.dtype
        self.steps = steps
        self.size = size
        self.int_max = ops.int_max
        # ``x / c`` and ``x * c`` directly from the steps: when the whole-array
        # evaluation does the same (same dtype, or ints promoted to float64 by numpy).
        self.direct = steps == self.dtype or (steps.kind in "iu" and self.dtype.char == "d")
        self._pools: dict[Any, list[Any]] = {}
        self._taken: dict[Any, int] = {}

    def compile(self, schedule: Schedule) -> Kernel:
        self._taken = {}
        return self.kernel(schedule)

    def kernel(self, schedule: Schedule) -> Kernel:
        build = _BUILDERS.get(type(schedule))
        return build(self, schedule) if build is not None else self.generic(schedule)

    def buffer(self, dtype: Any) -> Any:
        """A scratch array of ``dtype`` no other part of the current kernel uses."""
        pool = self._pools.setdefault(dtype, [])
        taken = self._taken.get(dtype, 0)
        if taken == len(pool):
            pool.append(self.np.empty(self.size, dtype=dtype))
        self._taken[dtype] = taken + 1
        return pool[taken]

    def generic(self, schedule: Schedule) -> Kernel:
        ops = self.ops

        def run(steps: Any, lo: float, hi: float, out: Any) -> None:
            out[...] = schedule._evaluate(steps, ops)

        return run

    # --- the operations of ``_backend.ArrayOps``, in place -----------------------

    def real_times(self, steps: Any, factor: float, out: Any) -> None:
        """``out = real(steps) * factor``."""
        if self.direct:
            self.np.multiply(steps, factor, out=out)
        else:
            self.np.copyto(out, steps, casting="unsafe")
            self.np.multiply(out, factor, out=out)

    def fraction(self, x: Any, total: int, out: Any) -> None:
        """``out = real(x) / float(total)``."""
        if self.direct:
            self.np.divide(x, float(total), out=out)
        else:
            self.np.copyto(out, x, casting="unsafe")
            self.np.divide(out, float(total), out=out)

    def fits(self, total: int) -> bool:
        return self.int_max is None or total <= self.int_max

    def elapsed(self, steps: Any, hi: float, total: int, scratch: Any, out: Any) -> None:
        """``out = min(t, T) / T``, as :meth:`ArrayOps.elapsed`."""
        if not self.fits(total):
            self.np.copyto(out, steps, casting="unsafe")
            self.np.divide(out, float(total), out=out)
            return
        if hi >= total:
            steps = self.np.minimum(steps, total, out=scratch)
        self.fraction(steps, total, out)

    def remaining(self, steps: Any, hi: float, total: int, scratch: Any, out: Any) -> None:
        """``out = (T - min(t, T)) / T``, as :meth:`ArrayOps.remaining`."""
        np = self.np
        if not self.fits(total):
            size = float(total)
            np.copyto(out, steps, casting="unsafe")
            np.subtract(size, out, out=out)
            np.divide(out, size, out=out)
            return
        if hi >= total:
            steps = np.minimum(steps, total, out=scratch)
        np.subtract(total, steps, out=scratch)
        self.fraction(scratch, total, out)

    def power(self, out: Any, power: float) -> None:
        """``out = out ** power``, as ``schedules._power``."""
        if power == 1.0:
            return
        if power == 0.5:
            self.np.sqrt(out, out=out)
        elif power == 2.0:
            self.np.multiply(out, out, out=out)
        elif 0.0 < power < schedules._TINY_POWER:
            self.np.greater(out, 0.0, out=out)
        else:
            self.np.power(out, power, out=out)

    def toward(self, out: Any, end: float) -> None:
        """``out = end + (1 - end) * out``, as ``schedules._toward``."""
        if end != 0.0:
            self.np.multiply(out, 1.0 - end, out=out)
            self.np.add(out, end, out=out)


# --- one kernel builder per schedule class; each mirrors that class's _evaluate ---


def _constant(c: _Compiler, s: schedules.Constant) -> Kernel:
    value = s.value

    def run(steps: Any, lo: float, hi: float, out: Any) -> None:
        out.fill(value)

    return run


def _line(c: _Compiler, start: float, end: float, total: int) -> Kernel:
    np, scratch = c.np, c.buffer(c.steps)
    falling = abs(end) < abs(start)

    def run(steps: Any, lo: float, hi: float, out: Any) -> None:
        mine = scratch[: len(steps)]
        if falling:
            c.remaining(steps, hi, total, mine, out)
            np.multiply(out, start - end, out=out)
            np.add(out, end, out=out)
            return
        c.elapsed(steps, hi, total, mine, out)
        if start != 0.0:
            np.multiply(out, end - start, out=out)
            np.add(out, start, out=out)
        elif end != 1.0:
            np.multiply(out, end, out=out)
        if hi >= total and c.fits(total):
            np.copyto(out, end, where=np.greater_equal(steps, total, out=mine.view(bool)[: len(steps)]))

    return run


def _linear(c: _Compiler, s: schedules.Linear) -> Kernel:
    return _line(c, s.start, s.end, s.steps)


def _warmup(c: _Compiler, s: schedules.Warmup) -> Kernel:
    return _line(c, s.start, 1.0, s.steps)


def _polynomial(c: _Compiler, s: schedules.Polynomial) -> Kernel:
    scratch = c.buffer(c.steps)

    def run(steps: Any, lo: float, hi: float, out: Any) -> None:
        c.remaining(steps, hi, s.steps, scratch[: len(steps)], out)
        c.power(out, s.power)
        c.toward(out, s.end)

    return run


def _cosine(c: _Compiler, s: schedules.Cosine) -> Kernel:
    np, scratch = c.np, c.buffer(c.steps)

    def run(steps: Any, lo: float, hi: float, out: Any) -> None:
        c.remaining(steps, hi, s.steps, scratch[: len(steps)], out)
        np.multiply(out, schedules._HALF_PI, out=out)
        np.sin(out, out=out)
        np.multiply(out, out, out=out)
        c.power(out, s.power)
        c.toward(out, s.end)

    return run


def _exponential(c: _Compiler, s: schedules.Exponential) -> Kernel:
    def run(steps: Any, lo: float, hi: float, out: Any) -> None:
        c.real_times(steps, s._log_rate, out)
        c.np.exp(out, out=out)

    return run


def _inverse_sqrt(c: _Compiler, s: schedules.InverseSqrt) -> Kernel:
    np, rate = c.np, 1.0 / s.steps

    def run(steps: Any, lo: float, hi: float, out: Any) -> None:
        c.real_times(steps, rate, out)
        np.add(out, 1.0, out=out)
        np.sqrt(out, out=out)
        np.divide(1.0, out, out=out)

    return run


def _exponential_warmup(c: _Compiler, s: schedules.ExponentialWarmup) -> Kernel:
    np, rate, gap = c.np, -1.0 / s.steps, 1.0 - s.start

    def run(steps: Any, lo: float, hi: float, out: Any) -> None:
        c.real_times(steps, rate, out)
        np.expm1(out, out=out)
        np.multiply(out, gap, out=out)
        np.subtract(s.start, out, out=out)

    return run


def _product(c: _Compiler, s: combinators.Product) -> Kernel:
    return _fold(c, c.np.multiply, s.factors, s.scale, 1.0)


def _sum(c: _Compiler, s: combinators.Sum) -> Kernel:
    return _fold(c, c.np.add, s.terms, s.offset, 0.0)


def _fold(c: _Compiler, ufunc: Any, parts: Any, constant: float, neutral: float) -> Kernel:
    """Combine the parts' kernels with ``ufunc`` in place, then apply the constant."""
    first = c.kernel(parts[0])
    rest = [(c.kernel(part), c.buffer(c.dtype)) for part in parts[1:]]

    def run(steps: Any, lo: float, hi: float, out: Any) -> None:
        first(steps, lo, hi, out)
        for kernel, scratch in rest:
            value = scratch[: len(steps)]
            kernel(steps, lo, hi, value)
            ufunc(out, value, out=out)
        if constant != neutral:
            ufunc(out, constant, out=out)

    return run


def _shifted(c: _Compiler, s: schedules._Shifted) -> Kernel:
    np, offset = c.np, s.offset
    inner, scratch = c.kernel(s.schedule), c.buffer(c.steps)
    # ``t mod period`` is exact: so is ``t - offset`` of a float32 step, in float64.
    wide = "float64" if s.exact and c.steps.kind == "f" else None

    def run(steps: Any, lo: float, hi: float, out: Any) -> None:
        local = np.subtract(steps, offset, out=scratch[: len(steps)], dtype=wide)
        inner(local, lo - offset, hi - offset, out)

    return run


def _held(c: _Compiler, s: schedules._Held) -> Kernel:
    np, ops = c.np, c.ops
    values: list[Any] = []  # the value, computed once, from the first chunk's dtype

    def run(steps: Any, lo: float, hi: float, out: Any) -> None:
        if not values:
            values.append(s.schedule._evaluate(steps[:1] * 0 + s.at, ops))
        np.copyto(out, values[0], casting="unsafe")

    return run


def _clip(c: _Compiler, s: combinators.Clip) -> Kernel:
    np, low, high = c.np, s.low, s.high
    inner = c.kernel(s.schedule)

    def run(steps: Any, lo: float, hi: float, out: Any) -> None:
        inner(steps, lo, hi, out)
        if low is not None:
            np.maximum(out, low, out=out)
        if high is not None:
            np.minimum(out, high, out=out)

    return run


_BUILDERS: dict[type, Callable[[_Compiler, Any], Kernel]] = {
    schedules.Constant: _constant,
    schedules.Linear: _linear,
    schedules.Warmup: _warmup,
    schedules.Polynomial: _polynomial,
    schedules.Cosine: _cosine,
    schedules.Exponential: _exponential,
    schedules.InverseSqrt: _inverse_sqrt,
    schedules.ExponentialWarmup: _exponential_warmup,
    schedules._Shifted: _shifted,
    schedules._Held: _held,
    combinators.Product: _product,
    combinators.Sum: _sum,
    combinators.Clip: _clip,
}
