"""``audit [--record ID] [--since DATE] [--format json]`` (SYNC_FORMAT §6): the change log on the
command line, worked through by hand: 山田 at 中国フォーラム enters and edits a need, the
secretariat receives both packages, and its log says who, when, which fields, old → new, and which
package each change came from."""

from __future__ import annotations

import datetime as dt
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from handmade import envelope, key_of, write
from jcim_desktop.services import records
from jcim_desktop.services.context import open_app
from tests.helpers import cli_json, code, run_cli

KEYS = {"at", "by", "installation", "entity", "id", "owner", "action", "changes", "package_id", "sender"}


cli = run_cli
as_json = cli_json


def imported(capsys: pytest.CaptureFixture[str], sender: str, receiver: str, package: Path, *extra: str) -> dict:
    assert cli(capsys, "export", "--out", str(package), *extra, "--data-dir", sender)[0] == 0
    [outcome] = as_json(capsys, "import", str(package), "--format", "json", "--data-dir", receiver)
    assert outcome["status"] == "accepted", outcome["reason"]
    return outcome


@pytest.fixture
def edited(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """山田 enters a need at 中国フォーラム and edits it; the secretariat imports both packages."""
    forum, sec = str(tmp_path / "chugoku"), str(tmp_path / "sec")
    assert cli(capsys, "init", "--org", "chugoku", "--user", "山田", "--data-dir", forum)[0] == 0
    assert cli(capsys, "init", "--org", "secretariat", "--user", "佐藤", "--data-dir", sec)[0] == 0
    assert cli(capsys, "key", "export", "--out", str(tmp_path / "forum.pub"), "--data-dir", forum)[0] == 0
    assert cli(capsys, "trust", "add", "--org", "chugoku", str(tmp_path / "forum.pub"), "--data-dir", sec)[0] == 0
    with closing(open_app(forum)) as ctx:
        need = records.create(ctx, "needs", {
            "lg_code": code("福山市"), "title": "橋梁点検", "facility_types": ["bridge"], "requirements": "夜間",
            "received_on": "2024-05-10", "status": "open",
            "contact": {"name": "福山 太郎", "email": "taro@example.jp"}})
    first = imported(capsys, forum, sec, tmp_path / "p1.jcimsync", "--include-contacts")
    with closing(open_app(forum)) as ctx:
        records.update(ctx, "needs", need.id, {"title": "河川堤防の点検",
                                               "contact": {"name": "福山 次郎", "email": "jiro@example.jp"}})
        installation = ctx.installation_id
    second = imported(capsys, forum, sec, tmp_path / "p2.jcimsync", "--include-contacts")
    return {"forum": forum, "sec": sec, "id": need.id, "installation": installation,
            "first": first["package_id"], "second": second["package_id"]}


def test_audit_of_a_record_says_who_changed_what_and_from_which_package(edited, capsys):
    entries = as_json(capsys, "audit", "--record", edited["id"], "--format", "json", "--data-dir", edited["sec"])
    assert [e["action"] for e in entries] == ["update", "create"]  # newest first
    update, create = entries
    assert set(update) >= KEYS
    assert update["by"] == "山田" and update["entity"] == "needs" and update["id"] == edited["id"]
    assert update["owner"] == "chugoku" and update["installation"] == edited["installation"]
    assert update["package_id"] == edited["second"]
    assert update["sender"] == {"org": "chugoku", "installation": edited["installation"]}
    assert update["changes"]["title"] == {"old": "橋梁点検", "new": "河川堤防の点検"}
    # A contact changed, but the log does not print personal data unless asked.
    assert update["changes"]["contact"] == {"old": "（連絡先）", "new": "（連絡先）"}
    assert dt.datetime.fromisoformat(update["at"]).date() == dt.date.today()
    assert create["package_id"] == edited["first"] and create["by"] == "山田" and create["changes"] == {}

    shown = as_json(capsys, "audit", "--record", edited["id"], "--include-contacts", "--format", "json",
                    "--data-dir", edited["sec"])
    assert shown[0]["changes"]["contact"]["new"]["email"] == "jiro@example.jp"

    # At the forum the same record's log is local: no package, no sender.
    local = as_json(capsys, "audit", "--record", edited["id"], "--format", "json", "--data-dir", edited["forum"])
    assert [(e["action"], e["by"], e["package_id"], e["sender"]) for e in local] == [
        ("update", "山田", None, None), ("create", "山田", None, None)]
    assert local[1]["changes"]["title"] == {"old": None, "new": "橋梁点検"}


def test_audit_reads_for_people_in_japanese_without_contacts(edited, capsys):
    status, out, _err = cli(capsys, "audit", "--record", edited["id"], "--data-dir", edited["sec"])
    assert status == 0
    assert "山田" in out and "技術テーマ: 橋梁点検 → 河川堤防の点検" in out
    assert f"パッケージ {edited['second']}" in out and "中国フォーラムの端末" in out
    assert "jiro" not in out and "次郎" not in out and "--include-contacts" in out
    status, out, _err = cli(capsys, "audit", "--record", edited["id"], "--include-contacts", "--data-dir", edited["sec"])
    assert "jiro@example.jp" in out


def test_since_keeps_the_changes_made_from_that_day(edited, capsys, tmp_path):
    # A change made (on the sender's clock) in June 2024 arrives now.
    with closing(open_app(edited["forum"])) as ctx:
        old = records.create(ctx, "needs", {
            "lg_code": code("福山市"), "title": "古い題", "facility_types": ["road"], "requirements": "なし",
            "received_on": "2024-05-10", "status": "open"})
        june = int(dt.datetime(2024, 6, 3, 12).astimezone().timestamp() * 1000)
        package = write(tmp_path / "june.jcimsync", key_of(ctx), org="chugoku", installation=ctx.installation_id,
                        files={"needs": [envelope(old, hlc=f"{june:013d}-00000-{ctx.installation_id}", by="山口")]},
                        sequence=9)
    [outcome] = as_json(capsys, "import", str(package), "--format", "json", "--data-dir", edited["sec"])
    assert outcome["status"] == "accepted"

    def ids(*options: str) -> list[str]:
        return [e["id"] for e in as_json(capsys, "audit", "--format", "json", "--data-dir", edited["sec"], *options)
                if e["entity"] == "needs"]

    assert ids() == [edited["id"], edited["id"], old.id]
    assert ids("--since", dt.date.today().isoformat()) == [edited["id"], edited["id"]]
    assert ids("--since", "2024-06-03") == [edited["id"], edited["id"], old.id]
    assert ids("--since", "2024-06-04") == [edited["id"], edited["id"]]
    assert ids("--since", (dt.date.today() + dt.timedelta(days=1)).isoformat()) == []
    assert ids("--until", "2024-06-30") == [old.id]
    assert ids("--by", "山口") == [old.id]
    june_entry = as_json(capsys, "audit", "--record", old.id, "--format", "json", "--data-dir", edited["sec"])[0]
    assert june_entry["at"].startswith("2024-06-03") and june_entry["by"] == "山口"


def test_wrong_usage_is_refused_with_a_japanese_message(edited, capsys):
    status, _out, err = cli(capsys, "audit", "--since", "7月1日", "--data-dir", edited["sec"])
    assert status == 2 and "日付として読めません" in err
    status, _out, err = cli(capsys, "audit", "--entity", "unicorns", "--data-dir", edited["sec"])
    assert status == 2 and "unicorns" in err
    status, out, err = cli(capsys, "audit", "--record", "00000000-0000-4000-8000-000000000000",
                           "--data-dir", edited["sec"])
    assert status == 0 and out == "" and "該当する変更はありません" in err
    assert as_json(capsys, "audit", "--record", "00000000-0000-4000-8000-000000000000", "--format", "json",
                   "--data-dir", edited["sec"]) == []
