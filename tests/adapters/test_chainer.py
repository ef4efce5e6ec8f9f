"""adapters.chainer: a schedule as a Chainer trainer extension, exact after a resume."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

chainer = pytest.importorskip("chainer")

import schedcore as sc  # noqa: E402
from schedcore import adapters, compat  # noqa: E402
from tests import bad_inputs, processes  # noqa: E402
from tests import chainer_training as ct  # noqa: E402

S = sc.warmup(40) * sc.multistep([300, 300, 700], gamma=0.5) * sc.cosine(900, end=0.1)
PRIORITY_WRITER = chainer.training.PRIORITY_WRITER


def _adam() -> Any:
    return chainer.optimizers.Adam(alpha=0.002)


def _momentum() -> Any:
    return chainer.optimizers.MomentumSGD(lr=0.05, momentum=0.8)


def _linked(optimizer: Any) -> Any:
    optimizer.setup(chainer.links.Linear(3, 2))
    return optimizer


def _recorder(values: list[Any], read: Any, priority: int = PRIORITY_WRITER) -> Any:
    """An extension that appends ``read(trainer)`` after every update, at ``priority``."""

    def record(trainer: Any) -> None:
        values.append(read(trainer))

    return chainer.training.make_extension(trigger=(1, "iteration"), priority=priority)(record)


def test_wrap_is_an_iteration_extension_with_reader_priority() -> None:
    shift = adapters.chainer.wrap(S)
    assert isinstance(shift, chainer.training.Extension)
    assert shift.trigger == (1, "iteration")
    assert shift.priority == chainer.training.PRIORITY_READER
    assert shift.default_name == "schedcore_lr"
    assert (shift.schedule, shift.attr, shift.base, shift.t) == (S, "lr", None, None)


def test_two_wrapped_schedules_on_one_trainer_get_their_own_names(tmp_path: Path) -> None:
    run = ct.build(
        lambda trainer: [
            adapters.chainer.wrap(S, "lr"),
            adapters.chainer.wrap(sc.warmup(10), "momentum"),
            adapters.chainer.wrap(sc.constant(0.5), "lr", optimizer="other"),
        ],
        iterations=5,
        out=tmp_path,
        others={"other": _linked(chainer.optimizers.SGD())},
    )
    for name in ("schedcore_lr", "schedcore_momentum", "schedcore_other_lr"):
        assert run.trainer.get_extension(name).default_name == name


@pytest.mark.parametrize(
    ("optimizer", "attr", "base"),
    [
        pytest.param(_momentum, "lr", None, id="sgd-lr"),
        pytest.param(_momentum, "momentum", None, id="sgd-momentum"),
        pytest.param(_adam, "alpha", None, id="adam-alpha"),
        pytest.param(_adam, "beta1", 0.9, id="adam-beta1"),
        pytest.param(_adam, "eps", 1e-6, id="adam-eps"),
    ],
)
def test_each_update_uses_base_times_s_of_the_updates_before_it(
    tmp_path: Path, optimizer: Any, attr: str, base: Any
) -> None:
    run = ct.train(
        lambda trainer: [adapters.chainer.wrap(S, attr, base=base)],
        iterations=1000,
        out=tmp_path,
        attr=attr,
        optimizer=optimizer,
    )
    start = getattr(optimizer(), attr) if base is None else base
    assert run.values == [start * S(k) for k in range(1000)]  # exact, past the schedule's end too
    assert getattr(run.optimizer, attr) == start * S(1000)  # set after the last iteration
    extension = run.trainer.get_extension(f"schedcore_{attr}")
    assert (extension.base, extension.t) == (start, 1000)


def test_initialize_sets_the_value_for_the_current_iteration(tmp_path: Path) -> None:
    shift = adapters.chainer.wrap(sc.warmup(10), base=0.2)
    run = ct.build(lambda trainer: [shift], iterations=5, out=tmp_path)
    run.trainer.updater.iteration = 4
    shift.initialize(run.trainer)
    assert run.optimizer.lr == 0.2 * sc.warmup(10)(4)


def test_a_non_main_optimizer_given_by_name_or_object(tmp_path: Path) -> None:
    by_name: list[float] = []
    by_object: list[float] = []
    other = _linked(chainer.optimizers.MomentumSGD(lr=0.3))
    loose = _linked(chainer.optimizers.Adam(alpha=0.01))  # not even the updater's
    run = ct.train(
        lambda trainer: [
            adapters.chainer.wrap(S, optimizer="other"),
            adapters.chainer.wrap(S, "alpha", optimizer=loose),
            _recorder(by_name, lambda t: other.lr),
            _recorder(by_object, lambda t: loose.alpha),
        ],
        iterations=1000,
        out=tmp_path,
        others={"other": other},
    )
    assert by_name == [0.3 * S(k) for k in range(1000)]
    assert by_object == [0.01 * S(k) for k in range(1000)]
    assert run.values == [0.1] * 1000  # the main optimizer is left alone


def test_observe_lr_reports_the_value_the_update_used(tmp_path: Path) -> None:
    observed: list[float] = []

    def extensions(trainer: Any) -> list[Any]:
        trainer.extend(chainer.training.extensions.observe_lr(), trigger=(1, "iteration"))
        return [
            adapters.chainer.wrap(S),
            _recorder(observed, lambda t: t.observation["lr"], priority=PRIORITY_WRITER - 1),
        ]

    run = ct.train(extensions, iterations=1000, out=tmp_path)
    assert observed == run.values


@pytest.mark.parametrize(
    ("base", "at"),
    [
        pytest.param(None, 20, id="in-the-warmup"),
        pytest.param(None, 300, id="at-a-repeated-milestone"),
        pytest.param(0.07, 437, id="explicit-base"),
        pytest.param(None, 950, id="past-the-end"),
    ],
)
def test_a_resumed_trainer_continues_with_the_uninterrupted_values(
    tmp_path: Path, base: Any, at: int
) -> None:
    first, second = ct.interrupted(
        lambda trainer: [adapters.chainer.wrap(S, base=base)], tmp_path, iterations=1000, at=at
    )
    assert len(second.values) == 1000 - at
    assert second.values == first.values[at:]  # exact, from the first update after the resume


def test_a_resumed_base_none_extension_uses_the_stored_base(tmp_path: Path) -> None:
    def extensions(trainer: Any) -> list[Any]:
        return [adapters.chainer.wrap(S)]

    ct.train(extensions, iterations=500, out=tmp_path / "first", snapshot_at=500)
    # The new optimizer starts from another lr; the schedule's base is the stored one.
    second = ct.train(
        extensions,
        iterations=1000,
        out=tmp_path / "second",
        resume=tmp_path / "first" / "snapshot",
        optimizer=lambda: ct.momentum_sgd(lr=0.9),
    )
    assert second.values == [0.1 * S(k) for k in range(500, 1000)]
    assert second.trainer.get_extension("schedcore_lr").base == 0.1


@pytest.mark.parametrize("at", [pytest.param(250, id="in-the-warmup"), pytest.param(600, id="after-it")])
def test_chainer_warmup_shift_restarts_on_resume_where_ours_continues(tmp_path: Path, at: int) -> None:
    arguments = {"warmup_start": 0.01, "warmup_iter": 400, "init": 0.1}
    theirs, theirs_resumed = ct.interrupted(
        lambda trainer: [chainer.training.extensions.WarmupShift("lr", **arguments)],
        tmp_path / "chainer",
        iterations=800,
        at=at,
    )
    ours, ours_resumed = ct.interrupted(
        lambda trainer: [adapters.chainer.wrap(compat.chainer.WarmupShift(**arguments), base=1.0)],
        tmp_path / "ours",
        iterations=800,
        at=at,
    )
    assert ours.values == pytest.approx(theirs.values, rel=1e-12)
    assert ours_resumed.values == ours.values[at:]
    # Chainer's first update after the resume runs at warmup_start, not at the warmup's value,
    assert theirs_resumed.values[0] == 0.01 != theirs.values[at]
    if at < arguments["warmup_iter"]:
        assert theirs_resumed.values[1:] == theirs.values[at + 1 :]
    else:  # and after the warmup it stays there for good.
        assert set(theirs_resumed.values) == {0.01}


@pytest.mark.parametrize("init", [pytest.param(0.1, id="init"), pytest.param(None, id="init-none")])
def test_chainer_multistep_shift_restarts_on_resume_where_ours_continues(tmp_path: Path, init: Any) -> None:
    arguments = {"gamma": 0.5, "step_value": [200, 300], "init": init}
    theirs, theirs_resumed = ct.interrupted(
        lambda trainer: [chainer.training.extensions.MultistepShift("lr", **arguments)],
        tmp_path / "chainer",
        iterations=800,
        at=400,
    )
    ours, ours_resumed = ct.interrupted(
        lambda trainer: [
            adapters.chainer.wrap(
                compat.chainer.MultistepShift(**arguments), base=None if init is None else 1.0
            )
        ],
        tmp_path / "ours",
        iterations=800,
        at=400,
    )
    assert ours.values == theirs.values
    assert ours_resumed.values == ours.values[400:]
    # Chainer's first update after the resume runs at init (with init=None, at the new
    # optimizer's lr, which snapshots do not keep), then the decay resumes.
    assert theirs_resumed.values[0] == 0.1 != theirs.values[400]
    assert theirs_resumed.values[1:] == theirs.values[401:]


def test_per_epoch_follows_the_trainers_epochs_that_end_mid_batch(tmp_path: Path) -> None:
    seen: list[tuple[int, float]] = []
    epochs = sc.multistep([1, 3, 4], gamma=0.5) * sc.polynomial(12, power=2.0)

    def extensions(trainer: Any) -> list[Any]:
        schedule = adapters.chainer.per_epoch(epochs, trainer)
        return [
            adapters.chainer.wrap(schedule, base=1.0),
            _recorder(seen, lambda t: (t.updater.epoch, t.updater.get_optimizer("main").lr), priority=0),
        ]

    ct.train(extensions, iterations=1000, out=tmp_path)
    assert {epoch for epoch, _ in seen} == set(range(161))  # 50 samples in batches of 8
    assert all(lr == epochs(epoch) for epoch, lr in seen)


@pytest.mark.parametrize(
    ("samples", "batch", "expected"),
    [
        pytest.param(50, 8, "per_sample(per_epoch(warmup(3), 25), 4)", id="mid-batch"),
        pytest.param(48, 8, "per_epoch(warmup(3), 6)", id="whole-batches"),
        pytest.param(5, 10, "per_sample(per_epoch(warmup(3), 1), 2)", id="two-epochs-a-batch"),
    ],
)
def test_per_epoch_reads_the_epoch_length_from_the_trainer_updater_or_iterator(
    tmp_path: Path, samples: int, batch: int, expected: str
) -> None:
    run = ct.build(lambda trainer: [], iterations=1, out=tmp_path, samples=samples, batch=batch)
    for source in (run.trainer, run.trainer.updater, run.trainer.updater.get_iterator("main")):
        assert repr(adapters.chainer.per_epoch(sc.warmup(3), source)) == expected


def _example(cwd: Path, *args: str) -> None:
    """Run ``examples/chainer_train.py`` in a new process of this environment's Python."""
    processes.python(str(processes.ROOT / "examples" / "chainer_train.py"), *args, cwd=cwd)


def test_the_example_resumed_in_a_new_process_continues_exactly(tmp_path: Path) -> None:
    _example(tmp_path, "--out", "whole")
    _example(tmp_path, "--out", "part", "--epochs", "12")
    _example(tmp_path, "--out", "rest", "--resume", "part/snapshot")

    def log(name: str) -> list[tuple[int, float, float]]:
        entries = json.loads((tmp_path / name / "log").read_text())
        return [(entry["iteration"], entry["lr"], entry["momentum"]) for entry in entries]

    whole, part, rest = log("whole"), log("part"), log("rest")
    assert len(part) == 188 < len(whole) == 469  # 12 and 30 epochs of 1,000 samples in batches of 64
    assert rest == whole  # the resumed log holds the first part too: every iteration is equal
    assert len({lr for _, lr, _ in whole}) > 100  # the warmup, the drops
    assert whole[-1][1] == pytest.approx(0.001)


BAD_WRAPS = [
    (
        lambda: adapters.chainer.wrap(S, 1),
        TypeError,
        "attr must be the name of an optimizer attribute, got int 1",
    ),
    (
        lambda: adapters.chainer.wrap(S, "lr "),
        ValueError,
        "attr must be the name of an optimizer attribute, got str 'lr '",
    ),
    (lambda: adapters.chainer.wrap(S, base="0.1"), TypeError, "base must be a finite number, got str '0.1'"),
    (
        lambda: adapters.chainer.per_epoch(S, object()),
        TypeError,
        "source must be a Trainer, an updater or an iterator with dataset and batch_size,"
        " got object <object object at ...>",
    ),
]


@bad_inputs.cases(BAD_WRAPS)
def test_bad_arguments_are_refused_when_wrapping(call: Any, error: type[Exception], message: str) -> None:
    bad_inputs.check(call, error, message)


BAD_TRAINERS = [
    (
        lambda: adapters.chainer.wrap(S, optimizer="dis"),
        ct.momentum_sgd,
        ValueError,
        "optimizer must name one of the updater's optimizers ('main'), got 'dis'",
    ),
    (
        lambda: adapters.chainer.wrap(S, "alpha"),
        ct.momentum_sgd,
        ValueError,
        "attr must be a hyperparameter of MomentumSGD (lr, momentum), got 'alpha'",
    ),
    (
        lambda: adapters.chainer.wrap(S, "amsgrad"),
        _adam,
        TypeError,
        "Adam.amsgrad must be a finite number, got bool False",
    ),
]


@pytest.mark.parametrize(
    ("shift", "optimizer", "error", "message"),
    [pytest.param(*case, id=case[3][:40]) for case in BAD_TRAINERS],
)
def test_an_optimizer_without_the_attribute_is_refused_when_training_starts(
    tmp_path: Path, shift: Any, optimizer: Any, error: type[Exception], message: str
) -> None:
    run = ct.train(lambda trainer: [shift()], iterations=3, out=tmp_path, optimizer=optimizer)
    assert isinstance(run.error, error)
    assert str(run.error) == message
    assert run.values == []  # refused before the first update
