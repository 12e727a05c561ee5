"""The national figures on the command line (SYNC_FORMAT §5, §6): close / reopen / published,
``tally`` of a closed year (``closed``, ``live_differs``, ``--live``), ``history`` and ``received``,
worked through by hand between a forum and the secretariat exchanging real packages."""

from __future__ import annotations

import datetime as dt
from contextlib import closing
from pathlib import Path

import pytest

from jcim_desktop.domain.kpi import KPI_CODES
from jcim_desktop.services import records
from jcim_desktop.services.context import open_app
from tests.helpers import cli_json, code, run_cli

cli = run_cli
as_json = cli_json


@pytest.fixture
def two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str, Path]:
    """A 中国フォーラム laptop and the secretariat, each trusting the other's key."""
    forum, sec = str(tmp_path / "chugoku"), str(tmp_path / "sec")
    assert cli(capsys, "init", "--org", "chugoku", "--data-dir", forum)[0] == 0
    assert cli(capsys, "init", "--org", "secretariat", "--user", "事務局 山田", "--data-dir", sec)[0] == 0
    for data, name in ((forum, "forum.pub"), (sec, "sec.pub")):
        assert cli(capsys, "key", "export", "--out", str(tmp_path / name), "--data-dir", data)[0] == 0
    assert cli(capsys, "trust", "add", "--org", "chugoku", str(tmp_path / "forum.pub"), "--data-dir", sec)[0] == 0
    assert cli(capsys, "trust", "add", "--org", "all", str(tmp_path / "sec.pub"), "--data-dir", forum)[0] == 0
    return forum, sec, tmp_path


def held_forum(data_dir: str, title: str, held: dt.date, lg: str = "広島市") -> None:
    with closing(open_app(data_dir)) as ctx:
        records.create(ctx, "events", {
            "title": title, "event_type": "forum", "status": "held", "held_from": held.isoformat(),
            "planned": {"text": held.isoformat(), "start": held.isoformat(), "end": held.isoformat(),
                        "precision": "day", "tentative": False},
            "lg_codes": [code(lg)], "counts_as_forum": True,
        })


def send(capsys: pytest.CaptureFixture[str], sender: str, receiver: str, package: Path, *extra: str) -> None:
    assert cli(capsys, "export", "--out", str(package), *extra, "--data-dir", sender)[0] == 0
    result = as_json(capsys, "import", str(package), "--format", "json", "--data-dir", receiver)
    assert result[0]["status"] == "accepted", result


def test_a_closed_year_keeps_its_figures_when_a_late_package_changes_the_records(two, capsys):
    forum, sec, tmp = two
    held_forum(forum, "第1回 中国地方インフラメンテナンスフォーラム", dt.date(2024, 7, 10))
    held_forum(forum, "第2回 中国地方インフラメンテナンスフォーラム", dt.date(2024, 11, 20), "呉市")
    send(capsys, forum, sec, tmp / "p1.jcimsync")

    before = as_json(capsys, "tally", "--fy", "2024", "--format", "json", "--data-dir", sec)
    assert before["closed"] is None
    assert before["kpis"]["forums_held"]["by_org"]["chugoku"] == 2

    status, _, err = cli(capsys, "close", "--fy", "2024", "--note", "令和6年度 事業報告", "--data-dir", sec)
    assert status == 0 and "確定しました" in err
    closed = as_json(capsys, "tally", "--fy", "2024", "--format", "json", "--data-dir", sec)
    assert set(closed["closed"]) == {"at", "by", "source"}
    assert closed["closed"]["source"] == "app" and closed["closed"]["by"] == "事務局 山田"
    dt.datetime.fromisoformat(closed["closed"]["at"])
    assert closed["live_differs"] == []
    assert closed["kpis"] == before["kpis"]
    # Closing twice is refused (exit 1), and the first closing stands.
    status, _, err = cli(capsys, "close", "--fy", "2024", "--data-dir", sec)
    assert status == 1 and "すでに確定" in err

    # A late package: a third forum held in FY2024 (supported municipalities unchanged: 広島市 again).
    held_forum(forum, "第3回 中国地方インフラメンテナンスフォーラム", dt.date(2025, 2, 5))
    send(capsys, forum, sec, tmp / "p2.jcimsync")
    official = as_json(capsys, "tally", "--fy", "2024", "--format", "json", "--data-dir", sec)
    assert official["kpis"]["forums_held"]["total"] == 2
    assert official["kpis"]["forums_held"]["by_org"]["chugoku"] == 2
    assert official["live_differs"] == ["forums_held"]
    live = as_json(capsys, "tally", "--fy", "2024", "--live", "--format", "json", "--data-dir", sec)
    assert live["kpis"]["forums_held"]["total"] == 3 and live["closed"] == official["closed"]
    assert live["live_differs"] == ["forums_held"]
    # People are told on standard error which figures they are reading.
    _, _, err = cli(capsys, "tally", "--fy", "2024", "--format", "json", "--data-dir", sec)
    assert "確定済み" in err and "forums_held" in err

    # The national package carries the closed tally: the forum sees the official figures too.
    send(capsys, sec, forum, tmp / "national.jcimsync", "--scope", "national")
    at_forum = as_json(capsys, "tally", "--fy", "2024", "--format", "json", "--data-dir", forum)
    assert at_forum["closed"]["source"] == "app"
    assert at_forum["kpis"]["forums_held"]["total"] == 2 and at_forum["live_differs"] == ["forums_held"]
    # A forum may neither close nor reopen.
    assert cli(capsys, "close", "--fy", "2023", "--data-dir", forum)[0] == 1
    status, _, err = cli(capsys, "reopen", "--fy", "2024", "--data-dir", forum)
    assert status == 1 and "事務局" in err

    # Reopening tombstones the closed tally: the live figures are the year's figures again.
    assert cli(capsys, "reopen", "--fy", "2024", "--data-dir", sec)[0] == 0
    reopened = as_json(capsys, "tally", "--fy", "2024", "--format", "json", "--data-dir", sec)
    assert reopened["closed"] is None
    assert reopened["kpis"]["forums_held"]["total"] == 3
    status, _, err = cli(capsys, "reopen", "--fy", "2024", "--data-dir", sec)
    assert status == 1 and "確定していません" in err


def test_published_figures_of_a_past_year_and_the_history(two, capsys):
    forum, sec, tmp = two
    held_forum(forum, "中国フォーラム 令和4年度", dt.date(2022, 9, 1))
    held_forum(forum, "中国フォーラム 令和6年度", dt.date(2024, 9, 1))
    send(capsys, forum, sec, tmp / "p1.jcimsync")
    assert cli(capsys, "published", "--fy", "2023", "--kpi", "supported_municipalities=252,forums_held=33",
               "--kpi", "matching_total=184", "--note", "令和5年度 事業報告", "--data-dir", sec)[0] == 0
    with closing(open_app(sec)) as ctx:
        from jcim_desktop.services import targets

        targets.set_target(ctx, 2023, "matching_total", 150)

    years = as_json(capsys, "history", "--format", "json", "--data-dir", sec)["years"]
    assert list(years) == ["2022", "2023", "2024"]
    assert years["2023"]["matching_total"] == {"total": 184, "target": 150, "closed": True}
    assert years["2023"]["forums_held"] == {"total": 33, "target": None, "closed": True}
    assert years["2023"]["supported_municipalities"]["total"] == 252
    # A KPI the published report did not name is the live figure of the year.
    assert years["2023"]["workshops"] == {"total": 0, "target": None, "closed": False}
    assert years["2022"]["forums_held"] == {"total": 1, "target": None, "closed": False}
    assert set(years["2024"]) == set(KPI_CODES)
    one = as_json(capsys, "history", "--kpi", "matching_total", "--format", "json", "--data-dir", sec)["years"]
    assert one["2023"] == {"matching_total": {"total": 184, "target": 150, "closed": True}}
    assert set(one) == {"2022", "2023", "2024"}
    tally_2023 = as_json(capsys, "tally", "--fy", "2023", "--format", "json", "--data-dir", sec)
    assert tally_2023["closed"]["source"] == "published"
    assert tally_2023["kpis"]["matching_total"]["total"] == 184
    # For people, in Japanese.
    status, out, _ = cli(capsys, "history", "--kpi", "matching_total", "--data-dir", sec)
    assert status == 0 and "令和5年度" in out and "184" in out and "確定" in out

    # Bad values name the KPI (exit 1); bad usage exits 2; a forum may not record published figures.
    status, _, err = cli(capsys, "published", "--fy", "2022", "--kpi", "forums_held=たくさん", "--data-dir", sec)
    assert status == 1 and "フォーラム実施数" in err
    assert cli(capsys, "published", "--fy", "2022", "--kpi", "happiness=3", "--data-dir", sec)[0] == 2
    assert cli(capsys, "published", "--fy", "2022", "--kpi", "forums_held", "--data-dir", sec)[0] == 2
    assert cli(capsys, "published", "--fy", "2022", "--kpi", "forums_held=3", "--data-dir", forum)[0] == 1
    # Nothing was written by the refusals.
    assert "2022" not in [y for y, k in as_json(capsys, "history", "--format", "json", "--data-dir", sec)["years"].items()
                          if k["forums_held"]["closed"]]


def test_received_lists_each_org_its_last_package_and_the_missing(two, capsys):
    forum, sec, tmp = two
    held_forum(forum, "中国フォーラム", dt.date(2024, 9, 1))
    send(capsys, forum, sec, tmp / "p1.jcimsync")
    send(capsys, forum, sec, tmp / "p2.jcimsync")
    year = dt.date.today().year - (1 if dt.date.today().month < 4 else 0)
    result = as_json(capsys, "received", "--fy", str(year), "--format", "json", "--data-dir", sec)
    assert result["fiscal_year"] == year
    by_org = {entry["org"]: entry for entry in result["orgs"]}
    assert by_org["chugoku"]["received"] is True
    (laptop,) = by_org["chugoku"]["installations"]
    assert laptop["packages"] == 2 and laptop["last_package"]["sequence"] == 2
    assert laptop["missing_sequences"] == []
    assert laptop["last_package"]["records"] >= 1
    assert by_org["hokkaido"]["received"] is False and by_org["hokkaido"]["installations"] == []
    assert "hokkaido" in result["missing"] and "chugoku" not in result["missing"]
    assert "secretariat" not in result["missing"]
    status, out, _ = cli(capsys, "received", "--fy", str(year), "--data-dir", sec)
    assert status == 0 and "未受信" in out and "中国フォーラム" in out
    # The year before: nothing came.
    earlier = as_json(capsys, "received", "--fy", str(year - 1), "--format", "json", "--data-dir", sec)
    assert "chugoku" in earlier["missing"]
