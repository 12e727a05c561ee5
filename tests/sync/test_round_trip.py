"""Two forums and a secretariat in temp folders, through the CLI: forum entries reach the national tally exactly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen")


def cli(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "jcim_desktop", *args], capture_output=True, text=True,
                            env=ENV, timeout=300)
    if ok:
        assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def tally(folder: Path, fy: int = 2024) -> dict:
    return json.loads(cli("tally", "--fy", str(fy), "--format", "json", "--data-dir", str(folder)).stdout)["kpis"]


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    root = tmp_path_factory.mktemp("network")
    folders = {org: root / org for org in ("chugoku", "kinki", "secretariat")}
    for org, folder in folders.items():
        cli("init", "--org", org, "--data-dir", str(folder))
        cli("key", "export", "--out", str(root / f"{org}.pub"), "--data-dir", str(folder))
    for org in ("chugoku", "kinki"):
        cli("demo", "--data-dir", str(folders[org]))
        cli("trust", "add", "--org", org, str(root / f"{org}.pub"), "--data-dir", str(folders["secretariat"]))
        cli("export", "--out", str(root / f"{org}.jcimsync"), "--data-dir", str(folders[org]))
    return root, folders


def test_forum_entries_appear_in_the_secretariat_tally_exactly(network):
    root, folders = network
    result = cli("import", str(root / "chugoku.jcimsync"), str(root / "kinki.jcimsync"), "--format", "json",
                 "--data-dir", str(folders["secretariat"]))
    outcomes = json.loads(result.stdout)
    assert [o["status"] for o in outcomes] == ["accepted", "accepted"]
    assert set(outcomes[0]) >= {"file", "package_id", "status", "reason", "inserted", "updated", "unchanged",
                                "conflicts"}
    national = tally(folders["secretariat"])
    for org in ("chugoku", "kinki"):
        own = tally(folders[org])
        for kpi, entry in own.items():
            if "by_org" in entry:
                assert national[kpi]["by_org"][org] == entry["by_org"][org], (org, kpi)
    assert national["supported_municipalities"]["regional_forums"] == (
        tally(folders["chugoku"])["supported_municipalities"]["total"]
        + tally(folders["kinki"])["supported_municipalities"]["total"]
    )


def test_importing_the_same_package_again_changes_nothing(network):
    root, folders = network
    before = tally(folders["secretariat"])
    again = json.loads(cli("import", str(root / "chugoku.jcimsync"), "--format", "json",
                           "--data-dir", str(folders["secretariat"])).stdout)[0]
    assert again["status"] == "accepted" and again["inserted"] == again["updated"] == again["conflicts"] == 0
    assert again["unchanged"] > 0 and again["newer"] is False
    assert tally(folders["secretariat"]) == before


def test_an_untrusted_sender_is_refused_with_exit_1(network, tmp_path):
    root, folders = network
    stranger = tmp_path / "stranger"
    cli("init", "--org", "shikoku", "--data-dir", str(stranger))
    cli("export", "--out", str(tmp_path / "s.jcimsync"), "--data-dir", str(stranger))
    result = cli("import", str(tmp_path / "s.jcimsync"), "--data-dir", str(folders["secretariat"]), ok=False)
    assert result.returncode == 1
    assert "信頼されていない鍵" in result.stderr and "trust add" in result.stderr


def test_the_national_package_shares_every_forums_work_back_read_only(network, tmp_path):
    root, folders = network
    cli("import", str(root / "chugoku.jcimsync"), str(root / "kinki.jcimsync"), "--data-dir",
        str(folders["secretariat"]))
    cli("export", "--scope", "national", "--out", str(tmp_path / "national.jcimsync"), "--data-dir",
        str(folders["secretariat"]))
    refused = cli("import", str(tmp_path / "national.jcimsync"), "--data-dir", str(folders["chugoku"]), ok=False)
    assert refused.returncode == 1
    cli("trust", "add", "--org", "all", str(root / "secretariat.pub"), "--data-dir", str(folders["chugoku"]))
    cli("import", str(tmp_path / "national.jcimsync"), "--data-dir", str(folders["chugoku"]))
    shared = tally(folders["chugoku"])
    assert shared["supported_municipalities"]["by_org"]["kinki"] == tally(folders["kinki"])[
        "supported_municipalities"]["by_org"]["kinki"]
    assert shared["mayors_council_rate"]["numerator"] > 0


def test_a_forum_cannot_export_the_national_scope(network, tmp_path):
    _, folders = network
    result = cli("export", "--scope", "national", "--out", str(tmp_path / "x.jcimsync"), "--data-dir",
                 str(folders["kinki"]), ok=False)
    assert result.returncode == 1 and "事務局だけ" in result.stderr
    assert not (tmp_path / "x.jcimsync").exists()


def test_contacts_travel_only_when_asked(network, tmp_path):
    from jcim_desktop.sync.package import read_package

    _, folders = network
    cli("export", "--out", str(tmp_path / "plain.jcimsync"), "--data-dir", str(folders["chugoku"]))
    cli("export", "--include-contacts", "--out", str(tmp_path / "full.jcimsync"), "--data-dir", str(folders["chugoku"]))
    plain, full = read_package(tmp_path / "plain.jcimsync"), read_package(tmp_path / "full.jcimsync")
    assert plain.manifest.includes_contacts is False and full.manifest.includes_contacts is True
    assert all(r["data"].get("contact") is None for r in plain.records["needs"])
    assert any(r["data"].get("contact") for r in full.records["needs"])
    assert full.manifest.sequence > plain.manifest.sequence
