"""schedcore: training schedules defined once, as pure ``step -> multiplier`` functions.

>>> import schedcore as sc
>>> s = sc.warmup(1000) * sc.multistep([30000, 60000], gamma=0.1) * sc.polynomial(90000)
>>> s
warmup(1000) * multistep([30000, 60000], gamma=0.1) * polynomial(90000)
>>> s(0), round(s(500), 6), round(s(45000), 6), s(90000)
(0.0, 0.497222, 0.05, 0.0)

The core imports nothing outside the standard library. Adapters for PyTorch,
Chainer and optax live in :mod:`schedcore.adapters`; constructors named and
parametrised like each peer library's schedulers live in :mod:`schedcore.compat`.
"""

import importlib
from types import ModuleType

from schedcore._base import Schedule, register
from schedcore.combinators import clip, compose, cycle, join, per_epoch, per_sample, shift, stretch
from schedcore.operations import Operations
from schedcore.schedules import (
    constant,
    cosine,
    cosine_wave,
    cyclic,
    exponential,
    exponential_warmup,
    inverse,
    inverse_sqrt,
    linear,
    multistep,
    one_cycle,
    piecewise_constant,
    piecewise_linear,
    polynomial,
    radam_warmup,
    step_decay,
    tanh_decay,
    warmup,
    wsd,
)
from schedcore.serialize import ParseError, from_dict, parse

__version__ = "0.1.0"


def __getattr__(name: str) -> ModuleType:
    # sc.adapters and sc.compat without importing them first; neither imports a framework.
    if name in ("adapters", "compat"):
        return importlib.import_module(f"schedcore.{name}")
    raise AttributeError(f"module 'schedcore' has no attribute {name!r}")


__all__ = [
    "Operations",
    "ParseError",
    "Schedule",
    "__version__",
    "clip",
    "compose",
    "constant",
    "cosine",
    "cosine_wave",
    "cycle",
    "cyclic",
    "exponential",
    "exponential_warmup",
    "from_dict",
    "inverse",
    "inverse_sqrt",
    "join",
    "linear",
    "multistep",
    "one_cycle",
    "parse",
    "per_epoch",
    "per_sample",
    "piecewise_constant",
    "piecewise_linear",
    "polynomial",
    "radam_warmup",
    "register",
    "shift",
    "step_decay",
    "stretch",
    "tanh_decay",
    "warmup",
    "wsd",
]
