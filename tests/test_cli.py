"""The command line: init, key export, tally, demo; exit statuses and Japanese messages (SYNC_FORMAT §6)."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from jcim_desktop.cli import main
from jcim_desktop.sync.keys import PRIVATE_KEY_FILE, key_id


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jcim_desktop", *args], capture_output=True, text=True, timeout=120)


def test_init_creates_database_identity_and_private_key_only_the_user_can_read(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["init", "--org", "chugoku", "--data-dir", str(data)]) == 0
    err = capsys.readouterr().err
    assert "中国フォーラム" in err and "鍵ID" in err
    assert (data / "jcim.sqlite3").exists()
    key = data / "keys" / PRIVATE_KEY_FILE
    if os.name == "posix":
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" in key.read_bytes()


def test_init_refuses_when_an_installation_exists(tmp_path, capsys):
    data = str(tmp_path / "data")
    assert main(["init", "--org", "chugoku", "--data-dir", data]) == 0
    assert main(["init", "--org", "kinki", "--data-dir", data]) == 1
    assert "既に初期化されています" in capsys.readouterr().err


def test_key_export_writes_the_base64_public_key(tmp_path, capsys):
    data = str(tmp_path / "data")
    main(["init", "--org", "secretariat", "--data-dir", data])
    out = tmp_path / "pub.txt"
    assert main(["key", "export", "--out", str(out), "--data-dir", data]) == 0
    text = out.read_text()
    assert text.endswith("\n") and text.count("\n") == 1
    assert len(base64.b64decode(text.strip(), validate=True)) == 32
    assert key_id(text) in capsys.readouterr().err
    assert len(key_id(text)) == 19 and key_id(text).count("-") == 3


def test_tally_json_goes_to_stdout_with_every_kpi(tmp_path, capsys):
    data = str(tmp_path / "data")
    main(["--data-dir", data, "init", "--org", "kinki"])
    capsys.readouterr()
    assert main(["tally", "--fy", "令和6年度", "--format", "json", "--data-dir", data]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["fiscal_year"] == 2024
    assert result["kpis"]["mayors_council_rate"]["denominator"] == 1741
    assert result["kpis"]["supported_municipalities"]["distinct_total"] == 0


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["tally"], "必要な引数がありません"),
        (["tally", "--fy", "来年"], "年度を読み取れません"),
        (["tally", "--fy", "2024", "--format", "csv"], "指定できません"),
        (["frobnicate"], "指定できません"),
        (["init"], "--org"),
        (["key"], "必要な引数がありません"),
        (["tally", "--fy", "2024", "--bogus"], "知らない引数があります"),
    ],
)
def test_wrong_usage_exits_2_with_a_japanese_message(argv, expected, capsys):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and "使い方" in err


def test_tally_explain_prints_the_records_behind_a_figure(tmp_path, capsys):
    data = str(tmp_path / "data")
    assert main(["demo", "--org", "chugoku", "--data-dir", data]) == 0
    capsys.readouterr()
    assert main(["tally", "--fy", "2024", "--format", "json", "--data-dir", data]) == 0
    figures = json.loads(capsys.readouterr().out)["kpis"]["supported_municipalities"]
    assert main(["tally", "--fy", "2024", "--explain", "supported_municipalities", "--org", "chugoku",
                 "--format", "json", "--data-dir", data]) == 0
    explained = json.loads(capsys.readouterr().out)
    assert set(explained) == {"fiscal_year", "kpi", "org", "value", "records"}
    assert (explained["fiscal_year"], explained["kpi"], explained["org"]) == (2024, "supported_municipalities", "chugoku")
    assert explained["value"] == figures["by_org"]["chugoku"] == len(explained["records"]) > 0
    assert len({r["lg_code"] for r in explained["records"]}) == explained["value"]
    # For people: the figure in Japanese, then one line a record.
    assert main(["tally", "--fy", "2024", "--explain", "forums_held", "--data-dir", data]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("令和6年度 フォーラム実施数（全体）:") and len(lines) > 1


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["tally", "--fy", "2024", "--explain", "happiness"], "指定できません"),
        (["tally", "--fy", "2024", "--org", "chugoku"], "--explain と一緒に"),
        (["tally", "--fy", "2024", "--explain", "forums_held", "--format", "pdf"], "--explain の結果は標準出力"),
    ],
)
def test_tally_explain_wrong_usage_exits_2(argv, expected, tmp_path, capsys):
    main(["init", "--org", "chugoku", "--data-dir", str(tmp_path / "d")])
    capsys.readouterr()
    try:
        status = main([*argv, "--data-dir", str(tmp_path / "d")])
    except SystemExit as exited:  # refused by the parser itself
        status = exited.code
    assert status == 2
    assert expected in capsys.readouterr().err


def test_commands_before_init_explain_what_to_do(tmp_path, capsys):
    assert main(["tally", "--fy", "2024", "--data-dir", str(tmp_path / "none")]) == 1
    assert "init --org" in capsys.readouterr().err


def test_unknown_org_is_refused_with_the_list_of_codes(tmp_path, capsys):
    assert main(["init", "--org", "osaka", "--data-dir", str(tmp_path / "d")]) == 1
    err = capsys.readouterr().err
    assert "osaka" in err and "chugoku" in err


def test_no_traceback_reaches_the_user_from_the_real_command(tmp_path):
    # A damaged database: a bug-class error path, through the real entry point.
    data = tmp_path / "data"
    assert run("init", "--org", "chugoku", "--data-dir", str(data)).returncode == 0
    (data / "jcim.sqlite3").write_bytes(b"this is not a database" * 100)
    for side in ("-wal", "-shm"):
        Path(str(data / "jcim.sqlite3") + side).unlink(missing_ok=True)
    result = run("tally", "--fy", "2024", "--data-dir", str(data))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "壊れています" in result.stderr
    wrong = run("tally", "--fy")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr


def test_python_dash_m_and_console_script_are_the_same_program(tmp_path):
    script = Path(sys.executable).with_name("jcim-desktop")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "JCIM Desktop" in result.stdout
    assert run("--version").stdout == result.stdout


def test_demo_initialises_loads_and_a_second_run_is_harmless(tmp_path, capsys):
    data = str(tmp_path / "demo")
    assert main(["demo", "--org", "chugoku", "--data-dir", data]) == 0
    assert "デモデータを読み込みました" in capsys.readouterr().err
    assert main(["demo", "--data-dir", data]) == 0
    assert "既に読み込まれています" in capsys.readouterr().err
    assert main(["tally", "--fy", "2024", "--data-dir", data]) == 0
    kpis = json.loads(capsys.readouterr().out)["kpis"]
    assert kpis["supported_municipalities"]["by_org"]["chugoku"] > 0
    assert kpis["mayors_council_rate"]["numerator"] == 1088


def test_demo_without_init_or_org_says_what_to_do(tmp_path, capsys):
    assert main(["demo", "--data-dir", str(tmp_path / "none")]) == 1
    assert "--org" in capsys.readouterr().err
