"""Numpy arrays of steps, evaluated in cache-sized chunks by programs derived from the formula.

Evaluating a formula over a whole array at once makes a full-size temporary for every
operation and walks memory once per operation. Here the steps are cut into chunks of
:data:`CHUNK` steps, and each chunk is computed by a *program*: one generated function
of in-place ufunc calls (``out=``) into the result and a few scratch buffers that are
reused from chunk to chunk and stay in the core's cache.

The programs come from the schedule's formula itself. It is recorded once per step
dtype as an expression graph (:func:`schedcore._graph.record`, with numpy probes that
give every operation the dtype numpy gives it), and each chunk's range of steps
*specializes* the graph (:func:`schedcore._graph.specialize`): the comparisons, clamps,
lookups and divisions that the range settles are replaced by their outcomes and the
constants they leave are folded (a multistep between two milestones is a constant, a
decay past its end its end value, a join the one piece the chunk is in, a step decay
within one drop a fill). On sorted steps (the usual ``arange``) nearly every chunk
falls in the region of the previous one, whose program is reused; programs are cached
by their structure, so a new region with the same operations only brings new
constants. A chunk across a threshold keeps the operation, computed at every step, as
the whole-array evaluation computes it.

A cycle whose period is shorter than a chunk is settled by no chunk's range, and one of a
few chunks is a new region every period. Its part that depends on the step only through
the remainder ``t mod P`` is computed once per remainder, into a table that the programs
read (:func:`_tabulated`).

Every program performs the operations of the whole-array evaluation
(:func:`schedcore._backend.evaluate_whole`) in the same order on the same dtypes, so
the values are the same, bit for bit. Large arrays are shared among threads, chunk by
chunk in turn: numpy releases the GIL in its loops, and every thread writes its own
chunks of the result with its own buffers.

This module is imported once numpy arrays or scalars are seen; it never imports numpy itself.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import linecache
import math
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from schedcore import _backend
from schedcore._graph import (
    BINARY,
    COMPARISONS,
    Cut,
    Graph,
    Node,
    _float_bits,
    _iinfo,
    _integer,
    nodes_of,
    record,
    specialize,
)

__all__ = ["CHUNK", "MAX_THREADS", "PER_THREAD", "evaluate"]

#: Steps per chunk: the chunk of steps, its result and a scratch buffer (512 KiB each
#: in float64) stay in a core's L2 and L3 caches, and the few Python calls per chunk
#: (each a round trip of the GIL when threads share the work) stay under 5% of it.
CHUNK = 1 << 16
#: Steps per chunk when threads share an array, as a multiple of :data:`CHUNK`: each ufunc
#: call hands the GIL to another thread and back, and larger chunks make fewer calls,
#: which gains more than the cache they miss (on two threads, 3M to 10M steps took 7-18%
#: less time in chunks twice as large; on one thread, 2-4% more).
THREAD_CHUNKS = 2
#: Steps per extra thread: below a million steps a thread costs more than it saves.
PER_THREAD = 1 << 20
#: Threads at most, whatever the number of CPUs: memory bandwidth runs out first.
MAX_THREADS = 8
#: Steps a thread takes at a time, at most, in whole chunks: 8 MiB of float64 results.
_BLOCK = 1 << 20
#: A chunk across the edge of a region at least :data:`_PIECE` steps wide is split there,
#: on sorted steps, into at most this many pieces per :data:`CHUNK` steps; past that it is
#: computed whole.
_PIECES = 8
_PIECE = 1 << 9
#: Chunks of one call that may look in vain for a wide region at their end
#: (:meth:`Plan.trailing`), at the cost of a specialization each: then none does.
_TAIL_TRIES = 2
#: Decided regions a plan remembers (it starts afresh past that).
_REGIONS = 4096
#: Undecided regions a plan remembers, the ranges of chunks that a later call may meet again.
_OPEN = 256

#: ``program(steps, out, constants, buffers)`` writes the values at ``steps`` into ``out``.
Program = Callable[[Any, Any, tuple[Any, ...], list[Any]], None]

_UFUNCS = {
    "add": "add",
    "sub": "subtract",
    "mul": "multiply",
    "truediv": "true_divide",
    "floordiv": "floor_divide",
    "quotient": "floor_divide",
    "mod": "remainder",
    "ge": "greater_equal",
    "gt": "greater",
    "le": "less_equal",
    "lt": "less",
    "minimum": "minimum",
    "maximum": "maximum",
    "neg": "negative",
    "exp": "exp",
    "expm1": "expm1",
    "log": "log",
    "log1p": "log1p",
    "sin": "sin",
    "cos": "cos",
    "tanh": "tanh",
    "sqrt": "sqrt",
    "floor": "floor",
}
#: The operations whose float result comes from operands of that float dtype (a cast operand
#: gives the same values).
_ARITHMETIC = ("add", "sub", "mul", "truediv", "minimum", "maximum")
#: Exponents for which numpy's ``**`` calls another ufunc than ``power`` (square, sqrt, ...).
_FAST_POWERS = (-1.0, 0.0, 0.5, 1.0, 2.0)
#: The operations that turn a value into another dtype, written as one unsafe copy.
_CASTS = ("cast", "real", "cast_to")
_SERIAL = itertools.count(1)
#: How long an operation's arithmetic takes, in ranks (others: 0). The result is first
#: written by the costliest operation of the chain that leads to it (:meth:`_Writer.spine`).
_COST = {
    "truediv": 1,
    **{op: 2 for op in ("exp", "expm1", "log", "log1p", "sin", "cos", "tanh", "sqrt", "pow", "power")},
}


def evaluate(schedule: Any, t: Any, dtype: Any, threads: int | None) -> Any:
    """``schedule`` at the numpy array of steps ``t``, as a new array of ``t``'s shape.

    Raises:
        TypeError: ``t`` does not hold ints or floats of 32 bits or more, or ``dtype``
            is not a floating dtype.
        ValueError: a step is negative, NaN or infinite.
    """
    np = sys.modules["numpy"]
    try:
        plan = schedule._compiled_cache().get((t.dtype, dtype))
    except TypeError:  # an unhashable dtype argument, refused by _plan
        plan = None
    if plan is None:
        plan = _plan(schedule, np, t.dtype, dtype)
        if plan is None:
            return _backend.evaluate_whole(schedule, t, dtype, threads)  # longdouble
    if t.ndim == 1:
        return _evaluate_flat(plan, t, threads)
    # An array in Fortran order (a transposed one) is read, and its result written, in its
    # own memory order, as numpy's ufuncs do: no copy of the steps, and a result of that order.
    if not (t.flags.f_contiguous and not t.flags.c_contiguous):
        return _evaluate_flat(plan, t.reshape(-1), threads).reshape(t.shape)
    try:
        out = _evaluate_flat(plan, t.reshape(-1, order="F"), threads)
    except ValueError:  # a bad step: named by its index in the array's C order, as for any array
        raise ValueError(_backend._bad_steps(t, np)) from None
    return out.reshape(t.shape, order="F")


def _evaluate_flat(plan: Plan, flat: Any, threads: int | None) -> Any:
    """The plan's values at the one-dimensional array of steps ``flat``, as a new array."""
    np = sys.modules["numpy"]
    out = np.empty(flat.shape, dtype=plan.result)
    size = flat.size
    if 0 < size <= CHUNK:  # one chunk: first try the region of the last one, at less cost
        last = plan.last
        with np.errstate(all="ignore"):
            if _holds(plan, last, flat):
                scratch = _Scratch(size)
                try:
                    _run(last, flat, out, scratch)
                finally:
                    scratch.close()
                return out
    workers = _workers(size, threads)
    if workers == 1:
        _fill(plan, flat, out, range(0, size, CHUNK), CHUNK)
    else:
        _fill_in_threads(plan, flat, out, workers)
    return out


def evaluate_scalar(schedule: Any, t: Any, dtype: Any, threads: int | None) -> Any:
    """``schedule`` at the numpy scalar step ``t`` (``np.int64(7)``), as a numpy scalar.

    An integer or float64 step without a ``dtype`` is the Python number it holds: its
    value is the Python-number one, as an ``np.float64``, at the cost of a Python call
    (``for t in np.arange(n): s(t)`` is a common loop). Any other step (float32, or a
    ``dtype``) gives what a one-element array of it gives, in that array's dtype; so do
    bad steps, with that array's error.
    """
    np = sys.modules["numpy"]
    if dtype is None and (t.dtype.kind in "iu" or t.dtype.char == "d"):  # "d": float64
        number = t.item()
        if 0 <= number < _backend.MAX_SCALAR_STEP:
            return np.float64(schedule._scalar_function()(number))
    return evaluate(schedule, np.asarray(t), dtype, threads)[()]


def _plan(schedule: Any, np: Any, steps: Any, dtype: Any) -> Plan | None:
    """The schedule's plan for these steps and this ``dtype`` argument, made on first use.

    Plans are cached by the step dtype and the result dtype, and found again by the
    ``dtype`` argument as given. ``None`` for steps or results a program cannot take.
    """
    _backend.check_numpy_dtype(steps)
    kind = steps.kind
    natural = np.dtype(steps.char if kind == "f" else "d")  # in native byte order
    ops = _backend.numpy_step_ops(np, steps)
    result = natural if dtype is None else ops.with_dtype(dtype).dtype
    if result.char not in "fd" or steps.char not in "fdilqpbhILQPBH":
        return None
    cache = schedule._compiled_cache()
    plan: Plan | None = cache.get((steps, result))
    if plan is None:
        ops = _backend.NumpyOps(np, result, ops.int_max, ops.float_bits, convert=result != natural)
        with np.errstate(all="ignore"):
            graph = record(schedule.formula, ops, np.zeros(1, dtype=steps))
            graph = _short_quotients_run(_tabulated(np, graph))
        plan = cache[(steps, result)] = Plan(np, graph, result)
    with contextlib.suppress(TypeError):  # an unhashable dtype argument: found by the result only
        cache[(steps, dtype)] = plan
    return plan


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


#: A region of steps and what holds there: its lower and upper cuts, its program and constants.
Region = tuple[Cut, Cut, "_Compiled", tuple[Any, ...]]
_NOWHERE: Region = ((math.inf, 0), (-math.inf, 0), None, ())  # type: ignore[assignment]


class Plan:
    """A formula recorded for one step dtype and result dtype, with its programs.

    ``programs`` maps a specialization's structure to its compiled program; ``known``
    holds the decided regions met so far, sorted by their lower cuts (replaced whole,
    so that threads read it without a lock); ``open`` holds the undecided regions met
    lately, by their steps ``lo .. hi``; ``last`` is the region of the last chunk;
    ``unsigned`` is what :func:`_unsigned` says of the steps (found once: it costs a few
    microseconds, a tenth of a call on a thousand steps).
    """

    def __init__(
        self, np: Any, graph: Graph, result: Any, programs: dict[tuple[Any, ...], _Compiled] | None = None
    ) -> None:
        self.np = np
        self.result = result
        self.graph = graph
        self.programs: dict[tuple[Any, ...], _Compiled] = {} if programs is None else programs
        self.unsigned = _unsigned(np, graph.step.probe.dtype)
        self.known: tuple[list[Cut], list[Region]] = ([], [])
        self.open: dict[tuple[Any, Any], Region] = {}
        self.adding = threading.Lock()
        self.last: Region = _NOWHERE

    def region(self, lo: Any, hi: Any) -> tuple[Region, bool]:
        """The region of the steps ``lo .. hi``, and whether it is decided.

        A decided region holds one program on every step in it; an undecided one is
        ``lo .. hi`` itself, with a program that keeps the operations the range leaves open.
        """
        known = self.known_at(lo)
        if known is not None and (hi, 0.5) < known[1]:
            return known, True
        met = self.open.get((lo, hi))
        if met is not None:
            return met, False
        np = self.np
        with np.errstate(all="ignore"):
            spec = specialize(self.graph, (lo, 0), (hi, 1))
            lower, upper = (spec.lower, spec.upper) if spec.decided else ((lo, 0), (hi, 1))
            root, upper = _lift(np, spec.root, hi, upper)
            root, upper = _bias(np, root, hi, upper)
            key, constants, order = _structure(root)
            compiled = self.programs.get(key)
            if compiled is None:
                compiled = self.programs[key] = _Compiled(np, root, order, self.result)
        region = (lower, upper, compiled, constants)
        if spec.decided:
            self.remember(region)
        else:
            if len(self.open) >= _OPEN:
                self.open = {}
            self.open[(lo, hi)] = region
        return region, spec.decided

    def known_at(self, step: Any) -> Region | None:
        """The decided region met before that holds ``step``, if any."""
        lowers, regions = self.known
        i = bisect.bisect_right(lowers, (step, 0.5)) - 1
        return regions[i] if i >= 0 and (step, 0.5) < regions[i][1] else None

    def decided_at(self, step: Any) -> Region | None:
        """The decided region that holds ``step``, if one does (specialized once)."""
        region, decided = self.region(step, step)
        return region if decided else None

    def remember(self, region: Region) -> None:
        with self.adding:
            lowers, regions = self.known
            if len(regions) >= _REGIONS:
                lowers, regions = [], []
            i = bisect.bisect_right(lowers, region[0])
            self.known = ([*lowers[:i], region[0], *lowers[i:]], [*regions[:i], region, *regions[i:]])

    def leading(self, steps: Any, region: Region) -> int:
        """How many first steps lie in ``region``, which holds the least, if they are sorted.

        ``0`` when the steps are not sorted up to its edge, or when the region is narrower
        than :data:`_PIECE` steps: then the chunk likely crosses many, and is computed whole.
        """
        (start, _), (value, side) = region[0], region[1]
        if not (value - start >= _PIECE and value <= steps[-1].item()):
            return 0
        n = self.below(steps, (value, side))
        if not n or not (self.np.maximum.reduce(steps[:n]).item(), 0.5) < region[1]:
            return 0
        return n

    def trailing(self, steps: Any, region: Region) -> int:
        """How many first steps lie before ``region``, which holds the greatest and the rest.

        ``0`` unless at least :data:`_PIECE` last steps lie in it and none after the first
        of them lies below it: a chunk of sorted steps that meets a wide region after narrow
        ones (the end of a schedule shorter than the steps) runs that region's program there.
        """
        lower = region[0]
        if not math.isfinite(lower[0]):
            return 0
        n = self.below(steps, lower)
        if not (0 < n <= steps.shape[0] - _PIECE and (self.np.minimum.reduce(steps[n:]).item(), 0.5) > lower):
            return 0
        return n

    def below(self, steps: Any, cut: Cut) -> int:
        """How many steps lie below ``cut``, if they are sorted."""
        value, side = cut
        if steps.dtype.kind == "f":
            edge: Any = float(value)
        else:  # whole steps: t < v is t < ceil(v), and t <= v is t <= floor(v)
            edge = math.floor(value) if side else math.ceil(value)
        return int(self.np.searchsorted(steps, edge, side="right" if side else "left"))


def _fill(plan: Plan, flat: Any, out: Any, chunks: Iterable[int], chunk: int) -> None:
    """Write the values of the chunks of ``chunk`` steps that start at ``chunks`` into ``out``.

    Threads share the chunks as :func:`_block_starts` says. A chunk of sorted steps
    across the edge of a decided region is split at the edge, so that each piece runs
    its region's program rather than one that decides at every step; where the regions
    from its first step are narrow, the chunk is split before a wide one at its end.
    """
    np = plan.np
    least, most = np.minimum.reduce, np.maximum.reduce
    end = flat.size
    size = min(chunk, end)
    most_pieces = _PIECES * max(1, chunk // CHUNK)
    lower, upper, compiled, constants = plan.last
    tail_tries = _TAIL_TRIES
    scratch = _Scratch(size)
    try:
        with np.errstate(all="ignore"):
            for first in chunks:
                last = min(first + chunk, end)
                steps, into = flat[first:last], out[first:last]
                region = (lower, upper, compiled, constants)
                if _holds(plan, region, steps):
                    _run(region, steps, into, scratch)
                    continue
                lo, hi = least(steps).item(), most(steps).item()
                if not (lo >= 0 and hi < math.inf):  # also catches NaN, which min and max return
                    raise ValueError(_backend._bad_steps(flat, np))
                pieces = 1
                while not ((lo, 0.5) > lower and (hi, 0.5) < upper):
                    head = plan.decided_at(lo)
                    if head is not None and (hi, 0.5) < head[1]:
                        lower, upper, compiled, constants = head
                        break
                    if head is None or pieces == most_pieces or not (n := plan.leading(steps, head)):
                        trying = tail_tries > 0 and pieces < most_pieces
                        tail = plan.decided_at(hi) if trying else None
                        if tail is None or not (n := plan.trailing(steps, tail)):
                            tail_tries -= trying  # a try in vain
                            (lower, upper, compiled, constants), _ = plan.region(lo, hi)
                            break
                        front = steps[:n]  # narrow regions before the tail's: computed whole
                        _run(plan.region(lo, most(front).item())[0], front, into[:n], scratch)
                        lower, upper, compiled, constants = tail
                        steps, into = steps[n:], into[n:]
                        break
                    _run(head, steps[:n], into[:n], scratch)
                    lower, upper, compiled, constants = head
                    steps, into, pieces = steps[n:], into[n:], pieces + 1
                    lo = least(steps).item()  # the greatest step is past the edge: it is still hi
                _run((lower, upper, compiled, constants), steps, into, scratch)
    finally:
        scratch.close()
    if compiled is not None:
        plan.last = (lower, upper, compiled, constants)


#: A region whose lower cut is below this one holds every step ``>= 0`` from below.
_FROM_ZERO: tuple[int, float] = (0, 0.5)


def _holds(plan: Plan, region: Region, steps: Any) -> bool:
    """Whether ``region`` holds all these integer steps, found cheaply where it starts at 0.

    A region from 0 holds every step ``>= 0`` from below: the greatest as an unsigned
    integer (a negative one is huge there) checks them in one reduction. ``False`` for
    float steps and for a region that starts further on, which the caller decides.
    """
    unsigned, limit = plan.unsigned
    if unsigned is None or not region[0] < _FROM_ZERO:
        return False
    top = plan.np.maximum.reduce(steps.view(unsigned)).item()
    return top < limit and (top, 0.5) < region[1]


def _unsigned(np: Any, steps: Any) -> tuple[Any, int]:
    """The unsigned dtype that integer steps in native byte order are checked through.

    Returns it with the bound the steps seen through it stay below when none is negative;
    ``(None, 0)`` for other steps.
    """
    if steps.kind not in "iu" or not steps.isnative:
        return None, 0
    return np.dtype(f"u{steps.itemsize}"), _iinfo(steps)[1] + 1


def _run(region: Region, steps: Any, into: Any, scratch: _Scratch) -> None:
    """Run a region's program on ``steps``, with this thread's buffers for it."""
    compiled = region[2]
    compiled.run(steps, into, region[3], scratch.of(compiled))


#: Each thread's spare scratch buffers of :data:`CHUNK` values, by the dtypes a program
#: takes, lent to one call at a time. A new buffer is new memory, whose pages fault in when
#: first written: on one chunk of 60,000 steps, the four buffers of a three-part product
#: took 0.5 ms of 1.1.
_SPARE = threading.local()
#: Sets of spare buffers a thread keeps at most.
_SPARES = 8


class _Scratch:
    """One thread's scratch buffers for the programs it runs in one call, by their dtypes.

    A call of up to a chunk uses the thread's spares, which it holds until :meth:`close`
    (a call made meanwhile, from a finalizer, makes its own); a longer one makes buffers
    of its chunk's length. Programs with the same dtypes share them, one after another.
    """

    __slots__ = ("buffers", "length", "spare")

    def __init__(self, size: int) -> None:
        self.spare = size <= CHUNK
        self.length = CHUNK if self.spare else size
        spares = vars(_SPARE).pop("buffers", None) if self.spare else None
        self.buffers: dict[tuple[Any, ...], list[Any]] = {} if spares is None else spares

    def close(self) -> None:
        if self.spare:
            _SPARE.buffers = self.buffers

    def of(self, compiled: _Compiled) -> list[Any]:
        """The program's buffers, the same for every chunk of the call."""
        dtypes = compiled.buffers
        buffers = self.buffers.get(dtypes)
        if buffers is None or (buffers and buffers[0].shape[0] < self.length):  # spares of a shorter CHUNK
            np = sys.modules["numpy"]
            if self.spare and len(self.buffers) >= _SPARES:
                self.buffers.clear()
            buffers = self.buffers[dtypes] = [np.empty(self.length, dtype=d) for d in dtypes]
        return buffers


def _fill_in_threads(plan: Plan, flat: Any, out: Any, workers: int) -> None:
    """:func:`_fill` in ``workers`` threads, the calling one included."""
    errors: list[BaseException] = []
    chunk = CHUNK * THREAD_CHUNKS
    chunks = _block_starts(flat.size, workers, chunk)

    def work() -> None:
        try:
            _fill(plan, flat, out, chunks(), chunk)
        except BaseException as error:  # re-raised by the calling thread below
            errors.append(error)

    helpers = [threading.Thread(target=work, daemon=True) for _ in range(1, workers)]
    for helper in helpers:
        helper.start()
    work()
    for helper in helpers:
        helper.join()
    if errors:
        raise errors[0]


def _block_starts(size: int, workers: int, chunk: int) -> Callable[[], Iterator[int]]:
    """The chunks of ``size`` steps shared by ``workers`` threads: a source of chunk starts.

    Each call gives one thread its iterator. A thread takes the next free block of
    consecutive chunks whenever it is done with one, so each sees ascending steps on
    sorted arrays. A block is up to :data:`_BLOCK` steps, and shrinks as the chunks
    run out: with at most ``1 / (2 * workers)`` of the chunks left, down to one chunk
    at the end, the threads finish together even where one part of the schedule costs
    more than another (a square root before the end of a decay, a fill after it).
    Large blocks keep each thread to its own megabytes of a fresh result: the page
    faults of a first write (each zeroes a huge page) then do not make the other
    threads wait, as they do when the threads write interleaved chunks of the same
    pages (measured: 7.4 ms of faults for 10M float64 steps on two threads, against
    3.6 ms in blocks).
    """
    count = -(-size // chunk)
    taken = 0
    taking = threading.Lock()

    def starts() -> Iterator[int]:
        nonlocal taken
        while True:
            with taking:
                first = taken
                taken += max(1, min(_BLOCK // chunk, (count - first) // (2 * workers)))
                last = min(taken, count)
            if first >= count:
                return
            yield from range(first * chunk, last * chunk, chunk)

    return starts


# --- tables of short periods ----------------------------------------------------------------

#: A part of a formula that depends on the step only through ``m = x mod P``, for a whole
#: constant ``P`` of at most this many steps, is computed once for each remainder and read
#: from that table (:func:`_tabulated`). Below a chunk, a chunk of sorted steps crosses many
#: periods; up to a few chunks, every period is a region of its own, specialized when met.
#: (10M steps of a 200,000-step cosine cycle: 48 ms without the table, 25 with it; the
#: table, 2 MiB, takes 3 ms to compute on the first call.)
_TABLE = 1 << 18
#: Table entries a plan holds at most, in all its tables.
_TABLES = 2 * _TABLE
#: Operations a part must take for its table to save time: a lookup costs about two.
_TABLED = 3
#: A quotient ``x // P`` that no decision reads is computed at every step for a whole
#: constant ``P`` of at most this many steps (:func:`_short_quotients_run`). Settled, each
#: period is a region that takes a specialization: over 10M steps, ``step_decay(10000)``
#: took 42 ms settled and 27 left to run, ``step_decay(30000)`` 25 and 30.
_SHORT = CHUNK // 4


def _tabulated(np: Any, graph: Graph) -> Graph:
    """``graph`` with each function of a short period's remainder read from a table of its values.

    Where a float part of a formula depends on the step only through a remainder
    ``m = x mod P`` by a whole constant ``P <= _TABLE`` (a cycle of a schedule, a cyclic or
    cosine wave), its value at any step is its value at ``m``, one of ``P`` whole numbers.
    The part is computed once at ``m = 0 .. P - 1``, by a plan of its own (so by programs
    derived from the same formula, which give the values of the whole-array evaluation
    bit for bit), and the formula reads it with a ``gather`` of that table at ``m``.

    Without the table, a chunk of sorted steps crosses many periods, no range settles
    the decisions inside one, and every chunk computes every piece of the period at every
    step, after a specialization of its own.
    """
    if graph.step.probe.dtype.kind not in "iu":
        return graph
    operands = [_operands(node) for node in graph.order]
    readers: dict[int, list[Node]] = {}
    for node, args in zip(graph.order, operands, strict=True):
        for arg in args:
            readers.setdefault(id(arg), []).append(node)
    room = _TABLES
    gathers: dict[int, Node] = {}
    covered: set[int] = set()  # the nodes of the parts read from tables: an inner cycle's are in them
    programs: dict[Any, dict[tuple[Any, ...], _Compiled]] = {}  # the tables' plans share theirs
    for i, remainder in enumerate(graph.order):  # an outer cycle's remainder comes before an inner one's
        period = _whole_divisor(remainder, "mod")
        if not 1 <= period <= min(_TABLE, room) or remainder.probe.dtype != graph.step.probe.dtype:
            continue
        for part, nodes in _periodic_parts(graph, i, operands, readers):
            if id(part) in covered or period > room:
                continue
            table = _table(np, graph, remainder, part, period, programs.setdefault(part.probe.dtype, {}))
            gathers[id(part)] = Node("gather", (remainder,), table, table[remainder.probe])
            covered |= nodes
            room -= period
    return Graph(_replaced(graph.root, gathers), graph.step, graph.target) if gathers else graph


def _whole_divisor(node: Node, op: str) -> int:
    """The constant whole divisor of a ``mod`` or ``floordiv`` node ``op``; 0 for other nodes."""
    if node.op != op or isinstance(node.args[1], Node):
        return 0
    return _integer(node.args[1]) or 0


def _periodic_parts(
    graph: Graph, at: int, operands: list[list[Node]], readers: dict[int, list[Node]]
) -> Iterator[tuple[Node, set[int]]]:
    """The float parts of ``graph`` that depend on the step only through its remainder node ``at``.

    ``operands`` are each node's node operands, ``readers`` the nodes that read each.
    Each part comes with the ids of its nodes above the remainder; only parts of at least
    :data:`_TABLED` operations are worth a table.
    """
    remainder = graph.order[at]
    through = {id(remainder)}
    for node, args in zip(graph.order[at + 1 :], operands[at + 1 :], strict=True):
        if args and all(id(a) in through for a in args):
            through.add(id(node))
    for part in graph.order[at + 1 :]:
        if id(part) not in through or part.probe.dtype.kind != "f":
            continue
        if part is not graph.root and all(id(r) in through for r in readers.get(id(part), ())):
            continue  # not a whole part: what reads it depends on the remainder only too
        nodes = {id(node) for node in nodes_of(part) if id(node) in through} - {id(remainder)}
        if len(nodes) >= _TABLED:
            yield part, nodes


def _short_quotients_run(graph: Graph) -> Graph:
    """``graph`` with its short quotients computed at every step rather than settled.

    A quotient ``x // P`` by a whole constant ``P <= _SHORT`` that no decision reads
    becomes a ``quotient``, which a specialization leaves as it is.

    A cycle's decay (``decay ** (t // P)``) is such a quotient: settled, it would cut
    the steps into a region per period, and a chunk of sorted steps across many periods
    would take a specialization of its own. Left to run, it is one ``floor_divide``.
    Longer periods are settled, as :func:`schedcore._graph.specialize` does: a chunk then
    crosses few, split at their edges, and the quotient is a constant in each piece.
    """
    found = {
        id(node): Node("quotient", node.args, None, node.probe)
        for node in graph.order
        if 1 <= _whole_divisor(node, "floordiv") <= _SHORT and id(node) not in graph.wants_form
    }
    return Graph(_replaced(graph.root, found), graph.step, graph.target) if found else graph


def _table(
    np: Any,
    graph: Graph,
    remainder: Node,
    part: Node,
    period: int,
    programs: dict[tuple[Any, ...], _Compiled],
) -> Any:
    """The values of ``part`` at the remainders ``0 .. period - 1``, computed by a plan of its own.

    ``programs`` is the plan's cache of programs, shared by the tables of one result dtype.
    """
    local = Node("step", (), probe=np.zeros(1, dtype=remainder.probe.dtype))
    sub = Graph(_replaced(part, {id(remainder): local}), local, graph.target)
    plan = Plan(np, sub, part.probe.dtype, programs)
    table = np.empty(period, dtype=part.probe.dtype)
    _fill(plan, np.arange(period, dtype=remainder.probe.dtype), table, range(0, period, CHUNK), CHUNK)
    return table


def _replaced(root: Any, replacements: dict[int, Node]) -> Any:
    """``root`` with the nodes of the ids in ``replacements`` replaced (and what reads them rebuilt)."""
    new: dict[int, Any] = {}
    for node in nodes_of(root):
        if id(node) in replacements:
            new[id(node)] = replacements[id(node)]
        else:
            args = tuple(new.get(id(a), a) if isinstance(a, Node) else a for a in node.args)
            new[id(node)] = node.with_args(args)
    return new.get(id(root), root)


# --- programs ------------------------------------------------------------------------------


def _lift(np: Any, root: Any, hi: Any, upper: Cut) -> tuple[Any, Cut]:
    """Compute integer step arithmetic that feeds floats in the floats themselves.

    A formula's step expressions (``T - min(t, T)`` past a decided ``min``, the local
    time ``t - b`` of a piece, ``t mod P`` within one period) are integer chains of
    ``a * t + c``, which a float ufunc then casts. Where every value of the chain is a
    whole number that the float holds exactly (below ``2**53`` for float64), the same
    values come from one float operation on the step cast once: ``c - t``, ``t + c``;
    every float operation on the step itself uses that same cast. The region shrinks to
    where that holds. Returns the new root and upper cut.

    A remainder ``u mod P`` by a constant ``P > 0`` that a range leaves open (a cosine
    wave reducing its step) is a chain's start too: for whole ``u >= 0`` with
    ``u + P <= 2**53``, ``floor(u / P)`` of the rounded quotient is the true quotient
    (``u / P`` is at least ``1 / P`` below the next whole number, more than half its
    spacing), so ``u - floor(u / P) * P`` computes the remainder exactly in floats, in
    about half the time of the integer ``u - (u // P) * P`` (numpy divides int64 value
    by value). The region shrinks below ``2**53 - P``.
    """
    order = nodes_of(root)
    steps = [node for node in order if node.op == "step"]
    if not steps or steps[0].probe.dtype.kind not in "iu" or not order:
        return root, upper
    step = steps[0]
    bits = min((_float_bits(n.probe.dtype) for n in order if n.probe.dtype.kind == "f"), default=0)
    forms, periods = _chains(order, step, bits)
    floats: dict[tuple[int, Any], Node] = {}  # the start of each chain (the step, a remainder) as a float
    lifted: dict[tuple[int, Any], Any] = {}
    limit = math.inf

    def start_of(base: Node, dtype: Any) -> Node:
        nonlocal limit
        key = (id(base), dtype)
        if key not in floats:
            if base is step:  # the step itself is cast as the ufunc would cast it
                floats[key] = Node("cast_to", (step,), None, np.full(1, 0, dtype=dtype))
            else:
                operand, period = base.args[0], periods[id(base)]
                _, a, c = forms[id(operand)]
                limit = min(limit, (2 ** _float_bits(dtype) - period - c) // a)  # u + P <= 2**bits
                u = float_of(operand, dtype)
                quotient = u / float(period)
                whole = Node("floor", (quotient,), None, np.floor(quotient.probe))
                floats[key] = u - whole * float(period)
        return floats[key]

    def float_of(x: Node, dtype: Any) -> Any:
        nonlocal limit
        base, a, c = forms[id(x)]
        key = (id(x), dtype)
        if key not in lifted:
            if base is step and (a, c) != (1, 0):
                limit = min(limit, (2 ** _float_bits(dtype) - abs(c)) // abs(a) if a else math.inf)
            value: Any = start_of(base, dtype)
            if a == -1:
                value = float(c) - value
            else:
                value = value if a == 1 else value * float(a)
                value = value + float(c) if c else value
            lifted[key] = value
        return lifted[key]

    new: dict[int, Any] = {}

    def arg(x: Any) -> Any:
        return new.get(id(x), x) if isinstance(x, Node) else x

    for node in order:
        dtype = node.probe.dtype
        args = tuple(arg(a) for a in node.args)
        if dtype.kind == "f" and node.op not in COMPARISONS and node.op not in ("where", "lookup", "gather"):
            args = tuple(
                float_of(original, dtype)
                if isinstance(original, Node) and id(original) in forms
                else lifted_arg
                for original, lifted_arg in zip(node.args, args, strict=True)
            )
            if node.op in _CASTS and args[0] is not arg(node.args[0]):
                new[id(node)] = args[0]
                continue
        if (fresh := node.with_args(args)) is not node:
            new[id(node)] = fresh
    if not lifted:
        return root, upper
    if limit <= hi:  # the chunk itself holds values too large for the float: keep the integers
        return root, upper
    return new.get(id(root), root), min(upper, (limit, 0))


#: ``2**52`` as float64 bits: or-ed into a whole number ``0 <= t < 2**52``, it gives ``2**52 + t``.
_BIAS = 2**52
_BIAS_BITS = 0x4330000000000000


def _bias(np: Any, root: Any, hi: Any, upper: Cut) -> tuple[Any, Cut]:
    """Cast int64 steps to float64 with an integer ``or`` where a constant sum absorbs the bias.

    numpy's int64-to-float64 cast is a scalar loop, about twice the cost of an integer
    ``t | bits(2**52)``, whose bits read as the float ``2**52 + t`` for ``0 <= t < 2**52``.
    Where every use of the cast adds or subtracts a whole constant ``|c| <= 2**52`` (the
    ``T - t`` of a decay, the ``t + T`` of an inverse square root), the bias goes into the
    constant: ``(c + 2**52) - (2**52 + t)`` is the same real number as ``c - t``, and every
    term is exact, so the float result is rounded from the same value. The region shrinks
    below ``2**52``. Returns the new root and upper cut.
    """
    order = nodes_of(root)
    casts = {
        id(node): node
        for node in order
        if node.op in _CASTS
        and isinstance(node.args[0], Node)
        and node.args[0].op == "step"
        and node.args[0].probe.dtype == np.dtype(np.int64)
        and node.probe.dtype == np.dtype(np.float64)
    }
    if not casts or not hi < _BIAS or root.op in _CASTS:
        return root, upper
    shifted: dict[int, tuple[int, float]] = {}  # id(sum) -> (the cast's place, the new constant)
    for node in order:
        places = [i for i, arg in enumerate(node.args) if isinstance(arg, Node) and id(arg) in casts]
        if not places:
            continue
        other = node.args[1 - places[0]] if len(node.args) == 2 and len(places) == 1 else None
        whole = _integer(other)
        if (
            node.op not in ("add", "sub")
            or whole is None
            or abs(whole) > _BIAS
            or node.probe.dtype != np.dtype(np.float64)
        ):
            casts.pop(id(node.args[places[0]]), None)  # a use the bias cannot go into
            continue
        place = places[0]
        # t + c = X + (c - B); c - t = (c + B) - X; t - c = X - (c + B)
        shifted[id(node)] = (place, float(whole - _BIAS if node.op == "add" else whole + _BIAS))
    if not casts:
        return root, upper
    biased = {
        key: Node("biased", (cast.args[0], np.int64(_BIAS_BITS)), None, cast.probe)
        for key, cast in casts.items()
    }
    new: dict[int, Any] = {}
    for node in order:
        args = tuple(new.get(id(a), a) if isinstance(a, Node) else a for a in node.args)
        if id(node) in shifted and id(node.args[shifted[id(node)][0]]) in biased:
            place, constant = shifted[id(node)]
            args = tuple(biased[id(node.args[place])] if i == place else constant for i in range(2))
        if (fresh := node.with_args(args)) is not node:
            new[id(node)] = fresh
    return new.get(id(root), root), min(upper, (_BIAS, 0))


def _chains(order: list[Node], step: Node, bits: int) -> tuple[dict[int, _Affine], dict[int, int]]:
    """The integer nodes that are chains ``a * x + c`` on the step or on a remainder by a constant.

    Returns their forms by node id, and each remainder's divisor ``P``. A chain on a
    remainder holds whole numbers within its bounds over ``0 .. P - 1``, which the float
    of ``bits`` bits and the node's own integers must both hold (the integers would wrap
    around where the floats would not); on unsigned steps no chain has a negative term.
    """
    unsigned = step.probe.dtype.kind == "u"
    forms: dict[int, _Affine] = {id(step): (step, 1, 0)}
    periods: dict[int, int] = {}
    for node in order:
        form: _Affine | None = None
        if node.op in ("add", "sub", "mul", "neg") and node.probe.dtype.kind in "iu":
            form = _integer_form(node, forms)
            if form is not None and form[0] is not step:
                _, a, c = form
                largest = max(abs(c), abs(a * (periods[id(form[0])] - 1) + c))
                if largest > min(2**bits, _iinfo(node.probe.dtype)[1]):
                    form = None
        elif node.op == "mod" and node.probe.dtype.kind in "iu" and isinstance(node.args[0], Node):
            operand, period = forms.get(id(node.args[0])), _integer(node.args[1])
            never_negative = (
                operand is not None and operand[0] is step and operand[1] >= 1 and operand[2] >= 0
            )
            if never_negative and period is not None and 0 < period < 2**bits:
                form, periods[id(node)] = (node, 1, 0), period
        if form is not None and not (unsigned and (form[1] < 0 or form[2] < 0)):
            forms[id(node)] = form
    return forms, periods


#: ``(x, a, c)``: a value ``a * x + c`` computed from ``x``, the step or a remainder.
_Affine = tuple[Node, int, int]


def _integer_form(node: Node, forms: dict[int, _Affine]) -> _Affine | None:
    """``(x, a, c)`` with ``node == a * x + c`` for integer arithmetic on a chain's start and integers."""

    def of(x: Any) -> tuple[Node | None, int, int] | None:
        if isinstance(x, Node):
            return forms.get(id(x))
        whole = getattr(x, "dtype", None)
        if isinstance(x, bool) or (whole is not None and whole.kind not in "iu"):
            return None
        if isinstance(x, int) or whole is not None:
            return None, 0, int(x.item() if hasattr(x, "item") else x)
        return None

    parts = [of(x) for x in node.args]
    if any(p is None for p in parts):
        return None
    bases = {id(p[0]): p[0] for p in parts if p is not None and p[0] is not None}
    if len(bases) != 1:  # two different starts, or none
        return None
    (base,) = bases.values()
    if node.op == "neg":
        ((_, a, c),) = parts  # type: ignore[misc]
        return base, -a, -c
    (_, a1, c1), (_, a2, c2) = parts  # type: ignore[misc]
    if node.op == "add":
        return base, a1 + a2, c1 + c2
    if node.op == "sub":
        return base, a1 - a2, c1 - c2
    if a1 == 0 or a2 == 0:  # a product with a constant
        return base, a1 * c2 + a2 * c1, c1 * c2
    return None


def _structure(root: Any) -> tuple[tuple[Any, ...], tuple[Any, ...], list[Node]]:
    """A specialization's structure (its program's cache key), constants and nodes.

    The key names each operation by what its program's statement depends on (the
    operation, its operands' places and its dtype) and each constant by its slot and type:
    specializations that differ only in their constants' values (the cycle a chunk falls
    in, a decay's end value) share one program, and so do the nodes that specializations
    build afresh (a lifted cast, an affine form), which have no recorded origin to name.
    """
    if not isinstance(root, Node):
        return ("constant",), (root,), []
    order = nodes_of(root)
    index = {id(node): i for i, node in enumerate(order)}
    constants: list[Any] = []
    key: list[Any] = []
    for node in order:
        args: list[Any] = []
        for arg in node.args:
            if isinstance(arg, Node):
                args.append(index[id(arg)])
            else:
                exponent = (arg.item() if hasattr(arg, "item") else arg) if node.op == "pow" else None
                args.append((len(constants), type(arg), getattr(arg, "dtype", None), exponent))
                constants.append(arg)
        if node.op == "lookup":
            args.append((len(constants), "lookup"))
            constants.extend(_tables(node))
        elif node.op == "gather":
            args.append((len(constants), "gather"))
            constants.append(node.param)
        key.append((node.op, node.probe.dtype, node.param if node.op == "power" else None, *args))
    return tuple(key), tuple(constants), order


def _tables(node: Node) -> tuple[Any, Any]:
    """A lookup's thresholds in its operand's dtype and its values in its own."""
    np = sys.modules["numpy"]
    thresholds, values, _ = node.param
    operand = node.args[0]
    edges = np.asarray(thresholds, dtype=operand.probe.dtype)
    return edges, np.asarray(values, dtype=node.probe.dtype)


class _Compiled:
    """A program, generated as Python source from a specialization's nodes.

    ``buffers`` is the tuple of the dtypes of the scratch buffers it needs; ``run`` is the
    function. Every node writes into a buffer of its dtype, reused once the values it
    held are no longer needed; the root, and the chain of single-use operations that
    leads to it from its costliest one, write straight into the result.
    """

    def __init__(self, np: Any, root: Any, order: list[Node], result: Any) -> None:
        buffers: list[Any] = []
        lines = ["def program(t, out, k, B):"]
        if not isinstance(root, Node):
            lines.append("    out[...] = k[0]")
        else:
            lines += _Writer(order, root, result, buffers).lines()
        self.buffers = tuple(buffers)
        source = "\n".join(lines) + "\n"
        filename = f"<schedcore numpy program #{next(_SERIAL)}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        names: dict[str, Any] = {"np": np}
        exec(compile(source, filename, "exec"), names)  # only our operations: see _Writer
        self.run: Program = names["program"]


def _operands(node: Node) -> list[Node]:
    """The nodes among a node's arguments, each once."""
    return list({id(a): a for a in node.args if isinstance(a, Node)}.values())


class _Writer:
    """Writes the statements of a program: one ufunc call (rarely two) per node."""

    def __init__(self, order: list[Node], root: Node, result: Any, buffers: list[Any]) -> None:
        self.order = order
        self.root = root
        self.result = result
        self.buffers = buffers
        self.last_use: dict[int, int] = {}
        self.users: dict[int, int] = {}  # how many operations read a node's values
        for i, node in enumerate(order):
            for arg in _operands(node):
                self.last_use[id(arg)] = i
                self.users[id(arg)] = self.users.get(id(arg), 0) + 1
        self.into_out = self.spine()
        self.free: dict[Any, list[str]] = {}
        self.where: dict[int, str] = {}  # id(node) -> where its values are: "t", "out" or "b<i>"
        self.widened: dict[int, tuple[str, Any]] = {}  # id(node) -> its values cast to a float dtype

    def spine(self) -> set[int]:
        """The root and the operations of the result's dtype with one reader that lead to it.

        From each operation the chain goes on through its first operand, or through its one
        operand that is not a constant (the ``x`` of ``c - x``, ``c / x`` and ``x * x``).
        Where the chain holds a division, a square root or a transcendental function, it
        starts at the costliest of them; the operations before it use a scratch buffer.
        A chunk's first write to a fresh result reads its memory in, and an operation that
        computes for long hides that read, while a cheap cast or sum waits for it. (Over
        10M steps on two threads: ``inverse_sqrt`` 23.2 ms, then 21.7; ``polynomial``
        31.2, then 29.1; no shape measurably slower.)
        """
        chain: list[Node] = []
        node: Any = self.root
        while isinstance(node, Node) and node.op not in ("step", "where", "lookup"):
            if node.probe.dtype != self.result or (node is not self.root and self.users.get(id(node)) != 1):
                break
            chain.append(node)
            operands = _operands(node)
            node = operands[0] if len(operands) == 1 else (node.args[0] if node.args else None)
        if self.root.op in ("where", "lookup") and self.root.probe.dtype == self.result:
            chain.append(self.root)
        costs = [_COST.get(node.op, 0) for node in chain]
        if any(costs):  # from the costliest operation on, the one nearest the steps of those
            chain = chain[: max(i for i, cost in enumerate(costs) if cost == max(costs)) + 1]
        return {id(node) for node in chain}

    def buffer(self, dtype: Any) -> str:
        pool = self.free.get(dtype)
        if pool:
            return pool.pop()
        self.buffers.append(dtype)
        return f"b{len(self.buffers) - 1}"

    def release(self, name: str, dtype: Any) -> None:
        if name.startswith("b"):
            self.free.setdefault(dtype, []).append(name)

    def lines(self) -> list[str]:
        body: list[str] = []
        constants = iter(itertools.count())
        for i, node in enumerate(self.order):
            if node.op == "step":
                self.where[id(node)] = "t"
                continue
            operands = []
            for arg in node.args:
                if isinstance(arg, Node):
                    operands.append(self.operand(node, arg, body))
                else:
                    operands.append(f"k[{next(constants)}]")
            if node.op == "lookup":
                edges, table = f"k[{next(constants)}]", f"k[{next(constants)}]"
                operands += [edges, table]
            elif node.op == "gather":
                operands.append(f"k[{next(constants)}]")
            dying = []
            for a in _operands(node):
                if self.last_use[id(a)] == i:
                    if a.op != "step":
                        dying.append((self.where[id(a)], a.probe.dtype))
                    if id(a) in self.widened:
                        dying.append(self.widened[id(a)])
            target = self.target(node, dying)
            body += self.statements(node, operands, target)
            self.where[id(node)] = target
            for name, dtype in dying:
                if name != target:
                    self.release(name, dtype)
        root = self.where[id(self.root)]
        if root != "out":
            body.append(f"np.copyto(out, {root}, casting='unsafe')")
        head = [f"    b{j} = B[{j}][:n]" for j in range(len(self.buffers))]
        return ["    n = t.shape[0]", *head, *("    " + line for line in body)]

    def operand(self, node: Node, arg: Node, body: list[str]) -> str:
        """Where an operand's values are; cast to the node's float dtype first where numpy would.

        numpy casts an integer (or narrower float) array inside a float ufunc through small
        buffers, at about three times the cost of one cast into a scratch buffer; the values
        are the same. A cast made once serves every later use of the operand.
        """
        dtype = node.probe.dtype
        source = arg.probe.dtype
        arithmetic = node.op in _ARITHMETIC or (node.op in _UFUNCS and node.op not in COMPARISONS)
        if not (arithmetic and dtype.kind == "f" and source != dtype and source.kind in "iuf"):
            return self.where[id(arg)]
        if source.kind == "f" and source.itemsize >= dtype.itemsize:
            return self.where[id(arg)]
        widened = self.widened.get(id(arg))
        if widened is None or widened[1] != dtype:
            widened = self.widened[id(arg)] = (self.buffer(dtype), dtype)
            body.append(f"np.copyto({widened[0]}, {self.where[id(arg)]}, casting='unsafe')")
        return widened[0]

    def target(self, node: Node, dying: list[tuple[str, Any]]) -> str:
        """Where a node's values go: the result, a dying operand's buffer of its dtype, or a free one."""
        if id(node) in self.into_out:
            return "out"
        dtype = node.probe.dtype
        reusable = [name for name, d in dying if d == dtype and name.startswith("b")]
        if node.op == "where":  # only its last operand can be overwritten first
            last = node.args[2]
            reusable = (
                [self.where[id(last)]] if isinstance(last, Node) and self.where[id(last)] in reusable else []
            )
        return reusable[0] if reusable else self.buffer(dtype)

    def statements(self, node: Node, operands: list[str], target: str) -> list[str]:
        op = node.op
        if op == "where":
            condition, yes, no = operands
            first = [] if no == target else [f"np.copyto({target}, {no}, casting='unsafe')"]
            return [*first, f"np.copyto({target}, {yes}, where={condition}, casting='unsafe')"]
        if op == "lookup":
            x, edges, table = operands
            return [f"np.take({table}, np.searchsorted({edges}, {x}, side='right'), out={target})"]
        if op == "gather":  # every index is a remainder, within the table: "clip" checks none
            index, table = operands
            dtype = node.args[0].probe.dtype
            if dtype.kind == "u" and dtype.itemsize == 8:  # numpy 1 takes no uint64 index
                index = f"{index}.view(np.int64)"  # a remainder below 2**63: the same values
            return [f"np.take({table}, {index}, out={target}, mode='clip')"]
        if op in _CASTS:
            return [f"np.copyto({target}, {operands[0]}, casting='unsafe')"]
        if op == "biased":  # see _bias
            return [f"np.bitwise_or({operands[0]}, {operands[1]}, out={target}.view(np.int64))"]
        if op in ("pow", "power"):
            exponent = node.param if op == "power" else node.args[1]
            base = operands[0]
            power = operands[1] if op == "pow" else repr(float(exponent))
            if isinstance(exponent, int | float) and float(exponent) in _FAST_POWERS:
                return [f"np.copyto({target}, {base} ** {power}, casting='unsafe')"]  # as ** does
            return [f"np.power({base}, {power}, out={target})"]
        if op == "mod" and (_integer(node.args[1]) or 0) > 0 and node.probe.dtype.kind in "iu":
            return self.remainder(operands, target, node.probe.dtype)
        if op in BINARY or op in _UFUNCS:
            return [f"np.{_UFUNCS[op]}({', '.join(operands)}, out={target})"]
        raise ValueError(f"no numpy program for the operation {op!r}")

    def remainder(self, operands: list[str], target: str, dtype: Any) -> list[str]:
        """``x mod P`` of integers by a constant ``P > 0`` as ``x - (x // P) * P``.

        numpy divides by a constant integer with a multiplication (libdivide) in
        ``floor_divide`` but not in ``remainder``, which divides value by value, at more
        than twice the cost of the three operations. The values are the same: the true
        remainder lies in ``0 .. P - 1``, so the product and the difference, computed
        modulo the integer type's range, give it exactly even where they wrap around.
        """
        x, divisor = operands
        quotient = target if target != x else self.buffer(dtype)
        lines = [
            f"np.floor_divide({x}, {divisor}, out={quotient})",
            f"np.multiply({quotient}, {divisor}, out={quotient})",
            f"np.subtract({x}, {quotient}, out={target})",
        ]
        if quotient != target:
            self.release(quotient, dtype)
        return lines
