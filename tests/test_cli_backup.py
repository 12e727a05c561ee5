"""The command line: backup list / restore / create / fresh, a damaged database's way out,
a closed pipe, a full disk, and crash.log under --data-dir."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import NEED, dump, need_titles
from jcim_desktop.cli import main
from jcim_desktop.services import records
from jcim_desktop.services.context import open_app


@pytest.fixture
def data(tmp_path, capsys) -> Path:
    folder = tmp_path / "data"
    assert main(["--data-dir", str(folder), "init", "--org", "chugoku"]) == 0
    capsys.readouterr()
    return folder


def _add(folder: Path, title: str) -> None:
    ctx = open_app(folder)
    try:
        records.create(ctx, "needs", {**NEED, "title": title})
    finally:
        ctx.close()


def test_backup_list_is_newest_first_by_time_and_sequence(data, capsys):
    (daily,) = (data / "backups").iterdir()
    for name in ("jcim-20300101-120000-manual.sqlite3", "jcim-20300101-120000-2-manual.sqlite3",
                 "jcim-20300101-120000-10-import.sqlite3", "jcim-20300101-120000-1-manual.sqlite3"):
        shutil.copy(daily, data / "backups" / name)
    assert main(["--data-dir", str(data), "backup", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [b["name"] for b in listed[:4]] == [
        "jcim-20300101-120000-10-import.sqlite3", "jcim-20300101-120000-2-manual.sqlite3",
        "jcim-20300101-120000-1-manual.sqlite3", "jcim-20300101-120000-manual.sqlite3"]
    assert listed[0] == {
        "file": str(data / "backups" / "jcim-20300101-120000-10-import.sqlite3"),
        "name": "jcim-20300101-120000-10-import.sqlite3", "taken_at": "2030-01-01T12:00:00", "sequence": 10,
        "reason": "import", "reason_label": "取り込み前", "size": daily.stat().st_size,
    }
    assert main(["--data-dir", str(data), "backup", "list"]) == 0
    captured = capsys.readouterr()
    first = captured.out.splitlines()[0].split("\t")
    assert first[0] == "令和12年1月1日 12:00:00" and first[1] == "取り込み前" and first[2].endswith("KB")
    assert first[3] == str(data / "backups" / "jcim-20300101-120000-10-import.sqlite3")
    assert "新しい順" in captured.err


def test_backup_create_and_restore(data, capsys):
    _add(data, "河川堤防の点検")
    assert main(["--data-dir", str(data), "backup", "create"]) == 0
    made = Path(capsys.readouterr().err.split("バックアップを作りました: ")[1].split("（")[0])
    assert made.exists()
    _add(data, "橋梁の点検")

    assert main(["--data-dir", str(data), "backup", "restore", str(made)]) == 0
    err = capsys.readouterr().err
    assert "（手動）のバックアップから復元しました" in err and "今までのデータベースは" in err
    (kept,) = data.glob("jcim.before-restore-*.sqlite3")
    assert str(kept) in err
    assert need_titles(data) == ["河川堤防の点検"]


@pytest.mark.parametrize("content", [b"", b"garbage" * 1000, None])
def test_restore_refuses_a_file_that_is_not_a_good_backup(data, tmp_path, capsys, content):
    _add(data, "河川堤防の点検")
    before = dump(data / "jcim.sqlite3")
    bad = tmp_path / "bad.sqlite3"
    if content is not None:
        bad.write_bytes(content)
    assert main(["--data-dir", str(data), "backup", "restore", str(bad)]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "Traceback" not in err and "予期しない" not in err
    assert ("見つかりません" if content is None else "正常なバックアップではないため、復元しませんでした") in err
    assert dump(data / "jcim.sqlite3") == before


def _damage(db: Path, how: str) -> None:
    for side in ("-wal", "-shm"):
        Path(str(db) + side).unlink(missing_ok=True)
    if how == "zero-byte":
        db.write_bytes(b"")
    elif how == "garbage":
        db.write_bytes(os.urandom(20_000))
    else:  # truncated in the middle
        raw = db.read_bytes()
        db.write_bytes(raw[: len(raw) // 2])


def _command(err: str, marker: str) -> list[str]:
    """The command printed on the line after ``marker``, as argv (without the program name)."""
    lines = err.splitlines()
    index = next(i for i, line in enumerate(lines) if marker in line)
    argv = shlex.split(lines[index + 1].strip())
    assert argv[0] == "jcim-desktop"
    return argv[1:]


@pytest.mark.parametrize("how", ["zero-byte", "garbage", "truncated"])
def test_a_damaged_database_names_the_newest_good_backup_and_how_to_restore_it(data, capsys, how):
    _add(data, "河川堤防の点検")
    assert main(["--data-dir", str(data), "backup", "create"]) == 0
    made = Path(capsys.readouterr().err.split("バックアップを作りました: ")[1].split("（")[0])
    assert main(["--data-dir", str(data), "backup", "list", "--format", "json"]) == 0
    newest = Path(json.loads(capsys.readouterr().out)[0]["file"])
    assert newest == made  # often taken in the same second as the daily one: still the newest
    _damage(data / "jcim.sqlite3", how)

    assert main(["--data-dir", str(data), "tally", "--fy", "2024"]) == 1
    err = capsys.readouterr().err
    assert "が壊れています" in err and "Traceback" not in err and "予期しない" not in err
    assert "最新の正常なバックアップ: " in err and str(newest) in err
    restore = _command(err, "このバックアップから復元するには")
    assert restore == ["--data-dir", str(data), "backup", "restore", str(newest)]
    assert _command(err, "新しく始めるには") == ["--data-dir", str(data), "backup", "fresh"]

    assert main(restore) == 0  # the command it printed works as printed
    capsys.readouterr()
    assert need_titles(data) == ["河川堤防の点検"]
    assert len(list(data.glob("jcim.damaged-*.sqlite3"))) == 1


def test_a_damaged_database_without_a_backup_offers_a_fresh_start(data, capsys):
    key = (data / "keys" / "installation_ed25519.pem").read_bytes()
    for backup in (data / "backups").iterdir():
        backup.unlink()
    _damage(data / "jcim.sqlite3", "garbage")
    assert main(["--data-dir", str(data), "export", "--out", str(data / "x.jcimsync")]) == 1
    err = capsys.readouterr().err
    assert "正常なバックアップは見つかりませんでした" in err
    fresh = _command(err, "新しく始めるには")
    assert fresh == ["--data-dir", str(data), "backup", "fresh"]

    assert main(fresh) == 0
    err = capsys.readouterr().err
    assert "新しく始めました: 中国フォーラム（chugoku）" in err and "jcim.damaged-" in err
    assert "鍵" in err and "引き継いだ" in err
    assert (data / "keys" / "installation_ed25519.pem").read_bytes() == key
    assert main(["--data-dir", str(data), "tally", "--fy", "2024"]) == 0


def test_init_on_a_damaged_database_says_how_to_go_on(data, capsys):
    _damage(data / "jcim.sqlite3", "zero-byte")
    assert main(["--data-dir", str(data), "init", "--org", "chugoku"]) == 1
    err = capsys.readouterr().err
    assert "ファイルが空です" in err and "backup fresh" in err and "既に初期化されています" not in err


def test_a_fresh_start_when_the_org_is_not_recorded_asks_for_it(data, capsys):
    (data / "keys" / "identity.json").unlink()
    for backup in (data / "backups").iterdir():
        backup.unlink()
    _damage(data / "jcim.sqlite3", "zero-byte")
    assert main(["--data-dir", str(data), "tally", "--fy", "2024"]) == 1
    fresh = _command(capsys.readouterr().err, "新しく始めるには")
    assert fresh == ["--data-dir", str(data), "backup", "fresh", "--org", "組織コード"]
    assert main(["--data-dir", str(data), "backup", "fresh"]) == 1
    assert "組織コードを指定してください" in capsys.readouterr().err
    assert main(["--data-dir", str(data), "backup", "fresh", "--org", "chugoku"]) == 0


def test_a_bug_is_logged_under_the_data_dir_in_use(data, capsys, monkeypatch):
    from jcim_desktop.services import tally

    def broken(ctx, fy, live=False):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug in the tally")

    monkeypatch.setattr(tally, "tally", broken)
    assert main(["--data-dir", str(data), "tally", "--fy", "2024"]) == 1
    err = capsys.readouterr().err
    log = data / "logs" / "crash.log"
    assert "予期しないエラーが発生しました（RuntimeError）" in err and str(log) in err
    assert "a bug in the tally" in log.read_text(encoding="utf-8")
    default = Path(os.environ["JCIM_DESKTOP_DATA_DIR"])
    assert not (default / "logs" / "crash.log").exists()


def _run(*args: str, **kwargs) -> subprocess.Popen[bytes]:  # type: ignore[no-untyped-def]
    return subprocess.Popen([sys.executable, "-m", "jcim_desktop", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kwargs)


def test_output_to_a_closed_pipe_ends_quietly(data):
    proc = _run("--data-dir", str(data), "tally", "--fy", "2024")
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is written
    err = proc.stderr.read().decode("utf-8")
    proc.stderr.close()
    assert proc.wait(timeout=120) == 1
    assert err == ""


@pytest.mark.skipif(shutil.which("head") is None or sys.platform == "win32", reason="needs a POSIX shell and head")
def test_tally_piped_into_head_prints_no_error(data):
    command = f"{shlex.quote(sys.executable)} -m jcim_desktop --data-dir {shlex.quote(str(data))} tally --fy 2024 | head -c1"
    result = subprocess.run(["sh", "-c", command], capture_output=True, timeout=120)
    assert result.stdout == b"{"
    assert result.stderr == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full is Linux's always-full device")
def test_writing_to_a_full_device_is_a_user_error(data, capsys):
    assert main(["--data-dir", str(data), "tally", "--fy", "2024", "--out", "/dev/full"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("集計結果の書き出しができませんでした: ディスクの空き容量が足りません（/dev/full）。")
