"""Schedules are values: immutable, equal by value, hashable, picklable, caches aside."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import re

import pytest
from hypothesis import given

import schedcore as sc
from tests import strategies


@given(s=strategies.schedules())
def test_schedules_rebuilt_from_their_fields_are_equal_and_hash_alike(s: sc.Schedule) -> None:
    twin = copy.deepcopy(s)
    assert twin == s
    assert twin is not s
    assert hash(twin) == hash(s)
    assert pickle.loads(pickle.dumps(s)) == s


def test_schedules_differ_by_class_and_by_any_field() -> None:
    assert sc.warmup(10) != sc.linear(0.0, 1.0, 10)
    assert sc.warmup(10) != sc.warmup(11)
    assert sc.warmup(10) != sc.warmup(10, start=0.1)
    assert sc.warmup(10) != "warmup(10)"
    assert len({sc.warmup(10), sc.warmup(10), sc.warmup(11)}) == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(lambda s: setattr(s, "steps", 20), "cannot assign to field 'steps'", id="assign"),
        pytest.param(lambda s: delattr(s, "steps"), "cannot delete field 'steps'", id="delete"),
        pytest.param(lambda s: setattr(s, "formula", None), "cannot assign to field 'formula'", id="method"),
    ],
)
def test_schedules_are_immutable(change: object, message: str) -> None:
    s = sc.warmup(10) * sc.multistep([5], gamma=0.5)
    with pytest.raises(dataclasses.FrozenInstanceError, match=f"^{re.escape(message)}$"):
        change(s.factors[0])  # type: ignore[attr-defined,operator]
    assert s(7) == 0.35


def test_caches_are_no_part_of_the_value() -> None:
    np = pytest.importorskip("numpy")
    s = sc.warmup(10) * sc.multistep([5], gamma=0.5)
    fresh = sc.warmup(10) * sc.multistep([5], gamma=0.5)
    s(3)  # the generated scalar function
    s(np.arange(20))  # the last restriction of the chunked evaluation
    assert s == fresh
    assert hash(s) == hash(fresh)
    assert pickle.dumps(s) == pickle.dumps(fresh)
    for twin in (pickle.loads(pickle.dumps(s)), copy.copy(s), copy.deepcopy(s)):
        assert twin == s
        assert twin(3) == s(3)
        np.testing.assert_array_equal(twin(np.arange(20)), s(np.arange(20)))
