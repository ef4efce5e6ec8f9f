"""Timing helpers: contenders timed in alternation, medians, paired ratios, checks.

Every case times its contenders round by round: in each round every contender runs
once (a batch of ``n`` operations for per-step costs), in an order that is reversed
every other round, so that a change of machine load hits all of them alike. A
contender's result is the median over rounds (with min and max); a ratio between two
contenders is the median of their per-round ratios, which cancels most of the load
that both saw in the same round.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class Unavailable(Exception):  # a case result, not an error of the harness
    """A case cannot run here (a library or an adapter is missing); the message says why."""


def need(module: str) -> Any:
    """Import ``module`` or mark the case unavailable, naming what failed to import."""
    import importlib

    try:
        return importlib.import_module(module)
    except Exception as error:  # ImportError, or a library that fails while importing
        raise Unavailable(f"import {module} failed: {type(error).__name__}: {error}") from error


@dataclass
class Contender:
    """One thing to time: ``run()`` performs ``n`` operations."""

    run: Callable[[], Any]
    n: int = 1
    seconds: list[float] = field(default_factory=list)  # per operation, one per round

    def summary(self, scale: float) -> dict[str, Any]:
        runs = [s * scale for s in self.seconds]
        return {
            "median": statistics.median(runs),
            "min": min(runs),
            "max": max(runs),
            "runs": runs,
            "ops_per_round": self.n,
        }


def alternate(contenders: dict[str, Contender], rounds: int, warmup: int = 1) -> None:
    """Time every contender once per round, alternating their order; fills ``seconds``."""
    names = list(contenders)
    for name in names:
        for _ in range(warmup):
            contenders[name].run()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for r in range(rounds):
            for name in names if r % 2 == 0 else names[::-1]:
                contender = contenders[name]
                start = time.perf_counter()
                contender.run()
                contender.seconds.append((time.perf_counter() - start) / contender.n)
                gc.collect()
    finally:
        if was_enabled:
            gc.enable()


def paired_ratio(a: Contender, b: Contender) -> dict[str, float]:
    """Median (and min, max) of the per-round ratios ``a / b``."""
    ratios = [x / y for x, y in zip(a.seconds, b.seconds, strict=True)]
    return {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios)}


@dataclass
class Result:
    """What one case reports: contenders, checks against targets, notes."""

    case: str
    title: str
    unit: str = "ms"
    scale: float = 1e3
    contenders: dict[str, dict[str, Any]] = field(default_factory=dict)
    checks: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, timed: dict[str, Contender]) -> None:
        for name, contender in timed.items():
            self.contenders[name] = contender.summary(self.scale)

    def ratio(
        self, name: str, a: Contender, b: Contender, target: float | None = None, *, headline: bool = True
    ) -> None:
        """A ratio ``a / b`` measured side by side; ``target`` is its largest good value."""
        value = paired_ratio(a, b)
        self.checks.append(
            {
                "name": name,
                "value": value["median"],
                "min": value["min"],
                "max": value["max"],
                "unit": "x",
                "target": target,
                "met": None if target is None else value["median"] <= target,
                "headline": headline,
            }
        )

    def absolute(
        self, name: str, value: float, unit: str, target: float | None, *, headline: bool = True
    ) -> None:
        """An absolute measure (a time, a memory ratio) against its largest good value."""
        self.checks.append(
            {
                "name": name,
                "value": value,
                "unit": unit,
                "target": target,
                "met": None if target is None else value <= target,
                "headline": headline,
            }
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "title": self.title,
            "status": "ok",
            "unit": self.unit,
            "contenders": self.contenders,
            "checks": self.checks,
            "notes": self.notes,
            "extra": self.extra,
        }
