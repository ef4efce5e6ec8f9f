"""Bad inputs: every entry point names the parameter and the bad value, in an exact message."""

from __future__ import annotations

import pytest

from tests import bad_inputs


@pytest.mark.parametrize(
    "case", [pytest.param(case, id=f"{i:02d}-{case.code[:48]}") for i, case in enumerate(bad_inputs.CASES)]
)
def test_bad_input_is_a_clear_error(case: bad_inputs.BadInput) -> None:
    framework = pytest.importorskip(case.needs) if case.needs else None
    names = bad_inputs.namespace(case.needs, framework)
    with pytest.raises(case.error) as raised:
        eval(case.code, names)  # a line of the table, as the docs page shows it
    assert str(raised.value) == case.message


def test_the_table_has_a_section_for_each_entry_point() -> None:
    entry_points = {"parse", "from_dict", "adapters.torch", "adapters.optax", "adapters.chainer"}
    assert set(bad_inputs.SECTIONS) >= entry_points
    assert len(bad_inputs.CASES) >= 40
