r"""``schedcore show``: print a schedule's summary and draw its curve.

Usage: ``schedcore show [SPEC] [--steps N] [--plot FILE | --ascii] [--log] [--compare SPEC2 ...] [--json]``,
or ``python -m schedcore show ...``.

``SPEC`` is a :func:`schedcore.parse` expression such as
``"warmup(1000) * multistep([30000, 60000], gamma=0.1) * polynomial(90000, power=0.5)"``,
or the path of a JSON (or, with PyYAML installed, YAML) file that holds a
schedule's :meth:`~schedcore.Schedule.to_dict` form or an expression string.
Without ``SPEC`` the command shows :data:`EXAMPLE`.

The steps ``0 .. N-1`` are evaluated in one vectorized call when numpy is
installed. Without numpy, runs of up to :data:`PYTHON_DENSE_LIMIT` steps are
evaluated step by step; longer ones are sampled: evenly spaced steps plus both
sides of every breakpoint, so step functions and ramp ends are still exact, and
the sum of the values is estimated with the trapezoidal rule on each piece (the
summary then says so). With numpy, runs longer than :data:`NUMPY_DENSE_LIMIT`
steps are sampled the same way.

The summary gives, with at least 4 significant digits, :math:`s(0)`, the value at
each breakpoint inside the run (warmup ends, milestones, join boundaries, decay
ends; with the value one step before), :math:`s(N-1)`, the minimum, the maximum
and the sum of the values :math:`\sum_{t<N} s(t)`, the "LR area" (times the base
learning rate, it is the total step size of the run).

This module imports only the standard library at import time: numpy and
matplotlib are imported when a command needs them.
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import importlib
import importlib.util
import json
import math
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, TextIO, overload

from schedcore import __version__
from schedcore._base import Schedule
from schedcore.serialize import from_dict, parse

__all__ = [
    "EXAMPLE",
    "MAX_STEPS",
    "NUMPY_DENSE_LIMIT",
    "PYTHON_DENSE_LIMIT",
    "Breakpoints",
    "Curve",
    "ascii_chart",
    "default_steps",
    "draw",
    "evaluate",
    "format_summary",
    "load",
    "main",
    "summary",
]

EXAMPLE = "warmup(1000) * multistep([30000, 60000], gamma=0.1) * polynomial(90000, power=0.5)"
"""The schedule shown when no ``SPEC`` is given: a warmup, two drops and a decay."""

NUMPY_DENSE_LIMIT = 10_000_000
"""Longest run evaluated at every step with numpy; longer runs are sampled."""
PYTHON_DENSE_LIMIT = 200_000
"""Longest run evaluated at every step without numpy; longer runs are sampled."""

_NUMPY_SAMPLES = 1_000_001  # evenly spaced steps of a sampled run, with numpy
_PYTHON_SAMPLES = 4_001  # the same without numpy
_BREAKPOINT_SAMPLES = 100_000  # breakpoints whose both sides a sampled run includes
_BREAKPOINT_RUNS = 100_000  # runs of breakpoints (a run: a range or a repeated cycle) a summary walks
MAX_STEPS = 2**63 - 1
"""Longest run ``--steps`` accepts: steps are counted in 64-bit integers."""
_SHOWN_BREAKPOINTS = 20  # breakpoints listed in a summary: the first and last 10
_DEFAULT_STEPS = 10_000  # run length for a schedule without breakpoints
_MARKERS = "*o+x#@%&"

Array = Any  # a numpy array or a list: the CLI works with and without numpy


class _Failure(Exception):
    """A problem reported as one line on stderr, with the exit status to use."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(" ".join(message.split()))  # one line, whatever the source said
        self.status = status


def _installed(module: str) -> bool:
    """Whether an optional package (numpy, matplotlib, yaml) can be imported."""
    return importlib.util.find_spec(module) is not None


def _numpy() -> Any:
    """Return the numpy module, or ``None`` when it is not installed."""
    return importlib.import_module("numpy") if _installed("numpy") else None


# --- reading a SPEC ---------------------------------------------------------------------

_FILE_SUFFIXES = (".json", ".yaml", ".yml")


def load(spec: str) -> Schedule:
    """Read a schedule from an expression or from a JSON / YAML file.

    ``spec`` names a file when such a file exists or when it ends in ``.json``,
    ``.yaml`` or ``.yml``; the file holds a schedule's ``to_dict()`` form or an
    expression string. Anything else is read with :func:`schedcore.parse`.

    Raises:
        ValueError: the expression or the file does not describe a schedule (the
            message gives the column or the path of the offending part), the file
            cannot be read, or a YAML file is given without PyYAML installed.
    """
    if os.path.isfile(spec) or spec.lower().endswith(_FILE_SUFFIXES):
        return _load_file(spec)
    return parse(spec)


def _load_file(path: str) -> Schedule:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read {path}: {error}") from None
    if path.lower().endswith((".yaml", ".yml")):
        if not _installed("yaml"):
            raise ValueError(
                f"{path} is a YAML file, and reading YAML needs PyYAML, which is not installed:"
                " pip install pyyaml (JSON files and expressions need nothing)"
            )
        yaml = importlib.import_module("yaml")
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise ValueError(f"{path} is not valid YAML: {error}") from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path} is not valid JSON: {error}") from None
    try:
        if isinstance(data, str):
            return parse(data)
        if isinstance(data, dict):
            return from_dict(data)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None
    raise ValueError(
        f"{path} must hold a schedule's to_dict() form (an object with a 'type' key)"
        f" or an expression string, got {type(data).__name__}"
    )


# --- evaluating -------------------------------------------------------------------------


@dataclass(frozen=True)
class Curve:
    """A schedule evaluated over the run ``0 .. n-1``.

    Attributes:
        schedule: The schedule.
        n: Length of the run.
        steps: The evaluated steps, increasing: all of ``0 .. n-1`` when ``exact``,
            else a sample that includes ``0``, ``n-1`` and both sides of each breakpoint.
        values: ``schedule(steps)``, a numpy array when numpy is installed, else a list.
        breakpoints: ``schedule.breakpoints(n)``, as a :class:`Breakpoints` sequence.
        exact: Whether every step of the run was evaluated.
        method: ``"numpy"`` or ``"python"``.
    """

    schedule: Schedule
    n: int
    steps: Array
    values: Array
    breakpoints: Sequence[int]
    exact: bool
    method: str

    def value_at(self, step: int) -> float:
        """The value at ``step``, one of the evaluated steps."""
        index = bisect.bisect_left(self.steps, step)
        if index == len(self.steps) or int(self.steps[index]) != step:
            raise KeyError(step)
        return float(self.values[index])


class Breakpoints(Sequence[int]):
    """A schedule's breakpoints below ``n``, kept as the runs the schedule gives them in.

    A step decay over ``10**12`` steps has ``10**12`` breakpoints, but one run of them
    (a ``range``); a cycle's are one period repeated. Counting, indexing and slicing
    work on the runs, so a summary costs what the runs cost, not what the breakpoints do.

    Raises:
        ValueError: the breakpoints below ``n`` come in more than 100,000 runs
            (irregular ones: each is found by analysing the formula).
    """

    def __init__(self, schedule: Schedule, n: int) -> None:
        self._runs: list[Sequence[int]] = []
        self._ends: list[int] = []
        total = 0
        for run in schedule._breakpoint_runs(n):
            if not len(run):
                continue
            if len(self._runs) == _BREAKPOINT_RUNS:
                raise ValueError(
                    f"{schedule!r} changes its formula irregularly more than {_BREAKPOINT_RUNS} times"
                    f" before step {n}; show a shorter run with --steps"
                )
            total += len(run)
            self._runs.append(run)
            self._ends.append(total)

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        run = bisect.bisect_right(self._ends, index)
        return self._runs[run][index - (self._ends[run - 1] if run else 0)]

    def __iter__(self) -> Iterator[int]:
        for run in self._runs:
            yield from run


def _sample(n: int, count: int, breakpoints: Sequence[int]) -> list[int]:
    """Evenly spaced steps of ``0 .. n-1``, plus both sides of the breakpoints, sorted."""
    points = {round(i * (n - 1) / (count - 1)) for i in range(count)}
    for b in {*breakpoints[:_BREAKPOINT_SAMPLES], *_shown(breakpoints)}:
        points.update((b - 1, b))
    return sorted(points)


def evaluate(schedule: Schedule, n: int) -> Curve:
    """Evaluate ``schedule`` over the steps ``0 .. n-1``.

    With numpy this is one vectorized call, ``schedule(numpy.arange(n))``, for runs of
    up to :data:`NUMPY_DENSE_LIMIT` steps; without numpy the steps are evaluated one
    by one for runs of up to :data:`PYTHON_DENSE_LIMIT` steps. Longer runs are
    sampled (see :class:`Curve`).

    Raises:
        ValueError: ``n`` is below 1 or above :data:`MAX_STEPS`, or the breakpoints
            are too irregular to list (see :class:`Breakpoints`).
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_STEPS:
        raise ValueError(f"the number of steps must be a positive int up to 2**63 - 1, got {n!r}")
    breakpoints = Breakpoints(schedule, n)
    np = _numpy()
    if np is not None:
        exact = n <= NUMPY_DENSE_LIMIT
        if exact:
            steps = np.arange(n, dtype=np.int64)
        else:
            steps = np.asarray(_sample(n, min(n, _NUMPY_SAMPLES), breakpoints), dtype=np.int64)
        with np.errstate(over="ignore", under="ignore"):
            values = np.asarray(schedule(steps), dtype=np.float64)
        return Curve(schedule, n, steps, values, breakpoints, exact, "numpy")
    exact = n <= PYTHON_DENSE_LIMIT
    points = list(range(n)) if exact else _sample(n, _PYTHON_SAMPLES, breakpoints)
    return Curve(schedule, n, points, [schedule(t) for t in points], breakpoints, exact, "python")


def _area(curve: Curve) -> float:
    """The sum of the values over the run: exact, or estimated from the samples.

    Between two consecutive samples ``a < b`` on one piece of the curve,
    ``sum(s(t) for a <= t < b)`` is estimated as the trapezoid
    ``(b - a) * (s(a) + s(b)) / 2`` plus the end correction ``(s(a) - s(b)) / 2``,
    which is exact for straight lines and for ``b = a + 1``.
    """
    if curve.method == "numpy":
        np = importlib.import_module("numpy")
        with np.errstate(over="ignore", invalid="ignore"):
            if curve.exact:
                return float(curve.values.sum())
            a, b = curve.steps[:-1].astype(np.float64), curve.steps[1:].astype(np.float64)
            fa, fb = curve.values[:-1], curve.values[1:]
            return float(((b - a) * (fa + fb) / 2 + (fa - fb) / 2).sum() + curve.values[-1])
    steps, values = curve.steps, curve.values
    if curve.exact:
        return _fsum(values)
    pieces = [
        (steps[i + 1] - steps[i]) * (values[i] + values[i + 1]) / 2 + (values[i] - values[i + 1]) / 2
        for i in range(len(steps) - 1)
    ]
    return _fsum([*pieces, values[-1]])


def _fsum(values: list[float]) -> float:
    """``math.fsum``, or the plain sum where infinities of both signs meet (it is NaN then)."""
    try:
        return math.fsum(values)
    except (ValueError, OverflowError):
        return sum(values)


def _extreme(curve: Curve, kind: str) -> tuple[int, float]:
    """The first step where the values reach their minimum (``"min"``) or maximum."""
    values = curve.values
    if curve.method == "numpy":
        np = importlib.import_module("numpy")
        index = int(np.nanargmin(values) if kind == "min" else np.nanargmax(values))
    else:
        finite = [v if not math.isnan(v) else (math.inf if kind == "min" else -math.inf) for v in values]
        best = min(finite) if kind == "min" else max(finite)
        index = finite.index(best)
    return int(curve.steps[index]), float(values[index])


def _shown(breakpoints: Sequence[int]) -> list[int]:
    """The breakpoints a summary lists: all of them, or the first and last ten."""
    if len(breakpoints) <= _SHOWN_BREAKPOINTS:
        return list(breakpoints)
    half = _SHOWN_BREAKPOINTS // 2
    return [*breakpoints[:half], *breakpoints[-half:]]


def summary(curve: Curve) -> dict[str, Any]:
    """The summary of an evaluated run, as JSON-ready data.

    Keys: ``expression`` (the schedule's ``repr``), ``steps`` (the run length
    ``n``), ``first`` and ``last`` (``{"step", "value"}`` at ``0`` and ``n-1``),
    ``breakpoints`` (``{"step", "value", "before"}`` for at most 20 of them, the
    first and last ten, ``before`` being the value one step earlier),
    ``breakpoints_total``, ``min`` and ``max`` (``{"step", "value"}``, the first step
    where the extreme is reached), ``sum`` (the "LR area"), ``exact`` (whether every
    step was evaluated; if not, min, max and sum come from the samples) and
    ``evaluated`` (how many steps were).
    """
    low_step, low = _extreme(curve, "min")
    high_step, high = _extreme(curve, "max")
    return {
        "expression": repr(curve.schedule),
        "steps": curve.n,
        "first": {"step": 0, "value": curve.value_at(0)},
        "breakpoints": [
            {"step": b, "value": curve.value_at(b), "before": curve.value_at(b - 1)}
            for b in _shown(curve.breakpoints)
        ],
        "breakpoints_total": len(curve.breakpoints),
        "last": {"step": curve.n - 1, "value": curve.value_at(curve.n - 1)},
        "min": {"step": low_step, "value": low},
        "max": {"step": high_step, "value": high},
        "sum": _area(curve),
        "exact": curve.exact,
        "evaluated": len(curve.steps),
    }


def default_steps(schedules: Sequence[Schedule]) -> int:
    """A run length that shows every breakpoint of the schedules, with a margin.

    The last breakpoint below ``10**9`` plus 10%, rounded up to a round number; for
    periodic schedules (more than 64 breakpoints), enough steps for the first 64;
    10,000 steps when there is no breakpoint at all.
    """
    horizon = 0
    for schedule in schedules:
        for exponent in range(3, 10):
            points = schedule.breakpoints(10**exponent, limit=65)
            if len(points) > 64:
                horizon = max(horizon, points[63])
                break
            if points:
                horizon = max(horizon, points[-1])
    if horizon == 0:
        return _DEFAULT_STEPS
    target = horizon * 1.1
    scale = 10 ** math.floor(math.log10(target))
    for mantissa in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if mantissa * scale >= target:
            return int(mantissa * scale)
    return int(10 * scale)  # unreachable: the last mantissa always fits


# --- text output ------------------------------------------------------------------------


def _number(value: float) -> str:
    return f"{value:.6g}"


def format_summary(data: dict[str, Any], method: str) -> str:
    """The text summary that ``schedcore show`` prints, from :func:`summary` data."""
    n = data["steps"]
    if data["exact"]:
        how = f"every step evaluated ({'one numpy call' if method == 'numpy' else 'pure Python'})"
    else:
        how = f"{data['evaluated']} of them evaluated (sampled; min, max and sum are estimates)"
    lines = [data["expression"], f"steps 0 .. {n - 1} ({n} steps), {how}", ""]
    rows = [("step", "s(t)", "s(t-1)", "")]
    rows.append(("0", _number(data["first"]["value"]), "", "first step"))
    listed = data["breakpoints"]
    total = data["breakpoints_total"]
    for i, point in enumerate(listed):
        if total > len(listed) and i == len(listed) // 2:
            rows.append(("...", "", "", f"{total - len(listed)} more breakpoints"))
        rows.append((str(point["step"]), _number(point["value"]), _number(point["before"]), "breakpoint"))
    if n > 1:
        rows.append((str(n - 1), _number(data["last"]["value"]), "", "last step"))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for step, value, before, note in rows:
        line = f"  {step:>{widths[0]}}  {value:>{widths[1]}}  {before:>{widths[2]}}  {note}"
        lines.append(line.rstrip())
    approx = "" if data["exact"] else "~"
    stats = [
        ("min", f"{approx}{_number(data['min']['value'])}", f"at step {data['min']['step']}"),
        ("max", f"{approx}{_number(data['max']['value'])}", f"at step {data['max']['step']}"),
        ("sum", f"{approx}{_number(data['sum'])}", f'the "LR area": the sum of s(t) over the {n} steps'),
    ]
    width = max(len(value) for _, value, _ in stats)
    lines.append("")
    lines.extend(f"  {name}  {value:<{width}}  {note}" for name, value, note in stats)
    return "\n".join(lines)


def _json_safe(value: Any) -> Any:
    """Replace non-finite floats (an overflowing exponential) by ``"inf"`` / ``"-inf"`` / ``"nan"``."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value


def _finite_range(values: Array, numpy: bool) -> tuple[float, float] | None:
    """The smallest and largest finite values, or ``None`` when there is none."""
    if numpy:
        np = importlib.import_module("numpy")
        finite = values[np.isfinite(values)]
        return (float(finite.min()), float(finite.max())) if finite.size else None
    kept = [v for v in values if math.isfinite(v)]
    return (min(kept), max(kept)) if kept else None


def _bucket_ranges(curve: Curve, width: int) -> list[tuple[float, float] | None]:
    """For each of ``width`` columns, the range of the values over its steps.

    Each column covers an equal share of the run; its range also includes the last
    value of the previous column, so that jumps are drawn as vertical lines.
    """
    n, steps, values = curve.n, curve.steps, curve.values
    numpy = curve.method == "numpy"
    ranges: list[tuple[float, float] | None] = []
    previous: float | None = None
    for column in range(width):
        lo = bisect.bisect_left(steps, column * n // width)
        hi = bisect.bisect_left(steps, (column + 1) * n // width)
        if hi == lo and lo > 0:  # a sampled run may have no step in a narrow column
            lo -= 1
        span = _finite_range(values[lo:hi], numpy) if hi > lo else None
        if previous is not None and math.isfinite(previous):
            span = (min(span[0], previous), max(span[1], previous)) if span else (previous, previous)
        ranges.append(span)
        if hi > lo:
            previous = float(values[hi - 1])
    return ranges


def _log10(curve: Curve) -> Curve:
    """The curve with ``log10`` of its values; values ``<= 0`` become NaN (not drawn)."""
    if curve.method == "numpy":
        np = importlib.import_module("numpy")
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(curve.values > 0, np.log10(curve.values), np.nan)
    else:
        values = [math.log10(v) if v > 0 else math.nan for v in curve.values]
    return dataclasses.replace(curve, values=values)


def ascii_chart(curves: Sequence[Curve], width: int = 72, height: int = 18, *, log: bool = False) -> str:
    """Draw curves in plain text, one marker per curve (``*``, ``o``, ``+``, ...).

    The chart has ``height`` rows and at most ``width`` columns of plot area (fewer
    when the run is shorter), a value axis on the left and the first, middle and
    last steps below; with several curves, a legend follows. ``log=True`` spaces the
    rows by powers of ten and leaves values ``<= 0`` out.
    """
    if log:
        return _ascii_chart([_log10(curve) for curve in curves], width, height, lambda v: 10**v)
    return _ascii_chart(curves, width, height, lambda v: v)


def _ascii_chart(curves: Sequence[Curve], width: int, height: int, label: Callable[[float], float]) -> str:
    n = max(curve.n for curve in curves)
    width = max(1, min(width, n))
    height = max(3, height)
    columns = [_bucket_ranges(curve, width) for curve in curves]
    finite = [v for ranges in columns for pair in ranges if pair for v in pair]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    if high - low <= 1e-12 * max(1.0, abs(high)):
        pad = abs(high) / 2 or 0.5
        low, high = low - pad, high + pad

    def row(value: float) -> int:
        return min(height - 1, max(0, round((high - value) / (high - low) * (height - 1))))

    grid = [[" "] * width for _ in range(height)]
    for index, ranges in enumerate(columns):
        marker = _MARKERS[index % len(_MARKERS)]
        for column, pair in enumerate(ranges):
            if pair is not None:
                for r in range(row(pair[1]), row(pair[0]) + 1):
                    grid[r][column] = marker
    labels = {0: high, height // 2: high - (height // 2) / (height - 1) * (high - low), height - 1: low}
    label_width = max(len(f"{label(v):.4g}") for v in labels.values())
    lines = []
    for r, cells in enumerate(grid):
        text = f"{label(labels[r]):.4g}" if r in labels else ""
        lines.append(f"{text:>{label_width}} |{''.join(cells)}".rstrip())
    lines.append(" " * label_width + " +" + "-" * width)
    axis = [" "] * max(width, len(str(n - 1)))

    def put(text: str, start: int) -> None:
        start = max(0, min(start, len(axis) - len(text)))
        if all(c == " " for c in axis[max(0, start - 1) : start + len(text) + 1]):
            axis[start : start + len(text)] = text

    put("0", 0)
    put(str(n - 1), len(axis))
    put(str(n // 2), width // 2 - len(str(n // 2)) // 2)
    lines.append(" " * (label_width + 2) + "".join(axis).rstrip())
    lines.append(" " * (label_width + 2) + "step t")
    if len(curves) > 1:
        lines.append("")
        lines.extend(f"  {_MARKERS[i % len(_MARKERS)]}  {curve.schedule!r}" for i, curve in enumerate(curves))
    return "\n".join(lines)


# --- plots ------------------------------------------------------------------------------

_METADATA = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}


def _matplotlib_figure() -> Any:
    """The ``matplotlib.figure`` module, or a clear failure when matplotlib is missing."""
    if not _installed("matplotlib"):
        raise _Failure(
            '--plot needs matplotlib, which is not installed; install it with: pip install "schedcore[plot]"'
            " (or draw in the terminal with --ascii, which needs nothing)",
            status=1,
        )
    return importlib.import_module("matplotlib.figure")


def _wrap(text: str, width: int = 100) -> str:
    """Break a long expression between factors (``" * "``), and inside a factor that is too long."""
    lines = [""]
    for index, factor in enumerate(text.split(" * ")):
        joiner = " * " if index else ""
        chunks = _pack(factor.split(", "), ", ", width) if len(factor) > width else [factor]
        if lines[-1] and len(lines[-1]) + len(joiner) + len(chunks[0]) > width:
            lines[-1] += joiner.rstrip()
            lines.append(chunks[0])
        else:
            lines[-1] += joiner + chunks[0]
        lines.extend(chunks[1:])
    return "\n".join(lines)


def _pack(parts: list[str], joiner: str, width: int) -> list[str]:
    """Join ``parts`` into lines of at most ``width`` characters where possible."""
    lines = [parts[0]]
    for part in parts[1:]:
        if len(lines[-1]) + len(joiner) + len(part) > width:
            lines[-1] += joiner.rstrip()
            lines.append(part)
        else:
            lines[-1] += joiner + part
    return lines


def _plot_format(target: str | BinaryIO, file_format: str | None) -> str:
    """The file format of a plot, checked against those matplotlib writes."""
    fmt = (file_format or os.path.splitext(str(target))[1].lstrip(".")).lower()
    supported = _matplotlib_figure().Figure().canvas.get_supported_filetypes()
    if fmt not in supported:
        described = repr(fmt) if fmt else "a file name without an extension"
        choices = ", ".join("." + name for name in sorted(supported))
        raise ValueError(f"matplotlib cannot write {described}; use one of: {choices}")
    return str(fmt)


def draw(
    curves: Sequence[Curve], target: str | BinaryIO, file_format: str | None = None, *, log: bool = False
) -> None:
    """Plot the curves with matplotlib and save the figure to ``target``.

    Args:
        curves: The evaluated runs; one line each, with a legend when there are several.
        target: A file name (the format follows its extension) or a binary file.
        file_format: ``"png"``, ``"svg"``, ``"pdf"``...; required when ``target`` is a file object.
        log: A log-scale value axis; values ``<= 0`` (a warmup's start) are left out.

    Raises:
        ValueError: the format is not one matplotlib writes.
        ImportError: matplotlib is not installed.
        OSError: the file cannot be written.
    """
    try:
        fmt = _plot_format(target, file_format)
    except _Failure as failure:
        raise ImportError(str(failure)) from None
    ticker = importlib.import_module("matplotlib.ticker")
    figure = _matplotlib_figure().Figure(figsize=(8, 4.5), layout="constrained")
    axes = figure.add_subplot()
    single = len(curves) == 1
    for curve in curves:
        label = None if single else _wrap(repr(curve.schedule), 90)
        axes.plot(curve.steps, curve.values, linewidth=1.6, label=label)
    if single:
        curve = curves[0]
        if 0 < len(curve.breakpoints) <= _SHOWN_BREAKPOINTS:
            for b in curve.breakpoints:
                axes.axvline(b, color="0.6", linewidth=0.8, linestyle=":", zorder=0)
        axes.set_title(_wrap(repr(curve.schedule)), fontsize=9, family="monospace", loc="left")
    else:
        figure.legend(loc="outside lower center", prop={"family": "monospace", "size": 8})
    n = max(curve.n for curve in curves)
    axes.set_xlim(0, max(n - 1, 1))
    if log:
        axes.set_yscale("log", nonpositive="mask")
        spans = [_finite_range(_log10(curve).values, curve.method == "numpy") for curve in curves]
        finite = [v for span in spans if span for v in span]
        if finite:  # a tenth of a decade beyond the values, a decade when they are flat
            low, high = min(finite), max(finite)
            pad = 0.1 * (high - low) or 1.0
            axes.set_ylim(10 ** (low - pad), 10 ** (high + pad))
    else:
        spans = [_finite_range(curve.values, curve.method == "numpy") for curve in curves]
        finite = [v for span in spans if span for v in span]
        if finite:  # the axis includes 0, so that a flat or shallow curve is not magnified
            low, high = min(0.0, *finite), max(0.0, *finite)
            pad = 0.05 * (high - low or 1.0)
            axes.set_ylim(low - pad, high + pad)
    axes.xaxis.set_major_formatter(ticker.EngFormatter(sep=""))
    axes.set_xlabel("step t (optimizer updates completed)")
    axes.set_ylabel("multiplier s(t)")
    axes.grid(alpha=0.3)
    figure.savefig(target, format=fmt, dpi=150, metadata=_METADATA.get(fmt))


# --- the command ------------------------------------------------------------------------


def _positive_int(text: str) -> int:
    """``--steps`` and the chart size: a positive int, also written ``100_000`` or ``1e6``."""
    cleaned = text.replace("_", "")
    try:
        value = int(cleaned)
    except ValueError:
        try:
            number = float(cleaned)
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and number.is_integer()):
            raise argparse.ArgumentTypeError(
                f"must be a positive int up to 2**63 - 1, got {text!r}"
            ) from None
        value = int(number)
    if not 1 <= value <= MAX_STEPS:
        raise argparse.ArgumentTypeError(f"must be a positive int up to 2**63 - 1, got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="schedcore", description="Training schedules defined once as pure step -> multiplier functions."
    )
    parser.add_argument("--version", action="version", version=f"schedcore {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    show = commands.add_parser(
        "show",
        help="print a schedule's summary and draw its curve",
        description=(
            "Evaluate the steps 0 .. N-1 of a schedule and print the value at step 0, at each"
            " breakpoint, at N-1, the minimum, the maximum and the sum of the values (the 'LR"
            " area'); optionally draw the curve."
        ),
        epilog=f"Without SPEC, the built-in example: {EXAMPLE}",
    )
    show.add_argument(
        "spec",
        nargs="?",
        metavar="SPEC",
        help="a schedule expression, or a JSON / YAML file of its to_dict() form",
    )
    show.add_argument(
        "--steps",
        type=_positive_int,
        metavar="N",
        help="evaluate the steps 0 .. N-1 (default: past the last breakpoint)",
    )
    drawing = show.add_mutually_exclusive_group()
    drawing.add_argument("--plot", metavar="FILE", help="save a plot (.png, .svg, .pdf) with matplotlib")
    drawing.add_argument("--ascii", action="store_true", help="draw the curve in the terminal")
    show.add_argument(
        "--log", action="store_true", help="a log-scale value axis for --plot or --ascii (shows decay tails)"
    )
    show.add_argument(
        "--compare", nargs="+", default=[], metavar="SPEC2", help="more schedules to summarize and overlay"
    )
    show.add_argument("--json", action="store_true", help="print the summary as JSON")
    show.add_argument(
        "--import",
        dest="imports",
        action="append",
        default=[],
        metavar="MODULE",
        help="import MODULE first, e.g. one that registers its own schedule classes (repeatable)",
    )
    show.add_argument("--width", type=_positive_int, help="columns of the --ascii chart")
    show.add_argument("--height", type=_positive_int, default=18, help="rows of the --ascii chart")
    return parser


def _show(args: argparse.Namespace, out: TextIO) -> int:
    if args.json and args.ascii:
        raise _Failure("--json and --ascii both write to stdout; choose one")
    if args.log and not (args.plot or args.ascii):
        raise _Failure("--log sets the scale of a drawing: use it with --plot FILE or --ascii")
    for module in args.imports:
        try:
            importlib.import_module(module)
        except Exception as error:  # whatever the module raises: one line, not a traceback
            raise _Failure(f"--import {module}: {type(error).__name__}: {error}") from None
    specs = [args.spec if args.spec is not None else EXAMPLE, *args.compare]
    schedules = []
    for index, spec in enumerate(specs):
        try:
            schedules.append(load(spec))
        except ValueError as error:
            where = "SPEC" if index == 0 else f"--compare #{index}"
            raise _Failure(f"{where}: {error}") from None
    if args.plot:
        try:  # fail before the work if the plot cannot be drawn
            _plot_format(args.plot, None)
        except ValueError as error:
            raise _Failure(f"--plot {args.plot}: {error}") from None
    n = args.steps or default_steps(schedules)
    try:
        curves = [evaluate(schedule, n) for schedule in schedules]
    except ValueError as error:
        raise _Failure(f"--steps {n}: {error}") from None
    summaries = [summary(curve) for curve in curves]
    notes = out if not args.json else sys.stderr
    if args.json:
        out.write(json.dumps(_json_safe({"steps": n, "schedules": summaries}), indent=2) + "\n")
    else:
        out.write("\n\n".join(format_summary(s, c.method) for s, c in zip(summaries, curves, strict=True)))
        out.write("\n")
    if args.ascii:
        width = args.width or max(20, min(100, shutil.get_terminal_size().columns) - 14)
        out.write("\n" + ascii_chart(curves, width, args.height, log=args.log) + "\n")
    if args.plot:
        try:
            draw(curves, args.plot, log=args.log)
        except OSError as error:
            raise _Failure(f"--plot {args.plot}: cannot write it: {error}", status=1) from None
        notes.write(f"wrote {args.plot}\n")
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the ``schedcore`` command line and return its exit status.

    Args:
        argv: The arguments after the program name; ``sys.argv[1:]`` by default.
        out: Where the summary goes; ``sys.stdout`` by default. Errors go to
            ``sys.stderr`` as one line.

    Returns:
        0 on success; 2 for a bad SPEC or bad options; 1 when a plot cannot be
        written (matplotlib missing, or the file cannot be created), or when the
        reader of standard output goes away (``schedcore show | head``), quietly.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or a usage error already printed
        return exit_.code if isinstance(exit_.code, int) else 2
    try:
        return _show(args, out or sys.stdout)
    except _Failure as failure:
        print(f"schedcore {args.command}: error: {failure}", file=sys.stderr)
        return failure.status
    except BrokenPipeError:
        if out is not None:
            raise
        # What the Python docs advise (signal, "Note on SIGPIPE"): point stdout at devnull,
        # so that the flush at exit does not fail again, and exit with status 1.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
