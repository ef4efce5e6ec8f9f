"""The benchmark cases. Each runs in its own process, started by ``run.py``.

A case builds its contenders, times them with :func:`timing.alternate` and returns a
:class:`timing.Result`; it raises :class:`timing.Unavailable` when a library or an
adapter it needs cannot be imported. ``PROFILE`` maps a case to the schedcore side
of it, for ``run.py --profile``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

from timing import Contender, Result, Unavailable, alternate, need

#: The schedule of every case: "warmup ∘ multistep ∘ polynomial" of SPEC section 7.
SPEC = "warmup(1000) * multistep([3000000, 6000000], gamma=0.1) * polynomial(9000000, power=0.5)"
MILESTONES = (3_000_000, 6_000_000)
N = 10_000_000


def schedule() -> Any:
    import schedcore as sc

    return sc.parse(SPEC)


def optax_schedule(optax: Any) -> Callable[[Any], Any]:
    """The same schedule from optax's own functions: three schedules multiplied.

    ``linear_schedule`` holds its end value past ``transition_steps``: it is the warmup
    itself, which XLA runs faster than a ``join_schedules`` of it with a constant.
    """
    warm = optax.linear_schedule(0.0, 1.0, 1000)
    steps = optax.piecewise_constant_schedule(1.0, dict.fromkeys(MILESTONES, 0.1))
    decay = optax.polynomial_schedule(1.0, 0.0, power=0.5, transition_steps=9_000_000)
    return lambda count: warm(count) * steps(count) * decay(count)


def adapter(name: str) -> Any:
    """``schedcore.adapters.<name>``, or unavailable (the adapters land separately)."""
    from schedcore import adapters

    try:
        return getattr(adapters, name)
    except Exception as error:
        raise Unavailable(
            f"schedcore.adapters.{name} could not be imported ({type(error).__name__}: {error})"
        ) from error


def _jax(x64: bool) -> tuple[Any, Any, Any]:
    jax = need("jax")
    jax.config.update("jax_enable_x64", x64)
    return jax, need("jax.numpy"), need("optax")


# --- V1, V2: ten million steps at once -------------------------------------------


def v1(rounds: int) -> Result:
    np = need("numpy")
    jax, jnp, optax = _jax(x64=True)
    s = schedule()
    steps = np.arange(N)
    peer = jax.jit(optax_schedule(optax))
    counts = jnp.arange(N, dtype=jnp.int64)
    ours, theirs = s(steps), np.asarray(peer(counts))
    if theirs.dtype != np.float64:
        raise RuntimeError(f"jax did not compute in float64 (got {theirs.dtype})")
    from schedcore import _backend

    timed = {
        "schedcore s(t)": Contender(lambda: s(steps)),
        "schedcore s.evaluate(t, threads=1)": Contender(lambda: s.evaluate(steps, threads=1)),
        "jax.jit(optax schedule), x64": Contender(lambda: peer(counts).block_until_ready()),
        "np.arange(N, dtype=float64) (memory floor)": Contender(lambda: np.arange(N, dtype=np.float64)),
        "schedcore whole-array path (before chunking)": Contender(
            lambda: _backend.evaluate_whole(s, steps, None, None)
        ),
    }
    alternate(timed, rounds)
    result = Result("V1", f"s(np.arange(10_000_000)), float64, for {SPEC}")
    result.add(timed)
    ours_t, jax_t, floor_t = (
        timed["schedcore s(t)"],
        timed["jax.jit(optax schedule), x64"],
        timed["np.arange(N, dtype=float64) (memory floor)"],
    )
    one = timed["schedcore s.evaluate(t, threads=1)"]
    result.ratio("schedcore / jax.jit x64", ours_t, jax_t, 0.8)
    result.ratio("schedcore / memory floor", ours_t, floor_t, 2.5)
    result.ratio("schedcore, 1 thread / jax.jit x64", one, jax_t, headline=False)
    result.ratio("schedcore, 1 thread / memory floor", one, floor_t, headline=False)
    result.ratio(
        "schedcore / whole-array path",
        ours_t,
        timed["schedcore whole-array path (before chunking)"],
        headline=False,
    )
    result.extra["max_abs_difference_to_optax"] = float(np.max(np.abs(ours - theirs)))
    result.extra["threads"] = _threads(N)
    result.notes.append(
        "jax.jit runs the product of optax's linear_schedule, piecewise_constant_schedule and"
        " polynomial_schedule (the leanest optax formulation) on a device array of int64 counts"
        " (jax_enable_x64); schedcore runs on a numpy int64 array. Both make a new float64 array of"
        " 10M values per call."
    )
    return result


def v2(rounds: int) -> Result:
    np = need("numpy")
    jax, jnp, optax = _jax(x64=False)
    s = schedule()
    steps32, steps64 = np.arange(N, dtype=np.int32), np.arange(N)
    peer = jax.jit(optax_schedule(optax))
    counts = jnp.arange(N)
    theirs = np.asarray(peer(counts))
    if theirs.dtype != np.float32:
        raise RuntimeError(f"jax did not compute in float32 (got {theirs.dtype})")
    ours = s.evaluate(steps32, dtype="float32")
    exact = s(steps64)
    timed = {
        'schedcore s.evaluate(int32 t, dtype="float32")': Contender(
            lambda: s.evaluate(steps32, dtype="float32")
        ),
        'schedcore s.evaluate(int64 t, dtype="float32")': Contender(
            lambda: s.evaluate(steps64, dtype="float32")
        ),
        "jax.jit(optax schedule), float32": Contender(lambda: peer(counts).block_until_ready()),
        "np.arange(N, dtype=float32) (memory floor)": Contender(lambda: np.arange(N, dtype=np.float32)),
    }
    alternate(timed, rounds)
    result = Result("V2", "s.evaluate(np.arange(10_000_000), dtype='float32') vs JAX's default precision")
    result.add(timed)
    names = list(timed)
    result.ratio("schedcore float32 / jax.jit float32", timed[names[0]], timed[names[2]], 1.2)
    result.ratio(
        "schedcore float32 (int64 steps) / jax.jit float32", timed[names[1]], timed[names[2]], headline=False
    )
    result.ratio("schedcore float32 / memory floor", timed[names[0]], timed[names[3]], headline=False)
    nonzero = exact != 0
    result.extra["max_relative_error_vs_float64"] = float(
        np.max(np.abs(ours[nonzero] - exact[nonzero]) / np.abs(exact[nonzero]))
    )
    result.extra["max_relative_error_of_jax_vs_float64"] = float(
        np.max(np.abs(theirs[nonzero] - exact[nonzero]) / np.abs(exact[nonzero]))
    )
    result.notes.append(
        "Both read int32 counts (JAX's default) and write float32 values; schedcore computes every"
        " continuous part from the exact integer distance to its end in float32."
    )
    return result


# --- V3: scaling ------------------------------------------------------------------


def scaled(n: int) -> Any:
    """The V1 schedule stretched to ``n`` steps: the same shape, whatever ``n``."""
    import schedcore as sc

    return (
        sc.warmup(max(1, n // 10_000))
        * sc.multistep([3 * n // 10, 6 * n // 10], gamma=0.1)
        * sc.polynomial(9 * n // 10, power=0.5)
    )


def v3(rounds: int) -> Result:
    np = need("numpy")
    s = schedule()
    result = Result(
        "V3", "s(np.arange(n)) for n = 1e3 .. 1e8: time per step, overhead, peak memory", "us", 1e6
    )
    small = np.arange(1000)
    repeat = 2000
    timed = {
        "schedcore s(np.arange(1000)), V1 schedule": Contender(_repeat(lambda: s(small), repeat), repeat),
        "np.arange(1000, dtype=float64)": Contender(
            _repeat(lambda: np.arange(1000, dtype=np.float64), repeat), repeat
        ),
    }
    alternate(timed, rounds)
    result.add(timed)
    overhead = result.contenders["schedcore s(np.arange(1000)), V1 schedule"]["median"]
    result.absolute("per-call time at n=1e3, V1 schedule (us)", overhead, "us", 20.0)
    table = []
    per_step: dict[int, float] = {}
    for exponent in range(3, 9):
        n = 10**exponent
        stretched, steps = scaled(n), np.arange(n)
        repeat = max(1, 2_000_000 // n)  # small arrays: a batch of calls per round
        timed = {
            "schedcore": Contender(_repeat(lambda f=stretched, t=steps: f(t), repeat), repeat),
            "floor": Contender(_repeat(lambda n=n: np.arange(n, dtype=np.float64), repeat), repeat),
        }
        alternate(timed, rounds if n < 10**8 else max(5, rounds // 2))
        ours_summary = timed["schedcore"].summary(1e6)
        floor_summary = timed["floor"].summary(1e6)
        per_step[n] = ours_summary["median"] * 1e3 / n
        table.append(
            {
                "n": n,
                "schedcore_us": ours_summary["median"],
                "schedcore_min_us": ours_summary["min"],
                "schedcore_max_us": ours_summary["max"],
                "floor_us": floor_summary["median"],
                "ns_per_step": per_step[n],
                "floor_ns_per_step": floor_summary["median"] * 1e3 / n,
                "threads": _threads(n),
            }
        )
        result.contenders[f"schedcore, scaled schedule, n=1e{exponent}"] = ours_summary
        result.contenders[f"np.arange floor, n=1e{exponent}"] = floor_summary
    result.extra["scaling"] = table
    result.absolute(
        "ns per step at 1e8 / ns per step at 1e6 (linear: <= 1.5)",
        per_step[10**8] / per_step[10**6],
        "x",
        1.5,
    )
    peak, output = _peak_memory(np, scaled(10**8), 10**8)
    result.absolute("peak memory at n=1e8 / output array", peak / output, "x", 2.0)
    result.extra["peak_bytes_1e8"] = peak
    result.extra["output_bytes_1e8"] = output
    from schedcore import _backend

    whole = scaled(10**7)
    whole_peak, whole_output = _peak_memory(
        np, whole, 10**7, lambda t: _backend.evaluate_whole(whole, t, None, None)
    )
    result.absolute(
        "whole-array path: peak memory at 1e7 / output", whole_peak / whole_output, "x", None, headline=False
    )
    result.notes.append(
        "The scaling rows use the V1 schedule stretched to n (warmup(n/10^4) * multistep([0.3n, 0.6n])"
        " * polynomial(0.9n, power=0.5)), so that every n covers the same shape; arrays of 2M steps and"
        " more are shared among threads. Peak memory is the peak of tracemalloc (numpy reports its"
        " allocations to it) during one call, above what was allocated before it (the steps)."
    )
    return result


def _peak_memory(np: Any, s: Any, n: int, call: Callable[[Any], Any] | None = None) -> tuple[int, int]:
    steps = np.arange(n)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        values = (call or s)(steps)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    return peak, int(values.nbytes)


def _threads(n: int) -> int:
    from schedcore import _chunked

    return _chunked._workers(n, None)


# --- S1, S2, S3: one step at a time -------------------------------------------------


def s1(rounds: int) -> Result:
    torch = need("torch")
    import schedcore as sc

    torch_adapter = adapter("torch")
    warnings.simplefilter("ignore")  # "lr_scheduler.step() before optimizer.step()": no update here

    def optimizer() -> Any:
        return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)

    ours = torch_adapter.wrap(optimizer(), schedule())
    ours_multistep = torch_adapter.wrap(optimizer(), sc.multistep(list(MILESTONES), gamma=0.1))
    ref = torch.optim.lr_scheduler.MultiStepLR(optimizer(), milestones=list(MILESTONES), gamma=0.1)
    batch = 20_000
    timed = {
        "schedcore adapters.torch.wrap(opt, warmup*multistep*polynomial).step()": Contender(
            _repeat(ours.step, batch), batch
        ),
        "schedcore adapters.torch.wrap(opt, multistep).step()": Contender(
            _repeat(ours_multistep.step, batch), batch
        ),
        "torch MultiStepLR.step()": Contender(_repeat(ref.step, batch), batch),
    }
    alternate(timed, rounds)
    result = Result("S1", "torch: scheduler.step() per step", "us", 1e6)
    result.add(timed)
    names = list(timed)
    result.ratio("schedcore wrap(3-part).step() / MultiStepLR.step()", timed[names[0]], timed[names[2]], 1.0)
    result.ratio(
        "schedcore wrap(multistep).step() / MultiStepLR.step()",
        timed[names[1]],
        timed[names[2]],
        headline=False,
    )
    return result


def s2(rounds: int) -> Result:
    s = schedule()
    ints = [(i * 7919) % N for i in range(20_000)]
    floats = [float(t) for t in ints]

    def calls(steps: list[Any]) -> Callable[[], None]:
        def run() -> None:
            for t in steps:
                s(t)

        return run

    generated = s._scalar_function()  # what s(t) calls once it has checked t

    def generated_alone() -> None:
        for t in ints:
            generated(t)

    def one_line(t: Any) -> float:
        return t * 2.0

    def one_line_calls() -> None:
        for t in ints:
            one_line(t)

    timed = {
        "schedcore s(t), int t": Contender(calls(ints), len(ints)),
        "schedcore s(t), float t": Contender(calls(floats), len(floats)),
        "the generated function alone, int t": Contender(generated_alone, len(ints)),
        "a one-line Python function, int t": Contender(one_line_calls, len(ints)),
    }
    alternate(timed, rounds)
    result = Result("S2", f"scalar s(t) for {SPEC}", "us", 1e6)
    result.add(timed)
    ints_t, _, generated_t, one_line_t = timed.values()
    ints_name, floats_name = list(timed)[:2]
    result.absolute("s(t) per call, int t (us)", result.contenders[ints_name]["median"], "us", 0.25)
    result.absolute(
        "s(t) per call, float t (us)", result.contenders[floats_name]["median"], "us", None, headline=False
    )
    result.ratio("s(t) / the generated function alone", ints_t, generated_t, headline=False)
    result.ratio("s(t) / a one-line Python function", ints_t, one_line_t, headline=False)
    result.notes.append(
        "The absolute time moves with the interpreter's speed, which on a shared host changes from"
        " round to round; the two ratios, measured side by side, do not. The one between s(t) and"
        " the generated function it calls is the cost of calling an instance of a Python class"
        " (CPython's call of a __call__ method) and of the check of t."
    )
    return result


def s4(rounds: int) -> Result:
    from shapes import SHAPES

    ints = [(i * 7919) % (2 * N) for i in range(2_000)]
    timed: dict[str, Contender] = {}
    for shape in SHAPES:
        s = shape.schedule(N)

        def run(s: Any = s) -> None:
            for t in ints:
                s(t)

        timed[f"schedcore {shape.title}"] = Contender(run, len(ints))
    alternate(timed, rounds)
    result = Result("S4", "every shape: scalar s(t) on Python ints, per call", "us", 1e6)
    result.add(timed)
    for shape, name in zip(SHAPES, timed, strict=True):
        result.absolute(f"{shape.title}: s(t) per call (us)", result.contenders[name]["median"], "us", 1.0)
    result.notes.append(
        "Each shape of benchmarks/shapes.py (lengths scaled to a 10M-step run) called on 2,000 Python"
        " ints spread over twice the run, through the generated Python function."
    )
    return result


def s3(rounds: int) -> Result:
    np = need("numpy")
    chainer = need("chainer")
    chainer_adapter = adapter("chainer")
    from chainer import training
    from chainer.training import extensions

    def trainer() -> Any:
        model = chainer.links.Linear(1, 1)
        optimizer = chainer.optimizers.SGD(lr=0.1)
        optimizer.setup(model)
        data = [(np.zeros(1, np.float32), np.zeros(1, np.float32))] * 4
        iterator = chainer.iterators.SerialIterator(data, 2)
        updater = training.updaters.StandardUpdater(iterator, optimizer)
        return training.Trainer(updater, (10**9, "iteration"))

    ours_trainer, ref_trainer = trainer(), trainer()
    ours = chainer_adapter.wrap(schedule(), attr="lr")
    ref = extensions.MultistepShift("lr", 0.1, list(MILESTONES), 0.1)
    ours.initialize(ours_trainer)
    ref.initialize(ref_trainer)
    batch = 20_000

    def calls(extension: Any, trainer: Any) -> Callable[[], None]:
        updater = trainer.updater

        def run() -> None:
            for _ in range(batch):
                updater.iteration += 1
                extension(trainer)

        return run

    timed = {
        "schedcore adapters.chainer.wrap(s)(trainer)": Contender(calls(ours, ours_trainer), batch),
        "chainer MultistepShift(trainer)": Contender(calls(ref, ref_trainer), batch),
    }
    alternate(timed, rounds)
    result = Result("S3", "Chainer: extension call per iteration", "us", 1e6)
    result.add(timed)
    names = list(timed)
    result.ratio("schedcore extension / MultistepShift", timed[names[0]], timed[names[1]], 1.0)
    result.notes.append("Both calls advance updater.iteration by one and set the optimizer's lr.")
    return result


def _repeat(step: Callable[[], Any], batch: int) -> Callable[[], None]:
    def run() -> None:
        for _ in range(batch):
            step()

    return run


# --- J1: a jitted optimizer update ------------------------------------------------------


def j1(rounds: int) -> Result:
    jax, jnp, optax = _jax(x64=False)
    optax_adapter = adapter("optax")
    base = 1e-3
    native = optax_schedule(optax)
    params = {"w": jnp.zeros((64, 64)), "b": jnp.zeros(64)}
    grads = jax.tree_util.tree_map(jnp.ones_like, params)
    batch = 1000

    def contender(learning_rate: Any) -> Contender:
        tx = optax.adamw(learning_rate)

        @jax.jit
        def update(params: Any, state: Any) -> Any:
            updates, state = tx.update(grads, state, params)
            return optax.apply_updates(params, updates), state

        carry = [params, tx.init(params)]

        def run() -> None:
            p, s = carry
            for _ in range(batch):
                p, s = update(p, s)
            jax.block_until_ready(p)
            carry[:] = [p, s]

        return Contender(run, batch)

    timed = {
        "optax.adamw(adapters.optax.wrap(s, 1e-3)) update": contender(optax_adapter.wrap(schedule(), base)),
        "optax.adamw(optax-native schedule) update": contender(lambda count: base * native(count)),
    }
    alternate(timed, rounds)
    result = Result("J1", "JAX: jitted optax.adamw update, per step", "us", 1e6)
    result.add(timed)
    names = list(timed)
    result.ratio("schedcore schedule / optax-native schedule", timed[names[0]], timed[names[1]], 1.05)
    result.notes.append("params: a 64x64 matrix and a 64 vector (float32); both updates are jitted once.")
    return result


# --- I1: import time ------------------------------------------------------------------------


def i1(rounds: int) -> Result:
    code = "import time; t = time.perf_counter(); import {}; print(time.perf_counter() - t)"
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="")

    def importing(module: str) -> Contender:
        def run() -> None:
            out = subprocess.run(
                [sys.executable, "-c", code.format(module)],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
            seconds.append(float(out.stdout))

        seconds: list[float] = []
        contender = Contender(run)
        contender.seconds = seconds  # the time measured inside the fresh process, not its start-up
        return contender

    timed = {
        "import schedcore": importing("schedcore"),
        "import of the stdlib modules schedcore imports": importing(
            "abc, ast, bisect, dataclasses, importlib, math, numbers, typing"
        ),
    }
    for contender in timed.values():  # alternate() would add its own timings: run by hand
        contender.run()  # warm the file cache
        contender.seconds.clear()
    for r in range(max(rounds, 11)):
        for contender in list(timed.values()) if r % 2 == 0 else list(timed.values())[::-1]:
            contender.run()
    result = Result("I1", "import schedcore in a fresh process")
    result.add(timed)
    result.absolute("import schedcore (ms)", result.contenders["import schedcore"]["median"], "ms", 30.0)
    result.extra["importtime_top"] = _importtime()
    return result


def _importtime() -> list[dict[str, Any]]:
    """The modules ``import schedcore`` loads with the largest own import time.

    From ``python -X importtime``, without the modules the interpreter loads at start-up.
    """

    def times(code: str) -> dict[str, tuple[float, float]]:
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True
        )
        found = {}
        for line in out.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, total, name = (part.strip() for part in line[len("import time:") :].split("|"))
            found[name] = (int(own) / 1e3, int(total) / 1e3)
        return found

    start_up = times("pass")
    rows = [
        {"module": name, "self_ms": own, "cumulative_ms": total}
        for name, (own, total) in times("import schedcore").items()
        if name not in start_up
    ]
    return sorted(rows, key=lambda row: -row["self_ms"])[:12]


# --- E1: every shape ------------------------------------------------------------------


def e1(rounds: int) -> Result:
    from shapes import SHAPES

    return _against_jax_and_numpy(
        "E1",
        "every shape: s(np.arange(10_000_000)), float64, against its leanest JAX and numpy",
        SHAPES,
        rounds,
        "Each shape's lengths are scaled to the 10M-step run. The JAX contender is the curve written"
        " directly with jax.numpy in its leanest form (benchmarks/shapes.py), jitted with x64 on int64"
        " counts; the numpy contender is the same expression on a float64 array, whole. All three agree"
        " to 1e-9 (checked before timing).",
        "numpy computes float64 exp, expm1, sin, cos, tanh and power in SIMD only with AVX-512 (its"
        " X86_V4 target, named on the interpreter line above); on other x86 CPUs it calls the C"
        " library's functions value by value, while XLA runs its own vectorized exp and tanh. The"
        " shapes built on exp then take longer than XLA's whatever the rest of their evaluation costs.",
    )


def e2(rounds: int) -> Result:
    from shapes import SHORT_PERIODS

    return _against_jax_and_numpy(
        "E2",
        "short periods: cycles of a few thousand steps over np.arange(10_000_000)",
        SHORT_PERIODS,
        rounds,
        "Periods as recipes write them (torch's CyclicLR default, SGDR, timm's cycle_decay), not"
        " scaled to the run: every chunk of sorted steps crosses many periods, so no range settles"
        " the pieces of one. schedcore computes each cycle's part once per remainder, into a table"
        " (schedcore/_chunked.py, 'tables of short periods'). The contenders are as in E1.",
    )


def _against_jax_and_numpy(case: str, title: str, shapes: list[Any], rounds: int, *notes: str) -> Result:
    """Time each shape at N steps against its leanest jax.jit (x64) and numpy formulations."""
    np = need("numpy")
    jax, jnp, _ = _jax(x64=True)
    steps = np.arange(N)
    counts = jnp.arange(N, dtype=jnp.int64)
    floats = steps.astype(np.float64)
    result = Result(case, title)
    rows = []
    for shape in shapes:
        s = shape.schedule(N)
        peer = jax.jit(lambda t, shape=shape: shape.direct(jnp, t, N))
        ours, theirs, numpy_direct = s(steps), np.asarray(peer(counts)), shape.direct(np, floats, N)
        difference = float(np.max(np.abs(ours - theirs)))
        if not difference <= 1e-9 or not float(np.max(np.abs(ours - numpy_direct))) <= 1e-9:
            raise RuntimeError(f"{shape.title}: the formulations disagree by {difference}")
        timed = {
            f"schedcore {shape.title}": Contender(lambda s=s: s(steps)),
            f"jax.jit x64 {shape.title}": Contender(lambda peer=peer: peer(counts).block_until_ready()),
            f"numpy {shape.title}": Contender(lambda shape=shape: shape.direct(np, floats, N)),
        }
        alternate(timed, rounds)
        result.add(timed)
        ours_t, jax_t, numpy_t = timed.values()
        result.ratio(f"{shape.title}: schedcore / jax.jit x64", ours_t, jax_t, 1.0)
        result.ratio(f"{shape.title}: schedcore / numpy", ours_t, numpy_t, headline=False)
        rows.append({"shape": shape.title, "schedcore": repr(s), "max_abs_difference": difference})
    result.extra["shapes"] = rows
    result.notes.extend(notes)
    return result


CASES: dict[str, Callable[[int], Result]] = {
    "E1": e1,
    "E2": e2,
    "V1": v1,
    "V2": v2,
    "V3": v3,
    "S1": s1,
    "S2": s2,
    "S3": s3,
    "S4": s4,
    "J1": j1,
    "I1": i1,
}

#: The interpreter environment each case runs in (a directory of $SCHEDCORE_ENVS).
ENVIRONMENT = {"S3": "chainer"}


def _profile_v1() -> Callable[[], Any]:
    np = need("numpy")
    s, steps = schedule(), np.arange(N)
    return lambda: s.evaluate(steps, threads=1)


def _profile_v2() -> Callable[[], Any]:
    np = need("numpy")
    s, steps = schedule(), np.arange(N, dtype=np.int32)
    return lambda: s.evaluate(steps, dtype="float32", threads=1)


def _profile_v3() -> Callable[[], Any]:
    np = need("numpy")
    s, steps = schedule(), np.arange(1000)
    return lambda: [s(steps) for _ in range(2000)]


def _profile_s2() -> Callable[[], Any]:
    s = schedule()
    return lambda: [s(t) for t in range(0, N, 50)]


def _profile_s1() -> Callable[[], Any]:
    torch = need("torch")
    warnings.simplefilter("ignore")
    scheduler = adapter("torch").wrap(
        torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1), schedule()
    )
    return lambda: [scheduler.step() for _ in range(100_000)]


def _profile_i1() -> Callable[[], Any]:
    def run() -> None:
        for name in [m for m in sys.modules if m == "schedcore" or m.startswith("schedcore.")]:
            del sys.modules[name]
        import schedcore  # noqa: F401

    return run


def _profile_e1() -> Callable[[], Any]:
    np = need("numpy")
    from shapes import SHAPES

    steps = np.arange(N)
    schedules = [shape.schedule(N) for shape in SHAPES]
    return lambda: [s.evaluate(steps, threads=1) for s in schedules]


PROFILE: dict[str, Callable[[], Callable[[], Any]]] = {
    "E1": _profile_e1,
    "V1": _profile_v1,
    "V2": _profile_v2,
    "V3": _profile_v3,
    "S1": _profile_s1,
    "S2": _profile_s2,
    "I1": _profile_i1,
}


def machine() -> dict[str, Any]:
    """The machine and the library versions, for RESULTS.md."""
    import platform

    info: dict[str, Any] = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "load_average": load_average(),
        "python_call_ns": python_call_ns(),
        "time": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    for module in ("numpy", "jax", "jaxlib", "optax", "torch", "chainer"):
        try:
            info[module] = __import__(module).__version__
        except Exception:
            info[module] = None
    return info


def python_call_ns() -> float:
    """The best time of one call of a one-line Python function, in ns: the machine's Python speed.

    The absolute targets (S2, S4, V3, I1) are Python work; on a machine where this call
    takes twice as long, they take about twice as long too.
    """
    import timeit

    timer = timeit.Timer("f(3)", "f = lambda t: t * 2.0")
    loops, _ = timer.autorange()
    return round(min(timer.repeat(5, loops)) / loops * 1e9, 1)


def load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages, where the system has them."""
    if not hasattr(os, "getloadavg"):
        return None
    return [round(load, 2) for load in os.getloadavg()]


def cpu_times() -> list[int] | None:
    """The machine's CPU time so far by kind, in clock ticks (``/proc/stat``), where Linux has it.

    The fields are user, nice, system, idle, iowait, irq, softirq and steal: steal is the
    time a virtual machine's CPUs were ready but the hypervisor ran something else.
    """
    try:
        with open("/proc/stat") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    if len(fields) < 9 or fields[0] != "cpu":
        return None
    return [int(field) for field in fields[1:9]]


def steal_share(before: list[int] | None, after: list[int] | None) -> float | None:
    """The share of the machine's CPU time taken by the hypervisor between two :func:`cpu_times`."""
    if before is None or after is None:
        return None
    spent = [b - a for a, b in zip(before, after, strict=True)]
    total = sum(spent)
    return round(spent[7] / total, 3) if total > 0 else None


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or platform.machine()


__all__ = [
    "CASES",
    "ENVIRONMENT",
    "PROFILE",
    "Unavailable",
    "cpu_times",
    "load_average",
    "machine",
    "steal_share",
]
