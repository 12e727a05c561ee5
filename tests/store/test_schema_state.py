"""One classification of a database's schema revision against this version's, used by ``db check``
and by 設定's connection test (``store.admin.schema_state``)."""

from __future__ import annotations

import pytest

from jcim_desktop.services.settings import SchemaState
from jcim_desktop.store.admin import schema_state
from jcim_desktop.store.database import HEAD_REVISION, known_revisions


@pytest.mark.parametrize(("revision", "state"), [
    (None, "empty"), (HEAD_REVISION, "current"), ("0007", "older"), ("0001", "older"), ("9999", "newer"),
    ("a1b2c3d4e5f6", "newer"),
])
def test_a_revision_is_current_older_newer_or_none(revision: str | None, state: str) -> None:
    assert schema_state(revision) == state
    assert SchemaState(state).value == state  # the connection test's states are the same words


def test_every_migration_but_the_newest_is_older() -> None:
    assert {schema_state(r) for r in known_revisions() - {HEAD_REVISION}} == {"older"}
