"""The same packages imported into SQLite and into PostgreSQL (issue 15): the same counts, the
same tally, the same conflicts, and the same records written back out, to the byte."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest

from helpers import code
from jcim_desktop.services import demo, records, sync
from jcim_desktop.services.context import AppContext, init_installation
from jcim_desktop.services.tally import tally
from jcim_desktop.sync.package import MANIFEST, SIGNATURE

TODAY = dt.date(2025, 3, 1)
MAX_SAFE_INT = 2**53 - 1


@pytest.fixture
def both(postgres, new_database_url, tmp_path):  # type: ignore[no-untyped-def]
    """A secretariat on SQLite and one on PostgreSQL, each trusting nothing yet."""
    if postgres is None:
        pytest.skip("compares SQLite with PostgreSQL: pytest --postgres URL")
    on_sqlite = init_installation("secretariat", tmp_path / "on-sqlite", user_name="事務局")
    on_server = init_installation("secretariat", tmp_path / "on-server", user_name="事務局",
                                  database_url=new_database_url())
    assert not on_sqlite.db.shared and on_server.db.shared
    yield on_sqlite, on_server
    on_sqlite.close()
    on_server.close()


def records_written(ctx: AppContext, out: Path) -> dict[str, bytes]:
    """The records members of a national package exported from ``ctx`` (manifest and signature
    name the installation and the time: left out)."""
    with zipfile.ZipFile(sync.export_package(ctx, out, scope="national", include_contacts=True).path) as zf:
        return {name: zf.read(name) for name in zf.namelist() if name not in (MANIFEST, SIGNATURE)}


def comparable(ctx: AppContext) -> dict[str, Any]:
    """What a person sees of the database: each year's tally, the open conflicts, every record."""
    return {
        "tally": {fy: tally(ctx, fy) for fy in range(2023, 2027)},
        "conflicts": sync.conflicts(ctx),
        "records": {entity: sorted((r.id, r.hlc, r.vv, r.deleted, repr(r.data)) for r in
                                   records.list_records(ctx, entity, records.Query(include_deleted=True)))
                    for entity in ("events", "needs", "seeds", "matchings", "trials", "support_activities",
                                   "municipality_status", "kpi_targets")},
    }


def test_the_same_packages_end_the_same_on_sqlite_and_on_postgresql(both, make_ctx, tmp_path):
    on_sqlite, on_server = both
    # Every forum's records of the demonstration, sent out by a secretariat ...
    sender = make_ctx("secretariat", "sender")
    demo.load_demo(sender, TODAY)
    national = sync.export_package(sender, tmp_path / "national.jcimsync", scope="national",
                                   include_contacts=True).path
    # ... then two laptops of 中国 change the same need at once (a conflict); one deletes a seed.
    laptops = [make_ctx("chugoku", f"laptop-{n}") for n in (1, 2)]
    for laptop in laptops:
        sync.add_trust(laptop, sender.public_key, ["*"])
        assert sync.import_packages(laptop, [national])[0].status == "accepted"
    need = next(r for r in records.list_records(laptops[0], "needs") if r.owner == "chugoku")
    seed = next(r for r in records.list_records(laptops[0], "seeds") if r.owner == "chugoku")
    records.update(laptops[0], "needs", need.id, {"title": "一台目で直した題名"})
    records.update(laptops[1], "needs", need.id, {"requirements": "二台目で書き足した要件"})
    records.delete(laptops[0], "seeds", seed.id)
    packages = [national, *(sync.export_package(laptop, tmp_path / f"chugoku-{n}.jcimsync").path
                            for n, laptop in enumerate(laptops, 1))]

    outcomes = []
    for ctx in (on_sqlite, on_server):
        sync.add_trust(ctx, sender.public_key, ["*"])
        for laptop in laptops:
            sync.add_trust(ctx, laptop.public_key, ["chugoku"])
        outcomes.append([(o.status, o.reason, o.by_entity) for o in sync.import_packages(ctx, packages)])
    assert outcomes[0] == outcomes[1]
    assert [status for status, _reason, _counts in outcomes[0]] == ["accepted"] * 3

    assert comparable(on_server) == comparable(on_sqlite)
    assert len(sync.conflicts(on_server)) == 1
    assert records_written(on_server, tmp_path / "from-server.jcimsync") == \
        records_written(on_sqlite, tmp_path / "from-sqlite.jcimsync")


def test_the_largest_numbers_and_longest_texts_a_record_may_hold_arrive_whole(both, tmp_path, request):
    # PostgreSQL enforces the widths SQLite only declares: migration 0009 makes them BIGINT and TEXT there.
    on_sqlite, on_server = both
    laptop = init_installation("chugoku", tmp_path / "laptop", user_name="中国 担当")  # SQLite holds them
    try:
        records.create(laptop, "seeds", {"company": "株式会社テスト", "tech_name": "長い番号の技術", "summary": "概要",
                                         "facility_types": ["bridge"], "netis_no": "KT-" + "9" * 60})
        records.create(laptop, "events", {
            "title": "大きな数の行事", "event_type": "seminar", "status": "held", "held_from": "2024-10-01",
            "held_to": "2024-10-01", "participants": MAX_SAFE_INT, "series_no": MAX_SAFE_INT,
            "lg_codes": [code("福山市")], "planned": {"text": "10月", "start": "2024-10-01", "end": "2024-10-31",
                                                     "precision": "month", "tentative": False},
        })
        package = sync.export_package(laptop, tmp_path / "chugoku.jcimsync").path
        key = laptop.public_key
    finally:
        laptop.close()
    for ctx in (on_sqlite, on_server):
        sync.add_trust(ctx, key, ["chugoku"])
        (outcome,) = sync.import_packages(ctx, [package])
        assert outcome.status == "accepted", outcome.reason
    assert comparable(on_server) == comparable(on_sqlite)
