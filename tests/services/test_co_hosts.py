"""Joint events (SYNC_FORMAT §4 ``co_hosts``): shown and searchable at every org that held them,
kept through packages, counted in the KPIs for the owner only."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from helpers import code
from jcim_desktop.services import events, listing, records, reports, sync
from jcim_desktop.services.context import AppContext
from jcim_desktop.services.excel_export import export_list_xlsx
from jcim_desktop.services.tally import explain, tally

FY = 2024
TECHCON = "インフラメンテナンス・テクノロジー・コンテスト（インフラテクコン）"


def joint_event(ctx: AppContext, title: str, co_hosts: list[str], *, event_type: str = "forum",
                held: dt.date = dt.date(2024, 8, 20)) -> str:
    return records.create(ctx, "events", {
        "title": title, "event_type": event_type, "planned": events.planned_from_text("8月", FY),
        "status": "held", "held_from": held.isoformat(), "held_to": held.isoformat(),
        "lg_codes": [code("千代田区")], "counts_as_forum": True, "co_hosts": co_hosts,
    }).id


def send(source: AppContext, target: AppContext, path: Path, *, orgs: list[str], scope: str = "org") -> None:
    """A real package: ``source`` exports, ``target`` trusts its key for ``orgs`` and imports it."""
    sync.export_package(source, path, scope=scope)
    sync.add_trust(target, source.public_key, orgs)
    (outcome,) = sync.import_packages(target, [path])
    assert outcome.status == "accepted", outcome.reason


@pytest.fixture
def kanto(make_ctx) -> AppContext:  # type: ignore[no-untyped-def]
    return make_ctx("kanto")  # type: ignore[no-any-return]


@pytest.fixture
def received(kanto: AppContext, forum: AppContext, tmp_path: Path) -> str:
    """関東フォーラム's インフラテクコン, co-hosted by 中国フォーラム, received at 中国フォーラム."""
    techcon = joint_event(kanto, TECHCON, ["chugoku"])
    send(kanto, forum, tmp_path / "kanto.jcimsync", orgs=["kanto"])
    return techcon


def test_a_package_keeps_the_co_hosts(kanto, forum, secretariat, tmp_path):
    techcon = joint_event(kanto, TECHCON, ["chugoku", "innovative_tech"])
    path = tmp_path / "kanto.jcimsync"
    send(kanto, secretariat, path, orgs=["kanto"])
    with zipfile.ZipFile(path) as package:
        lines = package.read("records/events.jsonl").decode("utf-8").splitlines()
    assert json.loads(lines[0])["data"]["co_hosts"] == ["chugoku", "innovative_tech"]
    assert records.get(secretariat, "events", techcon).data["co_hosts"] == ["chugoku", "innovative_tech"]
    # Passed on in the secretariat's national package, it reaches the co-host unchanged.
    send(secretariat, forum, tmp_path / "national.jcimsync", orgs=sync.parse_orgs("all"), scope="national")
    stored = records.get(forum, "events", techcon)
    assert stored.owner == "kanto" and stored.data["co_hosts"] == ["chugoku", "innovative_tech"]


def test_a_joint_event_counts_for_its_owner_only(received, forum):
    figures = tally(forum, FY)["kpis"]["forums_held"]
    assert figures["by_org"]["kanto"] == 1
    assert figures["by_org"]["chugoku"] == 0
    assert figures["total"] == 1
    assert explain(forum, FY, "forums_held", "chugoku")["records"] == []
    assert [r["id"] for r in explain(forum, FY, "forums_held", "kanto")["records"]] == [received]
    # 千代田区 was supported by the owner, not by the co-host.
    municipalities = tally(forum, FY)["kpis"]["supported_municipalities"]["by_org"]
    assert (municipalities["kanto"], municipalities["chugoku"]) == (1, 0)


def test_the_own_org_filter_lists_the_events_it_co_hosted(received, forum):
    own = joint_event(forum, "中国フォーラム総会", [])
    others = joint_event(forum, "四国との合同勉強会", ["shikoku"], event_type="workshop")

    def ids(owners: list[str], view: str = "events") -> set[str]:
        return set(listing.fetch_ids(forum, view, records.Query(owners=owners)))

    assert ids(["chugoku"]) == {own, others, received}
    assert ids(["kanto"]) == {received}
    assert ids(["shikoku"]) == {others}
    assert ids(["kinki"]) == set()
    assert listing.count(forum, "events", records.Query(owners=["chugoku"], fiscal_year=FY)) == 3
    row = listing.fetch_block(forum, "events", [received])[received]
    assert row.owner == "kanto" and row.values[-1] == ("chugoku",)


def test_a_co_hosted_pitch_event_is_in_the_co_hosts_pitch_list(kanto, forum, tmp_path):
    pitch = joint_event(kanto, "合同ピッチ", ["chugoku"], event_type="pitch_event")
    send(kanto, forum, tmp_path / "kanto.jcimsync", orgs=["kanto"])
    assert listing.fetch_ids(forum, "pitch_events", records.Query(owners=["chugoku"])) == [pitch]
    assert listing.fetch_rows(forum, "pitch_events", [pitch])[pitch][-1] == ("chugoku",)


def test_searching_an_org_name_finds_the_events_it_co_hosted(received, forum):
    joint_event(forum, "四国との合同勉強会", ["shikoku"], event_type="workshop")

    def titles(text: str) -> list[str]:
        ids = listing.fetch_ids(forum, "events", records.Query(text=text))
        return sorted(row[1] for row in listing.fetch_rows(forum, "events", ids).values())

    assert titles("中国") == [TECHCON]
    assert titles("中国フォーラム") == [TECHCON]
    assert titles("四国") == ["四国との合同勉強会"]
    # The search stays kana- and width-insensitive: half-width katakana, hiragana.
    assert titles("ｲﾝﾌﾗﾃｸｺﾝ") == [TECHCON]
    assert titles("いんふらてくこん") == [TECHCON]


def test_the_excel_export_has_a_co_host_column(received, forum, tmp_path):
    out = export_list_xlsx(forum, "events", tmp_path / "events.xlsx")
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[2]]
    assert header[-2:] == ["組織", "共催"]
    rows = {r[1].value: [c.value for c in r] for r in sheet.iter_rows(min_row=3)}
    assert rows[TECHCON][-2:] == ["関東フォーラム", "中国フォーラム"]


def test_the_plans_of_owner_and_co_host_both_list_a_joint_event(received, forum):
    (at_owner,) = reports.plan_events(forum, "kanto", FY)
    assert at_owner["title"] == TECHCON and at_owner["co_hosts"] == "中国フォーラム" and at_owner["host"] == ""
    (at_co_host,) = reports.plan_events(forum, "chugoku", FY)
    assert at_co_host["title"] == TECHCON and at_co_host["host"] == "関東フォーラム"
    assert reports.plan_events(forum, "shikoku", FY) == []


def test_the_plan_pdf_marks_joint_events(received, forum, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    out = reports.plan_report_pdf(forum, "chugoku", FY, tmp_path / "plan.pdf", issued=dt.date(2024, 9, 1))
    text = "".join(page.extract_text() for page in pypdf.PdfReader(out).pages).replace("\n", "").replace(" ", "")
    assert "共催（主催:関東フォーラム）" in text
    assert "うち他組織主催の共催1件" in text
    assert "KPIには主催した組織の実績として数えます" in text
