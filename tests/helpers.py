"""Helpers shared by tests (plain functions, not fixtures)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from jcim_desktop.domain.lgcodes import default_registry
from jcim_desktop.services import events, master, matchings, records, targets
from jcim_desktop.services.context import AppContext
from jcim_desktop.store.bulk import envelope_row, upsert_rows
from jcim_desktop.store.models import MODELS

# A need every backup and fault test can store (福山市's code, written out: no registry lookup).
NEED: dict[str, Any] = {"lg_code": "342076", "title": "河川堤防の点検", "facility_types": [],
                        "requirements": "夜間の点検", "received_on": "2024-05-10", "status": "open"}


def need_titles(source: AppContext | Path) -> list[str]:
    """The titles of the needs stored, sorted: of an open installation, or of a data folder's
    (opened for the call and closed again)."""
    if isinstance(source, AppContext):
        return sorted(r.data["title"] for r in records.list_records(source, "needs", records.Query()))
    from jcim_desktop.services.context import open_app

    ctx = open_app(source)
    try:
        return need_titles(ctx)
    finally:
        ctx.close()


def dump(path: Path) -> list[str]:
    """A database file's whole content as SQL text (schema and rows), for before/after comparison."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def content(ctx: AppContext) -> list[str]:
    """The content of an open installation's database, as ``dump`` gives it (on a shared
    PostgreSQL database: every table's rows, sorted, table by table)."""
    if not ctx.db.shared:
        return dump(ctx.db.path)
    from sqlalchemy import inspect, text

    with ctx.db.engine.connect() as conn:
        return [line for table in sorted(inspect(conn).get_table_names())
                for line in sorted(f"{table}: {tuple(row)!r}" for row in conn.execute(text(f'SELECT * FROM "{table}"')))]


def code(name: str) -> str:
    """The local-government code of a name such as 福山市 (the first search hit, checked exactly)."""
    hits = [lg for lg in default_registry().search(name, limit=5) if lg.name == name or lg.full_name == name]
    assert hits, name
    return hits[0].lg_code


def envelopes(ctx: AppContext) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    with ctx.reading() as session:
        for entity, model in MODELS.items():
            out[entity] = [
                {"id": o.id, "owner": o.owner, "hlc": o.hlc, "vv": dict(o.vv), "deleted": o.deleted, "data": o.to_data()}
                for o in session.scalars(select(model))
            ]
    return out


def transfer(source: AppContext, target: AppContext) -> None:
    """Copy every record of ``source`` into ``target`` as received (a stand-in for a sync package)."""
    with target.db.engine.begin() as conn:
        for entity, envs in envelopes(source).items():
            upsert_rows(conn, entity, [envelope_row(entity, e) for e in envs])


# -- 中国フォーラム's FY2024, the year the KPI table and the PDF reports are tested on ----------------


def held_event(ctx: AppContext, title: str, held: dt.date, lg: Iterable[str], *, event_type: str = "forum",
               forum: bool = True, owner: str | None = None) -> records.Saved:
    """An event of FY2024 (planned for 第2四半期) held on one day in the named local governments."""
    return records.create(ctx, "events", {
        "title": title, "event_type": event_type, "planned": events.planned_from_text("第2四半期", 2024),
        "status": "held", "held_from": held.isoformat(), "held_to": held.isoformat(),
        "lg_codes": [code(n) for n in lg], "counts_as_forum": forum,
    }, owner=owner)


def bridge_need(ctx: AppContext, name: str, received: dt.date) -> records.Saved:
    """An open need of the named local government for inspecting its bridges and roads."""
    return records.create(ctx, "needs", {
        "lg_code": code(name), "title": f"{name}の橋梁点検", "facility_types": ["bridge", "road"],
        "requirements": "点検費用を抑えたい。足場を使わずに近接目視と同等の精度で調べたい。",
        "received_on": received.isoformat(), "status": "open",
    })


def staged_pairing(ctx: AppContext, title: str, history: list[tuple[str, dt.date]]) -> str:
    """A pairing of a need of 福山市 (``title``) with a seed, moved through ``history`` (stage, day),
    the first stage being マッチング検討; returns its id."""
    need = records.create(ctx, "needs", {"lg_code": code("福山市"), "title": title, "facility_types": ["bridge"],
                                         "requirements": "安価に", "received_on": history[0][1].isoformat(),
                                         "status": "open"})
    seed = records.create(ctx, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断", "summary": "AI",
                                         "facility_types": ["bridge"]})
    pairing = matchings.create_matching(ctx, need.id, seed.id, considered_on=history[0][1])
    for stage, on in history[1:]:
        matchings.advance_stage(ctx, pairing.id, stage, on)
    return pairing.id


def chugoku_forum_year(forum: AppContext) -> tuple[str, str]:
    """中国フォーラム's FY2024 at its own installation: a forum and an outreach class (福山市, 広島市,
    尾道市), needs of 福山市 and 呉市, one seed matched with both, and a field trial of the first.

    Returns the two matchings' ids: the first established, the second only considered."""
    held_event(forum, "中国フォーラム総会", dt.date(2024, 6, 1), ("福山市", "広島市"))
    held_event(forum, "出前授業（尾道）", dt.date(2024, 9, 1), ("尾道市",), event_type="outreach_class", forum=False)
    n1 = bridge_need(forum, "福山市", dt.date(2024, 5, 10))
    n2 = bridge_need(forum, "呉市", dt.date(2024, 7, 1))
    seed = records.create(forum, "seeds", {"company": "㈱ブリッジアイ", "tech_name": "画像診断AI",
                                           "summary": "ドローン画像から損傷を自動で判定する。",
                                           "facility_types": ["bridge"]})
    m1 = matchings.create_matching(forum, n1.id, seed.id, considered_on=dt.date(2024, 6, 1))
    matchings.advance_stage(forum, m1.id, "established", dt.date(2024, 8, 1))
    m2 = matchings.create_matching(forum, n2.id, seed.id, considered_on=dt.date(2024, 9, 1))
    records.create(forum, "trials", {
        "title": "第1回実証試験", "lg_code": code("福山市"), "matching_id": m1.id,
        "planned": events.planned_from_text("10月", 2024), "status": "held",
        "held_from": "2024-10-10", "held_to": "2024-10-10",
    })
    return m1.id, m2.id


def secretariat_year(secretariat: AppContext) -> None:
    """What the secretariat adds to FY2024: 革新的技術フォーラム's symposium (福山市, 札幌市), 福山市 and
    呉市 as members of the administration (福山市 also of the mayors' council), and three targets."""
    held_event(secretariat, "革新的技術フォーラム シンポジウム", dt.date(2024, 11, 1), ("福山市", "札幌市"),
               owner="innovative_tech")
    master.set_status(secretariat, code("福山市"), admin_member=True, mayors_council=True, as_of=dt.date(2024, 4, 1))
    master.set_status(secretariat, code("呉市"), admin_member=True, as_of=dt.date(2024, 4, 1))
    targets.set_target(secretariat, 2024, "supported_municipalities", 300)
    targets.set_target(secretariat, 2024, "matching_total", 200)
    targets.set_target(secretariat, 2024, "mayors_council_rate", 0.7)


def refuse_new_files(monkeypatch: Any, error: OSError) -> None:
    """Make creating a new file fail with ``error`` (what a read-only folder or a full disk does to
    the temporary file an atomic write starts with); reading and overwriting still work."""
    import builtins

    real_open = builtins.open

    def guarded(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "x" in mode:
            raise error
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)


def run_cli(capsys: Any, *argv: str) -> tuple[int, str, str]:
    """``jcim-desktop ARGV`` in this process: (exit status, standard output, standard error);
    a refusal by the argument parser itself counts as its exit status."""
    from jcim_desktop.cli import main

    try:
        status = main(list(argv))
    except SystemExit as exited:
        status = int(exited.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def cli_json(capsys: Any, *argv: str) -> Any:
    """The JSON a command prints, after checking it succeeded (its standard error otherwise)."""
    import json

    status, out, err = run_cli(capsys, *argv)
    assert status == 0, err
    return json.loads(out)
