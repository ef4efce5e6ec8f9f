"""adapters.torch: a schedule as a real LRScheduler, exact at every step and after a resume."""

from __future__ import annotations

import ast
import inspect
import io
import json
import math
import pickle
import re
import socket
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")

import schedcore as sc  # noqa: E402
from schedcore import adapters, compat  # noqa: E402
from tests import bad_inputs, processes  # noqa: E402

ROOT = processes.ROOT
S = sc.warmup(50) * sc.multistep([300, 300, 700], gamma=0.5) * sc.polynomial(900, power=0.5)
LRS = (0.1, 0.03, 2e-4)
LR_SCHEDULER = torch.optim.lr_scheduler


def _sgd(lrs: tuple[float, ...] = LRS, **options: Any) -> Any:
    groups = [{"params": [torch.nn.Parameter(torch.zeros(2))], "lr": lr} for lr in lrs]
    return torch.optim.SGD(groups, lr=lrs[0], momentum=0.9, weight_decay=1e-4, **options)


def _adam(lrs: tuple[float, ...] = LRS, **options: Any) -> Any:
    groups = [{"params": [torch.nn.Parameter(torch.zeros(2))], "lr": lr} for lr in lrs]
    return torch.optim.Adam(groups, lr=lrs[0], **options)


def _lrs(optimizer: Any, key: str = "lr") -> list[Any]:
    return [group[key] for group in optimizer.param_groups]


def _stepped(steps: int) -> tuple[Any, Any]:
    """An SGD of three groups and a scheduler of ``S`` after ``steps`` updates."""
    optimizer = _sgd()
    scheduler = adapters.torch.wrap(optimizer, S)
    for _ in range(steps):
        optimizer.step()
        scheduler.step()
    return optimizer, scheduler


@pytest.fixture
def no_warnings() -> Iterator[list[warnings.WarningMessage]]:
    """Record every warning; the test asserts the list it gets is empty when it should be."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught


def _scheduler_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    """The warnings about schedulers (not unrelated deprecations from torch's internals)."""
    texts = [str(w.message) for w in caught]
    return [
        t for t in texts if "step()" in t or "get_last_lr" in t or "optimizer.step" in t or "schedcore" in t
    ]


# --- the contract: group[key] == base * s(k) after k steps ----------------------------


def test_after_k_steps_every_group_holds_its_base_times_the_schedule() -> None:
    optimizer = _sgd()
    scheduler = adapters.torch.wrap(optimizer, S)
    for k in range(1_000):
        assert _lrs(optimizer) == [base * S(k) for base in LRS]
        assert scheduler.last_epoch == k
        assert scheduler.get_last_lr() == _lrs(optimizer)
        optimizer.step()
        scheduler.step()


def test_a_list_gives_each_group_its_own_schedule() -> None:
    schedules = [sc.warmup(10), sc.cosine(30), compat.torch.StepLR(7, gamma=0.5)]
    optimizer = _sgd()
    scheduler = adapters.torch.wrap(optimizer, schedules)
    for k in range(60):
        assert _lrs(optimizer) == [base * s(k) for base, s in zip(LRS, schedules, strict=True)]
        optimizer.step()
        scheduler.step()
    assert scheduler.schedules == tuple(schedules)


def test_the_scheduler_is_a_real_lr_scheduler() -> None:
    optimizer = _sgd()
    scheduler = adapters.torch.wrap(optimizer, S)
    assert isinstance(scheduler, LR_SCHEDULER.LRScheduler)
    assert scheduler.optimizer is optimizer
    assert scheduler.base_lrs == list(LRS)
    assert repr(scheduler) == f"<schedcore Scheduler key='lr' t=0 schedule={S!r}>"


@pytest.mark.parametrize(
    ("key", "make", "read"),
    [
        pytest.param("momentum", _sgd, lambda g: g["momentum"], id="momentum"),
        pytest.param("weight_decay", _sgd, lambda g: g["weight_decay"], id="weight_decay"),
        pytest.param(("betas", 0), _adam, lambda g: g["betas"][0], id="betas-0"),
        pytest.param(("betas", 1), _adam, lambda g: g["betas"][1], id="betas-1"),
    ],
)
def test_key_drives_any_hyperparameter_and_leaves_the_others_alone(
    key: Any, make: Callable[[], Any], read: Callable[[dict[str, Any]], float]
) -> None:
    optimizer = make()
    initial = [read(group) for group in optimizer.param_groups]
    others = [
        {k: v for k, v in g.items() if k not in ("params", "betas", key)} for g in optimizer.param_groups
    ]
    schedule = 0.5 + 0.5 * sc.cosine(40)
    scheduler = adapters.torch.wrap(optimizer, schedule, key=key)
    for k in range(100):
        assert [read(g) for g in optimizer.param_groups] == [b * schedule(k) for b in initial]
        optimizer.step()
        scheduler.step()
    name = key if isinstance(key, str) else key[0]
    for group, before in zip(optimizer.param_groups, others, strict=True):
        assert {k: v for k, v in group.items() if k in before} == before  # the lr included
        assert f"initial_{name}" in group
    if isinstance(key, tuple):
        group = optimizer.param_groups[0]
        assert isinstance(group["betas"], tuple)
        assert group["initial_betas"] == (0.9, 0.999)  # the whole tuple, as it was
        assert group["betas"][1 - key[1]] == (0.9, 0.999)[1 - key[1]]


def test_base_may_be_a_number_or_one_per_group() -> None:
    optimizer = _sgd()
    adapters.torch.wrap(optimizer, sc.constant(0.5), base=2.0)
    assert _lrs(optimizer) == [1.0, 1.0, 1.0]
    adapters.torch.wrap(optimizer, sc.constant(0.5), base=[2.0, 4.0, 6.0])
    assert _lrs(optimizer) == [1.0, 2.0, 3.0]


def test_an_initial_value_recorded_by_an_earlier_scheduler_is_the_base() -> None:
    optimizer = _sgd()
    LR_SCHEDULER.LinearLR(optimizer, start_factor=0.25, total_iters=10)  # sets lr = 0.25 * lr
    assert _lrs(optimizer)[0] == pytest.approx(0.025)
    scheduler = adapters.torch.wrap(optimizer, sc.constant(1.0))
    assert scheduler.base_lrs == list(LRS)
    assert [g["initial_lr"] for g in optimizer.param_groups] == list(LRS)


def test_last_step_starts_at_the_next_step_from_the_recorded_base() -> None:
    optimizer = _sgd()
    adapters.torch.wrap(optimizer, S)
    for group in optimizer.param_groups:
        group["lr"] = 123.0  # whatever the run had reached
    scheduler = adapters.torch.wrap(optimizer, S, last_step=400)
    assert scheduler.last_epoch == 401
    assert _lrs(optimizer) == [base * S(401) for base in LRS]


def test_last_step_without_a_recorded_base_says_what_to_do() -> None:
    message = (
        "last_step=5 resumes a run, which takes the base value from param_groups[0]['initial_lr'],"
        " but there is none: load the optimizer's state first, or pass base="
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        adapters.torch.wrap(_sgd(), S, last_step=5)
    scheduler = adapters.torch.wrap(_sgd(), S, last_step=5, base=1.0)
    assert scheduler.get_last_lr() == [S(6)] * 3


# --- bad inputs ----------------------------------------------------------------------------


def _bad(**changes: Any) -> Callable[[], Any]:
    def call() -> Any:
        arguments: dict[str, Any] = {"optimizer": _sgd(), "schedule": S, **changes}
        return adapters.torch.wrap(arguments.pop("optimizer"), arguments.pop("schedule"), **arguments)

    return call


BAD_INPUTS = [
    pytest.param(
        _bad(schedule=[S, S, 0.5]),
        TypeError,
        "schedule[2] must be a schedule, got float 0.5",
        id="schedule-item",
    ),
    pytest.param(
        _bad(key=3),
        TypeError,
        "key must be a hyperparameter name or a (name, index) pair, got int 3",
        id="key-type",
    ),
    pytest.param(
        _bad(key=("lr", 0)),
        ValueError,
        "key ('lr', 0) needs param_groups[0]['lr'] to be a tuple with an element 0, got 0.1",
        id="key-not-a-tuple",
    ),
    pytest.param(
        _bad(key="nesterov"),
        TypeError,
        "param_groups[0]['nesterov'] must be a number or a tensor, got bool False",
        id="key-not-a-number",
    ),
    pytest.param(
        _bad(base=math.nan), ValueError, "base must be a finite number >= 0, got nan", id="base-nan"
    ),
    pytest.param(
        _bad(base=[1.0, 2.0]),
        ValueError,
        "base is a list of 2 values, but the optimizer has 3 param groups",
        id="base-length",
    ),
    pytest.param(
        _bad(base=[1.0, 2.0, None]),
        TypeError,
        "base[2] must be a finite number >= 0, got None",
        id="base-item",
    ),
    pytest.param(
        _bad(last_step=1.5), TypeError, "last_step must be an int >= -1, got float 1.5", id="last_step-type"
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD_INPUTS)
def test_bad_arguments_name_the_parameter_and_the_value(
    call: Callable[[], Any], error: type[Exception], message: str
) -> None:
    bad_inputs.check(call, error, message)


def test_a_param_group_added_after_construction_is_an_error_at_the_next_step() -> None:
    optimizer = _sgd()
    scheduler = adapters.torch.wrap(optimizer, S)
    optimizer.add_param_group({"params": [torch.nn.Parameter(torch.zeros(1))], "lr": 0.5})
    optimizer.step()
    message = (
        "the optimizer has 4 param groups, but this scheduler was built for 3;"
        " build a new scheduler after add_param_group()"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        scheduler.step()


# --- checkpoints -------------------------------------------------------------------------


def _types(value: Any) -> set[type]:
    if isinstance(value, dict):
        return {dict} | {t for k, v in value.items() for t in _types(k) | _types(v)}
    if isinstance(value, list | tuple):
        return {type(value)} | {t for v in value for t in _types(v)}
    return {type(value)}


@pytest.mark.parametrize("key", [pytest.param("lr", id="lr"), pytest.param(("betas", 0), id="betas-0")])
def test_state_dict_is_plain_data_that_loads_with_weights_only(key: Any) -> None:
    optimizer = _adam()
    scheduler = adapters.torch.wrap(optimizer, S, key=key)
    for _ in range(7):
        optimizer.step()
        scheduler.step()
    state = scheduler.state_dict()
    assert _types(state) <= {dict, list, tuple, str, int, float}
    buffer = io.BytesIO()
    torch.save(state, buffer)
    buffer.seek(0)
    loaded = torch.load(buffer, weights_only=True)
    assert loaded == state
    assert loaded["last_epoch"] == 7


def _train(
    steps: int, *, resume_at: int | None = None, order: str = "optimizer-first", tensor_lr: bool = False
) -> tuple[list[list[float]], Any]:
    """Train a tiny model on fixed data; optionally rebuild everything from a checkpoint."""

    def build() -> tuple[Any, Any, Any]:
        torch.manual_seed(0)
        model = torch.nn.Linear(3, 1)
        lr = torch.tensor(0.05, dtype=torch.float64) if tensor_lr else 0.05
        optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
        return model, optimizer, adapters.torch.wrap(optimizer, S)

    data = torch.linspace(-1, 1, 3 * steps).reshape(steps, 3)
    model, optimizer, scheduler = build()
    seen: list[list[float]] = []
    for k in range(steps):
        if k == resume_at:
            checkpoint = {"model": model.state_dict(), "optimizer": optimizer.state_dict()}
            checkpoint["scheduler"] = scheduler.state_dict()
            model, optimizer, scheduler = build()
            model.load_state_dict(checkpoint["model"])
            first, second = (optimizer, scheduler) if order == "optimizer-first" else (scheduler, optimizer)
            first.load_state_dict(checkpoint[("optimizer" if first is optimizer else "scheduler")])
            second.load_state_dict(checkpoint[("optimizer" if second is optimizer else "scheduler")])
        seen.append([float(lr) for lr in _lrs(optimizer)])
        optimizer.zero_grad()
        model(data[k]).pow(2).sum().backward()
        optimizer.step()
        scheduler.step()
    return seen, model.weight.detach().clone()


@pytest.mark.parametrize("order", ["optimizer-first", "scheduler-first"])
@pytest.mark.parametrize(
    "tensor_lr", [pytest.param(False, id="float-lr"), pytest.param(True, id="tensor-lr")]
)
def test_a_resumed_run_uses_exactly_the_uninterrupted_values(order: str, tensor_lr: bool) -> None:
    expected, weights = _train(1_000, tensor_lr=tensor_lr)
    resumed, resumed_weights = _train(1_000, resume_at=333, order=order, tensor_lr=tensor_lr)
    assert resumed == expected
    assert torch.equal(resumed_weights, weights)


def test_loading_a_state_sets_the_value_at_once() -> None:
    optimizer, scheduler = _stepped(60)
    state = scheduler.state_dict()
    fresh = _sgd()
    reloaded = adapters.torch.wrap(fresh, S)
    assert _lrs(fresh) == [0.0, 0.0, 0.0]
    reloaded.load_state_dict(state)
    assert _lrs(fresh) == _lrs(optimizer)
    assert reloaded.last_epoch == 60
    assert reloaded.get_last_lr() == scheduler.get_last_lr()


def test_a_state_for_another_key_or_group_count_is_refused() -> None:
    state = adapters.torch.wrap(_sgd(), S).state_dict()
    momentum = adapters.torch.wrap(_sgd(), S, key="momentum")
    with pytest.raises(
        ValueError, match=re.escape("the state is for key='lr', but this scheduler sets key='momentum'")
    ):
        momentum.load_state_dict(state)
    two_groups = adapters.torch.wrap(_sgd((0.1, 0.2)), S)
    with pytest.raises(
        ValueError, match=re.escape("the state has 3 base values, but the optimizer has 2 param groups")
    ):
        two_groups.load_state_dict(state)


BAD_STATES = [
    pytest.param(case, id=case.code.split(".load_state_dict(")[-1][:40])
    for case in bad_inputs.SECTIONS["adapters.torch"]
    if ".load_state_dict(" in case.code
]


@pytest.mark.parametrize("case", BAD_STATES)
def test_a_bad_state_is_refused_and_leaves_the_optimizer_and_scheduler_untouched(
    case: bad_inputs.BadInput,
) -> None:
    names = bad_inputs.namespace("torch", torch)
    scheduler, dampener = names["scheduler"], names["dampener"]
    for _ in range(4):
        scheduler.optimizer.step()
        scheduler.step()
        dampener.optimizer.step()
        with dampener.dampening():
            pass

    def snapshot() -> Any:
        return [
            (repr(owner.optimizer.state_dict()), repr(owner.state_dict()), _lrs(owner.optimizer))
            for owner in (scheduler, dampener)
        ]

    before = snapshot()
    with pytest.raises(case.error) as raised:
        eval(case.code, names)
    assert str(raised.value) == case.message
    assert snapshot() == before
    scheduler.optimizer.step()
    scheduler.step()
    assert _lrs(scheduler.optimizer) == [base * sc.warmup(10)(5) for base in (0.1, 0.01, 1e-3)]


def test_a_state_saved_by_schedcore_0_1_still_loads() -> None:
    optimizer = _sgd()
    scheduler = adapters.torch.wrap(optimizer, S)
    legacy = {"key": "lr", "last_epoch": 40, "_step_count": 41, "base_lrs": list(LRS), "_last_lr": [0.0] * 3}
    scheduler.load_state_dict(legacy)
    assert _lrs(optimizer) == [base * S(40) for base in LRS]
    assert scheduler.state_dict() == {"key": "lr", "last_epoch": 40, "base_lrs": list(LRS)}


def test_the_scheduler_pickles_and_keeps_stepping() -> None:
    _, scheduler = _stepped(10)
    copy = pickle.loads(pickle.dumps(scheduler))
    copy.optimizer.step()
    copy.step()
    assert _lrs(copy.optimizer) == [base * S(11) for base in LRS]


def _names_used(source: str) -> tuple[set[str], set[str]]:
    """The attributes a module reads or writes, and the methods it defines."""
    nodes = list(ast.walk(ast.parse(source)))
    attributes = {node.attr for node in nodes if isinstance(node, ast.Attribute)}
    methods = {node.name for node in nodes if isinstance(node, ast.FunctionDef)}
    return attributes, methods


def test_the_adapter_uses_no_private_torch_name_but_the_closed_form_hook() -> None:
    # The documented subclass protocol is __init__, get_lr, _get_closed_form_lr (step(epoch)
    # and SequentialLR call it), state_dict and load_state_dict; nothing else private of torch.
    optimizer = _sgd()
    reference = LR_SCHEDULER.MultiStepLR(optimizer, milestones=[3])
    optimizer.step()  # sets optimizer._opt_called
    private = {
        name
        for name in {*dir(LR_SCHEDULER.MultiStepLR), *vars(reference), *dir(optimizer), *vars(optimizer)}
        if name.startswith("_") and not name.startswith("__")
    }
    assert {"_step_count", "_last_lr", "_update_lr", "_initial_step", "_opt_called"} <= private
    source = inspect.getsource(adapters.torch)
    attributes, methods = _names_used(source)
    assert attributes & private == set()
    assert methods & private == {"_get_closed_form_lr"}


RESUME_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import torch
    import schedcore as sc
    from schedcore import adapters

    path, steps, schedule = sys.argv[1], int(sys.argv[2]), sc.parse(sys.argv[3])
    results = {}
    for order in ("optimizer-first", "scheduler-first"):
        torch.manual_seed(0)
        model = torch.nn.Linear(3, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        scheduler = adapters.torch.wrap(optimizer, schedule)
        checkpoint = torch.load(path, weights_only=True)
        model.load_state_dict(checkpoint["model"])
        if order == "optimizer-first":
            optimizer.load_state_dict(checkpoint["optimizer"])
            scheduler.load_state_dict(checkpoint["scheduler"])
        else:
            scheduler.load_state_dict(checkpoint["scheduler"])
            optimizer.load_state_dict(checkpoint["optimizer"])
        data = torch.linspace(-1, 1, 3 * steps).reshape(steps, 3)
        seen = []
        for k in range(scheduler.last_epoch, steps):
            seen.append([group["lr"] for group in optimizer.param_groups])
            optimizer.zero_grad()
            model(data[k]).pow(2).sum().backward()
            optimizer.step()
            scheduler.step()
        results[order] = {"lrs": seen, "weight": model.weight.detach().tolist()}
    print(json.dumps(results))
    """
)


def test_a_run_resumed_in_a_new_process_continues_exactly(tmp_path: Path) -> None:
    steps, stop = 900, 420
    expected, weights = _train(steps)
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    scheduler = adapters.torch.wrap(optimizer, S)
    data = torch.linspace(-1, 1, 3 * steps).reshape(steps, 3)
    for k in range(stop):
        optimizer.zero_grad()
        model(data[k]).pow(2).sum().backward()
        optimizer.step()
        scheduler.step()
    path = tmp_path / "checkpoint.pt"
    state = {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
    }
    torch.save(state, path)
    resumed = processes.last_json(processes.python("-c", RESUME_SCRIPT, str(path), str(steps), repr(S)))
    for order in ("optimizer-first", "scheduler-first"):  # loading the states in either order
        assert resumed[order]["lrs"] == expected[stop:], order
        assert resumed[order]["weight"] == weights.tolist(), order


# --- several ranks: DDP with gloo on loopback ------------------------------------------

_DDP = """
import json, sys
import torch, torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
import schedcore as sc
from schedcore import adapters

rank, port, folder = int(sys.argv[1]), sys.argv[2], sys.argv[5]
steps, stop, schedule = int(sys.argv[3]), int(sys.argv[4]), sc.parse(sys.argv[6])
dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=2)
data = torch.linspace(-1, 1, 3 * steps).reshape(steps, 3) * (rank + 1)  # each rank its own batches

def build():
    torch.manual_seed(0)
    model = DistributedDataParallel(torch.nn.Linear(3, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    return model, optimizer, adapters.torch.wrap(optimizer, schedule)

def train(model, optimizer, scheduler, begin, end, lrs):
    for k in range(begin, end):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.zero_grad()
        model(data[k]).pow(2).sum().backward()
        optimizer.step()
        scheduler.step()

straight = []
model, optimizer, scheduler = build()
train(model, optimizer, scheduler, 0, steps, straight)
weight = model.module.weight.detach().tolist()

resumed = []
model, optimizer, scheduler = build()
train(model, optimizer, scheduler, 0, stop, resumed)
path = f"{folder}/checkpoint.pt"
if rank == 0:
    state = {
        "model": model.module.state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
    }
    torch.save(state, path)
dist.barrier()
model, optimizer, scheduler = build()
state = torch.load(path, weights_only=True)
model.module.load_state_dict(state["model"])
optimizer.load_state_dict(state["optimizer"])
scheduler.load_state_dict(state["scheduler"])
train(model, optimizer, scheduler, stop, steps, resumed)
resumed_weight = model.module.weight.detach().tolist()
report = {"straight": straight, "resumed": resumed, "weight": weight, "resumed_weight": resumed_weight}
with open(f"{folder}/rank{rank}.json", "w") as f:
    json.dump(report, f)
dist.destroy_process_group()
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_every_ddp_rank_sees_the_same_lr_at_every_step_and_after_a_resume(tmp_path: Path) -> None:
    steps, stop = 300, 137
    port = str(_free_port())
    args = [port, str(steps), str(stop), str(tmp_path), repr(S)]
    ranks = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(_DDP), str(rank), *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for rank in range(2)
    ]
    for process in ranks:
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors[-3000:]
    reports = [json.loads((tmp_path / f"rank{rank}.json").read_text()) for rank in range(2)]
    expected = [0.05 * S(k) for k in range(steps)]
    for report in reports:
        assert report["straight"] == expected
        assert report["resumed"] == expected
        assert report["resumed_weight"] == report["weight"]
    assert reports[0]["weight"] == reports[1]["weight"]  # DDP kept the ranks' models equal


# --- tensor learning rates (torch.compile: tests/integrations/test_torch_compile.py) ------


def test_a_tensor_lr_is_filled_in_place_and_get_last_lr_returns_copies() -> None:
    optimizer = _adam((0.1, 0.2), capturable=False)
    for group in optimizer.param_groups:
        group["lr"] = torch.tensor(group["lr"], dtype=torch.float64)
    tensors = _lrs(optimizer)
    scheduler = adapters.torch.wrap(optimizer, S)
    for k in range(100):
        assert all(now is before for now, before in zip(_lrs(optimizer), tensors, strict=True))
        assert [float(lr) for lr in _lrs(optimizer)] == [0.1 * S(k), 0.2 * S(k)]
        last = scheduler.get_last_lr()
        assert all(isinstance(x, torch.Tensor) and x is not lr for x, lr in zip(last, tensors, strict=True))
        optimizer.step()
        scheduler.step()
    assert isinstance(optimizer.param_groups[0]["initial_lr"], torch.Tensor)


def test_groups_with_tensor_and_float_values_are_each_set_in_their_own_kind() -> None:
    optimizer = _sgd()
    optimizer.param_groups[1]["lr"] = torch.tensor(LRS[1], dtype=torch.float64)
    tensor = optimizer.param_groups[1]["lr"]
    scheduler = adapters.torch.wrap(optimizer, S)
    for k in range(60):
        lrs = _lrs(optimizer)
        assert lrs[1] is tensor
        assert [type(lr) for lr in lrs] == [float, torch.Tensor, float]
        assert [float(lr) for lr in lrs] == [base * S(k) for base in LRS]
        assert [float(lr) for lr in scheduler.get_last_lr()] == [float(lr) for lr in lrs]
        optimizer.step()
        scheduler.step()


# --- the step-order warning, get_lr and step(epoch) -----------------------------------------


def test_no_warning_in_the_documented_order(no_warnings: list[warnings.WarningMessage]) -> None:
    optimizer = _sgd()
    scheduler = adapters.torch.wrap(optimizer, S)
    torch_scheduler = LR_SCHEDULER.StepLR(optimizer, step_size=10)  # created after ours
    for _ in range(5):
        optimizer.step()
        scheduler.step()
        torch_scheduler.step()
    other = _sgd()
    LR_SCHEDULER.ExponentialLR(other, gamma=0.9)  # created before ours
    mine = adapters.torch.wrap(other, S)
    for _ in range(5):
        other.step()
        mine.step()
    assert _scheduler_warnings(no_warnings) == []


def test_stepping_the_scheduler_first_warns_as_torch_does() -> None:
    optimizer = _sgd()
    scheduler = adapters.torch.wrap(optimizer, S)
    with pytest.warns(
        UserWarning, match=re.escape("Detected call of `lr_scheduler.step()` before `optimizer.step()`.")
    ):
        scheduler.step()
    reference = LR_SCHEDULER.StepLR(_sgd(), step_size=3)
    with pytest.warns(
        UserWarning, match=re.escape("Detected call of `lr_scheduler.step()` before `optimizer.step()`.")
    ):
        reference.step()


def test_replacing_optimizer_step_after_construction_warns_as_torch_does() -> None:
    optimizer = _sgd()
    scheduler = adapters.torch.wrap(optimizer, S)
    optimizer.step = lambda: None
    with pytest.warns(UserWarning, match=re.escape("Seems like `optimizer.step()` has been overridden")):
        scheduler.step()


def test_get_lr_is_pure_and_step_with_an_epoch_sets_the_step(
    no_warnings: list[warnings.WarningMessage],
) -> None:
    optimizer, scheduler = _stepped(3)
    assert scheduler.get_lr() == [base * S(3) for base in LRS]
    assert scheduler.get_lr() == [base * S(3) for base in LRS]  # no step taken
    assert scheduler.last_epoch == 3
    assert _scheduler_warnings(no_warnings) == []
    with pytest.warns(UserWarning, match=re.escape("The epoch parameter in `scheduler.step()`")):
        scheduler.step(500)
    assert scheduler.last_epoch == 500
    assert _lrs(optimizer) == [base * S(500) for base in LRS]
    with (
        pytest.warns(UserWarning, match=re.escape("The epoch parameter")),
        pytest.raises(ValueError, match=re.escape("epoch must be an int >= 0, got -3")),
    ):
        scheduler.step(-3)


# --- inside torch's containers --------------------------------------------------------------


def test_inside_sequential_lr_each_piece_restarts_at_its_milestone(
    no_warnings: list[warnings.WarningMessage],
) -> None:
    first, second = sc.warmup(20, start=0.1), compat.torch.ExponentialLR(0.99)
    optimizer = _sgd()
    sequential = LR_SCHEDULER.SequentialLR(
        optimizer,
        [adapters.torch.wrap(optimizer, first), adapters.torch.wrap(optimizer, second)],
        milestones=[20],
    )
    reference_optimizer = _sgd()
    reference = LR_SCHEDULER.SequentialLR(
        reference_optimizer,
        [
            LR_SCHEDULER.LinearLR(reference_optimizer, start_factor=0.1, total_iters=20),
            LR_SCHEDULER.ExponentialLR(reference_optimizer, gamma=0.99),
        ],
        milestones=[20],
    )
    joined = sc.join([first, second], [20])
    for k in range(200):
        assert _lrs(optimizer) == [base * joined(k) for base in LRS]
        assert _lrs(optimizer) == pytest.approx(_lrs(reference_optimizer), rel=1e-12)
        for opt, scheduler in ((optimizer, sequential), (reference_optimizer, reference)):
            opt.step()
            scheduler.step()
    assert _types(sequential.state_dict()) <= {dict, list, tuple, str, int, float, bool}
    assert _scheduler_warnings(no_warnings) == []


@pytest.mark.parametrize("stop", [pytest.param(7, id="before-the-milestone"), pytest.param(33, id="after")])
def test_a_sequential_lr_of_schedcore_schedulers_resumes_exactly(stop: int) -> None:
    first, second = sc.warmup(20, start=0.1), sc.cosine(80)

    def build() -> tuple[Any, Any]:
        optimizer = _sgd()
        pieces = [adapters.torch.wrap(optimizer, first), adapters.torch.wrap(optimizer, second)]
        return optimizer, LR_SCHEDULER.SequentialLR(optimizer, pieces, milestones=[20])

    optimizer, sequential = build()
    for _ in range(stop):
        optimizer.step()
        sequential.step()
    buffer = io.BytesIO()
    torch.save({"optimizer": optimizer.state_dict(), "scheduler": sequential.state_dict()}, buffer)
    buffer.seek(0)
    saved = torch.load(buffer, weights_only=True)
    resumed, resumed_sequential = build()
    resumed_sequential.load_state_dict(saved["scheduler"])
    resumed.load_state_dict(saved["optimizer"])
    joined = sc.join([first, second], [20])
    for k in range(stop, 120):
        assert _lrs(resumed) == [base * joined(k) for base in LRS]
        resumed.step()
        resumed_sequential.step()


def test_inside_chained_scheduler_it_steps_lr_and_momentum_together(
    no_warnings: list[warnings.WarningMessage],
) -> None:
    lr_schedule, momentum_schedule = sc.cosine(100, end=0.1), 0.95 - 0.1 * sc.cyclic(25)
    optimizer = _sgd()
    chained = LR_SCHEDULER.ChainedScheduler(
        [
            adapters.torch.wrap(optimizer, lr_schedule),
            adapters.torch.wrap(optimizer, momentum_schedule, key="momentum", base=1.0),
        ]
    )
    for k in range(150):
        assert _lrs(optimizer) == [base * lr_schedule(k) for base in LRS]
        assert _lrs(optimizer, "momentum") == [momentum_schedule(k)] * 3
        assert chained.get_last_lr() == _lrs(optimizer)
        optimizer.step()
        chained.step()
    state = chained.state_dict()
    fresh = _sgd()
    reloaded = LR_SCHEDULER.ChainedScheduler(
        [
            adapters.torch.wrap(fresh, lr_schedule),
            adapters.torch.wrap(fresh, momentum_schedule, key="momentum", base=1.0),
        ]
    )
    reloaded.load_state_dict(state)
    assert _lrs(fresh) == _lrs(optimizer)
    assert _lrs(fresh, "momentum") == _lrs(optimizer, "momentum")
    assert _scheduler_warnings(no_warnings) == []


_MIXED = (
    "another scheduler changed it, such as one of torch's chainable schedulers in the same ChainedScheduler"
)


@pytest.mark.parametrize(
    "ours_first", [pytest.param(True, id="ours-first"), pytest.param(False, id="torch-first")]
)
def test_beside_torch_chainable_schedulers_it_warns_once_and_names_compose(ours_first: bool) -> None:
    optimizer = _sgd()
    ours = adapters.torch.wrap(optimizer, sc.cosine(50))
    theirs = LR_SCHEDULER.StepLR(optimizer, step_size=4, gamma=0.5)
    chained = LR_SCHEDULER.ChainedScheduler([ours, theirs] if ours_first else [theirs, ours])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(30):
            optimizer.step()
            chained.step()
    mixed = [str(w.message) for w in caught if _MIXED in str(w.message)]
    assert len(mixed) == 1
    assert "sc.compose(a, b)" in mixed[0]
    # torch's StepLR halves the lr at steps 4, 8, ...: the warning comes at the first step
    # where schedcore finds the halved value (the next step when schedcore steps first).
    assert mixed[0].startswith("param_groups[0]['lr'] is ")
    assert (" at step 5," if ours_first else " at step 4,") in mixed[0]


def test_no_mixing_warning_after_a_resume_in_either_order(no_warnings: list[warnings.WarningMessage]) -> None:
    for order in ("optimizer-first", "scheduler-first"):
        _train(60, resume_at=25, order=order)
    assert _scheduler_warnings(no_warnings) == []


# --- dampen ------------------------------------------------------------------------------


def test_dampening_multiplies_the_factor_onto_what_other_schedulers_set() -> None:
    factor = sc.warmup(30, start=0.1)
    plain, dampened = _sgd(), _sgd()
    plain_scheduler = LR_SCHEDULER.StepLR(plain, step_size=10, gamma=0.5)
    dampened_scheduler = LR_SCHEDULER.StepLR(dampened, step_size=10, gamma=0.5)
    dampener = adapters.torch.dampen(dampened, factor)
    for k in range(80):
        assert dampener.last_step == k
        assert dampener.factors() == [factor(k)] * 3
        assert _lrs(dampened) == [lr * factor(k) for lr in _lrs(plain)]
        plain.step()
        dampened.step()
        with dampener.dampening():
            assert _lrs(dampened) == _lrs(plain)  # the scheduler sees its own value
            dampened_scheduler.step()
        plain_scheduler.step()


def test_a_schedcore_scheduler_inside_a_dampening_block_is_dampened_without_a_warning(
    no_warnings: list[warnings.WarningMessage],
) -> None:
    factor, schedule = sc.warmup(10, start=0.1), sc.cosine(50)
    optimizer = _sgd()
    scheduler = adapters.torch.wrap(optimizer, schedule)
    dampener = adapters.torch.dampen(optimizer, factor)
    for k in range(30):
        assert _lrs(optimizer) == [base * schedule(k) * factor(k) for base in LRS]
        optimizer.step()
        with dampener.dampening():
            scheduler.step()
    assert _scheduler_warnings(no_warnings) == []


@pytest.mark.parametrize("order", ["optimizer-first", "dampener-first"])
def test_a_dampener_resumes_exactly(order: str) -> None:
    factor = sc.exponential_warmup(20, start=0.05)

    def build() -> tuple[Any, Any, Any]:
        optimizer = _sgd()
        scheduler = LR_SCHEDULER.CosineAnnealingLR(optimizer, T_max=40)
        return optimizer, scheduler, adapters.torch.dampen(optimizer, factor)

    optimizer, scheduler, dampener = build()
    seen = []
    for k in range(100):
        if k == 37:
            states = optimizer.state_dict(), scheduler.state_dict(), dampener.state_dict()
            buffer = io.BytesIO()
            torch.save(states, buffer)
            buffer.seek(0)
            saved = torch.load(buffer, weights_only=True)
            optimizer, scheduler, dampener = build()
            scheduler.load_state_dict(saved[1])
            if order == "optimizer-first":
                optimizer.load_state_dict(saved[0])
                dampener.load_state_dict(saved[2])
            else:
                dampener.load_state_dict(saved[2])
                optimizer.load_state_dict(saved[0])
        seen.append(_lrs(optimizer))
        optimizer.step()
        with dampener.dampening():
            scheduler.step()
    optimizer, scheduler, dampener = build()
    for k in range(100):
        assert _lrs(optimizer) == seen[k]
        optimizer.step()
        with dampener.dampening():
            scheduler.step()


def test_dampening_a_tensor_lr_works_in_place() -> None:
    optimizer = _sgd((0.1, 0.2))
    for group in optimizer.param_groups:
        group["lr"] = torch.tensor(group["lr"], dtype=torch.float64)
    tensors = _lrs(optimizer)
    dampener = adapters.torch.dampen(optimizer, sc.warmup(4, start=0.5))
    for k in range(6):
        assert all(now is before for now, before in zip(_lrs(optimizer), tensors, strict=True))
        assert [float(lr) for lr in _lrs(optimizer)] == [
            0.1 * sc.warmup(4, start=0.5)(k),
            0.2 * sc.warmup(4, start=0.5)(k),
        ]
        optimizer.step()
        with dampener.dampening():
            pass
    state = dampener.state_dict()
    buffer = io.BytesIO()
    torch.save(state, buffer)
    buffer.seek(0)
    assert torch.load(buffer, weights_only=True)["last_step"] == 6


def test_dampen_checks_its_arguments() -> None:
    with pytest.raises(TypeError, match=re.escape("optimizer must be a torch.optim.Optimizer, got int 3")):
        adapters.torch.dampen(3, S)
    with pytest.raises(
        ValueError, match=re.escape("schedule is a list of 1 schedule, but the optimizer has 3")
    ):
        adapters.torch.dampen(_sgd(), [S])
    with pytest.raises(ValueError, match=re.escape("last_step must be an int >= -1, got -3")):
        adapters.torch.dampen(_sgd(), S, last_step=-3)
    dampener = adapters.torch.dampen(_sgd(), S)
    with pytest.raises(
        ValueError, match=re.escape("the state is for key='momentum', but this dampener sets key='lr'")
    ):
        dampener.load_state_dict({"key": "momentum", "last_step": 0, "undampened": [1.0, 1.0, 1.0]})
