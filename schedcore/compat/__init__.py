"""Constructors named and parametrised like each peer library's schedules.

One module per peer: ``compat.torch`` (``torch.optim.lr_scheduler``), ``compat.optax``,
``compat.chainer`` (the ``*Shift`` extensions), ``compat.pytorch_warmup``, ``compat.timm``
(``timm.scheduler``), ``compat.transformers``, ``compat.keras``
(``keras.optimizers.schedules``), ``compat.mmengine`` (OpenMMLab's parameter schedulers),
``compat.fvcore`` (fvcore's ``ParamScheduler`` and detectron2's ``LRMultiplier``) and
``compat.composer`` (MosaicML Composer's schedulers). Each constructor returns a core
schedule that, through the matching adapter, gives the peer's values; each documents the
quirks it reproduces.
These modules hold no formulas and import no framework; they are loaded on first use.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = [
    "chainer",
    "composer",
    "fvcore",
    "keras",
    "mmengine",
    "optax",
    "pytorch_warmup",
    "timm",
    "torch",
    "transformers",
]


def __getattr__(name: str) -> ModuleType:
    if name in __all__:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
