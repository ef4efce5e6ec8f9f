"""Every compat constructor checks every argument under the name the caller passed.

The compat modules import no framework, so this runs in every suite. For each public
constructor of each compat module it starts from a valid call and puts one bad value of
many kinds (a str, a bool, None, NaN, infinities, negative and huge numbers, a float
where an int is needed, lists and dicts of bad entries) into one parameter at a time.
The outcome must be a ``TypeError`` or ``ValueError`` whose message names that parameter
as the caller spelled it (the peer's name, never the core's) and shows the value, or,
only for a value of the annotated type, a schedule whose values are numbers, never NaN.
"""

from __future__ import annotations

import importlib
import inspect
import math
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pytest

import schedcore as sc
from schedcore import compat
from schedcore._base import Schedule

_CYCLE = {"init_value": 0.0, "peak_value": 1.0, "warmup_steps": 2, "decay_steps": 10}
#: The warmup, noise and unit arguments every timm scheduler takes.
_TIMM_COMMON: dict[str, Any] = {
    "warmup_t": 2,
    "warmup_lr_init": 1e-5,
    "noise_range_t": None,
    "noise_pct": 0.67,
    "noise_std": 1.0,
    "noise_seed": 42,
    "base_lr": 0.1,
    "updates_per_epoch": 5,
}

#: One or more valid calls of each constructor, as keyword arguments; a parameter that
#: matters only next to some others (``epochs`` without ``total_steps``) gets a call of its own.
VALID: dict[str, list[dict[str, Any]]] = {
    "torch.ChainedScheduler": [{"schedulers": [sc.warmup(5), sc.exponential(0.9)]}],
    "torch.ConstantLR": [{"factor": 0.5, "total_iters": 5}],
    "torch.CosineAnnealingLR": [{"T_max": 10, "eta_min": 0.01, "base_lr": 0.1}],
    "torch.CosineAnnealingWarmRestarts": [{"T_0": 10, "T_mult": 2, "eta_min": 0.01, "base_lr": 0.1}],
    "torch.CyclicLR": [
        {
            "base_lr": 0.1,
            "max_lr": 1.0,
            "step_size_up": 5,
            "step_size_down": 3,
            "mode": "exp_range",
            "gamma": 0.99,
            "scale_fn": None,
            "scale_mode": "iterations",
            "cycle_momentum": True,
            "base_momentum": 0.8,
            "max_momentum": 0.9,
        },
        {"base_lr": [0.1, 0.2], "max_lr": 1.0, "base_momentum": [0.8, 0.85], "max_momentum": 0.9},
    ],
    "torch.CyclicMomentum": [
        {
            "base_lr": 0.1,
            "max_lr": 1.0,
            "step_size_up": 5,
            "step_size_down": 3,
            "mode": "triangular2",
            "gamma": 0.99,
            "scale_fn": None,
            "scale_mode": "cycle",
            "cycle_momentum": True,
            "base_momentum": [0.8, 0.85],
            "max_momentum": 0.9,
        }
    ],
    "torch.OneCycleMomentum": [
        {
            "max_lr": [0.1, 0.2],
            "total_steps": 100,
            "pct_start": 0.3,
            "anneal_strategy": "cos",
            "cycle_momentum": True,
            "base_momentum": 0.85,
            "max_momentum": [0.95, 0.9],
            "div_factor": 10.0,
            "final_div_factor": 100.0,
            "three_phase": True,
        },
        {"max_lr": 0.1, "epochs": 10, "steps_per_epoch": 10},
    ],
    "torch.SWALR": [
        {"swa_lr": 0.05, "anneal_epochs": 5, "anneal_strategy": "linear", "base_lr": 0.1},
        {"swa_lr": [0.05, 0.01], "base_lr": [0.1, 0.2]},
    ],
    "torch.ExponentialLR": [{"gamma": 0.9}],
    "torch.LinearLR": [{"start_factor": 0.5, "end_factor": 1.0, "total_iters": 5}],
    "torch.MultiStepLR": [{"milestones": [3, 7], "gamma": 0.1}],
    "torch.OneCycleLR": [
        {
            "max_lr": 0.1,
            "total_steps": 100,
            "pct_start": 0.3,
            "anneal_strategy": "linear",
            "div_factor": 10.0,
            "final_div_factor": 100.0,
            "three_phase": True,
            "cycle_momentum": False,
            "base_momentum": [0.8, 0.85],
            "max_momentum": 0.9,
        },
        {"max_lr": 0.1, "epochs": 10, "steps_per_epoch": 10},
    ],
    "torch.PolynomialLR": [{"total_iters": 10, "power": 2.0}],
    "torch.SequentialLR": [{"schedulers": [sc.warmup(5), sc.exponential(0.9)], "milestones": [5]}],
    "torch.StepLR": [{"step_size": 5, "gamma": 0.5}],
    "optax.constant_schedule": [{"value": 0.1}],
    "optax.cosine_decay_schedule": [{"init_value": 0.1, "decay_steps": 100, "alpha": 0.1, "exponent": 2.0}],
    "optax.cosine_onecycle_schedule": [
        {
            "transition_steps": 100,
            "peak_value": 1.0,
            "pct_start": 0.3,
            "div_factor": 25.0,
            "final_div_factor": 1e4,
        }
    ],
    "optax.exponential_decay": [
        {
            "init_value": 1.0,
            "transition_steps": 10,
            "decay_rate": 0.5,
            "transition_begin": 5,
            "staircase": True,
            "end_value": 0.1,
        }
    ],
    "optax.join_schedules": [{"schedules": [sc.constant(1.0), sc.linear(1.0, 0.0, 10)], "boundaries": [5]}],
    "optax.linear_onecycle_schedule": [
        {
            "transition_steps": 100,
            "peak_value": 1.0,
            "pct_start": 0.3,
            "pct_final": 0.85,
            "div_factor": 25.0,
            "final_div_factor": 1e4,
        }
    ],
    "optax.linear_schedule": [
        {"init_value": 0.0, "end_value": 1e-3, "transition_steps": 100, "transition_begin": 5}
    ],
    "optax.piecewise_constant_schedule": [{"init_value": 1.0, "boundaries_and_scales": {10: 0.1, 20: 0.5}}],
    "optax.piecewise_interpolate_schedule": [
        {"interpolate_type": "cosine", "init_value": 1.0, "boundaries_and_scales": {10: 0.1, 20: 0.5}}
    ],
    "optax.polynomial_schedule": [
        {"init_value": 1.0, "end_value": 0.01, "power": 2.0, "transition_steps": 100, "transition_begin": 5}
    ],
    "optax.sgdr_schedule": [{"cosine_kwargs": [_CYCLE, _CYCLE]}],
    "optax.warmup_constant_schedule": [{"init_value": 0.0, "peak_value": 1e-3, "warmup_steps": 100}],
    "optax.warmup_cosine_decay_schedule": [
        {
            "init_value": 0.0,
            "peak_value": 1.0,
            "warmup_steps": 10,
            "decay_steps": 100,
            "end_value": 0.1,
            "exponent": 2.0,
        }
    ],
    "optax.warmup_exponential_decay_schedule": [
        {
            "init_value": 0.0,
            "peak_value": 1.0,
            "warmup_steps": 10,
            "transition_steps": 5,
            "decay_rate": 0.5,
            "transition_begin": 3,
            "staircase": True,
            "end_value": 0.1,
        }
    ],
    "chainer.ExponentialShift": [{"rate": 0.99, "init": 0.1, "target": 1e-3}],
    "chainer.InverseShift": [{"gamma": 0.1, "power": 0.75, "init": 0.1, "target": 1e-3}],
    "chainer.LinearShift": [{"value_range": (0.5, 0.9), "time_range": (10, 20)}],
    "chainer.MultistepShift": [{"gamma": 0.5, "step_value": [5, 10], "init": 0.1}],
    "chainer.PolynomialShift": [{"rate": 1.0, "max_count": 100, "init": 0.1, "target": 0.01}],
    "chainer.StepShift": [{"gamma": 0.5, "step": 10, "init": 0.1, "target": 0.01}],
    "chainer.TutorialPolynomialShift": [
        {"power": 1.0, "stop_trigger": (2, "epoch"), "batchsize": 3, "len_dataset": 10},
        {"power": 1.0, "stop_trigger": (20, "iteration")},
    ],
    "chainer.WarmupShift": [{"warmup_start": 0.0, "warmup_iter": 10, "init": 0.1}],
    "pytorch_warmup.ExponentialWarmup": [{"warmup_period": 10}],
    "pytorch_warmup.LinearWarmup": [{"warmup_period": 10}],
    "pytorch_warmup.RAdamWarmup": [{"beta2": 0.999}],
    "pytorch_warmup.UntunedExponentialWarmup": [{"beta2": 0.999}],
    "pytorch_warmup.UntunedLinearWarmup": [{"beta2": 0.999}],
    "timm.CosineLRScheduler": [
        {
            **_TIMM_COMMON,
            "t_initial": 10,
            "lr_min": 1e-4,
            "cycle_mul": 1.5,
            "cycle_decay": 0.5,
            "cycle_limit": 3,
            "warmup_prefix": False,
            "t_in_epochs": True,
            "k_decay": 2.0,
        }
    ],
    "timm.TanhLRScheduler": [
        {
            **_TIMM_COMMON,
            "t_initial": 10,
            "lb": -6.0,
            "ub": 4.0,
            "lr_min": 1e-4,
            "cycle_mul": 2.0,
            "cycle_decay": 0.5,
            "cycle_limit": 3,
            "warmup_prefix": True,
            "t_in_epochs": False,
        }
    ],
    "timm.PolyLRScheduler": [
        {
            **_TIMM_COMMON,
            "t_initial": 10,
            "power": 0.5,
            "lr_min": 1e-4,
            "cycle_mul": 1.0,
            "cycle_decay": 0.5,
            "cycle_limit": 2,
            "warmup_prefix": False,
            "t_in_epochs": False,
            "k_decay": 0.5,
        }
    ],
    "timm.StepLRScheduler": [
        {
            **_TIMM_COMMON,
            "decay_t": 2.5,
            "decay_rate": 0.5,
            "warmup_prefix": True,
            "t_in_epochs": True,
        }
    ],
    "timm.MultiStepLRScheduler": [
        {
            **_TIMM_COMMON,
            "decay_t": [1, 5, 9],
            "decay_rate": 0.5,
            "warmup_prefix": False,
            "t_in_epochs": True,
        }
    ],
    "timm.create_scheduler_v2": [
        {
            "sched": "cosine",
            "num_epochs": 10,
            "cooldown_epochs": 2,
            "patience_epochs": 10,
            "min_lr": 1e-4,
            "warmup_lr": 1e-5,
            "warmup_epochs": 2,
            "warmup_prefix": True,
            "noise": None,
            "noise_pct": 0.67,
            "noise_std": 1.0,
            "noise_seed": 42,
            "cycle_mul": 1.5,
            "cycle_decay": 0.5,
            "cycle_limit": 2,
            "k_decay": 1.5,
            "decay_fn": None,
            "stable_timescale": None,
            "plateau_mode": "max",
            "step_on_epochs": False,
            "updates_per_epoch": 5,
            "base_lr": 0.1,
        },
        {"sched": "step", "decay_epochs": 2.5, "decay_rate": 0.5, "updates_per_epoch": 5},
        {"sched": "multistep", "decay_milestones": [2, 4], "decay_rate": 0.5, "updates_per_epoch": 5},
    ],
    "transformers.get_constant_schedule": [{}],
    "transformers.get_constant_schedule_with_warmup": [{"num_warmup_steps": 10}],
    "transformers.get_cosine_schedule_with_warmup": [
        {"num_warmup_steps": 10, "num_training_steps": 100, "num_cycles": 0.5}
    ],
    "transformers.get_cosine_with_hard_restarts_schedule_with_warmup": [
        {"num_warmup_steps": 10, "num_training_steps": 100, "num_cycles": 2}
    ],
    "transformers.get_cosine_with_min_lr_schedule_with_warmup": [
        {"num_warmup_steps": 10, "num_training_steps": 100, "num_cycles": 0.5, "min_lr_rate": 0.1},
        {"num_warmup_steps": 10, "num_training_steps": 100, "min_lr": 1e-4, "lr_init": 1e-3},
    ],
    "transformers.get_cosine_with_min_lr_schedule_with_warmup_lr_rate": [
        {
            "num_warmup_steps": 10,
            "num_training_steps": 100,
            "num_cycles": 0.5,
            "min_lr_rate": 0.1,
            "warmup_lr_rate": 0.01,
        },
        {"num_warmup_steps": 0, "num_training_steps": 100, "min_lr": 1e-4, "lr_init": 1e-3},
    ],
    "transformers.get_scheduler": [
        {
            "name": "polynomial",
            "num_warmup_steps": 10,
            "num_training_steps": 100,
            "scheduler_specific_kwargs": {"lr_end": 1e-5, "lr_init": 1e-3},
        }
    ],
    "transformers.create_scheduler": [
        {
            "args": types.SimpleNamespace(
                lr_scheduler_type="cosine_with_min_lr",
                warmup_steps=0.1,
                lr_scheduler_kwargs='{"min_lr": 1e-5}',
                learning_rate=1e-3,
            ),
            "num_training_steps": 100,
        }
    ],
    "transformers.get_inverse_sqrt_schedule": [{"num_warmup_steps": 10, "timescale": 100}],
    "transformers.get_linear_schedule_with_warmup": [{"num_warmup_steps": 10, "num_training_steps": 100}],
    "transformers.get_polynomial_decay_schedule_with_warmup": [
        {"num_warmup_steps": 10, "num_training_steps": 100, "lr_end": 1e-7, "power": 2.0, "lr_init": 1e-3}
    ],
    "transformers.get_wsd_schedule": [
        {
            "num_warmup_steps": 10,
            "num_decay_steps": 20,
            "num_training_steps": 100,
            "warmup_type": "cosine",
            "decay_type": "cosine",
            "min_lr_ratio": 0.1,
            "num_cycles": 1.0,
        },
        {"num_warmup_steps": 10, "num_decay_steps": 20, "num_stable_steps": 70},
    ],
    "keras.CosineDecay": [
        {
            "initial_learning_rate": 0.0,
            "decay_steps": 100,
            "alpha": 0.1,
            "warmup_target": 1.0,
            "warmup_steps": 10,
        }
    ],
    "keras.CosineDecayRestarts": [
        {"initial_learning_rate": 1.0, "first_decay_steps": 10, "t_mul": 1.5, "m_mul": 0.5, "alpha": 0.1}
    ],
    "keras.ExponentialDecay": [
        {"initial_learning_rate": 1.0, "decay_steps": 10, "decay_rate": 0.5, "staircase": True}
    ],
    "keras.InverseTimeDecay": [
        {"initial_learning_rate": 1.0, "decay_steps": 10, "decay_rate": 0.5, "staircase": True}
    ],
    "keras.PiecewiseConstantDecay": [{"boundaries": [10, 20], "values": [1.0, 0.5, 0.1]}],
    "keras.PolynomialDecay": [
        {
            "initial_learning_rate": 1.0,
            "decay_steps": 10,
            "end_learning_rate": 0.01,
            "power": 2.0,
            "cycle": True,
        }
    ],
}

# The compat modules of mmengine, fvcore and Composer.
_MM_WINDOW = {"begin": 1, "end": 20, "by_epoch": True, "epoch_length": 5, "convert_to_iter_based": True}
_MM: dict[str, list[dict[str, Any]]] = {
    "Constant": [{"factor": 0.5, **_MM_WINDOW}],
    "Linear": [{"start_factor": 0.5, "end_factor": 1.0, **_MM_WINDOW}],
    "Exponential": [{"gamma": 0.9, **_MM_WINDOW, "convert_to_iter_based": False}],
    "Step": [{"step_size": 2, "gamma": 0.5, **_MM_WINDOW}],
    "MultiStep": [{"milestones": [2, 4], "gamma": 0.5, **_MM_WINDOW}],
    "CosineAnnealing": [
        {"T_max": 10, "eta_min": 0.01, **_MM_WINDOW, "base_value": 0.1},
        {"eta_min_ratio": 0.1, "begin": 0, "end": 20, "by_epoch": False},
    ],
    "CosineRestart": [
        {"periods": [5, 10], "restart_weights": [1.0, 0.5], "eta_min": 0.01, **_MM_WINDOW, "base_value": 0.1},
        {"periods": [5, 10], "restart_weights": [1.0, 0.5], "eta_min_ratio": 0.1, "by_epoch": False},
    ],
    "Poly": [{"eta_min": 0.001, "power": 2.0, **_MM_WINDOW, "base_value": 0.1}],
}
_ONE_CYCLE = {
    "eta_max": 0.1,
    "total_steps": 20,
    "pct_start": 0.3,
    "anneal_strategy": "linear",
    "div_factor": 10.0,
    "final_div_factor": 100.0,
    "three_phase": True,
    "begin": 2,
    "end": 20,
    "by_epoch": False,
    "epoch_length": 5,
    "convert_to_iter_based": False,
    "base_value": 0.1,
}
VALID.update(
    {f"mmengine.{kind}LR": calls for kind, calls in _MM.items()}
    | {f"mmengine.{kind}Momentum": calls for kind, calls in _MM.items()}
    | {
        f"mmengine.{kind}ParamScheduler": [{"param_name": "weight_decay", **c} for c in calls]
        for kind, calls in _MM.items()
    }
    | {
        "mmengine.OneCycleLR": [_ONE_CYCLE],
        "mmengine.OneCycleParamScheduler": [{"param_name": "lr", **_ONE_CYCLE}],
        "mmengine.build_param_scheduler": [
            {
                "param_scheduler": [
                    {"type": "LinearLR", "start_factor": 0.1, "by_epoch": False, "end": 10},
                    {"type": "CosineAnnealingLR", "eta_min": 1e-4, "by_epoch": True, "begin": 1},
                ],
                "param_name": "lr",
                "epoch_length": 10,
                "max_epochs": 5,
                "max_iters": 50,
                "base_value": 0.1,
            }
        ],
    }
)
_RUN = {"max_duration": "10ep", "dataloader_len": 5, "scale_schedule_ratio": 0.5}
VALID.update(
    {
        "composer.StepScheduler": [{"step_size": "2ep", "gamma": 0.5, **_RUN}],
        "composer.MultiStepScheduler": [{"milestones": ["1ep", "30ba"], "gamma": 0.5, **_RUN}],
        "composer.ConstantScheduler": [{"alpha": 0.5, "t_max": "0.5dur", **_RUN}],
        "composer.LinearScheduler": [{"alpha_i": 1.0, "alpha_f": 0.1, "t_max": "0.5dur", **_RUN}],
        "composer.ExponentialScheduler": [{"gamma": 0.9, "decay_period": "1ep", **_RUN}],
        "composer.CosineAnnealingScheduler": [{"t_max": "1dur", "alpha_f": 0.1, **_RUN}],
        "composer.CosineAnnealingWarmRestartsScheduler": [
            {"t_0": "2ep", "t_mult": 1.5, "alpha_f": 0.1, **_RUN}
        ],
        "composer.PolynomialScheduler": [{"power": 2.0, "t_max": "1dur", "alpha_f": 0.1, **_RUN}],
        "composer.MultiStepWithWarmupScheduler": [
            {"t_warmup": "2ba", "milestones": ["1ep"], "gamma": 0.5, "scale_warmup": True, **_RUN}
        ],
        "composer.ConstantWithWarmupScheduler": [
            {"t_warmup": "2ba", "alpha": 0.5, "t_max": "1dur", "scale_warmup": True, **_RUN}
        ],
        "composer.LinearWithWarmupScheduler": [
            {
                "t_warmup": "0.1dur",
                "alpha_i": 1.0,
                "alpha_f": 0.0,
                "t_max": "1dur",
                "scale_warmup": False,
                **_RUN,
            }
        ],
        "composer.CosineAnnealingWithWarmupScheduler": [
            {"t_warmup": "1ep", "t_max": "10ep", "alpha_f": 0.1, "scale_warmup": True, **_RUN}
        ],
        "composer.PolynomialWithWarmupScheduler": [
            {"t_warmup": "5ba", "power": 2.0, "t_max": "1dur", "alpha_f": 0.1, "scale_warmup": True, **_RUN}
        ],
        "fvcore.ConstantParamScheduler": [{"value": 0.1}],
        "fvcore.CosineParamScheduler": [{"start_value": 0.1, "end_value": 0.001}],
        "fvcore.ExponentialParamScheduler": [{"start_value": 2.0, "decay": 0.02}],
        "fvcore.LinearParamScheduler": [{"start_value": 0.0, "end_value": 0.01}],
        "fvcore.MultiStepParamScheduler": [
            {"values": [1.0, 0.1, 0.01], "num_updates": 90, "milestones": [30, 60]}
        ],
        "fvcore.PolynomialDecayParamScheduler": [{"base_value": 0.1, "power": 2.0}],
        "fvcore.StepParamScheduler": [{"num_updates": 120, "values": [0.1, 0.01]}],
        "fvcore.StepWithFixedGammaParamScheduler": [
            {"base_value": 0.1, "num_decays": 3, "gamma": 0.1, "num_updates": 120}
        ],
        "fvcore.CompositeParamScheduler": [
            {
                "schedulers": [sc.constant(0.42), sc.cosine_wave(1)],
                "lengths": [0.3, 0.7],
                "interval_scaling": ["rescaled", "fixed"],
            }
        ],
        "fvcore.WarmupParamScheduler": [
            {
                "scheduler": sc.cosine_wave(1),
                "warmup_factor": 0.001,
                "warmup_length": 0.1,
                "warmup_method": "constant",
                "rescale_interval": True,
            }
        ],
        "fvcore.LRMultiplier": [{"multiplier": sc.cosine_wave(1), "max_iter": 100}],
    }
)

#: Names a message may refer to beyond the constructor's own parameters: the keys of the
#: dicts a constructor takes, as the caller spelled them.
NESTED: dict[str, Callable[..., Schedule] | tuple[Callable[..., Schedule], ...]] = {
    "optax.sgdr_schedule": compat.optax.warmup_cosine_decay_schedule,
    "mmengine.build_param_scheduler": tuple(
        getattr(compat.mmengine, name) for name in compat.mmengine.__all__ if name.endswith("ParamScheduler")
    ),
}

_HUGE = 10**400
#: Bad values of every kind, tried in every parameter.
BAD: list[Any] = [
    "5",
    "",
    True,
    False,
    None,
    math.nan,
    math.inf,
    -math.inf,
    -1,
    0,
    1.5,
    -2.5,
    1e300,
    5e-324,
    2**63,
    _HUGE,
    -_HUGE,
    object(),
    [],
    [0],
    [-1],
    [1.5],
    ["x"],
    [math.nan],
    [_HUGE],
    [3, 1],
    [5, 5],
    [0, 0],
    [None],
    [1.0, 2.0, 3.0],
    [sc.warmup(5)],
    [sc.warmup(5), 1.0],
    [{}],
    [{"steps": 3}],
    [{**_CYCLE, "decay_steps": 1}],
    [{**_CYCLE, "init_value": "x"}],
    (5,),
    ("x", "iteration"),
    (0, "epoch"),
    (5, "day"),
    (_HUGE, "iteration"),
    (math.nan, 1.0),
    (5, -1),
    {},
    {1.5: 0.5},
    {10: "x"},
    {10: -1.0},
    {10: math.inf},
    {10: 1e300, 20: 1e300},
    {_HUGE: 0.5},
    {"a": 1},
    {-1: 0.5},
    sc.warmup(5),
]

#: Steps at which an accepted schedule is evaluated: it must give a float, never NaN.
STEPS = (0, 1, 2, 3, 5, 9, 10, 11, 19, 20, 50, 99, 100, 101, 1_000, 10**6)

#: A name a message refers to: the subject of ``name must`` (also ``name[...]``, ``name key``)
#: or a value it shows, ``got name=`` or ``and name=``.
_REFERENCE = re.compile(r"\b([A-Za-z_]\w*)(?:\[[^\]]*\])*(?: key)?(?= must\b)|(?:got|and) ([A-Za-z_]\w*)=")


def _constructors() -> list[tuple[str, Callable[..., Schedule]]]:
    found = []
    for module_name in compat.__all__:
        module = importlib.import_module(f"schedcore.compat.{module_name}")
        found += [(f"{module_name}.{name}", getattr(module, name)) for name in module.__all__]
    return found


def _built(result: object) -> object:
    """The schedule a constructor built.

    ``create_scheduler_v2`` returns it with an epoch count; a per-group list of values
    gives a list of schedules, whose first stands for them all.
    """
    if isinstance(result, tuple | list) and result:
        return result[0]
    return result


def _hints(function: Callable[..., Any]) -> dict[str, Any]:
    return typing.get_type_hints(function, localns={"Schedule": Schedule})


def _conforms(value: object, hint: Any) -> bool:
    """Whether ``value`` is of the annotated type, so that a schedule may come out of it."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_conforms(value, arm) for arm in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is Any or hint is object:
        return True
    if hint is bool:
        return isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if hint in (int, float):  # an int may be a float with an integral value (3e6)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if isinstance(value, int):
            return abs(value) < (2**63 if hint is int else 2**1024)
        return math.isfinite(value) and (hint is float or (value.is_integer() and abs(value) < 2**63))
    if hint is Schedule:
        return isinstance(value, Schedule)
    args = typing.get_args(hint)
    if origin in (Mapping, dict):
        return isinstance(value, Mapping) and all(
            _conforms(k, args[0]) and _conforms(v, args[1]) for k, v in value.items()
        )
    if origin in (Sequence, Iterable, list, tuple):
        return isinstance(value, list | tuple) and all(_conforms(item, args[0]) for item in value)
    raise AssertionError(f"the test does not know the annotation {hint!r}")


def _mentions(message: str, name: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", message) is not None


def _problem(
    label: str, function: Callable[..., Schedule], name: str, value: object, kwargs: dict[str, Any]
) -> str:
    """What is wrong with the outcome of ``function(**kwargs)``, ``kwargs[name]`` being bad; '' if nothing."""
    hint = _hints(function)[name]
    call = f"{label}({', '.join(f'{k}={v!r}'[:60] for k, v in kwargs.items())})"
    try:
        schedule = _built(function(**kwargs))
    except (TypeError, ValueError) as error:
        message = str(error)
        allowed = set(inspect.signature(function).parameters)
        nested = NESTED.get(label, ())
        for inner in nested if isinstance(nested, tuple) else (nested,):
            allowed |= set(inspect.signature(inner).parameters)
        if not _mentions(message, name):
            return f"{call} -> the message does not name {name}: {message!r}"
        strangers = {
            ref for refs in _REFERENCE.findall(message) for ref in refs if ref and ref not in allowed
        }
        if strangers:
            return f"{call} -> the message names {sorted(strangers)}, not parameters: {message!r}"
        if not isinstance(value, list | tuple | dict) and not _conforms(value, hint):
            shown = repr(value)[:20]
            if shown not in message:
                return f"{call} -> the message does not show {shown}: {message!r}"
        return ""
    except Exception as error:  # the point of the test: no other exception escapes
        return f"{call} -> {type(error).__name__}: {error}"
    if not _conforms(value, hint):
        return f"{call} -> accepted a value that is not {hint}: {schedule!r}"
    if not isinstance(schedule, Schedule):
        return f"{call} -> returned {schedule!r}, not a schedule"
    for t in STEPS:
        try:
            got = schedule(t)
        except Exception as error:  # a schedule built from accepted arguments must evaluate
            return f"{call} -> {schedule!r}({t}) raises {type(error).__name__}: {error}"
        if not isinstance(got, float) or math.isnan(got):
            return f"{call} -> {schedule!r}({t}) is {got!r}"
    return ""


def _cases() -> list[Any]:
    cases = []
    for label, function in _constructors():
        for i, valid in enumerate(VALID.get(label, [])):
            for name in inspect.signature(function).parameters:
                cases.append(pytest.param(label, function, valid, name, id=f"{label}-{i}-{name}"))
    return cases


def test_every_compat_constructor_has_a_valid_call() -> None:
    labels = [label for label, _ in _constructors()]
    assert sorted(VALID) == sorted(labels)
    for label, function in _constructors():
        parameters = set(inspect.signature(function).parameters)
        covered: set[str] = set()
        for valid in VALID[label]:
            assert isinstance(_built(function(**valid)), Schedule)
            covered |= set(valid)
        assert covered == parameters, label  # each parameter is set in some valid call


@pytest.mark.parametrize(("label", "function", "valid", "name"), _cases())
def test_a_bad_argument_is_an_error_that_names_it(
    label: str, function: Callable[..., Schedule], valid: dict[str, Any], name: str
) -> None:
    problems = [_problem(label, function, name, value, {**valid, name: value}) for value in BAD]
    problems = [problem for problem in problems if problem]
    assert not problems, f"{len(problems)} of {len(BAD)} bad values:\n" + "\n".join(problems)
