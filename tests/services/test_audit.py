"""Who changed what (issue 13, point 4): the envelope's ``by`` (SYNC_FORMAT §4) is written from the
user's name and kept on merge, and the change log names the person, the package and its sender,
with the fields' old → new values (services/audit.py, sync/merge.py)."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from handmade import envelope, key_of, write
from helpers import code, content
from jcim_desktop.services import audit, records, sync
from jcim_desktop.services.context import AppContext
from jcim_desktop.store.models import AuditEntry, Need


def need_data(title: str = "橋梁点検", **over: Any) -> dict[str, Any]:
    data = {"lg_code": code("福山市"), "title": title, "facility_types": ["bridge"], "requirements": "夜間に点検したい",
            "received_on": "2024-05-10", "status": "open"}
    data.update(over)
    return data


def millis(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(12)).astimezone().timestamp() * 1000)


@pytest.fixture
def yamada(make_ctx) -> AppContext:  # type: ignore[no-untyped-def]
    return make_ctx("chugoku", user_name="山田")  # type: ignore[no-any-return]


@pytest.fixture
def sato(make_ctx) -> AppContext:  # type: ignore[no-untyped-def]
    return make_ctx("secretariat", user_name="佐藤")  # type: ignore[no-any-return]


def exported_envelopes(path: Path, entity: str) -> list[dict[str, Any]]:
    with zipfile.ZipFile(path) as zf:
        return [json.loads(line) for line in zf.read(f"records/{entity}.jsonl").splitlines()]


def send_and_import(sender: AppContext, receiver: AppContext, path: Path, **options: Any) -> sync.ImportOutcome:
    exported = sync.export_package(sender, path, **options)
    (outcome,) = sync.import_packages(receiver, [exported.path])
    assert outcome.status == "accepted", outcome.reason
    return outcome


def changed_by(ctx: AppContext, record_id: str) -> str | None:
    with ctx.reading() as session:
        return session.scalar(select(Need.changed_by).where(Need.id == record_id))


def audit_count(ctx: AppContext) -> int:
    with ctx.reading() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_a_local_change_carries_the_users_name_in_the_exported_envelope(yamada, tmp_path):
    need = records.create(yamada, "needs", need_data())
    records.update(yamada, "needs", need.id, {"title": "河川堤防の点検"})
    assert changed_by(yamada, need.id) == "山田"
    exported = sync.export_package(yamada, tmp_path / "p.jcimsync")
    [env] = exported_envelopes(exported.path, "needs")
    assert env["by"] == "山田" and env["data"]["title"] == "河川堤防の点検"
    # The local log says the same person, this installation, no package.
    [update, create] = audit.record_history(yamada, "needs", need.id)
    assert (update.action, update.by, update.installation, update.package_id) == (
        "update", "山田", yamada.installation_id, None)
    assert update.changes == {"title": ("橋梁点検", "河川堤防の点検")}
    assert create.action == "create" and create.changes["title"] == (None, "橋梁点検")


def test_a_merged_update_names_its_author_package_and_sender_with_old_and_new(yamada, sato, tmp_path):
    sync.add_trust(sato, yamada.public_key, ["chugoku"])
    need = records.create(yamada, "needs", need_data())
    first = send_and_import(yamada, sato, tmp_path / "p1.jcimsync")
    records.update(yamada, "needs", need.id, {"title": "河川堤防の点検", "status": "matching"})
    second = send_and_import(yamada, sato, tmp_path / "p2.jcimsync")

    # Kept on merge: the secretariat stores 山田 as the last to change it (and sends it on).
    assert changed_by(sato, need.id) == "山田"
    national = sync.export_package(sato, tmp_path / "national.jcimsync", scope="national")
    assert exported_envelopes(national.path, "needs")[0]["by"] == "山田"

    update, create = audit.record_history(sato, "needs", need.id)
    assert update.action == "update" and update.by == "山田"
    assert update.package_id == second.package_id
    assert (update.sender_org, update.sender_installation) == ("chugoku", yamada.installation_id)
    assert update.installation == yamada.installation_id and update.owner == "chugoku"
    assert update.changes == {"title": ("橋梁点検", "河川堤防の点検"), "status": ("open", "matching")}
    assert update.received_at is not None and update.at is not None
    assert update.title == "河川堤防の点検"
    # An inserted record's entry carries no diff (its data are the record's own).
    assert (create.action, create.by, create.package_id, create.changes) == ("create", "山田", first.package_id, {})
    # Merging the same package again changes nothing and logs nothing.
    before = audit_count(sato)
    (again,) = sync.import_packages(sato, [tmp_path / "p2.jcimsync"])
    assert again.status == "accepted" and audit_count(sato) == before


def test_deletions_and_conflicts_received_are_logged(make_ctx, sato, tmp_path):
    laptop1 = make_ctx("chugoku", name="laptop1", user_name="山田")
    laptop2 = make_ctx("chugoku", name="laptop2", user_name="鈴木")
    for ctx, other in ((sato, laptop1), (sato, laptop2), (laptop2, laptop1)):
        sync.add_trust(ctx, other.public_key, ["chugoku"])
    need = records.create(laptop1, "needs", need_data())
    other = records.create(laptop1, "needs", need_data("トンネル点検"))
    p1 = sync.export_package(laptop1, tmp_path / "l1-1.jcimsync").path
    for receiver in (sato, laptop2):
        assert sync.import_packages(receiver, [p1])[0].status == "accepted"
    # Both laptops change the same need before they hear of each other; laptop1 deletes the other one.
    records.update(laptop1, "needs", need.id, {"title": "山田の題"})
    records.delete(laptop1, "needs", other.id)
    records.update(laptop2, "needs", need.id, {"title": "鈴木の題"})
    send_and_import(laptop1, sato, tmp_path / "l1-2.jcimsync")
    send_and_import(laptop2, sato, tmp_path / "l2-1.jcimsync")

    deleted = audit.record_history(sato, "needs", other.id)[0]
    assert (deleted.action, deleted.by, deleted.changes) == ("delete", "山田", {"deleted": (False, True)})
    newest = audit.record_history(sato, "needs", need.id)[0]
    assert newest.action == "conflict" and newest.by == "鈴木" and newest.sender_installation == laptop2.installation_id
    shown = records.get(sato, "needs", need.id).data["title"]
    # The entry's changes say what the stored copy became: the later version wins (§3 rule 5).
    if shown == "鈴木の題":
        assert newest.changes == {"title": ("山田の題", "鈴木の題")}
    else:
        assert newest.changes == {}


def test_a_package_whose_by_is_not_a_string_is_rejected_and_nothing_is_written(yamada, sato, tmp_path):
    sync.add_trust(sato, yamada.public_key, ["chugoku"])
    need = records.create(yamada, "needs", need_data())
    bad = write(tmp_path / "bad.jcimsync", key_of(yamada), org="chugoku", installation=yamada.installation_id,
                files={"needs": [envelope(need, by=5)]})
    before, logged = content(sato), audit_count(sato)
    (outcome,) = sync.import_packages(sato, [bad])
    assert outcome.status == "rejected" and outcome.code == "bad_record"
    assert "by" in outcome.reason and "文字列" in outcome.reason and need.id in outcome.reason
    assert content(sato) == before and audit_count(sato) == logged


def test_an_older_package_without_by_still_merges(yamada, sato, tmp_path):
    sync.add_trust(sato, yamada.public_key, ["chugoku"])
    need = records.create(yamada, "needs", need_data())
    old = write(tmp_path / "old.jcimsync", key_of(yamada), org="chugoku", installation=yamada.installation_id,
                files={"needs": [envelope(need)]})  # the six envelope fields of the first revision only
    (outcome,) = sync.import_packages(sato, [old])
    assert outcome.status == "accepted" and outcome.counts.inserted == 1
    assert changed_by(sato, need.id) is None
    [entry] = audit.record_history(sato, "needs", need.id)
    assert entry.by is None and entry.package_id == outcome.package_id
    assert audit.as_json(entry)["by"] is None
    assert audit.people(sato)[-1] == audit.UNKNOWN_PERSON  # listed last, after the names known
    # A null ``by`` is as good as none.
    again = write(tmp_path / "null.jcimsync", key_of(yamada), org="chugoku", installation=yamada.installation_id,
                  files={"needs": [envelope(need, by=None)]})
    assert sync.import_packages(sato, [again])[0].status == "accepted"


def dated_package(sender: AppContext, tmp_path: Path, name: str, items: list[tuple[Any, dt.date, str]]) -> Path:
    """A package of ``sender``'s records, each stamped on a day of the past by a person."""
    envs = [envelope(rec, hlc=f"{millis(day):013d}-00000-{sender.installation_id}", by=person)
            for rec, day, person in items]
    return write(tmp_path / f"{name}.jcimsync", key_of(sender), org=sender.org, installation=sender.installation_id,
                 files={"needs": envs})


def test_the_log_filters_by_period_person_organisation_and_kind(make_ctx, sato, tmp_path):
    chugoku = make_ctx("chugoku", user_name="山田")
    kinki = make_ctx("kinki", user_name="田中")
    sync.add_trust(sato, chugoku.public_key, ["chugoku"])
    sync.add_trust(sato, kinki.public_key, ["kinki"])
    june = records.create(chugoku, "needs", need_data("六月の題"))
    july = records.create(chugoku, "needs", need_data("七月の題"))
    kyoto = records.create(kinki, "needs", need_data("京都の題", lg_code=code("京都市")))
    for path in (dated_package(chugoku, tmp_path, "c", [(june, dt.date(2024, 6, 3), "山田"),
                                                         (july, dt.date(2024, 7, 15), "山口")]),
                 dated_package(kinki, tmp_path, "k", [(kyoto, dt.date(2024, 7, 20), "田中")])):
        assert sync.import_packages(sato, [path])[0].status == "accepted"
    records.create(sato, "kpi_targets", {"fiscal_year": 2024, "kpi": "forums_held", "target": 30})

    def ids(**filters: Any) -> list[str]:
        return [row.record_id for row in audit.audit(sato, **filters) if row.entity == "needs"]

    # Newest first; a merged change dates from its stamp (when the sender made it).
    assert ids() == [kyoto.id, july.id, june.id]
    assert [r.at.date() for r in audit.audit(sato, entity="needs")] == [  # type: ignore[union-attr]
        dt.date(2024, 7, 20), dt.date(2024, 7, 15), dt.date(2024, 6, 3)]
    assert ids(since=dt.date(2024, 7, 1)) == [kyoto.id, july.id]
    assert ids(until=dt.date(2024, 6, 30)) == [june.id]
    assert ids(since=dt.date(2024, 7, 15), until=dt.date(2024, 7, 15)) == [july.id]
    assert ids(person="山口") == [july.id]
    assert ids(org="kinki") == [kyoto.id]
    assert ids(org="chugoku", since=dt.date(2024, 7, 1)) == [july.id]
    assert [r.entity for r in audit.audit(sato, entity="kpi_targets")] == ["kpi_targets"]
    assert [r.entity for r in audit.audit(sato, org="secretariat", entity="kpi_targets")] == ["kpi_targets"]
    assert ids(entity="needs", limit=2) == [kyoto.id, july.id]
    assert set(audit.people(sato)) >= {"佐藤", "山口", "田中"} and "" not in audit.people(sato)
    with pytest.raises(audit.UserError, match="組織コード"):
        audit.audit(sato, org="atlantis")


def test_contacts_stay_out_of_the_json_unless_asked_for(yamada):
    need = records.create(yamada, "needs", need_data(contact={"name": "福山 太郎", "email": "taro@example.jp"}))
    records.update(yamada, "needs", need.id, {"contact": {"name": "福山 次郎", "email": "jiro@example.jp"}})
    update = audit.record_history(yamada, "needs", need.id)[0]
    hidden = json.dumps(audit.as_json(update), ensure_ascii=False)
    assert "jiro@example.jp" not in hidden and "福山" not in hidden
    assert audit.as_json(update)["changes"]["contact"] == {"old": audit.HIDDEN_CONTACT, "new": audit.HIDDEN_CONTACT}
    shown = audit.as_json(update, include_contacts=True)["changes"]["contact"]
    assert shown["new"]["email"] == "jiro@example.jp" and shown["old"]["email"] == "taro@example.jp"
    lines = "\n".join(audit.text_lines(update))
    assert "jiro" not in lines and "担当者連絡先: 変更あり" in lines


def test_the_audit_log_rows_of_a_merge_are_in_the_database_as_the_lead_designed(yamada, sato, tmp_path):
    """The columns the migration added are what the merge fills (for other readers of the log)."""
    sync.add_trust(sato, yamada.public_key, ["chugoku"])
    records.create(yamada, "needs", need_data())
    outcome = send_and_import(yamada, sato, tmp_path / "p.jcimsync")
    with sato.db.engine.connect() as conn:
        row = conn.execute(text("SELECT user_name, installation_id, action, package_id, sender_org, "
                                "sender_installation FROM audit_log WHERE entity = 'needs'")).one()
    assert tuple(row) == ("山田", yamada.installation_id, "create", outcome.package_id, "chugoku",
                          yamada.installation_id)
