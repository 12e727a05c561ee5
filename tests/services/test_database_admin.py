"""``services.database_admin.list_installations``: what the settings dialog and ``db check`` show of
each installation writing to the database (on both engines)."""

from __future__ import annotations

import datetime as dt

from helpers import NEED
from jcim_desktop.services import records
from jcim_desktop.services.database_admin import InstallationInfo, list_installations
from jcim_desktop.sync.keys import key_id


def test_an_installation_is_listed_with_its_org_key_and_latest_change(secretariat):
    (before,) = list_installations(secretariat)
    assert isinstance(before, InstallationInfo)
    assert (before.id, before.org, before.org_name, before.is_this) == (
        secretariat.installation_id, "secretariat", "事務局", True)
    assert before.key_id == key_id(secretariat.public_key)
    assert before.created_at is not None and before.created_at <= dt.datetime.now().astimezone()
    assert before.latest_change is None  # nothing entered yet

    records.create(secretariat, "needs", NEED)
    (after,) = list_installations(secretariat.db.engine)
    assert after.latest_change is not None and after.latest_change >= before.created_at
    assert after.is_this is False  # an engine alone does not say whose it is
    assert list_installations(secretariat.db, this_id=secretariat.installation_id)[0].is_this
