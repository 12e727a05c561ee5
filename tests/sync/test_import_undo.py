"""Undoing an import without a backup taken before it (store/journal.py, issue 14 point 2).

An import copies nothing of the database first; instead it journals, in its own transaction, the
rows it changes. Undoing it puts them back exactly (the records, their search keys and their
conflicts), newest import first, and refuses — nothing written — when a record it changed has
changed since. Driven through the command line, as the secretariat would.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text

from helpers import code
from jcim_desktop import cli
from jcim_desktop.services import records, sync
from jcim_desktop.services.context import open_app
from jcim_desktop.store.database import Database
from jcim_desktop.store.models import MODELS

ENTITY_TABLES = [m.__tablename__ for m in MODELS.values()]


def need(title: str, **over: object) -> dict:
    data = {"lg_code": code("福山市"), "title": title, "facility_types": ["bridge"], "requirements": "安価に",
            "received_on": "2024-05-10", "status": "open"}
    data.update(over)
    return data


def tables(db: Database, names: list[str]) -> dict[str, list[tuple]]:
    """Every row of the named tables of an installation's database (open or closed: read on a
    connection of its own), the conflict versions without their own row numbers."""
    engine = create_engine(db.url or f"sqlite:///{db.path}")
    try:
        out = {}
        with engine.connect() as conn:
            for name in names:
                if name == "conflict_versions":
                    sql = "SELECT entity, record_id, owner, hlc, vv, deleted, data FROM conflict_versions"
                else:
                    sql = f'SELECT * FROM "{name}"'
                out[name] = sorted((tuple(row) for row in conn.execute(text(sql))), key=repr)
        return out
    finally:
        engine.dispose()


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def laptops(make_ctx):
    """Two laptops of 中国 (A writes, B receives) and the secretariat, trusting A."""
    a = make_ctx("chugoku", "a")
    b = make_ctx("chugoku", "b")
    secretariat = make_ctx("secretariat")
    sync.add_trust(b, a.public_key, ["chugoku"])
    sync.add_trust(secretariat, a.public_key, ["chugoku"])
    return a, b, secretariat


def test_undo_puts_back_exactly_what_each_import_changed(laptops, tmp_path, capsys):
    a, b, secretariat = laptops
    first = records.create(a, "needs", need("橋梁点検の省力化"))
    records.create(a, "needs", need("トンネル照明の点検"))
    p1 = sync.export_package(a, tmp_path / "a-1.jcimsync").path
    folder, db = secretariat.data_dir, secretariat.db
    empty = tables(db, [*ENTITY_TABLES, "conflict_versions", "received_packages"])
    assert sync.import_packages(secretariat, [p1])[0].status == "accepted"
    after_first = tables(db, [*ENTITY_TABLES, "conflict_versions", "received_packages"])

    # The second package changes one need and adds one; the third, from B, conflicts with it.
    records.update(a, "needs", first.id, {"title": "橋梁点検の省力化（改）"})
    records.create(a, "needs", need("側溝の清掃"))
    p2 = sync.export_package(a, tmp_path / "a-2.jcimsync").path
    sync.import_packages(b, [p1])
    sync.add_trust(secretariat, b.public_key, ["chugoku"])
    records.update(b, "needs", first.id, {"requirements": "夜間に"})
    p3 = sync.export_package(b, tmp_path / "b-1.jcimsync").path
    secretariat.close()
    for package in (p2, p3):
        assert run(capsys, "--data-dir", str(folder), "import", str(package))[0] == 0
    after_third = tables(db, [*ENTITY_TABLES, "conflict_versions"])
    assert after_third["conflict_versions"], "the two changes of one need are in conflict"

    status, out, _ = run(capsys, "--data-dir", str(folder), "undo-import", "--format", "json")
    listed = json.loads(out)
    assert status == 0 and [u["file_name"] for u in listed] == ["b-1.jcimsync", "a-2.jcimsync", "a-1.jcimsync"]
    assert [u["records"] for u in listed] == [1, 2, 2]  # the records each one changed

    # Undoing the second also undoes the third (newer): the database is as after the first.
    status, _, err = run(capsys, "--data-dir", str(folder), "undo-import", listed[1]["package_id"])
    assert status == 0, err
    assert "第1号" in err and "第2号" in err and "取り込みを取り消しました" in err
    assert tables(db, [*ENTITY_TABLES, "conflict_versions", "received_packages"]) == after_first
    # ... and importing them again gives the same result as the first time.
    for package in (p2, p3):
        assert run(capsys, "--data-dir", str(folder), "import", str(package))[0] == 0
    assert tables(db, [*ENTITY_TABLES, "conflict_versions"]) == after_third

    # Undoing everything leaves the records as before any import; the log says who undid it.
    status, out, _ = run(capsys, "--data-dir", str(folder), "undo-import", "--format", "json")
    oldest = json.loads(out)[-1]
    assert run(capsys, "--data-dir", str(folder), "undo-import", str(oldest["received_id"]))[0] == 0
    assert tables(db, [*ENTITY_TABLES, "conflict_versions", "received_packages"]) == empty
    ctx = open_app(folder)
    try:
        assert sync.undoable_imports(ctx) == []
        with ctx.db.engine.connect() as conn:
            undone = conn.exec_driver_sql(
                "SELECT count(*) FROM audit_log WHERE action = 'undo_import' AND user_name = 'テスト担当'").scalar()
        assert undone == 5
    finally:
        ctx.close()


def test_undo_is_refused_when_a_record_changed_since(laptops, tmp_path, capsys):
    a, b, _ = laptops
    first = records.create(a, "needs", need("橋梁点検の省力化"))
    package = sync.export_package(a, tmp_path / "a-1.jcimsync").path
    assert sync.import_packages(b, [package])[0].status == "accepted"
    records.update(b, "needs", first.id, {"title": "B で直した題名"})
    folder, db = b.data_dir, b.db
    before = tables(db, [*ENTITY_TABLES, "conflict_versions", "received_packages", "import_journal"])
    b.close()
    (entry,) = json.loads(run(capsys, "--data-dir", str(folder), "undo-import", "--format", "json")[1])
    status, _, err = run(capsys, "--data-dir", str(folder), "undo-import", entry["package_id"])
    assert status == 1
    assert f"自治体ニーズ（id {first.id}）" in err and "変更されているため" in err and "何も変更していません" in err
    assert "バックアップから復元" in err
    assert tables(db, [*ENTITY_TABLES, "conflict_versions", "received_packages", "import_journal"]) == before


def test_an_unknown_or_forgotten_import_is_refused_with_the_way_on(laptops, tmp_path, capsys):
    a, b, _ = laptops
    folder = b.data_dir
    b.close()
    status, _, err = run(capsys, "--data-dir", str(folder), "undo-import", "00000000-0000-4000-8000-000000000000")
    assert status == 1 and "取り消せません" in err and "backup restore" in err

    # Only the newest imports keep a journal (as many as backups are kept).
    ctx = open_app(folder)
    try:
        keep = ctx.db.keep_backups
        ctx.db.keep_backups = 2
        for n in range(3):
            records.create(a, "needs", need(f"点検 {n}"))
            path = sync.export_package(a, tmp_path / f"a-{n}.jcimsync").path
            assert sync.import_packages(ctx, [path])[0].status == "accepted"
        assert [u.file_name for u in sync.undoable_imports(ctx)] == ["a-2.jcimsync", "a-1.jcimsync"]
        assert keep >= 2
    finally:
        ctx.close()


def test_a_rejected_package_leaves_no_journal(laptops, tmp_path, capsys):
    a, b, _ = laptops
    records.create(a, "needs", need("橋梁点検の省力化"))
    package = sync.export_package(a, tmp_path / "a-1.jcimsync").path
    # The same package signed by a key B does not trust for 近畿 … simplest: B no longer trusts A.
    sync.remove_trust(b, a.public_key)
    assert sync.import_packages(b, [package])[0].status == "rejected"
    assert sync.undoable_imports(b) == []
