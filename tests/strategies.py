"""Hypothesis strategies: every kind of schedule with valid random parameters."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

import schedcore as sc

lengths = st.integers(1, 10**6)
short_lengths = st.integers(1, 500)
values = st.floats(-4.0, 4.0, allow_nan=False, allow_infinity=False)
fractions = st.floats(0.0, 1.0)
decays = st.floats(0.01, 1.0)
# Exponents below float32's resolution would round to 0 there (and 0 ** 0 is 1).
powers = st.one_of(st.just(0.0), st.floats(1e-3, 4.0))


def _sorted_unique(points: list[int]) -> list[int]:
    return sorted(set(points))


@st.composite
def piecewise_constants(draw: Any) -> sc.Schedule:
    bounds = _sorted_unique(draw(st.lists(lengths, max_size=5)))
    vals = draw(st.lists(values, min_size=len(bounds) + 1, max_size=len(bounds) + 1))
    return sc.piecewise_constant(bounds, vals)


@st.composite
def piecewise_linears(draw: Any) -> sc.Schedule:
    bounds = _sorted_unique(draw(st.lists(st.integers(0, 10**6), min_size=1, max_size=5)))
    vals = draw(st.lists(values, min_size=len(bounds), max_size=len(bounds)))
    return sc.piecewise_linear(bounds, vals)


@st.composite
def one_cycles(draw: Any) -> sc.Schedule:
    return sc.one_cycle(
        draw(st.integers(20, 10**6)),
        peak_at=draw(st.floats(0.1, 0.45)),
        start=draw(fractions),
        end=draw(fractions),
        anneal=draw(st.sampled_from(["cos", "linear"])),
        three_phase=draw(st.booleans()),
    )


def primitives() -> st.SearchStrategy[sc.Schedule]:
    """Every primitive schedule, with parameters across their valid ranges."""
    return st.one_of(
        st.builds(sc.constant, values),
        st.builds(sc.linear, values, values, lengths),
        st.builds(sc.warmup, lengths, start=fractions),
        st.builds(sc.multistep, st.lists(lengths, max_size=5).map(sorted), gamma=decays),
        st.builds(sc.step_decay, lengths, gamma=decays),
        st.builds(sc.exponential, st.floats(0.5, 1.0), every=short_lengths),
        st.builds(sc.polynomial, lengths, power=powers, end=fractions),
        st.builds(sc.polynomial, short_lengths, power=powers, end=fractions, extend=st.just(True)),
        st.builds(sc.cosine, lengths, end=fractions, power=powers),
        st.builds(sc.cosine_wave, lengths, cycles=st.floats(0.1, 5.0), end=fractions),
        st.builds(sc.cosine_wave, lengths, cycles=st.integers(1, 5), end=fractions, restart=st.just(True)),
        st.builds(sc.inverse, st.floats(0.0, 1.0), power=powers),
        st.builds(sc.inverse_sqrt, lengths),
        piecewise_constants(),
        piecewise_linears(),
        one_cycles(),
        st.builds(sc.cyclic, short_lengths, st.one_of(st.none(), short_lengths), start=fractions),
        st.builds(
            sc.wsd,
            st.integers(0, 1000),
            st.integers(0, 1000),
            st.integers(0, 1000),
            end=fractions,
            warmup_shape=st.sampled_from(["linear", "cosine", "1-sqrt"]),
            decay_shape=st.sampled_from(["linear", "cosine", "1-sqrt"]),
        ),
        st.builds(sc.exponential_warmup, lengths, start=fractions),
        st.builds(sc.radam_warmup, st.floats(0.65, 0.9999)),
        st.builds(sc.polynomial, lengths, power=powers, end=fractions, k=st.floats(0.2, 4.0)),
        st.builds(sc.cosine, lengths, end=fractions, k=st.floats(0.2, 4.0)),
        st.builds(
            sc.tanh_decay, lengths, lower=st.floats(-8.0, -1.0), upper=st.floats(0.0, 5.0), end=fractions
        ),
    )


def _combine(children: st.SearchStrategy[sc.Schedule]) -> st.SearchStrategy[sc.Schedule]:
    return st.one_of(
        st.lists(children, min_size=2, max_size=3).map(lambda xs: sc.compose(*xs)),
        st.tuples(st.floats(-3.0, 3.0), children).map(lambda p: p[0] * p[1]),
        st.tuples(children, children).map(lambda p: p[0] + p[1]),
        st.tuples(children, st.floats(-2.0, 2.0)).map(lambda p: p[0] + p[1]),
        st.lists(children, min_size=2, max_size=3).flatmap(
            lambda xs: st.lists(lengths, min_size=len(xs) - 1, max_size=len(xs) - 1, unique=True).map(
                lambda bs: sc.join(xs, sorted(bs))
            )
        ),
        st.builds(sc.cycle, children, short_lengths, growth=st.integers(1, 3)),
        st.builds(sc.cycle, children, short_lengths, growth=st.floats(1.1, 3.0), decay=decays),
        st.builds(sc.per_epoch, children, short_lengths),
        st.builds(sc.per_sample, children, st.integers(1, 16)),  # small: nested products stay in int64
        st.builds(sc.clip, children, low=st.floats(-1.0, 0.5)),
        st.builds(sc.shift, children, short_lengths),
        # whole factors and powers of two: the stretched time is exact, so are its switches
        st.builds(sc.stretch, children, st.one_of(st.integers(1, 16), st.sampled_from([0.25, 0.5]))),
    )


def schedules() -> st.SearchStrategy[sc.Schedule]:
    """Primitives and combinations of them, up to a few levels deep."""
    return st.recursive(primitives(), _combine, max_leaves=5)


steps = st.integers(0, 10**9)


def one_of_each() -> list[sc.Schedule]:
    """One schedule of every class in the core, with parameters that exercise its formula."""
    w = sc.warmup(10)
    return [
        sc.constant(0.5),
        sc.linear(1.0, 0.5, 10),
        w,
        sc.multistep([3, 7], 0.5),
        sc.step_decay(3, 0.5),
        sc.exponential(0.9),
        sc.polynomial(10, power=0.9, end=0.1),
        sc.cosine(10, end=0.1),
        sc.cosine_wave(10),
        sc.cosine_wave(10, cycles=0.3),
        sc.cosine_wave(10, cycles=2, restart=True),
        sc.inverse(0.1, 0.5),
        sc.inverse_sqrt(10),
        sc.piecewise_constant([3], [1.0, 0.5]),
        sc.piecewise_linear([2, 5], [0.0, 1.0]),
        sc.one_cycle(50),
        sc.one_cycle(50, anneal="linear", three_phase=True),
        sc.cyclic(4, 6, start=0.1),
        sc.wsd(3, 3, 3, warmup_shape="1-sqrt", decay_shape="1-sqrt"),
        sc.exponential_warmup(10),
        sc.radam_warmup(0.999),
        w * sc.cosine(20),
        w + sc.cosine(20),
        sc.join([w, sc.cosine(10)], [10]),
        sc.cycle(sc.cosine(10), 10),
        sc.cycle(w * sc.cosine(10), 10, growth=2),
        sc.cycle(sc.cosine(10), 10, growth=1.5, decay=0.5),
        sc.cycle(sc.cosine(10), 10, decay=0.8),
        sc.per_epoch(sc.cosine(10), 3),
        sc.per_sample(sc.cosine(100), 4),
        sc.per_sample(sc.per_epoch(sc.multistep([2], 0.5), 10), 3),
        sc.clip(sc.cosine(10), low=0.1, high=0.9),
        sc.polynomial(10, power=2.0, k=0.5),
        sc.cosine(10, end=0.1, k=2.0),
        sc.tanh_decay(10, end=0.1),
        sc.join([w, sc.shift(sc.cosine(30), 10)], [10]),
        sc.shift(sc.multistep([3, 7], 0.5), 2),
        sc.polynomial(10, power=2.0, end=0.1, extend=True),
        sc.polynomial(10, k=2.0, extend=True),
        sc.cycle(sc.cosine(10), 10, growth=1.5, decay=0.5),
        sc.cycle(w * sc.cosine(10), 10, decay=0.8),
        sc.cycle(sc.cosine(10), 10, decay=0.0),
        sc.cycle(sc.cosine(10), 10, growth=1.1, decay=0.0),
        sc.stretch(sc.multistep([3, 7], 0.5) * sc.cosine(10), 3),
        sc.stretch(sc.linear(0.5, 1.0, 10), 2.5, offset=4.0),
    ]


def magnitude(schedule: sc.Schedule) -> float:
    """The largest parameter of a schedule (at least 1): the scale of float32's rounding.

    A curve that crosses zero (``linear(3.0, -2.9, T)``) has values near zero computed
    from terms of this size, so their absolute error is about this times float32's
    epsilon, whatever the evaluation.
    """

    def numbers(data: Any) -> list[float]:
        if isinstance(data, dict):
            return [x for key, value in data.items() if key != "type" for x in numbers(value)]
        if isinstance(data, list):
            return [x for item in data for x in numbers(item)]
        return [abs(data)] if isinstance(data, float) else []

    return max([1.0, *numbers(schedule.to_dict())])
