"""The warmup values drawn on the step-convention page are what the peer libraries do.

docs/step_convention.py records them by running each peer; here each peer runs again
and must give the recorded values exactly (the main suite checks the torch family
and optax, the chainer suite checks Chainer), so the figure cannot drift.
"""

from __future__ import annotations

import pytest

from docs import step_convention

RECORDED = step_convention.load()


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in step_convention.PEERS])
def test_the_recorded_warmup_is_what_the_peer_does_today(name: str) -> None:
    peer = step_convention.PEERS[name]
    pytest.importorskip(peer.package)
    assert peer.record() == RECORDED[name]


def test_every_peer_is_recorded_for_every_update() -> None:
    assert list(RECORDED) == list(step_convention.PEERS)
    assert {len(values) for values in RECORDED.values()} == {step_convention.UPDATES}


def test_schedcore_first_reaches_the_full_multiplier_at_update_tau() -> None:
    values = step_convention.schedcore_values()
    assert values.index(1.0) == step_convention.TAU
    assert values[0] == 0.0
