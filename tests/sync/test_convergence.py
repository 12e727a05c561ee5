"""Idempotence and order: random histories at three installations converge whatever the merge order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from jcim_desktop.services import records, sync
from jcim_desktop.services.context import init_installation, open_app
from jcim_desktop.store.models import MODELS, ConflictVersion

INSTALLATIONS = ("a", "b", "c")
MERGERS = ("m1", "m2", "m3")
LG = "342076"


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Path:
    """Initialised installations of one forum (a, b, c) and mergers, each trusting the others."""
    root = tmp_path_factory.mktemp("templates")
    ctxs = {name: init_installation("chugoku", root / name, user_name=name) for name in (*INSTALLATIONS, *MERGERS)}
    for name, ctx in ctxs.items():
        for other in INSTALLATIONS:
            if other != name:
                sync.add_trust(ctx, ctxs[other].public_key, ["chugoku"])
    for ctx in ctxs.values():
        ctx.close()
    return root


def need(title: str, status: str = "open") -> dict[str, object]:
    return {"lg_code": LG, "title": title, "facility_types": ["bridge"], "requirements": "条件",
            "received_on": "2024-05-10", "status": status}


operation = st.one_of(
    st.tuples(st.just("create"), st.sampled_from(INSTALLATIONS), st.integers(0, 3)),
    st.tuples(st.just("edit"), st.sampled_from(INSTALLATIONS), st.integers(0, 3),
              st.sampled_from(["橋梁点検", "堤防点検", "トンネル点検"]), st.sampled_from(["open", "matching", "resolved"])),
    st.tuples(st.just("delete"), st.sampled_from(INSTALLATIONS), st.integers(0, 3)),
    st.tuples(st.just("restore"), st.sampled_from(INSTALLATIONS), st.integers(0, 3)),
    st.tuples(st.just("export"), st.sampled_from(INSTALLATIONS)),
    st.tuples(st.just("exchange"), st.sampled_from(INSTALLATIONS), st.integers(0, 50)),
)


def state(ctx) -> tuple[dict, set]:
    """Every record (envelope and, unless deleted, data) and every open conflict (its versions)."""
    recs = {}
    with ctx.reading() as session:
        for entity, model in MODELS.items():
            for obj in session.scalars(select(model)):
                vv = tuple(sorted(obj.vv.items()))
                recs[(entity, obj.id)] = (obj.hlc, vv, obj.deleted, None if obj.deleted else repr(obj.to_data()))
        conflicts: dict[tuple[str, str], set] = {}
        for row in session.scalars(select(ConflictVersion)):
            conflicts.setdefault((row.entity, row.record_id), set()).add((row.hlc, tuple(sorted(row.vv.items()))))
    return recs, {(key, frozenset(versions)) for key, versions in conflicts.items()}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])
@given(ops=st.lists(operation, min_size=4, max_size=30), orders=st.randoms(use_true_random=False))
def test_every_merge_order_converges_to_the_same_records_and_conflicts(templates, tmp_path_factory, ops, orders):
    work = tmp_path_factory.mktemp("run")
    for name in (*INSTALLATIONS, *MERGERS):
        shutil.copytree(templates / name, work / name)
    ctxs = {name: open_app(work / name) for name in (*INSTALLATIONS, *MERGERS)}
    try:
        known: dict[str, dict[int, str]] = {name: {} for name in INSTALLATIONS}  # installation → key → id
        ids: dict[int, str] = {}
        packages: list[Path] = []
        # A shared start: "a" registers three needs and the others receive them, so that later
        # edits and deletes at different installations can be concurrent.
        for key in range(3):
            ids[key] = records.create(ctxs["a"], "needs", need(f"ニーズ{key}")).id
        start = work / "start.jcimsync"
        sync.export_package(ctxs["a"], start)
        packages.append(start)
        for name in INSTALLATIONS:
            if name != "a":
                sync.import_packages(ctxs[name], [start])
            known[name] = dict(ids)
        for op in ops:
            kind, where = op[0], op[1]
            ctx = ctxs[where]
            if kind == "create":
                key = op[2]
                if key in ids:
                    continue
                ids[key] = records.create(ctx, "needs", need(f"ニーズ{key}")).id
                known[where][key] = ids[key]
            elif kind in ("edit", "delete", "restore"):
                record_id = known[where].get(op[2])
                if record_id is None:
                    continue
                current = records.get(ctx, "needs", record_id, include_deleted=True)
                if kind == "edit" and not current.deleted:
                    records.update(ctx, "needs", record_id, {"title": op[3], "status": op[4]})
                elif kind == "delete" and not current.deleted:
                    records.delete(ctx, "needs", record_id)
                elif kind == "restore" and current.deleted:
                    records.restore(ctx, "needs", record_id)
            elif kind == "export":
                path = work / f"p{len(packages)}.jcimsync"
                sync.export_package(ctx, path)
                packages.append(path)
            elif kind == "exchange" and packages:
                # An installation merges someone's earlier package: later edits there build on it.
                path = packages[op[2] % len(packages)]
                (outcome,) = sync.import_packages(ctx, [path])
                assert outcome.status == "accepted"
                for key, record_id in ids.items():
                    try:
                        records.get(ctx, "needs", record_id, include_deleted=True)
                        known[where][key] = record_id
                    except Exception:
                        pass
        for name in INSTALLATIONS:  # everyone's final state goes out too
            path = work / f"final-{name}.jcimsync"
            sync.export_package(ctxs[name], path)
            packages.append(path)

        results = []
        for merger in MERGERS:
            order = list(packages)
            orders.shuffle(order)
            order += orders.sample(packages, k=min(3, len(packages)))  # some arrive twice
            for path in order:
                (outcome,) = sync.import_packages(ctxs[merger], [path])
                assert outcome.status == "accepted", outcome.reason
            results.append(state(ctxs[merger]))
        assert results[0] == results[1] == results[2]
        event("open conflicts" if results[0][1] else "no conflicts")
        event("with tombstones" if any(r[2] for r in results[0][0].values()) else "no tombstones")
        # Merging everything again changes nothing (idempotence).
        for path in packages:
            sync.import_packages(ctxs[MERGERS[0]], [path])
        assert state(ctxs[MERGERS[0]]) == results[0]
    finally:
        for ctx in ctxs.values():
            ctx.close()
