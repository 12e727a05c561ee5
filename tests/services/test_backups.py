"""Backups as use cases: list, take, restore (checked, the current database kept beside it) and
a fresh start beside a damaged database that keeps the key."""

from __future__ import annotations

import json
import sqlite3

import pytest

from helpers import NEED, dump
from jcim_desktop.errors import UserError
from jcim_desktop.services import backups, records
from jcim_desktop.services.context import KEY_DIR_NAME, init_installation, open_app
from jcim_desktop.sync import keys


def titles(ctx) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(r.data["title"] for r in records.list_records(ctx, "needs", records.Query()))


def test_list_and_take(forum):
    first = backups.list_backups(forum.data_dir)
    made = backups.take_backup(forum)
    listed = backups.list_backups(forum.data_dir)
    assert listed[0].path == made.path and made.reason == "manual" and made.reason_label == "手動"
    assert len(listed) == len(first) + 1
    assert made.size > 0 and made.path.parent == forum.data_dir / "backups"


@pytest.mark.sqlite_only
def test_restore_goes_back_to_the_backup_and_keeps_the_current_database(forum):
    records.create(forum, "needs", NEED)
    made = backups.take_backup(forum)
    records.create(forum, "needs", {**NEED, "title": "橋梁の点検"})
    data, old_id, old_key = forum.data_dir, forum.installation_id, forum.public_key
    forum.close()

    result = backups.restore(data, made.path.name)  # a bare name is looked up in the backup folder

    assert result.backup is not None and result.backup.path == made.path and not result.damaged
    assert result.kept is not None and result.kept.name.startswith("jcim.before-restore-")
    ctx = open_app(data)
    try:
        assert titles(ctx) == ["河川堤防の点検"]
        # Same org and key; a new id, so that edits from now on are never mistaken for ones
        # others already have under the old id's counters.
        assert ctx.public_key == old_key and ctx.org == "chugoku"
        assert ctx.installation_id == result.installation_id != old_id
        assert json.loads((data / KEY_DIR_NAME / "identity.json").read_text())["installation_id"] == ctx.installation_id
        edited = records.create(ctx, "needs", {**NEED, "title": "トンネルの点検"})
        assert edited.vv == {ctx.installation_id: 1}
    finally:
        ctx.close()
    conn = sqlite3.connect(result.kept)
    try:
        assert sorted(r[0] for r in conn.execute("SELECT title FROM needs")) == ["橋梁の点検", "河川堤防の点検"]
    finally:
        conn.close()


def test_restore_and_reopen_gives_a_working_context(forum):
    records.create(forum, "needs", NEED)
    made = backups.take_backup(forum)
    records.create(forum, "needs", {**NEED, "title": "橋梁の点検"})
    ctx, result = backups.restore_and_reopen(forum, made.path)
    try:
        assert titles(ctx) == ["河川堤防の点検"] and result.kept is not None
    finally:
        ctx.close()


@pytest.mark.sqlite_only
def test_a_failed_restore_leaves_the_old_context_usable(forum, tmp_path):
    records.create(forum, "needs", NEED)
    bad = tmp_path / "garbage.sqlite3"
    bad.write_bytes(b"garbage" * 500)
    before = dump(forum.db.path)
    with pytest.raises(UserError, match="正常なバックアップではないため、復元しませんでした"):
        backups.restore_and_reopen(forum, bad)
    assert titles(forum) == ["河川堤防の点検"]
    records.create(forum, "needs", {**NEED, "title": "橋梁の点検"})
    forum.close()
    assert dump(forum.db.path) != before  # the reopened context writes to the same database


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "見つかりません"),
        (b"", "ファイルが空です"),
        (b"not sqlite" * 300, "SQLite のデータベースではありません"),
    ],
)
def test_restore_refuses_what_is_not_a_good_backup(forum, tmp_path, content, says):
    records.create(forum, "needs", NEED)
    data = forum.data_dir
    forum.close()
    before = dump(data / "jcim.sqlite3")
    target = tmp_path / "jcim-20240701-093005-manual.sqlite3"
    if content is not None:
        target.write_bytes(content)
    with pytest.raises(UserError) as caught:
        backups.restore(data, target)
    assert says in caught.value.message
    assert dump(data / "jcim.sqlite3") == before
    assert not list(data.glob("jcim.before-restore-*"))


@pytest.mark.sqlite_only
def test_restore_refuses_another_installations_database(make_ctx):
    ours = make_ctx("chugoku")
    theirs = make_ctx("kinki")
    foreign = backups.take_backup(theirs)
    before = dump(ours.db.path)
    data = ours.data_dir
    ours.close()
    with pytest.raises(UserError) as caught:
        backups.restore(data, foreign.path)
    assert "別の端末" in caught.value.message and "近畿フォーラム" in caught.value.message
    assert dump(data / "jcim.sqlite3") == before


@pytest.mark.sqlite_only
def test_start_fresh_keeps_the_key_and_the_org_and_puts_the_bad_file_aside(forum):
    data, old_id, old_key = forum.data_dir, forum.installation_id, forum.public_key
    records.create(forum, "needs", NEED)
    forum.close()
    (data / "jcim.sqlite3").write_bytes(b"garbage" * 1000)

    started = backups.start_fresh(data)

    ctx = started.ctx
    try:
        assert ctx.org == "chugoku" and ctx.public_key == old_key and ctx.installation_id != old_id
        assert not started.new_key and titles(ctx) == []
    finally:
        ctx.close()
    assert started.kept is not None and started.kept.name.startswith("jcim.damaged-")
    assert started.kept.read_bytes() == b"garbage" * 1000
    assert keys.public_key_b64(keys.load_private_key(data / KEY_DIR_NAME)) == old_key


@pytest.mark.sqlite_only
def test_start_fresh_finds_the_org_in_a_backup_when_nothing_else_says(forum):
    data = forum.data_dir
    backups.take_backup(forum)
    forum.close()
    (data / KEY_DIR_NAME / "identity.json").unlink()
    (data / "jcim.sqlite3").write_bytes(b"")
    assert backups.recorded_org(data) == "chugoku"


def test_start_fresh_asks_for_the_org_when_nothing_records_it(tmp_path):
    data = tmp_path / "data"
    init_installation("kinki", data).close()
    (data / KEY_DIR_NAME / "identity.json").unlink()
    for backup in (data / "backups").iterdir():
        backup.unlink()
    (data / "jcim.sqlite3").write_bytes(b"")
    with pytest.raises(UserError, match="--org"):
        backups.start_fresh(data)
    assert (data / "jcim.sqlite3").read_bytes() == b""  # nothing moved
    started = backups.start_fresh(data, org="kinki", user_name="山田")
    try:
        assert started.ctx.org == "kinki" and started.ctx.user_name == "山田"
    finally:
        started.ctx.close()


@pytest.mark.sqlite_only
def test_start_fresh_refuses_a_healthy_database_and_another_org(forum):
    data = forum.data_dir
    records.create(forum, "needs", NEED)
    forum.close()
    before = dump(data / "jcim.sqlite3")
    with pytest.raises(UserError, match="壊れていないため"):
        backups.start_fresh(data)
    assert dump(data / "jcim.sqlite3") == before
    (data / "jcim.sqlite3").write_bytes(b"")
    with pytest.raises(UserError, match="別の組織として新しく始めることはできません"):
        backups.start_fresh(data, org="kinki")
    assert (data / "jcim.sqlite3").read_bytes() == b""
