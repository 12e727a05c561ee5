"""The generated fast path of bulk writes gives exactly the parameters of the general one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from jcim_desktop.domain.orgs import REGIONAL_FORUMS
from jcim_desktop.store.bulk import _upsert_sql, envelope_params, envelope_row
from jcim_desktop.store.models import MODELS

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from _generate import generate_records  # noqa: E402


@pytest.mark.parametrize("entity", ["events", "needs", "seeds", "matchings", "trials", "support_activities"])
def test_fast_parameters_equal_the_general_ones(entity):
    sample = generate_records(3000, list(REGIONAL_FORUMS))[entity][:300]
    assert sample
    _, names, converters = _upsert_sql(entity)
    for env in sample:
        row = envelope_row(entity, env)
        general = tuple(conv(row.get(name)) for name, conv in zip(names, converters, strict=True))
        assert envelope_params(entity, env) == general


def test_every_entity_has_a_builder():
    for entity in MODELS:
        assert len(envelope_params(entity, {"id": "x", "owner": "secretariat", "hlc": "h", "vv": {"a": 1},
                                            "deleted": False, "data": {}})) == len(_upsert_sql(entity)[1])
